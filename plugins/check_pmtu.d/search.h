/* search: check_pmtu's path MTU search, kept pure so that unit tests can
 * drive it with made-up probe results.
 *
 * One search per family. Round 0 sends, at once: a small echo, 1024
 * bytes (the "Large ICMP" screening threshold), 1280 (the IPv6 minimum,
 * RFC 8200 section 5), --min-size for IPv4, and the largest size. Then:
 *  - a Packet Too Big / fragmentation needed announcing M: probe M next; if
 *    M passes, the path MTU is M (one more round trip);
 *  - sizes lost without any error: probe PMTU_FANOUT sizes spread evenly
 *    between the largest that passed (lo) and the smallest that did not
 *    (hi), all at once (a bisection that cuts the interval into 7 each
 *    round: 1280..1500 takes 3 rounds instead of 8). When lo is a size of
 *    round 0 (1024, 1280, --min-size), lo + 1 is one of them: the path MTU
 *    is most often exactly such a size, and then one round ends the search;
 *  - every size is sent once; only hi, the size that decides the verdict,
 *    is sent again (with the next round), since sizes are lost
 *    monotonically: a loss above hi says nothing that hi does not;
 *  - the search ends when lo and hi are adjacent and hi was lost 1 +
 *    retries times, the last try at least PMTU_CONFIRM_S after the first
 *    silent loss (or at confirm_by, when the deadline comes first):
 *    routers rate-limit ICMP errors (Linux: IPv4 unreachables 1/s per host
 *    after a burst; many vendors limit Packet Too Big too), and a
 *    suppressed error must not be called a blackhole.
 * A Packet Too Big announcing less than 1280 (IPv6) or 68 (IPv4, RFC 791),
 * 0 included, or not less than the probe it answers, is ignored as a hint
 * (RFC 8201 section 4) and reported (see judge.h), every such value alike. */
#ifndef CHECK_PMTU_SEARCH_H
#define CHECK_PMTU_SEARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#define PMTU_V6_MIN 1280u
#define PMTU_V4_MIN 68u
#define PMTU_MAX_PACKET                                                        \
	65535u /* the largest IP packet (IPv4 total length,                    \
		* and so the largest size probed) */
#define PMTU_SCREEN_SIZE 1024u
#define PMTU_FANOUT	 6
#define PMTU_CONFIRM_S	 1.0
#define PMTU_MAX_SIZES	 64
#define PMTU_MAX_PTB	 8
#define PMTU_MAX_ITEMS	 12
#define PMTU_TEXT_LEN	 240

enum pmtu_res {
	PMTU_UNTRIED = 0,
	PMTU_INFLIGHT,
	PMTU_PASSED,  /* an echo reply came back */
	PMTU_TOO_BIG, /* Packet Too Big / frag needed / local EMSGSIZE */
	PMTU_LOST,    /* every try timed out, no error */
	PMTU_FAILED,  /* another ICMP error, or the send itself failed */
};

struct pmtu_size {
	unsigned size;
	enum pmtu_res res;
	unsigned mtu;	/* TOO_BIG: the MTU announced (0: none) */
	bool local;	/* TOO_BIG: this host's interface MTU, not the path */
	bool confirmed; /* LOST on each of 1 + retries tries */
	unsigned tries; /* times sent (kept by the search) */
	double sent_s;	/* when last sent (kept by the search) */
	double rtt_s;
	struct sockaddr_storage from; /* who answered or sent the error */
	char detail[96];	      /* FAILED: the error in words */
};

struct pmtu_ptb {
	unsigned mtu, size; /* announced MTU, size of the probe it answered */
	bool local, ignored;
	struct sockaddr_storage from;
};

struct pmtu_search {
	int family;
	unsigned small, min, max; /* min: 1280 for IPv6, --min-size IPv4 */
	struct pmtu_size sz[PMTU_MAX_SIZES];
	size_t n;
	struct pmtu_ptb ptb[PMTU_MAX_PTB];
	size_t nptb;
	bool started;
	unsigned retries;    /* hi is sent 1 + retries times (pmtu_init: 1) */
	double confirm_by;   /* the last try of hi by then (the deadline); 0 */
	double first_loss_s; /* when a size was first lost silently; 0 none */
};

void pmtu_init(struct pmtu_search *s, int family, unsigned small, unsigned min,
	       unsigned max);

/* Sizes to send now (each marked PMTU_INFLIGHT), at most cap. Returns how
 * many; 0 with *wake_s > 0 means "ask again at *wake_s" (a confirmation is
 * due then); 0 with *wake_s == 0 and nothing in flight: the search is over.
 * now_s is mono_now_s(). */
size_t pmtu_plan(struct pmtu_search *s, double now_s, unsigned *sizes,
		 size_t cap, double *wake_s);

/* Records the result of one try of a size. */
void pmtu_record(struct pmtu_search *s, const struct pmtu_size *r,
		 double now_s);

bool pmtu_inflight(const struct pmtu_search *s);

/* Why a Packet Too Big announcing mtu for a probe of size is ignored, in
 * words, or NULL when it is a valid hint. */
const char *pmtu_ptb_why(int family, unsigned mtu, unsigned size);

/* The largest size that passed (0: none) and the smallest that failed above
 * it (0: none). */
unsigned pmtu_lo(const struct pmtu_search *s);
const struct pmtu_size *pmtu_hi(const struct pmtu_search *s);
const struct pmtu_size *pmtu_find(const struct pmtu_search *s, unsigned size);

#endif
