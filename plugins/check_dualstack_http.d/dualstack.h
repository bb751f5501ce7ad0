/* dualstack: one URL fetched over both address families at once, and the
 * words for what that shows (README, The failures: IPv6 broken while IPv4
 * works). dualstack_fetch() asks A and AAAA concurrently (common/dns), starts
 * each family's transfers the moment its answer is in (common/http), so IPv4
 * never waits for a slow AAAA, pins each transfer to one address, and
 * follows redirects "sticky": on the same address while the host stays,
 * else on an address of the same family, noting a target that has none.
 * The rest is pure: the verdict on a family's DNS answer and the first
 * line ("IPv6 broken while IPv4 works (...)"). */
#ifndef V6OPS_DUALSTACK_H
#define V6OPS_DUALSTACK_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#include "dns.h"
#include "http.h"
#include "loop.h"
#include "report.h"
#include "check_dualstack_http.d/webcheck.h"

#define DUALSTACK_MAX_TARGETS 64
#define DUALSTACK_URL_LEN     2048

/* One address and the transfers made to it (a sticky redirect chain). */
struct dualstack_target {
	int family;
	struct sockaddr_storage addr;
	char url[DUALSTACK_URL_LEN]; /* the last one fetched */
	struct http_xfer x;	     /* the last transfer of the chain */
	int hops;		     /* redirects followed */
	char lost[200]; /* a redirect this family could not follow, and why */
	bool lost_at_deadline; /* ... because -t ran out while resolving it */
	/* private */
	struct dns_query follow;
	bool following;
	struct dualstack_fetch *fetch;
};

struct dualstack_fetch {
	/* set by the caller */
	const char *url;  /* with the name: "https://www.example.com/" */
	const char *name; /* resolved unless pins are given */
	int family;	  /* AF_UNSPEC, or the only family to check */
	const struct sockaddr_storage *pins; /* check these instead */
	size_t npins;
	bool all_addresses; /* every A and AAAA, not the first of each */
	bool follow;	    /* follow redirects, sticky */
	long max_redirs;
	const struct http_opts *http;
	long dns_limit_ms; /* the first answers are given up on after this */
	/* facts */
	bool asked[2]; /* [0] A, [1] AAAA */
	struct dns_query q[2];
	struct dualstack_target t[DUALSTACK_MAX_TARGETS];
	size_t nt;
	/* private */
	struct loop loop;
	struct dns_ctx *dns;
	struct http_ctx *hc;
	bool started[2];
	double dns_until;
};

/* Resolves and fetches until everything is done or the run's deadline;
 * what was still out then is recorded as it stood. 0, or -1 with the
 * reason in err when the engines could not start. */
int dualstack_fetch(struct dualstack_fetch *f, char *err, size_t errlen);

/* 0 for AF_INET, 1 for AF_INET6: the index of q[] and of the families. */
int dualstack_index(int family);

/* "192.0.2.80" or "[2001:db8::80]". */
const char *dualstack_addr(const struct sockaddr_storage *a, char *buf,
			   size_t len);

/* The verdict on query i of f (0: A, 1: AAAA): OK with an answer; else
 * the missing record (no_record, or CRITICAL when the other family has no
 * answer either), a query unanswered or NXDOMAIN while the other answered
 * (CRITICAL, aaaa_unanswered / aaaa_nxdomain: clients asking for it wait
 * or fail), or a failure. */
struct webcheck_verdict dualstack_dns_verdict(const struct dualstack_fetch *f,
					      int i, enum state no_record);

/* A family as the first line sees it. */
struct dualstack_family {
	bool in_play;		    /* asked, or addresses given */
	size_t count;		    /* addresses checked */
	bool works;		    /* at least one of them is not CRITICAL */
	struct webcheck_verdict v;  /* its worst (address or DNS) */
	char where[64];		    /* the address v is about, "" for DNS */
	const struct http_xfer *ok; /* a complete response, for "OK (...)" */
};

/* "IPv6 broken while IPv4 works ([2001:db8::80]: why)" when one published
 * family fails and the other works; else both families' verdicts, IPv6
 * first ("IPv6 OK (HTTP 200 in 0.012 s); IPv4 degraded (...)"). */
void dualstack_summary(const struct dualstack_family fam[2], char *buf,
		       size_t len);

/* The first address of family index fi (-1: any), only one with a
 * complete response when asked; NULL when there is none. */
const struct dualstack_target *dualstack_first(const struct dualstack_fetch *f,
					       int fi, bool complete);

/* What no other check does: the families must serve the same status (and
 * body, by digest). WARNING naming what differs; adds its line to rep. */
struct webcheck_verdict dualstack_compare(const struct dualstack_fetch *f,
					  bool status, bool body,
					  struct report *rep);

/* The first complete IPv6 response's time minus the first IPv4 one's, in
 * seconds; false when a family has none. */
bool dualstack_delta_s(const struct dualstack_fetch *f, double *delta_s);

/* One family slower than the other by more than max_delta_ms (< 0: not
 * checked): WARNING, v6_slower (clients will fall back, RFC 8305) or
 * v4_slower (IPv4-only clients wait). Adds its line to rep. */
struct webcheck_verdict dualstack_delta(const struct dualstack_fetch *f,
					long max_delta_ms, struct report *rep);

/* The certificate the others are held against: the first IPv4 one seen,
 * else the first seen at all; NULL when no TLS was seen. */
const struct dualstack_target *
dualstack_cert_ref(const struct dualstack_fetch *f);

/* Adds the long-output line for query i (0: A, 1: AAAA), the addresses
 * it gave or what went wrong, and returns dualstack_dns_verdict(). */
struct webcheck_verdict dualstack_dns_item(const struct dualstack_fetch *f,
					   int i, enum state no_record,
					   struct report *rep);

#endif
