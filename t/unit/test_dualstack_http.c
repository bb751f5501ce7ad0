/* The pure part of check_dualstack_http: dualstack_judge() over hand-made facts
 * (DNS outcomes, transfers), and the check_dualstack_http.d/webcheck and
 * common/http text helpers it stands on. The plugin is included whole, its
 * main() renamed. */
#define main plugin_main
#include "../../plugins/check_dualstack_http.c"
#undef main

#include <errno.h>
#include <openssl/evp.h>

#include "tap.h"

static char perfbuf[2048];

static struct opts defaults;
static struct dualstack_fetch F;
static struct report R;
static struct range W, C;
static const time_t NOW = 1700000000;

static void reset(void)
{
	for (size_t i = 0; i < F.nt; i++)
		http_xfer_release(&F.t[i].x);
	memset(&F, 0, sizeof F);
	o = defaults;
	memset(&W, 0, sizeof W);
	memset(&C, 0, sizeof C);
	o.wc.warn = &W;
	o.wc.crit = &C;
	snprintf(o.url, sizeof o.url, "http://www.lab.test/");
	snprintf(o.name, sizeof o.name, "www.lab.test");
	F.name = o.name;
	F.url = o.url;
}

static void dns(int i, enum dns_outcome out, const char *addr, double secs)
{
	socklen_t sl;

	F.asked[i] = true;
	snprintf(F.q[i].name, sizeof F.q[i].name, "www.lab.test");
	F.q[i].type = i ? DNS_AAAA : DNS_A;
	F.q[i].outcome = out;
	F.q[i].elapsed_s = secs;
	if (addr && addr_parse_literal(addr, &F.q[i].addrs[0], &sl) == 0)
		F.q[i].naddrs = 1;
}

/* A complete response from addr. */
static struct http_xfer *got(const char *addr, long status, const char *body,
			     double secs)
{
	struct dualstack_target *t = &F.t[F.nt++];
	struct http_xfer *x = &t->x;
	socklen_t sl;

	addr_parse_literal(addr, &t->addr, &sl);
	t->family = t->addr.ss_family;
	x->addr = t->addr;
	x->url = o.url;
	x->done = true;
	x->status = status;
	snprintf(x->reason, sizeof x->reason, "%s",
		 status == 200	 ? "OK"
		 : status == 404 ? "Not Found"
		 : status == 500 ? "Internal Server Error"
				 : "");
	x->body = strdup(body);
	x->body_len = strlen(body);
	x->body_bytes = (long long)x->body_len;
	x->content_length = x->body_bytes;
	x->header_bytes = 200;
	x->t_connect = secs / 4;
	x->t_first_byte = secs / 2;
	x->t_total = secs;
	EVP_Digest(body, x->body_len, x->digest, NULL, EVP_sha256(), NULL);
	return x;
}

/* A failed transfer. */
static struct http_xfer *failed(const char *addr, enum http_fail why)
{
	struct http_xfer *x = got(addr, 0, "", 3.0);

	x->fail = why;
	x->header_bytes = 0;
	x->content_length = -1;
	x->os_errno = EHOSTUNREACH;
	return x;
}

static void cert(struct http_xfer *x, const char *subject, long days_left)
{
	x->tls.seen = x->tls.chain_ok = true;
	snprintf(x->tls.subject, sizeof x->tls.subject, "%s", subject);
	snprintf(x->tls.issuer, sizeof x->tls.issuer, "CN=lab CA");
	snprintf(x->tls.serial, sizeof x->tls.serial, "01");
	x->tls.not_after = NOW + days_left * 86400 + 3600;
}

static enum state judged(void)
{
	report_init(&R, "DUALSTACK_HTTP");
	dualstack_judge(&F, &o, NOW, &R);
	return report_state(&R);
}

static bool has(const char *text, const char *part)
{
	bool ok = strstr(text, part) != NULL;
	if (!ok)
		printf("#   '%s'\n#   does not contain '%s'\n", text, part);
	return ok;
}

