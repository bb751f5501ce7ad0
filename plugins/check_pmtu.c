/* check_pmtu: finds the path MTU toward a host and tells a working path
 * from a PMTUD blackhole (README, The failures) and from "Large ICMP"
 * screening. IPv6 routers never fragment (RFC 8200 section 5): a sender
 * learns the MTU only from Packet Too Big (RFC 8201; RFC 1191 for IPv4's
 * fragmentation needed). When that ICMP is dropped, handshakes and small
 * answers work and large ones hang.
 * icmp mode: echo requests with don't-fragment, errors from the socket's
 * error queue (common/icmp), the search in check_pmtu.d/search, the verdicts in
 * check_pmtu.d/judge. tcp mode: the talk's diagnosis, two fetches at once, one
 * with the normal MSS and one clamped to fit 1280 (1220 IPv6, 1240 IPv4).
 * Privileges: a ping socket where net.ipv4.ping_group_range allows, else a
 * raw socket (cap_net_raw) opened first in main(); every capability is
 * dropped before the options are read.
 * States: the MTU by -w/-c (OK without them); blackhole, screening, 1280
 * broken, both fetches failing: CRITICAL; no answer at all: UNKNOWN
 * (--unreachable). Perfdata labels are IPv6's unless they end in _v4. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "deadline.h"
#include "dns.h"
#include "icmp.h"
#include "log.h"
#include "loop.h"
#include "opt.h"
#include "check_pmtu.d/fetch.h"
#include "check_pmtu.d/judge.h"
#include "check_pmtu.d/route.h"
#include "check_pmtu.d/search.h"
#include "priv.h"
#include "report.h"

enum mode { MODE_ICMP, MODE_TCP };

static struct opts {
	int mode;
	long port, min_size, max_size, retries, probe_timeout_ms, stall_ms;
	const char *uri, *send;
	enum state unreachable;
} o = {
    .mode = MODE_ICMP,
    .port = 80,
    .min_size = 576,
    .retries = 1,
    .stall_ms = 2000,
    .uri = "/",
    .unreachable = STATE_UNKNOWN,
};

/* The option table is aligned by hand: one option, one block. */
/* clang-format off */
static const struct opt_def opts[] = {
	{ .lname = "mode", .type = OPT_CHOICE, .target = &o.mode, .arg = "MODE",
	  .choices = (const struct opt_choice[]){{"icmp", MODE_ICMP},
						 {"tcp", MODE_TCP}, {0}},
	  .help = "icmp: echo requests of growing size with don't-fragment "
		  "(default). tcp: fetch a large response twice at once, with "
		  "the normal MSS and with one that fits 1280." },
	{ .sname = 'p', .lname = "port", .type = OPT_PORT, .target = &o.port,
	  .arg = "PORT", .help = "tcp mode: the server's port (default 80)." },
	{ .sname = 'u', .lname = "uri", .type = OPT_STRING, .target = &o.uri,
	  .arg = "URI",
	  .help = "tcp mode: the path of a large response, fetched with HTTP/1.0 "
		  "GET (default /)." },
	{ .lname = "send", .type = OPT_STRING, .target = &o.send, .arg = "STRING",
	  .help = "tcp mode: send STRING instead of the GET (\\r \\n \\t \\\\ "
		  "escapes), then read until the server closes." },
	{ .lname = "min-size", .type = OPT_LONG, .target = &o.min_size,
	  .arg = "BYTES", .min = 68, .max = 65535,
	  .help = "IPv4: the packet size that must pass (default 576). IPv6 "
		  "always requires 1280, its minimum MTU." },
	{ .lname = "max-size", .type = OPT_LONG, .target = &o.max_size,
	  .arg = "BYTES", .min = 68, .max = 65535,
	  .help = "Largest packet to try (default: the MTU of the interface "
		  "toward the host)." },
	{ .lname = "retries", .type = OPT_LONG, .target = &o.retries, .arg = "N",
	  .min = 0, .max = 10,
	  .help = "Times the size that decides the verdict is sent again "
		  "before it is called lost, the last 1 s after the first loss "
		  "(ICMP rate limits; default 1)." },
	{ .lname = "probe-timeout", .type = OPT_DURATION,
	  .target = &o.probe_timeout_ms, .arg = "SECONDS", .min = 10,
	  .max = 60000,
	  .help = "Wait for one echo reply (default: 4 round trips of the "
		  "small echo + 100 ms, 1 s before the first reply)." },
	{ .lname = "stall", .type = OPT_DURATION, .target = &o.stall_ms,
	  .arg = "SECONDS", .min = 100, .max = 600000,
	  .help = "tcp mode: a fetch with no byte for this long has stalled "
		  "(default 2)." },
	{ .lname = "unreachable", .type = OPT_STATE, .target = &o.unreachable,
	  .arg = "STATE",
	  .help = "State when the host answers no echo at all (default "
		  "unknown: the MTU question has no answer)." },
};
/* clang-format on */

