/* dnsjudge: what the answers of a set of DNS servers (nsset_ask_names())
 * mean, as findings in the operator's words. Server level: a server that
 * answered none of its queries (one finding, not one per name), an NS
 * silent over one transport while it answers over the other, a failed
 * lookup of an NS address. Per name: a query of one type unanswered while
 * the other is answered ("clients asking for AAAA wait"; UNKNOWN when the
 * deadline, not the server, ended the wait), NXDOMAIN for one
 * type only, SERVFAIL or REFUSED, answers slower than the thresholds, no
 * AAAA record, and servers that disagree (RFC 1034 4.2.1). Pure: no I/O,
 * for any check built on nsset (a zone audit, a resolver check). */
#ifndef V6OPS_DNSJUDGE_H
#define V6OPS_DNSJUDGE_H

#include <stdbool.h>
#include <stddef.h>

#include "check_aaaa_consistency.d/findings.h"
#include "check_aaaa_consistency.d/nsset.h"
#include "range.h"

struct dnsjudge {
	/* Set by the caller. */
	const struct nsset *ns;	     /* the servers asked */
	long timeout_ms;	     /* after which a query was given up */
	struct range warn_s, crit_s; /* each answer's time, seconds */
	enum state timeout_state;    /* -t N:STATE: a wait -t cut short */
	const struct sockaddr_storage *expect; /* -a: the addresses that must */
	size_t nexpect;			       /* be published, or none */
	bool strict;	   /* servers that disagree: CRITICAL, not WARNING */
	bool require_aaaa; /* a name without AAAA: CRITICAL, not OK */
	/* Filled by dnsjudge_tally() and dnsjudge_servers(). */
	size_t got[NSSET_MAX], lost[NSSET_MAX]; /* queries answered or not */
	double waited[NSSET_MAX]; /* the longest wait for a lost one, s */
	size_t failed[NSSET_MAX]; /* of the lost, those that failed at once */
	size_t cut[NSSET_MAX];	  /* of the lost, those -t cut short */
	char why[NSSET_MAX][64];  /* (connection refused...): c-ares' words */
	bool silent[NSSET_MAX];	  /* answered nothing: not judged per name */
};

/* Counts one name's n answers (one per server) towards its servers. Call
 * for every name before dnsjudge_servers(). */
void dnsjudge_tally(struct dnsjudge *j, const struct nsset_answer *a, size_t n);

/* Server-level findings from the tally: a silent server (CRITICAL), named
 * as silent over one transport when the same NS answers over the other
 * (UNKNOWN when the deadline cut its queries short of timeout_ms);
 * a failed A or AAAA lookup of an NS name (WARNING). Sets j->silent. */
void dnsjudge_servers(struct dnsjudge *j, struct findings *w);

/* What the servers said about one name: its n answers (one per server; a
 * NULL a with a zone in j->ns means "outside the zone, not asked",
 * UNKNOWN). Answers of silent servers are left to dnsjudge_servers().
 * Ends with an OK line giving the slowest A and AAAA answer. */
void dnsjudge_name(const struct dnsjudge *j, const char *name,
		   const struct nsset_answer *a, size_t n, struct findings *w);

/* The slowest answer of type k (0: A, 1: AAAA) among n, in seconds. */
double dnsjudge_slowest(const struct nsset_answer *a, size_t n, int k);

#endif
