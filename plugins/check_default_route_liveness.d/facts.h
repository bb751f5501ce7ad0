/* facts: what check_default_route_liveness observed, per family: the
 * default routes with their interface, the gateway's neighbor entry and
 * its echoes; each target with the kernel's route for it, the policy rule
 * that chose that route, and its probes. Plain data: gather.c fills it
 * from netlink, verdict.c judges it. */
#ifndef GW_FACTS_H
#define GW_FACTS_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>

#include "addr.h"
#include "nl.h"
#include "probe.h"

#define GW_MAX_ROUTES  8
#define GW_MAX_TARGETS 16
#define GW_ECHOES      2

/* One default route of the main table (one next hop of a multipath one). */
struct gw_route {
	struct nl_route r;
	char ifname[IF_NAMESIZE];
	bool have_link;
	unsigned link_flags; /* IFF_UP, IFF_LOWER_UP, IFF_NOARP, ... */
	bool have_neigh;     /* the gateway's entry, read after the probes */
	struct nl_neigh neigh;
	size_t nechoes; /* echoes sent to the gateway */
	struct probe echo[GW_ECHOES];
	bool in_use; /* the kernel sends the targets (or would) through it */
};

struct gw_target {
	char name[256];		/* as given (a name or a literal) */
	char addr[ADDR_STRLEN]; /* the address probed */
	struct sockaddr_storage sa;
	/* the kernel's answer to RTM_GETROUTE for addr */
	bool lookup_ok;
	struct nl_route route;
	char ifname[IF_NAMESIZE];
	int kernel_errno;     /* lookup refused: EINVAL blackhole, ... */
	char lookup_err[160]; /* the question itself failed */
	/* the same lookup replayed on the rules and tables read */
	bool have_rule, have_walk;
	struct nl_rule rule;
	struct nl_route walk;
	size_t nechoes, ntcp;
	struct probe echo[GW_ECHOES];
	struct probe tcp[PROBE_MAX_PORTS];
};

struct gw_family {
	int family; /* AF_INET or AF_INET6 */
	bool checked;
	struct gw_route route[GW_MAX_ROUTES];
	size_t nroute;
	size_t ndefault; /* default routes in the main table (next hops) */
	struct gw_target target[GW_MAX_TARGETS];
	size_t ntarget;
	char unresolved[256]; /* -H names without an address of this family */
	char echo_err[200];   /* why no echo socket could open, or "" */
};

struct gw_facts {
	struct gw_family fam[2]; /* [0] IPv4, [1] IPv6 */
};

#endif
