/* test_rogue_ra: the pure parts of check_rogue_ra. The RA parser over the
 * hex fixtures in t/data/rogue_ra/ (good and hostile) and over every
 * truncation and corruption of a good RA; the envelope rules; option
 * specs and the policy; the bounded tables of what was seen; and judge()
 * over hand-made facts. The plugin is included whole, its main() renamed. */
#define main plugin_main
#include "../../plugins/check_rogue_ra.c"
#undef main

#include <dirent.h>

#include "tap.h"


/* ---- the parser over the fixtures in t/data/rogue_ra/ ---------------- */

static const char *const error_names[] = {
    [RA_OK] = "ok",
    [RA_SHORT] = "short",
    [RA_NOT_RA] = "not_ra",
    [RA_OPT_ZERO_LEN] = "opt_zero_len",
    [RA_OPT_OVERRUN] = "opt_overrun",
    [RA_OPT_BAD_LEN] = "opt_bad_len",
    [RA_OPT_BAD_CONTENT] = "opt_bad_content",
};

/* A fixture: "# comment", "# expect: WORD key=value...", then hex. */
struct fixture {
	uint8_t b[4096];
	size_t len;
	char expect[256];
};

static int fixture_read(const char *path, struct fixture *fx)
{
	FILE *f = fopen(path, "r");
	char line[512];

	if (!f)
		return -1;
	memset(fx, 0, sizeof *fx);
	while (fgets(line, sizeof line, f)) {
		if (!strncmp(line, "# expect: ", 10)) {
			snprintf(fx->expect, sizeof fx->expect, "%.250s",
				 line + 10);
			fx->expect[strcspn(fx->expect, "\n")] = '\0';
		}
		if (line[0] == '#')
			continue;
		fx->len += hex(line, fx->b + fx->len, sizeof fx->b - fx->len);
	}
	fclose(f);
	return 0;
}

/* The value of key=... in the expectation, or NULL. */
static const char *want(const char *expect, const char *key, char *out,
			size_t len)
{
	char pat[40];
	snprintf(pat, sizeof pat, " %s=", key);
	const char *p = strstr(expect, pat);
	if (!p)
		return NULL;
	p += strlen(pat);
	snprintf(out, len, "%.*s", (int)strcspn(p, " "), p);
	return out;
}

