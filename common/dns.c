/* dns: one c-ares channel per context, driven by the shared poll loop.
 * c-ares tells us which sockets to watch (ARES_OPT_SOCK_STATE_CB) and we
 * feed readiness back with ares_process_fd(); its retry clock is a loop
 * timer asking ares_timeout(). No threads, no select (STYLE habit 12).
 * dns_free() before loop_free(): closing c-ares' sockets unwatches them. */
#include "dns.h"

#include <ares.h>
#include <arpa/nameser.h>
#include <limits.h>
#include <net/if.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "deadline.h"
#include "log.h"
#include "num.h"

/* At most this many queries are with c-ares at once; the rest wait here.
 * 400 replies arriving in one burst overflow a default UDP receive buffer
 * (measured: 44 of 400 dropped, then retried 2 s later). */
#define DNS_MAX_INFLIGHT 64

/* EDNS0 (RFC 6891) with the payload size of DNS Flag Day 2020: answers up
 * to 1232 bytes come over UDP, unfragmented; longer ones come back with
 * TC set and c-ares asks again over TCP, as resolvers do. A server that
 * answers FORMERR to EDNS0 is asked again without it (c-ares). */
#define DNS_EDNS_SIZE 1232

struct dns_ctx {
	struct loop *loop;
	ares_channel channel;
	size_t pending;		 /* submitted, no outcome yet */
	size_t inflight;	 /* of those, handed to c-ares */
	struct dns_query **wait; /* the others: wait[head..nwait) */
	size_t head, nwait, cap;
	struct dns_query **ready; /* answered from /etc/hosts, not yet told */
	size_t nready, rcap;
	bool hosts;
	bool pumping;
	unsigned port;
	long own_ms; /* a query's own whole time over servers and tries */
	char server[ADDR_STRLEN];
};

static void on_fd(int fd, short revents, void *arg)
{
	struct dns_ctx *c = arg;
	/* POLLERR/POLLHUP go to the read side: c-ares learns the socket
	 * error (ICMP unreachable, reset) from its failing recv(). */
	ares_socket_t r =
	    revents & (POLLIN | POLLERR | POLLHUP) ? fd : ARES_SOCKET_BAD;
	ares_socket_t w = revents & POLLOUT ? fd : ARES_SOCKET_BAD;

	ares_process_fd(c->channel, r, w);
}

static void on_sock_state(void *arg, ares_socket_t fd, int readable,
			  int writable)
{
	struct dns_ctx *c = arg;
	short ev = (short)((readable ? POLLIN : 0) | (writable ? POLLOUT : 0));
	int type = 0;
	socklen_t tl = sizeof type;

	/* c-ares opens a TCP connection when a UDP answer came back with TC
	 * set (RFC 1035 4.2.1, RFC 7766): writable first, while connecting. */
	if (writable && log_verbosity() >= 3 &&
	    getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &tl) == 0 &&
	    type == SOCK_STREAM)
		vlog(3,
		     "dns: %s: answer truncated over UDP, retrying over "
		     "TCP\n",
		     c->server);

	/* Out of memory here leaves the query to time out: still an honest
	 * outcome, so there is nothing better to do with the error. */
	(void)loop_watch(c->loop, fd, ev, on_fd, c);
}

static long next_ms(void *arg)
{
	struct dns_ctx *c = arg;
	struct timeval tv;

	if (c->nready)
		return 0;
	if (!ares_timeout(c->channel, NULL, &tv))
		return -1;
	/* Round up: waking before c-ares' retry is due would spin. */
	long ms = (long)tv.tv_sec * 1000 + (tv.tv_usec + 999) / 1000;
	long left = deadline_remaining_ms();
	return ms < left ? ms : left;
}

static void settle(struct dns_query *q, enum dns_outcome o, double now);

/* Answers from /etc/hosts reach their queries here, on a turn of the loop,
 * never inside dns_submit() (STYLE habit 19). */
