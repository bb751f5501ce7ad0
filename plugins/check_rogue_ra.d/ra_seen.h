/* ra_seen: what a listening window saw, in bounded memory: one entry per
 * router (link-local address and MAC), each RA's prefixes merged into it;
 * one entry per sender of malformed RAs and per sender of RAs that failed
 * the envelope. Entries beyond the tables' room are counted, not kept, so
 * a flood of RAs from random addresses costs a fixed amount of memory.
 * Pure: the plugin feeds it packets it has already parsed. */
#ifndef RA_SEEN_H
#define RA_SEEN_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "check_rogue_ra.d/ra_parse.h"

#define RA_MAX_ROUTERS 24
#define RA_MAX_BAD     16

struct ra_router {
	struct in6_addr lla;
	/* The MAC it is known by: the Ethernet source of its frames where a
	 * frame matched, else the RA's source link-layer address option. */
	bool has_mac, mac_from_frame;
	uint8_t mac[6];
	bool lladdr_differs; /* the option names another MAC: lladdr */
	uint8_t lladdr[6];
	struct ra last; /* the latest RA (flags, lifetime, MTU, RDNSS) */
	struct ra_prefix prefix[RA_MAX_PREFIXES]; /* every prefix seen */
	size_t nprefix;
	unsigned count;
	double first_s; /* seconds into the window of its first RA */
};

/* A sender of RAs that were never used: malformed or off-link. */
struct ra_bad {
	struct in6_addr src;
	unsigned count;
	enum ra_error error;	   /* malformed: the first reason */
	size_t at;		   /* its offset */
	unsigned opt_type;	   /* and the option's type */
	enum ra_envelope envelope; /* off-link: the first reason */
	int hoplimit;
	int code;
	bool truncated;
};

/* Routers beyond the table are told apart by a hash of address and MAC in
 * a bitmap: a fixed 8 KiB, and a count that can only err low (two routers
 * whose hashes collide count once). */
#define RA_DROPPED_BITS 65536

/* Recent frames' Ethernet sources, by ra_packet_hash. */
#define RA_FRAMES 64

struct ra_frame_mac {
	uint32_t hash;
	uint8_t mac[6];
	bool used;
};

struct ra_seen {
	struct ra_router router[RA_MAX_ROUTERS];
	size_t nrouter, routers_dropped; /* distinct routers beyond the table */
	uint8_t dropped_bits[RA_DROPPED_BITS / 8];
	struct ra_frame_mac frame[RA_FRAMES];
	size_t next_frame;
	struct ra_bad malformed[RA_MAX_BAD];
	size_t nmalformed, malformed_dropped;
	struct ra_bad offlink[RA_MAX_BAD];
	size_t noffl, offlink_dropped;
	unsigned ras;	   /* every RA that arrived on the interface */
	unsigned bad_ras;  /* malformed (all senders) */
	unsigned offl_ras; /* failed the envelope (all senders) */
	double first_ra_s; /* first well-formed RA, -1: none */
};

void ra_seen_init(struct ra_seen *s);

/* A well-formed RA from src at t_s, its frame's Ethernet source
 * frame_mac (NULL: no frame matched): merged into its router's entry (the
 * same link-local address and MAC; an RA without any MAC joins the first
 * entry of its address). */
void ra_seen_ra(struct ra_seen *s, const struct in6_addr *src,
		const struct ra *ra, const uint8_t *frame_mac, double t_s);

/* A frame carrying an RA: remembers its Ethernet source by hash. */
void ra_seen_frame(struct ra_seen *s, uint32_t hash, const uint8_t mac[6]);

/* The Ethernet source of the frame with this hash, or NULL. */
const uint8_t *ra_seen_frame_mac(const struct ra_seen *s, uint32_t hash);

/* A malformed RA (e from ra_parse at offset at, option opt_type), or a
 * truncated read. */
void ra_seen_malformed(struct ra_seen *s, const struct in6_addr *src,
		       enum ra_error e, size_t at, unsigned opt_type,
		       bool truncated);

/* An RA that failed the envelope check. */
void ra_seen_offlink(struct ra_seen *s, const struct in6_addr *src,
		     enum ra_envelope why, int hoplimit, int code);

/* Distinct prefixes over every router. */
size_t ra_seen_prefixes(const struct ra_seen *s);

/* Text for findings, bounded by len. */
/* "fe80::1 (02:00:00:00:00:01)", "(no MAC advertised)", or with a lying
 * option "fe80::1 (02:00:00:00:0b:ad, advertising 02:00:00:00:00:01)". */
void ra_router_name(const struct ra_router *r, char *buf, size_t len);
/* "2001:db8:1a::/64, 2001:db8:1b::/64" or "no prefix". */
void ra_router_prefixes(const struct ra_router *r, char *buf, size_t len);
/* "flags M O, router lifetime 1800 s, preference medium, prefixes ...,
 * MTU 1500, RDNSS ..., 3 RAs". */
void ra_router_details(const struct ra_router *r, char *buf, size_t len);

#endif
