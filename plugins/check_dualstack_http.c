/* check_dualstack_http: does this site work for IPv6 users AND for IPv4
 * users, right now, and if not, which family is broken and how?
 *
 * Catches (README, The failures: IPv6 broken while IPv4 works; PMTUD
 * blackholes): a server that lost its IPv6 address while the AAAA record
 * stays; other content or another certificate over one
 * family; a large response that stalls over one family (a Path MTU
 * Discovery blackhole, RFC 8201); a DNS server that never answers AAAA;
 * IPv6 so much slower that clients fall back to IPv4 (RFC 8305).
 * How: A and AAAA are asked at once (c-ares); each answer starts its
 * transfers at once (libcurl multi, common/http), each pinned to its
 * address while Host and SNI stay the name; all in one poll loop under -t.
 * Privileges: none. Its own logic lives in check_dualstack_http.d/:
 * dualstack (the fetches of both families), webcheck (one response),
 * verdict (the report from the facts), opts (what validate() sets).
 * State policy: each address is judged on its own
 * (check_dualstack_http.d/webcheck: connection, TLS, status, content, size,
 * time); a published family that fails is CRITICAL even when the other works
 * ("IPv6 broken while IPv4 works"); an address whose certificate names another
 * subject or issuer than the IPv4 one is CRITICAL, other certificate
 * differences WARNING; no AAAA or no A is --no-aaaa / --no-a (WARNING); an AAAA
 * query unanswered (or NXDOMAIN) while A answers is CRITICAL, as in every
 * plugin (README, state policy); status or content differing between the
 * families, or one family slower than the other by more than --max-delta
 * (default 1 s), is WARNING. A stall (no byte for --stall-time) is CRITICAL;
 * a transfer -t cut while it still moved gets the -t state. Worst one wins. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "addr.h"
#include "deadline.h"
#include "dns.h"
#include "check_dualstack_http.d/dualstack.h"
#include "check_dualstack_http.d/opts.h"
#include "check_dualstack_http.d/verdict.h"
#include "http.h"
#include "opt.h"
#include "report.h"
#include "check_dualstack_http.d/webcheck.h"

static struct opts o = {
    .max_redirs = 10,
    .max_delta_ms = -1,
    .compare = CMP_ALL,
    .no_aaaa = STATE_WARNING,
    .no_a = STATE_WARNING,
};
static struct std_opts std;

static int parse_pin(const char *arg, void *target, char *err, size_t len)
{
	struct pins *p = target;
	socklen_t sl;

	if (p->n == MAX_PINS) {
		snprintf(err, len, "at most %d addresses", MAX_PINS);
		return -1;
	}
	if (addr_parse_literal(arg, &p->a[p->n], &sl) < 0) {
		snprintf(err, len, "\"%s\" is not an IPv4 or IPv6 address",
			 arg);
		return -1;
	}
	p->n++;
	return 0;
}

static int parse_compare(const char *arg, void *target, char *err, size_t len)
{
	static const char *const names[] = {"status", "body", "cert"};
	int *mask = target;
	char buf[128];

	snprintf(buf, sizeof buf, "%s", arg);
	*mask = 0;
	for (char *save, *tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		size_t i = 0;
		while (i < 3 && strcmp(tok, names[i]))
			i++;
		if (i == 3) {
			snprintf(err, len,
				 "\"%s\" is not one of status, body, cert",
				 tok);
			return -1;
		}
		*mask |= 1 << i;
	}
	if (!*mask)
		snprintf(err, len, "nothing to compare in \"%s\"", arg);
	return *mask ? 0 : -1;
}

/* The option table is aligned by hand: one option, one block. */
/* clang-format off */
static const struct opt_def opts[] = {
	{ .sname = 'I', .lname = "ip", .type = OPT_CUSTOM, .target = &o.pins,
	  .arg = "ADDRESS", .parse = parse_pin,
	  .help = "Check this address instead of resolving -H, which stays the "
		  "Host header and TLS SNI. Repeatable." },
	{ .sname = 'p', .lname = "port", .type = OPT_PORT, .target = &o.port,
	  .arg = "PORT", .help = "TCP port (default: 80, or 443 with -S)." },
	{ .sname = 'u', .lname = "url", .type = OPT_STRING, .target = &o.uri,
	  .arg = "URI", .help = "Path to fetch (default: /), or a whole URL "
				"whose host then serves as -H." },
	{ .sname = 'S', .lname = "ssl", .type = OPT_FLAG, .target = &o.ssl,
	  .help = "Use HTTPS." },
	{ .lname = "sni", .type = OPT_FLAG, .target = &o.sni,
	  .help = "Send the name as TLS SNI: always done, accepted for "
		  "check_curl compatibility." },
	{ .sname = 's', .lname = "string", .type = OPT_LIST, .target = &o.strings,
	  .arg = "STRING", .help = "The body must contain STRING, else "
				   "CRITICAL. Repeatable: each must be there." },
	{ .sname = 'r', .lname = "regex", .type = OPT_STRING, .target = &o.regex,
	  .arg = "REGEX", .help = "The body must match this POSIX extended "
				  "regular expression, else CRITICAL." },
	{ .sname = 'R', .lname = "eregi", .type = OPT_STRING, .target = &o.iregex,
	  .arg = "REGEX", .help = "As -r, ignoring case." },
	{ .lname = "invert-regex", .type = OPT_FLAG, .target = &o.wc.invert,
	  .help = "CRITICAL when -r/-R matches, instead of when it does not." },
	{ .sname = 'e', .lname = "expect", .type = OPT_CUSTOM,
	  .target = &o.wc.expect, .arg = "CODES",
	  .parse = webcheck_parse_codes,
	  .help = "Comma-separated HTTP status codes that are OK; any other is "
		  "CRITICAL. Default: 2xx OK, 3xx per --onredirect, 4xx "
		  "WARNING, 5xx CRITICAL." },
	{ .sname = 'f', .lname = "onredirect", .type = OPT_CHOICE,
	  .target = &o.wc.onredirect, .arg = "STATE",
	  .choices = (const struct opt_choice[]){{"ok", STATE_OK},
		{"warning", STATE_WARNING}, {"critical", STATE_CRITICAL},
		{"unknown", STATE_UNKNOWN}, {"follow", WEBCHECK_FOLLOW}, {0}},
	  .help = "State for a 3xx answer (ok, warning, critical, unknown), "
		  "or follow to follow it: on the same address "
		  "while the host stays, else on an address of the same family "
		  "(a target without one is CRITICAL). Default: ok." },
	{ .lname = "max-redirs", .type = OPT_LONG, .target = &o.max_redirs,
	  .arg = "N", .min = 0, .max = 50,
	  .help = "Redirects followed at most (default: 10)." },
	{ .sname = 'm', .lname = "pagesize", .type = OPT_CUSTOM,
	  .target = &o.wc.size, .arg = "MIN[:MAX]",
	  .parse = webcheck_parse_size,
	  .help = "WARNING when the body is shorter than MIN or longer than MAX "
		  "bytes." },
	{ .sname = 'C', .lname = "certificate", .type = OPT_CUSTOM,
	  .target = &o.wc.cert_days, .arg = "WARN[,CRIT]",
	  .parse = webcheck_parse_days,
	  .help = "Days the certificate must still be valid: WARNING below "
		  "WARN, CRITICAL below CRIT (default 0: expired)." },
	{ .sname = 'k', .lname = "header", .type = OPT_LIST, .target = &o.headers,
	  .arg = "\"NAME: VALUE\"", .help = "Extra request header. Repeatable." },
	{ .sname = 'A', .lname = "useragent", .type = OPT_STRING,
	  .target = &o.user_agent, .arg = "STRING", .help = "User-Agent header." },
	{ .sname = 'j', .lname = "method", .type = OPT_STRING, .target = &o.method,
	  .arg = "METHOD", .help = "HTTP method (default: GET, or POST with -P)." },
	{ .sname = 'P', .lname = "post", .type = OPT_STRING, .target = &o.post,
	  .arg = "DATA", .help = "Request body to send." },
	{ .lname = "insecure", .type = OPT_FLAG, .target = &o.insecure,
	  .help = "Do not verify the certificate or its name (still described "
		  "and compared)." },
	{ .lname = "ca-file", .type = OPT_STRING, .target = &o.ca_file,
	  .arg = "FILE", .help = "CA certificates to verify against, instead "
				 "of the system's. Certificates are verified "
				 "by default (check_curl needs -D)." },
	{ .lname = "ca-cert", .type = OPT_STRING, .target = &o.ca_file,
	  .arg = "FILE", .help = "The same as --ca-file (check_curl's "
				 "spelling)." },
	{ .sname = 'J', .lname = "client-cert", .type = OPT_STRING,
	  .target = &o.client_cert, .arg = "FILE",
	  .help = "Client certificate (PEM) to present, as check_curl -J; "
		  "with its key unless -K names another file." },
	{ .sname = 'K', .lname = "private-key", .type = OPT_STRING,
	  .target = &o.client_key, .arg = "FILE",
	  .help = "Private key (PEM) of the -J certificate, as check_curl -K." },
	{ .sname = 'a', .lname = "authorization", .type = OPT_STRING,
	  .target = &o.userpwd, .arg = "USER:PASSWORD",
	  .help = "Basic authentication, as check_curl -a." },
	{ .lname = "http-version", .type = OPT_CHOICE, .target = &o.http_version,
	  .arg = "VERSION",
	  .choices = (const struct opt_choice[]){{"any", HTTP_VERSION_ANY},
		{"1.0", HTTP_VERSION_1_0}, {"1.1", HTTP_VERSION_1_1},
		{"2", HTTP_VERSION_2}, {0}},
	  .help = "HTTP version to ask for: any (the default), 1.0, 1.1 or 2." },
	{ .lname = "proxy", .type = OPT_STRING, .target = &o.proxy, .arg = "URL",
	  .help = "Go through this proxy. Without it, http_proxy and friends "
		  "are ignored: the check tests the path, not a proxy." },
	{ .lname = "all-addresses", .type = OPT_FLAG, .target = &o.all_addresses,
	  .help = "Check every A and AAAA address, not the first of each." },
	{ .lname = "no-aaaa", .type = OPT_STATE, .target = &o.no_aaaa,
	  .arg = "STATE", .help = "State when the name has no AAAA record "
				  "(default: warning)." },
	{ .lname = "no-a", .type = OPT_STATE, .target = &o.no_a, .arg = "STATE",
	  .help = "State when the name has no A record (default: warning)." },
	{ .lname = "compare", .type = OPT_CUSTOM, .target = &o.compare,
	  .arg = "LIST", .parse = parse_compare,
	  .help = "What must match between IPv4 and IPv6: any of status, body, "
		  "cert (default: all three). A difference is WARNING; a "
		  "certificate of another subject or issuer is CRITICAL." },
	{ .lname = "no-compare", .type = OPT_FLAG, .target = &o.no_compare,
	  .help = "Do not compare the families." },
	{ .lname = "max-delta", .type = OPT_DURATION, .target = &o.max_delta_ms,
	  .arg = "SECONDS", .min = 0, .max = 60000,
	  .help = "WARNING when one family is slower than the other by more "
		  "than this (default: 1 s; \"0.2\" or \"200ms\" also do): "
		  "a slow IPv6 makes clients fall back to IPv4, a slow IPv4 "
		  "makes IPv4-only clients wait. Perfdata delta_v6_v4 is the "
		  "difference in seconds." },
	{ .lname = "stall-time", .type = OPT_DURATION, .target = &o.stall_ms,
	  .arg = "SECONDS", .min = 1, .max = 3600000,
	  .help = "A stall is no byte for this long (default: 2 s), CRITICAL "
		  "(typical of a Path MTU Discovery blackhole). Given, a "
		  "stalled transfer is ended at once; by default a transfer "
		  "still moving when -t runs out is no stall and gets the -t "
		  "state." },
	{ .lname = "perf-phases", .type = OPT_FLAG, .target = &o.perf_phases,
	  .help = "Add DNS, connect, TLS and first-byte times per family to "
		  "the perfdata." },
};
/* clang-format on */

