/* check_rogue_ra: who advertises on this link, and is it what we allowed?
 * A device plugged in by mistake sends Router Advertisements, steals the
 * default route and hands out addresses; a segment silently carries
 * several prefixes; a /48 is advertised that SLAAC ignores; a server
 * listens to RAs it should not (CONTEXT.md section 3).
 * It sends one Router Solicitation (RFC 4861 6.3.7; not with --passive)
 * and listens --listen seconds on a raw ICMPv6 socket whose ICMP6_FILTER
 * passes RAs alone. Each RA passes the envelope first (RFC 4861 6.1.2: hop
 * limit 255, link-local source, code 0), then a bounds-checked parser
 * (prefix information, MTU, route information RFC 4191, RDNSS and DNSSL
 * RFC 8106, source link-layer address); then the policy: --router,
 * --prefix, the /64 rule of SLAAC (RFC 4862 5.5.3), --flags, --mtu,
 * --rdnss, and this host's own accept_ra.
 * A packet socket sees the same RAs as frames: a router's MAC is its
 * frames' Ethernet source, so a forged link-layer option does not hide it.
 * Privileges: CAP_NET_RAW (file capability) for both sockets, opened first
 * in main(); every capability is dropped and the drop verified before the
 * options are read.
 * States: unknown router, spoofed address, foreign prefix, off-link RA,
 * flood, no RA at all: CRITICAL; known router's mistakes: WARNING;
 * malformed RAs: WARNING, CRITICAL from an unknown sender.
 * Logic: check_rogue_ra.d/ (ra_parse: the parser and the envelope;
 * ra_sock: the sockets; ra_seen: what was seen; ra_policy: the rules;
 * ra_verdict: the findings). */
#include <arpa/inet.h>
#include <math.h>
#include <net/if.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "addr.h"
#include "deadline.h"
#include "log.h"
#include "num.h"
#include "loop.h"
#include "opt.h"
#include "priv.h"
#include "report.h"

#include "check_rogue_ra.d/ra_parse.h"
#include "check_rogue_ra.d/ra_policy.h"
#include "check_rogue_ra.d/ra_seen.h"
#include "check_rogue_ra.d/ra_sock.h"
#include "check_rogue_ra.d/ra_verdict.h"

static struct opts {
	const char *iface, *flags;
	long listen_ms, max_prefixes, mtu, max_ras;
	bool passive, baseline, allow_none;
	int accept_ra; /* 1 yes, 0 no, -1: not checked */
	struct opt_list routers, prefixes, rdnss;
	/* Derived in validate(). */
	unsigned ifindex;
	struct ra_rules rules;
} o = {
    .listen_ms = 2000,
    .max_ras = 100,
    .accept_ra = -1,
};