static void deliver_ready(struct dns_ctx *c)
{
	double now = mono_now_s();

	for (size_t i = 0; i < c->nready; i++) {
		struct dns_query *q = c->ready[i];
		settle(q, q->naddrs ? DNS_ANSWER : DNS_ERROR, now);
		q->rcode = q->naddrs ? 0 : -1;
	}
	c->nready = 0;
}

static void fire(void *arg)
{
	struct dns_ctx *c = arg;

	deliver_ready(c);
	ares_process_fd(c->channel, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
}

static unsigned get16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

/* The smallest TTL so far, n answers taken before this one. */
static unsigned min_ttl(const struct dns_query *q, size_t n, long long ttl)
{
	/* RFC 2181 8: a TTL with the top bit set means zero. */
	unsigned t = ttl < 0 || ttl > INT32_MAX ? 0 : (unsigned)ttl;
	return n == 0 || t < q->ttl_s ? t : q->ttl_s;
}

static int take_a(struct dns_query *q, const unsigned char *abuf, int alen)
{
	struct ares_addrttl t[DNS_MAX_ADDRS];
	int n = DNS_MAX_ADDRS;
	int st = ares_parse_a_reply(abuf, alen, NULL, t, &n);

	for (int i = 0; st == ARES_SUCCESS && i < n; i++) {
		struct sockaddr_in *s = (void *)&q->addrs[q->naddrs];
		memset(&q->addrs[q->naddrs], 0, sizeof q->addrs[0]);
		s->sin_family = AF_INET;
		s->sin_addr = t[i].ipaddr;
		q->ttl_s = min_ttl(q, q->naddrs++, t[i].ttl);
	}
	return st;
}

static int take_aaaa(struct dns_query *q, const unsigned char *abuf, int alen)
{
	struct ares_addr6ttl t[DNS_MAX_ADDRS];
	int n = DNS_MAX_ADDRS;
	int st = ares_parse_aaaa_reply(abuf, alen, NULL, t, &n);

	for (int i = 0; st == ARES_SUCCESS && i < n; i++) {
		struct sockaddr_in6 *s = (void *)&q->addrs[q->naddrs];
		memset(&q->addrs[q->naddrs], 0, sizeof q->addrs[0]);
		s->sin6_family = AF_INET6;
		memcpy(&s->sin6_addr, &t[i].ip6addr, sizeof s->sin6_addr);
		q->ttl_s = min_ttl(q, q->naddrs++, t[i].ttl);
	}
	return st;
}

/* One record of a reply at *p (a question when question): its owner into
 * owner (when not NULL), where its type, class and, for answers, TTL and
 * rdlength begin (*rr), that fixed part's size; *p moves past its data.
 * What remains is checked before every fetch (STYLE habit 6): 0, or
 * ARES_EBADRESP when the record does not fit in the reply. */
static int next_record(const unsigned char **p, const unsigned char *abuf,
		       int alen, bool question, char *owner, size_t olen,
		       const unsigned char **rr, size_t *fixed)
{
	const unsigned char *end = abuf + alen;
	char *name;
	long len;

	if (ares_expand_name(*p, abuf, alen, &name, &len) != ARES_SUCCESS)
		return ARES_EBADRESP;
	if (owner)
		snprintf(owner, olen, "%s", name);
	ares_free_string(name);
	*rr = *p + len;
	*fixed = question ? NS_QFIXEDSZ : NS_RRFIXEDSZ;
	if ((size_t)(end - *rr) < *fixed)
		return ARES_EBADRESP;
	size_t rdlen = question ? 0 : get16(*rr + 8);
	if ((size_t)(end - *rr) - *fixed < rdlen)
		return ARES_EBADRESP;
	*p = *rr + *fixed + rdlen;
	return 0;
}

/* NS and PTR: c-ares' parsers return a hostent without TTLs, so walk the
 * answer section here, checking what remains before every fetch (STYLE
 * habit 6). Records of the asked type count whatever their owner, so a
 * PTR reached through a CNAME (RFC 2317) is found too. */
static int take_names(struct dns_query *q, const unsigned char *abuf, int alen)
{
	const unsigned char *p = abuf + NS_HFIXEDSZ;
	unsigned qd = get16(abuf + 4), n = qd + get16(abuf + 6);
	char *name;
	long len;

	for (unsigned i = 0; i < n; i++) {
		const unsigned char *rr;
		size_t fixed;
		if (next_record(&p, abuf, alen, i < qd, NULL, 0, &rr, &fixed))
			return ARES_EBADRESP;
		if (i < qd || get16(rr) != q->type ||
		    q->nnames == DNS_MAX_NAMES)
			continue;
		if (ares_expand_name(rr + fixed, abuf, alen, &name, &len) !=
		    ARES_SUCCESS)
			return ARES_EBADRESP;
		snprintf(q->names[q->nnames], sizeof q->names[0], "%s", name);
		ares_free_string(name);
		q->ttl_s = min_ttl(q, q->nnames++,
				   get16(rr + 4) << 16 | get16(rr + 6));
	}
	return ARES_SUCCESS;
}

/* Walks the answer section: how many records of the asked type it holds
 * (kept or not), and whether its CNAME chain from the name asked comes
 * back to a name already met (RFC 1034 3.6.2: a loop, never an answer). */
static int scan_answer(struct dns_query *q, const unsigned char *abuf, int alen)
{
	enum { HOPS = 16 };
	char from[HOPS][256], to[HOPS][256], cur[256];
	const unsigned char *p = abuf + NS_HFIXEDSZ;
	unsigned qd = get16(abuf + 4), n = qd + get16(abuf + 6);
	size_t ncn = 0;
	char *name;
	long len;

	q->nfound = 0;
	for (unsigned i = 0; i < n; i++) {
		char owner[256];
		const unsigned char *rr;
		size_t fixed;
		if (next_record(&p, abuf, alen, i < qd, owner, sizeof owner,
				&rr, &fixed))
			return ARES_EBADRESP;
		if (i < qd)
			continue;
		q->nfound += get16(rr) == q->type;
		if (get16(rr) != ns_t_cname || ncn == HOPS)
			continue;
		if (ares_expand_name(rr + fixed, abuf, alen, &name, &len) !=
		    ARES_SUCCESS)
			return ARES_EBADRESP;
		snprintf(from[ncn], sizeof from[0], "%s", owner);
		snprintf(to[ncn++], sizeof to[0], "%s", name);
		ares_free_string(name);
	}
	/* Follow the chain; more hops than records means a name came back. */
	snprintf(cur, sizeof cur, "%s", q->name);
	for (size_t hop = 0; hop <= ncn; hop++) {
		size_t i = 0;
		while (i < ncn && strcasecmp(from[i], cur))
			i++;
		if (i == ncn)
			return ARES_SUCCESS;
		snprintf(cur, sizeof cur, "%s", to[i]);
	}
	q->cname_loop = true;
	return ARES_SUCCESS;
}

/* A NOERROR reply with answers: records of the asked type, or (say, only
 * a CNAME) none, which is NODATA to the operator. */
static void take_answer(struct dns_query *q, const unsigned char *abuf,
			int alen)
{
	int st = scan_answer(q, abuf, alen);

	if (st == ARES_SUCCESS && q->type == DNS_A)
		st = take_a(q, abuf, alen);
	else if (st == ARES_SUCCESS && q->type == DNS_AAAA)
		st = take_aaaa(q, abuf, alen);
	else if (st == ARES_SUCCESS)
		st = take_names(q, abuf, alen);

	if (st == ARES_SUCCESS && q->naddrs + q->nnames > 0)
		q->outcome = DNS_ANSWER;
	else if (st == ARES_SUCCESS || st == ARES_ENODATA)
		q->outcome = DNS_NODATA;
	else {
		q->outcome = DNS_ERROR;
		snprintf(q->detail, sizeof q->detail, "%s", ares_strerror(st));
	}
}

bool dns_read_reply(struct dns_query *q, bool success,
		    const unsigned char *abuf, int alen)
{
	if (!abuf || alen < NS_HFIXEDSZ)
		return false;
	q->rcode = abuf[3] & 0x0f;
	/* c-ares parses the answer itself for these; give it ours. */
	if (q->outcome == DNS_NODATA)
		(void)scan_answer(q, abuf, alen);
	if (success)
		take_answer(q, abuf, alen);
	return true;
}

static enum dns_outcome outcome_of(int status)
{
	static const struct {
		int status;
		enum dns_outcome o;
	} map[] = {
	    {ARES_ENODATA, DNS_NODATA},
	    {ARES_ENOTFOUND, DNS_NXDOMAIN},
	    {ARES_ESERVFAIL, DNS_SERVFAIL},
	    {ARES_EREFUSED, DNS_REFUSED},
	    {ARES_ETIMEOUT, DNS_TIMEOUT},
	    /* Only dns_finish() cancels: the time ran out. */
	    {ARES_ECANCELLED, DNS_TIMEOUT},
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (map[i].status == status)
			return map[i].o;
	return DNS_ERROR;
}

static void settle(struct dns_query *q, enum dns_outcome o, double now)
{
	q->outcome = o;
	q->elapsed_s = now - q->started_s;
	q->ctx->pending--;
}

static void pump(struct dns_ctx *c);

static void on_reply(void *arg, int status, int timeouts, unsigned char *abuf,
		     int alen)
{
	struct dns_query *q = arg;
	struct dns_ctx *c = q->ctx;

	c->inflight--;
	settle(q, outcome_of(status), mono_now_s());
	/* Only dns_finish() cancels. A query whose own time had run out
	 * (to the timer's grain) when it came is not cut but unanswered. */
	q->cut = status == ARES_ECANCELLED &&
		 q->elapsed_s * 1000 < (double)c->own_ms - 20;
	bool reply = dns_read_reply(q, status == ARES_SUCCESS, abuf, alen);
	if (status != ARES_SUCCESS && q->outcome == DNS_ERROR)
		snprintf(q->detail, sizeof q->detail, "%s",
			 ares_strerror(status));
	if (reply)
		vlog(3,
		     "dns: answer for %s %s from %s after %d timeout%s: rcode "
		     "%d, %u answer records, %d bytes%s%s, %s in %.3f s\n",
		     q->name, dns_type_name(q->type), c->server, timeouts,
		     timeouts == 1 ? "" : "s", q->rcode, get16(abuf + 6), alen,
		     abuf[2] & 0x02 ? ", truncated (TC)" : "",
		     q->cname_loop ? ", CNAME loop" : "",
		     dns_outcome_name(q->outcome), q->elapsed_s);
	else
		vlog(3,
		     "dns: no answer for %s %s from %s after %d timeout%s: "
		     "%s in %.3f s\n",
		     q->name, dns_type_name(q->type), c->server, timeouts,
		     timeouts == 1 ? "" : "s", ares_strerror(status),
		     q->elapsed_s);
	pump(c);
}

static void send_query(struct dns_ctx *c, struct dns_query *q)
{
	c->inflight++;
	/* Timed from the moment it leaves, so a wait in our queue does not
	 * count against the server. */
	q->started_s = mono_now_s();
	vlog(3, "dns: query %s %s sent to %s (EDNS0, %d-byte UDP payload)\n",
	     q->name, dns_type_name(q->type), c->server, DNS_EDNS_SIZE);
	/* ares_query, not ares_search: the name is asked as given. */
	ares_query(c->channel, q->name, ns_c_in, (int)q->type, on_reply, q);
}

/* Hands waiting queries to c-ares while there is room. c-ares may call
 * back from inside ares_query (a bad name, no server), which calls pump()
 * again: the flag turns that nested call into more turns of this loop
 * instead of a recursion as deep as the queue. */
static void pump(struct dns_ctx *c)
{
	if (c->pumping)
		return;
	c->pumping = true;
	while (c->inflight < DNS_MAX_INFLIGHT && c->head < c->nwait)
		send_query(c, c->wait[c->head++]);
	if (c->head == c->nwait)
		c->head = c->nwait = 0;
	c->pumping = false;
}

/* Appends q to a growing list of queries; 0, or -1 when out of memory. */
static int list_push(struct dns_query ***v, size_t *n, size_t *cap,
		     struct dns_query *q)
{
	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 64;
		void *nv = realloc(*v, ncap * sizeof **v);
		if (!nv)
			return -1;
		*v = nv;
		*cap = ncap;
	}
	(*v)[(*n)++] = q;
	return 0;
}

static int enqueue(struct dns_ctx *c, struct dns_query *q)
{
	return list_push(&c->wait, &c->nwait, &c->cap, q);
}

/* Asks exactly the given server: ares_set_servers_ports replaces the
 * resolv.conf list, so no other server can answer in its name. */
static int set_server(struct dns_ctx *c, const struct host *h, char *err,
		      size_t errlen)
{
	struct ares_addr_port_node n = {0};
	unsigned port = h->port ? h->port : c->port;
	const struct sockaddr_in6 *s6 = (const void *)&h->sa;
	char ifname[IF_NAMESIZE];

	n.family = h->sa.ss_family;
	n.udp_port = n.tcp_port = (int)port;
	if (n.family == AF_INET)
		n.addr.addr4 =
		    ((const struct sockaddr_in *)(const void *)&h->sa)
			->sin_addr;
	else
		memcpy(&n.addr.addr6, &s6->sin6_addr, sizeof n.addr.addr6);
	/* c-ares 1.18 keeps no scope id: bind to the link instead, so a
	 * router's fe80:: resolver can be asked. */
	if (n.family == AF_INET6 && s6->sin6_scope_id &&
	    if_indextoname(s6->sin6_scope_id, ifname))
		ares_set_local_dev(c->channel, ifname);
	int st = ares_set_servers_ports(c->channel, &n);
	if (st != ARES_SUCCESS) {
		snprintf(err, errlen, "DNS server %s: %s", h->name,
			 ares_strerror(st));
		return -1;
	}
	if (!h->port && port == NS_DEFAULTPORT)
		addr_format((const struct sockaddr *)&h->sa, c->server,
			    sizeof c->server);
	else
		addr_format_port((const struct sockaddr *)&h->sa, c->server,
				 sizeof c->server);
	return 0;
}

/* --source and --interface: every socket c-ares opens is bound so. */
static void bind_local(struct dns_ctx *c, const struct dns_opts *o)
{
	if (!o)
		return;
	if (o->source4.ss_family == AF_INET) {
		const struct sockaddr_in *s4 = (const void *)&o->source4;
		ares_set_local_ip4(c->channel, ntohl(s4->sin_addr.s_addr));
	}
	if (o->source6.ss_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const void *)&o->source6;
		ares_set_local_ip6(c->channel, s6->sin6_addr.s6_addr);
	}
	if (o->iface[0])
		ares_set_local_dev(c->channel, o->iface);
}

