#include "check_rogue_ra.d/ra_policy.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "addr.h"
#include "num.h"

static bool is_link_local(const struct in6_addr *a)
{
	return a->s6_addr[0] == 0xfe && (a->s6_addr[1] & 0xc0) == 0x80;
}

int ra_router_spec_parse(const char *text, struct ra_router_spec *s, char *err,
			 size_t errlen)
{
	char addr[INET6_ADDRSTRLEN + 1];
	const char *at = strchr(text, '@');
	size_t alen = at ? (size_t)(at - text) : strlen(text);

	memset(s, 0, sizeof *s);
	if (alen >= sizeof addr) {
		snprintf(err, errlen, "\"%.60s\" is not an IPv6 address", text);
		return -1;
	}
	memcpy(addr, text, alen);
	addr[alen] = '\0';
	if (inet_pton(AF_INET6, addr, &s->lla) != 1) {
		snprintf(err, errlen, "\"%.60s\" is not an IPv6 address", addr);
		return -1;
	}
	if (!is_link_local(&s->lla)) {
		snprintf(err, errlen,
			 "%s is not link-local: routers advertise from "
			 "fe80::/10",
			 addr);
		return -1;
	}
	if (at) {
		if (ra_mac_parse(at + 1, s->mac)) {
			snprintf(err, errlen,
				 "\"%.40s\" is not a MAC address like "
				 "02:00:00:00:00:01",
				 at + 1);
			return -1;
		}
		s->has_mac = true;
	}
	return 0;
}

int ra_prefix_spec_parse(const char *text, struct ra_prefix_spec *s, char *err,
			 size_t errlen)
{
	char addr[INET6_ADDRSTRLEN + 1];
	const char *slash = strchr(text, '/');
	long len;
	char why[80];

	memset(s, 0, sizeof *s);
	if (!slash || (size_t)(slash - text) >= sizeof addr) {
		snprintf(err, errlen,
			 "\"%.60s\" is not a prefix like 2001:db8:1::/64",
			 text);
		return -1;
	}
	memcpy(addr, text, (size_t)(slash - text));
	addr[slash - text] = '\0';
	if (inet_pton(AF_INET6, addr, &s->prefix) != 1 ||
	    num_long(slash + 1, 0, 128, &len, why, sizeof why)) {
		snprintf(err, errlen,
			 "\"%.60s\" is not a prefix like 2001:db8:1::/64",
			 text);
		return -1;
	}
	s->len = (unsigned)len;
	struct in6_addr m = s->prefix;
	ra_mask(&m, s->len);
	if (memcmp(&m, &s->prefix, sizeof m)) {
		snprintf(err, errlen, "%s has bits set past /%u", addr, s->len);
		return -1;
	}
	return 0;
}

int ra_flags_parse(const char *text, bool *managed, bool *other, char *err,
		   size_t errlen)
{
	*managed = false;
	*other = false;
	if (!strcmp(text, "none"))
		return 0;
	for (const char *p = text; *p; p++) {
		if (*p == 'M' && !*managed)
			*managed = true;
		else if (*p == 'O' && !*other)
			*other = true;
		else if (*p != ',' || p == text || !p[1]) {
			snprintf(err, errlen,
				 "\"%.20s\": give M, O, M,O or none", text);
			return -1;
		}
	}
	return 0;
}

enum ra_known ra_policy_router(const struct ra_router_spec *specs, size_t n,
			       const struct ra_router *r,
			       const struct ra_router_spec **spec)
{
	const struct ra_router_spec *same_address = NULL;

	if (n == 0)
		return RA_UNCHECKED;
	for (size_t i = 0; i < n; i++) {
		const struct ra_router_spec *s = &specs[i];
		if (memcmp(&s->lla, &r->lla, sizeof r->lla))
			continue;
		if (spec)
			*spec = s;
		if (!s->has_mac || (r->has_mac && !memcmp(s->mac, r->mac, 6)))
			return RA_KNOWN;
		if (!r->has_mac)
			return RA_KNOWN_NO_MAC;
		same_address = s;
	}
	if (spec)
		*spec = same_address;
	return same_address ? RA_SPOOFED : RA_UNKNOWN;
}

bool ra_policy_address_known(const struct ra_router_spec *specs, size_t n,
			     const struct in6_addr *a)
{
	if (n == 0)
		return true;
	for (size_t i = 0; i < n; i++)
		if (!memcmp(&specs[i].lla, a, sizeof *a))
			return true;
	return false;
}

/* Does the shorter of the two contain the longer? */
static bool overlaps(const struct in6_addr *a, unsigned alen,
		     const struct in6_addr *b, unsigned blen)
{
	unsigned len = alen < blen ? alen : blen;
	struct in6_addr x = *a, y = *b;
	ra_mask(&x, len);
	ra_mask(&y, len);
	return !memcmp(&x, &y, sizeof x);
}

enum ra_prefix_fit ra_policy_prefix(const struct ra_prefix_spec *specs,
				    size_t n, const struct ra_prefix *p)
{
	bool related = false;

	if (n == 0)
		return RA_PREFIX_ALLOWED;
	for (size_t i = 0; i < n; i++) {
		if (specs[i].len == p->len &&
		    !memcmp(&specs[i].prefix, &p->prefix, sizeof p->prefix))
			return RA_PREFIX_ALLOWED;
		if (overlaps(&specs[i].prefix, specs[i].len, &p->prefix,
			     p->len))
			related = true;
	}
	return related ? RA_PREFIX_RELATED : RA_PREFIX_FOREIGN;
}

void ra_prefix_text(const struct in6_addr *a, unsigned len, char *buf,
		    size_t buflen)
{
	char t[INET6_ADDRSTRLEN];
	addr_rfc5952(a, t, sizeof t);
	snprintf(buf, buflen, "%s/%u", t, len);
}