/* The option table is aligned by hand: one option, one block. */
/* clang-format off */
static const struct opt_def opts[] = {
	{ .sname = 'i', .lname = "interface", .type = OPT_STRING,
	  .target = &o.iface, .arg = "IFACE",
	  .help = "The link to watch (required)." },
	{ .lname = "listen", .type = OPT_DURATION, .target = &o.listen_ms,
	  .arg = "SECONDS", .min = 100, .max = 3600000,
	  .help = "How long to listen (default 2, at most -t). Solicited RAs "
		  "arrive within 0.5 s; a router that never answers "
		  "solicitations is seen only if it advertises within this "
		  "time (radvd: every 200-600 s by default)." },
	{ .lname = "passive", .type = OPT_FLAG, .target = &o.passive,
	  .help = "Send no Router Solicitation: only hear what routers send "
		  "on their own." },
	{ .lname = "router", .type = OPT_LIST, .target = &o.routers,
	  .arg = "LLA[@MAC]",
	  .help = "An allowed router by link-local address, with the MAC it "
		  "must send from (repeatable). Any other router is CRITICAL; "
		  "a known address from another MAC is spoofed, whatever its "
		  "link-layer address option claims." },
	{ .lname = "prefix", .type = OPT_LIST, .target = &o.prefixes,
	  .arg = "P/LEN",
	  .help = "An allowed prefix (repeatable). Any other prefix is "
		  "CRITICAL." },
	{ .lname = "max-prefixes", .type = OPT_LONG, .target = &o.max_prefixes,
	  .arg = "N", .min = 1, .max = 1000,
	  .help = "WARNING above N prefixes on the link (default: the number "
		  "of --prefix; no limit without them)." },
	{ .lname = "flags", .type = OPT_STRING, .target = &o.flags,
	  .arg = "M,O|M|O|none",
	  .help = "The managed (M) and other-configuration (O) flags routers "
		  "must set; WARNING otherwise." },
	{ .lname = "mtu", .type = OPT_LONG, .target = &o.mtu, .arg = "BYTES",
	  .min = 1280, .max = 65535,
	  .help = "The MTU option routers must advertise; WARNING otherwise." },
	{ .lname = "rdnss", .type = OPT_LIST, .target = &o.rdnss,
	  .arg = "ADDR",
	  .help = "A DNS server routers must advertise (repeatable; the set "
		  "must match); WARNING otherwise." },
	{ .lname = "accept-ra", .type = OPT_CHOICE, .target = &o.accept_ra,
	  .arg = "yes|no",
	  .choices = (const struct opt_choice[]){{"yes", 1}, {"no", 0},
						 {NULL, 0}},
	  .help = "Whether this host itself must accept RAs on IFACE (its "
		  "accept_ra and forwarding, as the kernel applies them); "
		  "WARNING otherwise. Servers should not." },
	{ .lname = "max-ras", .type = OPT_LONG, .target = &o.max_ras,
	  .arg = "N", .min = 1, .max = 10000000,
	  .help = "More RAs than N while listening is a flood: CRITICAL "
		  "(default 100)." },
	{ .lname = "allow-none", .type = OPT_FLAG, .target = &o.allow_none,
	  .help = "No RA at all is OK (a link without routers) instead of "
		  "CRITICAL." },
	{ .lname = "baseline", .type = OPT_FLAG, .target = &o.baseline,
	  .help = "Print the --router and --prefix options that describe "
		  "what was seen, for a first setup, and exit OK." },
};
/* clang-format on */

static const struct finding_doc findings[] = {
    {"router", "OK", "a router and what it advertises"},
    {"rogue_router", "CRITICAL", "a router that is not one of --router"},
    {"router_spoofed", "CRITICAL",
     "a --router address advertised from another MAC"},
    {"router_mac_missing", "WARNING",
     "a --router with a MAC, but no MAC known for its RAs"},
    {"rogue_prefix", "CRITICAL", "a prefix that is not one of --prefix"},
    {"prefix_not_64", "WARNING or CRITICAL",
     "an autonomous prefix that is not a /64: SLAAC ignores it (CRITICAL "
     "from an unknown router)"},
    {"too_many_prefixes", "WARNING", "more prefixes than --max-prefixes"},
    {"router_lifetime_zero", "WARNING",
     "a known router stopped being a default router"},
    {"flags_mismatch", "WARNING", "M/O flags differ from --flags"},
    {"mtu_mismatch", "WARNING", "the MTU option differs from --mtu"},
    {"rdnss_mismatch", "WARNING", "the DNS servers differ from --rdnss"},
    {"ra_malformed", "WARNING or CRITICAL",
     "RAs that do not parse (CRITICAL from an unknown sender)"},
    {"ra_envelope", "CRITICAL",
     "RAs with hop limit not 255, a source not link-local or code not 0"},
    {"ra_flood", "CRITICAL", "more than --max-ras RAs"},
    {"routers_not_examined", "WARNING", "routers beyond the table's room"},
    {"no_ra", "CRITICAL or OK", "no RA at all (OK with --allow-none)"},
    {"solicit_failed", "WARNING", "the Router Solicitation was not sent"},
    {"accept_ra", "OK", "whether this host accepts RAs on IFACE"},
    {"accept_ra_mismatch", "WARNING", "this host's setting is not --accept-ra"},
    {"baseline", "OK", "options describing what was seen (--baseline)"},
    {"privileges", "UNKNOWN",
     "no raw socket (CAP_NET_RAW missing) or capabilities not dropped"},
    {"socket", "UNKNOWN", "the socket could not be set up on IFACE"},
};