/* -H, -p, -S and -u (a path, or a whole URL standing in for them) -> url. */
static int make_url(const struct std_opts *s, char *err, size_t len)
{
	struct http_url u;
	char pin[ADDR_STRLEN] = "";

	if (o.pins.n)
		addr_format((const struct sockaddr *)&o.pins.a[0], pin,
			    sizeof pin);
	if (webcheck_url(s->host_set ? s->host.name : NULL, o.uri, o.port,
			 o.ssl, pin[0] ? pin : NULL, &u, o.url, sizeof o.url,
			 err, len) < 0)
		return -1;
	snprintf(o.name, sizeof o.name, "%s", u.host);
	o.ssl = u.tls;
	return 0;
}

/* -J/-K: loaded now, so a bad file is a usage error, not a site failure. */
static int check_client(char *err, size_t len)
{
	char why[200];

	if (o.client_key && !o.client_cert) {
		snprintf(err, len, "option -K needs -J");
		return -1;
	}
	if (!o.client_cert)
		return 0;
	if (http_client_cert_check(o.client_cert, o.client_key, why,
				   sizeof why) < 0) {
		snprintf(err, len, "option -J/-K: %s", why);
		return -1;
	}
	return 0;
}

/* --source: an address of this host, else every transfer of its family
 * would fail for a reason of the command line. */
