/* icmp: ICMP and ICMPv6 echo requests of a chosen size, with don't-fragment,
 * driven by the shared poll loop (common/loop.h). One socket per family
 * carries any number of probes to any number of destinations at once.
 *
 * Socket: an unprivileged datagram ping socket (SOCK_DGRAM, IPPROTO_ICMP /
 * IPPROTO_ICMPV6) where net.ipv4.ping_group_range admits our group (it
 * governs both families), else a raw socket, which needs CAP_NET_RAW: call
 * icmp_open() first in main(), then priv_drop() (STYLE habit 10).
 *
 * Don't-fragment: IP_MTU_DISCOVER = IP_PMTUDISC_PROBE, IPV6_MTU_DISCOVER =
 * IPV6_PMTUDISC_PROBE and IPV6_DONTFRAG. PROBE sets DF but makes the kernel
 * size packets by the interface MTU, not by a path MTU it cached from an
 * earlier Packet Too Big, so every probe really goes on the wire and a stale
 * cache cannot answer for the path. Only a probe larger than the outgoing
 * interface's MTU fails locally (ICMP_ERROR with local = true, mtu = that
 * interface MTU).
 *
 * Errors: IP_RECVERR / IPV6_RECVERR; Packet Too Big, fragmentation needed,
 * unreachable and time exceeded are read from the error queue (MSG_ERRQUEUE)
 * with the router that sent them (SO_EE_OFFENDER) and the announced MTU, and
 * matched to their probe by the echo identifier and sequence number quoted
 * in them. */
#ifndef V6OPS_ICMP_H
#define V6OPS_ICMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "loop.h"

enum icmp_outcome {
	ICMP_PENDING = 0,
	ICMP_REPLY,	  /* echo reply from the destination */
	ICMP_ERROR,	  /* an ICMP error about the probe, or a local one */
	ICMP_TIMEOUT,	  /* nothing within timeout_ms, or icmp_finish() */
	ICMP_SEND_FAILED, /* sendto() refused for another reason: errnum */
};

enum icmp_kind {
	ICMP_KIND_PING = 1, /* unprivileged datagram ping socket */
	ICMP_KIND_RAW,	    /* raw socket (CAP_NET_RAW) */
};

/* Smallest and largest whole-packet sizes a probe may ask for. */
#define ICMP_MIN_SIZE(family) ((family) == AF_INET6 ? 48u : 28u)
#define ICMP_MAX_SIZE	      65535u
/* ping(8)'s default: 56 data bytes. */
#define ICMP_DEFAULT_SIZE(family) ((family) == AF_INET6 ? 104u : 84u)

struct icmp_probe {
	/* set by the caller before icmp_send() */
	struct sockaddr_storage dst; /* the family must be the socket's */
	unsigned size;	 /* the whole IP packet in bytes: IPv6 (40) or IPv4
			  * (20) header + ICMP header (8) + data; 0: default */
	long timeout_ms; /* counted from the send; may be changed while
			  * pending (e.g. lowered once an RTT is known) */
	void (*done)(struct icmp_probe *p); /* optional: called once, when
					     * the outcome is set */
	void *arg;			    /* for the caller, e.g. in done() */

	/* results */
	enum icmp_outcome outcome;
	uint16_t seq;	/* echo sequence number used */
	double sent_s;	/* mono_now_s() at the send */
	double rtt_s;	/* REPLY: round trip; ERROR: time until the error */
	int type, code; /* ERROR: ICMP / ICMPv6 type and code of the error
			 * (0, 0 for a local error) */
	unsigned mtu;	/* ERROR: the MTU announced by a Packet Too Big or
			 * fragmentation needed (0 when it announced none), or
			 * the interface MTU for a local EMSGSIZE */
	bool local;	/* ERROR: raised by this host's kernel, not the path */
	int errnum;	/* ERROR / SEND_FAILED: the errno the kernel gave */
	struct sockaddr_storage from; /* REPLY: who answered; ERROR: the
				       * router or host that sent the error
				       * (AF_UNSPEC when unknown or local) */

	/* private */
	struct icmp_probe *next;
	struct icmp_sock *sock;
};

struct icmp_sock;

/* Opens an echo socket for family (AF_INET or AF_INET6): a ping socket if
 * allowed, else a raw socket. NULL on failure with the reason in err. Needs
 * no loop yet, so it can run before options are parsed. */
