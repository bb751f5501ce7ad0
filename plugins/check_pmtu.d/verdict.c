#include "check_pmtu.d/verdict.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "check_pmtu.d/judge.h"
#include "text.h"

/* What each DNS query gave, and the one-family faults: an AAAA (A) query
 * unanswered, NXDOMAIN or failing while the other answers. */
struct dns_verdict {
	enum state state;
	const char *code;
	char text[REPORT_ITEM_LEN];
	char phrase[64];
};

/* "0.00128", "9.8e-05" would be unreadable: "0.000098". */
static const char *secs(double s, char *b, size_t n)
{
	snprintf(b, n, s < 0.001 ? "%.6f" : s < 1 ? "%.4f" : "%.1f", s);
	return b;
}

static bool dns_judge(const struct dns_query *q, const struct dns_query *other,
		      bool cut, enum state timeout_state, struct dns_verdict *d)
{
	const char *t = dns_type_name(q->type),
		   *ot = dns_type_name(other->type);
	bool v6 = q->type == DNS_AAAA;
	char s1[24];

	memset(d, 0, sizeof *d);
	if (other->outcome != DNS_ANSWER || q->outcome == DNS_ANSWER ||
	    q->outcome == DNS_NODATA)
		return false;
	if (q->outcome == DNS_TIMEOUT || q->outcome == DNS_PENDING) {
		/* The words and code every plugin uses for this fault. */
		static const char cut_words[] =
		    " (-t ran out during resolving)";
		char text[REPORT_ITEM_LEN - sizeof cut_words];
		d->state = cut ? timeout_state : STATE_CRITICAL;
		d->code = dns_unanswered_code(q->type);
		dns_unanswered_text(q->type, q->name, q->elapsed_s,
				    other->elapsed_s, text, sizeof text);
		snprintf(d->text, sizeof d->text, "%s%s", text,
			 cut ? cut_words : "");
		snprintf(d->phrase, sizeof d->phrase, "%s query unanswered", t);
	} else if (q->outcome == DNS_NXDOMAIN) {
		d->state = STATE_CRITICAL;
		d->code = v6 ? "aaaa_nxdomain" : "a_nxdomain";
		snprintf(d->text, sizeof d->text,
			 "NXDOMAIN for %s %s while %s answers: the name "
			 "\"does not exist\" for %s clients",
			 t, q->name, ot, v6 ? "IPv6" : "IPv4");
		snprintf(d->phrase, sizeof d->phrase, "NXDOMAIN for %s only",
			 t);
	} else {
		d->state = STATE_CRITICAL;
		d->code = v6 ? "aaaa_error" : "a_error";
		snprintf(d->text, sizeof d->text,
			 "%s query for %s: %s%s%.60s in %s s while %s "
			 "answers",
			 t, q->name, dns_outcome_name(q->outcome),
			 q->detail[0] ? " " : "", q->detail,
			 secs(q->elapsed_s, s1, sizeof s1), ot);
		snprintf(d->phrase, sizeof d->phrase, "%s %s", t,
			 dns_outcome_name(q->outcome));
	}
	return true;
}

/* One part of the first line: a family's verdict or a DNS fault. */
struct part {
	enum state state;
	const char *phrase, *text;
};

/* The whole first line, "PMTU CRITICAL - " included, within
 * REPORT_FIRST_LINE_MAX: a detail in parentheses goes first (it is in the
 * long output), then whole phrases from the end. */
static void fit_first_line(char *buf, const char *label)
{
	size_t max =
	    REPORT_FIRST_LINE_MAX - strlen(label) - strlen(" CRITICAL - ");
	char *cut = NULL;

	if (strlen(buf) <= max)
		return;
	for (char *q = strstr(buf, " ("); q && (size_t)(q - buf) <= max;
	     q = strstr(q + 1, " ("))
		cut = q;
	if (cut && cut > buf)
		*cut = '\0';
	else
		text_cut(buf, max);
}

static void summary(struct report *r, const struct std_opts *std,
		    const char *label, struct part *p, size_t n)
{
	char buf[REPORT_ITEM_LEN];
	size_t len = 0;

	/* Worst first: the first line is what a pager shows. */
	for (size_t i = 1; i < n; i++)
		for (size_t k = i;
		     k > 0 &&
		     state_worst(p[k].state, p[k - 1].state) != p[k - 1].state;
		     k--) {
			struct part t = p[k];
			p[k] = p[k - 1];
			p[k - 1] = t;
		}
	buf[0] = '\0';
	if (n == 1) {
		snprintf(buf, sizeof buf, "%s", p[0].text);
	} else {
		if (!std->host.literal)
			len = (size_t)snprintf(buf, sizeof buf,
					       "%s: ", std->host.name);
		for (size_t i = 0; i < n && len < sizeof buf; i++)
			len += (size_t)snprintf(buf + len, sizeof buf - len,
						"%s%s", i ? "; " : "",
						p[i].phrase);
	}
	fit_first_line(buf, label);
	report_summary(r, "%s", buf);
}

