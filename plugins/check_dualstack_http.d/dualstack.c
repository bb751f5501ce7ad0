#include "check_dualstack_http.d/dualstack.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "addr.h"
#include "deadline.h"
#include "log.h"
#include "report.h"

int dualstack_index(int family)
{
	return family == AF_INET6;
}

const char *dualstack_addr(const struct sockaddr_storage *a, char *buf,
			   size_t len)
{
	char t[ADDR_STRLEN];

	addr_format((const struct sockaddr *)a, t, sizeof t);
	snprintf(buf, len, a->ss_family == AF_INET6 ? "[%s]" : "%s", t);
	return buf;
}

static void step(const struct dualstack_fetch *f)
{
	size_t busy = 0;

	for (size_t i = 0; i < f->nt; i++)
		busy += !f->t[i].x.done;
	if (busy)
		deadline_step("fetching %s (%zu transfers running)", f->url,
			      busy);
	else
		deadline_step("resolving %s", f->name);
}

static void on_done(struct http_xfer *x, void *arg);

static void start(struct dualstack_target *t)
{
	char err[256];

	t->x.url = t->url;
	t->x.addr = t->addr;
	t->x.o = t->fetch->http;
	t->x.on_done = on_done;
	t->x.arg = t;
	if (http_start(t->fetch->hc, &t->x, err, sizeof err) < 0)
		vlog(1, "%s: %s\n", t->url, err);
	step(t->fetch);
}

static void add_target(struct dualstack_fetch *f,
		       const struct sockaddr_storage *a)
{
	if (f->nt == DUALSTACK_MAX_TARGETS)
		return;
	struct dualstack_target *t = &f->t[f->nt++];
	t->family = a->ss_family;
	t->addr = *a;
	t->fetch = f;
	snprintf(t->url, sizeof t->url, "%s", f->url);
	start(t);
}

/* Sticky: the same address while the host stays, else an address of the
 * same family, or a note that there is none. */
static void on_done(struct http_xfer *x, void *arg)
{
	struct dualstack_target *t = arg;
	struct dualstack_fetch *f = t->fetch;
	struct http_url from, to;
	struct sockaddr_storage lit;
	socklen_t sl;
	char err[160];

	if (!f->follow || x->fail || x->status < 300 || x->status > 399 ||
	    !x->location[0] || t->hops >= f->max_redirs || deadline_passed())
		return;
	if (http_url_split(t->url, &from, err, sizeof err) < 0 ||
	    http_url_split(x->location, &to, err, sizeof err) < 0) {
		snprintf(t->lost, sizeof t->lost, "redirect not followed: %s",
			 err);
		return;
	}
	t->hops++;
	snprintf(t->url, sizeof t->url, "%s", x->location);
	if (!strcasecmp(from.host, to.host)) {
		start(t);
	} else if (addr_parse_literal(to.host, &lit, &sl) == 0) {
		if (lit.ss_family != t->family) {
			snprintf(t->lost, sizeof t->lost,
				 "redirect to %.120s, an %s "
				 "address",
				 to.host, addr_family_name(lit.ss_family));
			return;
		}
		t->addr = lit;
		start(t);
	} else {
		struct dns_opts dop = {.timeout_ms = 2000, .tries = 2};
		if (!f->dns && !(f->dns = dns_new(&f->loop, NULL, &dop, err,
						  sizeof err))) {
			snprintf(t->lost, sizeof t->lost,
				 "redirect not followed: %s", err);
			return;
		}
		snprintf(t->follow.name, sizeof t->follow.name, "%s", to.host);
		t->follow.type = t->family == AF_INET6 ? DNS_AAAA : DNS_A;
		t->following = true;
		dns_submit(f->dns, &t->follow);
	}
}

/* A redirect's new name has resolved (or not): go on, or note the lack. */
static void follow_resolved(struct dualstack_target *t)
{
	const struct dns_query *q = &t->follow;

	t->following = false;
	if (q->outcome == DNS_ANSWER) {
		t->addr = q->addrs[0];
		start(t);
		return;
	}
	if (q->outcome == DNS_PENDING) {
		t->lost_at_deadline = true;
		snprintf(t->lost, sizeof t->lost,
			 "redirect target %.100s not resolved when -t ran out "
			 "during resolving the redirect target",
			 q->name);
		return;
	}
	snprintf(t->lost, sizeof t->lost,
		 "redirect target %.120s has no %s "
		 "address (%s %s)",
		 q->name, addr_family_name(t->family), dns_type_name(q->type),
		 dns_outcome_name(q->outcome));
}

/* Called by the loop after every wake-up: starts each family's transfers
 * the moment its answer is in. */
