#include "check_dualstack_http.d/verdict.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "addr.h"
#include "http.h"

/* One address: its long-output line, and its verdict. */
static struct webcheck_verdict judge_target(const struct dualstack_target *t,
					    const struct dualstack_target *ref,
					    const struct opts *op, time_t now,
					    char *line, size_t len)
{
	struct webcheck_verdict v = {.st = STATE_OK};
	char a[64], what[120], cert[300], diff[80];
	bool identity;

	webcheck_judge(&op->wc, &t->x, now, &v);
	if (t->lost[0] && t->lost_at_deadline)
		webcheck_add(&v, op->wc.timeout_state, "fetch_unfinished",
			     false, "%s", t->lost);
	else if (t->lost[0])
		webcheck_add(&v, STATE_CRITICAL, "fetch_failed", false, "%s",
			     t->lost);
	else if (op->wc.onredirect == WEBCHECK_FOLLOW && !t->x.fail &&
		 t->x.status >= 300 && t->x.status < 400)
		webcheck_add(&v, STATE_WARNING, "redirect_not_followed", false,
			     "redirect to %.120s not "
			     "followed: %d redirects already",
			     t->x.location, t->hops);
	if (ref && ref != t && t->x.tls.seen) {
		webcheck_cert_diff(&ref->x.tls, &t->x.tls, diff, sizeof diff,
				   &identity);
		if (diff[0])
			webcheck_add(
			    &v, identity ? STATE_CRITICAL : STATE_WARNING,
			    "cert_differs", false,
			    "certificate differs from the one at %s (%s)",
			    dualstack_addr(&ref->addr, a, sizeof a), diff);
	}
	webcheck_summary(&t->x, what, sizeof what);
	http_tls_text(&t->x.tls, cert, sizeof cert);
	/* the report caps each line; what does not fit is dropped */
	if (snprintf(line, len, "%s %s: %s%s%s%s%s",
		     addr_family_name(t->family),
		     dualstack_addr(&t->addr, a, sizeof a),
		     t->x.fail ? "" : what, !t->x.fail && v.all[0] ? "; " : "",
		     v.all, cert[0] ? "; certificate " : "", cert) < 0)
		line[0] = '\0';
	return v;
}

static double phase(double t)
{
	return t > 0 ? t : NAN;
}

static void perfdata(const struct dualstack_fetch *f,
		     const struct dualstack_family fam[2],
		     const struct opts *op, struct report *rep)
{
	static const char *const lbl[][6] = {
	    {"time_v4", "size_v4", "dns_v4", "connect_v4", "tls_v4",
	     "firstbyte_v4"},
	    {"time_v6", "size_v6", "dns_v6", "connect_v6", "tls_v6",
	     "firstbyte_v6"},
	};

	for (int k = 0; k < 2; k++)
		for (int i = 0; i < 2; i++) {
			if (!fam[i].in_play)
				continue;
			double v = k == 1 && fam[i].ok
				       ? (double)fam[i].ok->body_bytes
				       : NAN;
			/* time: the slowest address that answered */
			for (size_t j = 0; k == 0 && j < f->nt; j++)
				if (dualstack_index(f->t[j].family) == i &&
				    !f->t[j].x.fail &&
				    !(f->t[j].x.t_total <= v))
					v = f->t[j].x.t_total;
			/* no answer, no number: an unknown value is left out */
			if (!isnan(v))
				report_perf(
				    rep, &(struct perf){
					     lbl[i][k], v, k ? "B" : "s",
					     k ? NULL : op->wc.warn,
					     k ? NULL : op->wc.crit, 0, NAN});
		}
	double d;
	if (op->max_delta_ms >= 0 && dualstack_delta_s(f, &d))
		report_perf(rep,
			    &(struct perf){"delta_v6_v4", d, "s",
					   &op->delta_range, NULL, NAN, NAN});
	for (int i = 0; op->perf_phases && i < 2; i++) {
		if (!fam[i].in_play)
			continue;
		const struct dualstack_target *t = dualstack_first(f, i, false);
		const struct http_xfer *x = t ? &t->x : NULL;
		double ph[] = {f->q[i].elapsed_s, x ? phase(x->t_connect) : NAN,
			       x ? phase(x->t_tls) : NAN,
			       x ? phase(x->t_first_byte) : NAN};
		for (int k = 0; k < 4; k++)
			if (!isnan(ph[k]) && (k != 0 || f->asked[i]))
				report_perf(rep, &(struct perf){
						     lbl[i][2 + k], ph[k], "s",
						     NULL, NULL, 0, NAN});
	}
}

