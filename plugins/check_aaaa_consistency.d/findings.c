#include "check_aaaa_consistency.d/findings.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void findings_add(struct findings *f, enum state st, const char *code,
		  const struct about *about, const char *what, const char *fmt,
		  ...)
{
	const char *who = about ? about->name : NULL;
	va_list ap;

	if (st == STATE_OK && f->nok == REPORT_MAX_ITEMS)
		return;
	f->nok += st == STATE_OK;
	if (f->n == f->cap) {
		size_t cap = f->cap * 2 + 64;
		struct finding *nv = realloc(f->v, cap * sizeof *nv);
		if (!nv)
			return;
		f->v = nv;
		f->cap = cap;
	}
	struct finding *l = &f->v[f->n++];
	l->st = st;
	l->code = code;
	l->family = about ? about->family : 0;
	snprintf(l->name, sizeof l->name, "%s", who ? who : "");
	snprintf(l->address, sizeof l->address, "%s",
		 about && about->address ? about->address : "");
	va_start(ap, fmt);
	vsnprintf(l->text, sizeof l->text, fmt, ap);
	va_end(ap);
	if (!what)
		snprintf(l->brief, sizeof l->brief, "%s", l->text);
	else
		snprintf(l->brief, sizeof l->brief, "%s%s%s%s", what,
			 who ? " (" : "", who ? who : "", who ? ")" : "");
}

void findings_report(const struct findings *f, struct report *r,
		     const char *head, size_t max_briefs, bool whole)
{
	static const enum state order[] = {STATE_CRITICAL, STATE_WARNING,
					   STATE_UNKNOWN, STATE_OK};
	char sum[REPORT_SUMMARY_LEN];
	size_t pos = 0, nbad = 0, shown = 0;
	const struct finding *only = NULL;

	findings_cat(sum, sizeof sum, &pos, "%s", head);
	for (size_t s = 0; s < sizeof order / sizeof order[0]; s++)
		for (size_t i = 0; i < f->n; i++) {
			const struct finding *l = &f->v[i];
			if (l->st != order[s])
				continue;
			report_add(r, l->st, l->code,
				   &(struct about){.family = l->family,
						   .name = l->name,
						   .address = l->address},
				   "%s", l->text);
			/* A brief already on the line (two servers, one
			 * finding) is not repeated. */
			if (l->st == STATE_OK ||
			    strstr(sum + strlen(head), l->brief))
				continue;
			only = nbad++ ? NULL : l;
			if (shown < max_briefs)
				findings_cat(sum, sizeof sum, &pos, "%s%s",
					     shown++ ? "; " : ": ", l->brief);
		}
	if (only && whole) {
		pos = 0;
		findings_cat(sum, sizeof sum, &pos, "%s: %s", head, only->text);
	} else if (nbad > shown) {
		findings_cat(sum, sizeof sum, &pos, "; and %zu more",
			     nbad - shown);
	}
	report_summary(r, "%s", sum);
}

void findings_free(struct findings *f)
{
	free(f->v);
	f->v = NULL;
	f->n = f->cap = f->nok = 0;
}

void findings_cat(char *buf, size_t len, size_t *pos, const char *fmt, ...)
{
	va_list ap;

	if (len == 0 || *pos + 1 >= len)
		return;
	va_start(ap, fmt);
	int n = vsnprintf(buf + *pos, len - *pos, fmt, ap);
	va_end(ap);
	if (n > 0)
		*pos = *pos + (size_t)n >= len ? len - 1 : *pos + (size_t)n;
}
