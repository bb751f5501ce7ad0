/* Unit tests of check_default_route_liveness's pure parts: common/nl's
 * parser on rtnetlink dumps captured in the lab (t/data/default_route_
 * liveness/, good and hostile), the policy lookup replayed on them, the
 * gathering of facts, and the verdicts on facts built by hand. */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/fib_rules.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <math.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_default_route_liveness.d/gather.h"
#include "check_default_route_liveness.d/verdict.h"
#include "nl.h"
#include "report.h"
#include "tap.h"

#define DATA "t/data/default_route_liveness/"
#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP 0x10000
#endif

/* Paragraphs of hex, '#' comments: one receive buffer each. */
static size_t load(const char *name, unsigned char bufs[][65536], size_t *lens,
		   size_t max)
{
	char path[256], line[512];
	size_t n = 0;
	snprintf(path, sizeof path, DATA "%s", name);
	FILE *f = fopen(path, "r");
	if (!f) {
		printf("# cannot open %s\n", path);
		return 0;
	}
	lens[0] = 0;
	while (fgets(line, sizeof line, f)) {
		if (line[0] == '#')
			continue;
		if (line[0] == '\n') {
			if (n < max && lens[n])
				lens[++n < max ? n : max - 1] = 0;
			continue;
		}
		for (char *p = line; p[0] && p[1] && p[0] != '\n'; p += 2) {
			unsigned v;
			if (n >= max || sscanf(p, "%2x", &v) != 1 ||
			    lens[n] >= 65536)
				break;
			bufs[n][lens[n]++] = (unsigned char)v;
		}
	}
	fclose(f);
	if (n < max && lens[n])
		n++;
	return n;
}

static unsigned char bufs[8][65536];
static size_t lens[8];

/* Feeds a fixture to v; returns the last result. */
static int feed(struct nl_view *v, const char *name, int *kerr)
{
	size_t n = load(name, bufs, lens, 8);
	int r = NL_ERROR;
	*kerr = 0;
	for (size_t i = 0; i < n; i++) {
		r = nl_parse(v, bufs[i], lens[i], 0, 0, kerr);
		if (r != NL_MORE)
			break;
	}
	return r;
}

static struct nl_ip ip(const char *text)
{
	struct nl_ip a = {0};
	a.family = strchr(text, ':') ? AF_INET6 : AF_INET;
	inet_pton(a.family, text, &a.v6);
	return a;
}

static const char *fmt(const struct nl_ip *a)
{
	static char b[4][64];
	static int k;
	k = (k + 1) % 4;
	return nl_ip_format(a, b[k], sizeof b[k]);
}

static struct nl_view v;

static void test_routes(void)
{
	int kerr;
	char t[200];

	memset(&v, 0, sizeof v);
	is_int(feed(&v, "routes4.hex", &kerr), NL_DONE, "routes4: a dump");
	is_int(v.nroute, 1, "routes4: only the default route kept");
	is_str(fmt(&v.route[0].gw), "198.51.100.241", "routes4: gateway");
	is_int(v.route[0].table, RT_TABLE_MAIN, "routes4: main table");
	is_int(v.malformed, 0, "routes4: nothing malformed");

	memset(&v, 0, sizeof v);
	v.route_keep[v.nroute_keep++] = ip("2001:db8:47::5");
	feed(&v, "routes6.hex", &kerr);
	is_int(v.nroute, 2, "routes6: the default and the covering /64");
	const struct nl_route *d =
	    v.route[0].dst_len ? &v.route[1] : &v.route[0];
	is_str(fmt(&d->gw), "fe80::1", "routes6: gateway fe80::1");
	is_int(d->metric, 1024, "routes6: metric 1024");
	ok(d->oif > 0, "routes6: an output interface");

	memset(&v, 0, sizeof v);
	feed(&v, "routes4-faults.hex", &kerr);
	size_t mainn = 0, mp = 0, bh = 0;
	for (size_t i = 0; i < v.nroute; i++) {
		const struct nl_route *r = &v.route[i];
		mainn += r->table == RT_TABLE_MAIN;
		mp += r->table == 200 && r->nexthop > 0;
		if (r->table == 100 && r->type == RTN_BLACKHOLE)
			bh++;
		if (r->table == RT_TABLE_MAIN && r->metric == 200)
			is_str(nl_route_format(r, "eth0", t, sizeof t),
			       "default via 198.51.100.246 dev eth0 metric 200",
			       "routes4-faults: the dead second route in ip's "
			       "words");
	}
	is_int(mainn, 2, "routes4-faults: two default routes in main");
	is_int(mp, 2, "routes4-faults: a multipath route, two next hops");
	is_int(bh, 1, "routes4-faults: the blackhole default of table 100");

	memset(&v, 0, sizeof v);
	feed(&v, "routes6-faults.hex", &kerr);
	mp = 0;
	for (size_t i = 0; i < v.nroute; i++) {
		if (v.route[i].table != 200 || v.route[i].nexthop != 2)
			continue;
		is_str(fmt(&v.route[i].gw), "fe80::99",
		       "routes6-faults: second next hop's gateway");
		mp++;
	}
	is_int(mp, 1, "routes6-faults: IPv6 multipath parsed");
}