struct icmp_sock *icmp_open(int family, char *err, size_t errlen);

/* --source and --interface for any socket fd of family: binds it to src
 * (when its family is family; port 0) and sends through iface (when not
 * NULL or ""): SO_BINDTODEVICE, or where the kernel refuses that to a
 * process without CAP_NET_RAW (Linux before 5.7) and fd is not a TCP
 * socket, IP_UNICAST_IF / IPV6_UNICAST_IF, which steer what is sent and
 * need no privilege.
 * Returns 0, or -1 with the reason in err. */
int icmp_bind_fd(int fd, int family, const struct sockaddr_storage *src,
		 const char *iface, char *err, size_t errlen);

/* icmp_bind_fd() for the echo socket: after opt_parse(), since the socket
 * is opened before the options are read. */
int icmp_bind(struct icmp_sock *s, const struct sockaddr_storage *src,
	      const char *iface, char *err, size_t errlen);

/* Watches the socket on l and times probes out through l's timers. Returns
 * 0, or -1 when l has no room. Call once before the first icmp_send(). */
int icmp_attach(struct icmp_sock *s, struct loop *l);

/* Sends one echo request for p (p->dst, p->size). Returns 0 when it is on
 * its way (outcome ICMP_PENDING), or -1 when the outcome is already set
 * (ICMP_ERROR with local = true, or ICMP_SEND_FAILED). done() is called in
 * every case, always from the loop (its next turn for an immediate
 * failure), never from inside icmp_send(). p must stay valid until done()
 * ran; it may be sent again (a retry) after that, with a new sequence
 * number. */
int icmp_send(struct icmp_sock *s, struct icmp_probe *p);

/* True when no probe is pending on s. Suitable for loop_run(). */
bool icmp_idle(void *s);

/* Marks every pending probe ICMP_TIMEOUT (e.g. the deadline passed) and
 * calls their done(). */
void icmp_finish(struct icmp_sock *s);

/* Closes the socket; pending probes become ICMP_TIMEOUT first. NULL is
 * fine. */
void icmp_close(struct icmp_sock *s);

int icmp_family(const struct icmp_sock *s);
enum icmp_kind icmp_kind(const struct icmp_sock *s);
/* "ping socket" or "raw socket". */
const char *icmp_kind_name(const struct icmp_sock *s);
/* Echo requests sent on s so far (retries included). */
unsigned long icmp_sent(const struct icmp_sock *s);

/* True for an ICMP_ERROR that says "too big": ICMPv6 Packet Too Big,
 * ICMP fragmentation needed, or a local EMSGSIZE. */
bool icmp_is_too_big(const struct icmp_probe *p);

/* The outcome in an operator's words, e.g. "reply in 0.4 ms",
 * "Packet Too Big (MTU 1280) from 2001:db8:b::1",
 * "destination unreachable (address unreachable) from 2001:db8:b::1",
 * "message too long for the outgoing interface (MTU 1500)", "no reply". */
const char *icmp_outcome_text(const struct icmp_probe *p, char *buf,
			      size_t len);

/* Pure helpers, exposed for unit tests. */

/* RFC 1071 Internet checksum of len bytes. */
uint16_t icmp_checksum(const void *data, size_t len);

/* Parses an echo reply as received on a socket of family and kind: from a
 * raw IPv4 socket the bytes start with the IPv4 header, otherwise with the
 * ICMP header. Returns 0 and sets *id, *seq and *len (ICMP bytes: header and
 * data) for a well-formed echo reply, -1 for anything else. */
int icmp_parse_reply(int family, enum icmp_kind kind, const uint8_t *pkt,
		     size_t n, uint16_t *id, uint16_t *seq, size_t *len);

/* Parses the quoted ICMP header of an error-queue entry (the bytes of our
 * own echo request as the error quoted it). Returns 0 and sets *id, *seq
 * when it is an echo request of family, -1 otherwise. */
int icmp_parse_quoted(int family, const uint8_t *pkt, size_t n, uint16_t *id,
		      uint16_t *seq);

/* The words for a destination unreachable code of family ("host
 * unreachable", "address unreachable", ...), "code unknown" otherwise. */
const char *icmp_unreach_name(int family, int code);

#endif
