/* Host arguments and RFC 5952 text. */
#include <arpa/inet.h>

#include "addr.h"
#include "tap.h"

static const char *canon(const char *in)
{
	static char buf[ADDR_STRLEN];
	struct in6_addr a;
	if (inet_pton(AF_INET6, in, &a) != 1)
		return "(bad)";
	addr_rfc5952(&a, buf, sizeof buf);
	return buf;
}

static void host_ok(const char *in, bool port, const char *name, int family,
		    unsigned want_port)
{
	struct host h;
	char err[128] = "", t[128];
	int rc = addr_parse_host(in, port, &h, err, sizeof err);
	snprintf(t, sizeof t, "'%s' parses (%s)", in, err);
	ok(rc == 0, t);
	snprintf(t, sizeof t, "'%s' name", in);
	is_str(h.name, name, t);
	snprintf(t, sizeof t, "'%s' family", in);
	is_int(h.family, family, t);
	snprintf(t, sizeof t, "'%s' port", in);
	is_int(h.port, want_port, t);
}

static void host_bad(const char *in, bool port, const char *why)
{
	struct host h;
	char err[128] = "", t[160];
	snprintf(t, sizeof t, "'%s' rejected", in);
	ok(addr_parse_host(in, port, &h, err, sizeof err) == -1, t);
	snprintf(t, sizeof t, "'%s' error mentions '%s' (%s)", in, why, err);
	ok(strstr(err, why) != NULL, t);
}

int main(void)
{
	/* RFC 5952 section 4 */
	is_str(canon("2001:0db8:0000:0000:0000:0000:0000:0001"), "2001:db8::1",
	       "leading zeros and longest run");
	is_str(canon("2001:DB8::1"), "2001:db8::1", "lowercase (4.3)");
	is_str(canon("2001:db8:0:1:1:1:1:1"), "2001:db8:0:1:1:1:1:1",
	       "one zero field is not shortened (4.2.2)");
	is_str(canon("2001:0:0:1:0:0:0:1"), "2001:0:0:1::1",
	       "the longest run wins (4.2.3)");
	is_str(canon("2001:db8:0:0:1:0:0:1"), "2001:db8::1:0:0:1",
	       "first run on a tie (4.2.3)");
	is_str(canon("::"), "::", "unspecified");
	is_str(canon("::1"), "::1", "loopback");
	is_str(canon("fe80::"), "fe80::", "trailing run");
	is_str(canon("::ffff:192.0.2.1"), "::ffff:192.0.2.1",
	       "IPv4-mapped (5)");
	is_str(canon("1:2:3:4:5:6:7:8"), "1:2:3:4:5:6:7:8", "no zeros");
	is_str(canon("0:0:1::"), "0:0:1::", "later longer run");

	host_ok("www.example.test", false, "www.example.test", AF_UNSPEC, 0);
	host_ok("192.0.2.1", false, "192.0.2.1", AF_INET, 0);
	host_ok("2001:db8::1", false, "2001:db8::1", AF_INET6, 0);
	host_ok("2001:DB8:0:0::1", false, "2001:db8::1", AF_INET6, 0);
	host_ok("[2001:db8::1]", false, "2001:db8::1", AF_INET6, 0);
	host_ok("fe80::1%lo", false, "fe80::1%lo", AF_INET6, 0);
	host_ok("[2001:db8::1]:443", true, "2001:db8::1", AF_INET6, 443);
	host_ok("192.0.2.1:8080", true, "192.0.2.1", AF_INET, 8080);
	host_ok("www.example.test:443", true, "www.example.test", AF_UNSPEC,
		443);
	host_ok("2001:db8::1", true, "2001:db8::1", AF_INET6, 0);

	host_bad("", false, "not a host");
	host_bad("www example", false, "not a host");
	host_bad("2001:db8::zz", false, "not an IPv6");
	host_bad("[2001:db8::1", false, "missing ']'");
	host_bad("[192.0.2.1]", false, "not an IPv6");
	host_bad("[2001:db8::1]x", false, "unexpected text");
	host_bad("192.0.2.1:80", false, "not a host");
	host_bad("192.0.2.1:99999", true, "bad port");
	host_bad("a..b", false, "not a host");
	host_bad("fe80::1%nosuchif0", false, "not an IPv6");
	host_bad("host|name", false, "not a host");

	struct host h;
	char err[64], buf[ADDR_STRLEN];
	addr_parse_host("[2001:db8::80]:443", true, &h, err, sizeof err);
	is_str(addr_format_port((struct sockaddr *)&h.sa, buf, sizeof buf),
	       "[2001:db8::80]:443", "format with port, v6");
	addr_parse_host("192.0.2.80:80", true, &h, err, sizeof err);
	is_str(addr_format_port((struct sockaddr *)&h.sa, buf, sizeof buf),
	       "192.0.2.80:80", "format with port, v4");
	is_str(addr_family_name(AF_INET6), "IPv6", "family name");
	is_int(addr_family_number(AF_INET), 4, "family number");
	return done_testing();
}
