#include "check_pmtu.d/route.h"

/* addr.h brings <net/if.h> before anything of <linux/...>. */
#include "addr.h"
#include "icmp.h"

#include <errno.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

static int connected_udp(const struct sockaddr_storage *dst,
			 const struct sockaddr_storage *src, const char *iface)
{
	struct sockaddr_storage d = *dst;
	int fd = socket(dst->ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	char err[200];

	if (fd < 0)
		return -1;
	/* The same route as the probes: from --source, through --interface. */
	if (icmp_bind_fd(fd, dst->ss_family, src, iface, err, sizeof err)) {
		close(fd);
		return -1;
	}
	addr_set_port((struct sockaddr *)&d, 9);
	if (connect(fd, (struct sockaddr *)&d, addr_len(d.ss_family))) {
		close(fd);
		return -1;
	}
	return fd;
}

static bool same_ip(const struct sockaddr *a, const struct sockaddr *b)
{
	if (!a || a->sa_family != b->sa_family)
		return false;
	if (a->sa_family == AF_INET6)
		return !memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
			       &((const struct sockaddr_in6 *)b)->sin6_addr,
			       16);
	return ((const struct sockaddr_in *)a)->sin_addr.s_addr ==
	       ((const struct sockaddr_in *)b)->sin_addr.s_addr;
}

unsigned pmtu_iface_mtu(const struct sockaddr_storage *dst,
			const struct sockaddr_storage *from, const char *iface,
			char *ifname)
{
	struct sockaddr_storage src;
	socklen_t sl = sizeof src;
	struct ifaddrs *ifa = NULL;
	unsigned mtu = 0;
	int fd = connected_udp(dst, from, iface);

	ifname[0] = '\0';
	if (fd < 0)
		return 0;
	if (iface && iface[0]) {
		struct ifreq r;
		memset(&r, 0, sizeof r);
		snprintf(r.ifr_name, sizeof r.ifr_name, "%s", iface);
		if (!ioctl(fd, SIOCGIFMTU, &r) && r.ifr_mtu > 0) {
			mtu = (unsigned)r.ifr_mtu;
			snprintf(ifname, IF_NAMESIZE, "%s", iface);
		}
		close(fd);
		return mtu;
	}
	/* The source address the kernel picks names the outgoing interface
	 * (for any ordinary route); its MTU is the interface's own, unlike
	 * IP_MTU, which reports a cached path MTU. */
	if (!getsockname(fd, (struct sockaddr *)&src, &sl) && !getifaddrs(&ifa))
		for (struct ifaddrs *i = ifa; i; i = i->ifa_next)
			if (same_ip(i->ifa_addr, (struct sockaddr *)&src)) {
				struct ifreq r;
				memset(&r, 0, sizeof r);
				snprintf(r.ifr_name, sizeof r.ifr_name, "%s",
					 i->ifa_name);
				if (!ioctl(fd, SIOCGIFMTU, &r) &&
				    r.ifr_mtu > 0) {
					mtu = (unsigned)r.ifr_mtu;
					snprintf(ifname, IF_NAMESIZE, "%s",
						 i->ifa_name);
				}
				break;
			}
	if (ifa)
		freeifaddrs(ifa);
	close(fd);
	return mtu;
}

unsigned pmtu_cached(const struct sockaddr_storage *dst,
		     const struct sockaddr_storage *from, const char *ifn)
{
	char ifname[IF_NAMESIZE];
	unsigned iface = pmtu_iface_mtu(dst, from, ifn, ifname);
	int fd = connected_udp(dst, from, ifn), mtu = 0;
	socklen_t ml = sizeof mtu;

	if (fd < 0)
		return 0;
	if (dst->ss_family == AF_INET6)
		getsockopt(fd, IPPROTO_IPV6, IPV6_MTU, &mtu, &ml);
	else
		getsockopt(fd, IPPROTO_IP, IP_MTU, &mtu, &ml);
	close(fd);
	/* Loopback's 65536 is reported as 65535, the largest IP packet. */
	if (iface > 65535)
		iface = 65535;
	return iface && mtu > 0 && (unsigned)mtu < iface ? (unsigned)mtu : 0;
}
