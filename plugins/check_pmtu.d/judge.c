#include "check_pmtu.d/judge.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "addr.h"

static void item(struct pmtu_verdict *v, enum state st, const char *code,
		 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void item(struct pmtu_verdict *v, enum state st, const char *code,
		 const char *fmt, ...)
{
	va_list ap;

	if (v->nitems == PMTU_MAX_ITEMS)
		return;
	struct pmtu_item *it = &v->items[v->nitems++];
	it->state = st;
	it->code = code;
	va_start(ap, fmt);
	vsnprintf(it->text, sizeof it->text, fmt, ap);
	va_end(ap);
}

static void phrase(struct pmtu_verdict *v, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void phrase(struct pmtu_verdict *v, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(v->phrase, sizeof v->phrase, fmt, ap);
	va_end(ap);
}

static const char *who(const struct sockaddr_storage *a, char *buf, size_t n)
{
	if (!a->ss_family)
		return "an unknown sender";
	return addr_format((const struct sockaddr *)a, buf, n);
}

/* How a size failed, in words. */
static const char *how(const struct pmtu_search *s, const struct pmtu_size *r,
		       char *buf, size_t n)
{
	char a[ADDR_STRLEN];

	if (!r) {
		snprintf(buf, n, "not probed");
	} else if (r->res == PMTU_TOO_BIG && r->local) {
		snprintf(buf, n, "larger than this host's interface MTU %u",
			 r->mtu);
	} else if (r->res == PMTU_TOO_BIG) {
		snprintf(buf, n, "%s from %s announcing %u",
			 s->family == AF_INET6 ? "Packet Too Big"
					       : "fragmentation needed",
			 who(&r->from, a, sizeof a), r->mtu);
	} else if (r->res == PMTU_LOST) {
		snprintf(buf, n, "lost without any error");
	} else if (r->res == PMTU_FAILED) {
		snprintf(buf, n, "%s", r->detail);
	} else {
		snprintf(buf, n, "not answered before the deadline");
	}
	return buf;
}

static const struct pmtu_ptb *valid_ptb(const struct pmtu_search *s)
{
	const struct pmtu_ptb *best = NULL;

	for (size_t i = 0; i < s->nptb; i++)
		if (!s->ptb[i].ignored && !s->ptb[i].local &&
		    (!best || s->ptb[i].mtu < best->mtu))
			best = &s->ptb[i];
	return best;
}

/* "104 ok, 1024 ok, 1025..1280 lost (18 sizes), 1500 too big" */
static void sizes_line(const struct pmtu_search *s, struct pmtu_verdict *v)
{
	static const char *const word[] = {"untried", "pending", "ok",
					   "too big", "lost",	 "failed"};
	const struct pmtu_size *sorted[PMTU_MAX_SIZES];
	char buf[PMTU_TEXT_LEN];
	size_t len, n = 0;

	for (size_t i = 0; i < s->n; i++) {
		size_t k = n++;
		while (k > 0 && sorted[k - 1]->size > s->sz[i].size) {
			sorted[k] = sorted[k - 1];
			k--;
		}
		sorted[k] = &s->sz[i];
	}
	len = (size_t)snprintf(buf, sizeof buf,
			       "%s sizes tried:", addr_family_name(s->family));
	for (size_t i = 0, j; i < n && len < sizeof buf; i = j) {
		for (j = i + 1; j < n && sorted[j]->res == sorted[i]->res; j++)
			;
		if (j - i == 1)
			len += (size_t)snprintf(buf + len, sizeof buf - len,
						"%s %u %s", i ? "," : "",
						sorted[i]->size,
						word[sorted[i]->res]);
		else
			len += (size_t)snprintf(buf + len, sizeof buf - len,
						"%s %u..%u %s (%zu sizes)",
						i ? "," : "", sorted[i]->size,
						sorted[j - 1]->size,
						word[sorted[i]->res], j - i);
	}
	item(v, STATE_OK, "sizes", "%s", buf);
}

static void judge_main(const struct pmtu_search *s,
		       const struct pmtu_judge_opts *o, struct pmtu_verdict *v)
{
	bool v6 = s->family == AF_INET6;
	const char *fam = addr_family_name(s->family);
	const char *ptbw = v6 ? "Packet Too Big" : "fragmentation needed";
	unsigned lo = pmtu_lo(s);
	const struct pmtu_size *hi = pmtu_hi(s);
	const struct pmtu_size *m1280 = pmtu_find(s, PMTU_V6_MIN);
	const struct pmtu_ptb *ptb = valid_ptb(s);
	char h[128], a[ADDR_STRLEN];

	if (lo == 0) {
		const struct pmtu_size *sm = pmtu_find(s, s->small);
		if (sm && sm->res != PMTU_LOST && sm->res != PMTU_INFLIGHT) {
			item(v, o->unreachable, "unreachable",
			     "%s %s unreachable: %s", fam, o->host,
			     how(s, sm, h, sizeof h));
			phrase(v, "%s unreachable", fam);
		} else if (o->incomplete && (!sm || sm->res == PMTU_INFLIGHT ||
					     sm->tries <= s->retries)) {
			/* The last wait for the small echo was cut by -t. */
			item(v, o->timeout_state, "no_answer",
			     "%s %s: no echo reply yet, not even to %u bytes, "
			     "when -t ran out during the path MTU search",
			     fam, o->host, s->small);
			phrase(v, "%s no echo reply before -t ran out", fam);
		} else {
			item(v, o->unreachable, "no_answer",
			     "%s %s does not answer: no echo reply, not even "
			     "to %u bytes",
			     fam, o->host, s->small);
			phrase(v, "%s no echo reply", fam);
		}
		return;
	}
	/* 1280 vanishes silently while 1024 passes: a "Large ICMP" filter
	 * (for IPv4 only provable when a router said larger packets fit). */
	if (m1280 && m1280->res == PMTU_LOST && m1280->tries > s->retries &&
	    lo >= PMTU_SCREEN_SIZE && lo < PMTU_V6_MIN &&
	    (v6 || (ptb && ptb->mtu >= PMTU_V6_MIN))) {
		item(v, STATE_CRITICAL, "icmp_screening",
		     "ICMP%s size screening: ICMP%s larger than %u bytes "
		     "dropped on the path to %s (1280-byte echo lost with no "
		     "%s)",
		     v6 ? "v6" : "", v6 ? "v6" : "", lo, o->host, ptbw);
		phrase(v, "%s ICMP larger than %u bytes screened", fam, lo);
		return;
	}
	const struct pmtu_size *mr = pmtu_find(s, s->min);
	if (lo < s->min && mr &&
	    (mr->res == PMTU_INFLIGHT ||
	     (mr->res == PMTU_LOST && mr->tries <= s->retries))) {
		item(v, o->timeout_state, "search_incomplete",
		     "%s path MTU to %s not settled when -t ran out during the "
		     "path MTU search: %u bytes pass, %u not answered yet",
		     fam, o->host, lo, s->min);
		phrase(v, "%s search cut by -t at %u bytes", fam, lo);
		return;
	}
	if (lo < s->min) {
		phrase(v, "%s %u bytes do not pass", fam, s->min);
		if (v6)
			item(v, STATE_CRITICAL, "ipv6_min_mtu_broken",
			     "IPv6 minimum MTU broken on the path to %s: "
			     "1280-byte packets do not pass (%s; largest "
			     "passing %u)",
			     o->host, how(s, mr, h, sizeof h), lo);
		else
			item(v, STATE_CRITICAL, "ipv4_min_size_broken",
			     "IPv4 packets of %u bytes do not pass to %s (%s; "
			     "largest passing %u)",
			     s->min, o->host, how(s, mr, h, sizeof h), lo);
		return;
	}
	enum state rs = range_state(o->warn, o->crit, lo);
	phrase(v, "%s path MTU %u", fam, lo);
	if (lo >= s->max) {
		item(v, rs, "path_mtu",
		     "%s path MTU %u to %s: the largest size passes (%s)", fam,
		     lo, o->host,
		     o->max_given	     ? "--max-size"
		     : lo >= PMTU_MAX_PACKET ? "the largest IP packet"
					     : "the outgoing interface's MTU");
		return;
	}
	if (!hi ||
	    (o->incomplete && hi->size > lo + 1 && hi->res != PMTU_LOST)) {
		item(v, o->timeout_state, "search_incomplete",
		     "%s path MTU to %s not settled when -t ran out during the "
		     "path MTU search: %u bytes pass, %s%s",
		     fam, o->host, lo,
		     hi ? "larger is " : "larger not answered yet",
		     hi ? how(s, hi, h, sizeof h) : "");
		phrase(v, "%s search cut by -t at %u bytes", fam, lo);
		return;
	}
	if (hi->res == PMTU_TOO_BIG) {
		if (hi->local)
			item(v, rs, "path_mtu",
			     "%s path MTU %u to %s (this host's interface "
			     "MTU)",
			     fam, lo, o->host);
		else
			item(v, rs, "path_mtu", "%s path MTU %u to %s (%s)",
			     fam, lo, o->host, how(s, hi, h, sizeof h));
		return;
	}
	if (hi->res == PMTU_FAILED) {
		item(v, STATE_CRITICAL, "size_rejected",
		     "%s packets larger than %u bytes to %s are rejected: %s",
		     fam, lo, o->host, hi->detail);
		phrase(v, "%s sizes above %u rejected", fam, lo);
		return;
	}
	if (hi->tries <= s->retries) {
		item(v, o->timeout_state, "search_incomplete",
		     "%s path MTU to %s not settled when -t ran out during the "
		     "path MTU search: %u bytes pass, %u were lost once and "
		     "not sent again yet",
		     fam, o->host, lo, hi->size);
		phrase(v, "%s search cut by -t at %u bytes", fam, lo);
		return;
	}
	char extra[160] = "";
	phrase(v, "%s PMTUD blackhole above %u bytes", fam, lo);
	if (ptb && ptb->mtu > lo)
		snprintf(extra, sizeof extra, "; a %s from %s announced %u",
			 ptbw, who(&ptb->from, a, sizeof a), ptb->mtu);
	else if (!v6 && lo == PMTU_SCREEN_SIZE)
		snprintf(extra, sizeof extra,
			 "; exactly 1024 bytes: possibly "
			 "ICMP size screening");
	if (o->incomplete && hi->size > lo + 1)
		item(v, STATE_CRITICAL, "pmtud_blackhole",
		     "PMTUD blackhole: packets of %u bytes are dropped and no "
		     "%s "
		     "comes back; %u bytes pass (%s to %s, search stopped at "
		     "the "
		     "deadline%s)",
		     hi->size, ptbw, lo, fam, o->host, extra);
	else
		item(
		    v, STATE_CRITICAL, "pmtud_blackhole",
		    "PMTUD blackhole: packets larger than %u bytes are dropped "
		    "and no %s comes back (%s to %s%s)",
		    lo, ptbw, fam, o->host, extra);
}

void pmtu_judge(const struct pmtu_search *s, const struct pmtu_judge_opts *o,
		struct pmtu_verdict *v)
{
	char a[ADDR_STRLEN];
	const char *fam = addr_family_name(s->family);

	memset(v, 0, sizeof *v);
	v->pmtu = pmtu_lo(s);
	judge_main(s, o, v);
	v->state = v->items[0].state;
	for (size_t i = 0; i < s->nptb; i++) {
		const struct pmtu_ptb *p = &s->ptb[i];
		if (p->local)
			item(v, STATE_OK, "local_mtu",
			     "%s: %u bytes do not fit this host's "
			     "interface MTU %u",
			     fam, p->size, p->mtu);
		else if (p->ignored)
			item(v, STATE_WARNING, "ptb_ignored",
			     "%s: ignored %s from %s announcing MTU %u for a "
			     "%u-byte probe (%s)",
			     fam,
			     s->family == AF_INET6 ? "Packet Too Big"
						   : "fragmentation needed",
			     who(&p->from, a, sizeof a), p->mtu, p->size,
			     pmtu_ptb_why(s->family, p->mtu, p->size));
		else
			item(v, STATE_OK, "ptb",
			     "%s: %s from %s: MTU %u (for a %u-byte "
			     "probe)",
			     fam,
			     s->family == AF_INET6 ? "Packet Too Big"
						   : "fragmentation needed",
			     who(&p->from, a, sizeof a), p->mtu, p->size);
		v->state = state_worst(v->state, v->items[v->nitems - 1].state);
	}
	sizes_line(s, v);
}

/* "1993 KB/s", "1 B/s" */
static const char *rate_words(double bps, char *b, size_t n)
{
	if (bps >= 1024)
		snprintf(b, n, "%.0f KB/s", bps / 1024);
	else
		snprintf(b, n, "%.0f B/s", bps);
	return b;
}

static const char *fetch_words(const struct pmtu_fetch *f, char *b, size_t n)
{
	char of[40] = "";

	if (f->total_bytes >= 0)
		snprintf(of, sizeof of, " of %lld", f->total_bytes);
	if (PMTU_FETCH_OK(f))
		snprintf(b, n, "%zu B in %.3f s", f->bytes, f->total_s);
	else if (f->end == FETCH_STALLED && !f->bytes)
		snprintf(b, n, "no byte within %.1f s of connecting",
			 (double)f->stall_ms / 1000);
	else if (f->end == FETCH_STALLED)
		snprintf(b, n, "stalled after %zu%s bytes", f->bytes, of);
	else if (f->end == FETCH_DEADLINE && f->bytes)
		snprintf(b, n, "%zu%s bytes so far", f->bytes, of);
	else
		snprintf(b, n, "%s", f->why);
	return b;
}

void pmtu_judge_tcp(const struct pmtu_tcp_opts *o, const struct pmtu_fetch *nf,
		    const struct pmtu_fetch *cf, struct pmtu_verdict *v)
{
	const char *fam = addr_family_name(o->family);
	const char *host = o->host;
	int clamp_mss = o->clamp_mss;
	char a[160], b[160];
	bool n_ok = PMTU_FETCH_OK(nf), c_ok = PMTU_FETCH_OK(cf);
	/* Only a fetch that went quiet for --stall has stalled; one cut by
	 * -t while bytes still came is slow, not stuck. */
	bool n_stalled = nf->end == FETCH_STALLED;
	bool cut = nf->cut || cf->cut;

	memset(v, 0, sizeof *v);
	fetch_words(nf, a, sizeof a);
	fetch_words(cf, b, sizeof b);
	if (n_stalled && (c_ok || cf->bytes > nf->bytes)) {
		item(v, STATE_CRITICAL, "pmtud_blackhole",
		     "PMTUD blackhole toward %s: %s does not reach "
		     "the server; with MSS %d the response arrives (%s; normal "
		     "MSS: %s; MSS %d: %s)",
		     host,
		     o->family == AF_INET6 ? "Packet Too Big"
					   : "fragmentation needed",
		     clamp_mss, fam, a, clamp_mss, b);
		phrase(v, "%s PMTUD blackhole (only MSS %d gets the response)",
		       fam, clamp_mss);
	} else if (n_ok && nf->adv_mss > 0 && nf->adv_mss <= clamp_mss) {
		item(v, STATE_OK, "mss_clamped_locally",
		     "%s %s: the response arrives (%s); a PMTUD blackhole "
		     "could not be tested: this host caches path MTU %d (MSS "
		     "%d, not above the clamped %d) until it expires",
		     fam, host, a, nf->pmtu, nf->adv_mss, clamp_mss);
		phrase(
		    v,
		    "%s response arrives, blackhole untested (cached MTU %d)",
		    fam, nf->pmtu);
	} else if (n_ok && c_ok) {
		item(v, STATE_OK, "fetch_complete",
		     "%s %s: both fetches complete: normal MSS %d: %s; MSS %d: "
		     "%s",
		     fam, host, nf->adv_mss, a, clamp_mss, b);
		phrase(v, "%s both fetches complete", fam);
	} else if ((nf->end == FETCH_DEADLINE && nf->bytes) ||
		   (n_ok && cf->end == FETCH_DEADLINE && cf->bytes)) {
		const struct pmtu_fetch *m = n_ok ? cf : nf;
		char r[32];
		item(v, o->timeout_state, "still_receiving",
		     "%s %s: still receiving at %s when -t ran out during the "
		     "%s fetch (normal MSS: %s; MSS %d: %s)",
		     fam, host, rate_words(pmtu_fetch_rate(m), r, sizeof r),
		     fam, a, clamp_mss, b);
		phrase(v, "%s still receiving when -t ran out", fam);
	} else if (!n_ok && !c_ok && nf->bytes && nf->bytes == cf->bytes &&
		   n_stalled) {
		item(
		    v, STATE_OK, "server_quiet",
		    "%s %s: both fetches got %zu B, then the server went quiet "
		    "without closing",
		    fam, host, nf->bytes);
		phrase(v, "%s server quiet after %zu B", fam, nf->bytes);
	} else if (n_ok) {
		item(v, cf->cut ? o->timeout_state : STATE_WARNING,
		     "clamped_fetch_failed",
		     "%s %s: the normal fetch completes (%s) but the one with "
		     "MSS %d failed: %s%s",
		     fam, host, a, clamp_mss, b,
		     cf->cut ? " (during the fetch)" : "");
		phrase(v, "%s fetch with MSS %d failed", fam, clamp_mss);
	} else {
		item(v, cut ? o->timeout_state : STATE_CRITICAL, "fetch_failed",
		     "%s %s: both fetches failed: normal MSS: %s; MSS %d: %s",
		     fam, host, a, clamp_mss, b);
		phrase(v, "%s both fetches failed%s", fam,
		       cut ? " before -t ran out" : "");
	}
	v->state = v->items[0].state;
	v->pmtu = 0;
	if (nf->first_line[0])
		item(v, STATE_OK, "response", "%s response: %s", fam,
		     nf->first_line);
	else if (cf->first_line[0])
		item(v, STATE_OK, "response", "%s response: %s", fam,
		     cf->first_line);
}
