#include "check_aaaa_consistency.d/dnsjudge.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "num.h"

static const char *tname(int k)
{
	return k ? "AAAA" : "A";
}

static bool replied(const struct nsset_result *q)
{
	return q->rcode >= 0;
}

/* A wait ended by the deadline (or the phase's limit) before the query's
 * own timeout, as common/dns recorded it: never guessed from the time, as
 * a query that failed (no server listening, an unusable interface) ends
 * early by itself. */
static bool cut_short(const struct nsset_result *x)
{
	return x->outcome == DNS_TIMEOUT && x->cut;
}

static const char *secs(double s, char *buf)
{
	return dns_secs(s, buf);
}

void dnsjudge_tally(struct dnsjudge *j, const struct nsset_answer *a, size_t n)
{
	for (size_t i = 0; i < n * 2; i++) {
		const struct nsset_result *x = &a[i / 2].q[i % 2];
		size_t s = a[i / 2].server;
		j->got[s] += replied(x);
		j->lost[s] += !replied(x);
		j->cut[s] += !replied(x) && cut_short(x);
		if (!replied(x) && x->outcome == DNS_ERROR) {
			j->failed[s]++;
			snprintf(j->why[s], sizeof j->why[s], "%s", x->detail);
		}
		if (!replied(x) && x->elapsed_s > j->waited[s])
			j->waited[s] = x->elapsed_s;
	}
}

void dnsjudge_servers(struct dnsjudge *j, struct findings *w)
{
	const struct nsset *ns = j->ns;
	char t[16], what[64];

	for (size_t s = 0; s < ns->n; s++) {
		const struct nsset_server *v = &ns->v[s], *alt = NULL;
		for (size_t u = 0; u < ns->n && v->ns[0]; u++)
			alt = j->got[u] && !strcmp(ns->v[u].ns, v->ns)
				  ? &ns->v[u]
				  : alt;
		if (!(j->silent[s] = j->got[s] == 0 && j->lost[s] > 0))
			continue;
		secs(j->waited[s], t);
		if (j->failed[s] == j->lost[s]) {
			findings_add(w, STATE_CRITICAL, "ns_silent",
				     &(struct about){.name = v->label}, NULL,
				     "DNS server %s does not answer: %zu "
				     "queries failed (%s)",
				     v->label, j->lost[s], j->why[s]);
			continue;
		}
		if (j->cut[s] == j->lost[s]) {
			findings_add(w, j->timeout_state, "dns_timeout",
				     &(struct about){.name = v->label},
				     "DNS cut short by -t",
				     "DNS server %s: %zu queries without an "
				     "answer after %s s when -t ran out during "
				     "the DNS queries",
				     v->label, j->lost[s], t);
			continue;
		}
		snprintf(what, sizeof what, "silent over %s",
			 addr_family_name(v->family));
		if (alt)
			findings_add(w, STATE_CRITICAL, "ns_silent_family",
				     &(struct about){.name = v->ns,
						     .family = v->family,
						     .address = v->addr.name},
				     what,
				     "%s does not answer over %s (%s): %zu "
				     "queries unanswered in %s s, while it "
				     "answers over %s (%s)",
				     v->ns, addr_family_name(v->family),
				     v->addr.name, j->lost[s], t,
				     addr_family_name(alt->family),
				     alt->addr.name);
		else
			findings_add(
			    w, STATE_CRITICAL, "ns_silent",
			    &(struct about){.name = v->label}, NULL,
			    "DNS server %s does "
			    "not answer: %zu queries unanswered in %s s",
			    v->label, j->lost[s], t);
	}
	/* Every server asked, or the operator is told which were not. */
	if (ns->ns_total > ns->ns_asked || ns->addrs_total > ns->n)
		findings_add(w, STATE_WARNING, "ns_partial",
			     &(struct about){.name = ns->zone},
			     "not every name server asked",
			     "%s has %zu name servers: asked %zu addresses "
			     "of %zu of them (--authoritative asks at most %d "
			     "names, %d addresses)",
			     ns->zone, ns->ns_total, ns->n, ns->ns_asked,
			     NSSET_MAX_NS, NSSET_MAX);
	for (size_t q = 0; q < ns->nlookups; q++) {
		const struct dns_query *x = &ns->lookups[q];
		snprintf(what, sizeof what, "%s lookup of NS failed",
			 tname(q % 2));
		if (x->outcome != DNS_ANSWER && x->outcome != DNS_NODATA)
			findings_add(w, STATE_WARNING, "ns_lookup_failed",
				     &(struct about){.name = x->name}, what,
				     "%s query for name server %s: %s at the "
				     "system resolver; not asked over %s",
				     tname(q % 2), x->name,
				     dns_outcome_name(x->outcome),
				     q % 2 ? "IPv6" : "IPv4");
	}
}

/* One query's outcome at one server, in the operator's words. */
static void query(const struct dnsjudge *j, const char *name,
		  const struct nsset_answer *a, const char *srv, int k,
		  struct findings *w)
{
	const struct nsset_result *x = &a->q[k], *y = &a->q[!k];
	char what[64], t1[16], ad[ADDR_STRLEN], text[REPORT_ITEM_LEN];
	enum state st = range_state(&j->warn_s, &j->crit_s, x->elapsed_s);

