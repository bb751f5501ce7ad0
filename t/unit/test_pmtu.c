/* test_pmtu: the path MTU search and judgement against simulated paths,
 * the TCP-mode judgement, and the ICMP parsers and checksum. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "icmp.h"
#include "pmtu.h"
#include "tap.h"

struct path {
	int family;
	unsigned mtu;	    /* the narrowest link */
	bool ptb;	    /* the router there sends Packet Too Big */
	unsigned announce;  /* the MTU it announces (0: mtu) */
	double ptb_after_s; /* rate limit: no PTB before this time */
	unsigned screen;    /* forwarded ICMP above this is dropped (0: no) */
	unsigned iface;	    /* our interface MTU */
	bool dead;	    /* nothing answers */
	unsigned lose_once; /* this size is lost the first time only */
};

struct run {
	int rounds;
	unsigned probes;
	double took_s;
};

static struct sockaddr_storage router(int family)
{
	struct sockaddr_storage a;
	memset(&a, 0, sizeof a);
	a.ss_family = (sa_family_t)family;
	if (family == AF_INET6)
		inet_pton(AF_INET6, "2001:db8:b::1",
			  &((struct sockaddr_in6 *)&a)->sin6_addr);
	else
		inet_pton(AF_INET, "198.51.100.1",
			  &((struct sockaddr_in *)&a)->sin_addr);
	return a;
}

static struct run simulate(struct pmtu_search *s, struct path *p)
{
	struct run r = {0, 0, 0};
	double start = 100.0, now = start;

	for (int guard = 0; guard < 100; guard++) {
		unsigned sizes[16];
		double wake;
		size_t n = pmtu_plan(s, now, sizes, 16, &wake);
		if (n == 0 && wake > 0) {
			now = wake;
			continue;
		}
		if (n == 0)
			break;
		r.rounds++;
		bool loss = false;
		struct pmtu_size res[16];
		for (size_t i = 0; i < n; i++) {
			struct pmtu_size *x = &res[i];
			memset(x, 0, sizeof *x);
			x->size = sizes[i];
			r.probes++;
			if (p->dead) {
				x->res = PMTU_LOST;
			} else if (sizes[i] > p->iface) {
				x->res = PMTU_TOO_BIG;
				x->local = true;
				x->mtu = p->iface;
			} else if (sizes[i] > p->mtu) {
				if (p->ptb && now >= start + p->ptb_after_s) {
					x->res = PMTU_TOO_BIG;
					x->mtu =
					    p->announce ? p->announce : p->mtu;
					x->from = router(p->family);
				} else {
					x->res = PMTU_LOST;
				}
			} else if (p->screen && sizes[i] > p->screen) {
				x->res = PMTU_LOST;
			} else if (sizes[i] == p->lose_once) {
				x->res = PMTU_LOST;
				p->lose_once = 0;
			} else {
				x->res = PMTU_PASSED;
				x->rtt_s = 0.001;
			}
			if (x->res == PMTU_LOST)
				loss = true;
		}
		now += loss ? 0.2 : 0.001;
		for (size_t i = 0; i < n; i++)
			pmtu_record(s, &res[i], now);
	}
	r.took_s = now - start;
	return r;
}

static struct range no_range;

static void judge(const struct pmtu_search *s, struct pmtu_verdict *v,
		  const struct range *warn, enum state unreachable)
{
	struct pmtu_judge_opts o = {.host = "srv",
				    .warn = warn,
				    .crit = &no_range,
				    .unreachable = unreachable};
	pmtu_judge(s, &o, v);
}

static bool has(const struct pmtu_verdict *v, enum state st, const char *text)
{
	for (size_t i = 0; i < v->nitems; i++)
		if (v->items[i].state == st && strstr(v->items[i].text, text))
			return true;
	return false;
}

static void v6(struct pmtu_search *s, unsigned max)
{
	pmtu_init(s, AF_INET6, ICMP_DEFAULT_SIZE(AF_INET6), PMTU_V6_MIN, max);
}

static void v4(struct pmtu_search *s, unsigned max)
{
	pmtu_init(s, AF_INET, ICMP_DEFAULT_SIZE(AF_INET), 576, max);
}

