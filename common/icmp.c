#include "icmp.h"

/* addr.h brings <net/if.h>, which must come before <linux/icmp.h>. */
#include "addr.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/errqueue.h>
#include <linux/icmp.h>
#include <math.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "deadline.h"

#define ECHO_REQ(fam)  ((fam) == AF_INET6 ? ICMP6_ECHO_REQUEST : ICMP_ECHO)
#define ECHO_REP(fam)  ((fam) == AF_INET6 ? ICMP6_ECHO_REPLY : ICMP_ECHOREPLY)
#define IPHDR_LEN(fam) ((fam) == AF_INET6 ? 40u : 20u)
#define BUF_LEN	       (ICMP_MAX_SIZE + 512)
#define DRAIN_MAX      256

struct icmp_sock {
	int fd, family;
	enum icmp_kind kind;
	uint16_t ident; /* raw sockets only: ping sockets get the kernel's */
	uint16_t next_seq;
	unsigned long sent;
	struct icmp_probe *pending;
	struct icmp_probe *finished; /* outcome set, done() not called yet */
	struct icmp_probe *sending;  /* owner of a local error during sendto */
	struct loop *loop;
	uint8_t *buf;
};

/* Short enough for the first line (200 characters with the label). */
static const char *const ping_hint =
    "sysctl net.ipv4.ping_group_range excludes this group and a raw socket "
    "needs CAP_NET_RAW (setcap cap_net_raw+ep on the plugin)";

static int set_opts(struct icmp_sock *s)
{
	int one = 1;

	if (s->family == AF_INET) {
		int probe = IP_PMTUDISC_PROBE;
		if (setsockopt(s->fd, IPPROTO_IP, IP_MTU_DISCOVER, &probe,
			       sizeof probe) ||
		    setsockopt(s->fd, IPPROTO_IP, IP_RECVERR, &one, sizeof one))
			return -1;
		if (s->kind == ICMP_KIND_RAW) {
			/* ICMP_FILTER lists the types to drop: keep only echo
			 * replies; errors still reach the error queue. */
			struct icmp_filter f = {~(1u << ICMP_ECHOREPLY)};
			if (setsockopt(s->fd, SOL_RAW, ICMP_FILTER, &f,
				       sizeof f))
				return -1;
		}
		return 0;
	}
	int probe = IPV6_PMTUDISC_PROBE;
	if (setsockopt(s->fd, IPPROTO_IPV6, IPV6_MTU_DISCOVER, &probe,
		       sizeof probe) ||
	    setsockopt(s->fd, IPPROTO_IPV6, IPV6_DONTFRAG, &one, sizeof one) ||
	    setsockopt(s->fd, IPPROTO_IPV6, IPV6_RECVERR, &one, sizeof one))
		return -1;
	if (s->kind == ICMP_KIND_RAW) {
		struct icmp6_filter f;
		ICMP6_FILTER_SETBLOCKALL(&f);
		ICMP6_FILTER_SETPASS(ICMP6_ECHO_REPLY, &f);
		if (setsockopt(s->fd, IPPROTO_ICMPV6, ICMP6_FILTER, &f,
			       sizeof f))
			return -1;
	}
	return 0;
}

struct icmp_sock *icmp_open(int family, char *err, size_t errlen)
{
	int proto = family == AF_INET6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;
	int flags = SOCK_NONBLOCK | SOCK_CLOEXEC;
	struct icmp_sock *s = calloc(1, sizeof *s);