static int check_source(const struct std_opts *s, char *err, size_t len)
{
	const struct sockaddr_storage *src[] = {&s->source4, &s->source6};
	char a[ADDR_STRLEN];

	for (int i = 0; i < 2; i++) {
		const struct sockaddr_storage *sa = src[i];
		if (!sa->ss_family)
			continue;
		int fd = socket(sa->ss_family, SOCK_STREAM, 0);
		socklen_t sl = sa->ss_family == AF_INET6
				   ? sizeof(struct sockaddr_in6)
				   : sizeof(struct sockaddr_in);
		int rc =
		    fd < 0 ? -1 : bind(fd, (const struct sockaddr *)sa, sl);
		int e = errno;
		if (fd >= 0)
			close(fd);
		if (rc < 0) {
			snprintf(err, len,
				 "option --source: cannot send from %s: %s",
				 addr_format((const struct sockaddr *)sa, a,
					     sizeof a),
				 strerror(e));
			return -1;
		}
	}
	return 0;
}

static int validate(const struct std_opts *s, char *err, size_t len)
{
	char a[ADDR_STRLEN], why[128];

	if (make_url(s, why, sizeof why) < 0) {
		snprintf(err, len, "option -u/-H: %s", why);
		return -1;
	}
	for (size_t i = 0; i < o.pins.n; i++)
		if (s->family != AF_UNSPEC &&
		    o.pins.a[i].ss_family != s->family) {
			snprintf(
			    err, len, "option -I: %s is not an %s address",
			    addr_format((const struct sockaddr *)&o.pins.a[i],
					a, sizeof a),
			    addr_family_name(s->family));
			return -1;
		}
	if (webcheck_request_check(o.headers.v, o.headers.n, o.ca_file, err,
				   len) < 0)
		return -1;
	if (check_client(err, len) < 0 || check_source(s, err, len) < 0)
		return -1;
	if (o.userpwd && !strchr(o.userpwd, ':')) {
		snprintf(err, len, "option -a: \"USER:PASSWORD\" expected");
		return -1;
	}
	if (o.max_delta_ms < 0)
		o.max_delta_ms = 1000;
	char rt[64];
	snprintf(rt, sizeof rt, "%g:%g", -(double)o.max_delta_ms / 1000,
		 (double)o.max_delta_ms / 1000);
	if (range_parse(rt, &o.delta_range, why, sizeof why) < 0) {
		snprintf(err, len, "option --max-delta: %s", why);
		return -1;
	}
	o.wc.timeout_state = s->timeout_state;
	if (o.regex && o.iregex) {
		snprintf(err, len, "options -r and -R exclude each other");
		return -1;
	}
	const char *re = o.regex ? o.regex : o.iregex;
	if (re && webcheck_regex(&o.wc, re, !o.regex, why, sizeof why) < 0) {
		snprintf(err, len, "option -%c: %s", o.regex ? 'r' : 'R', why);
		return -1;
	}
	o.wc.no_body = o.method && !strcasecmp(o.method, "HEAD");
	if (o.wc.no_body && (o.strings.n || re || o.wc.size.set)) {
		snprintf(err, len, "option -j HEAD fetches no body to search");
		return -1;
	}
	o.wc.strings = o.strings.v;
	o.wc.nstrings = o.strings.n;
	o.wc.warn = &s->warn;
	o.wc.crit = &s->crit;
	return 0;
}

