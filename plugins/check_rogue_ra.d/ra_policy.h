/* ra_policy: what the operator allowed (--router, --prefix, --flags) and
 * how a router or prefix that was seen compares with it. Pure. */
#ifndef RA_POLICY_H
#define RA_POLICY_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "check_rogue_ra.d/ra_parse.h"
#include "check_rogue_ra.d/ra_seen.h"

struct ra_router_spec {
	struct in6_addr lla;
	bool has_mac;
	uint8_t mac[6];
};

struct ra_prefix_spec {
	struct in6_addr prefix;
	unsigned len;
};

#define RA_MAX_SPECS 16

/* What the operator allowed, derived from the options once. */
struct ra_rules {
	const char *iface;
	struct ra_router_spec router[RA_MAX_SPECS];
	size_t nrouter;
	struct ra_prefix_spec prefix[RA_MAX_SPECS];
	size_t nprefix;
	struct in6_addr rdnss[RA_MAX_RDNSS];
	size_t nrdnss;
	const char *flags; /* as given, NULL: not checked */
	bool want_m, want_o;
	long mtu;	     /* 0: not checked */
	size_t prefix_limit; /* 0: none */
	int accept_ra;	     /* 1 yes, 0 no, -1 not checked */
};

/* "fe80::1" or "fe80::1@02:00:00:00:00:01": a link-local address, with
 * the MAC it must come from. 0, or -1 with the reason in err. */
int ra_router_spec_parse(const char *text, struct ra_router_spec *s, char *err,
			 size_t errlen);

/* "2001:db8:1a::/64": bits past the length must be zero. */
int ra_prefix_spec_parse(const char *text, struct ra_prefix_spec *s, char *err,
			 size_t errlen);

/* "M,O", "M", "O" or "none" (M: addresses from DHCPv6, O: other
 * configuration from DHCPv6). */
int ra_flags_parse(const char *text, bool *managed, bool *other, char *err,
		   size_t errlen);

enum ra_known {
	RA_UNCHECKED, /* no --router given: every router is accepted */
	RA_KNOWN,
	RA_KNOWN_NO_MAC, /* its MAC is expected, the RA carries none */
	RA_SPOOFED,	 /* a known address from another MAC */
	RA_UNKNOWN,
};

/* How router r compares with specs; *spec (if not NULL) is the --router
 * of its address, NULL for an unknown one. */
enum ra_known ra_policy_router(const struct ra_router_spec *specs, size_t n,
			       const struct ra_router *r,
			       const struct ra_router_spec **spec);

/* A sender address alone (a malformed RA has no trusted MAC): true when
 * no --router was given or the address is one of them. */
bool ra_policy_address_known(const struct ra_router_spec *specs, size_t n,
			     const struct in6_addr *a);

enum ra_prefix_fit {
	RA_PREFIX_ALLOWED, /* one of --prefix, or no --prefix given */
	RA_PREFIX_RELATED, /* overlaps one (a /48 around an allowed /64) */
	RA_PREFIX_FOREIGN, /* unrelated to every --prefix */
};

enum ra_prefix_fit ra_policy_prefix(const struct ra_prefix_spec *specs,
				    size_t n, const struct ra_prefix *p);

/* "2001:db8:1a::/64" */
void ra_prefix_text(const struct in6_addr *a, unsigned len, char *buf,
		    size_t buflen);

#endif
