#include "check_ospfv3_neighbors.d/verdict.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int expect_parse(const char *arg, struct expect *e, char *err, size_t errlen)
{
	char rid[32];
	const char *at = strchr(arg, '@');
	size_t len = at ? (size_t)(at - arg) : strlen(arg);

	*e = (struct expect){0};
	if (len >= sizeof rid) {
		snprintf(err, errlen, "'%s' is not ROUTER_ID[@IFACE]", arg);
		return -1;
	}
	memcpy(rid, arg, len);
	rid[len] = '\0';
	if (nbr_rid_parse(rid, &e->rid)) {
		snprintf(err, errlen,
			 "'%s': the router id must be a dotted quad such as "
			 "0.0.0.3",
			 arg);
		return -1;
	}
	if (at) {
		size_t il = strlen(at + 1);
		if (il == 0 || il >= sizeof e->iface ||
		    strpbrk(at + 1, " |@\t")) {
			snprintf(err, errlen,
				 "'%s': the interface after '@' must be a "
				 "name of 1 to %zu characters",
				 arg, sizeof e->iface - 1);
			return -1;
		}
		memcpy(e->iface, at + 1, il + 1);
	}
	return 0;
}

static struct finding *add(struct verdict *v, enum state st, const char *code,
			   uint32_t rid, const char *iface)
{
	static struct finding spare;
	struct finding *f = v->n < VERDICT_MAX ? &v->f[v->n++] : &spare;

	*f = (struct finding){.state = st, .code = code};
	nbr_rid_format(rid, f->rid);
	snprintf(f->iface, sizeof f->iface, "%s", iface ? iface : "");
	return f;
}

