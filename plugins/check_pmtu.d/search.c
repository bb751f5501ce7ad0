#include "check_pmtu.d/search.h"

#include <string.h>

void pmtu_init(struct pmtu_search *s, int family, unsigned small, unsigned min,
	       unsigned max)
{
	memset(s, 0, sizeof *s);
	s->family = family;
	s->small = small;
	s->min = min;
	s->max = max;
	s->retries = 1;
}

const struct pmtu_size *pmtu_find(const struct pmtu_search *s, unsigned size)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->sz[i].size == size)
			return &s->sz[i];
	return NULL;
}

static struct pmtu_size *slot(struct pmtu_search *s, unsigned size)
{
	struct pmtu_size *r = (struct pmtu_size *)pmtu_find(s, size);

	if (r || s->n == PMTU_MAX_SIZES)
		return r;
	r = &s->sz[s->n++];
	memset(r, 0, sizeof *r);
	r->size = size;
	return r;
}

bool pmtu_inflight(const struct pmtu_search *s)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->sz[i].res == PMTU_INFLIGHT)
			return true;
	return false;
}

unsigned pmtu_lo(const struct pmtu_search *s)
{
	unsigned lo = 0;

	for (size_t i = 0; i < s->n; i++)
		if (s->sz[i].res == PMTU_PASSED && s->sz[i].size > lo)
			lo = s->sz[i].size;
	return lo;
}

static bool failed(enum pmtu_res r)
{
	return r == PMTU_TOO_BIG || r == PMTU_LOST || r == PMTU_FAILED;
}

const struct pmtu_size *pmtu_hi(const struct pmtu_search *s)
{
	unsigned lo = pmtu_lo(s);
	const struct pmtu_size *hi = NULL;

	for (size_t i = 0; i < s->n; i++)
		if (failed(s->sz[i].res) && s->sz[i].size > lo &&
		    (!hi || s->sz[i].size < hi->size))
			hi = &s->sz[i];
	return hi;
}

static size_t mark(struct pmtu_search *s, unsigned size, double now_s,
		   unsigned *out, size_t n, size_t cap)
{
	struct pmtu_size *r = slot(s, size);

	if (!r || n == cap || r->res == PMTU_INFLIGHT)
		return n;
	r->res = PMTU_INFLIGHT;
	r->tries++;
	r->sent_s = now_s;
	out[n] = size;
	return n + 1;
}

/* A Packet Too Big whose MTU passes: the path MTU is known. */
static bool told(const struct pmtu_search *s, unsigned lo)
{
	for (size_t i = 0; i < s->nptb; i++)
		if (!s->ptb[i].ignored && s->ptb[i].mtu == lo)
			return true;
	return false;
}

/* The largest announced MTU still between lo and hi, not yet probed. */
static unsigned hint(const struct pmtu_search *s, unsigned lo, unsigned hi)
{
	unsigned h = 0;

	for (size_t i = 0; i < s->nptb; i++) {
		unsigned m = s->ptb[i].mtu;
		const struct pmtu_size *r = pmtu_find(s, m);
		if (!s->ptb[i].ignored && m > lo && m < hi && m > h &&
		    (!r || r->res == PMTU_UNTRIED))
			h = m;
	}
	return h;
}

static size_t round0(struct pmtu_search *s, double now_s, unsigned *out,
		     size_t cap)
{
	unsigned want[] = {s->small, PMTU_SCREEN_SIZE, PMTU_V6_MIN, s->min,
			   s->max};
	size_t n = 0;

	s->started = true;
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		if (want[i] <= s->max && want[i] >= s->small)
			n = mark(s, want[i], now_s, out, n, cap);
	return n;
}

/* The sizes round 0 sends on purpose: a path MTU is most often exactly one
 * of them (1280: tunnels, the IPv6 minimum). */
static bool anchor(const struct pmtu_search *s, unsigned size)
{
	return size == PMTU_V6_MIN || size == PMTU_SCREEN_SIZE ||
	       size == s->min;
}