/* clang-format off */
static const struct finding_doc findings[] = {
	{"v6_broken, v4_broken", "CRITICAL", "one family fails (the first line says whether the other works)"},
	{"fetch_failed", "CRITICAL", "no response: connection refused, timed out, reset, TLS failure or handshake that did not finish, stall (no byte for --stall-time)"},
	{"still_receiving", "the -t state, UNKNOWN by default", "the response was still arriving when -t ran out: no stall"},
	{"fetch_unfinished", "the -t state, UNKNOWN by default", "-t ran out while connecting, in the TLS handshake or waiting, before --stall-time passed"},
	{"header_flood, chunked_broken", "CRITICAL", "response header lines without end; a chunked body that breaks its framing"},
	{"string_missing, pattern_mismatch", "CRITICAL", "-s / -r not satisfied on this address"},
	{"unexpected_status, http_status", "CRITICAL or WARNING", "a status outside -e, 4xx (WARNING) or 5xx"},
	{"redirect, redirect_not_followed", "--onredirect / WARNING", "a 3xx answer"},
	{"content_differs, status_differs", "WARNING", "IPv4 and IPv6 serve different content or status"},
	{"v6_slower, v4_slower", "WARNING", "one family slower than the other by more than --max-delta (default 1 s)"},
	{"cert_differs", "CRITICAL (identity) or WARNING", "another certificate than on the first IPv4 address"},
	{"cert_expired, cert_expiring", "CRITICAL / by -C", "certificate validity"},
	{"size_out_of_range", "WARNING", "body size outside -m"},
	{"slow_response", "by -w/-c", "response time"},
	{"no_aaaa, no_a", "--no-aaaa / --no-a (OK)", "the name has no record of that type"},
	{"aaaa_unanswered, a_unanswered", "CRITICAL", "one query unanswered while the other answers: clients wait"},
	{"aaaa_nxdomain, a_nxdomain", "CRITICAL", "NXDOMAIN for one type while the other answers"},
	{"aaaa_error, a_error, nxdomain, dns_unanswered", "CRITICAL or WARNING", "DNS failures"},
	{"fetch_ok, same_content, delta, dns_answer", "OK", "details"},
};
/* clang-format on */

