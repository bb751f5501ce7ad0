/* A BIRD 2 control-socket reply to `show ospf neighbors`, through
 * check_ospfv3_neighbors' parser: a reply is accepted only when its last
 * line is in. Seeds: t/data/ospfv3_neighbors/bird. Needs
 * plugins/check_ospfv3_neighbors.d/bird.c and nbr.c. */
#include <stdint.h>
#include <stdlib.h>

#include "check_ospfv3_neighbors.d/bird.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct nbr_list l;
	char err[300];
	const char *text = (const char *)data;

	if (bird_parse(text, size, "lab", &l, err, sizeof err) == SRC_OK) {
		if (!bird_reply_end(text, size) || l.n > NBR_MAX)
			abort();
		for (size_t i = 0; i < l.n; i++)
			if (l.v[i].state > NBR_FULL)
				abort();
	}
	(void)bird_reply_end(text, size);
	return 0;
}