static void test_search(void)
{
	struct pmtu_search s;
	struct pmtu_verdict v;
	struct run r;

	v6(&s, 1500);
	r = simulate(
	    &s, &(struct path){AF_INET6, 1500, true, 0, 0, 0, 1500, false, 0});
	judge(&s, &v, &no_range, STATE_UNKNOWN);
	is_int(v.state, STATE_OK, "1500 path: OK");
	is_int(v.pmtu, 1500, "1500 path: pmtu 1500");
	is_int(r.rounds, 1, "1500 path: one round");
	is_int(r.probes, 4, "1500 path: 4 probes (small, 1024, 1280, 1500)");
	ok(has(&v, STATE_OK, "IPv6 path MTU 1500 to srv"), "1500 path: text");

	v6(&s, 1500);
	r = simulate(
	    &s, &(struct path){AF_INET6, 1280, true, 0, 0, 0, 1500, false, 0});
	judge(&s, &v, &no_range, STATE_UNKNOWN);
	is_int(v.state, STATE_OK, "1280 link with PTB: OK");
	is_int(v.pmtu, 1280, "1280 link with PTB: pmtu 1280");
	is_int(r.rounds, 1,
	       "1280 link with PTB: one round (1280 probed at once)");
	ok(has(&v, STATE_OK, "Packet Too Big from 2001:db8:b::1: MTU 1280"),
	   "1280 link: the PTB sender is named");

	struct range w;
	char err[64];
	range_parse("1400:", &w, err, sizeof err);
	judge(&s, &v, &w, STATE_UNKNOWN);
	is_int(v.state, STATE_WARNING, "1280 with -w 1400: WARNING");

	v6(&s, 1500);
	r = simulate(
	    &s, &(struct path){AF_INET6, 1400, true, 0, 0, 0, 1500, false, 0});
	judge(&s, &v, &no_range, STATE_UNKNOWN);
	is_int(v.pmtu, 1400, "1400 link: the PTB's MTU is probed next");
	is_int(r.rounds, 2, "1400 link: two rounds");
	is_int(v.state, STATE_OK, "1400 link: OK");

	v6(&s, 1500);
	r = simulate(
	    &s, &(struct path){AF_INET6, 1280, false, 0, 0, 0, 1500, false, 0});
	judge(&s, &v, &no_range, STATE_UNKNOWN);
	is_int(v.state, STATE_CRITICAL, "blackhole: CRITICAL");
	is_int(v.pmtu, 1280, "blackhole: largest passing 1280 found");
	ok(has(&v, STATE_CRITICAL,
	       "PMTUD blackhole: packets larger than 1280 "
	       "bytes are dropped and no Packet Too Big "
	       "comes back"),
	   "blackhole: the issue's words");
	ok(pmtu_find(&s, 1281) && pmtu_find(&s, 1281)->confirmed,
	   "blackhole: the boundary was confirmed after the rate-limit pause");
	ok(r.rounds <= 6, "blackhole: at most 6 rounds");
	ok(r.took_s >= PMTU_CONFIRM_S, "blackhole: confirmation waited 1 s");

	v6(&s, 1500);
	simulate(&s, &(struct path){AF_INET6, 1500, true, 0, 0, 1024, 1500,
				    false, 0});
	judge(&s, &v, &no_range, STATE_UNKNOWN);
	is_int(v.state, STATE_CRITICAL, "screening: CRITICAL");
	ok(has(&v, STATE_CRITICAL,
	       "ICMPv6 larger than 1024 bytes dropped on "
	       "the path"),
	   "screening: named");

	/* PTB still arrives for 1500 (generated before the filter). */
	v6(&s, 1500);
	simulate(&s, &(struct path){AF_INET6, 1280, true, 0, 0, 1024, 1500,
				    false, 0});
	judge(&s, &v, &no_range, STATE_UNKNOWN);
	ok(has(&v, STATE_CRITICAL, "ICMPv6 larger than 1024 bytes dropped"),
	   "screening behind a PTB-sending router: still screening");

	v6(&s, 1500);
	simulate(&s,
		 &(struct path){AF_INET6, 1200, true, 0, 0, 0, 1500, false, 0});
	judge(&s, &v, &no_range, STATE_UNKNOWN);
	is_int(v.state, STATE_CRITICAL, "PTB 1200: CRITICAL");
	ok(has(&v, STATE_CRITICAL, "IPv6 minimum MTU broken"),
	   "PTB 1200: the IPv6 minimum is broken");
	ok(has(&v, STATE_WARNING,
	       "ignored Packet Too Big from 2001:db8:b::1 "
	       "announcing MTU 1200"),
	   "PTB 1200: ignored and reported with its sender");
	ok(has(&v, STATE_WARNING, "RFC 8201"), "PTB 1200: cites RFC 8201");
	is_int(v.pmtu, 1200, "PTB 1200: largest passing found by bisection");

	v6(&s, 1500);
	simulate(&s,
		 &(struct path){AF_INET6, 1500, true, 0, 0, 0, 1500, true, 0});
	judge(&s, &v, &no_range, STATE_UNKNOWN);
	is_int(v.state, STATE_UNKNOWN, "dead host: UNKNOWN, never OK");
	is_int(v.pmtu, 0, "dead host: no MTU");
	ok(has(&v, STATE_UNKNOWN, "does not answer"), "dead host: text");
	judge(&s, &v, &no_range, STATE_CRITICAL);
	is_int(v.state, STATE_CRITICAL, "dead host, --unreachable critical");

	/* IPv4 frag-needed rate-limited for the first second. */
	v4(&s, 1500);
	r = simulate(
	    &s, &(struct path){AF_INET, 1400, true, 0, 0.5, 0, 1500, false, 0});
	judge(&s, &v, &no_range, STATE_UNKNOWN);
	is_int(v.state, STATE_OK, "rate-limited frag-needed: not a blackhole");
	is_int(v.pmtu, 1400, "rate-limited frag-needed: pmtu 1400");

	v4(&s, 1500);
	simulate(&s, &(struct path){AF_INET, 1500, true, 0, 0, 1024, 1500,
				    false, 0});
	judge(&s, &v, &no_range, STATE_UNKNOWN);
	ok(has(&v, STATE_CRITICAL, "possibly ICMP size screening"),
	   "IPv4 silent loss above exactly 1024: screening suggested");

	v6(&s, 9000);
	simulate(&s,
		 &(struct path){AF_INET6, 9000, true, 0, 0, 0, 1500, false, 0});
	judge(&s, &v, &no_range, STATE_UNKNOWN);
	is_int(v.pmtu, 1500, "--max-size above the interface: interface MTU");
	ok(has(&v, STATE_OK, "this host's interface MTU"),
	   "local EMSGSIZE: said to be this host's interface");

	/* One random loss of the 1280 probe must not make a verdict. */
	v6(&s, 1500);
	simulate(&s, &(struct path){AF_INET6, 1280, true, 0, 0, 0, 1500, false,
				    1280});
	judge(&s, &v, &no_range, STATE_UNKNOWN);
	is_int(v.state, STATE_OK, "1280 lost once: confirmation recovers");
	is_int(v.pmtu, 1280, "1280 lost once: pmtu 1280");

	/* A PTB that announces no smaller size is no hint. */
	v6(&s, 1500);
	simulate(&s, &(struct path){AF_INET6, 1400, true, 1500, 0, 0, 1500,
				    false, 0});
	judge(&s, &v, &no_range, STATE_UNKNOWN);
	is_int(v.pmtu, 1400,
	       "PTB announcing 1500 for 1500: bisection finds 1400");
	ok(has(&v, STATE_WARNING, "not smaller than the probe"),
	   "PTB announcing the probe's own size: reported");

	/* The deadline stops a search with sizes still in flight. */
	v6(&s, 1500);
	unsigned sz[16];
	double wake;
	size_t n = pmtu_plan(&s, 1.0, sz, 16, &wake);
	is_int(n, 4, "round 0: four sizes at once");
	struct pmtu_size pass = {.size = sz[0], .res = PMTU_PASSED};
	pmtu_record(&s, &pass, 1.0);
	struct pmtu_judge_opts o = {
	    .host = "srv", .unreachable = STATE_UNKNOWN, .incomplete = true};
	pmtu_judge(&s, &o, &v);
	is_int(v.state, STATE_UNKNOWN, "deadline mid-search: UNKNOWN");
}

