#include "check_rogue_ra.d/ra_seen.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "addr.h"
#include "check_rogue_ra.d/ra_policy.h"

void ra_seen_init(struct ra_seen *s)
{
	memset(s, 0, sizeof *s);
	s->first_ra_s = -1;
}

void ra_seen_frame(struct ra_seen *s, uint32_t hash, const uint8_t mac[6])
{
	struct ra_frame_mac *f = &s->frame[s->next_frame];
	f->hash = hash;
	memcpy(f->mac, mac, 6);
	f->used = true;
	s->next_frame = (s->next_frame + 1) % RA_FRAMES;
}

const uint8_t *ra_seen_frame_mac(const struct ra_seen *s, uint32_t hash)
{
	for (size_t i = 0; i < RA_FRAMES; i++)
		if (s->frame[i].used && s->frame[i].hash == hash)
			return s->frame[i].mac;
	return NULL;
}

static bool same_prefix(const struct ra_prefix *a, const struct ra_prefix *b)
{
	return a->len == b->len &&
	       !memcmp(&a->prefix, &b->prefix, sizeof a->prefix);
}

/* FNV-1a over the address and the MAC. */
static void count_dropped(struct ra_seen *s, const struct in6_addr *src,
			  const uint8_t *mac)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < 16; i++)
		h = (h ^ src->s6_addr[i]) * 16777619u;
	for (size_t i = 0; i < 6; i++)
		h = (h ^ (mac ? mac[i] : 0)) * 16777619u;
	h %= RA_DROPPED_BITS;
	uint8_t bit = (uint8_t)(1u << (h % 8));
	if (s->dropped_bits[h / 8] & bit)
		return;
	s->dropped_bits[h / 8] |= bit;
	s->routers_dropped++;
}

static struct ra_router *
router_slot(struct ra_seen *s, const struct in6_addr *src, const uint8_t *mac)
{
	for (size_t i = 0; i < s->nrouter; i++) {
		struct ra_router *r = &s->router[i];
		if (memcmp(&r->lla, src, sizeof *src))
			continue;
		if (!mac)
			return r;
		if (!r->has_mac) {
			/* The first RA of this router had no MAC: it has
			 * one now. */
			r->has_mac = true;
			memcpy(r->mac, mac, 6);
			return r;
		}
		if (!memcmp(r->mac, mac, 6))
			return r;
	}
	if (s->nrouter == RA_MAX_ROUTERS) {
		count_dropped(s, src, mac);
		return NULL;
	}
	struct ra_router *r = &s->router[s->nrouter++];
	memset(r, 0, sizeof *r);
	r->lla = *src;
	r->has_mac = mac != NULL;
	if (mac)
		memcpy(r->mac, mac, 6);
	return r;
}

void ra_seen_ra(struct ra_seen *s, const struct in6_addr *src,
		const struct ra *ra, const uint8_t *frame_mac, double t_s)
{
	const uint8_t *mac = frame_mac;

	s->ras++;
	if (s->first_ra_s < 0)
		s->first_ra_s = t_s;
	if (!mac && ra->has_lladdr)
		mac = ra->lladdr;
	struct ra_router *r = router_slot(s, src, mac);
	if (!r)
		return;
	if (frame_mac)
		r->mac_from_frame = true;
	if (frame_mac && ra->has_lladdr && memcmp(frame_mac, ra->lladdr, 6)) {
		r->lladdr_differs = true;
		memcpy(r->lladdr, ra->lladdr, 6);
	}
	if (r->count == 0)
		r->first_s = t_s;
	r->count++;
	r->last = *ra;
	for (size_t i = 0; i < ra->nprefix; i++) {
		size_t k = 0;
		while (k < r->nprefix &&
		       !same_prefix(&r->prefix[k], &ra->prefix[i]))
			k++;
		if (k < r->nprefix)
			r->prefix[k] = ra->prefix[i];
		else if (r->nprefix < RA_MAX_PREFIXES)
			r->prefix[r->nprefix++] = ra->prefix[i];
	}
}

static struct ra_bad *bad_slot(struct ra_bad *t, size_t *n, size_t *dropped,
			       const struct in6_addr *src)
{
	for (size_t i = 0; i < *n; i++)
		if (!memcmp(&t[i].src, src, sizeof *src))
			return &t[i];
	if (*n == RA_MAX_BAD) {
		(*dropped)++;
		return NULL;
	}
	struct ra_bad *b = &t[(*n)++];
	memset(b, 0, sizeof *b);
	b->src = *src;
	return b;
}

