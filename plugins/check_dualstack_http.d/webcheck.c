#include "check_dualstack_http.d/webcheck.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "num.h"

void webcheck_add(struct webcheck_verdict *v, enum state st, const char *code,
		  bool quiet, const char *fmt, ...)
{
	char text[200];
	va_list ap;
	size_t n = strlen(v->all);

	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	if (!v->worst[0] || (st != v->st && state_worst(v->st, st) == st)) {
		v->st = st;
		v->code = code;
		snprintf(v->worst, sizeof v->worst, "%s", text);
	}
	if (!quiet && n + 3 < sizeof v->all)
		snprintf(v->all + n, sizeof v->all - n, "%s%s", n ? "; " : "",
			 text);
}

int webcheck_parse_codes(const char *arg, void *target, char *err, size_t len)
{
	struct webcheck_codes *c = target;
	char buf[512];

	snprintf(buf, sizeof buf, "%s", arg);
	c->n = 0;
	for (char *save, *tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		const char *sp = strrchr(tok, ' ');
		if (c->n == WEBCHECK_MAX_CODES) {
			snprintf(err, len, "at most %d codes",
				 WEBCHECK_MAX_CODES);
			return -1;
		}
		if (num_long(sp ? sp + 1 : tok, 100, 599, &c->v[c->n], err,
			     len) < 0)
			return -1;
		c->n++;
	}
	if (!c->n)
		snprintf(err, len, "no status code in \"%s\"", arg);
	return c->n ? 0 : -1;
}

static int parse_pair(const char *arg, struct webcheck_limits *l, char sep,
		      char *err, size_t len)
{
	char buf[64];
	const char *s2 = strchr(arg, sep);
	size_t n = s2 ? (size_t)(s2 - arg) : strlen(arg);

	if (n >= sizeof buf) {
		snprintf(err, len, "\"%s\" is too long", arg);
		return -1;
	}
	memcpy(buf, arg, n);
	buf[n] = '\0';
	l->hi = -1;
	if (num_long(buf, 0, 1L << 40, &l->lo, err, len) < 0 ||
	    (s2 && num_long(s2 + 1, 0, 1L << 40, &l->hi, err, len) < 0))
		return -1;
	l->set = true;
	return 0;
}

int webcheck_parse_size(const char *arg, void *target, char *err, size_t len)
{
	struct webcheck_limits *l = target;

	if (parse_pair(arg, l, ':', err, len) < 0)
		return -1;
	if (l->hi >= 0 && l->hi < l->lo) {
		snprintf(err, len, "\"%s\": MAX is smaller than MIN", arg);
		return -1;
	}
	return 0;
}

int webcheck_parse_days(const char *arg, void *target, char *err, size_t len)
{
	struct webcheck_limits *l = target;

	if (parse_pair(arg, l, ',', err, len) < 0)
		return -1;
	if (l->hi < 0)
		l->hi =
		    0; /* one value: WARNING below it, CRITICAL once expired */
	if (l->hi > l->lo) {
		snprintf(err, len, "\"%s\": CRIT days exceed WARN days", arg);
		return -1;
	}
	return 0;
}

int webcheck_regex(struct webcheck *w, const char *re, bool icase, char *err,
		   size_t len)
{
	int rc = regcomp(&w->re, re,
			 REG_EXTENDED | REG_NOSUB | (icase ? REG_ICASE : 0));

	if (rc) {
		regerror(rc, &w->re, err, len);
		return -1;
	}
	w->re_text = re;
	w->re_set = true;
	return 0;
}

static void judge_status(const struct webcheck *w, const struct http_xfer *x,
			 struct webcheck_verdict *v)
{
	long c = x->status;
	char phrase[100];