void dualstack_judge(const struct dualstack_fetch *f, const struct opts *op,
		     time_t now, struct report *rep)
{
	struct dualstack_family fam[2] = {{.v.st = STATE_OK},
					  {.v.st = STATE_OK}};
	const struct dualstack_target *ref =
	    op->no_compare || !(op->compare & CMP_CERT) ? NULL
							: dualstack_cert_ref(f);
	char line[REPORT_ITEM_LEN], sum[REPORT_SUMMARY_LEN];

	for (int i = 0; i < 2; i++)
		if (f->asked[i])
			fam[i].v = dualstack_dns_item(
			    f, i, i ? op->no_aaaa : op->no_a, rep);
	for (size_t k = 0; k < 2 * f->nt; k++) {
		const struct dualstack_target *t = &f->t[k % f->nt];
		struct dualstack_family *fa = &fam[dualstack_index(t->family)];
		if (dualstack_index(t->family) != (k >= f->nt))
			continue; /* IPv4 lines first, then IPv6 */
		struct webcheck_verdict v =
		    judge_target(t, ref, op, now, line, sizeof line);
		char where[64];
		report_add(
		    rep, v.st, v.code ? v.code : "fetch_ok",
		    &(struct about){.family = t->family,
				    .address = addr_format(
					(const struct sockaddr *)&t->addr,
					where, sizeof where),
				    .name = f->name},
		    "%s", line);
		fa->works |= v.st != STATE_CRITICAL;
		if (!fa->ok && !t->x.fail)
			fa->ok = &t->x;
		if (!fa->count++ ||
		    (v.st != fa->v.st && state_worst(fa->v.st, v.st) == v.st)) {
			fa->v = v;
			dualstack_addr(&t->addr, fa->where, sizeof fa->where);
		}
	}
	struct webcheck_verdict cmp = {.st = STATE_OK};
	if (!op->no_compare)
		cmp = dualstack_compare(f, op->compare & CMP_STATUS,
					op->compare & CMP_BODY, rep);
	struct webcheck_verdict dt = dualstack_delta(f, op->max_delta_ms, rep);
	for (int i = 0; i < 2; i++)
		fam[i].in_play = f->asked[i] || fam[i].count;
	perfdata(f, fam, op, rep);
	/* The headline as a finding of its own, for consumers of the json
	 * format: which family is broken, and whether the other works. */
	for (int i = 0; i < 2; i++) {
		if (!fam[i].in_play || fam[i].v.st != STATE_CRITICAL)
			continue;
		bool other_works = fam[!i].in_play && fam[!i].works &&
				   fam[!i].v.st != STATE_CRITICAL;
		report_add(
		    rep, STATE_CRITICAL, i ? "v6_broken" : "v4_broken",
		    &(struct about){.family = i ? AF_INET6 : AF_INET,
				    .name = f->name},
		    "%s broken%s%s%s", i ? "IPv6" : "IPv4",
		    other_works ? " while " : "",
		    other_works ? addr_family_name(i ? AF_INET : AF_INET6) : "",
		    other_works ? " works" : "");
	}
	dualstack_summary(fam, sum, sizeof sum);
	report_summary(rep, "%s: %s%s%s%s%s", f->name, sum, cmp.st ? "; " : "",
		       cmp.all, dt.st ? "; " : "", dt.all);
}