void pmtu_report(const struct facts *fx, const struct opts *op,
		 const struct std_opts *std, const char *label,
		 struct report *r)
{
	struct pmtu_verdict v[2];
	struct dns_verdict dv[2];
	struct part parts[4];
	size_t np = 0;
	unsigned long sent = 0;
	/* IPv6 first, whichever answer came first: perfdata, long output
	 * and the first line keep one order. */
	const struct fam *fam[2];
	for (size_t i = 0, k = 0; i < 2 * fx->n; i++)
		if ((fx->fam[i % fx->n].family == AF_INET6) == (i < fx->n))
			fam[k++] = &fx->fam[i % fx->n];

	for (size_t i = 0; i < fx->n; i++) {
		const struct fam *f = fam[i];
		const char *sfx = f->family == AF_INET6 ? "" : "_v4";
		char l[32];
		if (op->mode == MODE_TCP) {
			struct pmtu_tcp_opts to = {.family = f->family,
						   .host = f->host,
						   .clamp_mss = f->clamped.mss,
						   .timeout_state =
						       std->timeout_state};
			pmtu_judge_tcp(&to, &f->normal, &f->clamped, &v[i]);
			const struct pmtu_fetch *two[2] = {&f->normal,
							   &f->clamped};
			const char *nm[2] = {"normal", "clamped"};
			for (int k = 0; k < 2; k++) {
				snprintf(l, sizeof l, "bytes_%s%s", nm[k], sfx);
				report_perf(
				    r, &PERF(l, (double)two[k]->bytes, "B"));
				snprintf(l, sizeof l, "time_%s%s", nm[k], sfx);
				report_perf(r, &PERF(l, two[k]->total_s, "s"));
			}
			continue;
		}
		struct pmtu_judge_opts jo = {.host = f->host,
					     .warn = &std->warn,
					     .crit = &std->crit,
					     .unreachable = op->unreachable,
					     .timeout_state =
						 std->timeout_state,
					     .incomplete = fx->incomplete,
					     .max_given = op->max_size != 0};
		pmtu_judge(&f->s, &jo, &v[i]);
		snprintf(l, sizeof l, "pmtu_v%d",
			 addr_family_number(f->family));
		struct perf p = {l,	     v[i].pmtu, "B", &std->warn,
				 &std->crit, 0,		NAN};
		if (v[i].pmtu)
			report_perf(r, &p);
		const struct pmtu_size *m = pmtu_find(&f->s, PMTU_V6_MIN);
		snprintf(l, sizeof l, "rtt_1280%s", sfx);
		if (m && m->res == PMTU_PASSED)
			report_perf(r, &PERF(l, m->rtt_s, "s"));
		sent += icmp_sent(f->sock);
	}
	if (op->mode == MODE_ICMP)
		report_perf(r, &PERF("probes", (double)sent, "c"));
	for (int i = 0; i < 2; i++) {
		const struct dns_query *q = &fx->q[i];
		struct about ab = {.name = q->name};
		char a[ADDR_STRLEN], t[24];
		if (!fx->asked[i])
			continue;
		if (dns_judge(q, &fx->q[!i], fx->dns_cut, std->timeout_state,
			      &dv[i])) {
			report_add(r, dv[i].state, dv[i].code, &ab, "%s",
				   dv[i].text);
			parts[np++] = (struct part){dv[i].state, dv[i].phrase,
						    dv[i].text};
		} else if (q->outcome == DNS_ANSWER) {
			report_add(
			    r, STATE_OK, "dns_answer", &ab,
			    "DNS %s %s: %s in %s s", dns_type_name(q->type),
			    q->name,
			    addr_format((const struct sockaddr *)&q->addrs[0],
					a, sizeof a),
			    secs(q->elapsed_s, t, sizeof t));
		} else {
			report_add(r, STATE_OK, "dns_answer", &ab,
				   "DNS %s %s: %s in %s s (%s not checked)",
				   dns_type_name(q->type), q->name,
				   dns_outcome_name(q->outcome),
				   secs(q->elapsed_s, t, sizeof t),
				   i == 0 ? "IPv6" : "IPv4");
		}
	}
	for (size_t i = 0; i < fx->n; i++) {
		char a[ADDR_STRLEN];
		const struct fam *f = fam[i];
		struct about ab = {
		    .family = f->family,
		    .address = addr_format((const struct sockaddr *)&f->dst, a,
					   sizeof a),
		    .name = std->host.literal ? NULL : std->host.name};
		for (size_t k = 0; k < v[i].nitems; k++)
			report_add(r, v[i].items[k].state, v[i].items[k].code,
				   &ab, "%s", v[i].items[k].text);
		parts[np++] =
		    (struct part){v[i].state, v[i].phrase, v[i].items[0].text};
		report_raise(r, v[i].state);
	}
	for (size_t i = 0; i < fx->n && op->mode == MODE_ICMP; i++) {
		const struct fam *f = fam[i];
		char c[120] = "";
		if (f->cached)
			snprintf(c, sizeof c,
				 "; the kernel's cached path MTU %u "
				 "was not used (PMTUDISC_PROBE)",
				 f->cached);
		report_add(r, STATE_OK, "probes",
			   &(struct about){.family = f->family},
			   "%s: %lu echo requests over a %s; "
			   "interface %s MTU %u%s",
			   addr_family_name(f->family), icmp_sent(f->sock),
			   icmp_kind_name(f->sock),
			   f->ifname[0] ? f->ifname : "?", f->iface_mtu, c);
	}
	summary(r, std, label, parts, np);
}
