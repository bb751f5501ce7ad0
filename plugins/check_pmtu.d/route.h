/* route: what this host's kernel knows about the path toward a
 * destination: the interface MTU and a cached path MTU. */
#ifndef CHECK_PMTU_ROUTE_H
#define CHECK_PMTU_ROUTE_H

#include <sys/socket.h>

/* The MTU of the interface the kernel would use toward dst, from src (NULL
 * or family 0: any) or through iface (NULL or "": by the route), without
 * the path MTU it may have cached (0 when it cannot tell); ifname
 * (IF_NAMESIZE) gets its name. */
unsigned pmtu_iface_mtu(const struct sockaddr_storage *dst,
			const struct sockaddr_storage *src, const char *iface,
			char *ifname);

/* The path MTU the kernel has cached toward dst (a route exception learned
 * from a Packet Too Big), or 0 when it only knows the interface MTU. */
unsigned pmtu_cached(const struct sockaddr_storage *dst,
		     const struct sockaddr_storage *src, const char *iface);

#endif
