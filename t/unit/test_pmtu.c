/* test_pmtu: the path MTU search and judgement against simulated paths,
 * the TCP-mode judgement, and the ICMP parsers and checksum. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "icmp.h"
#include "check_pmtu.d/fetch.h"
#include "check_pmtu.d/judge.h"
#include "check_pmtu.d/route.h"
#include "check_pmtu.d/search.h"
#include "priv.h"
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
				    .unreachable = unreachable,
				    .timeout_state = STATE_UNKNOWN};
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
	ok(r.rounds <= 3, "blackhole: at most 3 rounds");
	ok(r.took_s >= PMTU_CONFIRM_S, "blackhole: confirmation waited 1 s");
	/* round 0: 104 1024 1280 1500; then 1500 again, 1281 and 5 between;
	 * then 1281 once more after the pause. */
	is_int(r.probes, 12, "blackhole: 12 probes (was 37)");
	is_int(pmtu_find(&s, 1281)->tries, 2, "blackhole: 1281 sent twice");
	is_int(pmtu_find(&s, 1464)->tries, 1,
	       "blackhole: a size above the boundary is sent once");

	/* A blackhole at 1400: the bisection still converges exactly. */
	v6(&s, 1500);
	r = simulate(
	    &s, &(struct path){AF_INET6, 1400, false, 0, 0, 0, 1500, false, 0});
	judge(&s, &v, &no_range, STATE_UNKNOWN);
	ok(has(&v, STATE_CRITICAL, "packets larger than 1400 bytes"),
	   "blackhole at 1400: found exactly");
	ok(pmtu_find(&s, 1401) && pmtu_find(&s, 1401)->confirmed,
	   "blackhole at 1400: 1401 confirmed");
	ok(r.probes <= 24, "blackhole at 1400: at most 24 probes");

	/* --retries 2: the boundary is lost three times; 0: once, no pause. */
	v6(&s, 1500);
	s.retries = 2;
	r = simulate(
	    &s, &(struct path){AF_INET6, 1280, false, 0, 0, 0, 1500, false, 0});
	judge(&s, &v, &no_range, STATE_UNKNOWN);
	is_int(pmtu_find(&s, 1281)->tries, 3, "--retries 2: 1281 sent 3 times");
	is_int(v.state, STATE_CRITICAL, "--retries 2: blackhole");
	v6(&s, 1500);
	s.retries = 0;
	r = simulate(
	    &s, &(struct path){AF_INET6, 1280, false, 0, 0, 0, 1500, false, 0});
	judge(&s, &v, &no_range, STATE_UNKNOWN);
	is_int(pmtu_find(&s, 1281)->tries, 1, "--retries 0: 1281 sent once");
	ok(r.took_s < PMTU_CONFIRM_S, "--retries 0: no pause");
	is_int(v.state, STATE_CRITICAL, "--retries 0: blackhole");

	/* A deadline nearer than the pause: the retry comes earlier. */
	v6(&s, 1500);
	s.confirm_by = 100.5;
	r = simulate(
	    &s, &(struct path){AF_INET6, 1280, false, 0, 0, 0, 1500, false, 0});
	judge(&s, &v, &no_range, STATE_UNKNOWN);
	ok(r.took_s < 0.8, "confirm_by: the last try before the deadline");
	is_int(pmtu_find(&s, 1281)->tries, 2, "confirm_by: still retried");
	is_int(v.state, STATE_CRITICAL, "confirm_by: blackhole");

	/* A 1500 path where 1500 is lost once: retried with the next round. */
	v6(&s, 1500);
	r = simulate(&s, &(struct path){AF_INET6, 1500, true, 0, 0, 0, 1500,
					false, 1500});
	judge(&s, &v, &no_range, STATE_UNKNOWN);
	is_int(v.state, STATE_OK, "1500 lost once: OK");
	is_int(v.pmtu, 1500, "1500 lost once: pmtu 1500");
	ok(r.took_s < PMTU_CONFIRM_S, "1500 lost once: no pause needed");

	v6(&s, 1500);
	simulate(&s, &(struct path){AF_INET6, 1500, true, 0, 0, 1024, 1500,
				    false, 0});
	judge(&s, &v, &no_range, STATE_UNKNOWN);
	is_int(v.state, STATE_CRITICAL, "screening: CRITICAL");
	ok(has(&v, STATE_CRITICAL,
	       "ICMPv6 larger than 1024 bytes dropped on "
	       "the path"),
	   "screening: named");
	is_int(v.pmtu, 1024, "screening: pmtu 1024");
	is_int(pmtu_find(&s, 1280)->tries, 2, "screening: 1280 sent twice");

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
	is_int(pmtu_find(&s, 104)->tries, 2, "dead host: small echo retried");
	ok(has(&v, STATE_UNKNOWN, "does not answer"), "dead host: text");
	judge(&s, &v, &no_range, STATE_CRITICAL);
	is_int(v.state, STATE_CRITICAL, "dead host, --unreachable critical");
	ok(has(&v, STATE_CRITICAL, "srv does not answer"),
	   "dead host, --unreachable critical: text");

	struct range c;
	range_parse("1400:", &c, err, sizeof err);
	v6(&s, 1500);
	simulate(&s,
		 &(struct path){AF_INET6, 1280, true, 0, 0, 0, 1500, false, 0});
	struct pmtu_judge_opts co = {.host = "srv",
				     .warn = &no_range,
				     .crit = &c,
				     .unreachable = STATE_UNKNOWN};
	pmtu_judge(&s, &co, &v);
	is_int(v.state, STATE_CRITICAL, "1280 with -c 1400: CRITICAL");
	ok(has(&v, STATE_CRITICAL, "IPv6 path MTU 1280 to srv"),
	   "-c 1400: the MTU named");

	/* IPv4 --min-size 576 must pass. */
	v4(&s, 1500);
	simulate(&s,
		 &(struct path){AF_INET, 500, true, 0, 0, 0, 1500, false, 0});
	judge(&s, &v, &no_range, STATE_UNKNOWN);
	is_int(v.state, STATE_CRITICAL, "IPv4 MTU 500: CRITICAL");
	ok(has(&v, STATE_CRITICAL, "IPv4 packets of 576 bytes do not pass"),
	   "IPv4 MTU 500: --min-size named");
	is_int(v.pmtu, 500, "IPv4 MTU 500: pmtu 500");

	/* 1280 lost silently (no PTB, no screening), 1024 passes. */
	v6(&s, 1500);
	simulate(
	    &s, &(struct path){AF_INET6, 1100, false, 0, 0, 0, 1500, false, 0});
	judge(&s, &v, &no_range, STATE_UNKNOWN);
	ok(has(&v, STATE_CRITICAL, "ICMPv6 larger than 1100 bytes dropped"),
	   "1280 lost, 1100 passes, no PTB: screening at 1100");

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
	struct pmtu_judge_opts o = {.host = "srv",
				    .unreachable = STATE_UNKNOWN,
				    .timeout_state = STATE_UNKNOWN,
				    .incomplete = true};
	pmtu_judge(&s, &o, &v);
	is_int(v.state, STATE_UNKNOWN, "deadline mid-search: UNKNOWN");

	/* The deadline after one loss of the boundary: no verdict on it. */
	v6(&s, 1500);
	n = pmtu_plan(&s, 1.0, sz, 16, &wake);
	for (size_t i = 0; i < n; i++) {
		struct pmtu_size x = {.size = sz[i],
				      .res = sz[i] > 1280 ? PMTU_LOST
							  : PMTU_PASSED};
		pmtu_record(&s, &x, 1.1);
	}
	pmtu_judge(&s, &o, &v);
	is_int(v.state, STATE_UNKNOWN,
	       "1500 lost once at the deadline: UNKNOWN");
	ok(has(&v, STATE_UNKNOWN, "1500 were lost once and not sent again"),
	   "1500 lost once at the deadline: says so");

	/* PTB from two routers: both named. */
	v6(&s, 1500);
	n = pmtu_plan(&s, 1.0, sz, 16, &wake);
	for (size_t i = 0; i < n; i++) {
		struct pmtu_size x = {.size = sz[i], .res = PMTU_PASSED};
		if (sz[i] == 1500) {
			x.res = PMTU_TOO_BIG;
			x.mtu = 1400;
			x.from = router(AF_INET6);
		}
		pmtu_record(&s, &x, 1.1);
	}
	n = pmtu_plan(&s, 1.1, sz, 16, &wake);
	is_int(n, 1, "PTB 1400: one probe");
	is_int(sz[0], 1400, "PTB 1400: of 1400 bytes");
	struct pmtu_size x2 = {.size = 1400, .res = PMTU_TOO_BIG, .mtu = 1300};
	x2.from = router(AF_INET6);
	((struct sockaddr_in6 *)&x2.from)->sin6_addr.s6_addr[15] = 2;
	pmtu_record(&s, &x2, 1.2);
	n = pmtu_plan(&s, 1.2, sz, 16, &wake);
	struct pmtu_size x3 = {.size = 1300, .res = PMTU_PASSED};
	pmtu_record(&s, &x3, 1.3);
	judge(&s, &v, &no_range, STATE_UNKNOWN);
	is_int(v.pmtu, 1300, "two PTBs: pmtu 1300");
	ok(has(&v, STATE_OK, "Packet Too Big from 2001:db8:b::1: MTU 1400"),
	   "two PTBs: the first sender named");
	ok(has(&v, STATE_OK, "Packet Too Big from 2001:db8:b::2: MTU 1300"),
	   "two PTBs: the second sender named");
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
	pmtu_judge_tcp(
	    &(struct pmtu_tcp_opts){AF_INET6, "srv", 1220, STATE_UNKNOWN}, &n,
	    &c, &v);
	is_int(v.state, STATE_CRITICAL,
	       "tcp: normal stalls, clamped completes");
	ok(has(&v, STATE_CRITICAL,
	       "PMTUD blackhole toward srv: Packet Too Big "
	       "does not reach the server; with MSS 1220 "
	       "the response arrives"),
	   "tcp: the issue's words");

	n.end = FETCH_EOF;
	n.bytes = 205031;
	pmtu_judge_tcp(
	    &(struct pmtu_tcp_opts){AF_INET6, "srv", 1220, STATE_UNKNOWN}, &n,
	    &c, &v);
	is_int(v.state, STATE_OK, "tcp: both complete: OK");

	n.adv_mss = 1208;
	pmtu_judge_tcp(
	    &(struct pmtu_tcp_opts){AF_INET6, "srv", 1220, STATE_UNKNOWN}, &n,
	    &c, &v);
	is_int(v.state, STATE_OK,
	       "tcp: normal MSS already small (cached PMTU): the response "
	       "arrives, OK");
	ok(has(&v, STATE_OK, "a PMTUD blackhole could not be tested"),
	   "tcp: cached PMTU: says what was not tested");

	n.adv_mss = 1428;
	c.end = FETCH_NOCONN;
	snprintf(c.why, sizeof c.why, "Connection refused");
	pmtu_judge_tcp(
	    &(struct pmtu_tcp_opts){AF_INET6, "srv", 1220, STATE_UNKNOWN}, &n,
	    &c, &v);
	is_int(v.state, STATE_WARNING,
	       "tcp: only the clamped one fails: WARNING");

	n.end = FETCH_NOCONN;
	n.connected = c.connected = false;
	snprintf(n.why, sizeof n.why, "Connection refused");
	c.bytes = 0;
	pmtu_judge_tcp(
	    &(struct pmtu_tcp_opts){AF_INET, "srv", 1240, STATE_UNKNOWN}, &n,
	    &c, &v);
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

