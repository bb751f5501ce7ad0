/* verdict: one family's facts judged into coded findings (pure: reads
 * only its arguments, writes only the report and *v). */
#ifndef GW_VERDICT_H
#define GW_VERDICT_H

#include <stdbool.h>

#include "check_default_route_liveness.d/facts.h"
#include "report.h"

struct gw_verdict {
	enum state state;
	char headline[REPORT_ITEM_LEN]; /* the family in one phrase */
	char brief[120]; /* when it forwards: "IPv6 forwards via fe80::1 on
			  * eth0", for a summary of two good families */
	bool forwards;	 /* a target beyond the gateway answered */
	double rtt_gw_s, rtt_target_s; /* NAN: none answered */
};

/* What a gateway's echoes and neighbor entry say. */
enum gw_health {
	GW_ALIVE,	/* it answers echo requests */
	GW_RESOLVES,	/* its neighbor entry is usable; no echo reply */
	GW_UNRESOLVED,	/* neighbor entry FAILED or INCOMPLETE */
	GW_SILENT,	/* no neighbor entry and no echo reply */
	GW_LINK_DOWN,	/* interface down, no carrier, route dead/linkdown */
	GW_NO_GATEWAY,	/* "default dev X" on a link that needs one */
	GW_DIRECT,	/* "default dev X" on a point-to-point link */
	GW_NOT_UNICAST, /* a blackhole, unreachable or prohibit default */
};

enum gw_health verdict_health(const struct gw_route *g, char *why, size_t len);

/* -w/-c: ranges on the best target round trip in seconds; an unset range
 * (set false) never alerts. Neither may be NULL. */
struct verdict_opts {
	const struct range *warn, *crit;
};

void verdict_family(const struct gw_family *f, const struct verdict_opts *o,
		    struct report *r, struct gw_verdict *v);

#endif
