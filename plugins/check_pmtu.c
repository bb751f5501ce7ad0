/* check_pmtu: finds the path MTU toward a host and tells a working path
 * from a PMTUD blackhole (README, The failures) and from "Large ICMP"
 * screening. IPv6 routers never fragment (RFC 8200 section 5): a sender
 * learns the MTU only from Packet Too Big (RFC 8201; RFC 1191 for IPv4's
 * fragmentation needed). When that ICMP is dropped, handshakes and small
 * answers work and large ones hang.
 * icmp mode: echo requests with don't-fragment, errors from the socket's
 * error queue (common/icmp), the search in check_pmtu.d/search, the verdicts in
 * check_pmtu.d/judge and the report in check_pmtu.d/verdict (facts.h: what
 * a run observed), the echo engine in check_pmtu.d/echo. tcp mode: the talk's diagnosis, two fetches at once
 * (check_pmtu.d/fetch), one with the normal MSS and one clamped to fit 1280
 * (1220 IPv6, 1240 IPv4).
 * Privileges: a ping socket where net.ipv4.ping_group_range allows, else a
 * raw socket (cap_net_raw) opened first in main(); every capability is
 * dropped before the options are read.
 * A name's AAAA and A are asked at once and each family is probed as soon
 * as its own answer arrives; an AAAA (A) query unanswered while the other
 * answers is CRITICAL aaaa_unanswered, the other family still measured.
 * --source / --interface bind the echo sockets (after the options are read)
 * and the fetches.
 * States: the MTU by -w/-c (OK without them); blackhole, screening, 1280
 * broken, both fetches failing, one DNS type failing: CRITICAL; no answer
 * at all: UNKNOWN (--unreachable); a wait cut by -t (a search, a fetch still
 * receiving): the -t state. A cached path MTU that clamps the normal fetch:
 * OK, saying what could not be tested. Perfdata labels are IPv6's unless
 * they end in _v4. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "addr.h"
#include "deadline.h"
#include "dns.h"
#include "icmp.h"
#include "log.h"
#include "loop.h"
#include "opt.h"
#include "check_pmtu.d/echo.h"
#include "check_pmtu.d/facts.h"
#include "check_pmtu.d/fetch.h"
#include "check_pmtu.d/judge.h"
#include "check_pmtu.d/route.h"
#include "check_pmtu.d/search.h"
#include "check_pmtu.d/verdict.h"
#include "priv.h"
#include "report.h"
#include "text.h"

static struct opts o = {
    .mode = MODE_ICMP,
    .port = 80,
    .min_size = 576,
    .retries = 1,
    .stall_ms = 2000,
    .uri = "/",
    .unreachable = STATE_UNKNOWN,
};

static int parse_bytes(const char *arg, void *target, char *err, size_t len)
{
	char *end;
	errno = 0;
	long long v = strtoll(arg, &end, 10);

	if (errno || end == arg || *end || v < 1) {
		snprintf(err, len, "--response-size: '%s' is not a byte count",
			 arg);
		return -1;
	}
	*(long long *)target = v;
	return 0;
}

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
	{ .lname = "response-size", .type = OPT_CUSTOM,
	  .target = &o.response_size, .arg = "BYTES", .parse = parse_bytes,
	  .help = "tcp mode: the response is complete after BYTES bytes, "
		  "head included, whether or not the server closes (default: "
		  "by an HTTP Content-Length, else when the server closes)." },
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
	{"ptb_ignored", "WARNING", "a Packet Too Big announcing an out-of-range MTU (0, below 1280 / 68, or not below the probe) was ignored (RFC 8201)"},
	{"unreachable", "--unreachable (UNKNOWN)", "the host is unreachable (ICMP unreachable)"},
	{"no_answer", "--unreachable (UNKNOWN); -t state when -t cut the wait", "no echo reply at all: the MTU question has no answer"},
	{"search_incomplete", "-t state (UNKNOWN)", "-t ran out before the search ended"},
	{"aaaa_unanswered, a_unanswered", "CRITICAL", "the AAAA (A) query gets no answer while the other does: clients wait; the answered family is still checked"},
	{"aaaa_nxdomain, a_nxdomain, aaaa_error, a_error", "CRITICAL", "NXDOMAIN or another failure for one type while the other answers"},
	{"fetch_complete", "OK", "tcp mode: both fetches complete (the server closed, or Content-Length / --response-size bytes came)"},
	{"still_receiving", "-t state (UNKNOWN)", "tcp mode: a fetch was still receiving when -t ran out: slow, not stalled"},
	{"clamped_fetch_failed", "WARNING", "tcp mode: only the fetch with the normal MSS completes"},
	{"fetch_failed", "CRITICAL (-t state when -t cut a wait)", "tcp mode: both fetches fail"},
	{"server_quiet", "OK", "tcp mode: both fetches got the same bytes, then the server kept the connection open"},
	{"mss_clamped_locally", "OK", "tcp mode: the response arrives, but this host's cached path MTU clamps both fetches: a blackhole could not be tested"},
	{"source", "UNKNOWN", "--source or --interface cannot be used"},
	{"ptb, local_mtu, sizes, probes, response, dns_answer", "OK", "details: each Packet Too Big, sizes tried, echo counts, the response line, the DNS answers"},
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
    .std =
	STD_HOST | STD_HOST_REQUIRED | STD_FAMILY | STD_THRESHOLDS | STD_SOURCE,
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

static struct icmp_sock *early[2]; /* [0] IPv6, [1] IPv4 */
static char early_err[2][200];

