/* check_default_route_liveness: the default route is in the table AND it
 * forwards (CONTEXT.md section 5: on older CentOS a default route stayed in
 * the routing and forwarding tables while packets stopped going to it;
 * netstat, ip route and SNMP route checks all saw a perfect route).
 * Per family it reads the default routes and their interfaces through
 * rtnetlink (common/nl), probes the gateways and the targets beyond them
 * at once (ICMP echo, RFC 792 / RFC 4443; TCP connects to -p ports), then
 * reads the gateways' neighbor entries (RFC 4861 section 7.3 states; ARP
 * for IPv4) and asks the kernel which route carries each target
 * (RTM_GETROUTE; the policy rules replayed to name the rule that chose).
 * Privileges: unprivileged datagram ping sockets where
 * net.ipv4.ping_group_range allows, else raw sockets (cap_net_raw) opened
 * first in main(); every capability is dropped before options are read.
 * Netlink needs none.
 * States: no default route, a gateway that does not resolve, a gateway
 * that answers but forwards nothing, a target blackholed by a rule:
 * CRITICAL; a further default route dead, "default dev X" without a
 * gateway, a target routed around the default route: WARNING. Each family
 * is judged on its own. Logic: check_default_route_liveness.d/ (gather:
 * netlink to facts; verdict: the findings). */
#include <errno.h>
#include <linux/rtnetlink.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "check_default_route_liveness.d/facts.h"
#include "check_default_route_liveness.d/gather.h"
#include "check_default_route_liveness.d/verdict.h"
#include "deadline.h"
#include "dns.h"
#include "log.h"
#include "loop.h"
#include "nl.h"
#include "opt.h"
#include "priv.h"
#include "probe.h"
#include "report.h"

static struct opts {
	struct probe_ports ports;
	bool no_echo;
	long probe_timeout_ms;
} o;

/* clang-format off */
static const struct opt_def opts[] = {
	{ .sname = 'p', .lname = "port", .type = OPT_CUSTOM, .target = &o.ports,
	  .arg = "PORT[,PORT...]", .parse = probe_parse_ports,
	  .help = "Also connect to these TCP ports of every target "
		  "(repeatable). A connection or a reset both prove that "
		  "packets went through the gateway and came back." },
	{ .lname = "no-echo", .type = OPT_FLAG, .target = &o.no_echo,
	  .help = "Do not send ICMP echo requests to the targets (needs -p); "
		  "the gateways are still pinged." },
	{ .lname = "probe-timeout", .type = OPT_DURATION,
	  .target = &o.probe_timeout_ms, .arg = "SECONDS", .min = 100,
	  .max = 600000,
	  .help = "How long one probe waits for its answer (default 2, cut "
		  "to fit -t)." },
};

static const struct finding_doc findings[] = {
	{ "forwarding_ok", "OK", "a target beyond the default gateway answered" },
	{ "forwarding_untested", "OK", "the gateway was probed, but no target of the family leaves through it" },
	{ "default_route_standby", "OK", "a further default route whose gateway answers" },
	{ "default_route_missing", "CRITICAL", "no default route for the family (or only a blackhole/unreachable one)" },
	{ "gateway_unresolved", "CRITICAL", "the gateway in use does not answer neighbor discovery / ARP (neighbor FAILED or INCOMPLETE)" },
	{ "gateway_link_down", "CRITICAL", "the default route's interface is down or has no carrier, or the next hop is dead" },
	{ "route_not_forwarding", "CRITICAL", "the gateway resolves or answers, but no target beyond it answers: the stale-route case" },
	{ "target_misrouted", "WARNING or CRITICAL", "a target does not leave through the default route: CRITICAL when a rule or route blackholes it, WARNING when a more specific route carries it" },
	{ "target_slow", "WARNING or CRITICAL", "it forwards, but the best target round trip is outside -w / -c" },
	{ "default_route_dead", "WARNING", "a further default route (not the one in use) whose gateway is dead" },
	{ "default_route_no_gateway", "WARNING", "\"default dev X\" on a link that needs a gateway" },
	{ "target_unanswered", "WARNING", "one target does not answer while others of its family do" },
	{ "target_unresolved", "UNKNOWN", "a -H name without an address" },
	{ "netlink_error", "UNKNOWN", "the kernel's routing tables could not be read" },
	{ "dns_error", "UNKNOWN", "no resolver for -H names" },
	{ "probe_error", "UNKNOWN", "the probes could not start" },
	{ "privileges", "UNKNOWN", "capabilities could not be dropped" },
	{ "echo_unavailable", "UNKNOWN", "no ICMP echo socket (ping sockets closed and no cap_net_raw): only the neighbor entries and -p ports speak" },
};
/* clang-format on */