/* Malformed and foreign packets, as hex: nothing may parse as ours. */
static void test_hostile(void)
{
	uint8_t b[128];
	uint16_t id = 0, seq = 0;
	size_t len = 0, n;

	/* raw IPv4 echo reply, id 0xbeef seq 3, 8 data bytes */
	const char *good = "45 00 00 24 00 00 40 00 40 01 00 00 cb 00 71 50 "
			   "c6 33 64 0a 00 00 00 00 be ef 00 03 "
			   "01 02 03 04 05 06 07 08";
	n = hex(good, b, sizeof b);
	is_int(n, 36, "fixture: 36 bytes");
	is_int(icmp_parse_reply(AF_INET, ICMP_KIND_RAW, b, n, &id, &seq, &len),
	       0, "raw IPv4 fixture parses");
	is_int(id, 0xbeef, "the identifier is reported as sent, for matching");
	is_int(len, 16, "raw IPv4 fixture: 16 ICMP bytes");
	is_int(
	    icmp_parse_reply(AF_INET, ICMP_KIND_RAW, b, n + 4, &id, &seq, &len),
	    0, "trailing padding after the total length: fine");
	is_int(len, 16, "padding: length from the header, not the read");
	bool refused = true;
	for (size_t cut = 0; cut < 28; cut++)
		refused &= icmp_parse_reply(AF_INET, ICMP_KIND_RAW, b, cut, &id,
					    &seq, &len) == -1;
	ok(refused, "raw IPv4 cut anywhere before the end of the echo header: "
		    "refused");
	uint8_t m[128];
	memcpy(m, b, n);
	m[6] = 0x20; /* more fragments */
	is_int(icmp_parse_reply(AF_INET, ICMP_KIND_RAW, m, n, &id, &seq, &len),
	       -1, "raw IPv4: a first fragment is refused");
	memcpy(m, b, n);
	m[7] = 0x01; /* offset 8 */
	is_int(icmp_parse_reply(AF_INET, ICMP_KIND_RAW, m, n, &id, &seq, &len),
	       -1, "raw IPv4: a later fragment is refused");
	memcpy(m, b, n);
	m[3] = 0x10; /* total 16 < IHL 20 */
	is_int(icmp_parse_reply(AF_INET, ICMP_KIND_RAW, m, n, &id, &seq, &len),
	       -1, "raw IPv4: total length below the header length");
	m[3] = 0x14; /* total 20: no ICMP at all */
	is_int(icmp_parse_reply(AF_INET, ICMP_KIND_RAW, m, n, &id, &seq, &len),
	       -1, "raw IPv4: header only");
	m[3] = 0x1b; /* total 27: 7 ICMP bytes */
	is_int(icmp_parse_reply(AF_INET, ICMP_KIND_RAW, m, n, &id, &seq, &len),
	       -1, "raw IPv4: echo header cut by the total length");
	memcpy(m, b, n);
	m[0] = 0x65;
	is_int(icmp_parse_reply(AF_INET, ICMP_KIND_RAW, m, n, &id, &seq, &len),
	       -1, "raw IPv4: version 6 refused");
	memcpy(m, b, n);
	m[20] = 3; /* destination unreachable */
	is_int(icmp_parse_reply(AF_INET, ICMP_KIND_RAW, m, n, &id, &seq, &len),
	       -1, "raw IPv4: an error is not a reply");

	/* ping socket IPv4: the ICMP header first */
	n = hex("00 00 00 00 00 2a 00 05", b, sizeof b);
	is_int(icmp_parse_reply(AF_INET, ICMP_KIND_PING, b, n, &id, &seq, &len),
	       0, "ping IPv4 reply parses");
	is_int(seq, 5, "ping IPv4 reply: sequence");
	b[1] = 1;
	is_int(icmp_parse_reply(AF_INET, ICMP_KIND_PING, b, n, &id, &seq, &len),
	       -1, "ping IPv4 reply with code 1: refused");

	/* ICMPv6 */
	n = hex("81 00 00 00 12 34 00 07 aa", b, sizeof b);
	is_int(icmp_parse_reply(AF_INET6, ICMP_KIND_RAW, b, n, &id, &seq, &len),
	       0, "ICMPv6 fixture parses");
	is_int(icmp_parse_reply(AF_INET, ICMP_KIND_PING, b, n, &id, &seq, &len),
	       -1, "an ICMPv6 reply on an IPv4 socket: refused");
	is_int(icmp_parse_reply(AF_INET6, ICMP_KIND_RAW, b, 0, &id, &seq, &len),
	       -1, "ICMPv6: 0 bytes");
	n = hex("00 00 00 00 12 34 00 07", b, sizeof b);
	is_int(icmp_parse_reply(AF_INET6, ICMP_KIND_RAW, b, n, &id, &seq, &len),
	       -1, "ICMPv6: an IPv4 echo reply type refused");

	/* Quoted packets in the error queue */
	n = hex("80 00 00 00 12 34 00 07", b, sizeof b);
	is_int(icmp_parse_quoted(AF_INET6, b, n, &id, &seq), 0,
	       "quoted ICMPv6 echo request parses");
	is_int(icmp_parse_quoted(AF_INET6, b, 7, &id, &seq), -1,
	       "quoted packet of 7 bytes: too short");
	is_int(icmp_parse_quoted(AF_INET6, b, 0, &id, &seq), -1,
	       "quoted packet of 0 bytes");
	is_int(icmp_parse_quoted(AF_INET, b, n, &id, &seq), -1,
	       "an ICMPv6 request quoted to IPv4: refused");
	n = hex("81 00 00 00 12 34 00 07", b, sizeof b);
	is_int(icmp_parse_quoted(AF_INET6, b, n, &id, &seq), -1,
	       "a quoted echo reply is not our request");
	n = hex("08 00 f7 ff 00 00 00 00", b, sizeof b);
	is_int(icmp_parse_quoted(AF_INET, b, n, &id, &seq), 0,
	       "quoted ICMP echo request parses");
	n = hex("45 00 00 1c 00 00 40 00 40 01 00 00", b, sizeof b);
	is_int(icmp_parse_quoted(AF_INET, b, n, &id, &seq), -1,
	       "a quoted IPv4 header (not the ICMP header): refused");
}

