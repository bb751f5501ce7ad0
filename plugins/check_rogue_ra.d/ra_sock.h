/* ra_sock: the raw ICMPv6 socket that hears Router Advertisements and
 * sends one Router Solicitation (RFC 4861 6.3.7).
 * ra_sock_open() and ra_sock_open_link() are the privileged steps
 * (CAP_NET_RAW): main() calls them before anything else and drops every
 * capability right after. It sets an
 * ICMP6_FILTER that passes type 134 alone, so the kernel drops everything
 * else before we see it, and asks for the hop limit and the packet info
 * of each packet. Extension headers (hop-by-hop, destination, fragment)
 * are processed by the kernel before a raw socket sees the ICMPv6 message,
 * so RAs that carry them to evade RA-Guard arrive here like any other.
 * A second, link-layer socket (ra_sock_open_link, the same capability)
 * sees the same RAs as frames, with their Ethernet source: the MAC a
 * router really sends from, whatever its link-layer address option says. */
#ifndef RA_SOCK_H
#define RA_SOCK_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Large enough for any IPv6 payload without jumbograms. */
#define RA_PACKET_MAX 65536

struct ra_packet {
	uint8_t data[RA_PACKET_MAX];
	size_t len;	/* bytes kept in data */
	bool truncated; /* the message was longer than data */
	struct in6_addr src;
	int hoplimit;	  /* -1: no IPV6_HOPLIMIT of exactly the right size */
	unsigned ifindex; /* 0: no IPV6_PKTINFO of exactly the right size */
};

/* One frame from the link-layer socket: the IPv6 packet and its source. */
#define RA_FRAME_MAX 2048

struct ra_frame {
	uint8_t data[RA_FRAME_MAX];
	size_t len;
	uint8_t mac[6];
	bool has_mac; /* an Ethernet (6-byte) source */
	unsigned ifindex;
};

/* Opens the socket (non-blocking) with the filter and the control message
 * options. Returns the descriptor, or -1 with errno set and the reason in
 * err. */
int ra_sock_open(char *err, size_t errlen);

/* After the drop: binds to ifname where the kernel lets an unprivileged
 * process (Linux 5.7+; packets from other interfaces are dropped by their
 * packet info anyway), joins all-nodes on it, and makes multicast leave
 * through it with hop limit 255. Returns 0, or -1 with the reason. */
int ra_sock_attach(int fd, const char *ifname, unsigned ifindex, char *err,
		   size_t errlen);

/* Sends one Router Solicitation to all-routers (ff02::2) on ifindex.
 * Returns 0, or -1 with the reason in err. */
int ra_sock_solicit(int fd, unsigned ifindex, char *err, size_t errlen);

/* Reads one waiting packet into p: 1, 0 when none waits, -1 on error. */
int ra_sock_recv(int fd, struct ra_packet *p);

/* A packet socket for IPv6 frames whose filter passes ICMPv6 type 134,
 * directly or behind hop-by-hop or destination options (non-blocking).
 * Returns the descriptor, or -1 with the reason in err. */
int ra_sock_open_link(char *err, size_t errlen);

/* Binds it to ifindex (no privilege needed once open). */
int ra_sock_bind_link(int fd, unsigned ifindex, char *err, size_t errlen);

/* Reads one received frame into f: 1, 0 when none waits, -1 on error. */
int ra_sock_recv_link(int fd, struct ra_frame *f);

#endif