static void text(struct finding *f, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void text(struct finding *f, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(f->text, sizeof f->text, fmt, ap);
	va_end(ap);
}

/* What usually keeps an adjacency in this state (RFC 2328 10.1, 10.6). */
static const char *cause(enum nbr_state st)
{
	switch (st) {
	case NBR_DOWN:
		return "no hello within the dead interval";
	case NBR_ATTEMPT:
		return "no hello answered yet on this NBMA link";
	case NBR_INIT:
		return "its hellos arrive but do not list us: ours are lost or "
		       "rejected there (authentication, hello and dead "
		       "intervals, area, instance ID, a filter)";
	case NBR_2WAY:
		return "normal for two DROthers on a broadcast link "
		       "(--allow-2way), else a DR election problem";
	case NBR_EXSTART:
	case NBR_EXCHANGE:
		return "an interface MTU mismatch is the usual cause";
	case NBR_LOADING:
		return "its LSAs do not arrive: packet loss, MTU, or a "
		       "damaged database";
	case NBR_FULL:
	case NBR_UNKNOWN:
		break;
	}
	return "a state this plugin does not know";
}

static bool matches(const struct expect *e, const struct nbr *n)
{
	return e->rid == n->rid &&
	       (!e->iface[0] || !strcmp(e->iface, n->iface));
}

/* " on o-full" or "" */
static void on_iface(char *buf, size_t len, const char *iface)
{
	snprintf(buf, len, "%s%s", iface[0] ? " on " : "", iface);
}

static void judge_one(const struct nbr *n, const struct verdict_opts *o,
		      struct verdict *v)
{
	char rid[16], on[NBR_IFACE_LEN + 8], dur[24] = "", ford[32] = "";
	const char *word =
	    n->state == NBR_UNKNOWN ? n->state_word : nbr_state_name(n->state);
	struct finding *f;

	nbr_rid_format(n->rid, rid);
	on_iface(on, sizeof on, n->iface);
	if (n->state_s >= 0) {
		nbr_duration_format(n->state_s, dur, sizeof dur);
		snprintf(ford, sizeof ford, " for %s", dur);
	}
	if (n->state == NBR_FULL && o->min_uptime_s > 0 && n->state_s >= 0 &&
	    n->state_s < o->min_uptime_s) {
		f = add(v, STATE_WARNING, "neighbor_flapping", n->rid,
			n->iface);
		text(f, "%s%s Full for %s only: flapping? (--min-uptime %ld s)",
		     rid, on, dur, o->min_uptime_s);
	} else if (n->state == NBR_FULL) {
		f = add(v, STATE_OK, "neighbor_full", n->rid, n->iface);
		text(f, "%s%s Full%s", rid, on, ford);
	} else if (n->state == NBR_2WAY && o->allow_2way) {
		f = add(v, STATE_OK, "neighbor_2way", n->rid, n->iface);
		text(f, "%s%s 2-Way%s (DROther pair, --allow-2way)", rid, on,
		     ford);
	} else {
		f = add(v, STATE_CRITICAL, "neighbor_not_full", n->rid,
			n->iface);
		text(f, "%s%s stuck in %s%s: %s", rid, on, word, ford,
		     cause(n->state));
	}
}

static void judge_extra(const struct nbr *n, const struct verdict_opts *o,
			struct verdict *v)
{
	char rid[16], on[NBR_IFACE_LEN + 8];
	const char *word =
	    n->state == NBR_UNKNOWN ? n->state_word : nbr_state_name(n->state);
	struct finding *f;

	nbr_rid_format(n->rid, rid);
	on_iface(on, sizeof on, n->iface);
	if (o->strict) {
		f = add(v, STATE_WARNING, "neighbor_unexpected", n->rid,
			n->iface);
		text(f, "unexpected neighbor %s%s (%s)", rid, on, word);
	} else {
		f = add(v, STATE_OK, "neighbor_extra", n->rid, n->iface);
		text(f, "%s%s %s (not in the -n list)", rid, on, word);
	}
}

static void judge_missing(const struct nbr_list *l, const struct expect *e,
			  struct verdict *v)
{
	char rid[16], on[NBR_IFACE_LEN + 8], elsewhere[NBR_IFACE_LEN + 40] = "";
	struct finding *f;

	nbr_rid_format(e->rid, rid);
	on_iface(on, sizeof on, e->iface);
	for (size_t i = 0; i < l->n && e->iface[0]; i++)
		if (l->v[i].rid == e->rid) {
			snprintf(elsewhere, sizeof elsewhere,
				 " (seen on %s instead)",
				 l->v[i].iface[0] ? l->v[i].iface
						  : "another "
						    "link");
			break;
		}
	f = add(v, STATE_CRITICAL, "neighbor_missing", e->rid, e->iface);
	text(f,
	     "expected neighbor %s%s absent%s: no hello accepted; check "
	     "authentication (IPsec / auth trailer), hello and dead "
	     "intervals, area and instance ID",
	     rid, on, elsewhere);
}

void verdict_judge(const struct nbr_list *l, const struct verdict_opts *o,
		   struct verdict *v)
{
	bool expected[NBR_MAX] = {false};

	v->n = 0;
	v->neighbors = (long)l->n;
	v->full = v->missing = 0;
	for (size_t i = 0; i < o->nexp; i++) {
		bool found = false;
		for (size_t k = 0; k < l->n; k++)
			if (matches(&o->exp[i], &l->v[k])) {
				expected[k] = true;
				found = true;
			}
		if (!found) {
			judge_missing(l, &o->exp[i], v);
			v->missing++;
		}
	}
	for (size_t k = 0; k < l->n; k++) {
		if (l->v[k].state == NBR_FULL)
			v->full++;
		if (expected[k] || o->nexp == 0)
			judge_one(&l->v[k], o, v);
		else
			judge_extra(&l->v[k], o, v);
	}
	v->not_full = v->neighbors - v->full;
	if (o->min_full >= 0 && v->full < o->min_full) {
		struct finding *f =
		    add(v, STATE_CRITICAL, "full_too_few", 0, NULL);
		f->rid[0] = '\0';
		text(f, "%ld neighbor%s Full, at least %ld required%s", v->full,
		     v->full == 1 ? "" : "s", o->min_full,
		     l->n ? "" : " (no OSPFv3 neighbor at all)");
	}
	enum state st = range_state(o->warn, o->crit, (double)v->full);
	if (st != STATE_OK) {
		char rt[64];
		struct finding *f = add(v, st, "full_count", 0, NULL);
		f->rid[0] = '\0';
		range_format(st == STATE_CRITICAL ? o->crit : o->warn, rt,
			     sizeof rt);
		text(f, "%ld neighbor%s Full, outside the %s range %s", v->full,
		     v->full == 1 ? "" : "s",
		     st == STATE_CRITICAL ? "-c" : "-w", rt);
	}
	if (l->dropped) {
		struct finding *f =
		    add(v, STATE_WARNING, "neighbors_truncated", 0, NULL);
		f->rid[0] = '\0';
		text(f, "%s listed %zu neighbors more than the %d read",
		     o->source, l->dropped, NBR_MAX);
	}
}
