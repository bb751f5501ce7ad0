/* findings: the verdicts of a check that looks at many things at once
 * (names, addresses, servers), printed worst first through struct report.
 * The long output lists CRITICAL, then WARNING, UNKNOWN and OK lines, so
 * what the report's output cap hides is OK lines. The first line is the
 * caller's head (counts), then the worst findings in brief ("stale AAAA
 * 2001:db8::99 (www.example.com)"); or, with a single finding and whole
 * set, that finding's full text, so the line stands alone in an SMS. */
#ifndef V6OPS_FINDINGS_H
#define V6OPS_FINDINGS_H

#include <stdbool.h>
#include <stddef.h>

#include "report.h"

struct finding {
	enum state st;
	const char *code; /* a static string */
	int family;
	char name[256], address[64];
	char text[REPORT_ITEM_LEN];
	char brief[REPORT_ITEM_LEN];
};

struct findings {
	struct finding *v;
	size_t n, cap;
	size_t nok; /* OK lines kept: at most REPORT_MAX_ITEMS, as the report
		       lists no more; 10,000 names would hold 24 MB of them */
};

/* Adds one line with its code and subject (about may be NULL). Its brief
 * is "what (name)", "what", or, when what is NULL, the text itself. Out of
 * memory drops the line (never the state: the caller's counts still carry
 * it). */
void findings_add(struct findings *f, enum state st, const char *code,
		  const struct about *about, const char *what, const char *fmt,
		  ...) __attribute__((format(printf, 6, 7)));

/* Hands every line to r, worst first, and sets r's summary: head, then ": "
 * and at most max_briefs briefs joined by "; " with "; and N more". */
void findings_report(const struct findings *f, struct report *r,
		     const char *head, size_t max_briefs, bool whole);

void findings_free(struct findings *f);

/* Appends printf output at buf + *pos (buf holds len bytes), never past
 * the end; *pos stays at the terminating NUL. */
void findings_cat(char *buf, size_t len, size_t *pos, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