/* priv_drop() in a child: nothing held afterwards, no_new_privs set. */
static void test_priv(void)
{
	bool root = geteuid() == 0;
	pid_t pid = fork();

	if (pid == 0) {
		char err[128], line[256];
		int bad = priv_drop(err, sizeof err) ? 1 : 0;
		bad |= priv_has_any() ? 2 : 0;
		FILE *f = fopen("/proc/self/status", "r");
		while (f && fgets(line, sizeof line, f)) {
			if (!strncmp(line, "NoNewPrivs:", 11) && root &&
			    strtol(line + 11, NULL, 10) != 1)
				bad |= 4;
			if (!strncmp(line, "CapBnd:", 7) && root &&
			    strtoull(line + 7, NULL, 16) != 0)
				bad |= 8;
			if (!strncmp(line, "CapAmb:", 7) &&
			    strtoull(line + 7, NULL, 16) != 0)
				bad |= 16;
		}
		if (f)
			fclose(f);
		_exit(bad);
	}
	int st = -1;
	waitpid(pid, &st, 0);
	is_int(WIFEXITED(st) ? WEXITSTATUS(st) : -1, 0,
	       root ? "priv_drop as root: no capability, bounding set empty, "
		      "no_new_privs"
		    : "priv_drop unprivileged: a no-op, nothing held");
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

/* Issue 9 item 11: a Packet Too Big announcing 0 is out of range like 100
 * and 4294967295: each is ignored as a hint and reported, never silent. */
static void test_ptb_range(void)
{
	const struct {
		int family;
		unsigned mtu;
		const char *why;
	} c[] = {
	    {AF_INET6, 0, "below the IPv6 minimum 1280"},
	    {AF_INET6, 100, "below the IPv6 minimum 1280"},
	    {AF_INET6, 4294967295u, "not smaller than the probe"},
	    {AF_INET, 0, "below 68"},
	    {AF_INET, 20, "below 68"},
	    {AF_INET, 4294967295u, "not smaller than the probe"},
	};

	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
		struct pmtu_search s;
		struct pmtu_verdict v;
		unsigned sz[16];
		double wake;
		char want[120];
		if (c[i].family == AF_INET6)
			v6(&s, 1500);
		else
			v4(&s, 1500);
		size_t n = pmtu_plan(&s, 1.0, sz, 16, &wake);
		for (size_t k = 0; k < n; k++) {
			struct pmtu_size r = {.size = sz[k]};
			if (sz[k] == 1500) {
				r.res = PMTU_TOO_BIG;
				r.mtu = c[i].mtu;
				r.from = router(c[i].family);
			} else {
				r.res = PMTU_PASSED;
			}
			pmtu_record(&s, &r, 1.001);
		}
		is_int(s.nptb, 1, "out-of-range PTB: recorded");
		ok(s.nptb == 1 && s.ptb[0].ignored,
		   "out-of-range PTB: ignored as a hint");
		judge(&s, &v, &no_range, STATE_UNKNOWN);
		snprintf(want, sizeof want,
			 "announcing MTU %u for a 1500-byte "
			 "probe (%s",
			 c[i].mtu, c[i].why);
		ok(has(&v, STATE_WARNING, want), want);
		ok(pmtu_ptb_why(c[i].family, c[i].mtu, 1500) != NULL,
		   "pmtu_ptb_why: out of range");
	}
	ok(pmtu_ptb_why(AF_INET6, 1280, 1500) == NULL, "PTB 1280: a hint");
	ok(pmtu_ptb_why(AF_INET, 68, 1500) == NULL, "frag-needed 68: a hint");
}

