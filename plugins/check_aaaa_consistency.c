/* check_aaaa_consistency: every published address answers, every AAAA
 * query gets an answer (README, The failures: AAAA queries that go unanswered).
 * Catches the stale AAAA left behind after a server rebuild (dual-stack
 * clients wait for a TCP timeout before falling back to IPv4), the DNS or
 * GSLB server that never answers AAAA queries (every client asking for AAAA
 * waits for its resolver's timeout), and authoritative servers that
 * disagree (RFC 1034 4.2.1). A and AAAA (RFC 3596) are asked separately and
 * at once for every name, of the system resolver, of each -s server, or with
 * --authoritative of every address of every NS of the zone; then every
 * address is probed (TCP connect per port, ICMP echo), all in one poll loop.
 * Privileges: none (ICMP through unprivileged ping sockets; a raw socket
 * only when run with CAP_NET_RAW).
 * States: a dead address, an unanswered, SERVFAIL or REFUSED query,
 * NXDOMAIN, a CNAME loop, a server silent over one transport, an address
 * missing from or added to the -a set: CRITICAL; servers that disagree:
 * WARNING (--strict: CRITICAL); an answer or NS set larger than is
 * checked: WARNING; no AAAA: OK (--require-aaaa: CRITICAL); each answer's
 * time against -w/-c (seconds); the number of dead addresses against
 * --dead-warning/--dead-critical (default: any); a wait -t cut before its
 * own timeout: the -t state (README, timeout policy). Answers over 512
 * bytes come with EDNS0 or over TCP (common/dns).
 * Its own logic lives in check_aaaa_consistency.d/: nsset (servers to ask,
 * NS discovery), dnsjudge (the DNS verdicts), findings (worst first),
 * namelist (-f), facts (the options and what a run observed), verdict
 * (the report from the facts). */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "deadline.h"
#include "dns.h"
#include "check_aaaa_consistency.d/dnsjudge.h"
#include "check_aaaa_consistency.d/facts.h"
#include "check_aaaa_consistency.d/verdict.h"
#include "check_aaaa_consistency.d/findings.h"
#include "check_aaaa_consistency.d/namelist.h"
#include "check_aaaa_consistency.d/nsset.h"
#include "num.h"
#include "opt.h"
#include "priv.h"
#include "probe.h"
#include "report.h"

static struct opts o = {.max_concurrency = 64};

/* -t holds the DNS phases (two with --authoritative: the addresses of the
 * NS, then the names), the probes and 0.2 s to report; a timeout not given
 * is its default (3 s, 2 s) or shrinks to fit. */
static int fit_timeouts(long t, char *err, size_t len)
{
	long ph = o.authoritative ? 2 : 1, room = t - 200;
	long *dns = &o.dns_timeout_ms, *pr = &o.probe_timeout_ms;
	double f = (double)room / (double)(ph * 3000 + 2000);

	if (!*dns && !*pr)
		*dns = (long)(3000 * (f < 1 ? f : 1)),
		*pr = (long)(2000 * (f < 1 ? f : 1));
	else if (!*dns)
		*dns = (room - *pr) / ph < 3000 ? (room - *pr) / ph : 3000;
	else if (!*pr)
		*pr = room - ph * *dns < 2000 ? room - ph * *dns : 2000;
	if (*dns >= 100 && *pr >= 10 && ph * *dns + *pr <= room)
		return 0;
	return snprintf(err, len,
			"-t %.3g s is too short: --dns-timeout %.3g s%s + "
			"--probe-timeout %.3g s + 0.2 s",
			(double)t / 1000, (double)(*dns > 0 ? *dns : 0) / 1000,
			ph > 1 ? " (twice with --authoritative)" : "",
			(double)(*pr > 0 ? *pr : 0) / 1000),
	       -1;
}