static int validate(const struct std_opts *std, char *err, size_t len)
{
	if (o.max_size && o.max_size < o.min_size) {
		snprintf(err, len, "--max-size %ld is below --min-size %ld",
			 o.max_size, o.min_size);
		return -1;
	}
	if (o.max_size && o.max_size < (long)PMTU_V6_MIN &&
	    std->family != AF_INET) {
		snprintf(err, len,
			 "--max-size %ld is below 1280, the IPv6 "
			 "minimum MTU (use -4 for IPv4 alone)",
			 o.max_size);
		return -1;
	}
	return 0;
}

/* clang-format off */
static const struct finding_doc findings[] = {
	{"path_mtu", "OK, or by -w/-c", "the path MTU found (the largest size that passes)"},
	{"pmtud_blackhole", "CRITICAL", "sizes above the MTU vanish and no Packet Too Big / fragmentation needed comes back"},
	{"icmp_screening", "CRITICAL", "1024-byte echoes pass where 1280 vanish: a filter drops large ICMP"},
	{"ipv6_min_mtu_broken", "CRITICAL", "1280-byte IPv6 packets, the minimum every link must carry, do not pass"},
	{"ipv4_min_size_broken", "CRITICAL", "IPv4 packets of --min-size do not pass"},
	{"size_rejected", "CRITICAL", "an ICMP error other than Packet Too Big rejects larger sizes"},
	{"ptb_ignored", "WARNING", "a Packet Too Big announcing an impossible MTU was ignored (RFC 8201)"},
	{"unreachable", "--unreachable (UNKNOWN)", "the host is unreachable (ICMP unreachable)"},
	{"no_answer", "--unreachable (UNKNOWN)", "no echo reply at all: the MTU question has no answer"},
	{"search_incomplete", "UNKNOWN", "-t ran out before the search ended"},
	{"fetch_complete", "OK", "tcp mode: both fetches complete"},
	{"clamped_fetch_failed", "WARNING", "tcp mode: only the fetch with the normal MSS completes"},
	{"fetch_failed", "CRITICAL", "tcp mode: both fetches fail"},
	{"server_quiet", "OK", "tcp mode: both fetches got the same bytes, then the server kept the connection open"},
	{"mss_clamped_locally", "UNKNOWN", "tcp mode: this host's cached path MTU clamps both fetches"},
	{"ptb, local_mtu, sizes, probes, response", "OK", "details: each Packet Too Big, sizes tried, echo counts, the response line"},
};
/* clang-format on */

static const struct plugin plugin = {
    .name = "check_pmtu",
    .label = "PMTU",
    .purpose = "Finds the path MTU and tells a working path from a PMTUD "
	       "blackhole or ICMP size screening.",
    .description =
	"icmp mode sends echo requests with don't-fragment (a small one, "
	"1024, 1280 and the interface MTU at once), follows each Packet "
	"Too Big or narrows lost sizes down six at a time. 1280 must pass "
	"on IPv6; sizes lost with no Packet Too Big: PMTUD blackhole; "
	"1024 passing where 1280 vanishes: ICMP size screening.\n\n"
	"tcp mode fetches a large response twice at once, with the normal "
	"MSS and with 1220 (IPv6) / 1240 (IPv4): if only the clamped one "
	"arrives, Packet Too Big does not reach the server.\n\n"
	"Both families are checked at once when the name has both. "
	"Perfdata labels are IPv6's unless they end in _v4.",
    .usage = "-H HOST [-4|-6] [--mode icmp|tcp] [-w RANGE] [-c RANGE]",
    .examples = "check_pmtu -H www.example.com -w 1400: -c 1280:\n"
		"  path MTU of both families; warn below 1400\n"
		"check_pmtu -H www.example.com --mode tcp -u /large.html\n"
		"  is a large page stuck without a small MSS?\n",
    .std = STD_HOST | STD_HOST_REQUIRED | STD_FAMILY | STD_THRESHOLDS,
    .host_help = "The host to probe: a name (A and AAAA are resolved and "
		 "checked separately) or an address.",
    .warn_help = "Range on the discovered path MTU in bytes, e.g. 1400:.",
    .crit_help = "Range on the discovered path MTU in bytes, e.g. 1280:.",
    .opts = opts,
    .nopts = sizeof opts / sizeof opts[0],
    .findings = findings,
    .nfindings = sizeof findings / sizeof findings[0],
    .validate = validate,
};

