#include "check_aaaa_consistency.d/verdict.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "addr.h"
#include "check_aaaa_consistency.d/dnsjudge.h"
#include "check_aaaa_consistency.d/findings.h"

/* ---- judge(): facts + opts -> items, states, perfdata; decides, does nothing
 */

static const char *tname(int k)
{
	return k ? "AAAA" : "A";
}
static int kind(const struct sockaddr_storage *sa)
{
	return sa->ss_family == AF_INET6;
}
static const char *txt(const struct sockaddr_storage *sa, char *buf)
{
	return addr_format((const struct sockaddr *)sa, buf, ADDR_STRLEN);
}

enum verdictless { KNOWN, UNKNOWABLE, CUT };

/* The first failed check of an address, or nchecks when all answered;
 * *unknown says whether that failure is no verdict: a probe that could
 * not be made, or one that -t cut before its own timeout (never run,
 * still out, or given up early: the timeout policy, README). */
static size_t failed(const struct target *t, size_t nchecks,
		     long probe_timeout_ms, enum verdictless *unknown)
{
	*unknown = KNOWN;
	for (size_t c = 0; t->probed && c < nchecks; c++) {
		const struct probe *p = t->probes[c];
		if (p->outcome == PROBE_ANSWERED)
			continue;
		if (p->outcome == PROBE_ERROR)
			*unknown = UNKNOWABLE;
		else if (p->outcome == PROBE_NOT_RUN ||
			 p->outcome == PROBE_PENDING ||
			 (p->outcome == PROBE_TIMEOUT &&
			  p->elapsed_s * 1000 < (double)probe_timeout_ms * 0.9))
			*unknown = CUT;
		return c;
	}
	return nchecks;
}

/* One published address: answers; stale (another address of the name
 * answers the same probe, preferably of the other family); or dead. */
static void judge_target(const struct name *n, const struct target *t,
			 size_t nchecks, const struct opts *op,
			 enum state dead_st, struct findings *w)
{
	char a[ADDR_STRLEN], wa[ADDR_STRLEN], why[200], one[100], what[100];
	const char *fam = tname(kind(&t->sa));
	const struct target *wit = NULL;
	enum verdictless unknown;
	size_t c = failed(t, nchecks, op->probe_timeout_ms, &unknown), pos = 0;

	txt(&t->sa, a);
	if (!t->probed) {
		findings_add(w, STATE_OK, "not_probed",
			     &(struct about){.name = n->name,
					     .address = a,
					     .family = t->sa.ss_family},
			     NULL, "%s %s %s: not probed (--families)", n->name,
			     fam, a);
		return;
	}
	for (size_t i = 0; c == nchecks && i < nchecks; i++)
		findings_cat(why, sizeof why, &pos, "%s%s", i ? ", " : "",
			     probe_describe(t->probes[i], one, sizeof one));
	if (c < nchecks)
		probe_describe(t->probes[c], why, sizeof why);
	snprintf(what, sizeof what, "%s %s not probed", fam, a);
	if (c == nchecks || unknown) {
		enum state st = unknown == CUT		? op->timeout_state
				: unknown == UNKNOWABLE ? STATE_UNKNOWN
							: STATE_OK;
		findings_add(
		    w, st, unknown ? "probe_unknown" : "address_ok",
		    &(struct about){.name = n->name,
				    .address = a,
				    .family = t->sa.ss_family},
		    what, "%s %s %s: %s%s", n->name, fam, a, why,
		    unknown == CUT ? " when -t ran out during the probes" : "");
		return;
	}
	for (size_t i = 0; i < n->naddrs; i++) {
		const struct target *u = &n->addrs[i];
		if (u != t && u->probed &&
		    u->probes[c]->outcome == PROBE_ANSWERED &&
		    (!wit || kind(&wit->sa) == kind(&t->sa)))
			wit = u;
	}
	snprintf(what, sizeof what, "%s %s %s", wit ? "stale" : "dead", fam, a);
	if (wit)
		findings_add(
		    w, dead_st,
		    t->sa.ss_family == AF_INET6 ? "stale_aaaa" : "stale_a",
		    &(struct about){.name = n->name,
				    .address = a,
				    .family = t->sa.ss_family},
		    what, "stale %s %s for %s: %s while %s %s answers", fam, a,
		    n->name, why, tname(kind(&wit->sa)), txt(&wit->sa, wa));
	else
		findings_add(w, dead_st,
			     t->sa.ss_family == AF_INET6 ? "dead_aaaa"
							 : "dead_a",
			     &(struct about){.name = n->name,
					     .address = a,
					     .family = t->sa.ss_family},
			     what,
			     "dead %s %s for %s: %s, and no other address of "
			     "the name answers",
			     fam, a, n->name, why);
}

