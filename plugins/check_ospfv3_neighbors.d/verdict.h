/* verdict: what the neighbor list means, against what the operator
 * expects. Pure: a list and options in, coded findings and counts out; the
 * plugin turns them into report items and perfdata. */
#ifndef OSPFV3_VERDICT_H
#define OSPFV3_VERDICT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "check_ospfv3_neighbors.d/nbr.h"
#include "range.h"
#include "status.h"

/* -n ROUTER_ID[@IFACE] */
struct expect {
	uint32_t rid;
	char iface[NBR_IFACE_LEN]; /* "" matches any interface */
};

/* "0.0.0.3" or "0.0.0.3@eth1" -> 0, or -1 with the reason in err. */
int expect_parse(const char *arg, struct expect *e, char *err, size_t errlen);

struct verdict_opts {
	const struct expect *exp;
	size_t nexp;
	bool allow_2way;
	bool strict;
	long min_full;			 /* -1: not given */
	long min_uptime_s;		 /* 0: no flap check */
	const struct range *warn, *crit; /* -w/-c on the Full count, or NULL */
	const char *source; /* "FRR", "BIRD", "SNMP": for the texts */
};

#define VERDICT_MAX	 (NBR_MAX + 64)
#define VERDICT_TEXT_LEN 224

struct finding {
	enum state state;
	const char *code;
	char rid[16];
	char iface[NBR_IFACE_LEN];
	char text[VERDICT_TEXT_LEN];
};

struct verdict {
	struct finding f[VERDICT_MAX];
	size_t n;
	long neighbors, full, not_full, missing;
};

void verdict_judge(const struct nbr_list *l, const struct verdict_opts *o,
		   struct verdict *v);

#endif