static int validate(const struct std_opts *std, char *err, size_t len)
{
	struct ra_rules *ru = &o.rules;
	char why[160];

	if (!o.iface) {
		snprintf(err, len, "-i IFACE is required");
		return -1;
	}
	if (strlen(o.iface) < IF_NAMESIZE)
		o.ifindex = if_nametoindex(o.iface);
	if (!o.ifindex) {
		snprintf(err, len, "-i: no interface \"%.32s\" on this host",
			 o.iface);
		return -1;
	}
	if (o.listen_ms > std->timeout_ms) {
		snprintf(err, len, "--listen %.1f s is longer than -t %.1f s",
			 o.listen_ms / 1000.0, std->timeout_ms / 1000.0);
		return -1;
	}
	if (o.routers.n > RA_MAX_SPECS || o.prefixes.n > RA_MAX_SPECS ||
	    o.rdnss.n > RA_MAX_RDNSS) {
		snprintf(err, len,
			 "at most %d --router, %d --prefix, %d --rdnss",
			 RA_MAX_SPECS, RA_MAX_SPECS, RA_MAX_RDNSS);
		return -1;
	}
	for (size_t i = 0; i < o.routers.n; i++)
		if (ra_router_spec_parse(o.routers.v[i],
					 &ru->router[ru->nrouter++], why,
					 sizeof why)) {
			snprintf(err, len, "--router: %s", why);
			return -1;
		}
	for (size_t i = 0; i < o.prefixes.n; i++)
		if (ra_prefix_spec_parse(o.prefixes.v[i],
					 &ru->prefix[ru->nprefix++], why,
					 sizeof why)) {
			snprintf(err, len, "--prefix: %s", why);
			return -1;
		}
	for (size_t i = 0; i < o.rdnss.n; i++)
		if (inet_pton(AF_INET6, o.rdnss.v[i],
			      &ru->rdnss[ru->nrdnss++]) != 1) {
			snprintf(err, len,
				 "--rdnss: \"%.60s\" is not an IPv6 address",
				 o.rdnss.v[i]);
			return -1;
		}
	if (o.flags && ra_flags_parse(o.flags, &ru->want_m, &ru->want_o, why,
				      sizeof why)) {
		snprintf(err, len, "--flags: %s", why);
		return -1;
	}
	ru->iface = o.iface;
	ru->flags = o.flags;
	ru->mtu = o.mtu;
	ru->accept_ra = o.accept_ra;
	ru->prefix_limit =
	    o.max_prefixes ? (size_t)o.max_prefixes : ru->nprefix;
	return 0;
}

static const struct plugin plugin = {
    .name = "check_rogue_ra",
    .label = "ROGUE_RA",
    .purpose = "Lists the routers advertising on a link and flags rogue "
	       "routers, foreign or non-/64 prefixes and hostile RAs.",
    .description =
	"Sends one Router Solicitation on IFACE (not with --passive) and "
	"listens --listen seconds for Router Advertisements. Solicited RAs "
	"arrive within half a second; a router that ignores solicitations "
	"is seen only if it advertises on its own within --listen.\n\n"
	"Every RA must come from this link (hop limit 255, link-local "
	"source, code 0) and parse cleanly; RAs that hide behind "
	"hop-by-hop, destination or fragment headers (RA-Guard evasion) "
	"are seen like any other. Each router is named by link-local "
	"address and MAC (its frames' Ethernet source; the RA's link-layer "
	"address option only where no frame matched, as for fragments) and "
	"compared with --router; each prefix with --prefix. An "
	"autonomous prefix that is not a /64 gives hosts no address.\n\n"
	"The first line counts routers and prefixes and names the worst "
	"finding; the long output has one line per router. Start with "
	"--baseline on a healthy link to get the options that describe "
	"it. This host's own port should have accept_ra 0 (check it with "
	"--accept-ra no) so rogue RAs never change its routes.",
    .usage = "-i IFACE [--router LLA[@MAC]]... [--prefix P/LEN]... "
	     "[--listen SECONDS] [--passive] [--baseline]",
    .examples =
	"check_rogue_ra -i eth0 --baseline\n"
	"  what advertises here now, as options\n"
	"check_rogue_ra -i eth0 --router fe80::1@02:00:5e:00:53:01\n"
	"  only this router, from this MAC\n"
	"check_rogue_ra -i eth0 --prefix 2001:db8:1a::/64 --accept-ra no\n"
	"  only this prefix; this server ignores RAs\n",
    .std = 0,
    .opts = opts,
    .nopts = sizeof opts / sizeof opts[0],
    .findings = findings,
    .nfindings = sizeof findings / sizeof findings[0],
    .validate = validate,
};

