#include "check_pmtu.d/echo.h"

#include <stdio.h>

#include "deadline.h"
#include "log.h"

/* A wait for the first echo reply of a family: long enough for a
 * satellite or intercontinental path (700 ms and more), bounded by -t. */
#define FIRST_WAIT_MS 3000
static long try_timeout_ms(const struct fam *f)
{
	if (f->fx->op->probe_timeout_ms)
		return f->fx->op->probe_timeout_ms;
	if (f->rtt_s <= 0)
		return FIRST_WAIT_MS;
	return (long)(f->rtt_s * 4000) + 100;
}

static void plan(struct fam *f);

static void probe_done(struct icmp_probe *p)
{
	struct attempt *a = p->arg;
	struct fam *f = a->f;
	struct facts *fx = f->fx;
	struct pmtu_size r = {.size = p->size,
			      .mtu = p->mtu,
			      .local = p->local,
			      .rtt_s = p->rtt_s,
			      .from = p->from};

	vlog(2, "%s %u bytes: %s\n", addr_family_name(f->family), p->size,
	     icmp_outcome_text(p, r.detail, sizeof r.detail));
	if (fx->stopping)
		return; /* stays in flight: not answered before the deadline */
	r.res = p->outcome == ICMP_REPLY     ? PMTU_PASSED
		: p->outcome == ICMP_TIMEOUT ? PMTU_LOST
		: icmp_is_too_big(p)	     ? PMTU_TOO_BIG
					     : PMTU_FAILED;
	if (r.res != PMTU_FAILED)
		r.detail[0] = '\0';
	if (p->outcome == ICMP_REPLY &&
	    (f->rtt_s <= 0 || p->rtt_s < f->rtt_s)) {
		f->rtt_s = p->rtt_s;
		/* This family's probes sent before its RTT was known need not
		 * wait FIRST_WAIT_MS; the other family keeps its own. */
		for (size_t i = 0; i < sizeof f->at / sizeof f->at[0]; i++)
			if (f->at[i].used)
				f->at[i].p.timeout_ms = try_timeout_ms(f);
	}
	a->used = false;
	pmtu_record(&f->s, &r, mono_now_s());
	plan(f);
}

static void plan(struct fam *f)
{
	unsigned sizes[PMTU_FANOUT + 6];
	double now = mono_now_s();
	/* The boundary's last try must be answered before the deadline. */
	f->s.confirm_by = now + deadline_remaining_ms() / 1000.0 - 0.05 -
			  try_timeout_ms(f) / 1000.0;
	size_t n = pmtu_plan(&f->s, now, sizes, sizeof sizes / sizeof sizes[0],
			     &f->wake_s);

	if (n == 0 && f->wake_s == 0 && !pmtu_inflight(&f->s) && !f->over) {
		f->over = true;
		vlog(1, "%s path MTU search to %s over: %u bytes pass\n",
		     addr_family_name(f->family), f->host, pmtu_lo(&f->s));
	}
	for (size_t i = 0; i < n; i++) {
		struct attempt *a = NULL;
		for (size_t k = 0; k < sizeof f->at / sizeof f->at[0]; k++)
			if (!f->at[k].used) {
				a = &f->at[k];
				break;
			}
		if (!a)
			break; /* cannot happen: rounds do not overlap */
		a->used = true;
		a->f = f;
		a->p = (struct icmp_probe){.dst = f->dst,
					   .size = sizes[i],
					   .timeout_ms = try_timeout_ms(f),
					   .done = probe_done,
					   .arg = a};
		deadline_step("the %s path MTU search (%u bytes to %s)",
			      addr_family_name(f->family), sizes[i], f->host);
		icmp_send(f->sock, &a->p);
	}
}

static long wake_next(void *arg)
{
	struct fam *f = arg;
	if (f->wake_s == 0)
		return -1;
	double left = f->wake_s - mono_now_s();
	return left <= 0 ? 0 : (long)(left * 1000 + 0.999);
}

static void wake_fire(void *arg)
{
	struct fam *f = arg;
	f->wake_s = 0;
	plan(f);
}

int pmtu_echo_begin(struct facts *fx, struct fam *f)
{
	if (icmp_attach(f->sock, &fx->loop) ||
	    loop_add_timer(&fx->loop, wake_next, wake_fire, f))
		return -1;
	plan(f);
	return 0;
}