/* The long-output line that mentions part, or "". */
static const char *line_with(const char *part)
{
	for (size_t i = 0; i < R.nitems; i++)
		if (strstr(R.items[i].text, part))
			return R.items[i].text;
	return "";
}

static enum state line_state(const char *part)
{
	for (size_t i = 0; i < R.nitems; i++)
		if (strstr(R.items[i].text, part))
			return R.items[i].state;
	return (enum state) - 1;
}

static const char *const PAGE = "<h1>Welcome to the v6ops lab</h1>";
static const char *const V4 = "203.0.113.80", *const V6 = "2001:db8:c::80";

static void healthy(void)
{
	reset();
	dns(0, DNS_ANSWER, V4, 0.002);
	dns(1, DNS_ANSWER, V6, 0.003);
	got(V4, 200, PAGE, 0.012);
	got(V6, 200, PAGE, 0.015);
}

static void test_healthy(void)
{
	static const char *const strs[] = {"Welcome"};

	healthy();
	o.wc.strings = strs;
	o.wc.nstrings = 1;
	is_int(judged(), STATE_OK, "healthy: OK");
	is_str(R.summary,
	       "www.lab.test: IPv6 OK (HTTP 200 in 0.015 s); IPv4 OK "
	       "(HTTP 200 in 0.012 s)",
	       "healthy: both families named");
	is_str(report_perf_text(&R, perfbuf, sizeof perfbuf),
	       "time_v4=0.012s;;;0 time_v6=0.015s;;;0 size_v4=33B;;;0 "
	       "size_v6=33B;;;0",
	       "healthy: perfdata per family");
	is_str(line_with("IPv6 ["),
	       "IPv6 [2001:db8:c::80]: HTTP 200 OK, 33 B in "
	       "0.015 s",
	       "healthy: IPv6 line");
	is_int(line_state("serve the same"), STATE_OK,
	       "healthy: families agree");
	is_str(R.items[0].text, "DNS A www.lab.test: 203.0.113.80 in 0.002 s",
	       "healthy: the A query in the long output");
}

static void test_v6_broken(void)
{
	reset();
	dns(0, DNS_ANSWER, V4, 0.002);
	dns(1, DNS_ANSWER, V6, 0.003);
	got(V4, 200, PAGE, 0.012);
	failed(V6, HTTP_FAIL_UNREACHABLE);
	is_int(judged(), STATE_CRITICAL,
	       "v6 unreachable: CRITICAL though IPv4 works");
	is_str(R.summary,
	       "www.lab.test: IPv6 broken while IPv4 works "
	       "([2001:db8:c::80]: unreachable (host unreachable))",
	       "v6 unreachable: first line names the family and the address");
	is_str(report_perf_text(&R, perfbuf, sizeof perfbuf),
	       "time_v4=0.012s;;;0 size_v4=33B;;;0",
	       "v6 unreachable: no numbers for IPv6");
	is_int(line_state("IPv4 203"), STATE_OK,
	       "v6 unreachable: the IPv4 line is OK");

	reset();
	dns(0, DNS_ANSWER, V4, 0.002);
	dns(1, DNS_ANSWER, V6, 0.003);
	failed(V4, HTTP_FAIL_REFUSED);
	got(V6, 200, PAGE, 0.012);
	judged();
	ok(has(R.summary,
	       "IPv4 broken while IPv6 works (203.0.113.80: connection "
	       "refused)"),
	   "v4 refused: the rule works both ways");

	reset();
	dns(0, DNS_ANSWER, V4, 0.002);
	dns(1, DNS_ANSWER, V6, 0.003);
	failed(V4, HTTP_FAIL_CONNECT_TIMEOUT);
	failed(V6, HTTP_FAIL_CONNECT_TIMEOUT);
	is_int(judged(), STATE_CRITICAL, "both time out: CRITICAL");
	is_str(R.summary,
	       "www.lab.test: IPv6 and IPv4 broken (connection timed "
	       "out after 3.0 s)",
	       "both time out: said once");
}