void ra_seen_malformed(struct ra_seen *s, const struct in6_addr *src,
		       enum ra_error e, size_t at, unsigned opt_type,
		       bool truncated)
{
	s->ras++;
	s->bad_ras++;
	struct ra_bad *b =
	    bad_slot(s->malformed, &s->nmalformed, &s->malformed_dropped, src);
	if (!b)
		return;
	if (b->count++ == 0) {
		b->error = e;
		b->at = at;
		b->opt_type = opt_type;
		b->truncated = truncated;
	}
}

void ra_seen_offlink(struct ra_seen *s, const struct in6_addr *src,
		     enum ra_envelope why, int hoplimit, int code)
{
	s->ras++;
	s->offl_ras++;
	struct ra_bad *b =
	    bad_slot(s->offlink, &s->noffl, &s->offlink_dropped, src);
	if (!b)
		return;
	if (b->count++ == 0) {
		b->envelope = why;
		b->hoplimit = hoplimit;
		b->code = code;
	}
}

size_t ra_seen_prefixes(const struct ra_seen *s)
{
	size_t n = 0;
	for (size_t i = 0; i < s->nrouter; i++)
		for (size_t k = 0; k < s->router[i].nprefix; k++) {
			bool earlier = false;
			for (size_t j = 0; j < i && !earlier; j++)
				for (size_t m = 0; m < s->router[j].nprefix;
				     m++)
					if (same_prefix(
						&s->router[j].prefix[m],
						&s->router[i].prefix[k]))
						earlier = true;
			if (!earlier)
				n++;
		}
	return n;
}

/* Appends to buf without ever overrunning it. */
static void add(char *buf, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void add(char *buf, size_t len, const char *fmt, ...)
{
	size_t have = strlen(buf);
	va_list ap;

	if (have + 1 >= len)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + have, len - have, fmt, ap);
	va_end(ap);
}

void ra_router_name(const struct ra_router *r, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN], mac[20] = "no MAC advertised", ll[20];

	addr_rfc5952(&r->lla, a, sizeof a);
	if (r->has_mac)
		ra_mac_text(r->mac, mac, sizeof mac);
	if (!r->lladdr_differs) {
		snprintf(buf, len, "%s (%s)", a, mac);
		return;
	}
	ra_mac_text(r->lladdr, ll, sizeof ll);
	snprintf(buf, len, "%s (%s, advertising %s)", a, mac, ll);
}

void ra_router_prefixes(const struct ra_router *r, char *buf, size_t len)
{
	char p[INET6_ADDRSTRLEN + 8];

	buf[0] = '\0';
	if (r->nprefix == 0)
		add(buf, len, "no prefix");
	for (size_t i = 0; i < r->nprefix; i++) {
		ra_prefix_text(&r->prefix[i].prefix, r->prefix[i].len, p,
			       sizeof p);
		add(buf, len, "%s%s", i ? ", " : "", p);
	}
}

void ra_router_details(const struct ra_router *r, char *buf, size_t len)
{
	const struct ra *ra = &r->last;
	char a[INET6_ADDRSTRLEN], pfx[160];

	buf[0] = '\0';
	add(buf, len, "flags %s%s%s", ra->managed ? "M" : "",
	    ra->other ? "O" : "", ra->managed || ra->other ? "" : "none");
	add(buf, len, ", router lifetime %u s, preference %s", ra->lifetime_s,
	    ra_pref_name(ra->pref));
	ra_router_prefixes(r, pfx, sizeof pfx);
	add(buf, len, ", prefixes %s", pfx);
	if (ra->has_mtu)
		add(buf, len, ", MTU %u", (unsigned)ra->mtu);
	for (size_t i = 0; i < ra->nrdnss; i++) {
		addr_rfc5952(&ra->rdnss[i], a, sizeof a);
		add(buf, len, "%s%s", i ? " " : ", RDNSS ", a);
	}
	if (ra->dnssl[0])
		add(buf, len, ", DNSSL %s", ra->dnssl);
	add(buf, len, ", %u RA%s", r->count, r->count == 1 ? "" : "s");
}
