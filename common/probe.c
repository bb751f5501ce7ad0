/* probe: non-blocking TCP connects driven by the shared poll loop; see
 * probe.h. A failed connect is read twice: SO_ERROR gives the errno, and
 * the socket's error queue (IP_RECVERR / IPV6_RECVERR, which TCP fills in
 * SYN-SENT) gives the ICMP type, code and sender behind it. */
#include "probe.h"

#include <errno.h>
#include <linux/errqueue.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "addr.h"
#include "deadline.h"
#include "icmp.h"
#include "log.h"
#include "num.h"

struct probe_set {
	struct loop *loop;
	long timeout_ms;
	size_t max;
	struct sockaddr_storage source4, source6;
	char iface[IF_NAMESIZE];
	struct probe **active; /* max slots, nactive used */
	size_t nactive;
	struct probe **queue; /* FIFO: queue[qhead..nqueue) wait */
	size_t qhead, nqueue, qcap;
	struct probe **own; /* made by probe_get() */
	size_t nown;
	struct probe_echo *echo;    /* NULL: no echoes */
	struct icmp_probe **echoes; /* every echo sent, freed with the set */
	size_t nechoes, echoes_pending;
};

static void pump(struct probe_set *s);

static void drop_active(struct probe_set *s, struct probe *p)
{
	for (size_t i = 0; i < s->nactive; i++)
		if (s->active[i] == p) {
			s->active[i] = s->active[--s->nactive];
			break;
		}
}

static void close_probe(struct probe_set *s, struct probe *p)
{
	if (p->fd < 0)
		return;
	(void)loop_watch(s->loop, p->fd, 0, NULL, NULL);
	close(p->fd);
	p->fd = -1;
}

static void conclude(struct probe *p, enum probe_outcome o, int err)
{
	p->outcome = o;
	p->err = err;
	p->elapsed_s = mono_now_s() - p->started_s;
}

/* The ICMP error behind a failed connect, when one arrived. */
static void read_errqueue(struct probe *p)
{
	char cbuf[512];
	struct msghdr msg = {.msg_control = cbuf,
			     .msg_controllen = sizeof cbuf};

	if (recvmsg(p->fd, &msg, MSG_ERRQUEUE | MSG_DONTWAIT) < 0)
		return;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c;
	     c = CMSG_NXTHDR(&msg, c)) {
		bool v4 = c->cmsg_level == SOL_IP && c->cmsg_type == IP_RECVERR;
		bool v6 =
		    c->cmsg_level == SOL_IPV6 && c->cmsg_type == IPV6_RECVERR;
		if (!(v4 || v6) ||
		    c->cmsg_len < CMSG_LEN(sizeof(struct sock_extended_err)))
			continue;
		struct sock_extended_err ee;
		memcpy(&ee, CMSG_DATA(c), sizeof ee);
		if (ee.ee_origin != SO_EE_ORIGIN_ICMP &&
		    ee.ee_origin != SO_EE_ORIGIN_ICMP6)
			continue;
		p->icmp_type = ee.ee_type;
		p->icmp_code = ee.ee_code;
		/* The offender follows the extended error in the same cmsg. */
		size_t room = c->cmsg_len - CMSG_LEN(sizeof ee);
		const unsigned char *off = CMSG_DATA(c) + sizeof ee;
		sa_family_t fam;
		if (room < sizeof fam)
			continue;
		memcpy(&fam, off, sizeof fam);
		socklen_t want =
		    fam == AF_INET || fam == AF_INET6 ? addr_len(fam) : 0;
		if (want && room >= want)
			memcpy(&p->offender, off, want);
	}
}

static enum probe_outcome classify(int err)
{
	switch (err) {
	case 0:
		return PROBE_ANSWERED;
	case ECONNREFUSED:
	case ECONNRESET:
		return PROBE_REFUSED;
	case ETIMEDOUT:
		return PROBE_TIMEOUT;
	default:
		return PROBE_UNREACHABLE;
	}
}

static void complete(struct probe_set *s, struct probe *p, int err)
{
	conclude(p, classify(err), err);
	if (err)
		read_errqueue(p);
	close_probe(s, p);
	drop_active(s, p);
	pump(s);
}

static void on_fd(int fd, short revents, void *arg)
{
	struct probe *p = arg;
	int err = 0;
	socklen_t len = sizeof err;

	(void)revents;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		err = errno;
	complete(p->set, p, err);
}

/* --interface, --source: the device and the address a probe leaves by. */
static int bind_local(const struct probe_set *s, int fd, int fam)
{
	const struct sockaddr_storage *src =
	    fam == AF_INET6 ? &s->source6 : &s->source4;

	if (s->iface[0] && setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, s->iface,
				      (socklen_t)strlen(s->iface)))
		return -1;
	if (src->ss_family == fam &&
	    bind(fd, (const struct sockaddr *)src, addr_len(fam)))
		return -1;
	return 0;
}

