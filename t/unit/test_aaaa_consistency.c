/* test_aaaa: check_aaaa_consistency's judge() on facts built by hand (no
 * network), plus check_aaaa_consistency.d/dnsjudge on its own and the pure
 * helpers of common/probe, check_aaaa_consistency.d/nsset and namelist. The
 * plugin is included with its main() renamed. */
#define main aaaa_main
#include "../../plugins/check_aaaa_consistency.c"
#undef main

#include <errno.h>

#include "tap.h"

static char perfbuf[2048];

static struct nsset NS;
static struct name N[4];
static struct facts F;
static struct probe PROBES[32];
static size_t nprobes;
static struct report R;

static struct sockaddr_storage sa(const char *text)
{
	struct sockaddr_storage s;
	socklen_t len;

	memset(&s, 0, sizeof s);
	addr_parse_literal(text, &s, &len);
	return s;
}

/* A fresh world: options at their defaults, nnames names, one server
 * (the system resolver) unless servers are added. */
static void reset(size_t nnames)
{
	memset(&NS, 0, sizeof NS);
	memset(N, 0, sizeof N);
	memset(&F, 0, sizeof F);
	memset(PROBES, 0, sizeof PROBES);
	nprobes = 0;
	memset(&o, 0, sizeof o);
	o.probe_timeout_ms = 2000, o.dns_timeout_ms = 3000;
	o.timeout_state = STATE_UNKNOWN;
	o.ports.v[o.ports.n++] = 443;
	range_parse("0", &o.dead_crit, (char[64]){0}, 64);
	F.ns = &NS;
	F.names = N;
	F.nnames = nnames;
	F.nchecks = 1;
	static const char *const names[] = {
	    "www.example.test", "www1.example.test", "www2.example.test",
	    "www3.example.test"};
	for (size_t i = 0; i < nnames; i++)
		N[i].name = names[i];
}

static void server(const char *label, const char *ns, int family)
{
	struct nsset_server *v = &NS.v[NS.n++];
	snprintf(v->label, sizeof v->label, "%s", label);
	snprintf(v->ns, sizeof v->ns, "%s", ns);
	v->family = family;
}

/* A server as nsset_authoritative() adds it: one address of an NS. */
static void server_ns(const char *ns, const char *address, int family)
{
	server("", ns, family);
	struct nsset_server *v = &NS.v[NS.n - 1];
	snprintf(v->addr.name, sizeof v->addr.name, "%s", address);
	snprintf(v->label, sizeof v->label, "%s (%s)", ns, address);
}

static struct nsset_answer ASKS[4][4];

/* Name i's answer for type k at server s. */
static struct sockaddr_storage ADDRS[4][4][2][8];

static struct nsset_result *q(size_t i, size_t s, int k, enum dns_outcome oc,
			      double el)
{
	if (!NS.n)
		server("system resolver", "", AF_UNSPEC);
	N[i].asks = ASKS[i];
	N[i].nasks = NS.n;
	ASKS[i][s].server = s;
	struct nsset_result *x = &ASKS[i][s].q[k];
	memset(x, 0, sizeof *x);
	x->name = N[i].name;
	x->addrs = ADDRS[i][s][k];
	x->outcome = oc;
	x->elapsed_s = el;
	x->rcode = oc == DNS_TIMEOUT	? -1
		   : oc == DNS_NXDOMAIN ? 3
		   : oc == DNS_SERVFAIL ? 2
					: 0;
	return x;
}

static void addr(struct nsset_result *x, const char *text)
{
	x->addrs[x->naddrs++] = sa(text);
}

static struct target TARGETS[4][8];

/* A published address of name i with the outcome of its one probe. */
static void target(size_t i, const char *text, enum probe_outcome po, double el)
{
	N[i].addrs = TARGETS[i];
	struct target *t = &TARGETS[i][N[i].naddrs++];
	memset(t, 0, sizeof *t);
	t->sa = sa(text);
	t->probed = true;
	t->probes[0] = &PROBES[nprobes++];
	t->probes[0]->sa = t->sa;
	addr_set_port((struct sockaddr *)&t->probes[0]->sa, 443);
	t->probes[0]->outcome = po;
	t->probes[0]->elapsed_s = el;
	t->probes[0]->icmp_type = -1;
}

