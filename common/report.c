#include "report.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "opt.h"

void report_sanitise(char *dst, size_t len, const char *text)
{
	size_t i = 0;

	if (len == 0)
		return;
	for (const unsigned char *c = (const unsigned char *)text;
	     *c && i + 1 < len; c++) {
		unsigned char ch = *c;
		if (ch == '|')
			ch = '/';
		else if (ch < 0x20 || ch == 0x7f)
			ch = ' ';
		else if (ch >= 0x80)
			ch = '?'; /* hostile bytes stay out of the output */
		dst[i++] = (char)ch;
	}
	dst[i] = '\0';
}

static void vformat(char *dst, size_t len, const char *fmt, va_list ap)
{
	char raw[REPORT_SUMMARY_LEN];
	vsnprintf(raw, sizeof raw, fmt, ap);
	report_sanitise(dst, len, raw);
}

void report_init(struct report *r, const char *label)
{
	memset(r, 0, sizeof *r);
	r->label = label;
	r->raised = STATE_OK;
}

void report_add(struct report *r, enum state st, const char *fmt, ...)
{
	va_list ap;

	if (r->nitems == REPORT_MAX_ITEMS) {
		r->dropped++;
		r->raised = state_worst(r->raised, st);
		return;
	}
	struct report_item *it = &r->items[r->nitems++];
	it->state = st;
	va_start(ap, fmt);
	vformat(it->text, sizeof it->text, fmt, ap);
	va_end(ap);
}

void report_summary(struct report *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vformat(r->summary, sizeof r->summary, fmt, ap);
	va_end(ap);
}

static bool label_ok(const char *label)
{
	if (!*label)
		return false;
	for (const char *c = label; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
		      *c == '_'))
			return false;
	return true;
}

static bool label_used(const struct report *r, const char *label)
{
	size_t n = strlen(label);
	for (const char *p = r->perf; (p = strstr(p, label)); p += n)
		if ((p == r->perf || p[-1] == ' ') && p[n] == '=')
			return true;
	return false;
}

void report_perf(struct report *r, const struct perf *p)
{
	char item[256];

	/* Labels stay in [a-z0-9_] and unique: Icinga mangles other text. */
	if (!p->label || !label_ok(p->label) || label_used(r, p->label) ||
	    perf_format(item, sizeof item, p) < 0) {
		vlog(1, "perfdata item '%s' dropped\n",
		     p->label ? p->label : "");
		return;
	}
	size_t need = strlen(item) + (r->perflen ? 1 : 0);
	if (r->perflen + need >= sizeof r->perf)
		return;
	if (r->perflen)
		r->perf[r->perflen++] = ' ';
	memcpy(r->perf + r->perflen, item, strlen(item) + 1);
	r->perflen += strlen(item);
}

void report_raise(struct report *r, enum state st)
{
	r->raised = state_worst(r->raised, st);
}

enum state report_state(const struct report *r)
{
	enum state st = r->raised;
	for (size_t i = 0; i < r->nitems; i++)
		st = state_worst(st, r->items[i].state);
	return st;
}

/* Without a summary of its own, the first line lists the worst items. */
static void auto_summary(const struct report *r, enum state st, char *buf,
			 size_t len)
{
	size_t pos = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < r->nitems && pos + 3 < len; i++) {
		if (r->items[i].state != st)
			continue;
		int n = snprintf(buf + pos, len - pos, "%s%s", pos ? "; " : "",
				 r->items[i].text);
		if (n < 0)
			break;
		pos += (size_t)n;
	}
	if (pos >= len)
		buf[len - 1] = '\0';
	if (!buf[0])
		snprintf(buf, len, "%s",
			 r->nitems ? "all checks passed"
				   : "nothing was checked");
}

enum state report_print(const struct report *r, FILE *out)
{
	static char text[REPORT_MAX_OUTPUT + 1];
	char summary[REPORT_SUMMARY_LEN];
	enum state st = report_state(r);
	const size_t tail = 48; /* room for the "more lines" line */
	size_t pos;

	if (r->summary[0])
		snprintf(summary, sizeof summary, "%s", r->summary);
	else
		auto_summary(r, st, summary, sizeof summary);
	int n =
	    snprintf(text, sizeof text, "%s %s - %s%s%s\n", r->label,
		     state_name(st), summary, r->perflen ? " | " : "", r->perf);
	pos = n < 0 ? 0 : (size_t)n;
	if (pos >= sizeof text - tail) {
		pos = sizeof text - tail;
		text[pos - 1] = '\n';
	}
	size_t shown = 0;
	for (; shown < r->nitems; shown++) {
		const struct report_item *it = &r->items[shown];
		char line[REPORT_ITEM_LEN + 16];
		int m = snprintf(line, sizeof line, "[%s] %s\n",
				 state_name(it->state), it->text);
		if (m < 0 || pos + (size_t)m >= sizeof text - tail)
			break;
		memcpy(text + pos, line, (size_t)m);
		pos += (size_t)m;
	}
	size_t hidden = r->nitems - shown + r->dropped;
	if (hidden) {
		int m = snprintf(text + pos, sizeof text - pos,
				 "[...] %zu more lines not shown\n", hidden);
		if (m > 0)
			pos += (size_t)m;
	}
	fwrite(text, 1, pos, out);
	fflush(out);
	return st;
}

void report_exit(const struct report *r)
{
	exit((int)report_print(r, stdout));
}

void report_die(const char *label, enum state st, const char *fmt, ...)
{
	char reason[512];
	va_list ap;

	va_start(ap, fmt);
	vformat(reason, sizeof reason, fmt, ap);
	va_end(ap);
	printf("%s %s - %s\n", label, state_name(st), reason);
	fflush(stdout);
	exit((int)st);
}