static void start_icmp(struct facts *fx, struct fam *f)
{
	int k = f->family == AF_INET6 ? 0 : 1;
	const struct std_opts *std = fx->std;

	if (!early[k])
		report_die(plugin.label, STATE_UNKNOWN, "socket", "%s",
			   early_err[k]);
	f->sock = early[k];
	f->iface_mtu = pmtu_iface_mtu(
	    &f->dst, k ? &std->source4 : &std->source6, std->iface, f->ifname);
	f->cached =
	    pmtu_cached(&f->dst, k ? &std->source4 : &std->source6, std->iface);
	unsigned max = o.max_size     ? (unsigned)o.max_size
		       : f->iface_mtu ? f->iface_mtu
				      : 1500;
	/* Loopback's MTU is 65536: no IP packet is that large. */
	if (max > PMTU_MAX_PACKET)
		max = PMTU_MAX_PACKET;
	unsigned min =
	    f->family == AF_INET6 ? PMTU_V6_MIN : (unsigned)o.min_size;
	/* An interface below min: min fails locally, and says so. */
	pmtu_init(&f->s, f->family, ICMP_DEFAULT_SIZE(f->family), min,
		  max < min ? min : max);
	f->s.retries = (unsigned)o.retries;
	if (pmtu_echo_begin(fx, f))
		report_die(plugin.label, STATE_UNKNOWN, "internal",
			   "no loop room");
}