static void check_fixture(const char *dir, const char *name)
{
	char path[600], msg[300], v[128];
	struct fixture fx;
	struct ra ra;
	size_t at;
	unsigned type;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	if (fixture_read(path, &fx)) {
		ok(0, path);
		return;
	}
	enum ra_error e = ra_parse(fx.b, fx.len, &ra, &at, &type);
	char word[40];
	snprintf(word, sizeof word, "%.*s", (int)strcspn(fx.expect, " "),
		 fx.expect);
	snprintf(msg, sizeof msg, "%s: %s", name, word);
	is_str(error_names[e], word, msg);
	if (e != RA_OK) {
		struct ra zero;
		memset(&zero, 0, sizeof zero);
		snprintf(msg, sizeof msg, "%s: nothing half-used", name);
		ok(!memcmp(&ra, &zero, sizeof ra), msg);
		return;
	}
	if (want(fx.expect, "prefixes", v, sizeof v)) {
		snprintf(msg, sizeof msg, "%s: %s prefixes", name, v);
		is_int(ra.nprefix, atoi(v), msg);
	}
	if (want(fx.expect, "rdnss", v, sizeof v)) {
		snprintf(msg, sizeof msg, "%s: %s RDNSS", name, v);
		is_int(ra.nrdnss, atoi(v), msg);
	}
	if (want(fx.expect, "routes", v, sizeof v)) {
		snprintf(msg, sizeof msg, "%s: %s routes", name, v);
		is_int(ra.nroute, atoi(v), msg);
	}
	if (want(fx.expect, "mtu", v, sizeof v)) {
		snprintf(msg, sizeof msg, "%s: MTU %s", name, v);
		is_int(ra.has_mtu ? ra.mtu : 0, atoi(v), msg);
	}
	if (want(fx.expect, "dnssl", v, sizeof v)) {
		for (char *c = v; *c; c++)
			if (*c == ',')
				*c = ' ';
		snprintf(msg, sizeof msg, "%s: DNSSL", name);
		is_str(ra.dnssl, v, msg);
	}
	if (want(fx.expect, "lladdr", v, sizeof v)) {
		char mac[20] = "none";
		if (ra.has_lladdr)
			ra_mac_text(ra.lladdr, mac, sizeof mac);
		snprintf(msg, sizeof msg, "%s: lladdr %s", name, v);
		is_str(mac, v, msg);
	}
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static void fixtures(void)
{
	const char *dir = "t/data/rogue_ra";
	struct dirent **list;
	int n = scandir(dir, &list, NULL, by_name);
	int seen = 0;

	for (int i = 0; i < n; i++) {
		const char *d = list[i]->d_name;
		size_t l = strlen(d);
		if (l > 4 && !strcmp(d + l - 4, ".hex")) {
			check_fixture(dir, d);
			seen++;
		}
		free(list[i]);
	}
	if (n >= 0)
		free(list);
	ok(seen >= 20, "at least 20 fixtures replayed");
}

/* Every prefix of every fixture, and every single-byte corruption of the
 * good ones, parses to a verdict without reading out of bounds (ASan). */
static void truncations(void)
{
	struct fixture fx;
	struct ra ra;
	size_t bad = 0, okay = 0;

	if (fixture_read("t/data/rogue_ra/good-all.hex", &fx)) {
		ok(0, "good-all.hex readable");
		return;
	}
	for (size_t l = 0; l < fx.len; l++) {
		if (ra_parse(fx.b, l, &ra, NULL, NULL) == RA_OK)
			okay++;
		else
			bad++;
	}
	ok(bad > 0 && okay > 0, "truncations: some cut at option bounds parse");
	for (size_t i = 16; i < fx.len; i++)
		for (unsigned v = 0; v < 256; v += 17) {
			uint8_t c[4096];
			memcpy(c, fx.b, fx.len);
			c[i] = (uint8_t)v;
			ra_parse(c, fx.len, &ra, NULL, NULL);
		}
	ok(1, "corruptions: every byte of good-all, 16 values, no crash");
}

/* ---- the envelope (RFC 4861 6.1.2) ---------------------------------- */

static struct in6_addr a6(const char *s)
{
	struct in6_addr a;
	inet_pton(AF_INET6, s, &a);
	return a;
}

static void envelope(void)
{
	struct in6_addr ll = a6("fe80::1"), gl = a6("2001:db8::1");
	struct in6_addr ll2 = a6("febf::1"), notll = a6("fec0::1");

	is_int(ra_envelope_check(255, &ll, 0), RA_ENV_OK, "255, fe80::1, 0");
	is_int(ra_envelope_check(255, &ll2, 0), RA_ENV_OK,
	       "febf:: is fe80::/10");
	is_int(ra_envelope_check(64, &ll, 0), RA_ENV_HOPLIMIT, "hop limit 64");
	is_int(ra_envelope_check(254, &ll, 0), RA_ENV_HOPLIMIT,
	       "hop limit 254");
	is_int(ra_envelope_check(-1, &ll, 0), RA_ENV_NO_HOPLIMIT,
	       "no hop limit control message");
	is_int(ra_envelope_check(255, &gl, 0), RA_ENV_NOT_LINK_LOCAL,
	       "global source");
	is_int(ra_envelope_check(255, &notll, 0), RA_ENV_NOT_LINK_LOCAL,
	       "fec0:: is not link-local");
	is_int(ra_envelope_check(255, &ll, 1), RA_ENV_CODE, "code 1");
	is_int(ra_envelope_check(255, &ll, -1), RA_ENV_OK,
	       "no code byte: left to the parser");
}

/* ---- options and policy --------------------------------------------- */

static void specs(void)
{
	struct ra_router_spec rs;
	struct ra_prefix_spec ps;
	char err[200], mac[20];
	bool m, o_;

	is_int(ra_router_spec_parse("fe80::1", &rs, err, sizeof err), 0,
	       "--router fe80::1");
	ok(!rs.has_mac, "--router without MAC");
	is_int(ra_router_spec_parse("fe80::1@02:00:00:00:0B:ad", &rs, err,
				    sizeof err),
	       0, "--router with MAC");
	ra_mac_text(rs.mac, mac, sizeof mac);
	is_str(mac, "02:00:00:00:0b:ad", "MAC read, printed lowercase");
	is_int(ra_router_spec_parse("fe80::1@02-00-00-00-00-01", &rs, err,
				    sizeof err),
	       0, "MAC with dashes");
	is_int(ra_router_spec_parse("2001:db8::1", &rs, err, sizeof err), -1,
	       "--router global address refused");
	ok(strstr(err, "not link-local") != NULL, "... says why");
	is_int(ra_router_spec_parse("fe80::1@02:00:00:00:00", &rs, err,
				    sizeof err),
	       -1, "short MAC refused");
	is_int(ra_router_spec_parse("fe80::1@02:00:00:00:00:01:02", &rs, err,
				    sizeof err),
	       -1, "long MAC refused");
	is_int(ra_router_spec_parse("nonsense", &rs, err, sizeof err), -1,
	       "--router nonsense refused");
	is_int(ra_prefix_spec_parse("2001:db8:1a::/64", &ps, err, sizeof err),
	       0, "--prefix /64");
	is_int(ps.len, 64, "prefix length");
	is_int(ra_prefix_spec_parse("2001:db8:1a::1/64", &ps, err, sizeof err),
	       -1, "--prefix with host bits refused");
	is_int(ra_prefix_spec_parse("2001:db8::/129", &ps, err, sizeof err), -1,
	       "--prefix /129 refused");
	is_int(ra_prefix_spec_parse("2001:db8::", &ps, err, sizeof err), -1,
	       "--prefix without length refused");
	is_int(ra_prefix_spec_parse("2001:db8::/6x", &ps, err, sizeof err), -1,
	       "--prefix /6x refused");
	is_int(ra_flags_parse("M,O", &m, &o_, err, sizeof err), 0, "flags M,O");
	ok(m && o_, "M,O: both");
	is_int(ra_flags_parse("O", &m, &o_, err, sizeof err), 0, "flags O");
	ok(!m && o_, "O: other only");
	is_int(ra_flags_parse("none", &m, &o_, err, sizeof err), 0,
	       "flags none");
	ok(!m && !o_, "none: neither");
	is_int(ra_flags_parse("M,", &m, &o_, err, sizeof err), -1,
	       "flags M, refused");
	is_int(ra_flags_parse("M,M", &m, &o_, err, sizeof err), -1,
	       "flags M,M refused");
	is_int(ra_flags_parse("X", &m, &o_, err, sizeof err), -1,
	       "flags X refused");
}

static struct ra_router router_with(const char *lla, const char *mac)
{
	struct ra_router r;
	memset(&r, 0, sizeof r);
	r.lla = a6(lla);
	if (mac) {
		r.has_mac = true;
		ra_mac_parse(mac, r.mac);
	}
	return r;
}

static void policy(void)
{
	struct ra_router_spec sp[2];
	const struct ra_router_spec *match;
	char err[100];
	struct ra_router r;

	ra_router_spec_parse("fe80::1@02:00:00:00:00:01", &sp[0], err,
			     sizeof err);
	ra_router_spec_parse("fe80::2", &sp[1], err, sizeof err);
	r = router_with("fe80::9", "02:00:00:00:00:09");
	is_int(ra_policy_router(sp, 0, &r, NULL), RA_UNCHECKED,
	       "no --router: unchecked");
	r = router_with("fe80::1", "02:00:00:00:00:01");
	is_int(ra_policy_router(sp, 2, &r, &match), RA_KNOWN, "known");
	ok(match == &sp[0], "known: its spec");
	r = router_with("fe80::1", "02:00:00:00:0b:0e");
	is_int(ra_policy_router(sp, 2, &r, &match), RA_SPOOFED,
	       "known address, other MAC: spoofed");
	ok(match == &sp[0], "spoofed: the spec it imitates");
	r = router_with("fe80::1", NULL);
	is_int(ra_policy_router(sp, 2, &r, NULL), RA_KNOWN_NO_MAC,
	       "known address, no MAC advertised");
	r = router_with("fe80::2", "02:00:00:00:00:77");
	is_int(ra_policy_router(sp, 2, &r, NULL), RA_KNOWN,
	       "spec without MAC: any MAC");
	r = router_with("fe80::bad:1", "02:00:00:00:0b:ad");
	is_int(ra_policy_router(sp, 2, &r, &match), RA_UNKNOWN, "unknown");
	ok(match == NULL, "unknown: no spec");

	struct ra_prefix_spec ps;
	ra_prefix_spec_parse("2001:db8:1a::/64", &ps, err, sizeof err);
	struct ra_prefix p = {.prefix = a6("2001:db8:1a::"), .len = 64};
	is_int(ra_policy_prefix(&ps, 1, &p), RA_PREFIX_ALLOWED, "same /64");
	p.len = 48;
	is_int(ra_policy_prefix(&ps, 1, &p), RA_PREFIX_RELATED,
	       "a /48 around it: related");
	p = (struct ra_prefix){.prefix = a6("2001:db8:1b::"), .len = 64};
	is_int(ra_policy_prefix(&ps, 1, &p), RA_PREFIX_FOREIGN, "other /64");
	is_int(ra_policy_prefix(&ps, 0, &p), RA_PREFIX_ALLOWED,
	       "no --prefix: allowed");
}

/* ---- the tables of what was seen ---------------------------------- */

static struct ra ra_from(const char *mac, const char *prefix, unsigned len)
{
	struct ra ra;
	memset(&ra, 0, sizeof ra);
	ra.lifetime_s = 1800;
	if (mac) {
		ra.has_lladdr = true;
		ra_mac_parse(mac, ra.lladdr);
	}
	if (prefix) {
		ra.prefix[0] = (struct ra_prefix){.prefix = a6(prefix),
						  .len = len,
						  .onlink = true,
						  .autonomous = true};
		ra.nprefix = 1;
	}
	return ra;
}

static void seen(void)
{
	static struct ra_seen s;
	struct in6_addr r1 = a6("fe80::1");
	struct ra ra;

	ra_seen_init(&s);
	is_double(s.first_ra_s, -1, "nothing seen: first_ra -1");
	ra = ra_from("02:00:00:00:00:01", "2001:db8:1a::", 64);
	ra_seen_ra(&s, &r1, &ra, NULL, 0.25);
	ra_seen_ra(&s, &r1, &ra, NULL, 0.5);
	ra = ra_from(NULL, "2001:db8:1b::", 64);
	ra_seen_ra(&s, &r1, &ra, NULL, 0.75);
	is_int(s.nrouter, 1, "same router, and one without MAC: one entry");
	is_int(s.router[0].count, 3, "three RAs counted");
	is_int(s.router[0].nprefix, 2, "prefixes merged over RAs");
	is_double(s.router[0].first_s, 0.25, "first RA time");
	ra = ra_from("02:00:00:00:0b:0e", "2001:db8:1a::", 64);
	ra_seen_ra(&s, &r1, &ra, NULL, 1);
	is_int(s.nrouter, 2, "same address, other MAC: its own entry");
	is_int(ra_seen_prefixes(&s), 2, "distinct prefixes over routers");
	for (unsigned i = 0; i < 100; i++) {
		char a[40];
		snprintf(a, sizeof a, "fe80::f:%x", i);
		struct in6_addr x = a6(a);
		ra = ra_from("02:00:00:00:0f:0f", "2001:db8:f::", 64);
		ra_seen_ra(&s, &x, &ra, NULL, 1);
		ra_seen_malformed(&s, &x, RA_OPT_ZERO_LEN, 24, 3, false);
		ra_seen_offlink(&s, &x, RA_ENV_HOPLIMIT, 64, 0);
	}
	is_int(s.nrouter, RA_MAX_ROUTERS, "router table full, bounded");
	is_int(s.routers_dropped, 100 - (RA_MAX_ROUTERS - 2),
	       "routers beyond it counted");
	{
		struct in6_addr x = a6("fe80::f:63");
		ra = ra_from("02:00:00:00:0f:0f", "2001:db8:f::", 64);
		ra_seen_ra(&s, &x, &ra, NULL, 1.5);
	}
	is_int(s.routers_dropped, 100 - (RA_MAX_ROUTERS - 2),
	       "a dropped router heard again counts once");
	is_int(s.nmalformed, RA_MAX_BAD, "malformed table bounded");
	is_int(s.malformed_dropped, 100 - RA_MAX_BAD, "and counted");
	is_int(s.bad_ras, 100, "every malformed RA counted");
	is_int(s.ras, 305, "every RA counted");
}

/* ---- frames: the Ethernet source of an RA -------------------------- */

static void frames_(void)
{
	/* IPv6 header (next header 0), hop-by-hop of 8 bytes (next 58),
	 * then 4 bytes of "ICMPv6". */
	uint8_t p[60] = {0x60, 0, 0, 0, 0, 12, 0, 255};
	struct in6_addr src, want = a6("fe80::bad:1");
	size_t off = 0;

	memcpy(p + 8, &want, 16);
	p[40] = 58; /* hop-by-hop: next header, length 0 (8 bytes) */
	memcpy(p + 48, "\x86\0\0\0", 4);
	is_int(ra_ip6_icmp(p, 52, &src, &off), 0, "hop-by-hop then ICMPv6");
	is_int(off, 48, "message past the hop-by-hop header");
	ok(!memcmp(&src, &want, 16), "source read");
	p[6] = 60;
	is_int(ra_ip6_icmp(p, 52, &src, &off), 0, "destination options");
	p[6] = 58;
	is_int(ra_ip6_icmp(p, 52, &src, &off), 0, "plain ICMPv6");
	is_int(off, 40, "message right after the header");
	p[6] = 44;
	is_int(ra_ip6_icmp(p, 52, &src, &off), -1,
	       "fragment: no frame to match");
	p[6] = 0;
	p[41] = 200; /* hop-by-hop claiming 1608 bytes */
	is_int(ra_ip6_icmp(p, 52, &src, &off), -1, "overrunning extension");
	is_int(ra_ip6_icmp(p, 39, &src, &off), -1, "short IPv6 header");
	p[0] = 0x45;
	is_int(ra_ip6_icmp(p, 52, &src, &off), -1, "not IPv6");

	static struct ra_seen s;
	const uint8_t m1[6] = {2, 0, 0, 0, 0x0b, 0xad};
	ra_seen_init(&s);
	uint32_t h = ra_packet_hash(&want, p + 48, 4);
	is_int(h, ra_packet_hash(&want, p + 48, 4), "hash is stable");
	ok(h != ra_packet_hash(&want, p + 48, 3), "hash covers the length");
	ok(ra_seen_frame_mac(&s, h) == NULL, "no frame yet");
	ra_seen_frame(&s, h, m1);
	ok(ra_seen_frame_mac(&s, h) && !memcmp(ra_seen_frame_mac(&s, h), m1, 6),
	   "frame found by hash");
	for (uint32_t i = 0; i < RA_FRAMES; i++)
		ra_seen_frame(&s, i + 1000, m1);
	ok(ra_seen_frame_mac(&s, h) == NULL, "old frames leave the ring");

	struct ra ra = ra_from("02:00:00:00:00:01", "2001:db8:1a::", 64);
	struct in6_addr r1 = a6("fe80::1");
	ra_seen_ra(&s, &r1, &ra, m1, 0.1);
	char name[80];
	ra_router_name(&s.router[0], name, sizeof name);
	is_str(name,
	       "fe80::1 (02:00:00:00:0b:ad, advertising 02:00:00:00:00:01)",
	       "the frame's MAC names the router, the claim is shown");
	ra_seen_ra(&s, &r1, &ra, NULL, 0.2);
	is_int(s.nrouter, 2, "the same RA without a frame: the option's MAC");
}

/* ---- judge() over hand-made facts ----------------------------------- */

static struct facts F;
static struct report R;
static const struct opts defaults_o = {
    .listen_ms = 2000, .max_ras = 100, .accept_ra = -1};

/* Options as given on a command line, through validate(). */
static void setup(const char **routers, size_t nr, const char **prefixes,
		  size_t np)
{
	struct std_opts std = {.timeout_ms = 10000};
	char err[200];

	o = defaults_o;
	o.iface = "lo";
	o.routers = (struct opt_list){routers, nr};
	o.prefixes = (struct opt_list){prefixes, np};
	if (validate(&std, err, sizeof err))
		printf("# validate: %s\n", err);
	ra_seen_init(&F.seen);
	F.listen_s = 2;
	F.solicited = true;
	F.passive = false;
	F.accept_ra = 0;
	F.forwarding = 0;
}

static void add_ra(const char *lla, const char *mac, const char *prefix,
		   unsigned len)
{
	struct in6_addr a = a6(lla);
	struct ra ra = ra_from(mac, prefix, len);
	ra_seen_ra(&F.seen, &a, &ra, NULL, 0.2);
}

static void judge_now(void)
{
	report_init(&R, "ROGUE_RA");
	judge(&F, &o, &R);
}

static const char *state_of(const char *code)
{
	const struct report_item *it = report_find(&R, code);
	return it ? state_name(it->state) : "absent";
}

static const char *R1[] = {"fe80::1@02:00:00:00:00:01"};
static const char *P1[] = {"2001:db8:1a::/64"};

static void judge_routers(void)
{
	setup(R1, 1, P1, 1);
	add_ra("fe80::1", "02:00:00:00:00:01", "2001:db8:1a::", 64);
	judge_now();
	is_int(report_state(&R), STATE_OK, "known router, its prefix: OK");
	is_str(R.summary, "1 router, 1 prefix on lo: as allowed", "OK summary");
	is_str(state_of("router"), "OK", "router line");
	is_double(R.perf[0].value, 1, "perf routers 1");

	add_ra("fe80::bad:1", "02:00:00:00:0b:ad", "2001:db8:bad::", 64);
	judge_now();
	is_str(state_of("rogue_router"), "CRITICAL", "rogue router");
	is_str(state_of("rogue_prefix"), "CRITICAL", "its prefix");
	is_str(state_of("too_many_prefixes"), "WARNING", "2 prefixes > 1");
	is_str(R.summary,
	       "2 routers, 2 prefixes on lo: unknown router fe80::bad:1 "
	       "(02:00:00:00:0b:ad) advertises 2001:db8:bad::/64, router "
	       "lifetime 1800 s, preference medium (+2 more)",
	       "rogue summary names router, MAC, prefix");
	is_double(R.perf[2].value, 1, "perf unknown_routers 1");

	setup(R1, 1, P1, 1);
	add_ra("fe80::1", "02:00:00:00:00:01", "2001:db8:1a::", 48);
	judge_now();
	is_int(report_state(&R), STATE_WARNING, "known router /48: WARNING");
	is_str(state_of("prefix_not_64"), "WARNING",
	       "known /48: prefix_not_64");
	is_str(state_of("rogue_prefix"), "absent",
	       "our own prefix as /48 is not foreign");
	ok(strstr(R.items[1].text, "/48 is ignored by SLAAC: hosts get no "
				   "address") != NULL,
	   "the /48 sentence");

	setup(R1, 1, P1, 1);
	add_ra("fe80::bad:1", "02:00:00:00:0b:ad", "2001:db8:bad::", 48);
	judge_now();
	is_str(state_of("prefix_not_64"), "CRITICAL", "unknown /48: CRITICAL");

	setup(R1, 1, P1, 1);
	add_ra("fe80::1", "02:00:00:00:0b:0e", "2001:db8:1a::", 64);
	judge_now();
	is_str(state_of("router_spoofed"), "CRITICAL", "spoofed");
	ok(strstr(R.summary, "the known router fe80::1 is 02:00:00:00:00:01"),
	   "spoofed: both MACs named");

	setup(R1, 1, P1, 1);
	add_ra("fe80::1", NULL, "2001:db8:1a::", 64);
	judge_now();
	is_str(state_of("router_mac_missing"), "WARNING", "no MAC advertised");

	setup(NULL, 0, NULL, 0);
	add_ra("fe80::bad:1", "02:00:00:00:0b:ad", "2001:db8:bad::", 64);
	judge_now();
	is_int(report_state(&R), STATE_OK, "no --router/--prefix: OK");
	is_str(state_of("too_many_prefixes"), "absent", "no limit by default");
}

static void judge_settings_(void)
{
	const char *rd[] = {"2001:db8:1a::53"};

	setup(R1, 1, P1, 1);
	o.flags = "M,O";
	o.mtu = 1500;
	o.rdnss = (struct opt_list){rd, 1};
	o.accept_ra = 0;
	{
		struct std_opts std = {.timeout_ms = 10000};
		char err[100];
		memset(&o.rules, 0, sizeof o.rules);
		validate(&std, err, sizeof err);
	}
	struct in6_addr a = a6("fe80::1");
	struct ra ra = ra_from("02:00:00:00:00:01", "2001:db8:1a::", 64);
	ra.lifetime_s = 0;
	ra.managed = true;
	ra.has_mtu = true;
	ra.mtu = 1400;
	ra_seen_ra(&F.seen, &a, &ra, NULL, 0.1);
	F.accept_ra = 1;
	judge_now();
	is_str(state_of("router_lifetime_zero"), "WARNING", "lifetime 0");
	is_str(state_of("flags_mismatch"), "WARNING", "M instead of M,O");
	is_str(state_of("mtu_mismatch"), "WARNING", "MTU 1400 vs 1500");
	is_str(state_of("rdnss_mismatch"), "WARNING", "no RDNSS vs one");
	is_str(state_of("accept_ra_mismatch"), "WARNING",
	       "accept_ra 1 with --accept-ra no");
	ok(strstr(report_find(&R, "accept_ra_mismatch")->text,
		  "this server accepts RAs on lo"),
	   "accept_ra sentence");
	is_int(report_state(&R), STATE_WARNING, "settings: WARNING only");

	F.forwarding = 1;
	judge_now();
	is_str(state_of("accept_ra"), "OK",
	       "accept_ra 1 with forwarding: the kernel ignores RAs");
	F.accept_ra = 2;
	judge_now();
	is_str(state_of("accept_ra_mismatch"), "WARNING",
	       "accept_ra 2 accepts even when forwarding");
}

static void judge_hostile(void)
{
	struct in6_addr bad = a6("fe80::bad:1"), known = a6("fe80::1");

	setup(R1, 1, P1, 1);
	add_ra("fe80::1", "02:00:00:00:00:01", "2001:db8:1a::", 64);
	ra_seen_offlink(&F.seen, &bad, RA_ENV_HOPLIMIT, 64, 0);
	judge_now();
	is_str(state_of("ra_envelope"), "CRITICAL", "hop limit 64");
	is_str(report_find(&R, "ra_envelope")->text,
	       "RA with hop limit 64 from fe80::bad:1: not from this link "
	       "(1 RA)",
	       "hop limit sentence");

	setup(R1, 1, P1, 1);
	add_ra("fe80::1", "02:00:00:00:00:01", "2001:db8:1a::", 64);
	ra_seen_malformed(&F.seen, &known, RA_OPT_ZERO_LEN, 24, 3, false);
	judge_now();
	is_str(state_of("ra_malformed"), "WARNING", "malformed, known sender");
	ra_seen_malformed(&F.seen, &bad, RA_SHORT, 0, 0, false);
	judge_now();
	ok(strstr(R.summary, "malformed RA from unknown sender fe80::bad:1"),
	   "malformed, unknown sender: in the summary");
	is_int(report_state(&R), STATE_CRITICAL, "unknown sender: CRITICAL");
	is_double(R.perf[3].value, 2, "perf malformed 2");

	setup(R1, 1, P1, 1);
	for (int i = 0; i < 101; i++)
		add_ra("fe80::1", "02:00:00:00:00:01", "2001:db8:1a::", 64);
	judge_now();
	is_str(state_of("ra_flood"), "CRITICAL", "101 RAs: flood");
	is_double(R.perf[4].value, 101, "perf ras 101");

	setup(R1, 1, P1, 1);
	judge_now();
	is_str(state_of("no_ra"), "CRITICAL", "no RA: CRITICAL");
	ok(isnan(R.perf[5].value), "no RA: first_ra unknown");
	o.allow_none = true;
	judge_now();
	is_int(report_state(&R), STATE_OK, "no RA with --allow-none: OK");
	o.allow_none = false;
	F.solicited = false;
	snprintf(F.solicit_err, sizeof F.solicit_err, "cannot send");
	judge_now();
	is_str(state_of("solicit_failed"), "WARNING", "solicitation failed");
}

static void judge_baseline_(void)
{
	setup(NULL, 0, NULL, 0);
	o.baseline = true;
	add_ra("fe80::1", "02:00:00:00:00:01", "2001:db8:1a::", 64);
	add_ra("fe80::bad:1", "02:00:00:00:0b:ad", "2001:db8:bad::", 48);
	judge_now();
	is_int(report_state(&R), STATE_OK, "baseline: OK even with a /48");
	is_str(R.summary,
	       "baseline of lo: --router fe80::1@02:00:00:00:00:01 --prefix "
	       "2001:db8:1a::/64 --router fe80::bad:1@02:00:00:00:0b:ad "
	       "--prefix 2001:db8:bad::/48",
	       "baseline: the options");
	o.baseline = false;
}

int main(void)
{
	fixtures();
	truncations();
	envelope();
	specs();
	policy();
	seen();
	frames_();
	judge_routers();
	judge_settings_();
	judge_hostile();
	judge_baseline_();
	return done_testing();
}
