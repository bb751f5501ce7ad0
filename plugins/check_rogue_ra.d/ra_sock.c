#include "check_rogue_ra.d/ra_sock.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/icmp6.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "log.h"

int ra_sock_open(char *err, size_t errlen)
{
	struct icmp6_filter filter;
	int on = 1;
	int fd = socket(AF_INET6, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
			IPPROTO_ICMPV6);

	if (fd < 0) {
		int e = errno;
		snprintf(err, errlen, "cannot open a raw ICMPv6 socket: %s",
			 strerror(e));
		errno = e;
		return -1;
	}
	ICMP6_FILTER_SETBLOCKALL(&filter);
	ICMP6_FILTER_SETPASS(ND_ROUTER_ADVERT, &filter);
	if (setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &filter,
		       sizeof filter) ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &on, sizeof on) ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &on, sizeof on)) {
		int e = errno;
		snprintf(err, errlen, "cannot set up the ICMPv6 socket: %s",
			 strerror(e));
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

int ra_sock_attach(int fd, const char *ifname, unsigned ifindex, char *err,
		   size_t errlen)
{
	struct ipv6_mreq mreq = {.ipv6mr_interface = ifindex};
	int hops = 255, loop = 0;
	int idx = (int)ifindex;

	if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifname,
		       (socklen_t)strlen(ifname)))
		vlog(3,
		     "SO_BINDTODEVICE %s: %s (packet info filters "
		     "instead)\n",
		     ifname, strerror(errno));
	inet_pton(AF_INET6, "ff02::1", &mreq.ipv6mr_multiaddr);
	if (setsockopt(fd, IPPROTO_IPV6, IPV6_JOIN_GROUP, &mreq, sizeof mreq) &&
	    errno != EADDRINUSE) {
		snprintf(err, errlen, "cannot join ff02::1 on %s: %s", ifname,
			 strerror(errno));
		return -1;
	}
	if (setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &idx, sizeof idx) ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops,
		       sizeof hops) ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, &loop,
		       sizeof loop)) {
		snprintf(err, errlen, "cannot send multicast on %s: %s", ifname,
			 strerror(errno));
		return -1;
	}
	return 0;
}

int ra_sock_solicit(int fd, unsigned ifindex, char *err, size_t errlen)
{
	/* RFC 4861 4.1: type 133, code 0, checksum (the kernel's), reserved.
	 * No source link-layer option: routers answer without it. */
	const uint8_t rs[8] = {ND_ROUTER_SOLICIT, 0, 0, 0, 0, 0, 0, 0};
	struct sockaddr_in6 to = {.sin6_family = AF_INET6,
				  .sin6_scope_id = ifindex};

	inet_pton(AF_INET6, "ff02::2", &to.sin6_addr);
	if (sendto(fd, rs, sizeof rs, 0, (struct sockaddr *)&to, sizeof to) !=
	    (ssize_t)sizeof rs) {
		/* The kernel says EINVAL when it cannot make a neighbor
		 * entry for ff02::2: its table is full. */
		snprintf(err, errlen, "cannot send a Router Solicitation: %s%s",
			 strerror(errno),
			 errno == EINVAL ? " (neighbor table full: a flood?)"
					 : "");
		return -1;
	}
	return 0;
}

/* RFC 3542 6: each control message is taken only when its length is
 * exactly the one its type has; anything else leaves the value unknown. */
static void read_cmsgs(struct msghdr *m, struct ra_packet *p)
{
	for (struct cmsghdr *c = CMSG_FIRSTHDR(m); c; c = CMSG_NXTHDR(m, c)) {
		if (c->cmsg_level != IPPROTO_IPV6)
			continue;
		if (c->cmsg_type == IPV6_HOPLIMIT &&
		    c->cmsg_len == CMSG_LEN(sizeof(int))) {
			int h;
			memcpy(&h, CMSG_DATA(c), sizeof h);
			p->hoplimit = h >= 0 && h <= 255 ? h : -1;
		}
		if (c->cmsg_type == IPV6_PKTINFO &&
		    c->cmsg_len == CMSG_LEN(sizeof(struct in6_pktinfo))) {
			struct in6_pktinfo pi;
			memcpy(&pi, CMSG_DATA(c), sizeof pi);
			p->ifindex = pi.ipi6_ifindex;
		}
	}
}