static void start_tcp(struct facts *fx, struct fam *f)
{
	struct pmtu_fetch *two[2] = {&f->normal, &f->clamped};
	const struct std_opts *std = fx->std;

	for (int k = 0; k < 2; k++) {
		*two[k] = (struct pmtu_fetch){
		    .dst = f->dst,
		    .req = fx->req,
		    .reqlen = fx->reqlen,
		    .stall_ms = o.stall_ms,
		    .expect_bytes = o.response_size,
		    .src =
			f->family == AF_INET6 ? &std->source6 : &std->source4,
		    .iface = std->iface,
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
			report_die(plugin.label, STATE_UNKNOWN, "internal",
				   "no loop room");
	}
	deadline_step("the %s fetch of %s with MSS normal and clamped",
		      addr_family_name(f->family), f->host);
}

static void add_fam(struct facts *fx, const struct sockaddr_storage *sa)
{
	const struct std_opts *std = fx->std;
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
	if (o.mode == MODE_TCP)
		start_tcp(fx, f);
	else
		start_icmp(fx, f);
}

static bool fam_over(const struct fam *f)
{
	if (o.mode == MODE_ICMP)
		return f->over;
	return f->normal.end != FETCH_RUNNING &&
	       f->clamped.end != FETCH_RUNNING;
}

/* The loop's done(): starts a family's probes when its address arrives,
 * and is true when every answer is in and every family is over. */
static bool step(void *arg)
{
	struct facts *fx = arg;

	for (int i = 0; i < 2; i++)
		if (fx->asked[i] && !fx->started[i] &&
		    fx->q[i].outcome != DNS_PENDING) {
			fx->started[i] = true;
			vlog(1, "DNS %s %s: %s, %zu addresses, in %.4f s\n",
			     dns_type_name(fx->q[i].type), fx->q[i].name,
			     dns_outcome_name(fx->q[i].outcome),
			     fx->q[i].naddrs, fx->q[i].elapsed_s);
			if (fx->q[i].naddrs)
				add_fam(fx, &fx->q[i].addrs[0]);
		}
	if (fx->dns && !dns_idle(fx->dns))
		return false;
	for (size_t i = 0; i < fx->n; i++)
		if (!fam_over(&fx->fam[i]))
			return false;
	return true;
}

static long dns_next_ms(void *arg)
{
	const struct facts *fx = arg;

	if (fx->dns_until <= 0 || !fx->dns || dns_idle(fx->dns))
		return -1;
	double left = (fx->dns_until - mono_now_s()) * 1000;
	return left <= 0 ? 0 : (long)(left + 0.999);
}

/* The DNS limit: an answer that has not come by then is unanswered, with
 * the rest of -t left for the other family's probes. */
static void dns_give_up(void *arg)
{
	struct facts *fx = arg;

	fx->dns_until = 0;
	dns_finish(fx->dns);
}

/* Literal: itself. Name: AAAA and A at once (as -4/-6 allow), the first
 * address of each family; each family's probes start when its own answer
 * arrives. */
static void resolve(struct facts *fx)
{
	const struct std_opts *std = fx->std;
	char err[200];

	if (std->host.literal) {
		add_fam(fx, &std->host.sa);
		return;
	}
	/* An AAAA that never comes is a finding; the rest of -t is the
	 * probes'. Names in /etc/hosts are answered from it, as the system's
	 * resolver does (-H localhost); queries leave from --source and
	 * --interface as the probes do. */
	long limit = std->timeout_ms * 2 / 5;
	struct dns_opts dopt = {.query_ms = limit,
				.tries = 2,
				.hosts = true,
				.source4 = std->source4,
				.source6 = std->source6};
	snprintf(dopt.iface, sizeof dopt.iface, "%s", std->iface);
	fx->dns = dns_new(&fx->loop, NULL, &dopt, err, sizeof err);
	if (!fx->dns)
		report_die(plugin.label, STATE_UNKNOWN, "dns_setup", "%s", err);
	fx->dns_until = mono_now_s() + (double)limit / 1000;
	if (loop_add_timer(&fx->loop, dns_next_ms, dns_give_up, fx))
		report_die(plugin.label, STATE_UNKNOWN, "internal",
			   "no loop room");
	deadline_step("resolving %s", std->host.name);
	for (int i = 0; i < 2; i++) {
		int fam = i == 0 ? AF_INET6 : AF_INET;
		fx->asked[i] = !std->family || std->family == fam;
		if (!fx->asked[i])
			continue;
		snprintf(fx->q[i].name, sizeof fx->q[i].name, "%s",
			 std->host.name);
		fx->q[i].type = fam == AF_INET6 ? DNS_AAAA : DNS_A;
		dns_submit(fx->dns, &fx->q[i]);
	}
}

static void stop(struct facts *fx);

static void unresolvable(const struct facts *fx)
{
	char why[300] = "";

	for (int i = 0; i < 2; i++)
		if (fx->asked[i])
			snprintf(why + strlen(why), sizeof why - strlen(why),
				 "%s%s %s", why[0] ? ", " : "",
				 dns_type_name(fx->q[i].type),
				 dns_outcome_name(fx->q[i].outcome));
	report_die(
	    plugin.label, fx->dns_cut ? fx->std->timeout_state : STATE_UNKNOWN,
	    "unresolvable", "cannot resolve %s (%s%s)", fx->std->host.name, why,
	    fx->dns_cut ? "; -t ran out during resolving" : "");
}

static void run(struct facts *fx)
{
	const struct std_opts *std = fx->std;

	if (o.mode == MODE_TCP) {
		char hosthdr[300];
		snprintf(hosthdr, sizeof hosthdr,
			 std->host.literal && std->host.family == AF_INET6
			     ? "[%s]:%ld"
			     : "%s:%ld",
			 std->host.name, o.port);
		if (o.port == 80)
			*strrchr(hosthdr, ':') = '\0';
		fx->reqlen = pmtu_request(fx->req, sizeof fx->req, o.send,
					  o.uri, hosthdr);
		if (!fx->reqlen)
			report_die(plugin.label, STATE_UNKNOWN, "usage",
				   "-u or --send is too long");
	}
	resolve(fx);
	if (!loop_run(&fx->loop, step, fx, -1))
		stop(fx);
	if (!fx->n)
		unresolvable(fx);
}

/* -t ran out: what is still waiting was cut, not answered. */
static void stop(struct facts *fx)
{
	fx->stopping = fx->incomplete = true;
	if (fx->dns && !dns_idle(fx->dns)) {
		fx->dns_cut = true;
		dns_finish(fx->dns);
	}
	for (size_t i = 0; i < fx->n; i++) {
		if (o.mode == MODE_TCP) {
			pmtu_fetch_finish(&fx->fam[i].normal);
			pmtu_fetch_finish(&fx->fam[i].clamped);
		} else {
			icmp_finish(fx->fam[i].sock);
		}
	}
}

/* --source and --interface on the echo sockets, opened before the options
 * were read; in tcp mode a trial TCP socket of each family, so that a
 * refusal is said once (UNKNOWN) instead of as two failed fetches. */
static void bind_early(const struct std_opts *std)
{
	char err[240];

	for (int k = 0; k < 2; k++) {
		int fam = k ? AF_INET : AF_INET6;
		const struct sockaddr_storage *src =
		    k ? &std->source4 : &std->source6;
		int rc = 0;
		if (o.mode == MODE_ICMP && early[k]) {
			rc = icmp_bind(early[k], src, std->iface, err,
				       sizeof err);
		} else if (o.mode == MODE_TCP &&
			   (src->ss_family || std->iface[0])) {
			int fd = socket(fam, SOCK_STREAM | SOCK_CLOEXEC, 0);
			if (fd >= 0) {
				rc = icmp_bind_fd(fd, fam, src, std->iface, err,
						  sizeof err);
				close(fd);
			}
		}
		if (rc)
			report_die(plugin.label, STATE_UNKNOWN, "source", "%s",
				   err);
	}
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
	bind_early(&std);
	loop_init(&fx.loop);
	fx.std = &std;
	fx.op = &o;
	run(&fx);
	report_init(&r, plugin.label);
	pmtu_report(&fx, &o, &std, plugin.label, &r);
	report_exit(&r);
}