void aaaa_judge(const struct facts *f, const struct opts *op, struct report *r)
{
	static const char *const label[3][2] = {
	    {"a_total", "aaaa_total"},
	    {"a_dead", "aaaa_dead"},
	    {"dns_time_a", "dns_time_aaaa"}};
	struct dnsjudge dj = {.ns = f->ns,
			      .timeout_ms = op->dns_timeout_ms,
			      .warn_s = op->warn_s,
			      .crit_s = op->crit_s,
			      .timeout_state = op->timeout_state,
			      .expect = op->expect.v,
			      .nexpect = op->expect.n,
			      .strict = op->strict,
			      .require_aaaa = op->require_aaaa};
	struct findings w = {0};
	enum verdictless unknown;
	size_t dead = 0, total[2] = {0, 0}, deads[2] = {0, 0}, pos = 0;
	char head[128];

	for (size_t i = 0; i < f->nnames; i++) {
		dnsjudge_tally(&dj, f->names[i].asks, f->names[i].nasks);
		for (size_t j = 0; j < f->names[i].naddrs; j++) {
			const struct target *t = &f->names[i].addrs[j];
			bool d = failed(t, f->nchecks, op->probe_timeout_ms,
					&unknown) < f->nchecks &&
				 !unknown;
			total[kind(&t->sa)]++;
			deads[kind(&t->sa)] += d;
			dead += d;
		}
	}
	enum state dead_st =
	    range_state(&op->dead_warn, &op->dead_crit, (double)dead);
	dnsjudge_servers(&dj, &w);
	for (int k = 0; k < 2; k++)
		if (f->icmp_err[k])
			findings_add(
			    &w, STATE_UNKNOWN, "icmp_impossible",
			    &(struct about){.family = k ? AF_INET6 : AF_INET},
			    "ICMP echo impossible",
			    "ICMP "
			    "echo over %s impossible: %s",
			    k ? "IPv6" : "IPv4", f->icmp_err[k]);
	for (size_t i = 0; i < f->nnames; i++) {
		dnsjudge_name(&dj, f->names[i].name, f->names[i].asks,
			      f->names[i].nasks, &w);
		for (size_t j = 0; j < f->names[i].naddrs; j++)
			judge_target(&f->names[i], &f->names[i].addrs[j],
				     f->nchecks, op, dead_st, &w);
	}
	findings_cat(head, sizeof head, &pos, "%zu name%s, %zu AAAA, %zu dead",
		     f->nnames, f->nnames == 1 ? "" : "s", total[1], deads[1]);
	if (deads[0])
		findings_cat(head, sizeof head, &pos, ", %zu A, %zu dead",
			     total[0], deads[0]);
	findings_report(&w, r, head, 3, f->nnames == 1);
	report_perf(r, &(struct perf){"names", (double)f->nnames, "", NULL,
				      NULL, 0, NAN});
	for (int k = 0; k < 4; k++)
		report_perf(
		    r, &(struct perf){label[k % 2][k / 2],
				      (double)(k % 2 ? deads : total)[k / 2],
				      "", NULL, NULL, 0, NAN});
	struct range rw = op->warn_s, rc = op->crit_s;
	for (int k = 0; k < 2 && f->nnames == 1 && f->names[0].nasks; k++) {
		double worst =
		    dnsjudge_slowest(f->names[0].asks, f->names[0].nasks, k);
		report_perf(r, &(struct perf){label[2][k], worst, "s", &rw, &rc,
					      0, NAN});
	}
	findings_free(&w);
}

/* ---- run(): asks, then probes; decides nothing */

/* What a DNS phase may use, leaving later_ms to the phases after it and
 * the probes their time: the names' queries get their whole
 * --dns-timeout even when finding the NS set took a little longer. */