/* The -t state reaches a search cut by the deadline. */
static void test_timeout_state(void)
{
	struct pmtu_search s;
	struct pmtu_verdict v;
	unsigned sz[16];
	double wake;

	v6(&s, 1500);
	pmtu_plan(&s, 1.0, sz, 16, &wake);
	struct pmtu_judge_opts o = {.host = "srv",
				    .crit = &no_range,
				    .warn = &no_range,
				    .unreachable = STATE_UNKNOWN,
				    .timeout_state = STATE_CRITICAL,
				    .incomplete = true};
	pmtu_judge(&s, &o, &v);
	is_int(v.state, STATE_CRITICAL,
	       "nothing answered yet at -t: the -t state");
	ok(has(&v, STATE_CRITICAL,
	       "when -t ran out during the path MTU "
	       "search"),
	   "the step named");
	o.incomplete = false;
	o.timeout_state = STATE_WARNING;
	pmtu_judge(&s, &o, &v);
	is_int(v.state, STATE_UNKNOWN, "not cut by -t: --unreachable's state");

	/* Loopback (MTU 65536): the search stops at the largest IP packet. */
	pmtu_init(&s, AF_INET6, ICMP_DEFAULT_SIZE(AF_INET6), PMTU_V6_MIN,
		  PMTU_MAX_PACKET);
	size_t n = pmtu_plan(&s, 1.0, sz, 16, &wake);
	unsigned big = 0;
	for (size_t k = 0; k < n; k++)
		big = sz[k] > big ? sz[k] : big;
	is_int(big, 65535, "loopback: 65535 is the largest size probed");
}

