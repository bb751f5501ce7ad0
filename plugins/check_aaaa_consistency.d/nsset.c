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

int nsset_ask_names(const struct nsset *s, struct loop *l, char *const *names,
		    size_t n, struct nsset_answer **out,
		    const struct dns_opts *o, long limit_ms, char *err,
		    size_t errlen)
{
	struct nsset_job *jobs = calloc(n * s->n * 2 + 1, sizeof *jobs);
	size_t nj = 0;

	if (!jobs) {
		snprintf(err, errlen, "DNS: out of memory");
		return -1;
	}
	for (size_t j = 0; j < n * 2; j++) {
		size_t i = j % n;
		int k = j >= n;
		if (!k)
			out[i] = !s->zone[0] || nsset_in_zone(names[i], s->zone)
				     ? calloc(s->n ? s->n : 1, sizeof *out[i])
				     : NULL;
		for (size_t v = 0; out[i] && v < s->n; v++) {
			struct dns_query *q = &out[i][v].q[k];
			out[i][v].server = v;
			snprintf(q->name, sizeof q->name, "%s", names[i]);
			q->type = k ? DNS_AAAA : DNS_A;
			jobs[nj++] = (struct nsset_job){q, v};
		}
	}
	int rc = nsset_ask(s, l, jobs, nj, o, limit_ms, err, errlen);
	free(jobs);
	return rc;
}

static void add_ns_addrs(struct nsset *s, const char *ns,
			 const struct dns_query *q)
{
	for (size_t a = 0; q->outcome == DNS_ANSWER && a < q->naddrs; a++) {
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

int nsset_authoritative(struct nsset *s, struct loop *l, const char *name,
			const struct dns_opts *o, long limit_ms, char *err,
			size_t errlen)
{
	static struct dns_query zq;
	struct nsset_job jobs[2 * NSSET_MAX_NS];
	const char *p = name;
	size_t sys = s->n;

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
		if (nsset_ask(s, l, jobs, 1, o, limit_ms, err, errlen) < 0)
			return -1;
		if (zq.outcome != DNS_ANSWER && zq.outcome != DNS_NODATA &&
		    zq.outcome != DNS_NXDOMAIN)
			break;
		p = dot ? dot + 1 : p + strlen(p);
	}
	if (zq.outcome != DNS_ANSWER) {
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
	if (nsset_ask(s, l, jobs, s->nlookups, o, limit_ms, err, errlen) < 0)
		return -1;
	s->n = sys; /* the system resolver was only the means */
	for (size_t i = 0; i < s->nlookups; i++)
		add_ns_addrs(s, s->lookups[i].name, &s->lookups[i]);
	if (s->n > sys)
		return 0;
	snprintf(err, errlen, "no address found for the name servers of %s",
		 s->zone);
	return -1;
}

void nsset_answer_text(const struct dns_query *q, char *buf, size_t len)
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