	snprintf(phrase, sizeof phrase, "HTTP %ld%s%s", c,
		 x->reason[0] ? " " : "", x->reason);
	if (w->expect.n) {
		for (size_t i = 0; i < w->expect.n; i++)
			if (w->expect.v[i] == c)
				return;
		webcheck_add(v, STATE_CRITICAL, "unexpected_status", false,
			     "%s is not an expected status", phrase);
	} else if (c >= 300 && c < 400) {
		/* WEBCHECK_FOLLOW: the caller knows why it stopped here */
		if (w->onredirect != STATE_OK &&
		    w->onredirect != WEBCHECK_FOLLOW)
			webcheck_add(v, (enum state)w->onredirect, "redirect",
				     false, "redirect to %.120s",
				     x->location[0] ? x->location : "nowhere");
	} else if (c >= 400 && c < 500) {
		webcheck_add(v, STATE_WARNING, "http_status", true, "%s",
			     phrase);
	} else if (c < 200 || c >= 300) {
		webcheck_add(v, STATE_CRITICAL, "http_status", true, "%s",
			     phrase);
	}
}

static void judge_body(const struct webcheck *w, const struct http_xfer *x,
		       struct webcheck_verdict *v)
{
	const char *part = x->body_truncated ? " in the part kept" : "";
	char hi[24] = "";

	for (size_t i = 0; i < w->nstrings; i++)
		if (!http_body_has(x, w->strings[i]))
			webcheck_add(v, STATE_CRITICAL, "string_missing", false,
				     "string \"%.80s\" not "
				     "found%s",
				     w->strings[i], part);
	if (w->re_set) {
		bool match =
		    regexec(&w->re, x->body ? x->body : "", 0, NULL, 0) == 0;
		if (match == w->invert)
			webcheck_add(v, STATE_CRITICAL, "pattern_mismatch",
				     false, "pattern \"%.80s\" %s", w->re_text,
				     match ? "found" : "not found");
	}
	if (w->size.hi >= 0)
		snprintf(hi, sizeof hi, "%ld", w->size.hi);
	if (w->size.set && (x->body_bytes < w->size.lo ||
			    (w->size.hi >= 0 && x->body_bytes > w->size.hi)))
		webcheck_add(v, STATE_WARNING, "size_out_of_range", false,
			     "page size %lld B, not in "
			     "%ld:%s",
			     x->body_bytes, w->size.lo, hi);
}

static void judge_cert(const struct webcheck *w, const struct http_xfer *x,
		       time_t now, struct webcheck_verdict *v)
{
	if (!x->tls.seen || !w->cert_days.set ||
	    (x->fail == HTTP_FAIL_TLS && !x->tls.chain_ok))
		return;
	long days = http_tls_days_left(&x->tls, now);
	enum state st = days < w->cert_days.hi	 ? STATE_CRITICAL
			: days < w->cert_days.lo ? STATE_WARNING
						 : STATE_OK;
	if (days < 0)
		webcheck_add(v, st, "cert_expired", false,
			     "certificate expired %ld days ago", -days);
	else if (st != STATE_OK)
		webcheck_add(v, st, "cert_expiring", false,
			     "certificate expires in %ld days", days);
}

void webcheck_judge(const struct webcheck *w, const struct http_xfer *x,
		    time_t now, struct webcheck_verdict *v)
{
	if (x->fail != HTTP_FAIL_NONE) {
		char what[200];
		enum state st = STATE_CRITICAL;
		const char *code = "fetch_failed";
		http_fail_text(x, what, sizeof what);
		if (x->fail == HTTP_FAIL_DEADLINE) {
			st = w->timeout_state;
			code = x->deadline_phase == HTTP_PHASE_RECEIVE
				   ? "still_receiving"
				   : "fetch_unfinished";
		} else if (x->fail == HTTP_FAIL_HEADER_FLOOD) {
			code = "header_flood";
		} else if (x->fail == HTTP_FAIL_CHUNKED) {
			code = "chunked_broken";
		}
		webcheck_add(v, st, code, false, "%s", what);
	} else {
		bool stopped = w->onredirect == WEBCHECK_FOLLOW &&
			       x->status >= 300 && x->status < 400;
		judge_status(w, x, v);
		if (!w->no_body &&
		    !stopped) /* a redirect's body is not the page */
			judge_body(w, x, v);
		enum state ts = range_state(w->warn, w->crit, x->t_total);
		if (ts != STATE_OK) {
			char lim[40];
			range_format(ts == STATE_CRITICAL ? w->crit : w->warn,
				     lim, sizeof lim);
			webcheck_add(
			    v, ts, "slow_response", false,
			    "response time %.3f s (%s "
			    "threshold %s)",
			    x->t_total,
			    ts == STATE_CRITICAL ? "critical" : "warning", lim);
		}
	}
	judge_cert(w, x, now, v);
}

