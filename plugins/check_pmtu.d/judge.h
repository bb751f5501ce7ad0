/* judge: check_pmtu's verdicts, pure. icmp mode: from one family's search
 * (path MTU, PMTUD blackhole, ICMP size screening, 1280 broken, ignored
 * Packet Too Big). tcp mode: from the two fetches (the talk's diagnosis:
 * "set the MSS to fit 1280: if the problem goes away it was a PMTUD
 * blackhole", README "What each plugin catches"). Each item carries a
 * stable code. */
#ifndef CHECK_PMTU_JUDGE_H
#define CHECK_PMTU_JUDGE_H

#include <stdbool.h>

#include "check_pmtu.d/fetch.h"
#include "check_pmtu.d/search.h"
#include "range.h"
#include "status.h"

/* The judgement of one family's search. */
struct pmtu_item {
	enum state state;
	const char *code; /* a stable word: pmtud_blackhole, path_mtu, ... */
	char text[PMTU_TEXT_LEN];
};

struct pmtu_verdict {
	enum state state;
	unsigned pmtu; /* the largest size that passed; 0: none */
	/* items[0] in a few words with the family, for a first line that
	 * names both families ("IPv6 PMTUD blackhole above 1280 bytes") */
	char phrase[80];
	struct pmtu_item items[PMTU_MAX_ITEMS]; /* items[0]: the verdict */
	size_t nitems;
};

struct pmtu_judge_opts {
	const char *host; /* the target in words ("2001:db8:c::80") */
	const struct range *warn, *crit; /* on the path MTU; NULL: none */
	enum state unreachable;	  /* nothing answers at all: default UNKNOWN */
	enum state timeout_state; /* -t ran out before a verdict (-t N:STATE) */
	bool incomplete;	  /* the deadline stopped the search */
	bool max_given; /* max came from --max-size, not the interface */
};

void pmtu_judge(const struct pmtu_search *s, const struct pmtu_judge_opts *o,
		struct pmtu_verdict *v);

/* The talk's diagnosis from a fetch with the normal MSS and one clamped to
 * fit 1280. clamp_mss is the clamped fetch's MSS (1220 / 1240). A fetch
 * still receiving when -t ran out is never a stall: it gets timeout_state.
 * When this host's cached path MTU already clamps the normal fetch, the
 * response arriving is OK and the finding says what was not tested. */
struct pmtu_tcp_opts {
	int family;
	const char *host;
	int clamp_mss;
	enum state timeout_state;
};

void pmtu_judge_tcp(const struct pmtu_tcp_opts *o,
		    const struct pmtu_fetch *normal,
		    const struct pmtu_fetch *clamped, struct pmtu_verdict *v);

#endif