static void test_content(void)
{
	static const char *const strs[] = {"Welcome"};

	reset();
	o.wc.strings = strs;
	o.wc.nstrings = 1;
	dns(0, DNS_ANSWER, V4, 0.002);
	dns(1, DNS_ANSWER, V6, 0.003);
	got(V4, 200, PAGE, 0.012);
	got(V6, 200, "<h1>This is the wrong server</h1>", 0.011);
	is_int(judged(), STATE_CRITICAL, "v6 content: CRITICAL");
	ok(has(R.summary,
	       "IPv6 broken while IPv4 works ([2001:db8:c::80]: string "
	       "\"Welcome\" not found)"),
	   "v6 content: string not found on IPv6");
	is_int(line_state("IPv4 203"), STATE_OK, "v6 content: IPv4 line OK");
	is_int(line_state("content differs"), STATE_WARNING,
	       "v6 content: the families' bodies differ");
	ok(has(R.summary, "content differs: 33 B (sha256 "),
	   "v6 content: the "
	   "difference is on the first line too");

	o.no_compare = true;
	judged();
	ok(!strstr(R.summary, "differs") && !line_with("serve the same")[0],
	   "--no-compare: no comparison");
}

static void test_stall(void)
{
	struct http_xfer *x;

	healthy();
	http_xfer_release(&F.t[--F.nt].x);
	x = failed(V6, HTTP_FAIL_STALLED);
	x->header_bytes = 250;
	x->status = 200;
	x->body_bytes = 14480;
	x->content_length = 204800;
	is_int(judged(), STATE_CRITICAL, "stall: CRITICAL");
	ok(has(R.summary,
	       "IPv6 broken while IPv4 works ([2001:db8:c::80]: transfer "
	       "stalled after 14480 of 204800 bytes over IPv6 (typical of "
	       "a Path MTU Discovery blackhole))"),
	   "stall: N of M bytes");
	ok(!strstr(report_perf_text(&R, perfbuf, sizeof perfbuf), "_v6") &&
	       has(report_perf_text(&R, perfbuf, sizeof perfbuf),
		   "size_v4=33B"),
	   "stall: no IPv6 numbers, IPv4 ones kept");
	x->body_bytes = 0;
	judged();
	ok(has(R.summary, "transfer stalled after the headers, 0 of 204800 "
			  "bytes over IPv6 (typical of a Path MTU"),
	   "stall after the headers: said so");
	x->fail = HTTP_FAIL_NO_RESPONSE;
	x->body_bytes = 0;
	x->t_connect = 0.001;
	x->t_total = 4.801;
	judged();
	ok(has(R.summary, "transfer stalled: no response within 4.8 s of the "
			  "request over IPv6"),
	   "no response at all: still a stall");
	x->fail = HTTP_FAIL_TLS_STALLED;
	judged();
	ok(has(R.summary, "TLS handshake did not finish: no answer to the "
			  "ClientHello within 4.8 s over IPv6"),
	   "handshake that hangs: not a connection timeout");
	x->tls_answered = true;
	judged();
	ok(has(R.summary, "TLS handshake did not finish: stalled after the "
			  "server's first messages over IPv6"),
	   "handshake that stalls after the server's first bytes");
}

