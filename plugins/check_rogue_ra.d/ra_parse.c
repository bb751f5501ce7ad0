#include "check_rogue_ra.d/ra_parse.h"

#include <stdio.h>
#include <string.h>

#include "buf.h"

#define ND_ROUTER_ADVERT_TYPE 134
#define RA_HEADER_LEN	      16

enum {
	OPT_SLLA = 1,
	OPT_PREFIX = 3,
	OPT_MTU = 5,
	OPT_ROUTE = 24,
	OPT_RDNSS = 25,
	OPT_DNSSL = 31,
};

/* RFC 4191 2.1: 01 high, 00 medium, 11 low; 10 is reserved and is
 * treated as medium. */
static enum ra_pref pref_bits(unsigned bits)
{
	if (bits == 1)
		return RA_PREF_HIGH;
	if (bits == 3)
		return RA_PREF_LOW;
	return RA_PREF_MEDIUM;
}

void ra_mask(struct in6_addr *a, unsigned len)
{
	for (unsigned i = 0; i < 16; i++) {
		unsigned keep = 0;
		if (len >= 8 * (i + 1))
			keep = 8;
		else if (len > 8 * i)
			keep = len - 8 * i;
		a->s6_addr[i] &= (uint8_t)(0xff00u >> keep);
	}
}

/* 4.6.2: length 4; a prefix length over 128 is garbage. */
static enum ra_error opt_prefix(struct buf *o, struct ra *ra)
{
	struct ra_prefix p = {0};

	p.len = buf_u8(o);
	uint8_t flags = buf_u8(o);
	p.onlink = flags & 0x80;
	p.autonomous = flags & 0x40;
	p.valid_s = buf_u32(o);
	p.preferred_s = buf_u32(o);
	buf_skip(o, 4);
	buf_bytes(o, &p.prefix, 16);
	if (!buf_ok(o))
		return RA_OPT_BAD_LEN;
	if (p.len > 128)
		return RA_OPT_BAD_CONTENT;
	ra_mask(&p.prefix, p.len);
	if (ra->nprefix < RA_MAX_PREFIXES)
		ra->prefix[ra->nprefix++] = p;
	else
		ra->prefixes_dropped++;
	return RA_OK;
}

/* RFC 4191 2.3: length 1 (prefix length 0), 2 (up to 64) or 3. */
static enum ra_error opt_route(struct buf *o, unsigned units, struct ra *ra)
{
	struct ra_route r = {0};

	r.len = buf_u8(o);
	r.pref = pref_bits((buf_u8(o) >> 3) & 3);
	r.lifetime_s = buf_u32(o);
	if (r.len > 128)
		return RA_OPT_BAD_CONTENT;
	if ((r.len > 64 && units < 3) || (r.len > 0 && units < 2))
		return RA_OPT_BAD_LEN;
	buf_bytes(o, &r.prefix, buf_left(o));
	ra_mask(&r.prefix, r.len);
	if (ra->nroute < RA_MAX_ROUTES)
		ra->route[ra->nroute++] = r;
	return RA_OK;
}

/* RFC 8106 5.1: length 3, 5, 7 ...: (length - 1) / 2 addresses. */
static enum ra_error opt_rdnss(struct buf *o, unsigned units, struct ra *ra)
{
	if (units < 3 || units % 2 == 0)
		return RA_OPT_BAD_LEN;
	buf_skip(o, 6); /* reserved, lifetime */
	for (unsigned i = 0; i < (units - 1) / 2; i++) {
		struct in6_addr a;
		buf_bytes(o, &a, 16);
		if (ra->nrdnss < RA_MAX_RDNSS)
			ra->rdnss[ra->nrdnss++] = a;
	}
	return RA_OK;
}

static void dnssl_append(struct ra *ra, const char *s)
{
	size_t have = strlen(ra->dnssl);
	snprintf(ra->dnssl + have, sizeof ra->dnssl - have, "%s%s",
		 have ? " " : "", s);
}

/* RFC 8106 5.2: names in DNS wire form (RFC 1035 3.1, no compression),
 * then zero padding. A label past the option's end or a name without its
 * final zero is garbage. Printable only: the text reaches a report. */
