/* source: how fetching a neighbor table can end, the same words for every
 * source so the plugin maps them to one set of finding codes. */
#ifndef OSPFV3_SOURCE_H
#define OSPFV3_SOURCE_H

enum src_result {
	SRC_OK = 0,
	SRC_UNREACHABLE, /* no daemon / agent answered (socket, exec, SNMP) */
	SRC_ERROR,     /* it answered with an error (unknown protocol, auth) */
	SRC_MALFORMED, /* it answered something we cannot read */
	SRC_TIMEOUT,   /* the run's deadline came first */
};

#endif