	if (family != AF_INET && family != AF_INET6) {
		snprintf(err, errlen, "address family %d is not IP", family);
		free(s);
		return NULL;
	}
	if (!s || !(s->buf = malloc(BUF_LEN))) {
		snprintf(err, errlen, "out of memory");
		free(s);
		return NULL;
	}
	s->family = family;
	s->kind = ICMP_KIND_PING;
	s->fd = socket(family, SOCK_DGRAM | flags, proto);
	if (s->fd < 0) {
		s->kind = ICMP_KIND_RAW;
		s->fd = socket(family, SOCK_RAW | flags, proto);
	}
	if (s->fd < 0) {
		int e = errno;
		if (e == EPERM || e == EACCES)
			snprintf(err, errlen, "no %s echo socket: %s",
				 addr_family_name(family), ping_hint);
		else
			snprintf(err, errlen, "no %s echo socket: %s",
				 addr_family_name(family), strerror(e));
		free(s->buf);
		free(s);
		return NULL;
	}
	if (set_opts(s)) {
		snprintf(err, errlen, "cannot set %s socket options: %s",
			 addr_family_name(family), strerror(errno));
		icmp_close(s);
		return NULL;
	}
	if (getrandom(&s->ident, sizeof s->ident, GRND_NONBLOCK) < 0)
		s->ident = (uint16_t)getpid();
	if (getrandom(&s->next_seq, sizeof s->next_seq, GRND_NONBLOCK) < 0)
		s->next_seq = 1;
	return s;
}

int icmp_bind_fd(int fd, int family, const struct sockaddr_storage *src,
		 const char *iface, char *err, size_t errlen)
{
	char a[ADDR_STRLEN];

	if (src && src->ss_family == family) {
		struct sockaddr_storage b = *src;
		addr_set_port((struct sockaddr *)&b, 0);
		if (bind(fd, (struct sockaddr *)&b, addr_len(family))) {
			snprintf(err, errlen, "--source %s: %s",
				 addr_format((const struct sockaddr *)src, a,
					     sizeof a),
				 strerror(errno));
			return -1;
		}
	}
	if (!iface || !iface[0])
		return 0;
	unsigned idx = if_nametoindex(iface);
	if (!idx) {
		snprintf(err, errlen, "--interface %s: %s", iface,
			 strerror(errno));
		return -1;
	}
	if (!setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, iface,
			(socklen_t)strlen(iface) + 1))
		return 0;
	int e = errno, type = 0;
	socklen_t tl = sizeof type;
	getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &tl);
	/* IP_UNICAST_IF steers datagrams only: a TCP connect ignores it. */
	if (e == EPERM && type != SOCK_STREAM) {
		/* IP_UNICAST_IF takes the index in network byte order. */
		uint32_t v4 = htonl(idx);
		int v6 = (int)idx;
		if (family == AF_INET
			? !setsockopt(fd, IPPROTO_IP, IP_UNICAST_IF, &v4,
				      sizeof v4)
			: !setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_IF, &v6,
				      sizeof v6))
			return 0;
	}
	snprintf(err, errlen, "--interface %s: %s%s", iface, strerror(e),
		 e != EPERM ? ""
		 : type == SOCK_STREAM
		     ? " (SO_BINDTODEVICE needs CAP_NET_RAW on this kernel, "
		       "Linux before 5.7)"
		     : " (SO_BINDTODEVICE needs CAP_NET_RAW on this kernel, "
		       "Linux before 5.7, and IP_UNICAST_IF was refused too)");
	return -1;
}

int icmp_bind(struct icmp_sock *s, const struct sockaddr_storage *src,
	      const char *iface, char *err, size_t errlen)
{
	return icmp_bind_fd(s->fd, s->family, src, iface, err, errlen);
}

int icmp_family(const struct icmp_sock *s)
{
	return s->family;
}

enum icmp_kind icmp_kind(const struct icmp_sock *s)
{
	return s->kind;
}

const char *icmp_kind_name(const struct icmp_sock *s)
{
	return s->kind == ICMP_KIND_PING ? "ping socket" : "raw socket";
}

unsigned long icmp_sent(const struct icmp_sock *s)
{
	return s->sent;
}

/* Takes p off the pending list and sets its outcome. The caller hears of
 * it from deliver(), on the loop's turn: never from inside icmp_send() or
 * while this socket's queues are being read (STYLE habit 19). */
static void complete(struct icmp_sock *s, struct icmp_probe *p,
		     enum icmp_outcome o)
{
	for (struct icmp_probe **pp = &s->pending; *pp; pp = &(*pp)->next)
		if (*pp == p) {
			*pp = p->next;
			break;
		}
	p->outcome = o;
	if (o == ICMP_REPLY || o == ICMP_ERROR)
		p->rtt_s = mono_now_s() - p->sent_s;
	/* In order of completion: the list's tail gets p. */
	struct icmp_probe **tail = &s->finished;
	while (*tail)
		tail = &(*tail)->next;
	p->next = NULL;
	*tail = p;
}

