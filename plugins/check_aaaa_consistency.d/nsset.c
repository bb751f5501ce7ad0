#include "check_aaaa_consistency.d/nsset.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "deadline.h"

int nsset_add(struct nsset *s, const struct host *h)
{
	if (s->n == NSSET_MAX)
		return -1;
	struct nsset_server *v = &s->v[s->n++];
	memset(v, 0, sizeof *v);
	if (!h) {
		snprintf(v->label, sizeof v->label, "system resolver");
		v->family = AF_UNSPEC;
		return 0;
	}
	v->addr = *h;
	v->family = h->family;
	if (h->port)
		addr_format_port((const struct sockaddr *)&h->sa, v->label,
				 sizeof v->label);
	else
		addr_format((const struct sockaddr *)&h->sa, v->label,
			    sizeof v->label);
	return 0;
}

int nsset_parse_server(const char *arg, void *target, char *err, size_t errlen)
{
	struct host h;

	if (addr_parse_host(arg, true, &h, err, errlen))
		return -1;
	if (!h.literal) {
		snprintf(err, errlen, "\"%s\" is not an address", arg);
		return -1;
	}
	if (nsset_add(target, &h) == 0)
		return 0;
	snprintf(err, errlen, "at most %d servers", NSSET_MAX);
	return -1;
}

struct batch {
	struct dns_ctx **c;
	size_t n;
};

static bool batch_idle(void *arg)
{
	const struct batch *b = arg;

	for (size_t i = 0; i < b->n; i++)
		if (!dns_idle(b->c[i]))
			return false;
	return true;
}

int nsset_ask(const struct nsset *s, struct loop *l, struct nsset_job *jobs,
	      size_t n, const struct dns_opts *o, long limit_ms, char *err,
	      size_t errlen)
{
	struct dns_ctx *c[LOOP_MAX_TIMERS];
	size_t room = LOOP_MAX_TIMERS - l->nt;

	if (room == 0) {
		snprintf(err, errlen, "DNS: no loop timer left");
		return -1;
	}
	for (size_t lo = 0; lo < s->n; lo += room) {
		struct batch b = {c, 0};
		for (; b.n < room && lo + b.n < s->n; b.n++) {
			const struct nsset_server *v = &s->v[lo + b.n];
			c[b.n] =
			    dns_new(l, v->family == AF_UNSPEC ? NULL : &v->addr,
				    o, err, errlen);
			if (!c[b.n]) {
				while (b.n)
					dns_free(c[--b.n]);
				return -1;
			}
		}
		for (size_t i = 0; i < n; i++)
			if (jobs[i].server >= lo && jobs[i].server < lo + b.n)
				dns_submit(c[jobs[i].server - lo], jobs[i].q);
		loop_run(l, batch_idle, &b, limit_ms);
		/* dns_free() marks what is still pending as timed out. */
		while (b.n)
			dns_free(c[--b.n]);
	}
	return 0;
}

/* Queries in our hands per server at once; each context sends at most
 * 64 of them at a time (common/dns), the rest wait there. */
#define WINDOW 128

struct want { /* one query to make */
	struct nsset_result *r;
	size_t server;
	enum dns_type type;
};

/* The window over the wants of servers lo..lo+nc: a slot holds the
 * query of one want while it is out. */
struct stream {
	struct dns_ctx **c;
	size_t lo, nc;
	struct want *w;
	size_t nw, next; /* wants of this round; the first not yet sent */
	struct dns_query *slot;
	struct want **owner; /* NULL: a free slot */
	size_t nslots, busy;
	bool closing; /* the round is over: take outcomes, send nothing */
};

static void keep(struct nsset_result *r, const struct dns_query *q)
{
	r->outcome = q->outcome;
	r->rcode = q->rcode;
	r->elapsed_s = q->elapsed_s;
	r->nfound = q->nfound;
	r->cname_loop = q->cname_loop;
	r->cut = q->cut;
	snprintf(r->detail, sizeof r->detail, "%.63s", q->detail);
	r->addrs = q->naddrs ? malloc(q->naddrs * sizeof *r->addrs) : NULL;
	r->naddrs = r->addrs ? q->naddrs : 0;
	if (r->addrs)
		memcpy(r->addrs, q->addrs, q->naddrs * sizeof *r->addrs);
}