/* Name i: A and AAAA answered with these addresses, each probed. */
static void healthy(size_t i, const char *a4, const char *a6)
{
	addr(q(i, 0, 0, DNS_ANSWER, 0.002), a4);
	target(i, a4, PROBE_ANSWERED, 0.001);
	addr(q(i, 0, 1, DNS_ANSWER, 0.003), a6);
	target(i, a6, PROBE_ANSWERED, 0.001);
}

static enum state run_judge(void)
{
	report_init(&R, "AAAA_CONSISTENCY");
	aaaa_judge(&F, &o, &R);
	return report_state(&R);
}

static bool has_item(enum state st, const char *text)
{
	for (size_t i = 0; i < R.nitems; i++)
		if (R.items[i].state == st && strstr(R.items[i].text, text))
			return true;
	return false;
}

static bool perf_has(const char *item)
{
	return strstr(report_perf_text(&R, perfbuf, sizeof perfbuf), item) !=
	       NULL;
}

static void test_healthy(void)
{
	reset(1);
	healthy(0, "192.0.2.80", "2001:db8::80");
	is_int(run_judge(), STATE_OK, "healthy: OK");
	is_str(R.summary, "1 name, 1 AAAA, 0 dead",
	       "healthy: first line counts");
	ok(perf_has("names=1;;;0 a_total=1;;;0 a_dead=0;;;0 aaaa_total=1;;;0 "
		    "aaaa_dead=0;;;0 dns_time_a=0.002s;;;0 "
		    "dns_time_aaaa=0.003s;;;0"),
	   "healthy: perfdata, in the issue's order");
	ok(has_item(STATE_OK,
		    "www.example.test AAAA 2001:db8::80: answered on tcp/443"),
	   "healthy: one long line per address");
}

static void test_stale(void)
{
	reset(1);
	addr(q(0, 0, 0, DNS_ANSWER, 0.002), "192.0.2.80");
	target(0, "192.0.2.80", PROBE_ANSWERED, 0.001);
	addr(q(0, 0, 1, DNS_ANSWER, 0.002), "2001:db8::99");
	target(0, "2001:db8::99", PROBE_TIMEOUT, 2.0004);
	is_int(run_judge(), STATE_CRITICAL, "stale AAAA: CRITICAL");
	is_str(
	    R.summary,
	    "1 name, 1 AAAA, 1 dead: stale AAAA 2001:db8::99 for "
	    "www.example.test: no answer on tcp/443 in 2 s while A 192.0.2.80 "
	    "answers",
	    "stale AAAA: address, name, port, probe time and the other family");
	ok(perf_has("aaaa_dead=1;;;0") && perf_has("a_dead=0;;;0"),
	   "stale AAAA: aaaa_dead=1");
	is_int(R.items[0].state, STATE_CRITICAL,
	       "stale AAAA: the finding is the first long line");

	o.dead_warn = o.dead_crit = (struct range){0};
	range_parse("0", &o.dead_warn, (char[64]){0}, 64);
	range_parse("3", &o.dead_crit, (char[64]){0}, 64);
	is_int(run_judge(), STATE_WARNING,
	       "--dead-warning 0 --dead-critical 3: one dead is WARNING");

	reset(1);
	addr(q(0, 0, 0, DNS_ANSWER, 0.002), "192.0.2.80");
	target(0, "192.0.2.80", PROBE_REFUSED, 0.001);
	addr(q(0, 0, 1, DNS_ANSWER, 0.002), "2001:db8::99");
	target(0, "2001:db8::99", PROBE_UNREACHABLE, 1.5);
	PROBES[1].icmp_type = 1, PROBES[1].icmp_code = 3;
	PROBES[1].offender = sa("2001:db8:1::1");
	is_int(run_judge(), STATE_CRITICAL, "both dead: CRITICAL");
	ok(has_item(
	       STATE_CRITICAL,
	       "dead AAAA 2001:db8::99 for www.example.test: unreachable on "
	       "tcp/443 in 1.5 s (ICMPv6 address unreachable from "
	       "2001:db8:1::1), "
	       "and no other address of the name answers"),
	   "both dead: the ICMPv6 reason and its sender");
	ok(has_item(
	       STATE_CRITICAL,
	       "dead A 192.0.2.80 for www.example.test: refused on tcp/443"),
	   "both dead: refused A");
	ok(perf_has("a_dead=1;;;0") && strstr(R.summary, ", 1 A, 1 dead"),
	   "both dead: A dead counted apart");
}

