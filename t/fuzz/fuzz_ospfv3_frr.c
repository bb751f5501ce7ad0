/* FRR's `show ipv6 ospf6 neighbor json` as vtysh prints it, through
 * check_ospfv3_neighbors' parser. Seeds: t/data/ospfv3_neighbors/frr.
 * Needs plugins/check_ospfv3_neighbors.d/frr.c and nbr.c (and jansson). */
#include <stdint.h>
#include <stdlib.h>

#include "check_ospfv3_neighbors.d/frr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct nbr_list l;
	char err[300];

	if (frr_parse((const char *)data, size, &l, err, sizeof err) == 0) {
		if (l.n > NBR_MAX)
			abort();
		for (size_t i = 0; i < l.n; i++)
			if (l.v[i].state > NBR_FULL || l.v[i].state_s < -1)
				abort();
	}
	return 0;
}