/* Called by the loop on each turn: takes what has an outcome, refills
 * the free slots. True when every want of the round has its result. */
static bool stream_step(void *arg)
{
	struct stream *st = arg;

	for (size_t i = 0; i < st->nslots; i++) {
		if (st->owner[i] && st->slot[i].outcome != DNS_PENDING) {
			keep(st->owner[i]->r, &st->slot[i]);
			st->owner[i] = NULL;
			st->busy--;
		}
		if (st->owner[i] || st->next == st->nw || st->closing)
			continue;
		struct want *w = &st->w[st->next++];
		struct dns_query *q = &st->slot[i];
		snprintf(q->name, sizeof q->name, "%s", w->r->name);
		q->type = w->type;
		st->owner[i] = w;
		st->busy++;
		dns_submit(st->c[w->server - st->lo], q);
	}
	return st->busy == 0 && st->next == st->nw;
}

static int stream_round(struct stream *st, struct loop *l,
			const struct nsset *s, const struct dns_opts *o,
			long limit_ms, char *err, size_t errlen)
{
	for (size_t v = 0; v < st->nc; v++) {
		const struct nsset_server *sv = &s->v[st->lo + v];
		st->c[v] =
		    dns_new(l, sv->family == AF_UNSPEC ? NULL : &sv->addr, o,
			    err, errlen);
		if (!st->c[v]) {
			while (v)
				dns_free(st->c[--v]);
			return -1;
		}
	}
	st->closing = false;
	loop_run(l, stream_step, st, limit_ms);
	/* dns_finish() marks what is still out as timed out (cut); keep it. */
	st->closing = true;
	for (size_t v = 0; v < st->nc; v++)
		dns_finish(st->c[v]);
	(void)stream_step(st);
	for (size_t v = 0; v < st->nc; v++)
		dns_free(st->c[v]);
	for (; st->next < st->nw; st->next++) {
		st->w[st->next].r->outcome = DNS_TIMEOUT;
		st->w[st->next].r->rcode = -1;
		st->w[st->next].r->cut = true;
	}
	return 0;
}

int nsset_ask_names(const struct nsset *s, struct loop *l, char *const *names,
		    size_t n, struct nsset_answer **out,
		    const struct dns_opts *o, long limit_ms, char *err,
		    size_t errlen)
{
	size_t room = LOOP_MAX_TIMERS - l->nt, rc = 0;
	struct dns_ctx *c[LOOP_MAX_TIMERS];
	struct want *w = calloc(n * s->n * 2 + 1, sizeof *w);
	struct stream st = {.c = c, .w = w};

	st.slot = calloc(WINDOW * (room ? room : 1), sizeof *st.slot);
	st.owner = calloc(WINDOW * (room ? room : 1), sizeof *st.owner);
	if (!w || !st.slot || !st.owner || room == 0) {
		snprintf(err, errlen,
			 room ? "DNS: out of memory"
			      : "DNS: no loop timer left");
		rc = 1;
	}
	for (size_t i = 0; !rc && i < n; i++) {
		out[i] = !s->zone[0] || nsset_in_zone(names[i], s->zone)
			     ? calloc(s->n ? s->n : 1, sizeof *out[i])
			     : NULL;
		for (size_t v = 0; out[i] && v < s->n; v++) {
			out[i][v].server = v;
			for (int k = 0; k < 2; k++) {
				out[i][v].q[k].name = names[i];
				out[i][v].q[k].rcode = -1;
			}
		}
	}
	/* One round per group of servers the loop has timers for; in each,
	 * every A of every name, then every AAAA. */
	for (st.lo = 0; !rc && st.lo < s->n; st.lo += st.nc) {
		st.nc = s->n - st.lo < room ? s->n - st.lo : room;
		st.nslots = WINDOW * st.nc;
		st.nw = st.next = st.busy = 0;
		for (int k = 0; k < 2; k++)
			for (size_t i = 0; i < n; i++)
				for (size_t v = st.lo;
				     out[i] && v < st.lo + st.nc; v++)
					st.w[st.nw++] =
					    (struct want){&out[i][v].q[k], v,
							  k ? DNS_AAAA : DNS_A};
		rc = stream_round(&st, l, s, o, limit_ms, err, errlen) < 0;
	}
	free(w);
	free(st.slot);
	free(st.owner);
	return rc ? -1 : 0;
}