static bool progress(void *arg)
{
	struct dualstack_fetch *f = arg;

	for (int i = 0; i < 2; i++) {
		if (!f->asked[i] || f->started[i] ||
		    f->q[i].outcome == DNS_PENDING)
			continue;
		f->started[i] = true;
		for (size_t k = 0;
		     k < f->q[i].naddrs && (k == 0 || f->all_addresses); k++)
			add_target(f, &f->q[i].addrs[k]);
	}
	for (size_t i = 0; i < f->nt; i++)
		if (f->t[i].following && f->t[i].follow.outcome != DNS_PENDING)
			follow_resolved(&f->t[i]);
	return (!f->dns || dns_idle(f->dns)) && http_idle(f->hc);
}

static long dns_next_ms(void *arg)
{
	const struct dualstack_fetch *f = arg;

	if (f->dns_until <= 0 || !f->dns || dns_idle(f->dns))
		return -1;
	double left = (f->dns_until - mono_now_s()) * 1000;
	return left <= 0 ? 0 : (long)(left + 0.999);
}

static void dns_give_up(void *arg)
{
	struct dualstack_fetch *f = arg;

	f->dns_until = 0;
	dns_finish(f->dns);
}

static int resolve(struct dualstack_fetch *f, char *err, size_t errlen)
{
	/* c-ares doubles the wait each round: 1 + 2 tries of per_try fit in
	 * the limit with one server; the limit cuts off a second one */
	long per_try = f->dns_limit_ms / 3;
	struct dns_opts dop = {.timeout_ms = per_try < 2000 ? per_try : 2000,
			       .tries = 2};

	if (!(f->dns = dns_new(&f->loop, NULL, &dop, err, errlen)))
		return -1;
	f->dns_until = mono_now_s() + (double)f->dns_limit_ms / 1000;
	if (loop_add_timer(&f->loop, dns_next_ms, dns_give_up, f) < 0) {
		snprintf(err, errlen, "no loop timer left");
		return -1;
	}
	for (int i = 0; i < 2; i++) {
		f->asked[i] = f->family == AF_UNSPEC ||
			      f->family == (i ? AF_INET6 : AF_INET);
		if (!f->asked[i])
			continue;
		snprintf(f->q[i].name, sizeof f->q[i].name, "%s", f->name);
		f->q[i].type = i ? DNS_AAAA : DNS_A;
		dns_submit(f->dns, &f->q[i]);
	}
	step(f);
	return 0;
}

int dualstack_fetch(struct dualstack_fetch *f, char *err, size_t errlen)
{
	struct sockaddr_storage lit;
	socklen_t sl;
	int rc = 0;

	loop_init(&f->loop);
	if (!(f->hc = http_new(&f->loop, err, errlen)))
		return -1;
	for (size_t i = 0; i < f->npins; i++)
		add_target(f, &f->pins[i]);
	if (!f->npins && addr_parse_literal(f->name, &lit, &sl) == 0)
		add_target(f, &lit);
	else if (!f->npins)
		rc = resolve(f, err, errlen);
	if (rc == 0 && !loop_run(&f->loop, progress, f, -1)) {
		/* The deadline: record what is still out as it stands. */
		if (f->dns)
			dns_finish(f->dns);
		for (size_t i = 0; i < f->nt; i++)
			if (f->t[i].following)
				follow_resolved(&f->t[i]);
		http_finish(f->hc);
	}
	http_free(f->hc);
	dns_free(f->dns);
	loop_free(&f->loop);
	f->hc = NULL;
	f->dns = NULL;
	return rc;
}

struct webcheck_verdict dualstack_dns_verdict(const struct dualstack_fetch *f,
					      int i, enum state no_record)
{
	const struct dns_query *q = &f->q[i], *other = &f->q[!i];
	bool other_ok = f->asked[!i] && other->outcome == DNS_ANSWER;
	const char *type = i ? "AAAA" : "A";
	struct webcheck_verdict v = {.st = STATE_OK};

	switch (q->outcome) {
	case DNS_ANSWER:
		break;
	case DNS_NODATA:
		webcheck_add(&v, other_ok ? no_record : STATE_CRITICAL,
			     i ? "no_aaaa" : "no_a", false, "no %s record",
			     type);
		break;
	case DNS_NXDOMAIN:
		/* README, state policy: an NXDOMAIN for one type only */
		if (other_ok)
			webcheck_add(&v, STATE_CRITICAL,
				     i ? "aaaa_nxdomain" : "a_nxdomain", false,
				     "%s query for %s answered NXDOMAIN while "
				     "%s answered: the name does not exist for "
				     "clients asking for %s",
				     type, q->name, i ? "A" : "AAAA", type);
		else
			webcheck_add(&v, STATE_CRITICAL, "nxdomain", false,
				     "the name does not exist "
				     "(NXDOMAIN)");
		break;
	case DNS_PENDING:
	case DNS_TIMEOUT:
		/* README, state policy: the same words in every plugin */
		if (other_ok)
			webcheck_add(
			    &v, STATE_CRITICAL,
			    i ? "aaaa_unanswered" : "a_unanswered", false,
			    "%s query for %s unanswered after %.3g s while %s "
			    "answered in %.3g s: clients asking for %s wait",
			    type, q->name, q->elapsed_s, i ? "A" : "AAAA",
			    other->elapsed_s, type);
		else
			webcheck_add(&v, STATE_CRITICAL, "dns_unanswered",
				     false,
				     "%s query for %s unanswered after %.3g s",
				     type, q->name, q->elapsed_s);
		break;
	default:
		webcheck_add(&v, other_ok ? STATE_WARNING : STATE_CRITICAL,
			     i ? "aaaa_error" : "a_error", false,
			     "%s query failed: %s%s%.60s", type,
			     dns_outcome_name(q->outcome),
			     q->detail[0] ? ", " : "", q->detail);
		break;
	}
	return v;
}