/* Calls done() for every finished probe, oldest first. A callback may
 * send p or others again: each probe is unlinked before its call. */
static void deliver(struct icmp_sock *s)
{
	while (s->finished) {
		struct icmp_probe *p = s->finished;
		s->finished = p->next;
		p->next = NULL;
		if (p->done)
			p->done(p);
	}
}

static double expiry(const struct icmp_probe *p)
{
	return p->sent_s + (double)p->timeout_ms / 1000;
}

static long timer_next(void *arg)
{
	struct icmp_sock *s = arg;
	double now = mono_now_s(), first = INFINITY;

	for (struct icmp_probe *p = s->pending; p; p = p->next)
		if (expiry(p) < first)
			first = expiry(p);
	if (s->finished)
		return 0; /* completions to deliver on this turn */
	if (first == INFINITY)
		return -1;
	return first <= now ? 0 : (long)((first - now) * 1000 + 0.999);
}

static void timer_fire(void *arg)
{
	struct icmp_sock *s = arg;
	double now = mono_now_s();
	struct icmp_probe **pp = &s->pending;

	while (*pp) {
		struct icmp_probe *p = *pp;
		if (expiry(p) <= now)
			complete(s, p,
				 ICMP_TIMEOUT); /* unlinks p: *pp moves on */
		else
			pp = &p->next;
	}
	deliver(s);
}

static bool same_addr(const struct sockaddr_storage *a,
		      const struct sockaddr_storage *b)
{
	if (a->ss_family != b->ss_family)
		return false;
	if (a->ss_family == AF_INET6)
		return !memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
			       &((const struct sockaddr_in6 *)b)->sin6_addr,
			       sizeof(struct in6_addr));
	return ((const struct sockaddr_in *)a)->sin_addr.s_addr ==
	       ((const struct sockaddr_in *)b)->sin_addr.s_addr;
}

/* Ping sockets rewrite the identifier and deliver only their own replies
 * and errors; a raw socket sees everyone's, so it checks ours. */
static struct icmp_probe *match(struct icmp_sock *s, uint16_t id, uint16_t seq,
				const struct sockaddr_storage *peer)
{
	if (s->kind == ICMP_KIND_RAW && id != s->ident)
		return NULL;
	for (struct icmp_probe *p = s->pending; p; p = p->next)
		if (p->seq == seq && (!peer || same_addr(&p->dst, peer)))
			return p;
	return NULL;
}

static void read_replies(struct icmp_sock *s)
{
	for (int i = 0; i < DRAIN_MAX; i++) {
		struct sockaddr_storage from;
		socklen_t fromlen = sizeof from;
		ssize_t n = recvfrom(s->fd, s->buf, BUF_LEN, MSG_DONTWAIT,
				     (struct sockaddr *)&from, &fromlen);
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return;
			continue; /* a pending socket error: the queue has it */
		}
		uint16_t id, seq;
		size_t len;
		if (icmp_parse_reply(s->family, s->kind, s->buf, (size_t)n, &id,
				     &seq, &len))
			continue;
		struct icmp_probe *p = match(s, id, seq, &from);
		/* A reply shorter than the request was cut somewhere: not an
		 * answer to this size. */
		if (!p || len + IPHDR_LEN(s->family) < p->size)
			continue;
		p->from = from;
		complete(s, p, ICMP_REPLY);
	}
}

static void clear_sk_err(int fd)
{
	int e;
	socklen_t el = sizeof e;
	getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &el);
}