static void test_lookup(void)
{
	int kerr;
	const struct nl_rule *rule;
	char t[200];

	memset(&v, 0, sizeof v);
	v.route_keep[v.nroute_keep++] = ip("203.0.113.250");
	feed(&v, "routes4-faults.hex", &kerr);
	is_int(feed(&v, "rules4-blackhole.hex", &kerr), NL_DONE,
	       "rules4: a dump");
	is_int(v.nrule, 4, "rules4: local, 100, main, default");
	struct nl_ip dst = ip("203.0.113.250");
	const struct nl_route *r = nl_view_lookup(&v, &dst, &rule);
	ok(r && r->type == RTN_BLACKHOLE && r->table == 100,
	   "lookup: the target hits table 100's blackhole");
	ok(rule && rule->priority == 100, "lookup: by rule 100");
	if (rule)
		is_str(nl_rule_format(rule, t, sizeof t),
		       "100: from all to 203.0.113.250/32 lookup 100",
		       "lookup: the rule in ip-rule words");
	dst = ip("203.0.113.251");
	r = nl_view_lookup(&v, &dst, &rule);
	ok(r && r->table == RT_TABLE_MAIN && r->metric == 0,
	   "lookup: another address takes main's best default");
	ok(rule && rule->priority == 32766, "lookup: by the main rule");

	memset(&v, 0, sizeof v);
	v.route_keep[v.nroute_keep++] = ip("2001:db8:48::10");
	feed(&v, "routes6-faults.hex", &kerr);
	feed(&v, "rules6-blackhole.hex", &kerr);
	dst = ip("2001:db8:48::10");
	r = nl_view_lookup(&v, &dst, &rule);
	ok(r && r->type == RTN_BLACKHOLE && rule && rule->priority == 100,
	   "lookup6: blackhole by rule 100");

	/* A rule with a mark or a source this host's packets lack does not
	 * match; an inverted one matches everything else. */
	for (size_t i = 0; i < v.nrule; i++)
		if (v.rule[i].priority == 100) {
			v.rule[i].has_fwmark = true;
			v.rule[i].fwmark = 7;
		}
	r = nl_view_lookup(&v, &dst, &rule);
	ok(r && r->table == RT_TABLE_MAIN, "lookup6: fwmark rule skipped");

	memset(&v, 0, sizeof v);
	is_int(feed(&v, "get4.hex", &kerr), NL_DONE, "get4: answer and ack");
	ok(v.nroute == 1 && v.route[0].dst_len == 0 &&
	       v.route[0].table == RT_TABLE_MAIN,
	   "get4: the default route of main matched");
	memset(&v, 0, sizeof v);
	is_int(feed(&v, "get4-blackhole.hex", &kerr), NL_ERROR,
	       "get4-blackhole: an error");
	is_int(kerr, EINVAL, "get4-blackhole: EINVAL, the blackhole's errno");
	memset(&v, 0, sizeof v);
	feed(&v, "get6-blackhole.hex", &kerr);
	is_int(kerr, EINVAL, "get6-blackhole: EINVAL too");
	memset(&v, 0, sizeof v);
	feed(&v, "get6.hex", &kerr);
	ok(v.nroute == 1 && v.route[0].gw.family == AF_INET6,
	   "get6: the route via the gateway");
}