static void test_content_length(void)
{
	const char *h = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
			"content-length: 204800\r\n\r\nbody";
	size_t body = 0;
	is_int(pmtu_content_length(h, strlen(h), &body), 204800,
	       "Content-Length, any case");
	is_int(body, strlen(h) - 4, "the body starts after the blank line");
	is_int(pmtu_content_length(h, 30, &body), -1, "head not complete yet");
	const char *c = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
	is_int(pmtu_content_length(c, strlen(c), &body), -2,
	       "chunked: no length");
	const char *g = "HTTP/1.1 200 OK\r\nContent-Length: 12x\r\n\r\n";
	is_int(pmtu_content_length(g, strlen(g), &body), -2,
	       "garbled length: none");
	const char *d = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n"
			"Content-Length: 6\r\n\r\n";
	is_int(pmtu_content_length(d, strlen(d), &body), -2,
	       "two lengths that differ: none");
	const char *n =
	    "HTTP/1.1 304 Not Modified\r\nContent-Length: 99\r\n\r\n";
	is_int(pmtu_content_length(n, strlen(n), &body), 0, "304: no body");
	const char *l = "HTTP/1.0 200 OK\nContent-Length: 3\n\nabc";
	is_int(pmtu_content_length(l, strlen(l), &body), 3, "bare LF lines");
	is_int(body, strlen(l) - 3, "bare LF: the body");
}

