/* DNS replies as every plugin reads them (common/dns): the records of the
 * type asked, the count of what was found, CNAME chains and loops,
 * truncated, oversized and garbled answers, compression pointers. Seeds:
 * t/data/fuzz/dns (replies captured from the lab's nsd and brokendns, and
 * hostile ones). */
#include <stddef.h>
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
	/* The type asked and whether c-ares said NOERROR or NODATA come from
	 * the input's size, so the bytes stay a plain DNS reply. */
	size_t t = size % (sizeof types / sizeof types[0]);
	int nodata = (int)(size / 5 % 2);
	/* Only the small fields: clearing 25 KB of kept records per input
	 * would cost most of the time. */
	memset(&q, 0, offsetof(struct dns_query, addrs));
	q.naddrs = q.nnames = q.nfound = 0;
	q.cname_loop = false;
	q.ttl_s = 0;
	q.detail[0] = '\0';
	snprintf(q.name, sizeof q.name, "www.lab.test");
	q.type = types[t];
	q.outcome = nodata ? DNS_NODATA : DNS_PENDING;
	dns_read_reply(&q, !nodata, data, (int)size);
	if (q.naddrs > DNS_MAX_ADDRS || q.nnames > DNS_MAX_NAMES)
		abort();
	for (size_t i = 0; i < q.nnames; i++)
		if (!memchr(q.names[i], '\0', sizeof q.names[i]))
			abort();
	return 0;
}