static void read_errors(struct icmp_sock *s)
{
	for (int i = 0; i < DRAIN_MAX; i++) {
		char cbuf[512];
		struct sockaddr_storage dst;
		struct iovec iov = {s->buf, BUF_LEN};
		struct msghdr m = {.msg_name = &dst,
				   .msg_namelen = sizeof dst,
				   .msg_iov = &iov,
				   .msg_iovlen = 1,
				   .msg_control = cbuf,
				   .msg_controllen = sizeof cbuf};
		ssize_t n = recvmsg(s->fd, &m, MSG_ERRQUEUE | MSG_DONTWAIT);
		if (n < 0)
			break;
		const struct sock_extended_err *ee = NULL;
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c;
		     c = CMSG_NXTHDR(&m, c))
			if ((c->cmsg_level == SOL_IP &&
			     c->cmsg_type == IP_RECVERR) ||
			    (c->cmsg_level == SOL_IPV6 &&
			     c->cmsg_type == IPV6_RECVERR))
				if (c->cmsg_len >= CMSG_LEN(sizeof *ee))
					ee = (const void *)CMSG_DATA(c);
		if (!ee)
			continue;
		struct icmp_probe *p = NULL;
		if (ee->ee_origin == SO_EE_ORIGIN_LOCAL) {
			p = s->sending;
		} else if (ee->ee_origin == SO_EE_ORIGIN_ICMP ||
			   ee->ee_origin == SO_EE_ORIGIN_ICMP6) {
			uint16_t id, seq;
			if (!icmp_parse_quoted(s->family, s->buf, (size_t)n,
					       &id, &seq))
				p = match(s, id, seq,
					  m.msg_namelen ? &dst : NULL);
		}
		if (!p)
			continue;
		p->local = ee->ee_origin == SO_EE_ORIGIN_LOCAL;
		p->type = p->local ? 0 : ee->ee_type;
		p->code = p->local ? 0 : ee->ee_code;
		p->errnum = (int)ee->ee_errno;
		p->mtu = (p->local || icmp_is_too_big(p)) ? ee->ee_info : 0;
		memset(&p->from, 0, sizeof p->from);
		const struct sockaddr *off = SO_EE_OFFENDER(ee);
		size_t offlen = m.msg_controllen - ((const char *)off - cbuf);
		if (!p->local && off->sa_family == s->family &&
		    offlen >= addr_len(s->family))
			memcpy(&p->from, off, addr_len(s->family));
		if (p == s->sending)
			s->sending = NULL; /* icmp_send() completes it */
		else
			complete(s, p, ICMP_ERROR);
	}
	clear_sk_err(s->fd);
}

static void on_ready(int fd, short revents, void *arg)
{
	struct icmp_sock *s = arg;

	(void)fd;
	(void)revents;
	/* Errors first: a Packet Too Big may sit in the queue next to a
	 * reply to a smaller probe. */
	read_errors(s);
	read_replies(s);
	deliver(s);
}

int icmp_attach(struct icmp_sock *s, struct loop *l)
{
	s->loop = l;
	if (loop_watch(l, s->fd, POLLIN, on_ready, s))
		return -1;
	return loop_add_timer(l, timer_next, timer_fire, s);
}

static size_t build(struct icmp_sock *s, const struct icmp_probe *p)
{
	size_t len = p->size - IPHDR_LEN(s->family);
	uint8_t *b = s->buf;

	b[0] = (uint8_t)ECHO_REQ(s->family);
	b[1] = 0;
	b[2] = b[3] = 0;
	b[4] = (uint8_t)(s->ident >> 8);
	b[5] = (uint8_t)s->ident;
	b[6] = (uint8_t)(p->seq >> 8);
	b[7] = (uint8_t)p->seq;
	for (size_t i = 8; i < len; i++)
		b[i] = (uint8_t)i;
	/* The kernel sums ICMPv6 (pseudo-header) and ping sockets; a raw
	 * IPv4 socket leaves it to us. */
	if (s->family == AF_INET && s->kind == ICMP_KIND_RAW) {
		uint16_t sum = icmp_checksum(b, len);
		memcpy(b + 2, &sum, 2);
	}
	return len;
}