int ra_sock_recv(int fd, struct ra_packet *p)
{
	struct sockaddr_in6 from;
	union {
		struct cmsghdr align;
		uint8_t b[CMSG_SPACE(sizeof(int)) +
			  CMSG_SPACE(sizeof(struct in6_pktinfo)) + 64];
	} ctl;
	struct iovec iov = {.iov_base = p->data, .iov_len = sizeof p->data};
	struct msghdr m = {.msg_name = &from,
			   .msg_namelen = sizeof from,
			   .msg_iov = &iov,
			   .msg_iovlen = 1,
			   .msg_control = ctl.b,
			   .msg_controllen = sizeof ctl.b};

	ssize_t n = recvmsg(fd, &m, MSG_TRUNC | MSG_DONTWAIT);
	if (n < 0) {
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
			return 0;
		return -1;
	}
	p->truncated = (size_t)n > sizeof p->data || (m.msg_flags & MSG_TRUNC);
	p->len = p->truncated ? sizeof p->data : (size_t)n;
	p->src = from.sin6_addr;
	p->hoplimit = -1;
	p->ifindex = 0;
	if (!(m.msg_flags & MSG_CTRUNC))
		read_cmsgs(&m, p);
	return 1;
}

int ra_sock_open_link(char *err, size_t errlen)
{
	/* Offsets from the IPv6 header (SOCK_DGRAM: no link header). */
	struct sock_filter code[] = {
	    BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 6), /* next header */
	    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 58, 3, 0),
	    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 4, 0),
	    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 60, 3, 0),
	    BPF_STMT(BPF_RET | BPF_K, 0),
	    BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 40), /* ICMPv6 type */
	    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 134, 0, 1),
	    BPF_STMT(BPF_RET | BPF_K, RA_FRAME_MAX),
	    BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_fprog prog = {.len = sizeof code / sizeof code[0],
				  .filter = code};
	int fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
			htons(ETH_P_IPV6));

	if (fd < 0) {
		snprintf(err, errlen, "cannot open a packet socket: %s",
			 strerror(errno));
		return -1;
	}
	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof prog)) {
		snprintf(err, errlen, "cannot filter the packet socket: %s",
			 strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

int ra_sock_bind_link(int fd, unsigned ifindex, char *err, size_t errlen)
{
	struct sockaddr_ll sll = {.sll_family = AF_PACKET,
				  .sll_protocol = htons(ETH_P_IPV6),
				  .sll_ifindex = (int)ifindex};

	if (bind(fd, (struct sockaddr *)&sll, sizeof sll)) {
		snprintf(err, errlen, "cannot bind the packet socket: %s",
			 strerror(errno));
		return -1;
	}
	return 0;
}

int ra_sock_recv_link(int fd, struct ra_frame *f)
{
	struct sockaddr_ll from;
	socklen_t fromlen = sizeof from;
	ssize_t n = recvfrom(fd, f->data, sizeof f->data, MSG_DONTWAIT,
			     (struct sockaddr *)&from, &fromlen);

	if (n < 0) {
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
			return 0;
		return -1;
	}
	f->len = (size_t)n;
	f->ifindex = (unsigned)from.sll_ifindex;
	/* Our own frames (PACKET_OUTGOING) are not RAs anyone sent us. */
	f->has_mac = from.sll_halen == 6 && from.sll_pkttype != PACKET_OUTGOING;
	memcpy(f->mac, from.sll_addr, 6);
	return 1;
}
