/* verdict: one family judged (see verdict.h). The words follow what an
 * operator checks next: the neighbor entry, the interface, the gateway's
 * forwarding, the policy rules. */
#include "check_default_route_liveness.d/verdict.h"

#include <errno.h>
#include <linux/fib_rules.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <math.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "check_default_route_liveness.d/gather.h"

/* linux/if.h has it, but clashes with net/if.h. */
#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP 0x10000
#endif

static const char *fam_name(int family)
{
	return family == AF_INET6 ? "IPv6" : "IPv4";
}

static const char *nd_name(int family)
{
	return family == AF_INET6 ? "neighbor discovery" : "ARP";
}

/* "fe80::1 on eth0" */
static const char *gw_text(const struct gw_route *g, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];
	snprintf(buf, len, "%s on %s", nl_ip_format(&g->r.gw, a, sizeof a),
		 g->ifname[0] ? g->ifname : "?");
	return buf;
}

/* Milliseconds, three digits, never in exponent form. */
static const char *ms(double s, char *buf, size_t len)
{
	if (s < 0.1)
		snprintf(buf, len, "%.3g ms", s * 1000);
	else
		snprintf(buf, len, "%.0f ms", s * 1000);
	return buf;
}

static double best_rtt(const struct probe *p, size_t n)
{
	double best = NAN;
	for (size_t i = 0; i < n; i++)
		if (p[i].outcome == PROBE_ANSWERED &&
		    (isnan(best) || p[i].elapsed_s < best))
			best = p[i].elapsed_s;
	return best;
}

/* Answered or refused: either way a packet came back from beyond. */
static bool target_answered(const struct gw_target *t, double *rtt)
{
	*rtt = best_rtt(t->echo, t->nechoes);
	for (size_t i = 0; i < t->ntcp; i++)
		if ((t->tcp[i].outcome == PROBE_ANSWERED ||
		     t->tcp[i].outcome == PROBE_REFUSED) &&
		    (isnan(*rtt) || t->tcp[i].elapsed_s < *rtt))
			*rtt = t->tcp[i].elapsed_s;
	return !isnan(*rtt);
}

/* What the target's probes said, for the operator: the ICMP echo first. */
static void target_result(const struct gw_target *t, char *buf, size_t len)
{
	char d[200];
	const struct probe *p = t->nechoes ? &t->echo[0] : &t->tcp[0];

	for (size_t i = 0; i < t->nechoes; i++)
		if (t->echo[i].outcome == PROBE_ANSWERED ||
		    t->echo[i].outcome == PROBE_UNREACHABLE)
			p = &t->echo[i];
	snprintf(buf, len, "%s %s", t->addr, probe_describe(p, d, sizeof d));
	for (size_t i = 0; i < t->ntcp && t->nechoes; i++) {
		size_t used = strlen(buf);
		snprintf(buf + used, len - used, ", %s",
			 probe_describe(&t->tcp[i], d, sizeof d));
	}
}

static bool neigh_usable(const struct gw_route *g)
{
	return g->have_neigh &&
	       (g->neigh.state & (NUD_REACHABLE | NUD_STALE | NUD_DELAY |
				  NUD_PROBE | NUD_PERMANENT | NUD_NOARP));
}

enum gw_health verdict_health(const struct gw_route *g, char *why, size_t len)
{
	const char *ifn = g->ifname[0] ? g->ifname : "?";