#define CHASE_MAX  64
#define CHASE_HOPS 8

struct chase {
	struct nsset_answer *a; /* the answer of the name at one server */
	char seen[CHASE_HOPS + 1][256];
	size_t nseen;
	bool done;
};

static bool servfail(const struct nsset_answer *a)
{
	return a->q[0].outcome == DNS_SERVFAIL ||
	       a->q[1].outcome == DNS_SERVFAIL;
}

/* One hop's answer: the next name, a loop, or the end of the chain. */
static void hop(struct chase *c, const struct dns_query *q)
{
	c->done = true;
	if (q->outcome != DNS_ANSWER || q->nnames == 0)
		return;
	for (size_t i = 0; i < c->nseen; i++)
		if (!strcasecmp(c->seen[i], q->names[0])) {
			for (int k = 0; k < 2; k++)
				c->a->q[k].cname_loop |=
				    c->a->q[k].outcome == DNS_SERVFAIL;
			return;
		}
	if (c->nseen == CHASE_HOPS + 1)
		return;
	snprintf(c->seen[c->nseen++], sizeof c->seen[0], "%s", q->names[0]);
	c->done = false;
}

int nsset_chase_cnames(const struct nsset *s, struct loop *l,
		       struct nsset_answer **a, size_t n,
		       const struct dns_opts *o, long limit_ms, char *err,
		       size_t errlen)
{
	struct chase *c = calloc(CHASE_MAX, sizeof *c);
	struct dns_query *q = calloc(CHASE_MAX, sizeof *q);
	struct nsset_job *jobs = calloc(CHASE_MAX, sizeof *jobs);
	size_t nc = 0;
	int rc = 0;

	if (!c || !q || !jobs) {
		snprintf(err, errlen, "DNS: out of memory");
		rc = -1;
	}
	for (size_t i = 0; !rc && i < n && nc < CHASE_MAX; i++)
		for (size_t v = 0; a[i] && v < s->n && nc < CHASE_MAX; v++)
			if (servfail(&a[i][v])) {
				c[nc].a = &a[i][v];
				snprintf(c[nc].seen[0], sizeof c[0].seen[0],
					 "%s", a[i][v].q[0].name);
				c[nc++].nseen = 1;
			}
	for (int h = 0; !rc && h < CHASE_HOPS; h++) {
		size_t nj = 0;
		for (size_t i = 0; i < nc; i++) {
			if (c[i].done)
				continue;
			memset(&q[nj], 0, sizeof q[nj]);
			snprintf(q[nj].name, sizeof q[nj].name, "%s",
				 c[i].seen[c[i].nseen - 1]);
			q[nj].type = DNS_CNAME;
			jobs[nj] = (struct nsset_job){&q[nj], c[i].a->server};
			nj++;
		}
		if (nj == 0)
			break;
		rc = nsset_ask(s, l, jobs, nj, o, limit_ms, err, errlen);
		for (size_t i = 0, j = 0; !rc && i < nc; i++)
			if (!c[i].done)
				hop(&c[i], &q[j++]);
	}
	free(c);
	free(q);
	free(jobs);
	return rc;
}

void nsset_answers_free(struct nsset_answer *a, size_t n)
{
	for (size_t i = 0; a && i < n; i++)
		for (int k = 0; k < 2; k++)
			free(a[i].q[k].addrs);
	free(a);
}

static void add_ns_addrs(struct nsset *s, const char *ns,
			 const struct dns_query *q)
{
	for (size_t a = 0; q->outcome == DNS_ANSWER && a < q->naddrs; a++) {
		s->addrs_total++;
		if (s->n == NSSET_MAX)
			continue;
		struct host h = {.literal = true,
				 .family = q->addrs[a].ss_family};
		h.sa = q->addrs[a];
		h.salen = addr_len(h.family);
		addr_format((const struct sockaddr *)&h.sa, h.name,
			    sizeof h.name);
		if (nsset_add(s, &h) < 0)
			return;
		snprintf(s->v[s->n - 1].ns, sizeof s->v[0].ns, "%s", ns);
		snprintf(s->v[s->n - 1].label, sizeof s->v[0].label, "%s (%s)",
			 ns, h.name);
	}
}