/* Item 3: a transfer -t cut while it still moved is no stall. */
static void test_still_receiving(void)
{
	struct http_xfer *x;

	healthy();
	o.wc.timeout_state = STATE_UNKNOWN;
	http_xfer_release(&F.t[--F.nt].x);
	x = failed(V6, HTTP_FAIL_DEADLINE);
	x->deadline_phase = HTTP_PHASE_RECEIVE;
	x->header_bytes = 90;
	x->status = 200;
	x->body_bytes = 5734400;
	x->content_length = 104857600;
	x->rate_Bps = 2048.0 * 1024;
	is_int(judged(), STATE_UNKNOWN, "still receiving: the -t state");
	ok(has(R.summary, "still receiving at 2048 KB/s when -t ran out during "
			  "receiving the response (5734400 of 104857600 "
			  "bytes)"),
	   "still receiving: said, with the rate");
	ok(!strstr(R.summary, "stalled") && !strstr(R.summary, "blackhole"),
	   "still receiving: no stall, no blackhole");
	ok(report_find(&R, "still_receiving") &&
	       report_find(&R, "still_receiving")->state == STATE_UNKNOWN,
	   "still receiving: code still_receiving, UNKNOWN");
	o.wc.timeout_state = STATE_CRITICAL;
	is_int(judged(), STATE_CRITICAL, "still receiving: -t N:critical");
	o.wc.timeout_state = STATE_UNKNOWN;
	x->body_bytes = 4;
	x->rate_Bps = 1.1;
	judged();
	ok(has(R.summary, "still receiving at 1 B/s when -t ran out"),
	   "trickle: bytes arrived, not \"no response\"");
	x->body_bytes = 0;
	judged();
	ok(has(R.summary, "the headers came, no body yet when -t ran out "
			  "during receiving the response (0 of 104857600 "
			  "bytes)"),
	   "headers only, -t cut it: no rate of 0 B/s");
	x->deadline_phase = HTTP_PHASE_WAIT;
	x->header_bytes = x->body_bytes = 0;
	x->t_connect = 0.001;
	x->t_total = 0.801;
	is_int(judged(), STATE_UNKNOWN, "waiting when -t ran out: -t state");
	ok(report_find(&R, "fetch_unfinished") &&
	       has(R.summary, "no response 0.8 s after connecting when -t "
			      "ran out during waiting for the response"),
	   "waiting when -t ran out: fetch_unfinished, the step named");
	x->fail = HTTP_FAIL_HEADER_FLOOD;
	is_int(judged(), STATE_CRITICAL, "header flood: CRITICAL");
	ok(report_find(&R, "header_flood") &&
	       has(R.summary, "header flood: more than 64 KB of response "
			      "header lines"),
	   "header flood: named");
	x->fail = HTTP_FAIL_CHUNKED;
	x->body_bytes = 5;
	snprintf(x->error, sizeof x->error,
		 "Illegal or missing hexadecimal sequence in chunked-encoding");
	is_int(judged(), STATE_CRITICAL, "broken chunked body: CRITICAL");
	ok(report_find(&R, "chunked_broken") &&
	       has(R.summary, "broken chunked body after 5 bytes: Illegal"),
	   "broken chunked body: named");
}

static void test_dns(void)
{
	reset();
	dns(0, DNS_ANSWER, V4, 0.002);
	dns(1, DNS_NODATA, NULL, 0.002);
	got(V4, 200, PAGE, 0.012);
	is_int(judged(), STATE_WARNING, "A only: WARNING by default");
	is_str(R.summary,
	       "www.lab.test: no AAAA record; IPv4 OK (HTTP 200 in 0.012 s)",
	       "A only: the first line says so");
	ok(!strstr(report_perf_text(&R, perfbuf, sizeof perfbuf), "_v6"),
	   "A only: no IPv6 numbers");
	o.no_aaaa = STATE_OK;
	is_int(judged(), STATE_OK, "A only, --no-aaaa ok: OK");
	o.no_aaaa = STATE_CRITICAL;
	is_int(judged(), STATE_CRITICAL,
	       "A only, --no-aaaa critical: CRITICAL");

	reset();
	dns(0, DNS_NODATA, NULL, 0.002);
	dns(1, DNS_ANSWER, V6, 0.002);
	got(V6, 200, PAGE, 0.012);
	is_int(judged(), STATE_WARNING, "AAAA only: WARNING (--no-a)");
	o.no_a = STATE_OK;
	is_int(judged(), STATE_OK, "AAAA only, --no-a ok: OK");

	reset();
	dns(0, DNS_ANSWER, V4, 0.002);
	dns(1, DNS_TIMEOUT, NULL, 4.0);
	got(V4, 200, PAGE, 0.012);
	is_int(judged(), STATE_CRITICAL, "AAAA unanswered: CRITICAL");
	ok(has(R.summary,
	       "AAAA query for www.lab.test unanswered after 4 s while A "
	       "answered in 0.002 s: clients asking for AAAA wait"),
	   "AAAA unanswered: the shared words");
	ok(report_find(&R, "aaaa_unanswered") &&
	       report_find(&R, "aaaa_unanswered")->state == STATE_CRITICAL,
	   "AAAA unanswered: aaaa_unanswered CRITICAL");

	reset();
	dns(0, DNS_ANSWER, V4, 0.002);
	dns(1, DNS_NXDOMAIN, NULL, 0.002);
	got(V4, 200, PAGE, 0.012);
	is_int(judged(), STATE_CRITICAL, "NXDOMAIN for AAAA only: CRITICAL");
	ok(report_find(&R, "aaaa_nxdomain") && !report_find(&R, "nxdomain"),
	   "NXDOMAIN for AAAA only: aaaa_nxdomain");

	reset();
	dns(0, DNS_NXDOMAIN, NULL, 0.002);
	dns(1, DNS_NXDOMAIN, NULL, 0.002);
	is_int(judged(), STATE_CRITICAL, "NXDOMAIN: CRITICAL");
	ok(has(R.summary, "the name does not exist (NXDOMAIN)"),
	   "NXDOMAIN: said");

	reset();
	dns(0, DNS_TIMEOUT, NULL, 4.0);
	dns(1, DNS_TIMEOUT, NULL, 4.0);
	is_int(judged(), STATE_CRITICAL, "nothing resolves: CRITICAL");

	reset();
	dns(0, DNS_ANSWER, V4, 0.002);
	dns(1, DNS_SERVFAIL, NULL, 0.01);
	got(V4, 200, PAGE, 0.012);
	is_int(judged(), STATE_WARNING, "AAAA SERVFAIL while A works: WARNING");

	reset();
	dns(0, DNS_NODATA, NULL, 0.002);
	F.asked[1] = false;
	is_int(judged(), STATE_CRITICAL, "-4 and no A record: CRITICAL");
	ok(!strstr(report_perf_text(&R, perfbuf, sizeof perfbuf), "_v6"),
	   "-4: no IPv6 perfdata");
}

