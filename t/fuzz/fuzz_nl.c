/* rtnetlink answers as the kernel hands them to common/nl (routes with
 * multipath next hops, rules, neighbor entries, links, lookup errors): the
 * view never overflows, and the lookup replay and the formatters run on
 * whatever parsed. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "nl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct nl_view v;
	const struct nl_rule *rule;
	char buf[256];
	int kerr;

	memset(&v, 0, sizeof v);
	v.route_keep[v.nroute_keep++] = (struct nl_ip){.family = AF_INET};
	v.route_keep[v.nroute_keep++] = (struct nl_ip){.family = AF_INET6};
	v.neigh_keep[v.nneigh_keep++] = (struct nl_ip){.family = AF_INET};
	v.neigh_keep[v.nneigh_keep++] = (struct nl_ip){.family = AF_INET6};
	(void)nl_parse(&v, data, size, 0, 0, &kerr);
	if (v.nroute > NL_MAX_ROUTES || v.nrule > NL_MAX_RULES ||
	    v.nneigh > NL_MAX_NEIGHS || v.nlink > NL_MAX_LINKS)
		abort();
	for (size_t i = 0; i < v.nroute; i++)
		if (v.route[i].dst_len > 128 ||
		    strlen(nl_route_format(&v.route[i], NULL, buf,
					   sizeof buf)) >= sizeof buf)
			abort();
	for (size_t i = 0; i < v.nrule; i++)
		(void)nl_rule_format(&v.rule[i], buf, sizeof buf);
	for (int f = 0; f < 2; f++) {
		struct nl_ip dst = {.family = f ? AF_INET6 : AF_INET};
		const struct nl_route *r = nl_view_lookup(&v, &dst, &rule);
		if (r && (r < v.route || r >= v.route + v.nroute))
			abort();
	}
	return 0;
}