static const struct plugin plugin = {
    .name = "check_dualstack_http",
    .label = "DUALSTACK_HTTP",
    .purpose = "Checks a web site over IPv4 and over IPv6 at once, address "
	       "by address, and names the family that is broken and how.",
    .description =
	"Resolves A and AAAA concurrently, fetches the page from the "
	"first address of each family (every address with "
	"--all-addresses) at the same time, each transfer pinned to its "
	"address while Host and SNI stay the name, and judges each: "
	"connection, TLS, status, content, size and time. A transfer "
	"that starts and then stops (no byte for --stall-time) is reported "
	"as stalled (typical of a Path MTU Discovery blackhole), not as a "
	"timeout; one still arriving when -t runs out is \"still "
	"receiving\" with the -t state. Then it compares the families: "
	"status, content and certificate must match, and neither family "
	"may be slower than the other by more than --max-delta (default "
	"1 s). Certificates are verified by default.\n\n"
	"A published family that fails is CRITICAL even when the other "
	"works: clients that try it first wait, and IPv6-only clients "
	"fail.",
    .usage = "-H HOST [-S] [-u URI] [-s STRING]... [options]",
    .examples =
	"check_dualstack_http -H www.example.com -s Welcome\n"
	"  both families must serve a page containing Welcome\n"
	"check_dualstack_http -H www.example.com -S -C 21,7 --max-delta 0.2\n"
	"  over HTTPS; the certificate valid for 3 more weeks; the families "
	"within 200 ms of each other\n"
	"check_dualstack_http -H www.example.com -u /large.html -s END\n"
	"  a large page: a transfer that stalls over one family is named "
	"as such (Path MTU Discovery blackhole)\n"
	"check_dualstack_http -H www.example.com -I 2001:db8::80 -I "
	"192.0.2.80\n"
	"  these two servers, with the name as Host and SNI\n",
    .std = STD_HOST | STD_FAMILY | STD_THRESHOLDS | STD_SOURCE,
    .host_help = "Host name (Host header and TLS SNI) whose A and AAAA "
		 "records are checked, or an address.",
    .warn_help = "Response time in seconds, per address, that gives WARNING.",
    .crit_help = "Response time in seconds, per address, that gives CRITICAL.",
    .opts = opts,
    .nopts = sizeof opts / sizeof opts[0],
    .findings = findings,
    .nfindings = sizeof findings / sizeof findings[0],
    .validate = validate,
};