static void test_status(void)
{
	healthy();
	F.t[0].x.status = F.t[1].x.status = 404;
	snprintf(F.t[0].x.reason, sizeof F.t[0].x.reason, "Not Found");
	snprintf(F.t[1].x.reason, sizeof F.t[1].x.reason, "Not Found");
	is_int(judged(), STATE_WARNING, "404: WARNING");
	is_str(R.summary,
	       "www.lab.test: IPv6 and IPv4 degraded (HTTP 404 Not Found)",
	       "404: first line");
	o.wc.expect = (struct webcheck_codes){{200, 404}, 2};
	is_int(judged(), STATE_OK, "404 with -e 200,404: OK");
	o.wc.expect.n = 0;
	F.t[0].x.status = F.t[1].x.status = 500;
	is_int(judged(), STATE_CRITICAL, "500: CRITICAL");
	o.wc.expect = (struct webcheck_codes){{200}, 1};
	is_int(judged(), STATE_CRITICAL, "500 with -e 200: CRITICAL");
	ok(has(line_with("IPv4 203"), "not an expected status"), "-e: said");

	healthy();
	F.t[1].x.status = 503;
	judged();
	is_int(line_state("HTTP status differs"), STATE_WARNING,
	       "status differs: WARNING item");
	ok(has(R.summary, "HTTP status differs: 200 over IPv4, 503 over IPv6"),
	   "status differs: on the first line");

	healthy();
	F.t[0].x.status = F.t[1].x.status = 301;
	snprintf(F.t[0].x.location, sizeof F.t[0].x.location,
		 "http://www.lab.test/new");
	is_int(judged(), STATE_OK, "301: OK by default");
	o.wc.onredirect = STATE_WARNING;
	is_int(judged(), STATE_WARNING,
	       "301 with --onredirect warning: WARNING");
	ok(has(line_with("IPv4 203"), "redirect to http://www.lab.test/new"),
	   "301: the target is named");
	o.wc.onredirect = WEBCHECK_FOLLOW;
	snprintf(F.t[1].lost, sizeof F.t[1].lost,
		 "redirect target v4only.lab.test "
		 "has no IPv6 address (AAAA NODATA)");
	is_int(judged(), STATE_CRITICAL,
	       "follow to a target without AAAA: CRITICAL");
	ok(has(R.summary, "IPv6 broken while IPv4 works ([2001:db8:c::80]: "),
	   "follow: IPv6 is the broken family");
	ok(has(R.summary, "has no IPv6 address"), "follow: the lack is named");
	static const char *const absent[] = {"not in the page"};
	F.t[1].lost[0] = '\0';
	F.t[0].hops = F.t[1].hops = 10;
	snprintf(F.t[1].x.location, sizeof F.t[1].x.location,
		 "http://www.lab.test/new");
	o.wc.strings = absent;
	o.wc.nstrings = 1;
	is_int(judged(), STATE_WARNING,
	       "follow stopped by --max-redirs: WARNING, "
	       "the redirect's body not searched");
	is_str(R.summary,
	       "www.lab.test: IPv6 and IPv4 degraded (redirect to "
	       "http://www.lab.test/new not followed: 10 redirects already)",
	       "follow stopped: said");
}