/* How many servers a query may be sent to: 1 for a server given, else
 * those of the system configuration. */
static int count_servers(const struct host *server)
{
	struct ares_addr_node *list = NULL;
	ares_channel ch;
	int n = 0;

	if (server)
		return 1;
	if (ares_init(&ch) != ARES_SUCCESS)
		return 1;
	if (ares_get_servers(ch, &list) == ARES_SUCCESS)
		for (const struct ares_addr_node *a = list; a; a = a->next)
			n++;
	ares_free_data(list);
	ares_destroy(ch);
	return n > 0 ? n : 1;
}

/* c-ares 1.18 waits timeout << round for each server in each round: the
 * sum over servers and tries is servers x timeout x (2^tries - 1). */
static long first_try_ms(const struct dns_opts *o, int tries,
			 const struct host *server)
{
	if (!o || o->query_ms <= 0)
		return o && o->timeout_ms > 0 ? o->timeout_ms : 2000;
	long t =
	    o->query_ms / ((long)count_servers(server) * ((1L << tries) - 1));
	return t > 0 ? t : 1;
}

static int open_channel(struct dns_ctx *c, const struct dns_opts *o,
			const struct host *server, char *err, size_t errlen)
{
	struct ares_options ao = {0};
	int mask = ARES_OPT_FLAGS | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES |
		   ARES_OPT_SOCK_STATE_CB | ARES_OPT_EDNSPSZ;

	/* NOCHECKRESP: a SERVFAIL or REFUSED is the finding, not a cue to
	 * quietly ask someone else. */
	ao.flags = ARES_FLAG_NOCHECKRESP | ARES_FLAG_EDNS;
	ao.ednspsz = DNS_EDNS_SIZE;
	if (c->port != NS_DEFAULTPORT) {
		/* The system resolver's servers too (resolv.conf has no port).
		 */
		mask |= ARES_OPT_UDP_PORT | ARES_OPT_TCP_PORT;
		ao.udp_port = ao.tcp_port = (unsigned short)c->port;
	}
	ao.tries = o && o->tries > 0 ? o->tries : 2;
	ao.timeout = (int)first_try_ms(o, ao.tries, server);
	c->own_ms =
	    (long)ao.timeout * count_servers(server) * ((1L << ao.tries) - 1);
	ao.sock_state_cb = on_sock_state;
	ao.sock_state_cb_data = c;
	int st = ares_init_options(&c->channel, &ao, mask);
	if (st != ARES_SUCCESS) {
		snprintf(err, errlen, "DNS resolver: %s", ares_strerror(st));
		return -1;
	}
	bind_local(c, o);
	return 0;
}