/* What was seen: the DNS queries and every address's transfers. */
static struct dualstack_fetch facts;

static void run(struct dualstack_fetch *f, const struct std_opts *s)
{
	static struct http_opts ho;
	static char src[2][ADDR_STRLEN];
	char err[256];

	if (s->source4.ss_family)
		addr_format((const struct sockaddr *)&s->source4, src[0],
			    sizeof src[0]);
	if (s->source6.ss_family)
		addr_format((const struct sockaddr *)&s->source6, src[1],
			    sizeof src[1]);

	ho = (struct http_opts){
	    .method = o.method,
	    .post = o.post,
	    .headers = o.headers.v,
	    .nheaders = o.headers.n,
	    .user_agent = o.user_agent,
	    .ca_file = o.ca_file,
	    .client_cert = o.client_cert,
	    .client_key = o.client_key,
	    .userpwd = o.userpwd,
	    .source4 = src[0][0] ? src[0] : NULL,
	    .source6 = src[1][0] ? src[1] : NULL,
	    .iface = s->iface[0] ? s->iface : NULL,
	    .insecure = o.insecure,
	    .proxy = o.proxy,
	    .version = (enum http_version)o.http_version,
	    .stall_ms = o.stall_ms,
	};
	f->url = o.url;
	f->name = o.name;
	f->family = s->family;
	f->pins = o.pins.a;
	f->npins = o.pins.n;
	f->all_addresses = o.all_addresses;
	f->follow = o.wc.onredirect == WEBCHECK_FOLLOW;
	f->max_redirs = o.max_redirs;
	f->http = &ho;
	/* an AAAA that never comes is a finding; the rest of -t is the
	 * transfers' */
	f->dns_limit_ms = s->timeout_ms * 2 / 5;
	if (dualstack_fetch(f, err, sizeof err) < 0)
		report_die(plugin.label, STATE_UNKNOWN, "fetch_setup", "%s",
			   err);
}

int main(int argc, char **argv)
{
	struct report rep;

	opt_parse(&plugin, &std, argc, argv);
	run(&facts, &std);
	report_init(&rep, plugin.label);
	dualstack_judge(&facts, &o, time(NULL), &rep);
	report_exit(&rep);
}