/* One in-flight size and its echo. */
struct attempt {
	struct icmp_probe p;
	struct fam *f;
	bool used;
};

struct fam {
	struct facts *fx; /* the run this family belongs to */
	int family;
	struct sockaddr_storage dst;
	char host[256 + ADDR_STRLEN + 4];
	struct icmp_sock *sock;
	struct pmtu_search s;
	struct attempt at[PMTU_FANOUT + 6];
	double wake_s;
	bool over;
	unsigned iface_mtu, cached;
	char ifname[IF_NAMESIZE];
	struct pmtu_fetch normal, clamped;
};

struct facts {
	struct fam fam[2];
	size_t n;
	double rtt_s; /* smallest round trip seen: sets the probe timeout */
	bool stopping, incomplete;
	char req[2048];
	size_t reqlen;
	struct loop loop;
};

static struct icmp_sock *early[2]; /* [0] IPv6, [1] IPv4 */
static char early_err[2][200];

static long try_timeout_ms(const struct facts *fx)
{
	if (o.probe_timeout_ms)
		return o.probe_timeout_ms;
	if (fx->rtt_s <= 0)
		return 1000;
	long ms = (long)(fx->rtt_s * 4000) + 100;
	return ms > 2000 ? 2000 : ms;
}

static void plan(struct facts *fx, struct fam *f);

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
	if (p->outcome == ICMP_REPLY) {
		if (fx->rtt_s <= 0 || p->rtt_s < fx->rtt_s)
			fx->rtt_s = p->rtt_s;
		/* Probes sent before any RTT was known need not wait 1 s. */
		for (size_t k = 0; k < fx->n; k++)
			for (size_t i = 0; i < sizeof f->at / sizeof f->at[0];
			     i++)
				if (fx->fam[k].at[i].used)
					fx->fam[k].at[i].p.timeout_ms =
					    try_timeout_ms(fx);
	}
	a->used = false;
	pmtu_record(&f->s, &r, mono_now_s());
	plan(fx, f);
}

static void plan(struct facts *fx, struct fam *f)
{
	unsigned sizes[PMTU_FANOUT + 6];
	double now = mono_now_s();
	/* The boundary's last try must be answered before the deadline. */
	f->s.confirm_by = now + deadline_remaining_ms() / 1000.0 - 0.05 -
			  try_timeout_ms(fx) / 1000.0;
	size_t n = pmtu_plan(&f->s, now, sizes, sizeof sizes / sizeof sizes[0],
			     &f->wake_s);

	if (n == 0 && f->wake_s == 0 && !pmtu_inflight(&f->s))
		f->over = true;
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
					   .timeout_ms = try_timeout_ms(fx),
					   .done = probe_done,
					   .arg = a};
		deadline_step("%s probe of %u bytes to %s",
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
	plan(f->fx, f);
}

static bool all_over(void *arg)
{
	struct facts *fx = arg;
	for (size_t i = 0; i < fx->n; i++) {
		if (o.mode == MODE_ICMP && !fx->fam[i].over)
			return false;
		if (o.mode == MODE_TCP &&
		    (fx->fam[i].normal.end == FETCH_RUNNING ||
		     fx->fam[i].clamped.end == FETCH_RUNNING))
			return false;
	}
	return true;
}