struct dns_ctx *dns_new(struct loop *l, const struct host *server,
			const struct dns_opts *o, char *err, size_t errlen)
{
	struct dns_ctx *c;

	if (server && !server->literal) {
		snprintf(err, errlen, "DNS server %s: an address is needed",
			 server->name);
		return NULL;
	}
	c = calloc(1, sizeof *c);
	if (!c || ares_library_init(ARES_LIB_INIT_ALL) != ARES_SUCCESS) {
		snprintf(err, errlen, "DNS resolver: out of memory");
		free(c);
		return NULL;
	}
	c->loop = l;
	c->hosts = o && o->hosts;
	c->port = o && o->port ? o->port : NS_DEFAULTPORT;
	snprintf(c->server, sizeof c->server, "system resolver");
	if (open_channel(c, o, server, err, errlen) < 0) {
		ares_library_cleanup();
		free(c);
		return NULL;
	}
	if (server && set_server(c, server, err, errlen) < 0) {
		dns_free(c);
		return NULL;
	}
	if (loop_add_timer(l, next_ms, fire, c) < 0) {
		snprintf(err, errlen, "DNS resolver: no loop timer left");
		dns_free(c);
		return NULL;
	}
	return c;
}

/* The addresses /etc/hosts gives q->name for q's family, into q (its
 * outcome still pending). False when the file does not list the name for
 * that family: then DNS is asked. */
