/* dns: c-ares queries issued concurrently and recorded one by one, driven
 * by the shared poll loop. Each query keeps its own outcome, answers, TTL
 * and time, so "AAAA timed out while A answered in 3 ms" can be said. */
#ifndef V6OPS_DNS_H
#define V6OPS_DNS_H

#include <stdbool.h>
#include <stddef.h>
#include <net/if.h>
#include <sys/socket.h>

#include "addr.h"
#include "loop.h"

enum dns_type {
	DNS_A = 1,
	DNS_NS = 2,
	DNS_CNAME = 5,
	DNS_PTR = 12,
	DNS_AAAA = 28,
};

enum dns_outcome {
	DNS_PENDING = 0,
	DNS_ANSWER,   /* NOERROR with records of the asked type */
	DNS_NODATA,   /* NOERROR, no records of that type */
	DNS_NXDOMAIN, /* the name does not exist */
	DNS_SERVFAIL,
	DNS_REFUSED,
	DNS_TIMEOUT, /* no answer within the query's time or the deadline */
	DNS_ERROR,   /* anything else: bad reply, other rcode, no server */
};

/* Records kept per answer. An answer may hold more (nfound says how
 * many): a caller that cannot check them all says the answer was cut. */
#define DNS_MAX_ADDRS 64
#define DNS_MAX_NAMES 64

struct dns_query {
	/* set by the caller */
	char name[256];
	enum dns_type type;
	/* results */
	enum dns_outcome outcome;
	int rcode; /* -1 when no reply arrived */
	struct sockaddr_storage addrs[DNS_MAX_ADDRS]; /* A / AAAA, port 0 */
	size_t naddrs;
	char names[DNS_MAX_NAMES][256]; /* NS / CNAME / PTR targets */
	size_t nnames;
	size_t nfound;	  /* records of the asked type in the answer; more than
			     naddrs + nnames when some did not fit */
	bool cname_loop;  /* the answer's CNAME chain for name loops */
	bool cut;	  /* DNS_TIMEOUT set by dns_finish() (the deadline, the
			     caller's limit), not by the query's own timeout */
	unsigned ttl_s;	  /* smallest TTL among the answers */
	double elapsed_s; /* from submit to outcome */
	char detail[128]; /* c-ares' words when outcome is DNS_ERROR */
	/* private */
	double started_s;
	struct dns_ctx *ctx;
};

/* c-ares 1.18 asks every configured server in turn and doubles the wait
 * each round, so the worst case for one query is the sum over servers and
 * rounds of timeout_ms << round. Size these to the deadline (tries = 1 is
 * often right); the deadline ends everything regardless. */
struct dns_opts {
	long timeout_ms; /* first try (default 2000 when 0) */
	int tries;	 /* default 2 when 0 */
	/* When > 0: a query's whole time over every server and try, so
	 * that two servers in resolv.conf do not double it; timeout_ms is
	 * then derived (query_ms / (servers x (2^tries - 1))). */
	long query_ms;
	/* A and AAAA queries for a name that /etc/hosts lists (for that
	 * family) are answered from it, as the system's resolver does
	 * ("files dns"): -H localhost works. The answer comes through the
	 * loop like any other, TTL 0, rcode 0. */
	bool hosts;
	unsigned port; /* servers' port when not given with them; 0: 53 */
	/* --source, --interface: sa_family 0 and "" when not given */
	struct sockaddr_storage source4, source6;
	char iface[IF_NAMESIZE];
};

struct dns_ctx;

/* A resolver context on loop l. server == NULL: the system configuration
 * (/etc/resolv.conf); else that one server (literal, port 53 when the host
 * has no port), asked alone so its answers are its own. NULL on failure
 * with the reason in err. */
struct dns_ctx *dns_new(struct loop *l, const struct host *server,
			const struct dns_opts *o, char *err, size_t errlen);

/* Sends the query now; its outcome is set when the reply, the error or the
 * timeout arrives, or by dns_finish(). q must stay valid until then. */
void dns_submit(struct dns_ctx *c, struct dns_query *q);

/* True when no query of this context is pending. Suitable for loop_run();
 * several contexts need a done() of the caller's that asks each. An
 * unreachable server shows as DNS_ERROR with c-ares' words in detail. */
bool dns_idle(void *ctx);

/* Marks every pending query DNS_TIMEOUT (e.g. the deadline passed). */
void dns_finish(struct dns_ctx *c);

/* Text of the server asked ("system resolver" or the address). */
const char *dns_server_name(const struct dns_ctx *c);

/* Call before loop_free(): closing c-ares' sockets updates the loop. */
void dns_free(struct dns_ctx *c);

/* "NOERROR", "NODATA", "NXDOMAIN", "SERVFAIL", "REFUSED", "timeout", ... */
const char *dns_outcome_name(enum dns_outcome o);

/* The one sentence every plugin uses (README, state policy) for a query
 * of type lost unanswered after lost_s while the other family's query for
 * name answered in answered_s: "AAAA query for NAME unanswered after 3 s
 * while A answered in 0.002 s: clients asking for AAAA wait". Its state is
 * CRITICAL and its code dns_unanswered_code(lost). Returns buf. */
const char *dns_unanswered_text(enum dns_type lost, const char *name,
				double lost_s, double answered_s, char *buf,
				size_t len);

/* "aaaa_unanswered" or "a_unanswered". */
const char *dns_unanswered_code(enum dns_type lost);

/* Seconds as the findings print them: three significant digits, never
 * an exponent ("3", "0.00129"). Returns buf (16 bytes at least). */
const char *dns_secs(double s, char *buf);

/* "A", "AAAA", "NS", "CNAME", "PTR". */
const char *dns_type_name(enum dns_type t);

#endif