static int validate(const struct std_opts *std, char *err, size_t len)
{
	(void)std;
	if (o.no_echo && o.ports.n == 0) {
		snprintf(err, len,
			 "--no-echo needs -p PORT: else nothing "
			 "probes the targets");
		return -1;
	}
	if (!o.probe_timeout_ms)
		o.probe_timeout_ms = 2000;
	return 0;
}

static const struct plugin plugin = {
    .name = "check_default_route_liveness",
    .label = "DEFAULT_ROUTE",
    .purpose = "Proves that the default route forwards: a route in the "
	       "table whose gateway is dead or forwards nothing looks "
	       "perfect to every table reader.",
    .description =
	"For each family: the default routes (gateway, interface, metric, "
	"dead or linkdown flags), the gateway's neighbor entry and the "
	"interface state, read through rtnetlink. Then, all at once, ICMP "
	"echoes to each gateway and to each target (-H: something beyond "
	"the gateway, such as your resolver), and TCP connects to -p ports. "
	"After probing, the kernel is asked how it routes each target "
	"(and the gateways' neighbor entries are read): a target that "
	"leaves through a more specific route, or "
	"that a policy rule sends to a blackhole, is named with that rule "
	"and route, and proves nothing about the default route.\n\n"
	"Reading the verdict: \"does not answer neighbor discovery\" (ARP "
	"for IPv4): the gateway is gone from the link. \"present and the "
	"gateway answers, but nothing is forwarded\": the stale route, "
	"or a gateway that stopped routing. Each family is judged on its "
	"own; the first line names the worse one first.\n\n"
	"Without -H only the gateways are probed (forwarding_untested). "
	"Perfdata: rtt_gw_v4/v6 and rtt_target_v4/v6 in seconds, "
	"default_routes_v4/v6.",
    .usage = "[-H TARGET]... [-4|-6] [-p PORT] [--no-echo] [-w RANGE] "
	     "[-c RANGE]",
    .examples = "check_default_route_liveness -H 2001:db8::53 -H 192.0.2.53\n"
		"  both families' default routes, proven with your resolvers\n"
		"check_default_route_liveness -6 -H www.example.com -p 443\n"
		"  IPv6 alone, by echo and a TCP connect to port 443\n",
    .std = STD_HOST | STD_HOST_LIST | STD_FAMILY | STD_THRESHOLDS,
    .host_help = "A target beyond the gateway (repeatable): an address, or "
		 "a name whose A and AAAA are probed.",
    .warn_help = "Range on the best target round trip per family, in "
		 "seconds (e.g. 0.2): forwarding, but slowly (target_slow).",
    .crit_help = "Range on the best target round trip per family, in "
		 "seconds.",
    .opts = opts,
    .nopts = sizeof opts / sizeof opts[0],
    .findings = findings,
    .nfindings = sizeof findings / sizeof findings[0],
    .validate = validate,
};

static struct gw_family *fam_of(struct gw_facts *fx, int family)
{
	return &fx->fam[family == AF_INET6];
}

static void add_target(struct gw_facts *fx, const char *name,
		       const struct sockaddr_storage *sa)
{
	struct gw_family *f = fam_of(fx, sa->ss_family);
	if (!f->checked || f->ntarget >= GW_MAX_TARGETS)
		return;
	struct gw_target *t = &f->target[f->ntarget++];
	memset(t, 0, sizeof *t);
	t->sa = *sa;
	snprintf(t->name, sizeof t->name, "%s", name);
	addr_format((const struct sockaddr *)sa, t->addr, sizeof t->addr);
}

/* Literals as they are; names by A and AAAA at once. */
static void resolve(struct gw_facts *fx, const struct std_opts *std,
		    struct loop *l)
{
	static struct dns_query q[2 * GW_MAX_TARGETS];
	size_t nq = 0;
	char err[200];
	struct dns_ctx *c = NULL;

	for (size_t i = 0; i < std->nhosts; i++) {
		const struct host *h = &std->hosts[i];
		if (h->literal) {
			add_target(fx, h->name, &h->sa);
			continue;
		}
		if (!c) {
			struct dns_opts d = {.timeout_ms = 1500, .tries = 1};
			c = dns_new(l, NULL, &d, err, sizeof err);
			if (!c)
				report_die(plugin.label, STATE_UNKNOWN,
					   "dns_error", "%s", err);
		}
		for (int k = 0; k < 2 && nq < sizeof q / sizeof q[0]; k++) {
			if (!fx->fam[k].checked)
				continue;
			snprintf(q[nq].name, sizeof q[nq].name, "%s", h->name);
			q[nq].type = k ? DNS_AAAA : DNS_A;
			dns_submit(c, &q[nq++]);
		}
	}
	if (!c)
		return;
	deadline_step("resolving the targets");
	loop_run(l, dns_idle, c, deadline_remaining_ms() / 3);
	dns_finish(c);
	for (size_t i = 0; i < nq; i++) {
		struct gw_family *f =
		    fam_of(fx, q[i].type == DNS_AAAA ? AF_INET6 : AF_INET);
		if (q[i].naddrs)
			add_target(fx, q[i].name, &q[i].addrs[0]);
		else if (!f->unresolved[0])
			snprintf(f->unresolved, sizeof f->unresolved,
				 "%.200s (%s %s)", q[i].name,
				 dns_type_name(q[i].type),
				 dns_outcome_name(q[i].outcome));
	}
	dns_free(c);
}