static void test_thresholds(void)
{
	char err[64];

	healthy();
	range_parse("1", &W, err, sizeof err);
	range_parse("2", &C, err, sizeof err);
	F.t[1].x.t_total = 1.5;
	is_int(judged(), STATE_WARNING, "time 1.5 s, -w 1 -c 2: WARNING");
	ok(has(R.summary, "response time 1.500 s (warning threshold 1)"),
	   "-w: said");
	ok(has(report_perf_text(&R, perfbuf, sizeof perfbuf),
	       "time_v6=1.5s;1;2;0"),
	   "-w/-c in perfdata");
	F.t[1].x.t_total = 2.5;
	is_int(judged(), STATE_CRITICAL, "time 2.5 s: CRITICAL");
	F.t[1].x.t_total = 2.0;
	is_int(judged(), STATE_WARNING, "time 2.0 s is inside -c 2: WARNING");

	healthy();
	o.wc.size = (struct webcheck_limits){true, 100, -1};
	is_int(judged(), STATE_WARNING, "-m 100 with 33 B: WARNING");
	ok(has(R.summary, "page size 33 B, not in 100:"), "-m: said");
	o.wc.size = (struct webcheck_limits){true, 10, 40};
	is_int(judged(), STATE_OK, "-m 10:40 with 33 B: OK");

	healthy();
	ok(webcheck_regex(&o.wc, "welcome TO", true, err, sizeof err) == 0,
	   "-R compiles");
	is_int(judged(), STATE_OK, "-R matches ignoring case: OK");
	o.wc.invert = true;
	is_int(judged(), STATE_CRITICAL,
	       "--invert-regex with a match: CRITICAL");
	ok(has(R.summary, "pattern \"welcome TO\" found"),
	   "--invert-regex: said");
	regfree(&o.wc.re);
	o.wc.re_set = false;
}