static void run_icmp(struct facts *fx)
{
	for (size_t i = 0; i < fx->n; i++) {
		struct fam *f = &fx->fam[i];
		int k = f->family == AF_INET6 ? 0 : 1;
		if (!early[k])
			report_die(plugin.label, STATE_UNKNOWN, "socket", "%s",
				   early_err[k]);
		f->sock = early[k];
		f->iface_mtu = pmtu_iface_mtu(&f->dst, f->ifname);
		f->cached = pmtu_cached(&f->dst);
		unsigned max = o.max_size     ? (unsigned)o.max_size
			       : f->iface_mtu ? f->iface_mtu
					      : 1500;
		unsigned min =
		    f->family == AF_INET6 ? PMTU_V6_MIN : (unsigned)o.min_size;
		/* An interface below min: min fails locally, and says so. */
		pmtu_init(&f->s, f->family, ICMP_DEFAULT_SIZE(f->family), min,
			  max < min ? min : max);
		f->s.retries = (unsigned)o.retries;
		if (icmp_attach(f->sock, &fx->loop) ||
		    loop_add_timer(&fx->loop, wake_next, wake_fire, f))
			report_die(plugin.label, STATE_UNKNOWN, "internal",
				   "no loop room");
	}
	for (size_t i = 0; i < fx->n; i++)
		plan(fx, &fx->fam[i]);
	if (!loop_run(&fx->loop, all_over, fx, -1)) {
		fx->stopping = fx->incomplete = true;
		for (size_t i = 0; i < fx->n; i++)
			icmp_finish(fx->fam[i].sock);
	}
}

static void run_tcp(struct facts *fx, const struct std_opts *std)
{
	char hosthdr[300];
	snprintf(hosthdr, sizeof hosthdr,
		 std->host.literal && std->host.family == AF_INET6 ? "[%s]:%ld"
								   : "%s:%ld",
		 std->host.name, o.port);
	if (o.port == 80)
		*strrchr(hosthdr, ':') = '\0';
	fx->reqlen =
	    pmtu_request(fx->req, sizeof fx->req, o.send, o.uri, hosthdr);
	if (!fx->reqlen)
		report_die(plugin.label, STATE_UNKNOWN, "usage",
			   "-u or --send is too long");
	for (size_t i = 0; i < fx->n; i++) {
		struct fam *f = &fx->fam[i];
		struct pmtu_fetch *two[2] = {&f->normal, &f->clamped};
		for (int k = 0; k < 2; k++) {
			*two[k] = (struct pmtu_fetch){
			    .dst = f->dst,
			    .req = fx->req,
			    .reqlen = fx->reqlen,
			    .stall_ms = o.stall_ms,
			    .fd = -1,
			    .mss = k == 0		   ? 0
				   : f->family == AF_INET6 ? 1220
							   : 1240,
			};
			addr_set_port((struct sockaddr *)&two[k]->dst,
				      (unsigned)o.port);
			pmtu_fetch_start(two[k], &fx->loop);
			if (loop_add_timer(&fx->loop, pmtu_fetch_next_ms,
					   pmtu_fetch_fire, two[k]))
				report_die(plugin.label, STATE_UNKNOWN,
					   "internal", "no loop room");
		}
	}
	deadline_step("fetching %s with MSS normal and clamped",
		      std->host.name);
	if (!loop_run(&fx->loop, all_over, fx, -1))
		for (size_t i = 0; i < fx->n; i++) {
			pmtu_fetch_finish(&fx->fam[i].normal);
			pmtu_fetch_finish(&fx->fam[i].clamped);
		}
}

static void add_fam(struct facts *fx, const struct std_opts *std,
		    const struct sockaddr_storage *sa)
{
	struct fam *f = &fx->fam[fx->n++];
	char a[ADDR_STRLEN];

	f->fx = fx;
	f->family = sa->ss_family;
	f->dst = *sa;
	addr_format((const struct sockaddr *)sa, a, sizeof a);
	if (std->host.literal)
		snprintf(f->host, sizeof f->host, "%s", a);
	else
		snprintf(f->host, sizeof f->host, "%s [%s]", std->host.name, a);
}

/* Literal: itself. Name: AAAA and A at once (as -4/-6 allow), the first
 * address of each family. */