static int cmp_text(const void *a, const void *b)
{
	return strcmp(a, b);
}

static long left_ms(double end_s)
{
	double left = (end_s - mono_now_s()) * 1000;
	return left > 0 ? (long)left : 0;
}

int nsset_authoritative(struct nsset *s, struct loop *l, const char *name,
			const struct dns_opts *o, long limit_ms, char *err,
			size_t errlen)
{
	static struct dns_query zq;
	struct nsset_job jobs[2 * NSSET_MAX_NS];
	const char *p = name;
	size_t sys = s->n;
	double end_s = mono_now_s() + (double)limit_ms / 1000;

	if (nsset_add(s, NULL) < 0) {
		snprintf(err, errlen, "at most %d servers", NSSET_MAX);
		return -1;
	}
	/* From the name up, one label at a time: NODATA and NXDOMAIN mean
	 * "not a zone apex", and a parent is asked only then. */
	deadline_step("looking up the NS records of %s", name);
	for (zq.outcome = DNS_PENDING; *p && zq.outcome != DNS_ANSWER;) {
		const char *dot = strchr(p, '.');
		memset(&zq, 0, sizeof zq);
		snprintf(zq.name, sizeof zq.name, "%s", p);
		zq.type = DNS_NS;
		jobs[0] = (struct nsset_job){&zq, sys};
		if (nsset_ask(s, l, jobs, 1, o, left_ms(end_s), err, errlen) <
		    0)
			return -1;
		/* SERVFAIL too: a resolver's answer for a name whose CNAME
		 * chain loops; such a name is no zone apex either. */
		if (zq.outcome != DNS_ANSWER && zq.outcome != DNS_NODATA &&
		    zq.outcome != DNS_NXDOMAIN && zq.outcome != DNS_SERVFAIL)
			break;
		p = dot ? dot + 1 : p + strlen(p);
	}
	if (zq.outcome != DNS_ANSWER) {
		s->cut = zq.cut;
		snprintf(
		    err, errlen,
		    "no NS records found for %s or its parents (%s for %s)",
		    name, dns_outcome_name(zq.outcome), zq.name);
		return -1;
	}
	snprintf(s->zone, sizeof s->zone, "%s", zq.name);
	/* Sorted, so that the output does not follow a resolver's rotation. */
	qsort(zq.names, zq.nnames, sizeof zq.names[0], cmp_text);
	s->nlookups = 0;
	s->ns_total = zq.nfound > zq.nnames ? zq.nfound : zq.nnames;
	s->ns_asked = zq.nnames < NSSET_MAX_NS ? zq.nnames : NSSET_MAX_NS;
	for (size_t m = 0; m < zq.nnames && m < NSSET_MAX_NS; m++)
		for (int k = 0; k < 2; k++) {
			struct dns_query *q = &s->lookups[s->nlookups];
			memset(q, 0, sizeof *q);
			snprintf(q->name, sizeof q->name, "%s", zq.names[m]);
			q->type = k ? DNS_AAAA : DNS_A;
			jobs[s->nlookups++] = (struct nsset_job){q, sys};
		}
	deadline_step("looking up the addresses of the name servers of %s",
		      s->zone);
	if (nsset_ask(s, l, jobs, s->nlookups, o, left_ms(end_s), err, errlen) <
	    0)
		return -1;
	s->n = sys; /* the system resolver was only the means */
	for (size_t i = 0; i < s->nlookups; i++)
		add_ns_addrs(s, s->lookups[i].name, &s->lookups[i]);
	if (s->n > sys)
		return 0;
	for (size_t i = 0; i < s->nlookups; i++)
		s->cut |= s->lookups[i].cut;
	snprintf(err, errlen, "no address found for the name servers of %s",
		 s->zone);
	return -1;
}