static void test_multi(void)
{
	reset(3);
	healthy(0, "192.0.2.80", "2001:db8::80");
	struct nsset_result *x = q(1, 0, 1, DNS_ANSWER, 0.002);
	addr(q(1, 0, 0, DNS_ANSWER, 0.002), "192.0.2.81");
	target(1, "192.0.2.81", PROBE_ANSWERED, 0.001);
	const char *v6[] = {"2001:db8::81", "2001:db8::82", "2001:db8::99"};
	for (int i = 0; i < 3; i++) {
		addr(x, v6[i]);
		target(1, v6[i], i == 2 ? PROBE_TIMEOUT : PROBE_ANSWERED,
		       i == 2 ? 2 : 0.001);
	}
	x = q(2, 0, 1, DNS_ANSWER, 0.002);
	addr(q(2, 0, 0, DNS_ANSWER, 0.002), "192.0.2.82");
	target(2, "192.0.2.82", PROBE_ANSWERED, 0.001);
	const char *w6[] = {"2001:db8::83", "2001:db8::84", "2001:db8::85"};
	for (int i = 0; i < 3; i++) {
		addr(x, w6[i]);
		target(2, w6[i], PROBE_ANSWERED, 0.001);
	}
	N[1].name = "multi.example.test";
	is_int(run_judge(), STATE_CRITICAL, "one of three AAAA dead: CRITICAL");
	is_str(R.summary,
	       "3 names, 7 AAAA, 1 dead: stale AAAA 2001:db8::99 "
	       "(multi.example.test)",
	       "many names: the issue's first line");
	ok(perf_has("names=3;;;0") && perf_has("aaaa_total=7;;;0") &&
	       perf_has("aaaa_dead=1;;;0"),
	   "many names: counts in perfdata");
	ok(!perf_has("dns_time_a"), "many names: no dns_time perfdata");
	ok(has_item(STATE_CRITICAL, "while A 192.0.2.81 answers"),
	   "witness of the other family");
}

