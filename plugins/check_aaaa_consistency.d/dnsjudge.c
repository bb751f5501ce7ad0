#include "check_aaaa_consistency.d/dnsjudge.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "num.h"

static const char *tname(int k)
{
	return k ? "AAAA" : "A";
}

static bool replied(const struct dns_query *q)
{
	return q->rcode >= 0;
}

/* A wait ended by the deadline before the query's own timeout. */
static bool cut_short(const struct dnsjudge *j, double waited_s)
{
	return waited_s * 1000 < (double)j->timeout_ms * 0.9;
}

/* Seconds to three significant digits, never with an exponent. */
static const char *secs(double s, char *buf)
{
	snprintf(buf, 16, "%.3g", s);
	num_format(strtod(buf, NULL), buf, 16);
	return buf;
}

void dnsjudge_tally(struct dnsjudge *j, const struct nsset_answer *a, size_t n)
{
	for (size_t i = 0; i < n * 2; i++) {
		const struct dns_query *x = &a[i / 2].q[i % 2];
		size_t s = a[i / 2].server;
		j->got[s] += replied(x);
		j->lost[s] += !replied(x);
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
		if (cut_short(j, j->waited[s])) {
			findings_add(w, STATE_UNKNOWN, "dns_timeout",
				     &(struct about){.name = v->label},
				     "DNS cut short by -t",
				     "DNS server %s: %zu queries without an "
				     "answer when -t ended the wait after %s s",
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
	const struct dns_query *x = &a->q[k], *y = &a->q[!k];
	char what[64], t1[16], t2[16], ad[ADDR_STRLEN];
	enum state st =
	    range_state(&j->warn_ms, &j->crit_ms, x->elapsed_s * 1000);

	if (x->outcome == DNS_TIMEOUT && cut_short(j, x->elapsed_s)) {
		findings_add(w, STATE_UNKNOWN, "dns_timeout",
			     &(struct about){.name = name},
			     "DNS cut short by -t",
			     "%s query for %s at %s: no answer when -t ended "
			     "the wait after %s s",
			     tname(k), name, srv, secs(x->elapsed_s, t1));
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
		snprintf(what, sizeof what, "%s query unanswered", tname(k));
		findings_add(
		    w, STATE_CRITICAL, k ? "aaaa_unanswered" : "a_unanswered",
		    &(struct about){.name = name}, what,
		    "%s query for %s unanswered after %s s at %s "
		    "while %s answered in %s s: clients asking for %s wait",
		    tname(k), name, secs(x->elapsed_s, t1), srv, tname(!k),
		    secs(y->elapsed_s, t2), tname(k));
	} else if (!replied(x) && k) {
		findings_add(w, STATE_CRITICAL, "dns_unanswered",
			     &(struct about){.name = name}, "no DNS answer",
			     "%s: A and AAAA queries "
			     "unanswered after %s s at %s",
			     name, secs(x->elapsed_s, t1), srv);
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
		range_format(st == STATE_CRITICAL ? &j->crit_ms : &j->warn_ms,
			     lim, sizeof lim);
		snprintf(what, sizeof what, "slow %s answer", tname(k));
		findings_add(w, st, "dns_slow", &(struct about){.name = name},
			     what,
			     "%s answer for %s took %.3g ms at %s (-%c %s)",
			     tname(k), name, x->elapsed_s * 1000, srv,
			     st == STATE_CRITICAL ? 'c' : 'w', lim);
	}
}

void dnsjudge_name(const struct dnsjudge *j, const char *name,
		   const struct nsset_answer *a, size_t n, struct findings *w)
{
	bool has[2] = {false, false}, nodata[2] = {false, false};
	char t[2][16], text[REPORT_ITEM_LEN];

	if (!a && j->ns->zone[0])
		findings_add(w, STATE_UNKNOWN, "outside_zone",
			     &(struct about){.name = name}, NULL,
			     "%s: not asked, outside zone %s", name,
			     j->ns->zone);
	for (size_t i = 0; a && i < n; i++) {
		const char *srv = j->ns->v[a[i].server].label;
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
	if (!has[0] && !has[1] && nodata[0] && nodata[1])
		findings_add(w, STATE_CRITICAL, "no_address",
			     &(struct about){.name = name}, "no address",
			     "%s has neither A nor AAAA records", name);
	else if (!has[1] && nodata[1])
		findings_add(w, j->require_aaaa ? STATE_CRITICAL : STATE_OK,
			     "no_aaaa", &(struct about){.name = name},
			     "no AAAA", "%s has no AAAA record%s", name,
			     j->require_aaaa ? " (--require-aaaa)" : "");
	if (a && n)
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
