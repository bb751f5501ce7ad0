/* ra_parse: a Router Advertisement (RFC 4861 section 4.2) and its options,
 * read through common/buf, and the envelope checks of section 6.1.2.
 * Pure: bytes in, a struct ra or a reason out; the fuzz target.
 * Options read: source link-layer address (4.6.1), prefix information
 * (4.6.2), MTU (4.6.4), route information (RFC 4191 2.3), RDNSS and DNSSL
 * (RFC 8106 5.1, 5.2). Others are skipped by their length.
 * A packet is malformed (never half-used: *ra is zeroed) when it is
 * shorter than 16 bytes, an option has length 0 (RFC 4861 4.6: discard),
 * runs past the end, or has a length its type does not allow. */
#ifndef RA_PARSE_H
#define RA_PARSE_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RA_MAX_PREFIXES 16
#define RA_MAX_ROUTES	8
#define RA_MAX_RDNSS	8
#define RA_DNSSL_LEN	256

enum ra_pref { RA_PREF_LOW = -1, RA_PREF_MEDIUM = 0, RA_PREF_HIGH = 1 };

struct ra_prefix {
	struct in6_addr prefix; /* bits past len are cleared */
	unsigned len;
	bool onlink, autonomous;
	uint32_t valid_s, preferred_s;
};

struct ra_route {
	struct in6_addr prefix;
	unsigned len;
	enum ra_pref pref;
	uint32_t lifetime_s;
};

struct ra {
	uint8_t code;
	uint8_t cur_hop_limit;
	bool managed, other, home_agent, proxy;
	enum ra_pref pref;
	uint16_t lifetime_s;
	uint32_t reachable_ms, retrans_ms;
	bool has_lladdr; /* an Ethernet source link-layer address option */
	uint8_t lladdr[6];
	bool has_mtu;
	uint32_t mtu;
	struct ra_prefix prefix[RA_MAX_PREFIXES];
	size_t nprefix, prefixes_dropped; /* beyond RA_MAX_PREFIXES */
	struct ra_route route[RA_MAX_ROUTES];
	size_t nroute;
	struct in6_addr rdnss[RA_MAX_RDNSS];
	size_t nrdnss;
	char dnssl[RA_DNSSL_LEN]; /* "a.example b.example" */
	size_t noptions;
};

enum ra_error {
	RA_OK = 0,
	RA_SHORT,	    /* fewer than 16 bytes */
	RA_NOT_RA,	    /* ICMPv6 type is not 134 */
	RA_OPT_ZERO_LEN,    /* an option of length 0 */
	RA_OPT_OVERRUN,	    /* an option runs past the end */
	RA_OPT_BAD_LEN,	    /* a length the option's type does not allow */
	RA_OPT_BAD_CONTENT, /* a prefix length over 128, a broken DNSSL */
};

/* Parses the ICMPv6 message p[0..len) (from its type byte). On RA_OK *ra
 * holds it; otherwise *ra is zeroed, *at (if not NULL) is the offset of
 * the offending option and *opt_type its type (0 when none). */
enum ra_error ra_parse(const uint8_t *p, size_t len, struct ra *ra, size_t *at,
		       unsigned *opt_type);

/* "zero-length option", ... for a finding's text. */
const char *ra_error_text(enum ra_error e);

enum ra_envelope {
	RA_ENV_OK = 0,
	RA_ENV_NO_HOPLIMIT,    /* no hop limit control message of the right
				  length */
	RA_ENV_HOPLIMIT,       /* hop limit not 255: routed from elsewhere */
	RA_ENV_NOT_LINK_LOCAL, /* source is not fe80::/10 */
	RA_ENV_CODE,	       /* ICMPv6 code not 0 */
};

/* RFC 4861 6.1.2: hoplimit is -1 when the control message was missing or
 * had the wrong length; code is the message's second byte (-1: none, left
 * to the parser). */
enum ra_envelope ra_envelope_check(int hoplimit, const struct in6_addr *src,
				   int code);

const char *ra_envelope_text(enum ra_envelope e);

/* "high", "medium", "low". */
const char *ra_pref_name(enum ra_pref p);

/* "02:00:00:00:0b:ad" into buf (at least 18 bytes). */
void ra_mac_text(const uint8_t mac[6], char *buf, size_t len);

/* "02:00:00:00:0b:ad" (or with '-') into mac; 0 or -1. */
int ra_mac_parse(const char *text, uint8_t mac[6]);

/* An IPv6 packet as a link-layer socket sees it: its source, and the
 * offset of its ICMPv6 message past any hop-by-hop and destination options
 * headers. 0, or -1 for anything else (a fragment: the kernel's reassembled
 * copy reaches the raw socket, and no frame matches it). */
int ra_ip6_icmp(const uint8_t *p, size_t len, struct in6_addr *src,
		size_t *off);

/* FNV-1a over a source address and an ICMPv6 message: what ties a frame
 * (and its Ethernet source) to the raw socket's copy of the same RA. */
uint32_t ra_packet_hash(const struct in6_addr *src, const uint8_t *msg,
			size_t len);

/* Clears the bits of a past len bits. */
void ra_mask(struct in6_addr *a, unsigned len);

#endif