static void test_gslb(void)
{
	reset(1);
	addr(q(0, 0, 0, DNS_ANSWER, 0.002), "192.0.2.80");
	target(0, "192.0.2.80", PROBE_ANSWERED, 0.001);
	q(0, 0, 1, DNS_TIMEOUT, 3.0001);
	is_int(run_judge(), STATE_CRITICAL,
	       "AAAA unanswered, A answered: CRITICAL");
	is_str(R.summary,
	       "1 name, 0 AAAA, 0 dead: AAAA query for www.example.test "
	       "unanswered after 3 s while A answered in 0.002 s: clients "
	       "asking for AAAA wait (system resolver)",
	       "GSLB: says clients wait, with both times");
	ok(perf_has("dns_time_aaaa=3.0001s;;;0"),
	   "GSLB: dns_time_aaaa is the wait");

	q(0, 0, 1, DNS_SERVFAIL, 0.01);
	is_int(run_judge(), STATE_CRITICAL, "AAAA SERVFAIL: CRITICAL");
	ok(has_item(STATE_CRITICAL,
		    "AAAA query for www.example.test: SERVFAIL from system "
		    "resolver"),
	   "AAAA SERVFAIL: says so");
	q(0, 0, 1, DNS_REFUSED, 0.01);
	is_int(run_judge(), STATE_CRITICAL, "AAAA REFUSED: CRITICAL");
	is_str(R.summary,
	       "1 name, 0 AAAA, 0 dead: AAAA query for www.example.test: "
	       "REFUSED from system resolver in 0.01 s",
	       "AAAA REFUSED: says so, naming the server");

	q(0, 0, 1, DNS_TIMEOUT, 0.3)->cut = true;
	is_int(run_judge(), STATE_UNKNOWN,
	       "AAAA wait ended by -t, not the server: UNKNOWN");
	is_str(R.summary,
	       "1 name, 0 AAAA, 0 dead: AAAA query for www.example.test at "
	       "system resolver: no answer after 0.3 s when -t ran out during "
	       "the DNS queries",
	       "cut short: says -t ended it, not that clients wait");
	o.timeout_state = STATE_CRITICAL;
	is_int(run_judge(), STATE_CRITICAL,
	       "cut short with -t N:CRITICAL: the timeout state");
	o.timeout_state = STATE_UNKNOWN;

	q(0, 0, 1, DNS_NODATA, 0.002);
	is_int(run_judge(), STATE_OK, "NODATA for AAAA: OK");
	ok(has_item(STATE_OK, "www.example.test has no AAAA record"),
	   "NODATA: says no AAAA");
	o.require_aaaa = true;
	is_int(run_judge(), STATE_CRITICAL,
	       "NODATA with --require-aaaa: CRITICAL");

	q(0, 0, 1, DNS_NXDOMAIN, 0.002);
	o.require_aaaa = false;
	is_int(run_judge(), STATE_CRITICAL,
	       "NXDOMAIN for AAAA while A exists: CRITICAL");
	ok(has_item(STATE_CRITICAL,
		    "does not exist when asked for AAAA, yet answers A "
		    "192.0.2.80: inconsistent"),
	   "NXDOMAIN for AAAA only: inconsistency");

	reset(1);
	q(0, 0, 0, DNS_NXDOMAIN, 0.002);
	q(0, 0, 1, DNS_NXDOMAIN, 0.002);
	is_int(run_judge(), STATE_CRITICAL, "NXDOMAIN: CRITICAL");
	is_str(
	    R.summary,
	    "1 name, 0 AAAA, 0 dead: NXDOMAIN: www.example.test does not exist "
	    "(system resolver)",
	    "NXDOMAIN: says so");

	reset(1);
	q(0, 0, 0, DNS_TIMEOUT, 3);
	q(0, 0, 1, DNS_TIMEOUT, 3);
	is_int(run_judge(), STATE_CRITICAL, "silent resolver: CRITICAL");
	ok(has_item(STATE_CRITICAL,
		    "DNS server system resolver does not answer: 2 queries "
		    "unanswered in 3 s"),
	   "silent resolver: one finding for the server");
	is_int(R.nitems, 1,
	       "silent resolver: no per-name timeout lines, no OK time line");

	q(0, 0, 0, DNS_TIMEOUT, 0)->cut = true;
	q(0, 0, 1, DNS_TIMEOUT, 0)->cut = true;
	is_int(run_judge(), STATE_UNKNOWN,
	       "queries never given time: UNKNOWN, not a silent server");
	ok(has_item(STATE_UNKNOWN,
		    "DNS server system resolver: 2 queries without an answer "
		    "after 0 s when -t ran out during the DNS queries"),
	   "queries never given time: says -t ended the wait");

	/* A CNAME loop: named once for the name, not "no address". */
	reset(1);
	q(0, 0, 0, DNS_NODATA, 0.001)->cname_loop = true;
	q(0, 0, 1, DNS_NODATA, 0.001)->cname_loop = true;
	is_int(run_judge(), STATE_CRITICAL, "CNAME loop: CRITICAL");
	is_str(R.summary,
	       "1 name, 0 AAAA, 0 dead: CNAME loop: the CNAME chain of "
	       "www.example.test at system resolver comes back to a name "
	       "already in it, so it has no address",
	       "CNAME loop: named as such");
	ok(!has_item(STATE_CRITICAL, "neither A nor AAAA"),
	   "CNAME loop: not called no address");

	/* An answer with more records than were kept. */
	reset(1);
	addr(q(0, 0, 0, DNS_ANSWER, 0.001), "192.0.2.80");
	ASKS[0][0].q[0].nfound = 70;
	target(0, "192.0.2.80", PROBE_ANSWERED, 0.001);
	q(0, 0, 1, DNS_NODATA, 0.001);
	is_int(run_judge(), STATE_WARNING, "answer cut: WARNING");
	ok(has_item(STATE_WARNING,
		    "A answer for www.example.test from system resolver holds "
		    "70 records: the first 1 were checked"),
	   "answer cut: says how many were checked");

	/* A query that timed out early by itself (c-ares gave up on an
	 * unusable server) is not blamed on -t. */
	reset(1);
	q(0, 0, 0, DNS_TIMEOUT, 1.5);
	q(0, 0, 1, DNS_TIMEOUT, 1.5);
	is_int(run_judge(), STATE_CRITICAL,
	       "early own timeout: a silent server, CRITICAL");
	ok(!has_item(STATE_UNKNOWN, "-t ran out"),
	   "early own timeout: -t not blamed");

	/* Issue 9 item 5: nothing listens, the queries fail at once. */
	reset(1);
	snprintf(q(0, 0, 0, DNS_ERROR, 0.000132)->detail, 64,
		 "Could not contact DNS servers");
	snprintf(q(0, 0, 1, DNS_ERROR, 0.0001)->detail, 64,
		 "Could not contact DNS servers");
	ASKS[0][0].q[0].rcode = ASKS[0][0].q[1].rcode = -1;
	is_int(run_judge(), STATE_CRITICAL,
	       "no server listening: CRITICAL, not a -t timeout");
	is_str(R.summary,
	       "1 name, 0 AAAA, 0 dead: DNS server system resolver does not "
	       "answer: 2 queries failed (Could not contact DNS servers)",
	       "no server listening: says the queries failed, not -t");
	ok(!has_item(STATE_OK, "A query"),
	   "no server listening: the failed queries are not listed as OK");
}