static void test_tls(void)
{
	struct http_xfer *a, *b;

	reset();
	dns(0, DNS_ANSWER, V4, 0.002);
	dns(1, DNS_ANSWER, V6, 0.003);
	a = got(V4, 200, PAGE, 0.012);
	b = got(V6, 200, PAGE, 0.012);
	cert(a, "CN=www.lab.test,O=v6ops lab", 29);
	cert(b, "CN=www.lab.test,O=v6ops lab", 29);
	is_int(judged(), STATE_OK, "same certificate: OK");
	ok(has(line_with("IPv6 ["), "certificate CN=www.lab.test,O=v6ops lab, "
				    "expires "),
	   "the certificate is described");
	o.wc.cert_days = (struct webcheck_limits){true, 30, 14};
	is_int(judged(), STATE_WARNING, "29 days left, -C 30,14: WARNING");
	ok(has(R.summary, "certificate expires in 29 days"), "-C: said");
	o.wc.cert_days = (struct webcheck_limits){true, 60, 30};
	is_int(judged(), STATE_CRITICAL, "29 days left, -C 60,30: CRITICAL");
	o.wc.cert_days.set = false;

	snprintf(b->tls.subject, sizeof b->tls.subject,
		 "CN=www.lab.test,O=other");
	is_int(judged(), STATE_CRITICAL, "another subject over IPv6: CRITICAL");
	ok(has(R.summary, "IPv6 broken while IPv4 works ([2001:db8:c::80]: "
			  "certificate differs from the one at 203.0.113.80 "
			  "(subject))"),
	   "another subject: named");
	o.compare = CMP_STATUS | CMP_BODY;
	is_int(judged(), STATE_OK,
	       "--compare status,body: certificates not compared");
	o.compare = CMP_ALL;

	cert(b, "CN=www.lab.test,O=v6ops lab", 40);
	is_int(judged(), STATE_WARNING, "only notAfter differs: WARNING");
	ok(has(R.summary, "certificate differs from the one at 203.0.113.80 "
			  "(notAfter)"),
	   "notAfter: named");

	/* an expired certificate over IPv6, rejected in the handshake */
	cert(b, "CN=www.lab.test,O=v6ops lab expired", -1000);
	b->fail = HTTP_FAIL_TLS;
	b->tls.chain_ok = false;
	snprintf(b->tls.verify_error, sizeof b->tls.verify_error,
		 "certificate has expired");
	is_int(judged(), STATE_CRITICAL, "expired over IPv6: CRITICAL");
	ok(has(R.summary, "IPv6 broken while IPv4 works ([2001:db8:c::80]: "
			  "certificate rejected: certificate has expired)"),
	   "expired: the first line says why");
	ok(has(line_with("IPv6 ["), "certificate CN=www.lab.test,O=v6ops lab "
				    "expired, expires 2021-") &&
	       has(line_with("IPv4 "),
		   "certificate CN=www.lab.test,O=v6ops lab, "),
	   "expired: both certificates described");
}

static void test_delta(void)
{
	healthy();
	o.max_delta_ms = 100;
	range_parse("-0.1:0.1", &o.delta_range, NULL, 0);
	F.t[1].x.t_total = 0.212;
	is_int(judged(), STATE_WARNING,
	       "IPv6 200 ms slower, --max-delta 0.1: WARNING");
	ok(has(R.summary,
	       "IPv6 slower than IPv4 by 0.2 s (limit 0.1 s): clients "
	       "will fall back to IPv4"),
	   "--max-delta: said");
	ok(has(report_perf_text(&R, perfbuf, sizeof perfbuf),
	       "delta_v6_v4=0.2s;-0.1:0.1"),
	   "--max-delta: perfdata delta_v6_v4 in seconds");
	F.t[1].x.t_total = 0.1;
	is_int(judged(), STATE_OK, "IPv6 88 ms slower: OK");
	ok(has(line_with("compared with IPv4"), "+0.088 s"),
	   "--max-delta: OK line");
	F.t[0].x.t_total = 1.5;
	is_int(judged(), STATE_WARNING, "IPv4 1.4 s slower: WARNING");
	ok(report_find(&R, "v4_slower") &&
	       has(R.summary, "IPv4 slower than IPv6 by 1.4 s"),
	   "a slow IPv4 is named too");
}

static void test_perf_phases(void)
{
	healthy();
	o.perf_phases = true;
	judged();
	ok(has(report_perf_text(&R, perfbuf, sizeof perfbuf),
	       "dns_v4=0.002s;;;0 connect_v4=0.003s;;;0 "
	       "firstbyte_v4=0.006s;;;0"),
	   "--perf-phases: IPv4 phases");
	ok(has(report_perf_text(&R, perfbuf, sizeof perfbuf),
	       "connect_v6=0.00375s;;;0") &&
	       !strstr(report_perf_text(&R, perfbuf, sizeof perfbuf), "tls_v"),
	   "--perf-phases: no TLS phase over HTTP");
	F.t[1].x.t_tls = 0.009;
	judged();
	ok(has(report_perf_text(&R, perfbuf, sizeof perfbuf),
	       "tls_v6=0.009s;;;0") &&
	       !strstr(report_perf_text(&R, perfbuf, sizeof perfbuf), "tls_v4"),
	   "--perf-phases: a TLS phase where there was one");
}