	if (cut_short(x)) {
		findings_add(w, j->timeout_state, "dns_timeout",
			     &(struct about){.name = name},
			     "DNS cut short by -t",
			     "%s query for %s at %s: no answer after %s s "
			     "when -t ran out during the DNS queries",
			     tname(k), name, srv, secs(x->elapsed_s, t1));
	} else if (x->cname_loop) {
		/* One finding for the name at this server, not one a type. */
		if (k == 0 || !y->cname_loop)
			findings_add(w, STATE_CRITICAL, "cname_loop",
				     &(struct about){.name = name},
				     "CNAME loop",
				     "CNAME loop: the CNAME chain of %s at %s "
				     "comes back to a name already in it, so "
				     "it has no address",
				     name, srv);
	} else if (x->nfound > x->naddrs && x->outcome == DNS_ANSWER) {
		snprintf(what, sizeof what, "%s answer cut", tname(k));
		findings_add(w, STATE_WARNING, "answer_cut",
			     &(struct about){.name = name}, what,
			     "%s answer for %s from %s holds %zu records: "
			     "the first %zu were checked",
			     tname(k), name, srv, x->nfound, x->naddrs);
	} else if (x->outcome == DNS_NXDOMAIN && y->outcome == DNS_ANSWER) {
		snprintf(what, sizeof what, "NXDOMAIN for %s only", tname(k));
		findings_add(w, STATE_CRITICAL,
			     k ? "aaaa_nxdomain" : "a_nxdomain",
			     &(struct about){.name = name}, what,
			     "%s says %s does not exist when asked for "
			     "%s, yet answers %s %s: inconsistent server",
			     srv, name, tname(k), tname(!k),
			     addr_format((const struct sockaddr *)&y->addrs[0],
					 ad, sizeof ad));
	} else if (!replied(x) && replied(y)) {
		/* The same words and state in every plugin (README). */
		snprintf(what, sizeof what, "%s query unanswered", tname(k));
		dns_unanswered_text(k ? DNS_AAAA : DNS_A, name, x->elapsed_s,
				    y->elapsed_s, text, sizeof text);
		findings_add(w, STATE_CRITICAL,
			     dns_unanswered_code(k ? DNS_AAAA : DNS_A),
			     &(struct about){.name = name}, what, "%s (%s)",
			     text, srv);
	} else if (!replied(x) && k && !replied(y)) {
		findings_add(
		    w, STATE_CRITICAL, "dns_unanswered",
		    &(struct about){.name = name}, "no DNS answer",
		    "%s: A and AAAA queries %s after %s s at %s%s%s%s", name,
		    x->outcome == DNS_ERROR ? "failed" : "unanswered",
		    secs(x->elapsed_s, t1), srv, x->detail[0] ? " (" : "",
		    x->detail, x->detail[0] ? ")" : "");
	} else if (x->outcome == DNS_SERVFAIL || x->outcome == DNS_REFUSED ||
		   (x->outcome == DNS_ERROR && replied(x))) {
		snprintf(what, sizeof what, "%s %s", tname(k),
			 dns_outcome_name(x->outcome));
		findings_add(w, STATE_CRITICAL, k ? "aaaa_error" : "a_error",
			     &(struct about){.name = name}, what,
			     "%s query for %s: %s%s%s from %s in %s s",
			     tname(k), name, dns_outcome_name(x->outcome),
			     x->detail[0] ? " " : "", x->detail, srv,
			     secs(x->elapsed_s, t1));
	} else if (replied(x) && st != STATE_OK) {
		char lim[48];
		range_format(st == STATE_CRITICAL ? &j->crit_s : &j->warn_s,
			     lim, sizeof lim);
		snprintf(what, sizeof what, "slow %s answer", tname(k));
		findings_add(w, st, "dns_slow", &(struct about){.name = name},
			     what, "%s answer for %s took %s s at %s (-%c %s)",
			     tname(k), name, secs(x->elapsed_s, t1), srv,
			     st == STATE_CRITICAL ? 'c' : 'w', lim);
	}
}

static bool published(const struct nsset_answer *a, size_t n,
		      const struct sockaddr_storage *sa)
{
	socklen_t len = addr_len(sa->ss_family);

	for (size_t i = 0; i < n; i++)
		for (int k = 0; k < 2; k++)
			for (size_t m = 0; m < a[i].q[k].naddrs; m++)
				if (!memcmp(&a[i].q[k].addrs[m], sa, len))
					return true;
	return false;
}

/* -a: every expected address published (by every server that answered),
 * nothing else (check_dig -a, check_dns -a). */
