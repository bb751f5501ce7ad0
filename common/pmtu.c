#include "pmtu.h"

/* addr.h brings <net/if.h> before anything of <linux/...>. */
#include "addr.h"

#include <errno.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "deadline.h"

/* --- the search ----------------------------------------------------------- */

void pmtu_init(struct pmtu_search *s, int family, unsigned small, unsigned min,
	       unsigned max)
{
	memset(s, 0, sizeof *s);
	s->family = family;
	s->small = small;
	s->min = min;
	s->max = max;
	s->retries = 1;
}

const struct pmtu_size *pmtu_find(const struct pmtu_search *s, unsigned size)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->sz[i].size == size)
			return &s->sz[i];
	return NULL;
}

static struct pmtu_size *slot(struct pmtu_search *s, unsigned size)
{
	struct pmtu_size *r = (struct pmtu_size *)pmtu_find(s, size);

	if (r || s->n == PMTU_MAX_SIZES)
		return r;
	r = &s->sz[s->n++];
	memset(r, 0, sizeof *r);
	r->size = size;
	return r;
}

bool pmtu_inflight(const struct pmtu_search *s)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->sz[i].res == PMTU_INFLIGHT)
			return true;
	return false;
}

unsigned pmtu_lo(const struct pmtu_search *s)
{
	unsigned lo = 0;

	for (size_t i = 0; i < s->n; i++)
		if (s->sz[i].res == PMTU_PASSED && s->sz[i].size > lo)
			lo = s->sz[i].size;
	return lo;
}

static bool failed(enum pmtu_res r)
{
	return r == PMTU_TOO_BIG || r == PMTU_LOST || r == PMTU_FAILED;
}

const struct pmtu_size *pmtu_hi(const struct pmtu_search *s)
{
	unsigned lo = pmtu_lo(s);
	const struct pmtu_size *hi = NULL;

	for (size_t i = 0; i < s->n; i++)
		if (failed(s->sz[i].res) && s->sz[i].size > lo &&
		    (!hi || s->sz[i].size < hi->size))
			hi = &s->sz[i];
	return hi;
}

static size_t mark(struct pmtu_search *s, unsigned size, double now_s,
		   unsigned *out, size_t n, size_t cap)
{
	struct pmtu_size *r = slot(s, size);

	if (!r || n == cap || r->res == PMTU_INFLIGHT)
		return n;
	r->res = PMTU_INFLIGHT;
	r->tries++;
	r->sent_s = now_s;
	out[n] = size;
	return n + 1;
}

/* A Packet Too Big whose MTU passes: the path MTU is known. */
static bool told(const struct pmtu_search *s, unsigned lo)
{
	for (size_t i = 0; i < s->nptb; i++)
		if (!s->ptb[i].ignored && s->ptb[i].mtu == lo)
			return true;
	return false;
}

/* The largest announced MTU still between lo and hi, not yet probed. */
static unsigned hint(const struct pmtu_search *s, unsigned lo, unsigned hi)
{
	unsigned h = 0;

	for (size_t i = 0; i < s->nptb; i++) {
		unsigned m = s->ptb[i].mtu;
		const struct pmtu_size *r = pmtu_find(s, m);
		if (!s->ptb[i].ignored && m > lo && m < hi && m > h &&
		    (!r || r->res == PMTU_UNTRIED))
			h = m;
	}
	return h;
}

static size_t round0(struct pmtu_search *s, double now_s, unsigned *out,
		     size_t cap)
{
	unsigned want[] = {s->small, PMTU_SCREEN_SIZE, PMTU_V6_MIN, s->min,
			   s->max};
	size_t n = 0;

	s->started = true;
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		if (want[i] <= s->max && want[i] >= s->small)
			n = mark(s, want[i], now_s, out, n, cap);
	return n;
}

/* The sizes round 0 sends on purpose: a path MTU is most often exactly one
 * of them (1280: tunnels, the IPv6 minimum). */
static bool anchor(const struct pmtu_search *s, unsigned size)
{
	return size == PMTU_V6_MIN || size == PMTU_SCREEN_SIZE ||
	       size == s->min;
}