/* Every default and derived value, in one place. */
static int defaults(const struct std_opts *s, char *err, size_t len)
{
	o.fam[0] = o.families != FAMS_V6 && s->family != AF_INET6;
	o.fam[1] = o.families != FAMS_V4 && s->family != AF_INET;
	if (!o.ports.n && !o.icmp)
		o.ports.v[o.ports.n++] = 80;
	o.warn_s = s->warn;
	o.crit_s = s->crit;
	o.timeout_state = s->timeout_state;
	o.dns.port = (unsigned)o.dns_port;
	o.dns.source4 = s->source4;
	o.dns.source6 = s->source6;
	snprintf(o.dns.iface, sizeof o.dns.iface, "%s", s->iface);
	if (!o.dead_warn.set && !o.dead_crit.set)
		range_parse("0", &o.dead_crit, err, len);
	if (fit_timeouts(s->timeout_ms, err, len) < 0)
		return -1;
	/* c-ares doubles the wait on its second try: T + 2T = --dns-timeout
	 * for one server, and the phase's limit ends it in any case. */
	o.dns.query_ms = o.dns_timeout_ms;
	o.dns.tries = 2;
	/* --dns-port for the servers given without a port */
	for (size_t i = 0; o.dns_port && i < o.servers.n; i++) {
		struct host h = o.servers.v[i].addr;
		if (o.servers.v[i].family == AF_UNSPEC || h.port)
			continue;
		h.port = (unsigned)o.dns_port;
		addr_set_port((struct sockaddr *)&h.sa, h.port);
		size_t n = o.servers.n;
		o.servers.n = i; /* re-add in place, for its label */
		nsset_add(&o.servers, &h);
		o.servers.n = n;
	}
	o.probe.timeout_ms = o.probe_timeout_ms;
	o.probe.max_concurrency = (size_t)o.max_concurrency;
	o.probe.source4 = s->source4;
	o.probe.source6 = s->source6;
	snprintf(o.probe.iface, sizeof o.probe.iface, "%s", s->iface);
	if (!o.authoritative && !o.servers.n)
		nsset_add(&o.servers, NULL);
	return 0;
}

/* -a ADDRESS: an address that must be published (A or AAAA). */
static int parse_expect(const char *arg, void *target, char *err, size_t len)
{
	struct expect *e = target;
	struct host h;

	if (addr_parse_host(arg, false, &h, err, len) < 0)
		return -1;
	if (!h.literal || h.port)
		return snprintf(err, len, "\"%s\" is not an address", arg), -1;
	if (e->n == MAX_EXPECT)
		return snprintf(err, len, "at most %d addresses", MAX_EXPECT),
		       -1;
	e->v[e->n++] = h.sa;
	return 0;
}

static int validate(const struct std_opts *s, char *err, size_t len)
{
	for (size_t i = 0; i < s->nhosts; i++)
		if (s->hosts[i].literal || !namelist_valid(s->hosts[i].name))
			return snprintf(err, len,
					"option -H: \"%s\" is not a host name",
					s->hosts[i].name),
			       -1;
	if (!s->nhosts && !o.file)
		snprintf(err, len, "give names with -H NAME or -f FILE");
	else if (o.authoritative && o.servers.n)
		snprintf(err, len,
			 "options -s and --authoritative exclude each other");
	else
		return defaults(s, err, len);
	return -1;
}

