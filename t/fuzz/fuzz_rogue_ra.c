/* Router Advertisements and the IPv6 frames they come in, through
 * check_rogue_ra's parser. Seeds: t/data/fuzz/rogue_ra (the unit test's
 * fixtures). A malformed RA must be used not at all, a good one only
 * within its tables. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check_rogue_ra.d/ra_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ra ra;
	static const struct ra zero;
	size_t at = 0, off = 0;
	unsigned type = 0;
	struct in6_addr src;

	enum ra_error e = ra_parse(data, size, &ra, &at, &type);
	if (e != RA_OK) {
		if (memcmp(&ra, &zero, sizeof ra) || at > size)
			abort();
	} else if (ra.nprefix > RA_MAX_PREFIXES ||
		   ra.nroute > RA_MAX_ROUTES || ra.nrdnss > RA_MAX_RDNSS ||
		   !memchr(ra.dnssl, '\0', sizeof ra.dnssl)) {
		abort();
	}
	if (ra_ip6_icmp(data, size, &src, &off) == 0 && off > size)
		abort();
	return 0;
}