	why[0] = '\0';
	if (g->r.type != RTN_UNICAST) {
		snprintf(why, len, "it is a %s route", nl_rtn_name(g->r.type));
		return GW_NOT_UNICAST;
	}
	if (g->have_link && !(g->link_flags & IFF_UP)) {
		snprintf(why, len, "interface %s is down", ifn);
		return GW_LINK_DOWN;
	}
	if ((g->have_link && !(g->link_flags & IFF_LOWER_UP)) ||
	    (g->r.flags & RTNH_F_LINKDOWN)) {
		snprintf(why, len, "interface %s has no carrier", ifn);
		return GW_LINK_DOWN;
	}
	if (g->r.flags & RTNH_F_DEAD) {
		snprintf(why, len, "the kernel marks the next hop dead");
		return GW_LINK_DOWN;
	}
	if (!g->r.gw.family) {
		if (g->link_flags & (IFF_POINTOPOINT | IFF_NOARP))
			return GW_DIRECT;
		snprintf(why, len,
			 "has no gateway: every destination must answer %s "
			 "itself",
			 nd_name(g->r.family));
		return GW_NO_GATEWAY;
	}
	double rtt = best_rtt(g->echo, g->nechoes);
	char m[32];
	if (!isnan(rtt)) {
		snprintf(why, len, "answers in %s", ms(rtt, m, sizeof m));
		return GW_ALIVE;
	}
	if (neigh_usable(g)) {
		snprintf(why, len, "resolves (neighbor %s) but answers no echo",
			 nl_nud_name(g->neigh.state));
		return GW_RESOLVES;
	}
	if (g->have_neigh) {
		snprintf(why, len, "does not answer %s (neighbor %s)",
			 nd_name(g->r.family), nl_nud_name(g->neigh.state));
		return GW_UNRESOLVED;
	}
	/* Our echoes made the kernel resolve it; an entry that is gone was
	 * dropped as FAILED (or never made: a full neighbor table). */
	snprintf(why, len,
		 "does not answer %s (no neighbor entry after the probes)",
		 nd_name(g->r.family));
	return GW_SILENT;
}

/* Adds a finding and keeps the first of the worst as the headline.
 * Returns true when it became the headline (the caller may then put a
 * shorter form there: two families' headlines share the first line). */