size_t pmtu_plan(struct pmtu_search *s, double now_s, unsigned *out, size_t cap,
		 double *wake_s)
{
	size_t n = 0;

	*wake_s = 0;
	if (!s->started)
		return round0(s, now_s, out, cap);
	if (pmtu_inflight(s))
		return 0; /* one round at a time */
	unsigned lo = pmtu_lo(s);
	const struct pmtu_size *hi = pmtu_hi(s);
	const struct pmtu_size *sm = pmtu_find(s, s->small);
	if (lo == 0 && sm && sm->res == PMTU_LOST && sm->tries <= s->retries)
		return mark(s, s->small, now_s, out, 0, cap); /* dead? */
	if (lo == 0 || lo >= s->max || told(s, lo))
		return 0;
	if (!hi)
		return mark(s, s->max, now_s, out, 0, cap);
	unsigned h = hint(s, lo, hi->size);
	if (h)
		return mark(s, h, now_s, out, 0, cap);
	/* Only hi, the smallest size lost above lo, decides the verdict: it
	 * alone is sent again, with the next round rather than in a round of
	 * its own. Its last try comes PMTU_CONFIRM_S after the first silent
	 * loss (rate limits), or at confirm_by when the deadline is nearer. */
	double due = s->first_loss_s + PMTU_CONFIRM_S;
	if (s->confirm_by > 0 && due > s->confirm_by)
		due = s->confirm_by;
	bool again = hi->res == PMTU_LOST && s->retries > 0 &&
		     (hi->tries <= s->retries || hi->sent_s < due);
	if (hi->size > lo + 1) {
		unsigned hs = hi->size, a = lo, k = PMTU_FANOUT;
		if (again)
			n = mark(s, hs, now_s, out, n, cap);
		if (anchor(s, lo) && !pmtu_find(s, lo + 1)) {
			n = mark(s, lo + 1, now_s, out, n, cap);
			a = lo + 1;
			k--;
		}
		for (unsigned i = 1; i <= k; i++) {
			unsigned sz =
			    a +
			    (unsigned)((double)(hs - a) * i / (k + 1) + 0.5);
			if (sz > a && sz < hs)
				n = mark(s, sz, now_s, out, n, cap);
		}
		return n;
	}
	if (!again)
		return 0;
	if (hi->tries >= s->retries && now_s < due) {
		*wake_s = due;
		return 0;
	}
	return mark(s, hi->size, now_s, out, 0, cap);
}

static void add_ptb(struct pmtu_search *s, const struct pmtu_size *r)
{
	unsigned floor = s->family == AF_INET6 ? PMTU_V6_MIN : PMTU_V4_MIN;

	for (size_t i = 0; i < s->nptb; i++)
		if (s->ptb[i].mtu == r->mtu && s->ptb[i].local == r->local &&
		    !memcmp(&s->ptb[i].from, &r->from, sizeof r->from))
			return;
	if (s->nptb == PMTU_MAX_PTB)
		return;
	struct pmtu_ptb *p = &s->ptb[s->nptb++];
	p->mtu = r->mtu;
	p->size = r->size;
	p->local = r->local;
	p->from = r->from;
	/* RFC 8201 section 4: a PTB below 1280 is not a reason to send
	 * smaller; nor is one that does not ask for anything smaller. */
	p->ignored = !r->local && (r->mtu < floor || r->mtu >= r->size);
}

void pmtu_record(struct pmtu_search *s, const struct pmtu_size *res,
		 double now_s)
{
	struct pmtu_size *r = slot(s, res->size);

	if (!r)
		return;
	unsigned tries = r->tries;
	double sent_s = r->sent_s;
	*r = *res;
	r->tries = tries ? tries : 1;
	r->sent_s = sent_s;
	r->confirmed = r->res == PMTU_LOST && r->tries > s->retries;
	if (r->res == PMTU_TOO_BIG && r->mtu)
		add_ptb(s, r);
	if (r->res == PMTU_LOST && s->first_loss_s == 0)
		s->first_loss_s = now_s;
}

/* --- the judgement ---------------------------------------------------------
 */

