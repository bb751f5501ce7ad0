#include "addr.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "num.h"

void addr_rfc5952(const struct in6_addr *a, char *buf, size_t len)
{
	unsigned f[8];
	int best = -1, best_len = 0;

	for (int i = 0; i < 8; i++)
		f[i] = (unsigned)a->s6_addr[2 * i] << 8 | a->s6_addr[2 * i + 1];
	/* RFC 5952 4.2: the longest run of >= 2 zero fields, first on a tie */
	for (int i = 0; i < 8;) {
		int j = i;
		while (j < 8 && f[j] == 0)
			j++;
		if (j - i > best_len && j - i >= 2) {
			best = i;
			best_len = j - i;
		}
		i = j > i ? j : i + 1;
	}
	/* RFC 5952 5: IPv4-mapped addresses keep the dotted quad */
	bool mapped = best == 0 && best_len == 5 && f[5] == 0xffff;
	size_t pos = 0;
	int n;
	if (len)
		buf[0] = '\0';
	for (int i = 0; i < (mapped ? 6 : 8) && pos < len; i++) {
		if (i == best) {
			n = snprintf(buf + pos, len - pos, "::");
			i += best_len - 1;
		} else {
			bool sep = i > 0 && i != best + best_len;
			n = snprintf(buf + pos, len - pos, "%s%x",
				     sep ? ":" : "", f[i]);
		}
		if (n < 0)
			return;
		pos += (size_t)n;
	}
	if (mapped && pos < len)
		snprintf(buf + pos, len - pos, ":%u.%u.%u.%u", a->s6_addr[12],
			 a->s6_addr[13], a->s6_addr[14], a->s6_addr[15]);
}

const char *addr_format(const struct sockaddr *sa, char *buf, size_t len)
{
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *s4 = (const void *)sa;
		inet_ntop(AF_INET, &s4->sin_addr, buf, (socklen_t)len);
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const void *)sa;
		char ifname[IF_NAMESIZE];
		addr_rfc5952(&s6->sin6_addr, buf, len);
		if (s6->sin6_scope_id) {
			size_t n = strlen(buf);
			if (if_indextoname(s6->sin6_scope_id, ifname))
				snprintf(buf + n, len - n, "%%%s", ifname);
			else
				snprintf(buf + n, len - n, "%%%u",
					 s6->sin6_scope_id);
		}
	} else {
		snprintf(buf, len, "(no address)");
	}
	return buf;
}

const char *addr_format_port(const struct sockaddr *sa, char *buf, size_t len)
{
	char a[ADDR_STRLEN];
	addr_format(sa, a, sizeof a);
	if (sa->sa_family == AF_INET6)
		snprintf(buf, len, "[%s]:%u", a, addr_port(sa));
	else
		snprintf(buf, len, "%s:%u", a, addr_port(sa));
	return buf;
}

const char *addr_family_name(int family)
{
	return family == AF_INET ? "IPv4" : family == AF_INET6 ? "IPv6" : "IP";
}

int addr_family_number(int family)
{
	return family == AF_INET ? 4 : family == AF_INET6 ? 6 : 0;
}

unsigned addr_port(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET)
		return ntohs(
		    ((const struct sockaddr_in *)(const void *)sa)->sin_port);
	if (sa->sa_family == AF_INET6)
		return ntohs(
		    ((const struct sockaddr_in6 *)(const void *)sa)->sin6_port);
	return 0;
}

void addr_set_port(struct sockaddr *sa, unsigned port)
{
	if (sa->sa_family == AF_INET)
		((struct sockaddr_in *)(void *)sa)->sin_port =
		    htons((uint16_t)port);
	else if (sa->sa_family == AF_INET6)
		((struct sockaddr_in6 *)(void *)sa)->sin6_port =
		    htons((uint16_t)port);
}

socklen_t addr_len(int family)
{
	return family == AF_INET ? sizeof(struct sockaddr_in)
				 : sizeof(struct sockaddr_in6);
}