static void nl_or_die(int rc, const char *err)
{
	if (rc)
		report_die(plugin.label, STATE_UNKNOWN, "netlink_error", "%s",
			   err);
}

/* The default routes of one family and their links, before the probes. */
static void read_defaults(struct nl *n, struct gw_family *f, struct nl_view *v)
{
	char err[200];

	memset(v, 0, sizeof *v);
	deadline_step("reading the %s routes", addr_family_name(f->family));
	nl_or_die(nl_dump(n, RTM_GETROUTE, f->family, v, err, sizeof err), err);
	for (size_t i = 0; i < v->nroute && v->nlink_keep < NL_MAX_KEEP; i++)
		if (v->route[i].oif)
			v->link_keep[v->nlink_keep++] = v->route[i].oif;
	if (v->nlink_keep)
		nl_or_die(
		    nl_dump(n, RTM_GETLINK, AF_UNSPEC, v, err, sizeof err),
		    err);
	gather_defaults(v, f);
}

/* After the probes: the kernel's route for each target, the rule that
 * chose it, and the gateways' neighbor entries. After, because IPv6 picks
 * among default routes by their gateways' reachability (RFC 4861 6.3.6):
 * the probes just refreshed it, so this is the route they took. And a
 * gateway that did not answer has now been asked, so its entry says so. */
static void read_outcome(struct nl *n, struct gw_family *f, struct nl_view *v)
{
	char err[200];

	memset(v, 0, sizeof *v);
	for (size_t i = 0; i < f->ntarget && i < NL_MAX_KEEP; i++)
		nl_ip_from_sockaddr(&v->route_keep[v->nroute_keep++],
				    &f->target[i].sa);
	for (size_t i = 0; i < f->nroute && i < NL_MAX_KEEP; i++)
		if (f->route[i].r.gw.family)
			v->neigh_keep[v->nneigh_keep++] = f->route[i].r.gw;
	deadline_step("reading the %s rules and neighbor entries",
		      addr_family_name(f->family));
	nl_or_die(nl_dump(n, RTM_GETROUTE, f->family, v, err, sizeof err), err);
	nl_or_die(nl_dump(n, RTM_GETRULE, f->family, v, err, sizeof err), err);
	nl_or_die(nl_dump(n, RTM_GETNEIGH, f->family, v, err, sizeof err), err);
	gather_neighbors(v, f);
	for (size_t i = 0; i < f->ntarget; i++) {
		struct gw_target *t = &f->target[i];
		deadline_step("asking the kernel for the route to %s", t->addr);
		t->lookup_ok =
		    nl_route_get(n, &t->sa, &t->route, &t->kernel_errno,
				 t->lookup_err, sizeof t->lookup_err) == 0;
		if (t->lookup_ok && t->route.oif)
			if_indextoname((unsigned)t->route.oif, t->ifname);
		gather_walk(v, t);
		vlog(1, "%s: route %s, rule %u\n", t->addr,
		     t->lookup_ok ? "found" : strerror(t->kernel_errno),
		     t->have_rule ? t->rule.priority : 0);
	}
	gather_mark_in_use(f);
}

static void start_probes(struct gw_family *f, struct probe_set *s,
			 const struct probe_echo *echo)
{
	int k = f->family == AF_INET6;
	bool can_echo = echo->sock[k] != NULL;

	if (!can_echo)
		snprintf(f->echo_err, sizeof f->echo_err, "%s", echo->err[k]);
	for (size_t i = 0; i < f->nroute && can_echo; i++) {
		struct gw_route *g = &f->route[i];
		if (!g->r.gw.family || g->r.type != RTN_UNICAST)
			continue;
		for (g->nechoes = 0; g->nechoes < GW_ECHOES; g->nechoes++) {
			struct probe *p = &g->echo[g->nechoes];
			nl_ip_to_sockaddr(&g->r.gw, g->r.oif, &p->sa);
			probe_echo(s, p);
		}
	}
	for (size_t i = 0; i < f->ntarget; i++) {
		struct gw_target *t = &f->target[i];
		for (t->nechoes = 0;
		     can_echo && !o.no_echo && t->nechoes < GW_ECHOES;
		     t->nechoes++) {
			t->echo[t->nechoes].sa = t->sa;
			probe_echo(s, &t->echo[t->nechoes]);
		}
		for (t->ntcp = 0; t->ntcp < o.ports.n; t->ntcp++) {
			struct probe *p = &t->tcp[t->ntcp];
			p->sa = t->sa;
			addr_set_port((struct sockaddr *)&p->sa,
				      (unsigned)o.ports.v[t->ntcp]);
			probe_tcp(s, p);
		}
	}
}