static const char *word(enum state st)
{
	return st == STATE_CRITICAL  ? "broken"
	       : st == STATE_WARNING ? "degraded"
	       : st == STATE_UNKNOWN ? "unknown"
				     : "OK";
}

/* "IPv6 OK (HTTP 200 in 0.012 s)", "IPv6 broken ([2001:db8::80]: ...)",
 * or the DNS finding when the family has no address to check. */
static void phrase(const struct dualstack_family *fam, int i, char *buf,
		   size_t len)
{
	const char *name = i ? "IPv6" : "IPv4";

	if (fam->count == 0)
		snprintf(buf, len, "%s", fam->v.worst);
	else if (fam->v.st == STATE_OK && fam->count == 1 && fam->ok)
		snprintf(buf, len, "%s OK (HTTP %ld in %.3f s)", name,
			 fam->ok->status, fam->ok->t_total);
	else if (fam->v.st == STATE_OK)
		snprintf(buf, len, "%s OK (%zu addresses)", name, fam->count);
	else if (snprintf(buf, len, "%s %s (%s%s%s)", name, word(fam->v.st),
			  fam->where, fam->where[0] ? ": " : "",
			  fam->v.worst) < 0)
		buf[0] = '\0';
}

void dualstack_summary(const struct dualstack_family fam[2], char *buf,
		       size_t len)
{
	char ph[2][300];
	int one = -1; /* the family that is broken while the other works */

	for (int i = 0; i < 2; i++) {
		if (fam[i].in_play)
			phrase(&fam[i], i, ph[i], sizeof ph[i]);
		if (fam[!i].in_play && fam[i].count &&
		    fam[i].v.st == STATE_CRITICAL &&
		    fam[!i].v.st != STATE_CRITICAL && fam[!i].works)
			one = i;
	}
	if (one >= 0)
		snprintf(buf, len, "%s broken while %s works (%s: %s)%s%s",
			 one ? "IPv6" : "IPv4", one ? "IPv4" : "IPv6",
			 fam[one].where, fam[one].v.worst,
			 fam[!one].v.st ? "; " : "",
			 fam[!one].v.st ? ph[!one] : "");
	else if (fam[0].in_play && fam[1].in_play && fam[0].count &&
		 fam[1].count && fam[0].v.st && fam[0].v.st == fam[1].v.st &&
		 !strcmp(fam[0].v.worst, fam[1].v.worst))
		snprintf(buf, len, "IPv6 and IPv4 %s (%s)", word(fam[0].v.st),
			 fam[0].v.worst);
	else if (fam[0].in_play && fam[1].in_play && strcmp(ph[0], ph[1]))
		snprintf(buf, len, "%s; %s", ph[1], ph[0]);
	else if (fam[0].in_play &&
		 fam[1].in_play) /* "the name does not exist" */
		snprintf(buf, len, "%s", ph[0]);
	else
		snprintf(buf, len, "%s", fam[1].in_play ? ph[1] : ph[0]);
}

/* The first address of family fi (-1: any) with a complete response if
 * asked, or NULL. */
const struct dualstack_target *dualstack_first(const struct dualstack_fetch *f,
					       int fi, bool complete)
{
	for (size_t i = 0; i < f->nt; i++)
		if ((fi < 0 || dualstack_index(f->t[i].family) == fi) &&
		    (!complete || f->t[i].x.fail == HTTP_FAIL_NONE))
			return &f->t[i];
	return NULL;
}

