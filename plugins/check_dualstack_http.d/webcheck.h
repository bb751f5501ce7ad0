/* webcheck: what one HTTP response must be, judged the same way by every
 * plugin that fetches pages (check_curl's expectations, made pure): the
 * status policy, strings and a regular expression in the body, the body
 * size, the response time, the certificate's remaining days; and how two
 * responses for the same URL differ (status, content, certificate).
 * Everything here is a pure function of a finished struct http_xfer. */
#ifndef V6OPS_WEBCHECK_H
#define V6OPS_WEBCHECK_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "http.h"
#include "range.h"
#include "status.h"

#define WEBCHECK_MAX_CODES 32
#define WEBCHECK_FOLLOW	   4 /* onredirect: after the four states */

struct webcheck_codes {
	long v[WEBCHECK_MAX_CODES];
	size_t n;
};

struct webcheck_limits {
	bool set;
	long lo, hi; /* hi < 0: no upper limit */
};

struct webcheck {
	struct webcheck_codes expect; /* n == 0: 2xx OK, 3xx onredirect,
					 4xx WARNING, others CRITICAL */
	int onredirect;		      /* enum state, or WEBCHECK_FOLLOW */
	const char *const *strings;   /* each must be in the body */
	size_t nstrings;
	const char *re_text; /* as given, for the message */
	regex_t re;
	bool re_set, invert;
	struct webcheck_limits size;	  /* body bytes, WARNING outside */
	struct webcheck_limits cert_days; /* lo: WARNING below, hi: CRITICAL */
	const struct range *warn, *crit;  /* response time, seconds */
	bool no_body;			  /* HEAD: nothing to search */
	enum state timeout_state; /* -t STATE: a transfer -t cut while it
				     still moved */
};

/* The problems found with one thing: the worst state, the first problem of
 * that state (for a first line), and every problem "; "-joined (for a
 * long-output line). */
struct webcheck_verdict {
	enum state st;
	const char *code; /* the worst problem's code; NULL: none */
	char worst[200];
	char all[400];
};

/* Adds a problem; quiet ones count for the state and the first line but
 * are left out of all (the line already shows them, like a status). */
void webcheck_add(struct webcheck_verdict *v, enum state st, const char *code,
		  bool quiet, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* OPT_CUSTOM parsers: -e "200,301" (or check_curl's "HTTP/1.1 200"),
 * -m "MIN[:MAX]" bytes, -C "WARN[,CRIT]" days (CRIT default 0). */
int webcheck_parse_codes(const char *arg, void *target, char *err, size_t len);
int webcheck_parse_size(const char *arg, void *target, char *err, size_t len);
int webcheck_parse_days(const char *arg, void *target, char *err, size_t len);

/* Compiles a POSIX extended regex into w; 0, or -1 with regerror's words. */
int webcheck_regex(struct webcheck *w, const char *re, bool icase, char *err,
		   size_t len);

/* Judges a finished transfer x into v: a failed transfer is CRITICAL with
 * http_fail_text() (fetch_failed, or header_flood, chunked_broken), one
 * that -t cut while it still moved gets w->timeout_state (still_receiving
 * once the response came, else fetch_unfinished); a response is judged for
 * status, body, size and time. With WEBCHECK_FOLLOW a 3xx here is a redirect
 * the caller could not follow: judging it (and why) is the caller's, its body
 * is not judged. The certificate's days are judged either way (if one was seen
 * and not already rejected). now: for the days left. */
void webcheck_judge(const struct webcheck *w, const struct http_xfer *x,
		    time_t now, struct webcheck_verdict *v);

/* "HTTP 200 OK, 612 B in 0.012 s", or "no response" for a failure. */
void webcheck_summary(const struct http_xfer *x, char *buf, size_t len);

/* Which certificate fields differ ("subject, notAfter"), "" if none.
 * *identity: subject, SAN or issuer differ (another party's certificate),
 * not only its validity or serial (a renewal not rolled out everywhere). */
void webcheck_cert_diff(const struct http_tls *a, const struct http_tls *b,
			char *buf, size_t len, bool *identity);

/* The URL to fetch from check_curl's options: uri is a path (NULL: "/")
 * or a whole http(s):// URL standing in for -H, -S and -p; host is -H or
 * NULL; port 0 is the scheme's; fallback names the host when neither does
 * (the first -I address), or NULL. u gets the parts (u->tls: https), url
 * the URL joined. 0, or -1 with the reason in err. */
int webcheck_url(const char *host, const char *uri, long port, bool tls,
		 const char *fallback, struct http_url *u, char *url,
		 size_t urllen, char *err, size_t len);

/* What would make every transfer fail for a reason of the command line,
 * not of the site: a -k header that is not "Name: value" (or "Name;"),
 * or one with a line break; a --ca-file that cannot be read. 0, or -1 with
 * the option and the reason in err. */
int webcheck_request_check(const char *const *headers, size_t nheaders,
			   const char *ca_file, char *err, size_t len);

#endif
