/* The pure half of the SNMP source: the agent's address as net-snmp wants
 * it and the decoding of one ospfv3NbrState varbind. No net-snmp here, so
 * the fuzz target and the unit test need none. */
#include "check_ospfv3_neighbors.d/snmp.h"

#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

static const unsigned long state_col[] = {SNMPNBR_STATE_COL};
#define STATE_COL_LEN (sizeof state_col / sizeof state_col[0])

void snmpnbr_peer(const struct snmp_cfg *c, char *out, size_t len)
{
	if (c->literal6)
		snprintf(out, len, "udp6:[%s]:%ld", c->host, c->port);
	else
		snprintf(out, len, "%s:%s:%ld",
			 c->family == AF_INET6 ? "udp6" : "udp", c->host,
			 c->port);
}

int snmpnbr_take(const unsigned long *name, size_t len, long value,
		 struct nbr_list *l, char *err, size_t errlen)
{
	struct nbr n = {.state_s = -1};

	if (len < STATE_COL_LEN ||
	    memcmp(name, state_col, sizeof state_col) != 0)
		return 0;
	/* Index: ospfv3NbrIfIndex, ospfv3NbrIfInstId, ospfv3NbrRtrId. */
	if (len != STATE_COL_LEN + 3 ||
	    name[STATE_COL_LEN + 2] > 0xffffffffUL ||
	    name[STATE_COL_LEN + 1] > 255 || name[STATE_COL_LEN] == 0 ||
	    name[STATE_COL_LEN] > 0x7fffffffUL) {
		snprintf(err, errlen,
			 "an ospfv3NbrState row with a malformed index (%zu "
			 "sub-identifiers after the column)",
			 len - STATE_COL_LEN);
		return -1;
	}
	n.ifindex = name[STATE_COL_LEN];
	n.rid = (uint32_t)name[STATE_COL_LEN + 2];
	n.state = value >= NBR_DOWN && value <= NBR_FULL ? (enum nbr_state)value
							 : NBR_UNKNOWN;
	if (n.state == NBR_UNKNOWN)
		snprintf(n.state_word, sizeof n.state_word, "%ld", value);
	else
		snprintf(n.state_word, sizeof n.state_word, "%s",
			 nbr_state_name(n.state));
	snprintf(n.iface, sizeof n.iface, "ifIndex %lu", n.ifindex);
	nbr_add(l, &n);
	return 1;
}