int icmp_send(struct icmp_sock *s, struct icmp_probe *p)
{
	unsigned size = p->size ? p->size : ICMP_DEFAULT_SIZE(s->family);

	p->size = size;
	p->outcome = ICMP_PENDING;
	p->rtt_s = 0;
	p->type = p->code = p->errnum = 0;
	p->mtu = 0;
	p->local = false;
	p->sock = s;
	memset(&p->from, 0, sizeof p->from);
	p->seq = s->next_seq++;
	p->sent_s = mono_now_s();
	if (size < ICMP_MIN_SIZE(s->family) || size > ICMP_MAX_SIZE ||
	    p->dst.ss_family != s->family) {
		p->errnum = EINVAL;
		complete(s, p, ICMP_SEND_FAILED);
		return -1;
	}
	size_t len = build(s, p);
	/* An earlier asynchronous error would otherwise fail this send. */
	clear_sk_err(s->fd);
	s->sending = p;
	ssize_t n = sendto(s->fd, s->buf, len, 0, (struct sockaddr *)&p->dst,
			   addr_len(s->family));
	int e = errno;
	s->sent++;
	if (n == (ssize_t)len) {
		s->sending = NULL;
		p->next = s->pending;
		s->pending = p;
		return 0;
	}
	if (e == EMSGSIZE) {
		/* The local error's entry carries the interface MTU. */
		read_errors(s);
		s->sending = NULL;
		p->local = true;
		p->errnum = EMSGSIZE;
		complete(s, p, ICMP_ERROR);
		return -1;
	}
	s->sending = NULL;
	p->errnum = n < 0 ? e : EMSGSIZE;
	complete(s, p, ICMP_SEND_FAILED);
	return -1;
}

bool icmp_idle(void *arg)
{
	const struct icmp_sock *s = arg;
	return s->pending == NULL && s->finished == NULL;
}

void icmp_finish(struct icmp_sock *s)
{
	while (s->pending)
		complete(s, s->pending, ICMP_TIMEOUT);
	deliver(s);
}

void icmp_close(struct icmp_sock *s)
{
	if (!s)
		return;
	icmp_finish(s);
	if (s->loop) {
		loop_watch(s->loop, s->fd, 0, NULL, NULL);
		loop_del_timer(s->loop, s);
	}
	if (s->fd >= 0)
		close(s->fd);
	free(s->buf);
	free(s);
}

bool icmp_is_too_big(const struct icmp_probe *p)
{
	if (p->outcome != ICMP_ERROR && p->outcome != ICMP_PENDING)
		return false;
	if (p->local)
		return p->errnum == EMSGSIZE;
	if (p->dst.ss_family == AF_INET6)
		return p->type == ICMP6_PACKET_TOO_BIG;
	return p->type == ICMP_DEST_UNREACH && p->code == ICMP_FRAG_NEEDED;
}

/* Destination unreachable codes: RFC 792 and RFC 1812 5.2.7.1 for IPv4,
 * RFC 4443 3.1 for ICMPv6. */
const char *icmp_unreach_name(int family, int code)
{
	static const char *const v4[] = {
	    "network unreachable",	 "host unreachable",
	    "protocol unreachable",	 "port unreachable",
	    "fragmentation needed",	 "source route failed",
	    "network unknown",		 "host unknown",
	    "source host isolated",	 "network prohibited",
	    "host prohibited",		 "network unreachable for TOS",
	    "host unreachable for TOS",	 "administratively prohibited",
	    "host precedence violation", "precedence cutoff"};
	static const char *const v6[] = {"no route to destination",
					 "administratively prohibited",
					 "beyond scope of source address",
					 "address unreachable",
					 "port unreachable",
					 "source address failed policy",
					 "reject route to destination"};

	if (family == AF_INET6)
		return code >= 0 && code < 7 ? v6[code] : "code unknown";
	return code >= 0 && code < 16 ? v4[code] : "code unknown";
}

