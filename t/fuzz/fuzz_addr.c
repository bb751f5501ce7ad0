/* Host arguments: names, literals, brackets, zones, ports. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char text[300], err[256], buf[ADDR_STRLEN];
	struct host h;

	if (size >= sizeof text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	for (int port = 0; port < 2; port++) {
		if (addr_parse_host(text, port, &h, err, sizeof err))
			continue;
		if (h.literal) {
			addr_format((struct sockaddr *)&h.sa, buf, sizeof buf);
			/* The canonical text of a literal parses to itself. */
			struct host h2;
			if (addr_parse_host(h.name, false, &h2, err,
					    sizeof err) ||
			    strcmp(h2.name, h.name))
				abort();
		}
	}
	return 0;
}
