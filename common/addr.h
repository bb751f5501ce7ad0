/* addr: host arguments and address text.
 * Accepts names, 192.0.2.1, bare 2001:db8::1 (Zabbix and NRPE refuse
 * brackets), [2001:db8::1], fe80::1%eth0, and with allow_port also
 * [2001:db8::1]:443, 192.0.2.1:443 and name:443. IPv6 text output is the
 * RFC 5952 canonical form. */
#ifndef V6OPS_ADDR_H
#define V6OPS_ADDR_H

#include <net/if.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

/* Enough for "[" RFC 5952 text "%" ifname "]:65535". */
#define ADDR_STRLEN (INET6_ADDRSTRLEN + IF_NAMESIZE + 10)

struct host {
	char name[256]; /* a name as given, or a literal in canonical text */
	bool literal;	/* an address literal: sa is valid */
	int family;	/* AF_INET or AF_INET6 for literals, AF_UNSPEC names */
	struct sockaddr_storage sa;
	socklen_t salen;
	unsigned port; /* 0 when none was given */
};

/* Parses text into h. Returns 0, or -1 with the reason in err. */
int addr_parse_host(const char *text, bool allow_port, struct host *h,
		    char *err, size_t errlen);

/* Parses an address literal only (no names, no port) into sa. */
int addr_parse_literal(const char *text, struct sockaddr_storage *sa,
		       socklen_t *salen);

/* RFC 5952 text of an IPv6 address: lowercase, no leading zeros, the
 * longest run of two or more zero fields (the first on a tie) as "::". */
void addr_rfc5952(const struct in6_addr *a, char *buf, size_t len);

/* Text of an IPv4 or IPv6 address (with "%ifname" for a scoped IPv6). */
const char *addr_format(const struct sockaddr *sa, char *buf, size_t len);

/* "[v6]:port" or "v4:port". */
const char *addr_format_port(const struct sockaddr *sa, char *buf, size_t len);

/* "IPv4", "IPv6" or "IP". */
const char *addr_family_name(int family);

/* 4, 6 or 0: for perfdata labels like time_v6. */
int addr_family_number(int family);

unsigned addr_port(const struct sockaddr *sa);
void addr_set_port(struct sockaddr *sa, unsigned port);
socklen_t addr_len(int family);

#endif
