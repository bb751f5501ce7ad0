/* gather: from netlink views to facts, pure (no socket, no clock), so the
 * unit test replays captured dumps through it. */
#ifndef GW_GATHER_H
#define GW_GATHER_H

#include "check_default_route_liveness.d/facts.h"
#include "nl.h"

/* The default routes of the main table in v (family f->family), with the
 * interface names and flags of v's links. Also sets f->ndefault. */
void gather_defaults(const struct nl_view *v, struct gw_family *f);

/* The gateways' neighbor entries from v (a dump made after the probes). */
void gather_neighbors(const struct nl_view *v, struct gw_family *f);

/* Replays the policy lookup for t on v's rules and routes: the rule that
 * chose and the route it found (see nl_view_lookup). */
void gather_walk(const struct nl_view *v, struct gw_target *t);

/* The default route t leaves through, or NULL when the kernel sends it
 * elsewhere (a more specific route, another table, a blackhole). */
const struct gw_route *gather_route_of(const struct gw_family *f,
				       const struct gw_target *t);

/* Marks the routes in use: those a target leaves through; without such a
 * target, the default route the kernel prefers (lowest metric). */
void gather_mark_in_use(struct gw_family *f);

#endif