static void expected(const struct dnsjudge *j, const char *name,
		     const struct nsset_answer *a, size_t n, struct findings *w)
{
	char ad[ADDR_STRLEN], what[96];

	for (size_t e = 0; a && e < j->nexpect; e++) {
		const struct sockaddr_storage *sa = &j->expect[e];
		int k = sa->ss_family == AF_INET6;
		bool asked = false;
		for (size_t i = 0; i < n; i++)
			asked |= a[i].q[k].outcome == DNS_ANSWER ||
				 a[i].q[k].outcome == DNS_NODATA ||
				 a[i].q[k].outcome == DNS_NXDOMAIN;
		if (!asked || published(a, n, sa))
			continue;
		addr_format((const struct sockaddr *)sa, ad, sizeof ad);
		snprintf(what, sizeof what, "%s %s missing", tname(k), ad);
		findings_add(w, STATE_CRITICAL, "address_missing",
			     &(struct about){.name = name,
					     .address = ad,
					     .family = sa->ss_family},
			     what, "%s %s for %s is not published (-a)",
			     tname(k), ad, name);
	}
	for (size_t i = 0; a && j->nexpect && i < n; i++)
		for (int k = 0; k < 2; k++)
			for (size_t m = 0; m < a[i].q[k].naddrs; m++) {
				const struct sockaddr_storage *sa =
				    &a[i].q[k].addrs[m];
				size_t e = 0;
				while (e < j->nexpect &&
				       memcmp(&j->expect[e], sa,
					      addr_len(sa->ss_family)))
					e++;
				if (e < j->nexpect)
					continue;
				addr_format((const struct sockaddr *)sa, ad,
					    sizeof ad);
				snprintf(what, sizeof what, "%s %s unexpected",
					 tname(k), ad);
				findings_add(
				    w, STATE_CRITICAL, "address_unexpected",
				    &(struct about){.name = name,
						    .address = ad,
						    .family = sa->ss_family},
				    what,
				    "%s %s for %s is published by %s but not "
				    "expected (-a)",
				    tname(k), ad, name,
				    j->ns->v[a[i].server].label);
			}
}

void dnsjudge_name(const struct dnsjudge *j, const char *name,
		   const struct nsset_answer *a, size_t n, struct findings *w)
{
	bool has[2] = {false, false}, nodata[2] = {false, false}, loop = false;
	bool all_replied = true;
	char t[2][16], text[REPORT_ITEM_LEN];

	if (!a && j->ns->zone[0])
		findings_add(w, STATE_UNKNOWN, "outside_zone",
			     &(struct about){.name = name}, NULL,
			     "%s: not asked, outside zone %s", name,
			     j->ns->zone);
	for (size_t i = 0; a && i < n; i++) {
		const char *srv = j->ns->v[a[i].server].label;
		all_replied &= !j->silent[a[i].server];
		if (j->silent[a[i].server])
			continue;
		if (a[i].q[0].outcome == DNS_NXDOMAIN &&
		    a[i].q[1].outcome == DNS_NXDOMAIN)
			findings_add(w, STATE_CRITICAL, "nxdomain",
				     &(struct about){.name = name}, "NXDOMAIN",
				     "NXDOMAIN: %s does not exist (%s)", name,
				     srv);
		for (int k = 0; k < 2; k++) {
			query(j, name, &a[i], srv, k, w);
			has[k] |= a[i].q[k].outcome == DNS_ANSWER;
			nodata[k] |= a[i].q[k].outcome == DNS_NODATA;
			loop |= a[i].q[k].cname_loop;
			all_replied &= replied(&a[i].q[k]);
		}
	}
	for (int k = 0; a && k < 2; k++)
		if (nsset_disagreement(j->ns, a, n, k, j->silent, text,
				       sizeof text))
			findings_add(w,
				     j->strict ? STATE_CRITICAL : STATE_WARNING,
				     k ? "aaaa_disagree" : "a_disagree",
				     &(struct about){.name = name},
				     k ? "servers disagree on AAAA"
				       : "servers disagree on A",
				     "%s", text);
	if (loop)
		; /* named as such above, not "no address" */
	else if (!has[0] && !has[1] && nodata[0] && nodata[1])
		findings_add(w, STATE_CRITICAL, "no_address",
			     &(struct about){.name = name}, "no address",
			     "%s has neither A nor AAAA records", name);
	else if (!has[1] && nodata[1])
		findings_add(w, j->require_aaaa ? STATE_CRITICAL : STATE_OK,
			     "no_aaaa", &(struct about){.name = name},
			     "no AAAA", "%s has no AAAA record%s", name,
			     j->require_aaaa ? " (--require-aaaa)" : "");
	expected(j, name, a, n, w);
	/* A failed query is never listed as OK: the time line only when
	 * every query of the name got a reply. */
	if (a && n && all_replied)
		findings_add(w, STATE_OK, "dns_time",
			     &(struct about){.name = name}, NULL,
			     "%s: A query %s s, AAAA query %s s (slowest of "
			     "%zu server%s)",
			     name, secs(dnsjudge_slowest(a, n, 0), t[0]),
			     secs(dnsjudge_slowest(a, n, 1), t[1]), n,
			     n == 1 ? "" : "s");
}

double dnsjudge_slowest(const struct nsset_answer *a, size_t n, int k)
{
	double worst = 0;

	for (size_t i = 0; i < n; i++)
		worst =
		    a[i].q[k].elapsed_s > worst ? a[i].q[k].elapsed_s : worst;
	return worst;
}