static void test_servers(void)
{
	reset(1);
	server_ns("ns1.example.test", "192.0.2.53", AF_INET);
	server_ns("ns1.example.test", "2001:db8::53", AF_INET6);
	server_ns("ns2.example.test", "2001:db8::54", AF_INET6);
	for (size_t s = 0; s < 3; s++) {
		addr(q(0, s, 0, DNS_ANSWER, 0.001), "192.0.2.80");
		addr(q(0, s, 1, DNS_ANSWER, 0.001),
		     s < 2 ? "2001:db8::80" : "2001:db8::81");
	}
	target(0, "192.0.2.80", PROBE_ANSWERED, 0.001);
	target(0, "2001:db8::80", PROBE_ANSWERED, 0.001);
	target(0, "2001:db8::81", PROBE_ANSWERED, 0.001);
	is_int(run_judge(), STATE_WARNING, "servers disagree: WARNING");
	is_str(
	    R.items[0].text,
	    "servers disagree on AAAA for www.example.test: ns1.example.test "
	    "(192.0.2.53, 2001:db8::53) says 2001:db8::80; "
	    "ns2.example.test (2001:db8::54) says 2001:db8::81",
	    "servers disagree: which server said what, one NS named once");
	addr(q(0, 1, 1, DNS_ANSWER, 0.001), "2001:db8::81");
	addr(q(0, 2, 1, DNS_ANSWER, 0.001), "2001:db8::80");
	run_judge();
	is_str(
	    R.items[0].text,
	    "servers disagree on AAAA for www.example.test: ns1.example.test "
	    "(192.0.2.53), ns2.example.test (2001:db8::54) say "
	    "2001:db8::80; ns1.example.test (2001:db8::53) says "
	    "2001:db8::81",
	    "servers disagree: an NS split over two answers, in each group");
	addr(q(0, 1, 1, DNS_ANSWER, 0.001), "2001:db8::80");
	addr(q(0, 2, 1, DNS_ANSWER, 0.001), "2001:db8::81");
	o.strict = true;
	is_int(run_judge(), STATE_CRITICAL,
	       "servers disagree with --strict: CRITICAL");

	o.strict = false;
	q(0, 2, 1, DNS_ANSWER, 0.001);
	addr(&ASKS[0][2].q[1], "2001:db8::80");
	q(0, 1, 0, DNS_TIMEOUT, 3);
	q(0, 1, 1, DNS_TIMEOUT, 3);
	is_int(run_judge(), STATE_CRITICAL, "NS silent over IPv6: CRITICAL");
	ok(has_item(
	       STATE_CRITICAL,
	       "ns1.example.test does not answer over IPv6 (2001:db8::53): 2 "
	       "queries unanswered in 3 s, while it answers over IPv4"),
	   "NS silent over IPv6: its own finding");

	reset(1);
	o.warn_s.set = true;
	o.warn_s.hi = 0.1;
	addr(q(0, 0, 0, DNS_ANSWER, 0.25), "192.0.2.80");
	target(0, "192.0.2.80", PROBE_ANSWERED, 0.001);
	q(0, 0, 1, DNS_NODATA, 0.01);
	is_int(run_judge(), STATE_WARNING,
	       "-w 0.1: a 0.25 s A answer is WARNING");
	ok(has_item(STATE_WARNING, "A answer for www.example.test took 0.25 s"),
	   "slow answer named");
	ok(perf_has("dns_time_a=0.25s;0.1;;0"),
	   "dns_time_a carries -w in seconds");
	ok(has_item(STATE_WARNING, "took 0.25 s at system resolver (-w 0.1)"),
	   "slow answer: names the threshold");
	o.crit_s.set = true;
	o.crit_s.hi = 0.2;
	is_int(run_judge(), STATE_CRITICAL,
	       "-c 0.2: a 0.25 s A answer is CRITICAL");
	ok(has_item(STATE_CRITICAL,
		    "A answer for www.example.test took 0.25 s at system "
		    "resolver (-c 0.2)"),
	   "-c: names the threshold");
	ok(perf_has("dns_time_a=0.25s;0.1;0.2;0"),
	   "dns_time_a carries -w and -c in seconds");
	ok(perf_has("dns_time_aaaa=0.01s;0.1;0.2;0"),
	   "dns_time_aaaa carries them too");
	ok(!has_item(STATE_WARNING, "AAAA answer"),
	   "a 10 ms AAAA answer is within -w 100");
}