/* What the window saw; judge() reads only this. */
struct facts {
	struct ra_seen seen;
	double listen_s;
	bool passive, solicited;
	char solicit_err[160];
	int accept_ra, forwarding; /* -1: unreadable */
	int fd, link_fd; /* link_fd -1: MACs from the RAs' options alone */
	double t0;
	struct loop loop;
	struct ra_packet pkt;
	struct ra_frame frame;
};

/* Envelope first: an RA that fails it is a finding, never data. */
static void take(struct facts *fx, const struct ra_packet *p)
{
	char src[INET6_ADDRSTRLEN];
	struct ra ra;
	size_t at = 0;
	unsigned type = 0;
	double t = mono_now_s() - fx->t0;
	int code = p->len >= 2 ? p->data[1] : -1;

	if (p->ifindex != o.ifindex)
		return; /* another interface */
	addr_rfc5952(&p->src, src, sizeof src);
	enum ra_envelope env = ra_envelope_check(p->hoplimit, &p->src, code);
	if (env != RA_ENV_OK) {
		vlog(2, "RA from %s: %s\n", src, ra_envelope_text(env));
		ra_seen_offlink(&fx->seen, &p->src, env, p->hoplimit, code);
		return;
	}
	enum ra_error e = p->truncated
			      ? RA_OPT_OVERRUN
			      : ra_parse(p->data, p->len, &ra, &at, &type);
	if (e != RA_OK) {
		vlog(2, "RA from %s: malformed: %s\n", src, ra_error_text(e));
		ra_seen_malformed(&fx->seen, &p->src, e, at, type,
				  p->truncated);
		return;
	}
	vlog(2,
	     "RA from %s at %.3f s: hop limit %d, lifetime %u s, %zu "
	     "prefixes, %zu options\n",
	     src, t, p->hoplimit, ra.lifetime_s, ra.nprefix, ra.noptions);
	const uint8_t *mac = ra_seen_frame_mac(
	    &fx->seen, ra_packet_hash(&p->src, p->data, p->len));
	ra_seen_ra(&fx->seen, &p->src, &ra, mac, t);
}

/* Frames reach the packet socket before the raw socket's copy: each
 * leaves its Ethernet source behind for take() to find. */
static void frames(int fd, short revents, void *arg)
{
	struct facts *fx = arg;
	struct ra_frame *f = &fx->frame;
	struct in6_addr src;
	size_t off;
	(void)revents;

	for (int i = 0; i < 256; i++) {
		if (ra_sock_recv_link(fd, f) <= 0)
			return;
		if (!f->has_mac || f->ifindex != o.ifindex ||
		    ra_ip6_icmp(f->data, f->len, &src, &off))
			continue;
		ra_seen_frame(&fx->seen,
			      ra_packet_hash(&src, f->data + off, f->len - off),
			      f->mac);
	}
}

