/* DNS replies as every plugin reads them (common/dns): the records of the
 * type asked, the count of what was found, CNAME chains and loops,
 * truncated, oversized and garbled answers, compression pointers. Seeds:
 * t/data/fuzz/dns (replies captured from the lab's nsd and brokendns, and
 * hostile ones). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum dns_type types[] = {DNS_A, DNS_AAAA, DNS_NS, DNS_PTR,
					      DNS_CNAME};
	static struct dns_query q;

	if (size > 65535)
		return 0;
	for (size_t t = 0; t < sizeof types / sizeof types[0]; t++) {
		for (int nodata = 0; nodata < 2; nodata++) {
			memset(&q, 0, sizeof q);
			snprintf(q.name, sizeof q.name, "www.lab.test");
			q.type = types[t];
			q.outcome = nodata ? DNS_NODATA : DNS_PENDING;
			dns_read_reply(&q, !nodata, data, (int)size);
			if (q.naddrs > DNS_MAX_ADDRS ||
			    q.nnames > DNS_MAX_NAMES)
				abort();
			for (size_t i = 0; i < q.nnames; i++)
				if (!memchr(q.names[i], '\0',
					    sizeof q.names[i]))
					abort();
		}
	}
	return 0;
}
