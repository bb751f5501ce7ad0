/* ICMP/ICMPv6 echo replies and the quoted headers of error-queue entries
 * (Packet Too Big, unreachable), as the sockets hand them over. */
#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "icmp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int fams[] = {AF_INET, AF_INET6};
	static const enum icmp_kind kinds[] = {ICMP_KIND_PING, ICMP_KIND_RAW};
	uint16_t id, seq;
	size_t len;

	for (int f = 0; f < 2; f++) {
		for (int k = 0; k < 2; k++)
			if (!icmp_parse_reply(fams[f], kinds[k], data, size,
					      &id, &seq, &len) &&
			    len > size)
				abort();
		(void)icmp_parse_quoted(fams[f], data, size, &id, &seq);
	}
	return 0;
}