/* The option table is aligned by hand: one option, one block. */
/* clang-format off */
static const struct opt_def opts[] = {
	{ .sname = 'f', .lname = "file", .type = OPT_STRING, .target = &o.file, .arg = "FILE",
	  .help = "Read names from FILE, one a line ('#' starts a comment)." },
	{ .sname = 's', .lname = "server", .type = OPT_CUSTOM, .target = &o.servers,
	  .arg = "ADDRESS", .parse = nsset_parse_server,
	  .help = "Ask this DNS server instead of the system resolver; repeat to ask "
		  "several and compare their answers." },
	{ .lname = "authoritative", .type = OPT_FLAG, .target = &o.authoritative,
	  .help = "Find the zone's NS set (from the first name) and ask every address of "
		  "every NS, IPv4 and IPv6, directly; compare their answers." },
	{ .lname = "strict", .type = OPT_FLAG, .target = &o.strict,
	  .help = "Servers that disagree are CRITICAL, not WARNING." },
	{ .lname = "require-aaaa", .type = OPT_FLAG, .target = &o.require_aaaa,
	  .help = "A name without AAAA records is CRITICAL." },
	{ .sname = 'p', .lname = "port", .type = OPT_CUSTOM, .target = &o.ports, .arg = "PORT[,PORT]",
	  .parse = probe_parse_ports, .help = "TCP port to connect to on every address; repeatable "
					"(default: 80 unless only --icmp is given)." },
	{ .lname = "icmp", .type = OPT_FLAG, .target = &o.icmp,
	  .help = "Send an ICMP/ICMPv6 echo to every address too (unprivileged where "
		  "net.ipv4.ping_group_range admits the user)." },
	{ .lname = "families", .type = OPT_CHOICE, .target = &o.families, .arg = "4,6",
	  .choices = (const struct opt_choice[]){{"4,6", FAMS_BOTH}, {"6,4", FAMS_BOTH},
						 {"4", FAMS_V4}, {"6", FAMS_V6}, {0}},
	  .help = "Address families to probe (default: 4,6)." },
	{ .lname = "max-concurrency", .type = OPT_LONG, .target = &o.max_concurrency, .arg = "N",
	  .min = 1, .max = 1000, .help = "TCP connects in flight at once (default: 64)." },
	{ .lname = "probe-timeout", .type = OPT_DURATION, .target = &o.probe_timeout_ms,
	  .arg = "SECONDS", .min = 10, .max = 60000,
	  .help = "Time after which a probe counts as unanswered (default: 2, less when -t "
		  "is short)." },
	{ .lname = "dns-timeout", .type = OPT_DURATION, .target = &o.dns_timeout_ms,
	  .arg = "SECONDS", .min = 100, .max = 60000,
	  .help = "Time after which a DNS query counts as unanswered (default: 3, less "
		  "when -t is short)." },
	{ .lname = "dead-warning", .type = OPT_RANGE, .target = &o.dead_warn, .arg = "RANGE",
	  .help = "WARNING when the number of dead addresses is outside RANGE." },
	{ .lname = "dead-critical", .type = OPT_RANGE, .target = &o.dead_crit, .arg = "RANGE",
	  .help = "CRITICAL when it is outside RANGE (default: 0 if neither is given)." },
	{ .sname = 'a', .lname = "expect", .type = OPT_CUSTOM, .target = &o.expect, .arg = "ADDRESS",
	  .parse = parse_expect,
	  .help = "An address that must be published (A or AAAA), as check_dig's -a; repeat "
		  "for the whole set. A missing or an extra address of a type that has "
		  "an expected address is CRITICAL." },
	{ .lname = "dns-port", .type = OPT_PORT, .target = &o.dns_port, .arg = "PORT",
	  .help = "Port of the DNS servers asked (default: 53; -s ADDRESS:PORT wins)." },
};
/* clang-format on */

/* clang-format off */
static const struct finding_doc findings[] = {
	{"stale_aaaa, stale_a", "by --dead-warn/--dead-crit (CRITICAL)", "a published address does not answer while another address of the name does"},
	{"dead_aaaa, dead_a", "by --dead-warn/--dead-crit (CRITICAL)", "a published address does not answer, and no other address of the name does"},
	{"aaaa_unanswered, a_unanswered", "CRITICAL", "the AAAA (A) query gets no answer while the other does: clients wait"},
	{"aaaa_nxdomain, a_nxdomain", "CRITICAL", "NXDOMAIN for one type while the other answers"},
	{"aaaa_error, a_error", "CRITICAL", "SERVFAIL, REFUSED or a broken reply for one type"},
	{"aaaa_disagree, a_disagree", "WARNING (--strict: CRITICAL)", "the servers asked publish different records"},
	{"ns_silent_family", "CRITICAL", "a name server answers over one family only"},
	{"ns_silent", "CRITICAL", "a DNS server answers nothing"},
	{"ns_lookup_failed", "WARNING", "an NS name could not be resolved"},
	{"nxdomain", "CRITICAL", "the name does not exist"},
	{"cname_loop", "CRITICAL", "the name's CNAME chain loops"},
	{"address_missing, address_unexpected", "CRITICAL", "-a: an expected address is not published, or one not expected is"},
	{"answer_cut", "WARNING", "an answer holds more records than are checked (over 64)"},
	{"ns_partial", "WARNING", "--authoritative: the zone has more name servers than are asked (8 names, 16 addresses)"},
	{"no_address", "CRITICAL", "neither A nor AAAA records"},
	{"no_aaaa", "OK (--require-aaaa: CRITICAL)", "no AAAA record"},
	{"dns_unanswered", "CRITICAL", "neither query answered"},
	{"dns_slow", "by -w/-c (seconds)", "a DNS answer slower than the thresholds"},
	{"dns_timeout", "the -t state (UNKNOWN)", "-t ran out during a DNS wait, before its own timeout"},
	{"probe_unknown", "the -t state (UNKNOWN); UNKNOWN", "-t ran out before or during a probe; or it could not be made"},
	{"icmp_impossible, outside_zone", "UNKNOWN", "a probe or query that could not be made"},
	{"names_file", "UNKNOWN", "-f: the file cannot be read, or breaks a limit (1024 bytes a line, 100000 names, 16 MiB)"},
	{"address_ok, dns_time, not_probed", "OK", "details: each address that answers, DNS timings"},
};
/* clang-format on */