static void test_neigh_links(void)
{
	int kerr;
	memset(&v, 0, sizeof v);
	v.neigh_keep[v.nneigh_keep++] = ip("198.51.100.246");
	v.neigh_keep[v.nneigh_keep++] = ip("198.51.100.241");
	feed(&v, "neigh4-failed.hex", &kerr);
	struct nl_ip a = ip("198.51.100.246");
	const struct nl_neigh *n = nl_view_neigh(&v, &a, 0);
	ok(n && n->state == NUD_FAILED, "neigh4: the missing gateway FAILED");
	a = ip("198.51.100.241");
	n = nl_view_neigh(&v, &a, 0);
	ok(n && n->state == NUD_REACHABLE && n->has_lladdr,
	   "neigh4: the gateway REACHABLE with a link-layer address");

	memset(&v, 0, sizeof v);
	v.neigh_keep[v.nneigh_keep++] = ip("fe80::1");
	v.neigh_keep[v.nneigh_keep++] = ip("fe80::99");
	feed(&v, "neigh6-failed.hex", &kerr);
	a = ip("fe80::1");
	n = nl_view_neigh(&v, &a, 0);
	ok(n && (n->flags & NTF_ROUTER), "neigh6: fe80::1 is a router");
	a = ip("fe80::99");
	n = nl_view_neigh(&v, &a, 0);
	is_str(n ? nl_nud_name(n->state) : "", "FAILED", "neigh6: fe80::99");

	memset(&v, 0, sizeof v);
	is_int(feed(&v, "links.hex", &kerr), NL_DONE, "links: a dump");
	const struct nl_link *eth0 = NULL;
	for (size_t i = 0; i < v.nlink; i++)
		if (!strcmp(v.link[i].name, "eth0"))
			eth0 = &v.link[i];
	ok(eth0 && (eth0->flags & IFF_UP) && (eth0->flags & IFF_LOWER_UP),
	   "links: eth0 up with carrier");
}

static void test_hostile(void)
{
	int kerr;
	memset(&v, 0, sizeof v);
	feed(&v, "hostile-truncated.hex", &kerr);
	ok(v.nroute <= 1, "truncated: only whole messages parsed");
	memset(&v, 0, sizeof v);
	feed(&v, "hostile-gwlen.hex", &kerr);
	ok(v.malformed >= 1, "gateway of 2 bytes: counted malformed");
	memset(&v, 0, sizeof v);
	feed(&v, "hostile-multipath-zero.hex", &kerr);
	ok(v.malformed >= 1, "next hop of length 0: malformed, no loop");
	memset(&v, 0, sizeof v);
	is_int(feed(&v, "hostile-nlmsglen.hex", &kerr), NL_ERROR,
	       "message longer than the buffer: refused");
	memset(&v, 0, sizeof v);
	feed(&v, "hostile-nlmsglen-huge.hex", &kerr);
	ok(v.malformed == 1 && v.nroute == 1,
	   "a length above INT_MAX: the message before it parsed, the rest "
	   "refused");
	memset(&v, 0, sizeof v);
	feed(&v, "hostile-align-wrap.hex", &kerr);
	ok(v.malformed >= 1,
	   "a length that aligns to 0: refused, the walk ends");
	memset(&v, 0, sizeof v);
	is_int(feed(&v, "hostile-unaligned-tail.hex", &kerr), NL_ERROR,
	       "an unpadded last message: refused before its attributes");
	is_int(v.nrule, 0, "an unpadded last message: no rule read");
	memset(&v, 0, sizeof v);
	feed(&v, "hostile-dstlen.hex", &kerr);
	ok(v.malformed >= 1, "IPv4 prefix length 200: malformed");
	unsigned char junk[8] = {1, 2, 3};
	memset(&v, 0, sizeof v);
	is_int(nl_parse(&v, junk, sizeof junk, 0, 0, &kerr), NL_ERROR,
	       "8 bytes of junk: not netlink");
	/* The view never overflows: 200 copies of a dump. */
	memset(&v, 0, sizeof v);
	v.neigh_keep[v.nneigh_keep++] = ip("198.51.100.241");
	size_t n = load("neigh4-failed.hex", bufs, lens, 8);
	for (int i = 0; i < 200 && n; i++)
		nl_parse(&v, bufs[0], lens[0], 0, 0, &kerr);
	ok(v.nneigh == NL_MAX_NEIGHS && v.dropped > 0,
	   "beyond capacity: counted as dropped");
}

static void test_gather(void)
{
	int kerr;
	struct gw_family f = {.family = AF_INET, .checked = true};

	memset(&v, 0, sizeof v);
	feed(&v, "routes4-faults.hex", &kerr);
	feed(&v, "links.hex", &kerr);
	gather_defaults(&v, &f);
	is_int(f.ndefault, 2, "gather: two default routes");
	is_str(f.route[0].ifname, "eth0", "gather: interface named");
	memset(&v, 0, sizeof v);
	v.neigh_keep[v.nneigh_keep++] = ip("198.51.100.246");
	v.neigh_keep[v.nneigh_keep++] = ip("198.51.100.241");
	feed(&v, "neigh4-failed.hex", &kerr);
	gather_neighbors(&v, &f);
	ok(f.route[0].have_neigh && f.route[1].have_neigh,
	   "gather: both gateways' entries");
	gather_mark_in_use(&f);
	ok(f.route[0].r.metric < f.route[1].r.metric ? f.route[0].in_use
						     : f.route[1].in_use,
	   "gather: without targets the lowest metric is in use");
}