static bool from_hosts(struct dns_ctx *c, struct dns_query *q)
{
	int fam = q->type == DNS_A ? AF_INET : AF_INET6;
	struct hostent *he = NULL;

	if (!c->hosts || (q->type != DNS_A && q->type != DNS_AAAA))
		return false;
	if (ares_gethostbyname_file(c->channel, q->name, fam, &he) !=
		ARES_SUCCESS ||
	    !he)
		return false;
	for (size_t i = 0; he->h_addr_list[i] && q->naddrs < DNS_MAX_ADDRS;
	     i++) {
		struct sockaddr_storage *sa = &q->addrs[q->naddrs++];
		memset(sa, 0, sizeof *sa);
		sa->ss_family = (sa_family_t)fam;
		if (fam == AF_INET)
			memcpy(&((struct sockaddr_in *)(void *)sa)->sin_addr,
			       he->h_addr_list[i], 4);
		else
			memcpy(&((struct sockaddr_in6 *)(void *)sa)->sin6_addr,
			       he->h_addr_list[i], 16);
	}
	ares_free_hostent(he);
	return true;
}

static int push_ready(struct dns_ctx *c, struct dns_query *q)
{
	return list_push(&c->ready, &c->nready, &c->rcap, q);
}

void dns_submit(struct dns_ctx *c, struct dns_query *q)
{
	q->ctx = c;
	q->outcome = DNS_PENDING;
	q->rcode = -1;
	q->naddrs = q->nnames = q->nfound = 0;
	q->cname_loop = q->cut = false;
	q->ttl_s = 0;
	q->detail[0] = '\0';
	q->started_s = mono_now_s();
	c->pending++;
	if (from_hosts(c, q) && push_ready(c, q) == 0)
		return;
	q->naddrs = 0;
	if (enqueue(c, q) < 0) {
		settle(q, DNS_ERROR, q->started_s);
		snprintf(q->detail, sizeof q->detail, "out of memory");
		return;
	}
	pump(c);
}

