/* gather: from netlink views to facts (see gather.h). */
#include "check_default_route_liveness.d/gather.h"

#include <linux/rtnetlink.h>
#include <stdio.h>
#include <string.h>

void gather_defaults(const struct nl_view *v, struct gw_family *f)
{
	f->nroute = 0;
	f->ndefault = 0;
	for (size_t i = 0; i < v->nroute; i++) {
		const struct nl_route *r = &v->route[i];
		if (r->family != f->family || r->dst_len != 0 ||
		    r->table != RT_TABLE_MAIN)
			continue;
		f->ndefault++;
		if (f->nroute >= GW_MAX_ROUTES)
			continue;
		struct gw_route *g = &f->route[f->nroute++];
		memset(g, 0, sizeof *g);
		g->r = *r;
		const struct nl_link *l = nl_view_link(v, r->oif);
		if (l) {
			g->have_link = true;
			g->link_flags = l->flags;
			snprintf(g->ifname, sizeof g->ifname, "%s", l->name);
		}
	}
}

void gather_neighbors(const struct nl_view *v, struct gw_family *f)
{
	for (size_t i = 0; i < f->nroute; i++) {
		struct gw_route *g = &f->route[i];
		const struct nl_neigh *n =
		    g->r.gw.family ? nl_view_neigh(v, &g->r.gw, g->r.oif)
				   : NULL;
		g->have_neigh = n != NULL;
		if (n)
			g->neigh = *n;
	}
}

void gather_walk(const struct nl_view *v, struct gw_target *t)
{
	struct nl_ip dst;
	const struct nl_rule *rule;

	nl_ip_from_sockaddr(&dst, &t->sa);
	const struct nl_route *r = nl_view_lookup(v, &dst, &rule);
	t->have_walk = r != NULL;
	if (r)
		t->walk = *r;
	t->have_rule = rule != NULL;
	if (rule)
		t->rule = *rule;
}

const struct gw_route *gather_route_of(const struct gw_family *f,
				       const struct gw_target *t)
{
	if (!t->lookup_ok || t->route.dst_len != 0 ||
	    t->route.table != RT_TABLE_MAIN || t->route.type != RTN_UNICAST)
		return NULL;
	for (size_t i = 0; i < f->nroute; i++) {
		const struct nl_route *r = &f->route[i].r;
		if (r->oif == t->route.oif &&
		    (r->gw.family ? nl_ip_equal(&r->gw, &t->route.gw)
				  : !t->route.gw.family))
			return &f->route[i];
	}
	return NULL;
}

void gather_mark_in_use(struct gw_family *f)
{
	bool any = false;

	for (size_t i = 0; i < f->ntarget; i++) {
		const struct gw_route *g = gather_route_of(f, &f->target[i]);
		if (g) {
			f->route[g - f->route].in_use = true;
			any = true;
		}
	}
	if (any)
		return;
	struct gw_route *best = NULL;
	for (size_t i = 0; i < f->nroute; i++)
		if (f->route[i].r.type == RTN_UNICAST &&
		    (!best || f->route[i].r.metric < best->r.metric))
			best = &f->route[i];
	if (best)
		best->in_use = true;
}