static bool add(struct report *r, struct gw_verdict *v, enum state st,
		const char *code, const struct about *ab, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static bool add(struct report *r, struct gw_verdict *v, enum state st,
		const char *code, const struct about *ab, const char *fmt, ...)
{
	char text[REPORT_ITEM_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	report_add(r, st, code, ab, "%s", text);
	if (!v->headline[0] ||
	    (st != v->state && state_worst(st, v->state) == st)) {
		v->state = st;
		snprintf(v->headline, sizeof v->headline, "%s", text);
		return true;
	}
	return false;
}

/* Where a target goes instead of the default route, in ip's words. */
static bool misrouted(const struct gw_family *f, const struct gw_target *t,
		      char *buf, size_t len, char *brief, size_t brief_len,
		      bool *fatal)
{
	char rule[200] = "", route[200], how[480];

	if (gather_route_of(f, t))
		return false;
	if (t->have_rule && t->rule.priority != 0 &&
	    !(t->rule.action == FR_ACT_TO_TBL &&
	      t->rule.table == RT_TABLE_MAIN))
		nl_rule_format(&t->rule, rule, sizeof rule);
	if (t->lookup_ok) {
		nl_route_format(&t->route, t->ifname, route, sizeof route);
		*fatal = t->route.type != RTN_UNICAST;
	} else if (t->have_walk) {
		nl_route_format(&t->walk, NULL, route, sizeof route);
		*fatal = true;
	} else if (t->have_rule) {
		snprintf(route, sizeof route, "the rule's %s",
			 nl_rule_action_name(t->rule.action));
		*fatal = true;
	} else {
		snprintf(route, sizeof route, "no route (%s)",
			 t->kernel_errno ? strerror(t->kernel_errno)
					 : t->lookup_err);
		*fatal = true;
	}
	if (rule[0])
		snprintf(how, sizeof how, "policy rule %s sends it to %s", rule,
			 route);
	else
		snprintf(how, sizeof how, "the kernel routes it by %s", route);
	snprintf(buf, len, "%s does not leave through the default route: %s",
		 t->addr, how);
	if (rule[0])
		snprintf(brief, brief_len, "%s: policy rule %u sends it to %s",
			 t->addr, t->rule.priority, route);
	else
		snprintf(brief, brief_len,
			 "%s: routed by %s, not the default "
			 "route",
			 t->addr, route);
	return true;
}

/* One family being judged. */
struct judging {
	const struct gw_family *f;
	const struct verdict_opts *o;
	struct report *r;
	struct gw_verdict *v;
	const char *fn;	    /* "IPv6" */
	size_t via_default; /* targets probed through a default route */
	size_t answered;    /* ... of which answered */
};

/* Where each target goes, and whether it answered. */
static void judge_targets(struct judging *j)
{
	const struct gw_family *f = j->f;
	char txt[640], brief[400];

	for (size_t i = 0; i < f->ntarget; i++) {
		const struct gw_target *t = &f->target[i];
		struct about at = {
		    .family = f->family, .address = t->addr, .name = t->name};
		bool fatal = false;
		double rtt;
		/* No route at all: the missing default route says it. */
		if (f->ndefault == 0 && !t->lookup_ok && !t->have_walk &&
		    !t->have_rule)
			continue;
		if (misrouted(f, t, txt, sizeof txt, brief, sizeof brief,
			      &fatal)) {
			if (add(j->r, j->v,
				fatal ? STATE_CRITICAL : STATE_WARNING,
				"target_misrouted", &at, "%s", txt))
				snprintf(j->v->headline, sizeof j->v->headline,
					 "%.*s", (int)sizeof j->v->headline - 1,
					 brief);
			continue;
		}
		if (t->nechoes == 0 && t->ntcp == 0)
			continue; /* nothing could be sent: echo_unavailable */
		j->via_default++;
		if (target_answered(t, &rtt)) {
			j->answered++;
			if (isnan(j->v->rtt_target_s) ||
			    rtt < j->v->rtt_target_s)
				j->v->rtt_target_s = rtt;
		}
	}
	j->v->forwards = j->answered > 0;
}

/* The default routes not in use: dead ones are a warning. */
static void judge_standby(struct judging *j, const struct gw_route *u)
{
	const struct gw_family *f = j->f;
	char why[200], gw[INET6_ADDRSTRLEN], rt[200];

	for (size_t i = 0; i < f->nroute; i++) {
		const struct gw_route *g = &f->route[i];
		enum gw_health h = verdict_health(g, why, sizeof why);
		struct about ga = {.family = f->family, .iface = g->ifname};
		if (g->r.gw.family)
			ga.router = nl_ip_format(&g->r.gw, gw, sizeof gw);
		double rtt = best_rtt(g->echo, g->nechoes);
		if (g->in_use && !isnan(rtt))
			j->v->rtt_gw_s = rtt;
		if (g == u)
			continue;
		nl_route_format(&g->r, g->ifname, rt, sizeof rt);
		if (h == GW_ALIVE || h == GW_RESOLVES || h == GW_DIRECT) {
			report_add(j->r, STATE_OK, "default_route_standby", &ga,
				   "%s %s (not in use): the gateway %s", j->fn,
				   rt, why);
			continue;
		}
		bool about_gw =
		    g->r.gw.family && h != GW_NO_GATEWAY && h != GW_LINK_DOWN;
		add(j->r, j->v, STATE_WARNING, "default_route_dead", &ga,
		    "%s %s is dead: %s%s", j->fn, rt,
		    about_gw ? "the gateway " : "", why);
	}
}

/* Targets through the default route that did not answer while others
 * did; returns the words of the first failure (what came back). */
static void judge_unanswered(struct judging *j, char *first, size_t len)
{
	char res[400];

	first[0] = '\0';
	for (size_t i = 0; i < j->f->ntarget; i++) {
		const struct gw_target *t = &j->f->target[i];
		double rtt;
		if (!gather_route_of(j->f, t) || (!t->nechoes && !t->ntcp) ||
		    target_answered(t, &rtt))
			continue;
		target_result(t, res, sizeof res);
		if (!first[0])
			snprintf(first, len, "%s", res);
		if (j->answered)
			add(j->r, j->v, STATE_WARNING, "target_unanswered",
			    &(struct about){.family = j->f->family,
					    .address = t->addr,
					    .name = t->name},
			    "%s does not answer while other %s targets do: %s",
			    t->addr, j->fn, res);
	}
}

/* Why forwarding is untested, when no probed target used the route. */
static const char *untested_why(const struct gw_family *f)
{
	if (!f->ntarget)
		return "no target of this family";
	if (f->echo_err[0])
		return "no probe could be sent";
	return "no target leaves through it";
}

/* The default route in use: the gateway, then forwarding. */
static void judge_in_use(struct judging *j, const struct gw_route *u)
{
	const struct gw_family *f = j->f;
	struct gw_verdict *v = j->v;
	struct report *r = j->r;
	const char *fn = j->fn;
	char why[200], gw[80], res[400], m[32], router[INET6_ADDRSTRLEN];
	enum gw_health h = verdict_health(u, why, sizeof why);
	struct about ua = {.family = f->family, .iface = u->ifname};

	if (u->r.gw.family)
		ua.router = nl_ip_format(&u->r.gw, router, sizeof router);
	gw_text(u, gw, sizeof gw);
	judge_unanswered(j, res, sizeof res);
	switch (h) {
	case GW_NOT_UNICAST:
		add(r, v, STATE_CRITICAL, "default_route_missing", &ua,
		    "%s default route is a %s route: nothing is forwarded", fn,
		    nl_rtn_name(u->r.type));
		return;
	case GW_LINK_DOWN:
		add(r, v, STATE_CRITICAL, "gateway_link_down", &ua,
		    "%s default route via %s is unusable: %s", fn, gw, why);
		return;
	case GW_UNRESOLVED:
	case GW_SILENT:
		if (!v->forwards) {
			add(r, v, STATE_CRITICAL, "gateway_unresolved", &ua,
			    "default gateway %s %s", gw, why);
			return;
		}
		break;
	case GW_NO_GATEWAY:
		add(r, v, STATE_WARNING, "default_route_no_gateway", &ua,
		    "%s default route dev %s %s", fn, u->ifname, why);
		break;
	default:
		break;
	}
	if (j->via_default == 0) {
		add(r, v, STATE_OK, "forwarding_untested", &ua,
		    "%s default route via %s: gateway %s; forwarding not "
		    "tested (%s)",
		    fn, gw, why, untested_why(f));
		return;
	}
	if (v->forwards) {
		enum state slow =
		    range_state(j->o->warn, j->o->crit, v->rtt_target_s);
		if (slow != STATE_OK)
			add(r, v, slow, "target_slow", &ua,
			    "%s default route via %s forwards, slowly: the "
			    "best target answers in %s",
			    fn, gw, ms(v->rtt_target_s, m, sizeof m));
		snprintf(v->brief, sizeof v->brief, "%s forwards via %s", fn,
			 gw);
		add(r, v, STATE_OK, "forwarding_ok", &ua,
		    "%s default route via %s forwards: %zu of %zu targets "
		    "answer (best %s); gateway %s",
		    fn, gw, j->answered, j->via_default,
		    ms(v->rtt_target_s, m, sizeof m), why);
		return;
	}
	if (h == GW_ALIVE) {
		bool no_router_flag = f->family == AF_INET6 && u->have_neigh &&
				      !(u->neigh.flags & NTF_ROUTER);
		if (add(r, v, STATE_CRITICAL, "route_not_forwarding", &ua,
			"default route via %s present and the gateway "
			"answers, but nothing is forwarded (%s)%s",
			gw, res,
			no_router_flag
			    ? "; its neighbor entry lacks the router flag"
			    : ""))
			snprintf(v->headline, sizeof v->headline,
				 "default route via %s present and the "
				 "gateway answers, but nothing is forwarded",
				 gw);
		return;
	}
	if (h == GW_NO_GATEWAY || h == GW_DIRECT) {
		add(r, v, STATE_CRITICAL, "route_not_forwarding", &ua,
		    "%s default route dev %s present, but nothing answers "
		    "through it (%s)",
		    fn, u->ifname, res);
		return;
	}
	add(r, v, STATE_CRITICAL, "route_not_forwarding", &ua,
	    "default route via %s present, the gateway %s, and nothing is "
	    "forwarded (%s)",
	    gw, why, res);
}

void verdict_family(const struct gw_family *f, const struct verdict_opts *o,
		    struct report *r, struct gw_verdict *v)
{
	struct judging j = {
	    .f = f, .o = o, .r = r, .v = v, .fn = fam_name(f->family)};
	struct about ab = {.family = f->family};
	const struct gw_route *u = NULL;

	memset(v, 0, sizeof *v);
	v->state = STATE_OK;
	v->rtt_gw_s = v->rtt_target_s = NAN;
	if (f->echo_err[0])
		add(r, v, STATE_UNKNOWN, "echo_unavailable", &ab, "%s: %s",
		    j.fn, f->echo_err);
	if (f->unresolved[0])
		add(r, v, STATE_UNKNOWN, "target_unresolved", &ab,
		    "no %s address for %s", j.fn, f->unresolved);
	if (f->ndefault == 0)
		add(r, v, STATE_CRITICAL, "default_route_missing", &ab,
		    "%s default route missing", j.fn);
	judge_targets(&j);
	for (size_t i = 0; i < f->nroute && !u; i++)
		if (f->route[i].in_use)
			u = &f->route[i];
	judge_standby(&j, u);
	if (u)
		judge_in_use(&j, u);
}