bool dns_idle(void *ctx)
{
	const struct dns_ctx *c = ctx;
	return c->pending == 0;
}

void dns_finish(struct dns_ctx *c)
{
	double now = mono_now_s();

	deliver_ready(c);
	/* The queue first, so that no cancel callback's pump() sends more. */
	while (c->head < c->nwait) {
		c->wait[c->head]->cut = true;
		settle(c->wait[c->head++], DNS_TIMEOUT, now);
	}
	c->head = c->nwait = 0;
	/* ares_cancel calls back every query still out with ECANCELLED,
	 * which on_reply records as a timeout at this moment. */
	ares_cancel(c->channel);
}

const char *dns_server_name(const struct dns_ctx *c)
{
	return c->server;
}

void dns_free(struct dns_ctx *c)
{
	if (!c)
		return;
	dns_finish(c);
	/* ares_destroy closes the sockets, which removes their watches. */
	ares_destroy(c->channel);
	if (c->loop)
		loop_del_timer(c->loop, c);
	ares_library_cleanup();
	free(c->wait);
	free(c->ready);
	free(c);
}

const char *dns_outcome_name(enum dns_outcome o)
{
	static const char *const names[] = {
	    [DNS_PENDING] = "pending",	 [DNS_ANSWER] = "NOERROR",
	    [DNS_NODATA] = "NODATA",	 [DNS_NXDOMAIN] = "NXDOMAIN",
	    [DNS_SERVFAIL] = "SERVFAIL", [DNS_REFUSED] = "REFUSED",
	    [DNS_TIMEOUT] = "timeout",	 [DNS_ERROR] = "error",
	};
	return (unsigned)o < sizeof names / sizeof names[0] ? names[o]
							    : "error";
}

const char *dns_secs(double s, char *buf)
{
	snprintf(buf, 16, "%.3g", s);
	num_format(strtod(buf, NULL), buf, 16);
	return buf;
}

const char *dns_unanswered_text(enum dns_type lost, const char *name,
				double lost_s, double answered_s, char *buf,
				size_t len)
{
	char t1[16], t2[16];
	const char *l = dns_type_name(lost);

	snprintf(buf, len,
		 "%s query for %s unanswered after %s s while %s answered in "
		 "%s s: clients asking for %s wait",
		 l, name, dns_secs(lost_s, t1), lost == DNS_AAAA ? "A" : "AAAA",
		 dns_secs(answered_s, t2), l);
	return buf;
}

const char *dns_unanswered_code(enum dns_type lost)
{
	return lost == DNS_AAAA ? "aaaa_unanswered" : "a_unanswered";
}

const char *dns_type_name(enum dns_type t)
{
	return t == DNS_A	? "A"
	       : t == DNS_AAAA	? "AAAA"
	       : t == DNS_NS	? "NS"
	       : t == DNS_PTR	? "PTR"
	       : t == DNS_CNAME ? "CNAME"
				: "?";
}