void webcheck_summary(const struct http_xfer *x, char *buf, size_t len)
{
	if (x->fail != HTTP_FAIL_NONE)
		snprintf(buf, len, "no response");
	else
		snprintf(buf, len, "HTTP %ld%s%.60s, %lld B in %.3f s",
			 x->status, x->reason[0] ? " " : "", x->reason,
			 x->body_bytes, x->t_total);
}

void webcheck_cert_diff(const struct http_tls *a, const struct http_tls *b,
			char *buf, size_t len, bool *identity)
{
	const char *names[] = {"subject", "SAN", "issuer", "notAfter",
			       "serial"};
	bool diff[] = {
	    strcmp(a->subject, b->subject) != 0, strcmp(a->san, b->san) != 0,
	    strcmp(a->issuer, b->issuer) != 0, a->not_after != b->not_after,
	    strcmp(a->serial, b->serial) != 0};
	size_t pos = 0;

	if (len)
		buf[0] = '\0';
	*identity = diff[0] || diff[1] || diff[2];
	for (size_t i = 0; i < 5; i++) {
		if (!diff[i])
			continue;
		int n = snprintf(buf + pos, len - pos, "%s%s", pos ? ", " : "",
				 names[i]);
		if (n < 0 || (size_t)n >= len - pos)
			break;
		pos += (size_t)n;
	}
}

int webcheck_url(const char *host, const char *uri, long port, bool tls,
		 const char *fallback, struct http_url *u, char *url,
		 size_t urllen, char *err, size_t len)
{
	*u = (struct http_url){.tls = tls, .path = "/"};
	if (uri && strstr(uri, "://")) {
		if (http_url_split(uri, u, err, len) < 0)
			return -1;
		if (tls && !u->tls) {
			snprintf(err, len,
				 "-S contradicts the http:// URL in -u");
			return -1;
		}
		if (host && strcasecmp(host, u->host)) {
			snprintf(err, len, "-u and -H name different hosts");
			return -1;
		}
		u->port = port ? port : u->port;
	} else if (uri && uri[0] != '/') {
		snprintf(err, len,
			 "a path starts with /, a URL with http(s)://");
		return -1;
	} else {
		if (uri && strlen(uri) >= sizeof u->path) {
			snprintf(err, len, "URL path too long");
			return -1;
		}
		snprintf(u->path, sizeof u->path, "%s", uri ? uri : "/");
		u->port = port;
	}
	if (host)
		snprintf(u->host, sizeof u->host, "%s", host);
	else if (!u->host[0] && fallback)
		snprintf(u->host, sizeof u->host, "%s", fallback);
	if (!u->host[0]) {
		snprintf(err, len,
			 "-H is required (or -I, or a whole URL in -u)");
		return -1;
	}
	http_url_join(u, url, urllen);
	return 0;
}

int webcheck_request_check(const char *const *headers, size_t nheaders,
			   const char *ca_file, char *err, size_t len)
{
	for (size_t i = 0; i < nheaders; i++) {
		const char *h = headers[i];
		size_t name = strcspn(h, ":;");
		if (!name || !h[name] || (h[name] == ';' && h[name + 1]) ||
		    strcspn(h, " \t") < name || strpbrk(h, "\r\n")) {
			snprintf(err, len,
				 "option -k: \"%.60s\" is not \"Name: value\"",
				 h);
			return -1;
		}
	}
	if (ca_file && access(ca_file, R_OK) < 0) {
		snprintf(err, len, "option --ca-file: cannot read %.100s: %s",
			 ca_file, strerror(errno));
		return -1;
	}
	return 0;
}