static void readable(int fd, short revents, void *arg)
{
	struct facts *fx = arg;
	(void)revents;
	if (fx->link_fd >= 0)
		frames(fx->link_fd, POLLIN, fx);
	/* A bounded batch, so a flood cannot hold the loop past its time. */
	for (int i = 0; i < 256; i++) {
		int n = ra_sock_recv(fd, &fx->pkt);
		if (n < 0)
			vlog(1, "receive on %s failed\n", o.iface);
		if (n <= 0)
			return;
		take(fx, &fx->pkt);
	}
}

static bool never(void *arg)
{
	(void)arg;
	return false;
}

static int read_sysctl(const char *name)
{
	char path[128], line[32], why[80];
	long v;
	snprintf(path, sizeof path, "/proc/sys/net/ipv6/conf/%s/%s", o.iface,
		 name);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	char *got = fgets(line, sizeof line, f);
	fclose(f);
	if (!got)
		return -1;
	line[strcspn(line, "\n")] = '\0';
	return num_long(line, -1, 2, &v, why, sizeof why) ? -1 : (int)v;
}

static void run(struct facts *fx)
{
	char err[200];

	fx->passive = o.passive;
	ra_seen_init(&fx->seen);
	deadline_step("joining all-nodes on %s", o.iface);
	if (ra_sock_attach(fx->fd, o.iface, o.ifindex, err, sizeof err))
		report_die(plugin.label, STATE_UNKNOWN, "socket", "%s", err);
	vlog(3,
	     "raw ICMPv6 socket on %s (index %u): RAs only, hop limit and "
	     "packet info asked, ff02::1 joined\n",
	     o.iface, o.ifindex);
	if (fx->link_fd < 0)
		vlog(1, "no packet socket: MACs from the RAs' options alone\n");
	if (fx->link_fd >= 0 &&
	    ra_sock_bind_link(fx->link_fd, o.ifindex, err, sizeof err)) {
		vlog(1, "%s: MACs from the RAs' options alone\n", err);
		close(fx->link_fd);
		fx->link_fd = -1;
	}
	loop_init(&fx->loop);
	if (loop_watch(&fx->loop, fx->fd, POLLIN, readable, fx) ||
	    (fx->link_fd >= 0 &&
	     loop_watch(&fx->loop, fx->link_fd, POLLIN, frames, fx)))
		report_die(plugin.label, STATE_UNKNOWN, "socket", "no memory");
	fx->t0 = mono_now_s();
	if (!o.passive) {
		fx->solicited = !ra_sock_solicit(
		    fx->fd, o.ifindex, fx->solicit_err, sizeof fx->solicit_err);
		vlog(1, "Router Solicitation on %s: %s\n", o.iface,
		     fx->solicited ? "sent" : fx->solicit_err);
	}
	deadline_step("listening for Router Advertisements on %s", o.iface);
	loop_run(&fx->loop, never, fx, o.listen_ms);
	fx->listen_s = mono_now_s() - fx->t0;
	vlog(1,
	     "%u RAs on %s in %.2f s: %zu routers, %u malformed, %u off-link\n",
	     fx->seen.ras, o.iface, fx->listen_s,
	     fx->seen.nrouter + fx->seen.routers_dropped, fx->seen.bad_ras,
	     fx->seen.offl_ras);
	fx->accept_ra = read_sysctl("accept_ra");
	fx->forwarding = read_sysctl("forwarding");
}

/* ---- judge(): facts + opts -> findings, states, perfdata; the verdicts
 * on one router, on hostile RAs and on this host are in ra_verdict. */

/* The first line counts routers and prefixes, then names the worst
 * finding and how many others are not OK. */
static void summary(struct report *r, size_t nrouter, size_t nprefix,
		    const char *iface)
{
	enum state worst = report_state(r);
	const char *text = NULL;
	size_t bad = 0;
	char more[32] = "";

	for (size_t i = 0; i < r->nitems; i++) {
		const struct report_item *it = &r->items[i];
		if (it->state == STATE_OK)
			continue;
		bad++;
		if (!text && it->state == worst)
			text = it->text;
	}
	if (!text)
		text = "as allowed";
	if (bad > 1)
		snprintf(more, sizeof more, " (+%zu more)", bad - 1);
	report_summary(r, "%zu router%s, %zu prefix%s on %s: %s%s", nrouter,
		       nrouter == 1 ? "" : "s", nprefix,
		       nprefix == 1 ? "" : "es", iface, text, more);
}