static enum ra_error opt_dnssl(struct buf *o, unsigned units, struct ra *ra)
{
	char name[256];
	size_t n = 0;

	if (units < 2)
		return RA_OPT_BAD_LEN;
	buf_skip(o, 6);
	while (buf_left(o)) {
		unsigned l = buf_u8(o);
		if (l == 0) {
			if (n) {
				name[n] = '\0';
				dnssl_append(ra, name);
				n = 0;
			}
			continue;
		}
		if (l > 63 || l > buf_left(o) || n + l + 1 >= sizeof name)
			return RA_OPT_BAD_CONTENT;
		if (n)
			name[n++] = '.';
		for (unsigned i = 0; i < l; i++) {
			uint8_t c = buf_u8(o);
			bool plain =
			    (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			    (c >= '0' && c <= '9') || c == '-' || c == '_';
			name[n++] = plain ? (char)c : '?';
		}
	}
	return n ? RA_OPT_BAD_CONTENT : RA_OK;
}

/* One option whose bytes (type and length included) are o. */
static enum ra_error opt_one(unsigned type, unsigned units, struct buf *o,
			     struct ra *ra)
{
	switch (type) {
	case OPT_SLLA:
		if (units == 1) {
			ra->has_lladdr = true;
			buf_bytes(o, ra->lladdr, 6);
		}
		return RA_OK;
	case OPT_PREFIX:
		return units == 4 ? opt_prefix(o, ra) : RA_OPT_BAD_LEN;
	case OPT_MTU:
		if (units != 1)
			return RA_OPT_BAD_LEN;
		buf_skip(o, 2);
		ra->has_mtu = true;
		ra->mtu = buf_u32(o);
		return RA_OK;
	case OPT_ROUTE:
		if (units > 3)
			return RA_OPT_BAD_LEN;
		return opt_route(o, units, ra);
	case OPT_RDNSS:
		return opt_rdnss(o, units, ra);
	case OPT_DNSSL:
		return opt_dnssl(o, units, ra);
	default:
		return RA_OK;
	}
}

static enum ra_error parse(struct buf *b, struct ra *ra, size_t len, size_t *at,
			   unsigned *opt_type)
{
	if (buf_left(b) < RA_HEADER_LEN)
		return RA_SHORT;
	if (buf_u8(b) != ND_ROUTER_ADVERT_TYPE)
		return RA_NOT_RA;
	ra->code = buf_u8(b);
	buf_skip(b, 2); /* checksum: the kernel verified it */
	ra->cur_hop_limit = buf_u8(b);
	uint8_t flags = buf_u8(b);
	ra->managed = flags & 0x80;
	ra->other = flags & 0x40;
	ra->home_agent = flags & 0x20;
	ra->pref = pref_bits((flags >> 3) & 3);
	ra->proxy = flags & 0x04;
	ra->lifetime_s = buf_u16(b);
	ra->reachable_ms = buf_u32(b);
	ra->retrans_ms = buf_u32(b);

	while (buf_left(b)) {
		struct buf o;
		*at = len - buf_left(b);
		/* An option needs its type and length before anything. */
		if (buf_left(b) < 2)
			return RA_OPT_OVERRUN;
		unsigned type = buf_u8(b);
		unsigned units = buf_u8(b);
		*opt_type = type;
		if (units == 0)
			return RA_OPT_ZERO_LEN;
		if (buf_sub(b, &o, (size_t)units * 8 - 2))
			return RA_OPT_OVERRUN;
		enum ra_error e = opt_one(type, units, &o, ra);
		if (e != RA_OK)
			return e;
		if (!buf_ok(&o))
			return RA_OPT_BAD_LEN;
		ra->noptions++;
	}
	*at = 0;
	*opt_type = 0;
	return RA_OK;
}

enum ra_error ra_parse(const uint8_t *p, size_t len, struct ra *ra, size_t *at,
		       unsigned *opt_type)
{
	struct buf b;
	size_t at_ = 0;
	unsigned type_ = 0;

	memset(ra, 0, sizeof *ra);
	buf_init(&b, p, len);
	enum ra_error e = parse(&b, ra, len, &at_, &type_);
	if (e != RA_OK)
		memset(ra, 0, sizeof *ra);
	else
		type_ = 0;
	if (at)
		*at = e == RA_OK ? 0 : at_;
	if (opt_type)
		*opt_type = type_;
	return e;
}

const char *ra_error_text(enum ra_error e)
{
	switch (e) {
	case RA_OK:
		return "well-formed";
	case RA_SHORT:
		return "shorter than the 16-byte RA header";
	case RA_NOT_RA:
		return "not a Router Advertisement";
	case RA_OPT_ZERO_LEN:
		return "option of length 0";
	case RA_OPT_OVERRUN:
		return "option runs past the end of the packet";
	case RA_OPT_BAD_LEN:
		return "option length wrong for its type";
	case RA_OPT_BAD_CONTENT:
		return "option content invalid";
	}
	return "malformed";
}

enum ra_envelope ra_envelope_check(int hoplimit, const struct in6_addr *src,
				   int code)
{
	if (hoplimit < 0)
		return RA_ENV_NO_HOPLIMIT;
	if (hoplimit != 255)
		return RA_ENV_HOPLIMIT;
	if (src->s6_addr[0] != 0xfe || (src->s6_addr[1] & 0xc0) != 0x80)
		return RA_ENV_NOT_LINK_LOCAL;
	if (code > 0)
		return RA_ENV_CODE;
	return RA_ENV_OK;
}

const char *ra_envelope_text(enum ra_envelope e)
{
	switch (e) {
	case RA_ENV_OK:
		return "from this link";
	case RA_ENV_NO_HOPLIMIT:
		return "hop limit unknown";
	case RA_ENV_HOPLIMIT:
		return "hop limit not 255";
	case RA_ENV_NOT_LINK_LOCAL:
		return "source is not link-local";
	case RA_ENV_CODE:
		return "ICMPv6 code is not 0";
	}
	return "bad envelope";
}

const char *ra_pref_name(enum ra_pref p)
{
	if (p == RA_PREF_HIGH)
		return "high";
	if (p == RA_PREF_LOW)
		return "low";
	return "medium";
}

void ra_mac_text(const uint8_t mac[6], char *buf, size_t len)
{
	snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1],
		 mac[2], mac[3], mac[4], mac[5]);
}

