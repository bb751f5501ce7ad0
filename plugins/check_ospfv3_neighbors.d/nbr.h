/* nbr: the neighbor list every source fills in, one shape for FRR, BIRD
 * and SNMP, so the verdicts never know where a neighbor came from.
 * States carry the OSPFV3-MIB numbers (RFC 5643 ospfv3NbrState; the RFC
 * 5340 / RFC 2328 section 10.1 neighbor state machine). */
#ifndef OSPFV3_NBR_H
#define OSPFV3_NBR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum nbr_state {
	NBR_UNKNOWN = 0, /* a word the source used that we do not know */
	NBR_DOWN = 1,
	NBR_ATTEMPT = 2,
	NBR_INIT = 3,
	NBR_2WAY = 4,
	NBR_EXSTART = 5,
	NBR_EXCHANGE = 6,
	NBR_LOADING = 7,
	NBR_FULL = 8,
};

#define NBR_MAX	      256
#define NBR_IFACE_LEN 48

struct nbr {
	uint32_t rid;		   /* router id, host order */
	char iface[NBR_IFACE_LEN]; /* "" when the source does not say */
	enum nbr_state state;
	long state_s;	       /* seconds in this state, -1 unknown */
	char state_word[24];   /* the source's word, sanitised */
	unsigned long ifindex; /* SNMP: the row's ifIndex, else 0 */
};

struct nbr_list {
	struct nbr v[NBR_MAX];
	size_t n;
	size_t dropped; /* neighbors beyond NBR_MAX */
};

/* "Full", "full", "Full/PtP", "2-Way/DROther", "Twoway", "ExChange",
 * "exchangeStart": the state before any '/', or NBR_UNKNOWN. */
enum nbr_state nbr_state_parse(const char *word);

/* "Full", "ExStart", "2-Way", ... ("unknown" for NBR_UNKNOWN). */
const char *nbr_state_name(enum nbr_state st);

/* A dotted quad, exactly: four numbers 0..255, nothing after. 0 or -1. */
int nbr_rid_parse(const char *s, uint32_t *out);

/* buf of at least 16 bytes. Returns buf. */
char *nbr_rid_format(uint32_t rid, char *buf);

/* Appends a copy (counted in dropped when the list is full). */
void nbr_add(struct nbr_list *l, const struct nbr *n);

/* "12 s", "5m12s", "2h05m", "3d04h". buf of at least 24 bytes. */
char *nbr_duration_format(long s, char *buf, size_t len);

/* Copies src (its first srclen bytes) into dst, '|' and control
 * characters made harmless: names from a daemon end up in our output. */
void nbr_copy_word(char *dst, size_t len, const char *src, size_t srclen);

#endif