/* Opens and connects; the outcome may be known at once (a local route
 * failure), else the socket joins the active set. */
static void start(struct probe_set *s, struct probe *p)
{
	int fam = p->sa.ss_family;
	int on = 1;

	p->started_s = mono_now_s();
	p->fd = socket(fam, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (p->fd < 0) {
		conclude(p, PROBE_ERROR, errno);
		return;
	}
	if (fam == AF_INET6)
		(void)setsockopt(p->fd, SOL_IPV6, IPV6_RECVERR, &on, sizeof on);
	else
		(void)setsockopt(p->fd, SOL_IP, IP_RECVERR, &on, sizeof on);
	if (bind_local(s, p->fd, fam) < 0) {
		conclude(p, PROBE_ERROR, errno);
		close_probe(s, p);
		return;
	}
	int rc = connect(p->fd, (const struct sockaddr *)&p->sa, addr_len(fam));
	if (rc == 0 || errno != EINPROGRESS) {
		int err = rc == 0 ? 0 : errno;
		conclude(p, classify(err), err);
		if (err)
			read_errqueue(p);
		close_probe(s, p);
		return;
	}
	if (loop_watch(s->loop, p->fd, POLLOUT, on_fd, p) < 0) {
		conclude(p, PROBE_ERROR, ENOMEM);
		close_probe(s, p);
		return;
	}
	s->active[s->nactive++] = p;
}

static void pump(struct probe_set *s)
{
	while (s->nactive < s->max && s->qhead < s->nqueue)
		start(s, s->queue[s->qhead++]);
}

static long next_ms(void *arg)
{
	struct probe_set *s = arg;
	double now = mono_now_s(), first = -1;

	for (size_t i = 0; i < s->nactive; i++) {
		double due =
		    s->active[i]->started_s + (double)s->timeout_ms / 1000;
		if (first < 0 || due < first)
			first = due;
	}
	if (first < 0)
		return -1;
	/* Round up: waking before the probe is due would spin. */
	return first <= now ? 0 : (long)((first - now) * 1000 + 0.999);
}

static void fire(void *arg)
{
	struct probe_set *s = arg;
	double now = mono_now_s();

	for (size_t i = 0; i < s->nactive;) {
		struct probe *p = s->active[i];
		if (now < p->started_s + (double)s->timeout_ms / 1000) {
			i++;
			continue;
		}
		conclude(p, PROBE_TIMEOUT, 0);
		close_probe(s, p);
		s->active[i] = s->active[--s->nactive];
	}
	pump(s);
}

struct probe_set *probe_new(struct loop *l, const struct probe_opts *o,
			    char *err, size_t errlen)
{
	struct probe_set *s = calloc(1, sizeof *s);

	if (!s) {
		snprintf(err, errlen, "probes: out of memory");
		return NULL;
	}
	s->loop = l;
	s->timeout_ms = o && o->timeout_ms > 0 ? o->timeout_ms : 2000;
	s->max = o && o->max_concurrency > 0 ? o->max_concurrency : 64;
	if (o) {
		s->source4 = o->source4;
		s->source6 = o->source6;
		snprintf(s->iface, sizeof s->iface, "%s", o->iface);
	}
	s->active = calloc(s->max, sizeof *s->active);
	if (!s->active || loop_add_timer(l, next_ms, fire, s) < 0) {
		snprintf(err, errlen, "probes: %s",
			 s->active ? "no loop timer left" : "out of memory");
		free(s->active);
		free(s);
		return NULL;
	}
	return s;
}

void probe_tcp(struct probe_set *s, struct probe *p)
{
	p->set = s;
	p->outcome = PROBE_PENDING;
	p->err = 0;
	p->icmp_type = p->icmp_code = -1;
	memset(&p->offender, 0, sizeof p->offender);
	p->elapsed_s = 0;
	p->fd = -1;
	p->echo = NULL;
	p->is_echo = false;
	if (s->nactive < s->max) {
		start(s, p);
		return;
	}
	if (s->nqueue == s->qcap) {
		size_t cap = s->qcap ? s->qcap * 2 : 64;
		struct probe **nq = realloc(s->queue, cap * sizeof *nq);
		if (!nq) {
			conclude(p, PROBE_ERROR, ENOMEM);
			return;
		}
		s->queue = nq;
		s->qcap = cap;
	}
	s->queue[s->nqueue++] = p;
}

struct probe *probe_get(struct probe_set *s, const struct sockaddr_storage *sa,
			bool echo)
{
	socklen_t len = addr_len(sa->ss_family);

	for (size_t i = 0; i < s->nown; i++)
		if (!memcmp(&s->own[i]->sa, sa, len) &&
		    s->own[i]->is_echo == echo)
			return s->own[i];
	struct probe *p = calloc(1, sizeof *p);
	struct probe **no =
	    p ? realloc(s->own, (s->nown + 1) * sizeof *no) : NULL;
	if (!no) {
		free(p);
		return NULL;
	}
	s->own = no;
	s->own[s->nown++] = p;
	memcpy(&p->sa, sa, len);
	if (echo)
		probe_echo(s, p);
	else
		probe_tcp(s, p);
	return p;
}

bool probe_idle(void *set)
{
	const struct probe_set *s = set;
	return s->nactive == 0 && s->qhead == s->nqueue &&
	       s->echoes_pending == 0;
}

void probe_finish(struct probe_set *s)
{
	while (s->nactive) {
		struct probe *p = s->active[--s->nactive];
		conclude(p, PROBE_TIMEOUT, 0);
		close_probe(s, p);
	}
	for (; s->qhead < s->nqueue; s->qhead++)
		s->queue[s->qhead]->outcome = PROBE_NOT_RUN;
	for (int k = 0; s->echo && k < 2; k++)
		if (s->echo->sock[k])
			icmp_finish(s->echo->sock[k]);
}

void probe_free(struct probe_set *s)
{
	if (!s)
		return;
	probe_finish(s);
	loop_del_timer(s->loop, s);
	for (size_t i = 0; i < s->nechoes; i++)
		free(s->echoes[i]);
	for (size_t i = 0; i < s->nown; i++)
		free(s->own[i]);
	free(s->own);
	free(s->echoes);
	free(s->active);
	free(s->queue);
	free(s);
}

void probe_echo_open(struct probe_echo *e)
{
	memset(e, 0, sizeof *e);
	for (int k = 0; k < 2; k++)
		e->sock[k] = icmp_open(k ? AF_INET6 : AF_INET, e->err[k],
				       sizeof e->err[k]);
}

int probe_use_echo(struct probe_set *s, struct probe_echo *e, char *err,
		   size_t errlen)
{
	for (int k = 0; k < 2; k++)
		if (e->sock[k] && icmp_attach(e->sock[k], s->loop) < 0) {
			snprintf(err, errlen, "ICMP echo: no loop room left");
			return -1;
		}
	s->echo = e;
	return 0;
}

static void echo_done(struct icmp_probe *ip)
{
	struct probe *p = ip->arg;

	p->set->echoes_pending--;
	switch (ip->outcome) {
	case ICMP_REPLY:
		p->outcome = PROBE_ANSWERED;
		p->elapsed_s = ip->rtt_s;
		return;
	case ICMP_ERROR:
		p->outcome = PROBE_UNREACHABLE;
		p->err = ip->errnum;
		p->elapsed_s = ip->rtt_s;
		if (!ip->local) {
			p->icmp_type = ip->type, p->icmp_code = ip->code;
			p->offender = ip->from;
		}
		return;
	case ICMP_SEND_FAILED:
		conclude(p, PROBE_ERROR, ip->errnum);
		return;
	default:
		conclude(p, PROBE_TIMEOUT, 0);
	}
}

void probe_echo(struct probe_set *s, struct probe *p)
{
	struct icmp_sock *sock =
	    s->echo ? s->echo->sock[p->sa.ss_family == AF_INET6] : NULL;
	struct icmp_probe *ip = sock ? calloc(1, sizeof *ip) : NULL;
	void *ne = ip ? realloc(s->echoes, (s->nechoes + 1) * sizeof *s->echoes)
		      : NULL;

	p->set = s;
	p->is_echo = true;
	p->err = 0;
	p->icmp_type = p->icmp_code = -1;
	memset(&p->offender, 0, sizeof p->offender);
	p->fd = -1;
	p->started_s = mono_now_s();
	if (!ne) {
		free(ip);
		conclude(p, PROBE_ERROR, sock ? ENOMEM : EACCES);
		return;
	}
	s->echoes = ne;
	s->echoes[s->nechoes++] = p->echo = ip;
	p->outcome = PROBE_PENDING;
	ip->dst = p->sa;
	addr_set_port((struct sockaddr *)&ip->dst, 0);
	ip->timeout_ms = s->timeout_ms;
	ip->done = echo_done;
	ip->arg = p;
	s->echoes_pending++;
	icmp_send(sock, ip);
}

void probe_echo_close(struct probe_echo *e)
{
	for (int k = 0; k < 2; k++) {
		icmp_close(e->sock[k]);
		e->sock[k] = NULL;
	}
}

const char *probe_outcome_name(enum probe_outcome o)
{
	static const char *const names[] = {
	    [PROBE_PENDING] = "pending", [PROBE_ANSWERED] = "answered",
	    [PROBE_REFUSED] = "refused", [PROBE_UNREACHABLE] = "unreachable",
	    [PROBE_TIMEOUT] = "timeout", [PROBE_ERROR] = "error",
	    [PROBE_NOT_RUN] = "not run",
	};
	return (unsigned)o < sizeof names / sizeof names[0] ? names[o]
							    : "error";
}

/* RFC 792 / RFC 1812 5.2.7.1 destination unreachable codes, and RFC 4443
 * 3.1 for ICMPv6; time exceeded is named too (a routing loop). */
const char *probe_icmp_name(int family, int type, int code)
{
	if (family == AF_INET6) {
		if (type == ICMP6_DST_UNREACH && code >= 0 && code < 7)
			return icmp_unreach_name(family, code);
		if (type == ICMP6_TIME_EXCEEDED)
			return "hop limit exceeded";
		if (type == ICMP6_PACKET_TOO_BIG)
			return "packet too big";
		return "error";
	}
	if (type == ICMP_DEST_UNREACH && code >= 0 && code < 16)
		return icmp_unreach_name(family, code);
	if (type == ICMP_TIME_EXCEEDED)
		return "TTL exceeded";
	return "error";
}

const char *probe_reason(const struct probe *p, char *buf, size_t len)
{
	char off[ADDR_STRLEN];

	if (p->icmp_type >= 0) {
		int fam = p->sa.ss_family;
		int n = snprintf(
		    buf, len, "%s %s", fam == AF_INET6 ? "ICMPv6" : "ICMP",
		    probe_icmp_name(fam, p->icmp_type, p->icmp_code));
		if (p->offender.ss_family && n > 0 && (size_t)n < len)
			snprintf(
			    buf + n, len - (size_t)n, " from %s",
			    addr_format((const struct sockaddr *)&p->offender,
					off, sizeof off));
		return buf;
	}
	switch (p->outcome) {
	case PROBE_REFUSED:
		snprintf(buf, len, "connection refused");
		break;
	case PROBE_UNREACHABLE:
	case PROBE_ERROR:
		snprintf(buf, len, "%s", strerror(p->err));
		break;
	case PROBE_TIMEOUT:
		snprintf(buf, len, "no answer");
		break;
	case PROBE_NOT_RUN:
		snprintf(buf, len, "not run before the time ran out");
		break;
	default:
		snprintf(buf, len, "%s", "");
	}
	return buf;
}

/* Seconds to three significant digits, never with an exponent. */
static const char *secs(double s, char *buf, size_t len)
{
	snprintf(buf, len, "%.3g", s);
	num_format(strtod(buf, NULL), buf, len);
	return buf;
}

const char *probe_describe(const struct probe *p, char *buf, size_t len)
{
	char why[160], t[32], check[16];

	secs(p->elapsed_s, t, sizeof t);
	if (p->is_echo)
		snprintf(check, sizeof check, "ICMP echo");
	else
		snprintf(check, sizeof check, "tcp/%u",
			 addr_port((const struct sockaddr *)&p->sa));
	switch (p->outcome) {
	case PROBE_ANSWERED:
		snprintf(buf, len, "answered on %s in %s s", check, t);
		break;
	case PROBE_TIMEOUT:
		snprintf(buf, len, "no answer on %s in %s s", check, t);
		break;
	case PROBE_PENDING:
	case PROBE_NOT_RUN:
		snprintf(buf, len, "not probed on %s: the time ran out", check);
		break;
	default:
		snprintf(buf, len, "%s on %s in %s s (%s)",
			 probe_outcome_name(p->outcome), check, t,
			 probe_reason(p, why, sizeof why));
	}
	return buf;
}

void probe_log(const struct probe_set *s)
{
	char a[ADDR_STRLEN], d[300];

	if (log_verbosity() < 1)
		return;
	for (size_t i = 0; i < s->nown; i++)
		vlog(1, "probe: %s %s\n",
		     addr_format((const struct sockaddr *)&s->own[i]->sa, a,
				 sizeof a),
		     probe_describe(s->own[i], d, sizeof d));
}

int probe_parse_ports(const char *arg, void *target, char *err, size_t errlen)
{
	struct probe_ports *p = target;
	char buf[128], *save = NULL;

	if (!arg[strspn(arg, ", ")] || strlen(arg) >= sizeof buf) {
		snprintf(err, errlen, "\"%.40s\" is not a list of ports", arg);
		return -1;
	}
	snprintf(buf, sizeof buf, "%s", arg);
	for (char *t = strtok_r(buf, ",", &save); t;
	     t = strtok_r(NULL, ",", &save)) {
		if (p->n == PROBE_MAX_PORTS) {
			snprintf(err, errlen, "at most %d ports",
				 PROBE_MAX_PORTS);
			return -1;
		}
		if (num_long(t, 1, 65535, &p->v[p->n], err, errlen))
			return -1;
		p->n++;
	}
	return 0;
}