static void resolve(struct facts *fx, const struct std_opts *std)
{
	static struct dns_query q[2];
	int fams[2] = {AF_INET6, AF_INET};
	char err[200], why[300] = "";
	size_t nq = 0;

	if (std->host.literal) {
		add_fam(fx, std, &std->host.sa);
		return;
	}
	long budget = deadline_remaining_ms() / 4;
	struct dns_opts dopt = {.timeout_ms = budget < 2000 ? budget : 2000,
				.tries = 2};
	struct dns_ctx *c = dns_new(&fx->loop, NULL, &dopt, err, sizeof err);
	if (!c)
		report_die(plugin.label, STATE_UNKNOWN, "dns_setup", "%s", err);
	deadline_step("resolving %s", std->host.name);
	for (int i = 0; i < 2; i++)
		if (!std->family || std->family == fams[i]) {
			snprintf(q[nq].name, sizeof q[nq].name, "%s",
				 std->host.name);
			q[nq].type = fams[i] == AF_INET6 ? DNS_AAAA : DNS_A;
			dns_submit(c, &q[nq++]);
		}
	loop_run(&fx->loop, dns_idle, c, -1);
	dns_finish(c);
	for (size_t i = 0; i < nq; i++) {
		if (q[i].naddrs)
			add_fam(fx, std, &q[i].addrs[0]);
		snprintf(why + strlen(why), sizeof why - strlen(why), "%s%s %s",
			 i ? ", " : "", dns_type_name(q[i].type),
			 dns_outcome_name(q[i].outcome));
	}
	dns_free(c);
	if (!fx->n)
		report_die(plugin.label, STATE_UNKNOWN, "unresolvable",
			   "cannot resolve %s (%s)", std->host.name, why);
}

static void judge(const struct facts *fx, const struct std_opts *std,
		  struct report *r)
{
	struct pmtu_verdict v[2];
	unsigned long sent = 0;

	for (size_t i = 0; i < fx->n; i++) {
		const struct fam *f = &fx->fam[i];
		const char *sfx = f->family == AF_INET6 ? "" : "_v4";
		char l[32];
		if (o.mode == MODE_TCP) {
			pmtu_judge_tcp(f->family, f->host, &f->normal,
				       &f->clamped, f->clamped.mss, &v[i]);
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
					     .unreachable = o.unreachable,
					     .incomplete = fx->incomplete,
					     .max_given = o.max_size != 0};
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
	if (o.mode == MODE_ICMP)
		report_perf(r, &PERF("probes", (double)sent, "c"));
	/* The worse family first: the first line is what a pager shows. */
	size_t first =
	    fx->n == 2 && state_worst(v[1].state, v[0].state) != v[0].state ? 1
									    : 0;
	for (size_t i = 0; i < fx->n; i++) {
		char a[ADDR_STRLEN];
		const struct fam *f = &fx->fam[i];
		struct about ab = {
		    .family = f->family,
		    .address = addr_format((const struct sockaddr *)&f->dst, a,
					   sizeof a),
		    .name = std->host.literal ? NULL : std->host.name};
		for (size_t k = 0; k < v[i].nitems; k++)
			report_add(r, v[i].items[k].state, v[i].items[k].code,
				   &ab, "%s", v[i].items[k].text);
	}
	for (size_t i = 0; i < fx->n && o.mode == MODE_ICMP; i++) {
		const struct fam *f = &fx->fam[i];
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
	report_summary(r, "%s%s%s", v[first].items[0].text,
		       fx->n == 2 ? "; " : "",
		       fx->n == 2 ? v[!first].items[0].text : "");
	for (size_t i = 0; i < fx->n; i++)
		report_raise(r, v[i].state);
}

int main(int argc, char **argv)
{
	static struct facts fx;
	struct std_opts std;
	struct report r;
	char err[200];

	/* Open, drop, then think (STYLE habit 10). */
	early[0] = icmp_open(AF_INET6, early_err[0], sizeof early_err[0]);
	early[1] = icmp_open(AF_INET, early_err[1], sizeof early_err[1]);
	if (priv_drop(err, sizeof err))
		report_die(plugin.label, STATE_UNKNOWN, "privileges", "%s",
			   err);
	opt_parse(&plugin, &std, argc, argv);
	loop_init(&fx.loop);
	resolve(&fx, &std);
	if (o.mode == MODE_TCP)
		run_tcp(&fx, &std);
	else
		run_icmp(&fx);
	report_init(&r, plugin.label);
	judge(&fx, &std, &r);
	report_exit(&r);
}