int addr_parse_literal(const char *text, struct sockaddr_storage *ss,
		       socklen_t *salen)
{
	char buf[INET6_ADDRSTRLEN + IF_NAMESIZE + 2];
	size_t n = strlen(text);

	memset(ss, 0, sizeof *ss);
	if (n == 0 || n >= sizeof buf)
		return -1;
	memcpy(buf, text, n + 1);
	struct sockaddr_in *s4 = (void *)ss;
	if (inet_pton(AF_INET, buf, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		*salen = sizeof *s4;
		return 0;
	}
	struct sockaddr_in6 *s6 = (void *)ss;
	char *zone = strchr(buf, '%');
	if (zone)
		*zone++ = '\0';
	if (inet_pton(AF_INET6, buf, &s6->sin6_addr) != 1)
		return -1;
	if (zone) {
		unsigned idx = if_nametoindex(zone);
		long num;
		char e[8];
		if (!idx &&
		    num_long(zone, 1, 0x7fffffff, &num, e, sizeof e) == 0)
			idx = (unsigned)num;
		if (!idx)
			return -1;
		s6->sin6_scope_id = idx;
	}
	s6->sin6_family = AF_INET6;
	*salen = sizeof *s6;
	return 0;
}

/* A DNS name: letters, digits, '-', '_' and dots; labels of 1..63 bytes. */
static bool name_ok(const char *s)
{
	size_t label = 0, n = strlen(s);

	if (n == 0 || n > 253)
		return false;
	for (const char *c = s; *c; c++) {
		if (*c == '.') {
			if (label == 0)
				return false;
			label = 0;
		} else if (isalnum((unsigned char)*c) || *c == '-' ||
			   *c == '_') {
			if (++label > 63)
				return false;
		} else {
			return false;
		}
	}
	return true;
}

static int split_port(char *s, bool allow_port, unsigned *port, char *err,
		      size_t errlen, const char *text)
{
	char *colon = strrchr(s, ':');
	long p;
	char why[96];

	if (!colon)
		return 0;
	if (!allow_port) {
		snprintf(err, errlen, "\"%s\" is not a host name or address",
			 text);
		return -1;
	}
	*colon = '\0';
	if (num_long(colon + 1, 1, 65535, &p, why, sizeof why)) {
		snprintf(err, errlen, "bad port in \"%s\": %s", text, why);
		return -1;
	}
	*port = (unsigned)p;
	return 0;
}

int addr_parse_host(const char *text, bool allow_port, struct host *h,
		    char *err, size_t errlen)
{
	char buf[sizeof h->name];
	char *s = buf;
	size_t n = text ? strlen(text) : 0;

	memset(h, 0, sizeof *h);
	if (n == 0 || n >= sizeof buf) {
		snprintf(err, errlen, "\"%.64s\" is not a host name or address",
			 text ? text : "");
		return -1;
	}
	memcpy(buf, text, n + 1);
	if (buf[0] == '[') {
		char *close = strchr(buf, ']');
		if (!close) {
			snprintf(err, errlen, "\"%s\": missing ']'", text);
			return -1;
		}
		*close = '\0';
		s = buf + 1;
		if (close[1] == ':' && allow_port) {
			if (split_port(close + 1, true, &h->port, err, errlen,
				       text))
				return -1;
		} else if (close[1]) {
			snprintf(err, errlen,
				 "\"%s\": unexpected text after ']'", text);
			return -1;
		}
		if (addr_parse_literal(s, &h->sa, &h->salen) ||
		    h->sa.ss_family != AF_INET6) {
			snprintf(err, errlen, "\"%s\" is not an IPv6 address",
				 text);
			return -1;
		}
	} else if (addr_parse_literal(s, &h->sa, &h->salen) == 0) {
		/* a bare IPv6 literal holds colons; it never carries a port */
	} else {
		/* one colon: name:port or v4:port; two or more: a bad IPv6 */
		char *first = strchr(s, ':');
		if (first && strchr(first + 1, ':')) {
			snprintf(err, errlen, "\"%s\" is not an IPv6 address",
				 text);
			return -1;
		}
		if (split_port(s, allow_port, &h->port, err, errlen, text))
			return -1;
		if (addr_parse_literal(s, &h->sa, &h->salen) != 0 &&
		    !name_ok(s)) {
			snprintf(err, errlen,
				 "\"%s\" is not a host name or address", text);
			return -1;
		}
	}
	/* An IPv4-mapped address is IPv4 on the wire: checking it "as IPv6"
	 * would report IPv6 healthy while the server sees an IPv4 client. */
	if (h->sa.ss_family == AF_INET6 &&
	    IN6_IS_ADDR_V4MAPPED(&((struct sockaddr_in6 *)&h->sa)->sin6_addr)) {
		const uint8_t *b =
		    ((struct sockaddr_in6 *)&h->sa)->sin6_addr.s6_addr + 12;
		snprintf(err, errlen,
			 "%s is an IPv4-mapped IPv6 address, which travels as "
			 "IPv4: give %u.%u.%u.%u",
			 s, b[0], b[1], b[2], b[3]);
		return -1;
	}
	h->literal = h->sa.ss_family != AF_UNSPEC;
	h->family = h->sa.ss_family;
	if (h->literal) {
		addr_format((struct sockaddr *)&h->sa, h->name, sizeof h->name);
		addr_set_port((struct sockaddr *)&h->sa, h->port);
	} else {
		snprintf(h->name, sizeof h->name, "%s", s);
	}
	return 0;
}