/* What no other check does: both families must serve the same thing. */
struct webcheck_verdict dualstack_compare(const struct dualstack_fetch *f,
					  bool status, bool body,
					  struct report *rep)
{
	const struct dualstack_target *a = dualstack_first(f, 0, true),
				      *b = dualstack_first(f, 1, true);
	struct webcheck_verdict v = {.st = STATE_OK};
	char ha[20], hb[20];

	if (!a || !b || !(status || body))
		return v;
	bool same = a->x.status == b->x.status;
	if (!same && status)
		webcheck_add(&v, STATE_WARNING, "status_differs", false,
			     "HTTP status differs: %ld "
			     "over IPv4, %ld over IPv6",
			     a->x.status, b->x.status);
	if (same && body && memcmp(a->x.digest, b->x.digest, HTTP_DIGEST_LEN)) {
		http_digest_hex(&a->x, 4, ha, sizeof ha);
		http_digest_hex(&b->x, 4, hb, sizeof hb);
		webcheck_add(
		    &v, STATE_WARNING, "content_differs", false,
		    "content differs: %lld B "
		    "(sha256 %s...) over IPv4, %lld B (sha256 %s...) over "
		    "IPv6",
		    a->x.body_bytes, ha, b->x.body_bytes, hb);
	}
	if (v.st == STATE_OK)
		report_add(rep, STATE_OK, "same_content", NULL,
			   "IPv4 and IPv6 serve the same %s",
			   body ? "status and content" : "status");
	else
		report_add(rep, v.st, v.code, NULL, "%s", v.all);
	return v;
}

/* RFC 8305: clients prefer IPv6 unless it lags; a lagging IPv6 is a
 * warning sign even while it works, and a lagging IPv4 makes IPv4-only
 * clients wait. */
bool dualstack_delta_s(const struct dualstack_fetch *f, double *delta_s)
{
	const struct dualstack_target *a = dualstack_first(f, 0, true),
				      *b = dualstack_first(f, 1, true);

	if (!a || !b)
		return false;
	*delta_s = b->x.t_total - a->x.t_total;
	return true;
}

struct webcheck_verdict dualstack_delta(const struct dualstack_fetch *f,
					long max_delta_ms, struct report *rep)
{
	struct webcheck_verdict v = {.st = STATE_OK};
	double d, lim = (double)max_delta_ms / 1000;

	if (max_delta_ms < 0 || !dualstack_delta_s(f, &d))
		return v;
	if (d > lim)
		webcheck_add(&v, STATE_WARNING, "v6_slower", false,
			     "IPv6 slower than IPv4 by %.3g s (limit %g s): "
			     "clients will fall back to IPv4",
			     d, lim);
	else if (-d > lim)
		webcheck_add(&v, STATE_WARNING, "v4_slower", false,
			     "IPv4 slower than IPv6 by %.3g s (limit %g s): "
			     "IPv4-only clients wait",
			     -d, lim);
	if (v.st == STATE_OK)
		report_add(rep, STATE_OK, "delta", NULL,
			   "IPv6 took %+.3f s compared with IPv4 "
			   "(limit %g s)",
			   d, lim);
	else
		report_add(rep, v.st, v.code, NULL, "%s", v.all);
	return v;
}

/* The certificate the others are held against: the first IPv4 one. */
const struct dualstack_target *
dualstack_cert_ref(const struct dualstack_fetch *f)
{
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < f->nt; i++)
			if (f->t[i].x.tls.seen &&
			    (pass || f->t[i].family == AF_INET))
				return &f->t[i];
	return NULL;
}

/* The DNS line of family i, and its verdict. */
struct webcheck_verdict dualstack_dns_item(const struct dualstack_fetch *f,
					   int i, enum state no_record,
					   struct report *rep)
{
	const struct dns_query *q = &f->q[i];
	char list[400] = "", a[64];

	struct webcheck_verdict v = dualstack_dns_verdict(f, i, no_record);

	if (q->outcome != DNS_ANSWER) {
		report_add(rep, v.st, v.code,
			   &(struct about){.name = q->name,
					   .family = i ? AF_INET6 : AF_INET},
			   "DNS %s %s: %s", dns_type_name(q->type), q->name,
			   v.worst);
		return v;
	}
	for (size_t k = 0; k < q->naddrs; k++) {
		size_t n = strlen(list);
		snprintf(list + n, sizeof list - n, "%s%s", k ? ", " : "",
			 addr_format((const struct sockaddr *)&q->addrs[k], a,
				     sizeof a));
	}
	report_add(
	    rep, STATE_OK, "dns_answer",
	    &(struct about){.name = q->name, .family = i ? AF_INET6 : AF_INET},
	    "DNS %s %s: %s in %.3f s", dns_type_name(q->type), q->name, list,
	    q->elapsed_s);
	return v;
}