static const char *error_words(const struct icmp_probe *p, char *b, size_t n)
{
	bool v6 = p->dst.ss_family == AF_INET6;

	if (icmp_is_too_big(p)) {
		if (p->mtu)
			snprintf(b, n, "%s (MTU %u)",
				 v6 ? "Packet Too Big" : "fragmentation needed",
				 p->mtu);
		else
			snprintf(b, n, "%s (no MTU given)",
				 v6 ? "Packet Too Big"
				    : "fragmentation needed");
	} else if (v6 && p->type == ICMP6_DST_UNREACH) {
		snprintf(b, n, "destination unreachable (%s)",
			 icmp_unreach_name(AF_INET6, p->code));
	} else if (!v6 && p->type == ICMP_DEST_UNREACH) {
		snprintf(b, n, "destination unreachable (%s)",
			 icmp_unreach_name(AF_INET, p->code));
	} else if ((v6 && p->type == ICMP6_TIME_EXCEEDED) ||
		   (!v6 && p->type == ICMP_TIME_EXCEEDED)) {
		snprintf(b, n, "time exceeded");
	} else if ((v6 && p->type == ICMP6_PARAM_PROB) ||
		   (!v6 && p->type == ICMP_PARAMETERPROB)) {
		snprintf(b, n, "parameter problem");
	} else {
		snprintf(b, n, "ICMP%s type %d code %d", v6 ? "v6" : "",
			 p->type, p->code);
	}
	return b;
}

const char *icmp_outcome_text(const struct icmp_probe *p, char *buf, size_t len)
{
	char a[ADDR_STRLEN], w[96];

	switch (p->outcome) {
	case ICMP_PENDING:
		snprintf(buf, len, "pending");
		break;
	case ICMP_REPLY:
		snprintf(buf, len, "reply in %.1f ms", p->rtt_s * 1000);
		break;
	case ICMP_TIMEOUT:
		snprintf(buf, len, "no reply");
		break;
	case ICMP_SEND_FAILED:
		snprintf(buf, len, "cannot send: %s", strerror(p->errnum));
		break;
	case ICMP_ERROR:
		if (p->local && p->errnum == EMSGSIZE)
			snprintf(buf, len,
				 "larger than the outgoing interface's "
				 "MTU (%u)",
				 p->mtu);
		else if (p->local)
			snprintf(buf, len, "local error: %s",
				 strerror(p->errnum));
		else if (p->from.ss_family)
			snprintf(buf, len, "%s from %s",
				 error_words(p, w, sizeof w),
				 addr_format((const struct sockaddr *)&p->from,
					     a, sizeof a));
		else
			snprintf(buf, len, "%s", error_words(p, w, sizeof w));
		break;
	}
	return buf;
}

uint16_t icmp_checksum(const void *data, size_t len)
{
	const uint8_t *b = data;
	uint32_t sum = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)b[i] << 8 | b[i + 1];
	if (len & 1)
		sum += (uint32_t)b[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	uint16_t r = (uint16_t)~sum;
	/* back to network order as stored in the packet */
	uint8_t out[2] = {(uint8_t)(r >> 8), (uint8_t)r};
	memcpy(&r, out, 2);
	return r;
}

static int parse_echo(const uint8_t *b, size_t n, int type, uint16_t *id,
		      uint16_t *seq)
{
	if (n < 8 || b[0] != type || b[1] != 0)
		return -1;
	*id = (uint16_t)(b[4] << 8 | b[5]);
	*seq = (uint16_t)(b[6] << 8 | b[7]);
	return 0;
}

int icmp_parse_reply(int family, enum icmp_kind kind, const uint8_t *pkt,
		     size_t n, uint16_t *id, uint16_t *seq, size_t *len)
{
	if (family == AF_INET && kind == ICMP_KIND_RAW) {
		/* IPv4 header: version 4, IHL >= 5 words, ICMP, not a
		 * fragment; total length must fit what we got. */
		if (n < 20 || pkt[0] >> 4 != 4 || (pkt[0] & 0xf) < 5 ||
		    pkt[9] != IPPROTO_ICMP || (pkt[6] & 0x3f) || pkt[7])
			return -1;
		size_t ihl = (size_t)(pkt[0] & 0xf) * 4;
		size_t total = (size_t)(pkt[2] << 8 | pkt[3]);
		if (ihl > n || total < ihl || total > n)
			return -1;
		pkt += ihl;
		n = total - ihl;
	}
	if (parse_echo(pkt, n, ECHO_REP(family), id, seq))
		return -1;
	*len = n;
	return 0;
}

int icmp_parse_quoted(int family, const uint8_t *pkt, size_t n, uint16_t *id,
		      uint16_t *seq)
{
	return parse_echo(pkt, n, ECHO_REQ(family), id, seq);
}