static const struct plugin plugin = {
    .name = "check_aaaa_consistency",
    .label = "AAAA_CONSISTENCY",
    .purpose =
	"Checks that every published A and AAAA address answers and that every "
	"AAAA query gets an answer.",
    .description =
	"Catches the stale AAAA left behind after a server rebuild, the DNS or "
	"GSLB server that never answers AAAA queries (clients wait for their "
	"resolver's timeout), and authoritative servers that disagree.",
    .usage = "{-H NAME... or -f FILE} [-s SERVER... or --authoritative] [-p "
	     "PORT...] [--icmp]",
    .examples =
	"check_aaaa_consistency -H www.example.com -p 443\n"
	"  A and AAAA answered, every address of www answers on 443\n"
	"check_aaaa_consistency -f names.txt --authoritative -p 80,443\n"
	"  audit a zone: every NS asked over IPv4 and IPv6, every address "
	"probed\n",
    .std = STD_HOST_LIST | STD_FAMILY | STD_THRESHOLDS | STD_SOURCE,
    .host_help = "Name to check; repeatable.",
    .warn_help = "WARNING when a DNS answer takes longer (seconds range).",
    .crit_help = "CRITICAL when a DNS answer takes longer (seconds range).",
    .opts = opts,
    .nopts = sizeof opts / sizeof opts[0],
    .findings = findings,
    .nfindings = sizeof findings / sizeof findings[0],
    .validate = validate,
};

static long budget(long want, long later_ms)
{
	long left =
	    deadline_remaining_ms() - later_ms - o.probe_timeout_ms - 200;
	return left < want ? (left > 0 ? left : 0) : want;
}

static int load_names(struct facts *f, const struct std_opts *std, char *err,
		      size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < std->nhosts; i++)
		if (namelist_add(&f->namev, &n, std->hosts[i].name) < 0)
			return snprintf(err, len, "out of memory"), -1;
	if (o.file && namelist_read(o.file, &f->namev, &n, err, len) < 0)
		return -1;
	if (!(f->names = calloc(n + 1, sizeof *f->names)))
		return snprintf(err, len, "out of memory"), -1;
	for (f->nnames = 0; f->nnames < n; f->nnames++)
		f->names[f->nnames].name = f->namev[f->nnames];
	return n ? 0 : (snprintf(err, len, "%s holds no names", o.file), -1);
}

/* Every name asked of every server, A and AAAA, all at once. */
static int ask_all(struct facts *f, struct loop *l, const struct dns_opts *d,
		   char *err, size_t len)
{
	struct nsset_answer **out = calloc(f->nnames, sizeof *out);

	if (!out || f->nnames * f->ns->n > MAX_ASKS)
		return free(out),
		       snprintf(err, len,
				"%zu names x %zu servers: at most %d "
				"questions",
				f->nnames, f->ns->n, MAX_ASKS),
		       -1;
	deadline_step("asking A and AAAA for %zu names of %zu servers",
		      f->nnames, f->ns->n);
	/* Each query has its own timeout (c-ares); many names need more
	 * than one query's time, so the phase may use all the probes leave. */
	int rc = nsset_ask_names(f->ns, l, f->namev, f->nnames, out, d,
				 budget(LONG_MAX, 0), err, len);
	/* A SERVFAIL may be a CNAME loop the resolver would not follow. */
	if (rc == 0)
		rc = nsset_chase_cnames(f->ns, l, out, f->nnames, d,
					budget(o.dns_timeout_ms, 0), err, len);
	for (size_t i = 0; i < f->nnames; i++)
		f->names[i].asks = out[i],
		f->names[i].nasks = out[i] ? f->ns->n : 0;
	free(out);
	return rc;
}