/* --- verdicts on facts made by hand --------------------------------------- */

static struct gw_route route(const char *gw, uint32_t metric, uint16_t nud,
			     bool echo_ok)
{
	struct gw_route g = {0};
	g.r.family = strchr(gw, ':') ? AF_INET6 : AF_INET;
	g.r.type = RTN_UNICAST;
	g.r.table = RT_TABLE_MAIN;
	g.r.metric = metric;
	g.r.oif = 2;
	g.r.dst.family = g.r.family;
	if (*gw)
		g.r.gw = ip(gw);
	snprintf(g.ifname, sizeof g.ifname, "eth0");
	g.have_link = true;
	g.link_flags = IFF_UP | IFF_LOWER_UP;
	g.have_neigh = nud != 0;
	g.neigh.state = nud;
	g.neigh.flags = NTF_ROUTER;
	g.nechoes = 1;
	g.echo[0].is_echo = true;
	g.echo[0].outcome = echo_ok ? PROBE_ANSWERED : PROBE_TIMEOUT;
	g.echo[0].elapsed_s = echo_ok ? 0.0002 : 2;
	return g;
}

static struct gw_target target(const char *addr, const struct gw_route *via,
			       bool answers)
{
	struct gw_target t = {0};
	struct nl_ip a = ip(addr);
	nl_ip_to_sockaddr(&a, 0, &t.sa);
	snprintf(t.addr, sizeof t.addr, "%s", addr);
	snprintf(t.name, sizeof t.name, "%s", addr);
	if (via) {
		t.lookup_ok = true;
		t.route = via->r;
	}
	t.nechoes = 1;
	t.echo[0].is_echo = true;
	t.echo[0].outcome = answers ? PROBE_ANSWERED : PROBE_TIMEOUT;
	t.echo[0].elapsed_s = answers ? 0.0004 : 2;
	return t;
}

static struct report r;
static struct gw_verdict vd;
static struct range warn, crit;

static void judge(struct gw_family *f)
{
	const struct verdict_opts vo = {.warn = &warn, .crit = &crit};
	gather_mark_in_use(f);
	report_init(&r, "DEFAULT_ROUTE");
	verdict_family(f, &vo, &r, &vd);
}

static const char *text_of(const char *code)
{
	const struct report_item *it = report_find(&r, code);
	return it ? it->text : "(none)";
}

