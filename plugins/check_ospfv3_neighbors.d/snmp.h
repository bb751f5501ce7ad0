/* snmp: a router's adjacencies from OSPFV3-MIB (RFC 5643) through
 * net-snmp: ospfv3NbrState (1.3.6.1.2.1.191.1.9.1.8), indexed by
 * ospfv3NbrIfIndex, ospfv3NbrIfInstId, ospfv3NbrRtrId (the router id as
 * one unsigned 32-bit sub-identifier), walked with GETBULK; then IF-MIB ifName
 * (1.3.6.1.2.1.31.1.1.1.1) for the interfaces the rows name. Numeric OIDs only:
 * Debian ships no MIB files. The MIB has no time in state, so flaps cannot be
 * seen through it. */
#ifndef OSPFV3_SNMP_H
#define OSPFV3_SNMP_H

#include <stdbool.h>
#include <stddef.h>

#include "check_ospfv3_neighbors.d/nbr.h"
#include "check_ospfv3_neighbors.d/source.h"

/* ospfv3NbrState; its rows' index follows. */
#define SNMPNBR_STATE_COL 1, 3, 6, 1, 2, 1, 191, 1, 9, 1, 8

/* USM protocols by name (RFC 3414, RFC 7860 SHA-2, RFC 3826 AES). */
enum snmpnbr_auth {
	SNMPNBR_AUTH_NONE = 0,
	SNMPNBR_AUTH_MD5,
	SNMPNBR_AUTH_SHA,
	SNMPNBR_AUTH_SHA224,
	SNMPNBR_AUTH_SHA256,
	SNMPNBR_AUTH_SHA384,
	SNMPNBR_AUTH_SHA512,
};
enum snmpnbr_priv {
	SNMPNBR_PRIV_NONE = 0,
	SNMPNBR_PRIV_DES,
	SNMPNBR_PRIV_AES,
	SNMPNBR_PRIV_AES192,
	SNMPNBR_PRIV_AES256,
};

/* net-snmp's numbers for them: NETSNMP_USMAUTH_*, USM_CREATE_USER_PRIV_*. */
int snmpnbr_auth_type(enum snmpnbr_auth a);
int snmpnbr_priv_type(enum snmpnbr_priv p);

struct snmp_cfg {
	const char *host; /* an address literal or a name */
	bool literal6;	  /* host is an IPv6 literal */
	int family;	  /* AF_INET6 / AF_INET from -6 / -4, else 0 */
	long port;
	int version; /* 2 (v2c) or 3 */
	const char *community;
	const char *user;
	enum snmpnbr_auth auth_proto;
	const char *auth_pass;
	enum snmpnbr_priv priv_proto;
	const char *priv_pass;
};

/* "udp6:[2001:db8::1]:161", "udp:192.0.2.1:161", "udp6:name:161". */
void snmpnbr_peer(const struct snmp_cfg *c, char *out, size_t len);

/* One varbind of the walk (OID as sub-identifiers, an integer value).
 * Returns 1 when it was a state row and was added, 0 when the OID is past
 * the column (the walk is over), -1 when the row's index is malformed
 * (err set). */
int snmpnbr_take(const unsigned long *name, size_t len, long value,
		 struct nbr_list *l, char *err, size_t errlen);

/* (snmprow.c, pure: above; snmp.c, net-snmp: below) */

/* Walks the table. Returns SRC_OK or the failure kind with err set. */
enum src_result snmpnbr_fetch(const struct snmp_cfg *c, struct nbr_list *out,
			      char *err, size_t errlen);

#endif
