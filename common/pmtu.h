/* pmtu: the path MTU search and its judgement, kept pure so that unit tests
 * can drive them with made-up probe results; plus the two TCP fetches of
 * the talk's diagnosis ("set the MSS to fit 1280: if the problem goes away
 * it was a PMTUD blackhole", CONTEXT.md section 2).
 *
 * Search (one per family). Round 0 sends, at once: a small echo, 1024
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
 * or not less than the probe it answers, is ignored as a hint (RFC 8201
 * section 4) and reported. */
#ifndef V6OPS_PMTU_H
#define V6OPS_PMTU_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#include "loop.h"
#include "range.h"
#include "status.h"

#define PMTU_V6_MIN	 1280u
#define PMTU_V4_MIN	 68u
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

/* The largest size that passed (0: none) and the smallest that failed above
 * it (0: none). */
unsigned pmtu_lo(const struct pmtu_search *s);
const struct pmtu_size *pmtu_hi(const struct pmtu_search *s);
const struct pmtu_size *pmtu_find(const struct pmtu_search *s, unsigned size);

/* The judgement of one family's search. */
struct pmtu_item {
	enum state state;
	char text[PMTU_TEXT_LEN];
};

struct pmtu_verdict {
	enum state state;
	unsigned pmtu; /* the largest size that passed; 0: none */
	struct pmtu_item items[PMTU_MAX_ITEMS]; /* items[0]: the verdict */
	size_t nitems;
};

struct pmtu_judge_opts {
	const char *host; /* the target in words ("2001:db8:c::80") */
	const struct range *warn, *crit; /* on the path MTU; NULL: none */
	enum state unreachable; /* nothing answers at all: default UNKNOWN */
	bool incomplete;	/* the deadline stopped the search */
	bool max_given; /* max came from --max-size, not the interface */
};

void pmtu_judge(const struct pmtu_search *s, const struct pmtu_judge_opts *o,
		struct pmtu_verdict *v);

/* The MTU of the interface the kernel would use toward dst, without the
 * path MTU it may have cached (0 when it cannot tell); ifname (IF_NAMESIZE)
 * gets its name. */
unsigned pmtu_iface_mtu(const struct sockaddr_storage *dst, char *ifname);

/* The path MTU the kernel has cached toward dst (a route exception learned
 * from a Packet Too Big), or 0 when it only knows the interface MTU. */
unsigned pmtu_cached(const struct sockaddr_storage *dst);

/* TCP mode: the bytes to send into buf: send with its escapes \r \n \t
 * \\ turned into bytes, or when send is NULL an HTTP/1.0 GET of uri with
 * the Host header hosthdr. Returns the length, 0 when it does not fit. */
size_t pmtu_request(char *buf, size_t cap, const char *send, const char *uri,
		    const char *hosthdr);

/* TCP mode: one fetch of a large response. */
enum pmtu_fetch_end {
	FETCH_RUNNING = 0,
	FETCH_EOF,	/* the server closed after sending: complete */
	FETCH_STALLED,	/* connected, then no byte for stall_ms */
	FETCH_NOCONN,	/* the connection failed: reason in why */
	FETCH_DEADLINE, /* the run's deadline came first */
};

struct pmtu_fetch {
	/* set by the caller */
	struct sockaddr_storage dst;
	int mss;	 /* TCP_MAXSEG before connect; 0: the kernel's */
	const char *req; /* bytes to send once connected */
	size_t reqlen;
	long stall_ms;
	/* results */
	enum pmtu_fetch_end end;
	size_t bytes;
	double connect_s, total_s; /* from the start; total: last byte */
	int adv_mss, pmtu;	   /* tcpi_advmss, tcpi_pmtu after connect */
	char first_line[96];	   /* of the response */
	char why[96];
	/* private */
	int fd;
	size_t sent;
	double start_s, last_s;
	bool connected;
	struct loop *loop;
};

/* Starts the fetch (non-blocking connect) on l. Returns 0, or -1 with
 * f->end set (e.g. FETCH_NOCONN when the socket cannot open). */
int pmtu_fetch_start(struct pmtu_fetch *f, struct loop *l);
/* For a loop timer: stall detection. */
long pmtu_fetch_next_ms(void *f);
void pmtu_fetch_fire(void *f);
/* Ends a fetch that is still running (FETCH_DEADLINE) and closes it. */
void pmtu_fetch_finish(struct pmtu_fetch *f);

/* The talk's diagnosis from a fetch with the normal MSS and one clamped to
 * fit 1280. clamp_mss is the clamped fetch's MSS (1220 / 1240). */
void pmtu_judge_tcp(int family, const char *host,
		    const struct pmtu_fetch *normal,
		    const struct pmtu_fetch *clamped, int clamp_mss,
		    struct pmtu_verdict *v);

#endif