static void test_tcp(void)
{
	struct pmtu_fetch n, c;
	struct pmtu_verdict v;

	memset(&n, 0, sizeof n);
	memset(&c, 0, sizeof c);
	n.connected = c.connected = true;
	n.adv_mss = 1428;
	n.end = FETCH_STALLED;
	snprintf(n.why, sizeof n.why, "stalled after 0 bytes");
	c.end = FETCH_EOF;
	c.bytes = 205031;
	pmtu_judge_tcp(AF_INET6, "srv", &n, &c, 1220, &v);
	is_int(v.state, STATE_CRITICAL,
	       "tcp: normal stalls, clamped completes");
	ok(has(&v, STATE_CRITICAL,
	       "PMTUD blackhole toward srv: Packet Too Big "
	       "does not reach the server; with MSS 1220 "
	       "the response arrives"),
	   "tcp: the issue's words");

	n.end = FETCH_EOF;
	n.bytes = 205031;
	pmtu_judge_tcp(AF_INET6, "srv", &n, &c, 1220, &v);
	is_int(v.state, STATE_OK, "tcp: both complete: OK");

	n.adv_mss = 1208;
	pmtu_judge_tcp(AF_INET6, "srv", &n, &c, 1220, &v);
	is_int(v.state, STATE_UNKNOWN,
	       "tcp: normal MSS already small (cached PMTU): cannot tell");

	n.adv_mss = 1428;
	c.end = FETCH_NOCONN;
	snprintf(c.why, sizeof c.why, "Connection refused");
	pmtu_judge_tcp(AF_INET6, "srv", &n, &c, 1220, &v);
	is_int(v.state, STATE_WARNING,
	       "tcp: only the clamped one fails: WARNING");

	n.end = FETCH_NOCONN;
	n.connected = c.connected = false;
	snprintf(n.why, sizeof n.why, "Connection refused");
	c.bytes = 0;
	pmtu_judge_tcp(AF_INET, "srv", &n, &c, 1240, &v);
	is_int(v.state, STATE_CRITICAL, "tcp: both fail: CRITICAL");
	ok(has(&v, STATE_CRITICAL,
	       "both fetches failed: normal MSS: Connection "
	       "refused; MSS 1240: Connection refused"),
	   "tcp: both reasons");
}