/* check_aaaa_consistency.d/dnsjudge on its own, as a resolver check would use
 * it. */
static void test_dnsjudge(void)
{
	struct nsset ns = {0};
	struct nsset_answer a = {0};
	struct findings w = {0};

	nsset_add(&ns, NULL);
	struct sockaddr_storage one = sa("192.0.2.1");
	a.q[0] = (struct nsset_result){.outcome = DNS_ANSWER,
				       .elapsed_s = 0.0013,
				       .addrs = &one,
				       .naddrs = 1,
				       .name = "x.example.test"};
	a.q[1] = (struct nsset_result){.outcome = DNS_TIMEOUT,
				       .rcode = -1,
				       .elapsed_s = 3,
				       .name = "x.example.test"};
	struct dnsjudge j = {.ns = &ns, .timeout_ms = 3000};
	dnsjudge_tally(&j, &a, 1);
	dnsjudge_servers(&j, &w);
	is_int((int)w.n, 0, "dnsjudge: a server answering A is not silent");
	dnsjudge_name(&j, "x.example.test", &a, 1, &w);
	ok(w.n == 1 && w.v[0].st == STATE_CRITICAL &&
	       !strcmp(w.v[0].text,
		       "AAAA query for x.example.test unanswered after 3 s "
		       "while A answered in 0.0013 s: clients asking for AAAA "
		       "wait (system resolver)"),
	   "dnsjudge: AAAA unanswered while A answered");
	is_int((int)w.n, 1,
	       "dnsjudge: no OK time line for an unanswered query");
	is_double(dnsjudge_slowest(&a, 1, 1), 3, "dnsjudge_slowest");
	findings_free(&w);
}

static void test_unknown(void)
{
	reset(1);
	healthy(0, "192.0.2.80", "2001:db8::80");
	PROBES[1].outcome = PROBE_NOT_RUN;
	is_int(run_judge(), STATE_UNKNOWN, "a probe not run: UNKNOWN");
	ok(perf_has("aaaa_dead=0;;;0"), "a probe not run is not counted dead");
	F.icmp_err[1] = "ping sockets not allowed";
	ok(run_judge() == STATE_UNKNOWN &&
	       has_item(STATE_UNKNOWN, "ICMP echo over IPv6 impossible: "
				       "ping sockets not allowed"),
	   "no echo socket: UNKNOWN with the reason");
}