size_t pmtu_plan(struct pmtu_search *s, double now_s, unsigned *out, size_t cap,
		 double *wake_s)
{
	size_t n = 0;

	*wake_s = 0;
	if (!s->started)
		return round0(s, now_s, out, cap);
	if (pmtu_inflight(s))
		return 0; /* one round at a time */
	unsigned lo = pmtu_lo(s);
	const struct pmtu_size *hi = pmtu_hi(s);
	const struct pmtu_size *sm = pmtu_find(s, s->small);
	if (lo == 0 && sm && sm->res == PMTU_LOST && sm->tries <= s->retries)
		return mark(s, s->small, now_s, out, 0, cap); /* dead? */
	if (lo == 0 || lo >= s->max || told(s, lo))
		return 0;
	if (!hi)
		return mark(s, s->max, now_s, out, 0, cap);
	unsigned h = hint(s, lo, hi->size);
	if (h)
		return mark(s, h, now_s, out, 0, cap);
	/* Only hi, the smallest size lost above lo, decides the verdict: it
	 * alone is sent again, with the next round rather than in a round of
	 * its own. Its last try comes PMTU_CONFIRM_S after the first silent
	 * loss (rate limits), or at confirm_by when the deadline is nearer. */
	double due = s->first_loss_s + PMTU_CONFIRM_S;
	if (s->confirm_by > 0 && due > s->confirm_by)
		due = s->confirm_by;
	bool again = hi->res == PMTU_LOST && s->retries > 0 &&
		     (hi->tries <= s->retries || hi->sent_s < due);
	if (hi->size > lo + 1) {
		unsigned hs = hi->size, a = lo, k = PMTU_FANOUT;
		if (again)
			n = mark(s, hs, now_s, out, n, cap);
		if (anchor(s, lo) && !pmtu_find(s, lo + 1)) {
			n = mark(s, lo + 1, now_s, out, n, cap);
			a = lo + 1;
			k--;
		}
		for (unsigned i = 1; i <= k; i++) {
			unsigned sz =
			    a +
			    (unsigned)((double)(hs - a) * i / (k + 1) + 0.5);
			if (sz > a && sz < hs)
				n = mark(s, sz, now_s, out, n, cap);
		}
		return n;
	}
	if (!again)
		return 0;
	if (hi->tries >= s->retries && now_s < due) {
		*wake_s = due;
		return 0;
	}
	return mark(s, hi->size, now_s, out, 0, cap);
}

const char *pmtu_ptb_why(int family, unsigned mtu, unsigned size)
{
	if (mtu >= size)
		return "not smaller than the probe";
	if (family == AF_INET6 && mtu < PMTU_V6_MIN)
		return "below the IPv6 minimum 1280, RFC 8201 section 4";
	if (family == AF_INET && mtu < PMTU_V4_MIN)
		return "below 68, RFC 791";
	return NULL;
}

static void add_ptb(struct pmtu_search *s, const struct pmtu_size *r)
{
	for (size_t i = 0; i < s->nptb; i++)
		if (s->ptb[i].mtu == r->mtu && s->ptb[i].local == r->local &&
		    !memcmp(&s->ptb[i].from, &r->from, sizeof r->from))
			return;
	if (s->nptb == PMTU_MAX_PTB)
		return;
	struct pmtu_ptb *p = &s->ptb[s->nptb++];
	p->mtu = r->mtu;
	p->size = r->size;
	p->local = r->local;
	p->from = r->from;
	/* RFC 8201 section 4: a PTB below 1280 is not a reason to send
	 * smaller; nor is one that does not ask for anything smaller. */
	p->ignored = !r->local && pmtu_ptb_why(s->family, r->mtu, r->size);
}

void pmtu_record(struct pmtu_search *s, const struct pmtu_size *res,
		 double now_s)
{
	struct pmtu_size *r = slot(s, res->size);

	if (!r)
		return;
	unsigned tries = r->tries;
	double sent_s = r->sent_s;
	*r = *res;
	r->tries = tries ? tries : 1;
	r->sent_s = sent_s;
	r->confirmed = r->res == PMTU_LOST && r->tries > s->retries;
	/* MTU 0 is out of range like any other: reported, never a hint. */
	if (r->res == PMTU_TOO_BIG && (r->mtu || !r->local))
		add_ptb(s, r);
	if (r->res == PMTU_LOST && s->first_loss_s == 0)
		s->first_loss_s = now_s;
}