static void test_verdicts(void)
{
	struct gw_family f = {.family = AF_INET6, .checked = true};

	f.route[0] = route("fe80::1", 1024, NUD_REACHABLE, true);
	f.nroute = f.ndefault = 1;
	f.target[0] = target("2001:db8:48::10", &f.route[0], true);
	f.ntarget = 1;
	judge(&f);
	is_int(vd.state, STATE_OK, "healthy: OK");
	ok(report_find(&r, "forwarding_ok"), "healthy: forwarding_ok");
	ok(vd.forwards && fabs(vd.rtt_target_s - 0.0004) < 1e-9,
	   "healthy: the target's round trip");

	char err[100];
	range_parse("0.0003", &warn, err, sizeof err);
	judge(&f);
	is_int(vd.state, STATE_WARNING, "0.4 ms with -w 0.0003: WARNING");
	ok(strstr(text_of("target_slow"), "forwards, slowly") != NULL,
	   "-w: target_slow");
	range_parse("0.0005", &warn, err, sizeof err);
	judge(&f);
	is_int(vd.state, STATE_OK, "0.4 ms with -w 0.0005: OK");
	warn = (struct range){0};

	/* Two targets, one silent: forwarding works, the silent one named
	 * with its own probe's words. */
	f.target[1] = target("2001:db8:48::11", &f.route[0], false);
	f.ntarget = 2;
	judge(&f);
	is_int(vd.state, STATE_WARNING, "one of two targets silent: WARNING");
	is_str(text_of("target_unanswered"),
	       "2001:db8:48::11 does not answer while other IPv6 targets do: "
	       "2001:db8:48::11 no answer on ICMP echo in 2 s",
	       "one of two targets silent: named with its own result");
	f.ntarget = 1;

	f.route[0] = route("fe80::1", 1024, NUD_FAILED, false);
	f.target[0] = target("2001:db8:48::10", &f.route[0], false);
	judge(&f);
	is_int(vd.state, STATE_CRITICAL, "gateway FAILED: CRITICAL");
	is_str(text_of("gateway_unresolved"),
	       "default gateway fe80::1 on eth0 does not answer neighbor "
	       "discovery (neighbor FAILED)",
	       "gateway FAILED: the issue's words");

	f.route[0] = route("fe80::1", 1024, 0, false);
	f.target[0] = target("2001:db8:48::10", &f.route[0], false);
	judge(&f);
	is_str(text_of("gateway_unresolved"),
	       "default gateway fe80::1 on eth0 does not answer neighbor "
	       "discovery (no neighbor entry after the probes)",
	       "no entry left: still the neighbor discovery words");

	f.route[0] = route("fe80::1", 1024, NUD_REACHABLE, true);
	f.target[0] = target("2001:db8:48::10", &f.route[0], false);
	judge(&f);
	ok(!strncmp(text_of("route_not_forwarding"),
		    "default route via fe80::1 on eth0 present and the "
		    "gateway answers, but nothing is forwarded",
		    80),
	   "stale route: the issue's words");
	is_int(vd.state, STATE_CRITICAL, "stale route: CRITICAL");

	f.nroute = f.ndefault = 0;
	judge(&f);
	is_str(text_of("default_route_missing"), "IPv6 default route missing",
	       "no default route: named");
	is_int(vd.state, STATE_CRITICAL, "no default route: CRITICAL");

	struct gw_family g4 = {.family = AF_INET, .checked = true};
	g4.route[0] = route("198.51.100.241", 0, NUD_REACHABLE, true);
	g4.route[1] = route("198.51.100.246", 200, NUD_FAILED, false);
	g4.nroute = g4.ndefault = 2;
	g4.target[0] = target("203.0.113.250", &g4.route[0], true);
	g4.ntarget = 1;
	judge(&g4);
	is_int(vd.state, STATE_WARNING, "dead second route: WARNING");
	ok(strstr(text_of("default_route_dead"), "198.51.100.246") &&
	       strstr(text_of("default_route_dead"), "does not answer ARP"),
	   "dead second route: named, with ARP");

	g4.route[1] = route("", 0, 0, false);
	g4.route[1].nechoes = 0;
	g4.nroute = g4.ndefault = 1;
	g4.route[0] = g4.route[1];
	g4.target[0] = target("203.0.113.250", &g4.route[0], true);
	judge(&g4);
	ok(report_find(&r, "default_route_no_gateway") &&
	       vd.state == STATE_WARNING,
	   "default dev eth0: WARNING");

	g4.route[0] = route("198.51.100.241", 0, NUD_REACHABLE, true);
	g4.route[0].link_flags = IFF_UP;
	judge(&g4);
	ok(strstr(text_of("gateway_link_down"), "no carrier") &&
	       vd.state == STATE_CRITICAL,
	   "no carrier: CRITICAL");

	/* A rule sends the target to a blackhole table: the kernel refuses
	 * the lookup, the replay names the rule and the route. */
	g4.route[0] = route("198.51.100.241", 0, NUD_REACHABLE, true);
	struct gw_target *t = &g4.target[0];
	*t = target("203.0.113.250", NULL, false);
	t->kernel_errno = EINVAL;
	t->have_rule = t->have_walk = true;
	t->rule = (struct nl_rule){.family = AF_INET,
				   .priority = 100,
				   .table = 100,
				   .action = FR_ACT_TO_TBL,
				   .dst_len = 32,
				   .dst = ip("203.0.113.250"),
				   .src = {.family = AF_INET},
				   .suppress_prefixlen = -1};
	t->walk = (struct nl_route){.family = AF_INET,
				    .type = RTN_BLACKHOLE,
				    .table = 100,
				    .dst = {.family = AF_INET}};
	judge(&g4);
	is_str(text_of("target_misrouted"),
	       "203.0.113.250 does not leave through the default route: "
	       "policy rule 100: from all to 203.0.113.250/32 lookup 100 "
	       "sends it to blackhole default table 100",
	       "blackhole rule: the rule and the route named");
	is_int(vd.state, STATE_CRITICAL, "blackhole rule: CRITICAL");
	ok(report_find(&r, "forwarding_untested"),
	   "blackhole rule: the gateway alone is not called forwarding");
}

int main(void)
{
	test_routes();
	test_lookup();
	test_neigh_links();
	test_hostile();
	test_gather();
	test_verdicts();
	return done_testing();
}