/* Gathers every fact; decides nothing. */
static void run(struct gw_facts *fx, const struct std_opts *std,
		struct probe_echo *echo)
{
	static struct nl_view v;
	static struct loop l;
	char err[200];

	fx->fam[0].family = AF_INET;
	fx->fam[1].family = AF_INET6;
	for (int k = 0; k < 2; k++)
		fx->fam[k].checked =
		    !std->family || std->family == fx->fam[k].family;
	loop_init(&l);
	resolve(fx, std, &l);
	struct nl *n = nl_open(err, sizeof err);
	nl_or_die(n ? 0 : -1, err);
	for (int k = 0; k < 2; k++)
		if (fx->fam[k].checked)
			read_defaults(n, &fx->fam[k], &v);

	/* Every probe ends in time for the neighbor read and the verdict. */
	long left = deadline_remaining_ms() - 300;
	struct probe_opts po = {.timeout_ms = o.probe_timeout_ms};
	if (po.timeout_ms > left)
		po.timeout_ms = left > 50 ? left : 50;
	struct probe_set *s = probe_new(&l, &po, err, sizeof err);
	if (!s || probe_use_echo(s, echo, err, sizeof err))
		report_die(plugin.label, STATE_UNKNOWN, "probe_error", "%s",
			   err);
	for (int k = 0; k < 2; k++)
		if (fx->fam[k].checked)
			start_probes(&fx->fam[k], s, echo);
	deadline_step("probing the gateways and targets");
	if (!loop_run(&l, probe_idle, s, left > 0 ? left + 50 : 0))
		probe_finish(s); /* what did not answer in time timed out */

	for (int k = 0; k < 2; k++)
		if (fx->fam[k].checked)
			read_outcome(n, &fx->fam[k], &v);
	nl_close(n);
}

static void judge(const struct gw_facts *fx, const struct std_opts *std,
		  struct report *r)
{
	const struct verdict_opts vo = {.warn = &std->warn, .crit = &std->crit};
	struct gw_verdict v[2];
	const char *sfx[2] = {"v4", "v6"};
	char l[32];
	int order[2] = {1, 0}, n = 0; /* IPv6 first when equally bad */

	for (int k = 1; k >= 0; k--) {
		const struct gw_family *f = &fx->fam[k];
		if (!f->checked)
			continue;
		verdict_family(f, &vo, r, &v[k]);
		snprintf(l, sizeof l, "rtt_gw_%s", sfx[k]);
		report_perf(r, &PERF(l, v[k].rtt_gw_s, "s"));
		snprintf(l, sizeof l, "rtt_target_%s", sfx[k]);
		report_perf(r, &(struct perf){l, v[k].rtt_target_s, "s",
					      &std->warn, &std->crit, 0, NAN});
		snprintf(l, sizeof l, "default_routes_%s", sfx[k]);
		struct perf p = PERF(l, (double)f->ndefault, "");
		p.min = 0;
		report_perf(r, &p);
		n++;
	}
	if (n == 1) {
		int k = fx->fam[1].checked;
		report_summary(r, "%s", v[k].headline);
		return;
	}
	if (state_worst(v[0].state, v[1].state) != v[1].state) {
		order[0] = 0;
		order[1] = 1;
	}
	const struct gw_verdict *a = &v[order[0]], *b = &v[order[1]];
	if (a->state == STATE_OK && b->state == STATE_OK && a->brief[0] &&
	    b->brief[0])
		report_summary(r, "%s; %s", a->brief, b->brief);
	else if (b->state == STATE_OK && b->forwards)
		report_summary(r, "%s while %s forwards", a->headline,
			       addr_family_name(fx->fam[order[1]].family));
	else
		report_summary(r, "%s; %s", a->headline, b->headline);
}

int main(int argc, char **argv)
{
	static struct gw_facts fx;
	static struct probe_echo echo;
	struct std_opts std;
	struct report r;
	char err[200];

	/* Open, drop, then think (STYLE habit 10). */
	probe_echo_open(&echo);
	if (priv_drop(err, sizeof err))
		report_die(plugin.label, STATE_UNKNOWN, "privileges", "%s",
			   err);
	opt_parse(&plugin, &std, argc, argv);
	run(&fx, &std, &echo);
	report_init(&r, plugin.label);
	judge(&fx, &std, &r);
	report_exit(&r);
}
