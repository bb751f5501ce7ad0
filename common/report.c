#include "report.h"

#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "log.h"
#include "num.h"
#include "text.h"

static enum report_format run_format = REPORT_NAGIOS;

static const struct {
	const char *name;
	enum report_format f;
} format_names[] = {
    {"nagios", REPORT_NAGIOS},
    {"json", REPORT_JSON},
    {"icingaweb2", REPORT_ICINGAWEB2},
};

void report_set_format(enum report_format f)
{
	run_format = f;
}

enum report_format report_get_format(void)
{
	return run_format;
}

int report_format_parse(const char *name, enum report_format *out)
{
	for (size_t i = 0; i < sizeof format_names / sizeof format_names[0];
	     i++)
		if (!strcmp(name, format_names[i].name)) {
			*out = format_names[i].f;
			return 0;
		}
	return -1;
}

static void vformat(char *dst, size_t len, const char *fmt, va_list ap)
{
	char raw[REPORT_SUMMARY_LEN];
	vsnprintf(raw, sizeof raw, fmt, ap);
	text_sanitise(dst, len, raw);
}

void report_init(struct report *r, const char *label)
{
	memset(r, 0, sizeof *r);
	r->label = label;
	r->raised = STATE_OK;
}

static bool word_ok(const char *w)
{
	if (!w || !*w)
		return false;
	for (const char *c = w; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
		      *c == '_'))
			return false;
	return true;
}

static void copy_field(char *dst, size_t len, const char *src)
{
	text_sanitise(dst, len, src ? src : "");
}