static void test_packets(void)
{
	/* RFC 1071 section 3's example: sum 0xddf2, checksum 0x220d. */
	const uint8_t ex[] = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
	uint16_t c = icmp_checksum(ex, sizeof ex);
	const uint8_t *cb = (const uint8_t *)&c;
	ok(cb[0] == 0x22 && cb[1] == 0x0d, "checksum: RFC 1071 example");
	uint8_t odd[] = {0x01};
	c = icmp_checksum(odd, 1);
	cb = (const uint8_t *)&c;
	ok(cb[0] == 0xfe && cb[1] == 0xff, "checksum: odd length pads a zero");

	uint16_t id, seq;
	size_t len;
	uint8_t r6[16] = {129, 0, 0, 0, 0x12, 0x34, 0x00, 0x07};
	is_int(icmp_parse_reply(AF_INET6, ICMP_KIND_PING, r6, sizeof r6, &id,
				&seq, &len),
	       0, "ICMPv6 echo reply parses");
	is_int(seq, 7, "ICMPv6 echo reply: sequence");
	is_int(id, 0x1234, "ICMPv6 echo reply: identifier");
	is_int(len, 16, "ICMPv6 echo reply: length");
	is_int(
	    icmp_parse_reply(AF_INET6, ICMP_KIND_PING, r6, 7, &id, &seq, &len),
	    -1, "7 bytes: too short");
	r6[0] = 128;
	is_int(icmp_parse_reply(AF_INET6, ICMP_KIND_RAW, r6, sizeof r6, &id,
				&seq, &len),
	       -1, "an echo request is not a reply");
	is_int(icmp_parse_quoted(AF_INET6, r6, sizeof r6, &id, &seq), 0,
	       "our echo request quoted in an error parses");
	r6[1] = 1;
	is_int(icmp_parse_quoted(AF_INET6, r6, sizeof r6, &id, &seq), -1,
	       "code 1 is not an echo request");

	uint8_t r4[28] = {0x45, 0, 0, 28, 0, 0, 0, 0, 64, 1};
	r4[20] = 0; /* echo reply */
	r4[27] = 9;
	is_int(icmp_parse_reply(AF_INET, ICMP_KIND_RAW, r4, sizeof r4, &id,
				&seq, &len),
	       0, "raw IPv4: IP header skipped");
	is_int(seq, 9, "raw IPv4: sequence");
	is_int(len, 8, "raw IPv4: ICMP length from the total length");
	r4[3] = 60;
	is_int(icmp_parse_reply(AF_INET, ICMP_KIND_RAW, r4, sizeof r4, &id,
				&seq, &len),
	       -1, "raw IPv4: total length beyond the bytes read");
	r4[3] = 28;
	r4[0] = 0x4f;
	is_int(icmp_parse_reply(AF_INET, ICMP_KIND_RAW, r4, sizeof r4, &id,
				&seq, &len),
	       -1, "raw IPv4: header length beyond the packet");
	r4[0] = 0x44;
	is_int(icmp_parse_reply(AF_INET, ICMP_KIND_RAW, r4, sizeof r4, &id,
				&seq, &len),
	       -1, "raw IPv4: IHL below 5");
	r4[0] = 0x45;
	r4[9] = 6;
	is_int(icmp_parse_reply(AF_INET, ICMP_KIND_RAW, r4, sizeof r4, &id,
				&seq, &len),
	       -1, "raw IPv4: not ICMP");
	is_int(icmp_parse_reply(AF_INET, ICMP_KIND_RAW, r4, 3, &id, &seq, &len),
	       -1, "raw IPv4: 3 bytes");

	struct icmp_probe p;
	memset(&p, 0, sizeof p);
	p.dst.ss_family = AF_INET6;
	p.outcome = ICMP_ERROR;
	p.type = 2;
	p.mtu = 1280;
	p.from = router(AF_INET6);
	char t[128];
	is_str(icmp_outcome_text(&p, t, sizeof t),
	       "Packet Too Big (MTU 1280) from 2001:db8:b::1", "PTB in words");
	ok(icmp_is_too_big(&p), "PTB is too big");
	p.dst.ss_family = AF_INET;
	p.type = 3;
	p.code = 4;
	p.from = router(AF_INET);
	is_str(icmp_outcome_text(&p, t, sizeof t),
	       "fragmentation needed (MTU 1280) from 198.51.100.1",
	       "frag needed in words");
	p.code = 13;
	ok(!icmp_is_too_big(&p), "admin prohibited is not too big");
	is_str(icmp_outcome_text(&p, t, sizeof t),
	       "destination unreachable (administratively prohibited) from "
	       "198.51.100.1",
	       "unreachable in words");
}

static void test_request(void)
{
	char b[128];

	is_int(pmtu_request(b, sizeof b, "EHLO x\\r\\n\\\\q\\z", NULL, NULL),
	       12, "--send: escapes become bytes");
	is_str(b, "EHLO x\r\n\\q\\z",
	       "--send: \\r \\n \\\\ kept, \\z as written");
	is_int(pmtu_request(b, 8, "123456789", NULL, NULL), 0,
	       "--send: too long is refused, not cut");
	ok(pmtu_request(b, sizeof b, NULL, "/large.html", "[2001:db8:c::80]") >
	       0,
	   "GET built");
	const char *want =
	    "GET /large.html HTTP/1.0\r\nHost: [2001:db8:c::80]\r\n";
	ok(!strncmp(b, want, strlen(want)),
	   "GET: HTTP/1.0 with the Host header");
	is_int(pmtu_request(b, 20, NULL, "/large.html", "x"), 0,
	       "GET: too long is refused");
}

int main(void)
{
	test_request();
	test_search();
	test_tcp();
	test_packets();
	return done_testing();
}