static void item(struct pmtu_verdict *v, enum state st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void item(struct pmtu_verdict *v, enum state st, const char *fmt, ...)
{
	va_list ap;

	if (v->nitems == PMTU_MAX_ITEMS)
		return;
	struct pmtu_item *it = &v->items[v->nitems++];
	it->state = st;
	va_start(ap, fmt);
	vsnprintf(it->text, sizeof it->text, fmt, ap);
	va_end(ap);
}

static const char *who(const struct sockaddr_storage *a, char *buf, size_t n)
{
	if (!a->ss_family)
		return "an unknown sender";
	return addr_format((const struct sockaddr *)a, buf, n);
}

/* How a size failed, in words. */
static const char *how(const struct pmtu_search *s, const struct pmtu_size *r,
		       char *buf, size_t n)
{
	char a[ADDR_STRLEN];

	if (!r) {
		snprintf(buf, n, "not probed");
	} else if (r->res == PMTU_TOO_BIG && r->local) {
		snprintf(buf, n, "larger than this host's interface MTU %u",
			 r->mtu);
	} else if (r->res == PMTU_TOO_BIG) {
		snprintf(buf, n, "%s from %s announcing %u",
			 s->family == AF_INET6 ? "Packet Too Big"
					       : "fragmentation needed",
			 who(&r->from, a, sizeof a), r->mtu);
	} else if (r->res == PMTU_LOST) {
		snprintf(buf, n, "lost without any error");
	} else if (r->res == PMTU_FAILED) {
		snprintf(buf, n, "%s", r->detail);
	} else {
		snprintf(buf, n, "not answered before the deadline");
	}
	return buf;
}

static const struct pmtu_ptb *valid_ptb(const struct pmtu_search *s)
{
	const struct pmtu_ptb *best = NULL;

	for (size_t i = 0; i < s->nptb; i++)
		if (!s->ptb[i].ignored && !s->ptb[i].local &&
		    (!best || s->ptb[i].mtu < best->mtu))
			best = &s->ptb[i];
	return best;
}

/* "104 ok, 1024 ok, 1025..1280 lost (18 sizes), 1500 too big" */
static void sizes_line(const struct pmtu_search *s, struct pmtu_verdict *v)
{
	static const char *const word[] = {"untried", "pending", "ok",
					   "too big", "lost",	 "failed"};
	const struct pmtu_size *sorted[PMTU_MAX_SIZES];
	char buf[PMTU_TEXT_LEN];
	size_t len, n = 0;

	for (size_t i = 0; i < s->n; i++) {
		size_t k = n++;
		while (k > 0 && sorted[k - 1]->size > s->sz[i].size) {
			sorted[k] = sorted[k - 1];
			k--;
		}
		sorted[k] = &s->sz[i];
	}
	len = (size_t)snprintf(buf, sizeof buf,
			       "%s sizes tried:", addr_family_name(s->family));
	for (size_t i = 0, j; i < n && len < sizeof buf; i = j) {
		for (j = i + 1; j < n && sorted[j]->res == sorted[i]->res; j++)
			;
		if (j - i == 1)
			len += (size_t)snprintf(buf + len, sizeof buf - len,
						"%s %u %s", i ? "," : "",
						sorted[i]->size,
						word[sorted[i]->res]);
		else
			len += (size_t)snprintf(buf + len, sizeof buf - len,
						"%s %u..%u %s (%zu sizes)",
						i ? "," : "", sorted[i]->size,
						sorted[j - 1]->size,
						word[sorted[i]->res], j - i);
	}
	item(v, STATE_OK, "%s", buf);
}

static void judge_main(const struct pmtu_search *s,
		       const struct pmtu_judge_opts *o, struct pmtu_verdict *v)
{
	bool v6 = s->family == AF_INET6;
	const char *fam = addr_family_name(s->family);
	const char *ptbw = v6 ? "Packet Too Big" : "fragmentation needed";
	unsigned lo = pmtu_lo(s);
	const struct pmtu_size *hi = pmtu_hi(s);
	const struct pmtu_size *m1280 = pmtu_find(s, PMTU_V6_MIN);
	const struct pmtu_ptb *ptb = valid_ptb(s);
	char h[128], a[ADDR_STRLEN];

	if (lo == 0) {
		const struct pmtu_size *sm = pmtu_find(s, s->small);
		if (sm && sm->res != PMTU_LOST && sm->res != PMTU_INFLIGHT)
			item(v, o->unreachable, "%s %s unreachable: %s", fam,
			     o->host, how(s, sm, h, sizeof h));
		else
			item(
			    v, o->unreachable,
			    "%s %s does not answer: no echo reply, not even to "
			    "%u bytes%s",
			    fam, o->host, s->small,
			    o->incomplete ? ", before the deadline" : "");
		return;
	}
	/* 1280 vanishes silently while 1024 passes: a "Large ICMP" filter
	 * (for IPv4 only provable when a router said larger packets fit). */
	if (m1280 && m1280->res == PMTU_LOST && m1280->tries > s->retries &&
	    lo >= PMTU_SCREEN_SIZE && lo < PMTU_V6_MIN &&
	    (v6 || (ptb && ptb->mtu >= PMTU_V6_MIN))) {
		item(v, STATE_CRITICAL,
		     "ICMP%s size screening: ICMP%s larger than %u bytes "
		     "dropped on the path to %s (1280-byte echo lost with no "
		     "%s)",
		     v6 ? "v6" : "", v6 ? "v6" : "", lo, o->host, ptbw);
		return;
	}
	const struct pmtu_size *mr = pmtu_find(s, s->min);
	if (lo < s->min && mr &&
	    (mr->res == PMTU_INFLIGHT ||
	     (mr->res == PMTU_LOST && mr->tries <= s->retries))) {
		item(v, STATE_UNKNOWN,
		     "%s path MTU search to %s stopped at the deadline: %u "
		     "bytes pass, %u not answered yet",
		     fam, o->host, lo, s->min);
		return;
	}
	if (lo < s->min) {
		if (v6)
			item(v, STATE_CRITICAL,
			     "IPv6 minimum MTU broken on the path to %s: "
			     "1280-byte packets do not pass (%s; largest "
			     "passing %u)",
			     o->host, how(s, mr, h, sizeof h), lo);
		else
			item(v, STATE_CRITICAL,
			     "IPv4 packets of %u bytes do not pass to %s (%s; "
			     "largest passing %u)",
			     s->min, o->host, how(s, mr, h, sizeof h), lo);
		return;
	}
	enum state rs = range_state(o->warn, o->crit, lo);
	if (lo >= s->max) {
		item(v, rs,
		     "%s path MTU %u to %s: the largest size passes (%s)", fam,
		     lo, o->host,
		     o->max_given ? "--max-size"
				  : "the outgoing interface's MTU");
		return;
	}
	if (!hi ||
	    (o->incomplete && hi->size > lo + 1 && hi->res != PMTU_LOST)) {
		item(v, STATE_UNKNOWN,
		     "%s path MTU search to %s stopped at the deadline: %u "
		     "passes%s%s",
		     fam, o->host, lo, hi ? ", larger is " : "",
		     hi ? how(s, hi, h, sizeof h) : "");
		return;
	}
	if (hi->res == PMTU_TOO_BIG) {
		if (hi->local)
			item(v, rs,
			     "%s path MTU %u to %s (this host's interface "
			     "MTU)",
			     fam, lo, o->host);
		else
			item(v, rs, "%s path MTU %u to %s (%s)", fam, lo,
			     o->host, how(s, hi, h, sizeof h));
		return;
	}
	if (hi->res == PMTU_FAILED) {
		item(v, STATE_CRITICAL,
		     "%s packets larger than %u bytes to %s are rejected: %s",
		     fam, lo, o->host, hi->detail);
		return;
	}
	if (hi->tries <= s->retries) {
		item(v, STATE_UNKNOWN,
		     "%s path MTU search to %s stopped at the deadline: %u "
		     "bytes pass, %u were lost once and not sent again yet",
		     fam, o->host, lo, hi->size);
		return;
	}
	char extra[160] = "";
	if (ptb && ptb->mtu > lo)
		snprintf(extra, sizeof extra, "; a %s from %s announced %u",
			 ptbw, who(&ptb->from, a, sizeof a), ptb->mtu);
	else if (!v6 && lo == PMTU_SCREEN_SIZE)
		snprintf(extra, sizeof extra,
			 "; exactly 1024 bytes: possibly "
			 "ICMP size screening");
	if (o->incomplete && hi->size > lo + 1)
		item(v, STATE_CRITICAL,
		     "PMTUD blackhole: packets of %u bytes are dropped and no "
		     "%s "
		     "comes back; %u bytes pass (%s to %s, search stopped at "
		     "the "
		     "deadline%s)",
		     hi->size, ptbw, lo, fam, o->host, extra);
	else
		item(
		    v, STATE_CRITICAL,
		    "PMTUD blackhole: packets larger than %u bytes are dropped "
		    "and no %s comes back (%s to %s%s)",
		    lo, ptbw, fam, o->host, extra);
}

void pmtu_judge(const struct pmtu_search *s, const struct pmtu_judge_opts *o,
		struct pmtu_verdict *v)
{
	char a[ADDR_STRLEN];
	const char *fam = addr_family_name(s->family);

	memset(v, 0, sizeof *v);
	v->pmtu = pmtu_lo(s);
	judge_main(s, o, v);
	v->state = v->items[0].state;
	for (size_t i = 0; i < s->nptb; i++) {
		const struct pmtu_ptb *p = &s->ptb[i];
		if (p->local)
			item(v, STATE_OK,
			     "%s: %u bytes do not fit this host's "
			     "interface MTU %u",
			     fam, p->size, p->mtu);
		else if (p->ignored)
			item(v, STATE_WARNING,
			     "%s: ignored %s from %s announcing MTU %u for a "
			     "%u-byte probe (%s)",
			     fam,
			     s->family == AF_INET6 ? "Packet Too Big"
						   : "fragmentation needed",
			     who(&p->from, a, sizeof a), p->mtu, p->size,
			     p->mtu >= p->size ? "not smaller than the probe"
			     : s->family == AF_INET6
				 ? "below the IPv6 minimum 1280, RFC 8201 "
				   "section 4"
				 : "below 68, RFC 791");
		else
			item(v, STATE_OK,
			     "%s: %s from %s: MTU %u (for a %u-byte "
			     "probe)",
			     fam,
			     s->family == AF_INET6 ? "Packet Too Big"
						   : "fragmentation needed",
			     who(&p->from, a, sizeof a), p->mtu, p->size);
		v->state = state_worst(v->state, v->items[v->nitems - 1].state);
	}
	sizes_line(s, v);
}

/* --- what the kernel knows ---------------------------------------------------
 */

static int connected_udp(const struct sockaddr_storage *dst)
{
	struct sockaddr_storage d = *dst;
	int fd = socket(dst->ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
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

unsigned pmtu_iface_mtu(const struct sockaddr_storage *dst, char *ifname)
{
	struct sockaddr_storage src;
	socklen_t sl = sizeof src;
	struct ifaddrs *ifa = NULL;
	unsigned mtu = 0;
	int fd = connected_udp(dst);

	ifname[0] = '\0';
	if (fd < 0)
		return 0;
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

unsigned pmtu_cached(const struct sockaddr_storage *dst)
{
	char ifname[IF_NAMESIZE];
	unsigned iface = pmtu_iface_mtu(dst, ifname);
	int fd = connected_udp(dst), mtu = 0;
	socklen_t ml = sizeof mtu;

	if (fd < 0)
		return 0;
	if (dst->ss_family == AF_INET6)
		getsockopt(fd, IPPROTO_IPV6, IPV6_MTU, &mtu, &ml);
	else
		getsockopt(fd, IPPROTO_IP, IP_MTU, &mtu, &ml);
	close(fd);
	return iface && mtu > 0 && (unsigned)mtu < iface ? (unsigned)mtu : 0;
}

/* --- TCP mode ----------------------------------------------------------------
 */

size_t pmtu_request(char *buf, size_t cap, const char *send, const char *uri,
		    const char *hosthdr)
{
	size_t n = 0;

	if (!send) {
		int k = snprintf(buf, cap,
				 "GET %s HTTP/1.0\r\nHost: %s\r\nUser-Agent: "
				 "check_pmtu\r\nAccept: */*\r\nConnection: "
				 "close\r\n\r\n",
				 uri, hosthdr);
		return k < 0 || (size_t)k >= cap ? 0 : (size_t)k;
	}
	for (; *send; send++) {
		if (n + 1 >= cap)
			return 0;
		if (*send == '\\' && send[1] && strchr("rnt\\", send[1])) {
			send++;
			buf[n++] = *send == 'r'	  ? '\r'
				   : *send == 'n' ? '\n'
				   : *send == 't' ? '\t'
						  : '\\';
		} else {
			buf[n++] = *send;
		}
	}
	buf[n] = '\0';
	return n;
}

static void fetch_end(struct pmtu_fetch *f, enum pmtu_fetch_end e,
		      const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void fetch_end(struct pmtu_fetch *f, enum pmtu_fetch_end e,
		      const char *fmt, ...)
{
	va_list ap;

	if (f->end != FETCH_RUNNING)
		return;
	f->end = e;
	f->total_s = (e == FETCH_EOF ? f->last_s : mono_now_s()) - f->start_s;
	va_start(ap, fmt);
	vsnprintf(f->why, sizeof f->why, fmt, ap);
	va_end(ap);
	if (f->fd >= 0) {
		if (f->loop)
			loop_watch(f->loop, f->fd, 0, NULL, NULL);
		close(f->fd);
		f->fd = -1;
	}
}

/* The status line, from the first chunk read (sanitised by report). */
static void keep_first_line(struct pmtu_fetch *f, const char *b, size_t n)
{
	size_t i = 0;

	while (i < n && i + 1 < sizeof f->first_line && b[i] != '\r' &&
	       b[i] != '\n')
		i++;
	memcpy(f->first_line, b, i);
	f->first_line[i] = '\0';
}

static void fetch_io(int fd, short revents, void *arg)
{
	struct pmtu_fetch *f = arg;
	char buf[16384];

	(void)revents;
	if (!f->connected) {
		int e = 0;
		socklen_t el = sizeof e;
		getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &el);
		if (e) {
			fetch_end(f, FETCH_NOCONN, "%s", strerror(e));
			return;
		}
		struct tcp_info ti;
		socklen_t tl = sizeof ti;
		if (!getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &tl)) {
			f->adv_mss = (int)ti.tcpi_advmss;
			f->pmtu = (int)ti.tcpi_pmtu;
		}
		f->connected = true;
		f->last_s = mono_now_s();
		f->connect_s = f->last_s - f->start_s;
	}
	while (f->sent < f->reqlen) {
		ssize_t n = send(fd, f->req + f->sent, f->reqlen - f->sent,
				 MSG_NOSIGNAL);
		if (n < 0 && errno == EAGAIN)
			break;
		if (n < 0) {
			fetch_end(f, FETCH_NOCONN, "sending the request: %s",
				  strerror(errno));
			return;
		}
		f->sent += (size_t)n;
	}
	loop_watch(f->loop, fd, f->sent < f->reqlen ? POLLIN | POLLOUT : POLLIN,
		   fetch_io, f);
	for (int i = 0; i < 64; i++) {
		ssize_t n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
		if (n > 0) {
			if (f->bytes == 0)
				keep_first_line(f, buf, (size_t)n);
			f->bytes += (size_t)n;
			f->last_s = mono_now_s();
			continue;
		}
		if (n == 0)
			fetch_end(f, FETCH_EOF, "complete");
		else if (errno != EAGAIN)
			fetch_end(f, FETCH_NOCONN, "%s after %zu bytes",
				  strerror(errno), f->bytes);
		return;
	}
}

int pmtu_fetch_start(struct pmtu_fetch *f, struct loop *l)
{
	f->fd = socket(f->dst.ss_family,
		       SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	f->loop = l;
	f->start_s = f->last_s = mono_now_s();
	f->end = FETCH_RUNNING;
	if (f->fd < 0) {
		fetch_end(f, FETCH_NOCONN, "socket: %s", strerror(errno));
		return -1;
	}
	/* Before connect: the SYN advertises it (RFC 9293 section 3.7.1). */
	if (f->mss && setsockopt(f->fd, IPPROTO_TCP, TCP_MAXSEG, &f->mss,
				 sizeof f->mss)) {
		fetch_end(f, FETCH_NOCONN, "TCP_MAXSEG %d: %s", f->mss,
			  strerror(errno));
		return -1;
	}
	if (connect(f->fd, (struct sockaddr *)&f->dst,
		    addr_len(f->dst.ss_family)) &&
	    errno != EINPROGRESS) {
		fetch_end(f, FETCH_NOCONN, "%s", strerror(errno));
		return -1;
	}
	if (loop_watch(l, f->fd, POLLOUT, fetch_io, f)) {
		fetch_end(f, FETCH_NOCONN, "out of memory");
		return -1;
	}
	return 0;
}

long pmtu_fetch_next_ms(void *arg)
{
	struct pmtu_fetch *f = arg;

	if (f->end != FETCH_RUNNING)
		return -1;
	double left = f->last_s + (double)f->stall_ms / 1000 - mono_now_s();
	return left <= 0 ? 0 : (long)(left * 1000 + 0.999);
}

void pmtu_fetch_fire(void *arg)
{
	struct pmtu_fetch *f = arg;

	if (!f->connected)
		fetch_end(f, FETCH_NOCONN, "no connection within %.1f s",
			  (double)f->stall_ms / 1000);
	else
		fetch_end(f, FETCH_STALLED, "stalled after %zu bytes",
			  f->bytes);
}

void pmtu_fetch_finish(struct pmtu_fetch *f)
{
	if (!f->connected)
		fetch_end(f, FETCH_NOCONN, "no connection before the deadline");
	else
		fetch_end(f, FETCH_DEADLINE,
			  "stalled after %zu bytes "
			  "(deadline)",
			  f->bytes);
}

static const char *fetch_words(const struct pmtu_fetch *f, char *b, size_t n)
{
	if (f->end == FETCH_EOF)
		snprintf(b, n, "%zu B in %.3f s", f->bytes, f->total_s);
	else
		snprintf(b, n, "%s", f->why);
	return b;
}

void pmtu_judge_tcp(int family, const char *host, const struct pmtu_fetch *nf,
		    const struct pmtu_fetch *cf, int clamp_mss,
		    struct pmtu_verdict *v)
{
	const char *fam = addr_family_name(family);
	char a[128], b[128];
	bool n_ok = nf->end == FETCH_EOF, c_ok = cf->end == FETCH_EOF;

	memset(v, 0, sizeof *v);
	fetch_words(nf, a, sizeof a);
	fetch_words(cf, b, sizeof b);
	if (nf->connected && !n_ok && (c_ok || cf->bytes > nf->bytes)) {
		item(v, STATE_CRITICAL,
		     "PMTUD blackhole toward %s: %s does not reach "
		     "the server; with MSS %d the response arrives (%s; normal "
		     "MSS: %s; MSS %d: %s)",
		     host,
		     family == AF_INET6 ? "Packet Too Big"
					: "fragmentation needed",
		     clamp_mss, fam, a, clamp_mss, b);
	} else if (n_ok && nf->adv_mss > 0 && nf->adv_mss <= clamp_mss) {
		item(v, STATE_UNKNOWN,
		     "%s %s: cannot tell: this host already advertises MSS %d "
		     "(its kernel caches path MTU %d; flush the route cache or "
		     "wait for it to expire), so both fetches are clamped "
		     "(normal: %s; MSS %d: %s)",
		     fam, host, nf->adv_mss, nf->pmtu, a, clamp_mss, b);
	} else if (n_ok && c_ok) {
		item(v, STATE_OK,
		     "%s %s: both fetches complete: normal MSS %d: %s; MSS %d: "
		     "%s",
		     fam, host, nf->adv_mss, a, clamp_mss, b);
	} else if (!n_ok && !c_ok && nf->bytes && nf->bytes == cf->bytes &&
		   nf->end == FETCH_STALLED) {
		item(
		    v, STATE_OK,
		    "%s %s: both fetches got %zu B, then the server went quiet "
		    "without closing",
		    fam, host, nf->bytes);
	} else if (n_ok) {
		item(v, STATE_WARNING,
		     "%s %s: the normal fetch completes (%s) but the one with "
		     "MSS "
		     "%d failed: %s",
		     fam, host, a, clamp_mss, b);
	} else {
		item(v, STATE_CRITICAL,
		     "%s %s: both fetches failed: normal MSS: %s; MSS %d: %s",
		     fam, host, a, clamp_mss, b);
	}
	v->state = v->items[0].state;
	v->pmtu = 0;
	if (nf->first_line[0])
		item(v, STATE_OK, "%s response: %s", fam, nf->first_line);
	else if (cf->first_line[0])
		item(v, STATE_OK, "%s response: %s", fam, cf->first_line);
}