/* Every address the servers gave for name n, once, with its probes. */
static void probe_name(struct facts *f, struct name *n, struct probe_set *ps,
		       const bool *fam)
{
	for (size_t j = 0; j < n->nasks * 2; j++) {
		const struct nsset_result *q = &n->asks[j / 2].q[j % 2];
		for (size_t a = 0; q->outcome == DNS_ANSWER && a < q->naddrs;
		     a++) {
			size_t i = 0;
			while (i < n->naddrs &&
			       memcmp(&n->addrs[i].sa, &q->addrs[a],
				      sizeof q->addrs[a]))
				i++;
			void *na =
			    i < n->naddrs
				? NULL
				: realloc(n->addrs, (i + 1) * sizeof *n->addrs);
			if (!na)
				continue;
			struct target *t =
			    memset(&(n->addrs = na)[n->naddrs++], 0, sizeof *t);
			t->sa = q->addrs[a];
			t->probed = fam[t->sa.ss_family == AF_INET6];
			for (size_t c = 0; t->probed && c < f->nchecks; c++) {
				struct sockaddr_storage sa = t->sa;
				if (c < o.ports.n)
					addr_set_port((struct sockaddr *)&sa,
						      (unsigned)o.ports.v[c]);
				t->probed = (t->probes[c] = probe_get(
						 ps, &sa, c >= o.ports.n));
			}
		}
	}
}

static struct loop loop;
static struct probe_set *probes; /* owns the probes the facts point to */

static int run(struct facts *f, struct probe_echo *echo, const bool *fam,
	       char *err, size_t len)
{
	static struct nsset auth;

	loop_init(&loop);
	f->ns = o.authoritative ? &auth : &o.servers;
	if (o.authoritative &&
	    nsset_authoritative(&auth, &loop, f->names[0].name, &o.dns,
				budget(o.dns_timeout_ms, o.dns_timeout_ms), err,
				len))
		return -1;
	if (ask_all(f, &loop, &o.dns, err, len) < 0 ||
	    !(probes = probe_new(&loop, &o.probe, err, len)) ||
	    (o.icmp && probe_use_echo(probes, echo, err, len) < 0))
		return -1;
	for (size_t i = 0; i < f->nnames; i++)
		probe_name(f, &f->names[i], probes, fam);
	deadline_step("probing the addresses of %zu names", f->nnames);
	loop_run(&loop, probe_idle, probes, -1);
	probe_finish(probes);
	probe_log(probes);
	return 0;
}

static void facts_free(struct facts *f)
{
	for (size_t i = 0; i < f->nnames; i++) {
		free(f->names[i].addrs);
		nsset_answers_free(f->names[i].asks, f->names[i].nasks);
	}
	free(f->names);
	namelist_free(f->namev, f->nnames);
}

int main(int argc, char **argv)
{
	static struct facts f;
	static struct probe_echo echo;
	struct std_opts std;
	struct report r;
	char err[256] = "";

	probe_echo_open(
	    &echo); /* first: the raw-socket fallback needs CAP_NET_RAW */
	if (priv_drop(err, sizeof err) < 0)
		report_die(plugin.label, STATE_UNKNOWN, "privileges", "%s",
			   err);
	opt_parse(&plugin, &std, argc, argv);
	if (!o.icmp)
		probe_echo_close(&echo);
	f.nchecks = o.ports.n + o.icmp;
	for (int k = 0; k < 2; k++)
		f.icmp_err[k] =
		    o.icmp && o.fam[k] && !echo.sock[k] ? echo.err[k] : NULL;
	/* One line, no usage: the options were right, the file is not. */
	if (load_names(&f, &std, err, sizeof err) < 0)
		report_die(plugin.label, STATE_UNKNOWN, "names_file",
			   "option -f: %s", err);
	/* An NS lookup -t cut short is the timeout policy's, not a fault. */
	bool failed_run = run(&f, &echo, o.fam, err, sizeof err) < 0;
	if (failed_run && f.ns && f.ns->cut)
		report_die(plugin.label, o.timeout_state, "dns_timeout",
			   "%s when -t ran out during the NS lookup", err);
	if (failed_run)
		report_die(plugin.label, STATE_UNKNOWN, "probe_setup", "%s",
			   err);
	report_init(&r, plugin.label);
	aaaa_judge(&f, &o, &r);
	facts_free(&f);
	probe_free(probes);
	probe_echo_close(&echo); /* before the loop it watches goes */
	loop_free(&loop);
	free(std.hosts);
	report_exit(&r);
}