void nsset_answer_text(const struct nsset_result *q, char *buf, size_t len)
{
	char v[DNS_MAX_ADDRS][ADDR_STRLEN];
	size_t pos = 0;

	buf[0] = '\0';
	if (q->outcome == DNS_NODATA || q->outcome == DNS_NXDOMAIN)
		snprintf(buf, len, "%s", dns_outcome_name(q->outcome));
	if (q->outcome != DNS_ANSWER)
		return;
	for (size_t i = 0; i < q->naddrs; i++)
		addr_format((const struct sockaddr *)&q->addrs[i], v[i],
			    sizeof v[i]);
	qsort(v, q->naddrs, sizeof v[0], cmp_text);
	for (size_t i = 0; i < q->naddrs && pos + 1 < len; i++) {
		int w =
		    snprintf(buf + pos, len - pos, "%s%s", i ? "," : "", v[i]);
		if (w < 0 || (size_t)w >= len - pos)
			break;
		pos += (size_t)w;
	}
}

static void append(char *buf, size_t len, size_t *pos, const char *a,
		   const char *b)
{
	int w = snprintf(buf + *pos, len - *pos, "%s%s", a, b);

	if (w > 0)
		*pos = *pos + (size_t)w >= len ? len - 1 : *pos + (size_t)w;
}

/* Server u of a, then the other addresses of its NS in the same group:
 * "ns1.x (192.0.2.53, 2001:db8::53)", each marked done; or its label. */
static void append_server(const struct nsset *s, const struct nsset_answer *a,
			  size_t n, size_t u, char (*sig)[256], bool *done,
			  char *buf, size_t len, size_t *pos, const char *sep)
{
	const struct nsset_server *v = &s->v[a[u].server];

	done[u] = true;
	append(buf, len, pos, sep, v->ns[0] ? v->ns : v->label);
	if (!v->ns[0])
		return;
	append(buf, len, pos, " (", v->addr.name);
	for (size_t x = u + 1; x < n; x++)
		if (!done[x] && !strcmp(sig[x], sig[u]) &&
		    !strcmp(s->v[a[x].server].ns, v->ns)) {
			done[x] = true;
			append(buf, len, pos, ", ",
			       s->v[a[x].server].addr.name);
		}
	append(buf, len, pos, ")", "");
}

bool nsset_disagreement(const struct nsset *s, const struct nsset_answer *a,
			size_t n, int k, const bool *skip, char *buf,
			size_t len)
{
	char sig[NSSET_MAX][256];
	bool done[NSSET_MAX], differ = false;
	size_t first = NSSET_MAX, pos = 0;

	n = n < NSSET_MAX ? n : NSSET_MAX;
	for (size_t j = 0; j < n; j++) {
		nsset_answer_text(&a[j].q[k], sig[j], sizeof sig[j]);
		done[j] = skip[a[j].server] || !sig[j][0];
		first = done[j] || first != NSSET_MAX ? first : j;
		differ |= !done[j] && strcmp(sig[j], sig[first]);
	}
	if (!differ || len == 0)
		return false;
	snprintf(buf, len, "servers disagree on %s for %s:", k ? "AAAA" : "A",
		 a[0].q[k].name);
	pos = strlen(buf);
	/* One group per answer, in server order; within it one entry per
	 * server, the addresses of one NS together. */
	for (size_t j = first; j < n; j++) {
		size_t m = 0;
		if (done[j])
			continue;
		for (size_t u = j; u < n; u++)
			if (!done[u] && !strcmp(sig[u], sig[j]))
				append_server(s, a, n, u, sig, done, buf, len,
					      &pos,
					      m++	  ? ", "
					      : j > first ? "; "
							  : " ");
		append(buf, len, &pos, m > 1 ? " say " : " says ", sig[j]);
	}
	return true;
}

bool nsset_in_zone(const char *name, const char *zone)
{
	size_t n = strlen(name), z = strlen(zone);

	n -= n && name[n - 1] == '.';
	z -= z && zone[z - 1] == '.';
	if (z > n || strncasecmp(name + n - z, zone, z))
		return false;
	return z == n || z == 0 || name[n - z - 1] == '.';
}