static void test_options(void)
{
	char err[200] = "";
	struct probe_ports pp = {0};

	memset(&o, 0, sizeof o);
	is_int(fit_timeouts(10000, err, sizeof err), 0, "-t 10: fits");
	ok(o.dns_timeout_ms == 3000 && o.probe_timeout_ms == 2000,
	   "-t 10: the default timeouts, 3 s and 2 s");
	o.dns_timeout_ms = o.probe_timeout_ms = 0, o.authoritative = true;
	is_int(fit_timeouts(4000, err, sizeof err), 0, "-t 4: fits");
	ok(o.dns_timeout_ms == 1425 && o.probe_timeout_ms == 950,
	   "-t 4 --authoritative: both timeouts shrink to fit");
	o.dns_timeout_ms = 0, o.probe_timeout_ms = 1000;
	fit_timeouts(4000, err, sizeof err);
	is_int((int)o.dns_timeout_ms, 1400, "-t 4: DNS gets what is left");
	o.authoritative = false;
	o.dns_timeout_ms = 3000, o.probe_timeout_ms = 3000;
	is_int(fit_timeouts(3500, err, sizeof err), -1,
	       "explicit timeouts over -t: refused");
	is_str(
	    err,
	    "-t 3.5 s is too short: --dns-timeout 3 s + --probe-timeout 3 s + "
	    "0.2 s",
	    "explicit timeouts over -t: says which");
	ok(probe_parse_ports("80,443", &pp, err, sizeof err) == 0 &&
	       pp.n == 2 && pp.v[0] == 80 && pp.v[1] == 443,
	   "ports: a list");
	ok(probe_parse_ports(",", &pp, err, sizeof err) == -1 &&
	       !strcmp(err, "\",\" is not a list of ports"),
	   "ports: an empty list refused");
	ok(probe_parse_ports("0", &pp, err, sizeof err) == -1, "ports: 0");
	ok(probe_parse_ports("1,2,3,4,5,6,7,8,9,10,11,12,13,14,15", &pp, err,
			     sizeof err) == -1 &&
	       !strcmp(err, "at most 16 ports"),
	   "ports: at most 16");
}

static void test_helpers(void)
{
	char buf[256];
	struct probe p = {
	    .outcome = PROBE_TIMEOUT, .elapsed_s = 2.0004, .icmp_type = -1};

	p.sa = sa("2001:db8::1");
	addr_set_port((struct sockaddr *)&p.sa, 80);
	is_str(probe_describe(&p, buf, sizeof buf),
	       "no answer on tcp/80 in 2 s", "probe_describe: timeout");
	p.outcome = PROBE_REFUSED, p.elapsed_s = 0.0004, p.err = ECONNREFUSED;
	is_str(probe_describe(&p, buf, sizeof buf),
	       "refused on tcp/80 in 0.0004 s (connection refused)",
	       "probe_describe: refused");
	p.is_echo = true, p.outcome = PROBE_ANSWERED;
	is_str(probe_describe(&p, buf, sizeof buf),
	       "answered on ICMP echo in 0.0004 s", "probe_describe: echo");
	is_str(probe_icmp_name(AF_INET, 3, 13), "administratively prohibited",
	       "ICMP 3/13");
	is_str(probe_icmp_name(AF_INET6, 1, 3), "address unreachable",
	       "ICMPv6 1/3");
	is_str(probe_icmp_name(AF_INET6, 1, 99), "error",
	       "ICMPv6 unknown code");
	ok(nsset_in_zone("www.Example.test.", "example.test"),
	   "in zone, any case, trailing dot");
	ok(nsset_in_zone("example.test", "example.test"),
	   "the apex is in its zone");
	ok(!nsset_in_zone("wwwexample.test", "example.test"),
	   "a label boundary is needed");
	ok(!nsset_in_zone("test", "example.test"),
	   "a parent is not in the zone");
	struct sockaddr_storage two[2] = {sa("2001:db8::9"),
					  sa("2001:db8::10")};
	struct nsset_result x = {
	    .outcome = DNS_ANSWER, .addrs = two, .naddrs = 2};
	nsset_answer_text(&x, buf, sizeof buf);
	is_str(buf, "2001:db8::10,2001:db8::9",
	       "answer text: sorted, order-free");
	x.outcome = DNS_TIMEOUT;
	nsset_answer_text(&x, buf, sizeof buf);
	is_str(buf, "", "answer text: nothing to compare for a timeout");
	ok(namelist_valid("h001.lab.test") &&
	       namelist_valid("_sip._tcp.example.com."),
	   "namelist_valid: names");
	ok(!namelist_valid("a..b") && !namelist_valid("a b") &&
	       !namelist_valid("") && !namelist_valid("."),
	   "namelist_valid: rejects bad names");
	char long_label[80];
	memset(long_label, 'a', 64), long_label[64] = '\0';
	ok(!namelist_valid(long_label),
	   "namelist_valid: a 64-byte label is too long");
}

int main(void)
{
	test_healthy();
	test_stale();
	test_multi();
	test_gslb();
	test_servers();
	test_dnsjudge();
	test_unknown();
	test_options();
	test_helpers();
	return done_testing();
}
