/* facts: what check_pmtu observed in one run, per family (the search or
 * the two fetches, the interface, the echoes) and the DNS answers, plus
 * its options: the engine in check_pmtu.c gathers them, verdict.c judges
 * them. */
#ifndef CHECK_PMTU_FACTS_H
#define CHECK_PMTU_FACTS_H

#include <stdbool.h>
#include <stddef.h>

#include "addr.h"
#include "check_pmtu.d/fetch.h"
#include "check_pmtu.d/search.h"
#include "dns.h"
#include "icmp.h"
#include "loop.h"
#include "opt.h"
#include "status.h"

enum mode { MODE_ICMP, MODE_TCP };

struct opts {
	int mode;
	long port, min_size, max_size, retries, probe_timeout_ms, stall_ms;
	long long response_size;
	const char *uri, *send;
	enum state unreachable;
};

/* One in-flight size and its echo. */
struct attempt {
	struct icmp_probe p;
	struct fam *f;
	bool used;
};

struct fam {
	struct facts *fx; /* the run this family belongs to */
	int family;
	struct sockaddr_storage dst;
	char host[256 + ADDR_STRLEN + 4];
	struct icmp_sock *sock;
	struct pmtu_search s;
	struct attempt at[PMTU_FANOUT + 6];
	double wake_s;
	double
	    rtt_s; /* smallest round trip of this family: its probe timeout */
	bool over;
	unsigned iface_mtu, cached;
	char ifname[IF_NAMESIZE];
	struct pmtu_fetch normal, clamped;
};

struct facts {
	const struct std_opts *std;
	const struct opts *op;
	struct fam fam[2]; /* in the order their addresses arrived */
	size_t n;
	/* A name: AAAA and A, each family probed as soon as its answer
	 * comes (README, The failures: AAAA queries that go unanswered). */
	struct dns_query q[2];
	bool asked[2], started[2];
	struct dns_ctx *dns;
	double dns_until;
	bool dns_cut; /* -t ended the DNS wait, not the DNS limit */
	bool stopping, incomplete;
	char req[2048];
	size_t reqlen;
	struct loop loop;
};

#endif
