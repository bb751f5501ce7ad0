/* ospfv3NbrTable varbinds, written as `snmpwalk -On` prints them
 * (".1.3.6.1.2.1.191.1.9.1.8.IFINDEX.INST.RTRID = INTEGER: 8"), through
 * check_ospfv3_neighbors' row decoder in walk order. Seeds:
 * t/data/ospfv3_neighbors/snmp. Needs plugins/check_ospfv3_neighbors.d/
 * snmprow.c and nbr.c. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check_ospfv3_neighbors.d/snmp.h"

#define MAX_SUBIDS 128

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct nbr_list l;
	char err[300], *text = malloc(size + 1), *save = NULL;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	l.n = l.dropped = 0;
	for (char *line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		unsigned long oid[MAX_SUBIDS];
		size_t n = 0;
		char *p = line;
		while (*p == '.' && n < MAX_SUBIDS)
			oid[n++] = strtoul(p + 1, &p, 10);
		char *v = strrchr(line, ' ');
		long value = v ? strtol(v + 1, NULL, 10) : 0;
		int took = snmpnbr_take(oid, n, value, &l, err, sizeof err);
		if (took <= 0)
			break;
		const struct nbr *last = &l.v[l.n ? l.n - 1 : 0];
		if (l.n && (last->state > NBR_FULL || last->ifindex == 0))
			abort();
	}
	free(text);
	return 0;
}