int ra_mac_parse(const char *text, uint8_t mac[6])
{
	for (int i = 0; i < 6; i++) {
		unsigned v = 0;
		for (int k = 0; k < 2; k++) {
			char c = *text++;
			unsigned d;
			if (c >= '0' && c <= '9')
				d = (unsigned)(c - '0');
			else if (c >= 'a' && c <= 'f')
				d = (unsigned)(c - 'a' + 10);
			else if (c >= 'A' && c <= 'F')
				d = (unsigned)(c - 'A' + 10);
			else
				return -1;
			v = v * 16 + d;
		}
		mac[i] = (uint8_t)v;
		if (i < 5 && *text != ':' && *text != '-')
			return -1;
		if (i < 5)
			text++;
	}
	return *text ? -1 : 0;
}

int ra_ip6_icmp(const uint8_t *p, size_t len, struct in6_addr *src, size_t *off)
{
	struct buf b;

	buf_init(&b, p, len);
	if ((buf_u8(&b) >> 4) != 6)
		return -1;
	buf_skip(&b, 5);
	unsigned next = buf_u8(&b);
	buf_skip(&b, 1);
	buf_bytes(&b, src, 16);
	buf_skip(&b, 16);
	/* RFC 8200 4.3, 4.6: next header, length in 8-octet units after the
	 * first 8. At most a few: nothing legitimate stacks many. */
	for (int i = 0; i < 8 && (next == 0 || next == 60); i++) {
		next = buf_u8(&b);
		buf_skip(&b, (size_t)buf_u8(&b) * 8 + 6);
	}
	if (!buf_ok(&b) || next != 58)
		return -1;
	*off = len - buf_left(&b);
	return 0;
}

uint32_t ra_packet_hash(const struct in6_addr *src, const uint8_t *msg,
			size_t len)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < 16; i++)
		h = (h ^ src->s6_addr[i]) * 16777619u;
	for (size_t i = 0; i < len; i++)
		h = (h ^ msg[i]) * 16777619u;
	return h;
}