static void test_all_addresses(void)
{
	healthy();
	got("2001:db8:c::81", 200, PAGE, 0.4);
	failed("2001:db8:c::99", HTTP_FAIL_CONNECT_TIMEOUT);
	is_int(judged(), STATE_CRITICAL, "one dead AAAA among three: CRITICAL");
	ok(has(R.summary, "IPv6 broken while IPv4 works ([2001:db8:c::99]: "
			  "connection timed out"),
	   "the dead address is named");
	ok(has(report_perf_text(&R, perfbuf, sizeof perfbuf), "time_v6=0.4s"),
	   "time_v6 is the slowest that answered");
	is_int(line_state("[2001:db8:c::81]"), STATE_OK, "the live one is OK");
}

static void test_helpers(void)
{
	struct webcheck_codes c;
	struct webcheck_limits l;
	struct http_xfer x = {0};
	char err[128], buf[200];

	ok(webcheck_parse_codes("200,HTTP/1.1 301", &c, err, sizeof err) == 0 &&
	       c.n == 2 && c.v[1] == 301,
	   "-e takes codes and check_curl's form");
	ok(webcheck_parse_codes("200,abc", &c, err, sizeof err) < 0,
	   "-e abc fails");
	ok(webcheck_parse_codes("99", &c, err, sizeof err) < 0, "-e 99 fails");
	ok(webcheck_parse_size("10:5", &l, err, sizeof err) < 0,
	   "-m 10:5 fails");
	ok(webcheck_parse_days("14", &l, err, sizeof err) == 0 && l.lo == 14 &&
	       l.hi == 0,
	   "-C 14: CRIT 0");
	ok(webcheck_parse_days("7,14", &l, err, sizeof err) < 0,
	   "-C 7,14 fails");
	ok(parse_compare("status,cert", &o.compare, err, sizeof err) == 0 &&
	       o.compare == (CMP_STATUS | CMP_CERT),
	   "--compare status,cert");
	ok(parse_compare("status,size", &o.compare, err, sizeof err) < 0,
	   "--compare size fails");

	x.tls.not_after = NOW - 1;
	is_int(http_tls_days_left(&x.tls, NOW), -1,
	       "a second past notAfter: -1 day");
	x.tls.not_after = NOW + 86399;
	is_int(http_tls_days_left(&x.tls, NOW), 0, "less than a day left: 0");
	addr_parse_literal(V6, &x.addr, &(socklen_t){0});
	x.fail = HTTP_FAIL_CUT;
	x.body_bytes = 100;
	x.header_bytes = 10;
	x.content_length = 200;
	http_fail_text(&x, buf, sizeof buf);
	is_str(buf, "connection closed after 100 of 200 bytes", "cut text");
	x.fail = HTTP_FAIL_UNREACHABLE;
	x.os_errno = EACCES;
	http_fail_text(&x, buf, sizeof buf);
	is_str(buf, "unreachable (administratively prohibited)",
	       "ICMP prohibited");

	struct http_url u;
	ok(http_url_split("https://[2001:db8::1]:8443/a?b=1", &u, err,
			  sizeof err) == 0 &&
	       u.tls && !strcmp(u.host, "2001:db8::1") && u.port == 8443 &&
	       !strcmp(u.path, "/a?b=1"),
	   "URL split");
	http_url_join(&u, buf, sizeof buf);
	is_str(buf, "https://[2001:db8::1]:8443/a?b=1", "URL joined again");
	u.port = 443;
	http_url_join(&u, buf, sizeof buf);
	is_str(buf, "https://[2001:db8::1]/a?b=1", "default port left out");
	ok(http_url_split("ftp://x/", &u, err, sizeof err) < 0, "ftp refused");
}

int main(void)
{
	defaults = o;
	test_healthy();
	test_v6_broken();
	test_content();
	test_stall();
	test_still_receiving();
	test_dns();
	test_status();
	test_thresholds();
	test_tls();
	test_delta();
	test_perf_phases();
	test_all_addresses();
	test_helpers();
	reset();
	return done_testing();
}