static void judge(const struct facts *fx, const struct opts *op,
		  struct report *r)
{
	const struct ra_seen *s = &fx->seen;
	const struct ra_rules *ru = &op->rules;
	struct about ab = {.iface = op->iface};
	size_t unknown = 0, nprefix = ra_seen_prefixes(s);
	size_t nrouter = s->nrouter + s->routers_dropped;

	if (op->baseline)
		ra_verdict_baseline(s, ru, r);
	if (!op->baseline && s->ras > (unsigned)op->max_ras)
		report_add(r, STATE_CRITICAL, "ra_flood", &ab,
			   "RA flood: %u RAs on %s in %.1f s (more than %ld)",
			   s->ras, op->iface, fx->listen_s, op->max_ras);
	if (!op->baseline && s->ras == 0)
		report_add(r, op->allow_none ? STATE_OK : STATE_CRITICAL,
			   "no_ra", &ab,
			   "no Router Advertisement on %s in %.1f s (%s)",
			   op->iface, fx->listen_s,
			   fx->passive ? "passive: routers that advertise less "
					 "often are missed"
				       : "a Router Solicitation was sent");
	if (!op->baseline && !fx->passive && !fx->solicited)
		report_add(r, STATE_WARNING, "solicit_failed", &ab,
			   "%s on %s: only unsolicited RAs were heard",
			   fx->solicit_err, op->iface);
	for (size_t i = 0; i < s->nrouter && !op->baseline; i++) {
		enum ra_known k = ra_verdict_router(&s->router[i], ru, r);
		if (k == RA_UNKNOWN || k == RA_SPOOFED)
			unknown++;
	}
	if (!op->baseline && s->routers_dropped)
		report_add(r, STATE_WARNING, "routers_not_examined", &ab,
			   "%zu more routers were not examined (room for %d)",
			   s->routers_dropped, RA_MAX_ROUTERS);
	if (!op->baseline && ru->prefix_limit && nprefix > ru->prefix_limit)
		report_add(r, STATE_WARNING, "too_many_prefixes", &ab,
			   "%zu prefixes on %s, at most %zu expected: hosts "
			   "get several",
			   nprefix, op->iface, ru->prefix_limit);
	if (!op->baseline) {
		ra_verdict_bad(s, ru, r);
		ra_verdict_host(fx->accept_ra, fx->forwarding, ru, r);
		summary(r, nrouter, nprefix, op->iface);
	}
	report_perf(r, &PERF("routers", (double)nrouter, ""));
	report_perf(r, &PERF("prefixes", (double)nprefix, ""));
	report_perf(r, &PERF("unknown_routers", (double)unknown, ""));
	report_perf(r, &PERF("malformed", (double)s->bad_ras, ""));
	report_perf(r, &PERF("ras", (double)s->ras, ""));
	report_perf(
	    r, &PERF("first_ra", s->first_ra_s < 0 ? NAN : s->first_ra_s, "s"));
}

int main(int argc, char **argv)
{
	static struct facts fx;
	struct std_opts std;
	struct report r;
	char err[200], open_err[200];

	/* Open, drop, then think (STYLE habit 10). */
	fx.fd = ra_sock_open(open_err, sizeof open_err);
	fx.link_fd = ra_sock_open_link(err, sizeof err);
	if (priv_drop(err, sizeof err))
		report_die(plugin.label, STATE_UNKNOWN, "privileges", "%s",
			   err);
	opt_parse(&plugin, &std, argc, argv);
	if (fx.fd < 0)
		report_die(plugin.label, STATE_UNKNOWN, "privileges",
			   "%s: it needs CAP_NET_RAW (as root: setcap "
			   "cap_net_raw+ep %s)",
			   open_err, argv[0]);
	run(&fx);
	report_init(&r, plugin.label);
	judge(&fx, &o, &r);
	report_exit(&r);
}