void report_add(struct report *r, enum state st, const char *code,
		const struct about *about, const char *fmt, ...)
{
	va_list ap;

	if (r->nitems == REPORT_MAX_ITEMS) {
		r->dropped++;
		r->raised = state_worst(r->raised, st);
		return;
	}
	struct report_item *it = &r->items[r->nitems++];
	memset(it, 0, sizeof *it);
	it->state = st;
	/* A code is part of the interface: a bad one is a bug, shown as such
	 * rather than printed as something a consumer might match. */
	copy_field(it->code, sizeof it->code,
		   word_ok(code) ? code : "invalid_code");
	if (about) {
		it->family = about->family;
		copy_field(it->address, sizeof it->address, about->address);
		copy_field(it->name, sizeof it->name, about->name);
		copy_field(it->router, sizeof it->router, about->router);
		copy_field(it->iface, sizeof it->iface, about->iface);
	}
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

static bool label_used(const struct report *r, const char *label)
{
	for (size_t i = 0; i < r->nperf; i++)
		if (!strcmp(r->perf[i].label, label))
			return true;
	return false;
}

void report_perf(struct report *r, const struct perf *p)
{
	char check[256];

	/* Labels stay in [a-z0-9_] and unique: Icinga mangles other text. */
	if (!p->label || !word_ok(p->label) || label_used(r, p->label) ||
	    strlen(p->label) >= sizeof r->perf[0].label ||
	    r->nperf == REPORT_MAX_PERF ||
	    perf_format(check, sizeof check, p) < 0) {
		vlog(1, "perfdata item '%s' dropped\n",
		     p->label ? p->label : "");
		return;
	}
	struct report_perf *e = &r->perf[r->nperf++];
	memset(e, 0, sizeof *e);
	snprintf(e->label, sizeof e->label, "%s", p->label);
	snprintf(e->uom, sizeof e->uom, "%s", p->uom ? p->uom : "");
	e->value = p->value;
	if (p->warn)
		e->warn = *p->warn;
	if (p->crit)
		e->crit = *p->crit;
	e->min = p->min;
	e->max = p->max;
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

const struct report_item *report_find(const struct report *r, const char *code)
{
	for (size_t i = 0; i < r->nitems; i++)
		if (!strcmp(r->items[i].code, code))
			return &r->items[i];
	return NULL;
}

/* Without a summary of its own, the first line names the worst finding
 * and counts the other findings that are not OK. */
static void make_summary(const struct report *r, enum state st, char *buf,
			 size_t len)
{
	const struct report_item *worst = NULL;
	size_t others = r->dropped;

	if (r->summary[0]) {
		snprintf(buf, len, "%s", r->summary);
		text_cut(buf, REPORT_FIRST_LINE_MAX);
		return;
	}
	for (size_t i = 0; i < r->nitems; i++) {
		const struct report_item *it = &r->items[i];
		if (!worst && it->state == st)
			worst = it;
		else if (it->state != STATE_OK)
			others++;
	}
	if (!worst) {
		snprintf(buf, len, "%s",
			 r->nitems ? "all checks passed"
				   : "nothing was checked");
		return;
	}
	char more[48] = "";
	if (others)
		snprintf(more, sizeof more, " (+%zu more)", others);
	snprintf(buf, len, "%s", worst->text);
	text_cut(buf, REPORT_FIRST_LINE_MAX - strlen(more));
	strncat(buf, more, len - strlen(buf) - 1);
}

/* A bounded output buffer: writes past the end are dropped and noted. */
struct out {
	char *buf;
	size_t len, pos;
	bool full;
};

static void put(struct out *o, const char *s)
{
	size_t n = strlen(s);
	if (o->full || o->pos + n >= o->len) {
		o->full = true;
		return;
	}
	memcpy(o->buf + o->pos, s, n + 1);
	o->pos += n;
}

static void putf(struct out *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void putf(struct out *o, const char *fmt, ...)
{
	char tmp[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	put(o, tmp);
}

static void put_json(struct out *o, const char *s)
{
	char tmp[REPORT_SUMMARY_LEN * 2];
	text_json(tmp, sizeof tmp, s);
	put(o, tmp);
}

static void perf_text(const struct report *r, struct out *o)
{
	bool first = true;

	for (size_t i = 0; i < r->nperf; i++) {
		const struct report_perf *e = &r->perf[i];
		char item[256];
		/* An unknown value is left out: a gap in the graph, not 0. */
		if (isnan(e->value))
			continue;
		struct perf p = {e->label, e->value, e->uom, &e->warn,
				 &e->crit, e->min,   e->max};
		if (perf_format(item, sizeof item, &p) < 0)
			continue;
		if (!first)
			put(o, " ");
		put(o, item);
		first = false;
	}
}

static bool perf_shown(const struct report *r)
{
	for (size_t i = 0; i < r->nperf; i++)
		if (!isnan(r->perf[i].value))
			return true;
	return false;
}

const char *report_perf_text(const struct report *r, char *buf, size_t len)
{
	struct out o = {buf, len, 0, false};

	if (len)
		buf[0] = '\0';
	perf_text(r, &o);
	return buf;
}

static void print_nagios(const struct report *r, enum state st,
			 const char *summary, struct out *o)
{
	putf(o, "%s %s - %s", r->label, state_name(st), summary);
	if (perf_shown(r)) {
		put(o, " | ");
		perf_text(r, o);
	}
	put(o, "\n");
}

static void json_number(struct out *o, const char *key, double v)
{
	char num[48];
	if (isnan(v)) {
		putf(o, ",\"%s\":null", key);
		return;
	}
	num_format(v, num, sizeof num);
	putf(o, ",\"%s\":%s", key, num);
}

static void json_range(struct out *o, const char *key, const struct range *rg)
{
	char text[64];
	range_format(rg, text, sizeof text);
	if (!text[0]) {
		putf(o, ",\"%s\":null", key);
		return;
	}
	putf(o, ",\"%s\":", key);
	put_json(o, text);
}

static void json_field(struct out *o, const char *key, const char *v)
{
	if (!v[0])
		return;
	putf(o, ",\"%s\":", key);
	put_json(o, v);
}

static void json_item(struct out *o, const struct report_item *it)
{
	put(o, "{\"code\":");
	put_json(o, it->code);
	putf(o, ",\"state\":\"%s\",\"output\":", state_name(it->state));
	put_json(o, it->text);
	if (it->family == AF_INET || it->family == AF_INET6)
		putf(o, ",\"family\":\"%s\"",
		     it->family == AF_INET ? "ipv4" : "ipv6");
	json_field(o, "address", it->address);
	json_field(o, "name", it->name);
	json_field(o, "router", it->router);
	json_field(o, "iface", it->iface);
	put(o, "}");
}

static void json_perf(struct out *o, const struct report_perf *e)
{
	put(o, "{\"label\":");
	put_json(o, e->label);
	json_number(o, "value", e->value);
	put(o, ",\"uom\":");
	put_json(o, e->uom);
	json_range(o, "warn", &e->warn);
	json_range(o, "crit", &e->crit);
	json_number(o, "min", e->min);
	json_number(o, "max", e->max);
	put(o, "}");
}

/* The JSON document must stay whole under the output cap: findings that
 * do not fit are counted in "dropped" instead of cutting the text. */
static void print_json(const struct report *r, enum state st,
		       const char *summary, struct out *o)
{
	static char perf[REPORT_MAX_OUTPUT / 2];
	struct out po = {perf, sizeof perf, 0, false};
	size_t dropped = r->dropped;
	size_t full = o->len;

	/* Perfdata first, in at most half the room; then the findings in
	 * what is left. */
	perf[0] = '\0';
	for (size_t i = 0; i < r->nperf; i++) {
		struct out probe = po;
		if (i)
			put(&probe, ",");
		json_perf(&probe, &r->perf[i]);
		if (probe.full) {
			dropped += r->nperf - i;
			break;
		}
		po = probe;
	}
	const size_t reserve = po.pos + 64; /* perfdata and the closing part */

	put(o, "{\"label\":");
	put_json(o, r->label);
	putf(o,
	     ",\"state\":\"%s\",\"exit_code\":%d,\"summary\":", state_name(st),
	     (int)st);
	put_json(o, summary);
	put(o, ",\"checks\":[");
	for (size_t i = 0; i < r->nitems; i++) {
		struct out probe = *o;
		probe.len = o->len > reserve ? o->len - reserve : 0;
		if (i)
			put(&probe, ",");
		json_item(&probe, &r->items[i]);
		if (probe.full) {
			dropped += r->nitems - i;
			break;
		}
		*o = probe;
		o->len = full;
	}
	put(o, "],\"perfdata\":[");
	put(o, perf);
	putf(o, "],\"dropped\":%zu}\n", dropped);
}

static void print_icingaweb2(const struct report *r, enum state st,
			     const char *summary, struct out *o)
{
	putf(o, "[%s] %s - %s\n", state_name(st), r->label, summary);
	for (size_t i = 0; i < r->nitems; i++)
		putf(o, "\\_ [%s] %s\n", state_name(r->items[i].state),
		     r->items[i].text);
	if (perf_shown(r)) {
		put(o, "|");
		perf_text(r, o);
		put(o, "\n");
	}
}

/* Long output lines after the first, within the cap; what does not fit is
 * counted on a last line. */
static void long_output(const struct report *r, struct out *o)
{
	const size_t tail = 48; /* room for the "more lines" line */
	size_t shown = 0;

	for (; shown < r->nitems; shown++) {
		const struct report_item *it = &r->items[shown];
		char line[REPORT_ITEM_LEN + 16];
		int m = snprintf(line, sizeof line, "[%s] %s\n",
				 state_name(it->state), it->text);
		if (m < 0 || o->pos + (size_t)m >= o->len - tail)
			break;
		put(o, line);
	}
	size_t hidden = r->nitems - shown + r->dropped;
	if (hidden)
		putf(o, "[...] %zu more lines not shown\n", hidden);
}

/* Once the result is being printed, no timer may add a second one: the
 * deadline's backstop (SIGALRM) waits until the process has exited. */
static void hold_alarm(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGALRM);
	sigprocmask(SIG_BLOCK, &set, NULL);
}

enum state report_print(const struct report *r, FILE *out)
{
	static char text[REPORT_MAX_OUTPUT + 1];
	char summary[REPORT_SUMMARY_LEN];
	enum state st = report_state(r);
	struct out o = {text, sizeof text, 0, false};

	hold_alarm();
	make_summary(r, st, summary, sizeof summary);
	switch (run_format) {
	case REPORT_JSON:
		print_json(r, st, summary, &o);
		break;
	case REPORT_ICINGAWEB2:
		print_icingaweb2(r, st, summary, &o);
		break;
	case REPORT_NAGIOS:
		print_nagios(r, st, summary, &o);
		if (o.full) {
			/* Perfdata that does not fit goes; the line stays. */
			o.full = false;
			o.pos = 0;
			putf(&o, "%s %s - %s\n", r->label, state_name(st),
			     summary);
		}
		long_output(r, &o);
		break;
	}
	fwrite(text, 1, o.pos, out);
	fflush(out);
	return st;
}

void report_exit(const struct report *r)
{
	exit((int)report_print(r, stdout));
}

size_t report_format_single(char *buf, size_t len, enum report_format f,
			    const char *label, enum state st, const char *code,
			    const char *text)
{
	struct out o = {buf, len, 0, false};
	char cut[REPORT_ITEM_LEN];

	snprintf(cut, sizeof cut, "%s", text);
	text_cut(cut, REPORT_FIRST_LINE_MAX);
	switch (f) {
	case REPORT_JSON:
		put(&o, "{\"label\":");
		put_json(&o, label);
		putf(&o, ",\"state\":\"%s\",\"exit_code\":%d,\"summary\":",
		     state_name(st), (int)st);
		put_json(&o, cut);
		put(&o, ",\"checks\":[{\"code\":");
		put_json(&o, code);
		putf(&o, ",\"state\":\"%s\",\"output\":", state_name(st));
		put_json(&o, text);
		put(&o, "}],\"perfdata\":[],\"dropped\":0}\n");
		break;
	case REPORT_ICINGAWEB2:
		putf(&o, "[%s] %s - %s\n\\_ [%s] %s\n", state_name(st), label,
		     cut, state_name(st), text);
		break;
	case REPORT_NAGIOS:
		putf(&o, "%s %s - %s\n", label, state_name(st), cut);
		break;
	}
	return o.full ? 0 : o.pos;
}

void report_die(const char *label, enum state st, const char *code,
		const char *fmt, ...)
{
	char reason[512];
	char line[2048];
	va_list ap;

	va_start(ap, fmt);
	vformat(reason, sizeof reason, fmt, ap);
	va_end(ap);
	size_t n =
	    report_format_single(line, sizeof line, run_format, label, st,
				 word_ok(code) ? code : "error", reason);
	hold_alarm();
	fwrite(line, 1, n, stdout);
	fflush(stdout);
	exit((int)st);
}
