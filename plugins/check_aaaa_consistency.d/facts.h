/* facts: check_aaaa_consistency's options as validate() leaves them, and
 * what one run asked and got back (names, servers' answers, addresses and
 * their probes): the plugin gathers them, verdict.c judges them. */
#ifndef CHECK_AAAA_CONSISTENCY_FACTS_H
#define CHECK_AAAA_CONSISTENCY_FACTS_H

#include <stdbool.h>
#include <stddef.h>

#include "check_aaaa_consistency.d/nsset.h"
#include "dns.h"
#include "probe.h"
#include "range.h"
#include "status.h"

/* names x servers: each ask holds two small results (nsset_result) and
 * its addresses, about 300 bytes, so 100,000 stay within 64 MiB */
#define MAX_ASKS   100000
#define MAX_EXPECT 64 /* -a */

struct opts {
	const char *file;
	struct nsset servers; /* -s */
	bool authoritative, strict, require_aaaa, icmp;
	int families; /* enum families */
	bool fam[2];  /* [0] IPv4, [1] IPv6: probed (from --families, -4, -6) */
	struct probe_ports ports;
	long max_concurrency, probe_timeout_ms, dns_timeout_ms; /* 0: fit -t */
	long dns_port;						/* 0: 53 */
	struct range warn_s, crit_s, dead_warn, dead_crit;
	enum state timeout_state; /* -t N:STATE */
	struct expect {		  /* -a */
		struct sockaddr_storage v[MAX_EXPECT];
		size_t n;
	} expect;
	struct dns_opts dns;	 /* derived: what every DNS context gets */
	struct probe_opts probe; /* derived: what the probes get */
};

enum families { FAMS_BOTH, FAMS_V4, FAMS_V6 };

/* ---- facts: what was asked and what came back; judge() reads only this */

struct target { /* one published address of a name */
	struct sockaddr_storage sa;
	bool probed; /* false: its family is not probed */
	struct probe *probes[PROBE_MAX_PORTS + 1]; /* o.ports, then ICMP */
};

struct name {
	const char *name;
	struct nsset_answer *asks; /* one per server; NULL: outside the zone */
	size_t nasks;
	struct target *addrs;
	size_t naddrs;
};

struct facts {
	const struct nsset *ns; /* the servers asked */
	char **namev;		/* the names, as read */
	struct name *names;
	size_t nnames;
	size_t nchecks;		 /* o.ports.n, plus one with --icmp */
	const char *icmp_err[2]; /* --icmp: why there is no IPv4 / IPv6 echo */
};

#endif