/* Issue 9 item 3: cut by -t while bytes still came is never a stall. */
static void test_tcp_deadline(void)
{
	struct pmtu_fetch n, c;
	struct pmtu_verdict v;
	struct pmtu_tcp_opts o = {AF_INET6, "srv", 1220, STATE_UNKNOWN};

	memset(&n, 0, sizeof n);
	memset(&c, 0, sizeof c);
	n.connected = c.connected = true;
	n.adv_mss = 1428;
	n.end = c.end = FETCH_DEADLINE;
	n.cut = c.cut = true;
	n.bytes = 5734400;
	c.bytes = 5800000;
	n.total_bytes = c.total_bytes = 104857672;
	n.start_s = c.start_s = 100;
	n.first_byte_s = c.first_byte_s = 0.01;
	n.last_s = c.last_s = 102.8;
	pmtu_judge_tcp(&o, &n, &c, &v);
	is_int(v.state, STATE_UNKNOWN, "stream cut by -t: the -t state");
	is_str(v.items[0].code, "still_receiving", "stream cut by -t: code");
	ok(has(&v, STATE_UNKNOWN, "still receiving at"),
	   "says still receiving");
	o.timeout_state = STATE_CRITICAL;
	pmtu_judge_tcp(&o, &n, &c, &v);
	is_int(v.state, STATE_CRITICAL, "-t N:critical: CRITICAL");

	n.end = c.end = FETCH_COMPLETE;
	n.cut = c.cut = false;
	pmtu_judge_tcp(&o, &n, &c, &v);
	is_str(v.items[0].code, "fetch_complete",
	       "complete by Content-Length, open connection: complete");
}

int main(void)
{
	test_request();
	test_search();
	test_tcp();
	test_packets();
	test_hostile();
	test_priv();
	test_ptb_range();
	test_timeout_state();
	test_content_length();
	test_tcp_deadline();
	return done_testing();
}
