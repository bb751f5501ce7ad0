/* report: the result model every plugin prints.
 * A result is a list of findings, each {code, state, text, what it is
 * about}, plus structured perfdata, formatted once at the end in one of
 * three forms (--output-format):
 *   nagios      LABEL STATE - summary | perfdata
 *               [STATE] one long-output line per finding
 *   json        {"label", "state", "summary", "checks": [{"code", "state",
 *               "output", "family", "address", "name", "router", "iface"}],
 *               "perfdata": [{"label", "value", "uom", "warn", "crit",
 *               "min", "max"}]}
 *   icingaweb2  [STATE] LABEL - summary, then "\_ [STATE] text" per finding
 *               and "|perfdata"
 * The exit code is the same in every form. Codes are stable words
 * ([a-z0-9_]) that tests and consumers match; texts are for people.
 * The state is the worst finding (see state_worst) unless raised. Text is
 * sanitised (no '|', no control characters) and the output is capped at
 * REPORT_MAX_OUTPUT bytes, whatever the plugin feeds in. Output goes to
 * stdout only; numbers are formatted in the C locale.
 * Depends on status, perf, range, text and log only. */
#ifndef V6OPS_REPORT_H
#define V6OPS_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "perf.h"
#include "range.h"
#include "status.h"

#define REPORT_MAX_OUTPUT  4096
#define REPORT_MAX_ITEMS   128
#define REPORT_MAX_PERF	   48
#define REPORT_ITEM_LEN	   240
#define REPORT_SUMMARY_LEN 1024
#define REPORT_CODE_LEN	   40
/* The first line, perfdata aside, fits in this many bytes: the worst
 * finding, then a count of the others; details are in the long output. */
#define REPORT_FIRST_LINE_MAX 200

enum report_format {
	REPORT_NAGIOS = 0,
	REPORT_JSON,
	REPORT_ICINGAWEB2,
};

/* What a finding is about. Every field is optional (0 / NULL). */
struct about {
	int family;	     /* AF_INET or AF_INET6 */
	const char *address; /* an address literal */
	const char *name;    /* a DNS name, a URL, a neighbor's router id */
	const char *router;  /* a router's link-local address or id */
	const char *iface;   /* an interface name */
};

struct report_item {
	enum state state;
	char code[REPORT_CODE_LEN];
	char text[REPORT_ITEM_LEN];
	int family;
	char address[64];
	char name[256];
	char router[64];
	char iface[32];
};

struct report_perf {
	char label[64];
	double value; /* NAN: unknown, left out of nagios output */
	char uom[4];
	struct range warn, crit;
	double min, max; /* NAN: absent */
};

struct report {
	const char *label; /* "DUALSTACK_HTTP" */
	char summary[REPORT_SUMMARY_LEN];
	struct report_item items[REPORT_MAX_ITEMS];
	size_t nitems;
	size_t dropped; /* items beyond REPORT_MAX_ITEMS, counted */
	struct report_perf perf[REPORT_MAX_PERF];
	size_t nperf;
	enum state raised; /* floor set by report_raise() */
};

/* The output form for this run; opt_parse() sets it from --output-format.
 * report_print(), report_die() and the deadline's backstop line follow it. */
void report_set_format(enum report_format f);
enum report_format report_get_format(void);
/* "nagios", "json", "icingaweb2" -> 0, or -1 for anything else. */
int report_format_parse(const char *name, enum report_format *out);

void report_init(struct report *r, const char *label);

/* Adds one finding. code: a stable word ([a-z0-9_]); about may be NULL. */
void report_add(struct report *r, enum state st, const char *code,
		const struct about *about, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Sets the first-line summary. Without one, the summary is the worst
 * finding's text and a count of the others of that state. Cut at a phrase
 * boundary to REPORT_FIRST_LINE_MAX either way. */
void report_summary(struct report *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Keeps one perfdata entry; an invalid or duplicate label, or a unit that
 * is not the guideline's, is dropped (with a -v line). */
void report_perf(struct report *r, const struct perf *p);

/* Makes the overall state at least st (e.g. a judge-level verdict). */
void report_raise(struct report *r, enum state st);

enum state report_state(const struct report *r);

/* The first finding with this code, or NULL. */
const struct report_item *report_find(const struct report *r, const char *code);

/* The nagios form of the perfdata into buf (for tests and logs). */
const char *report_perf_text(const struct report *r, char *buf, size_t len);

/* Writes the report to out in the run's format (at most REPORT_MAX_OUTPUT
 * bytes); returns the state. */
enum state report_print(const struct report *r, FILE *out);

/* Prints to stdout and exits with the state. */
_Noreturn void report_exit(const struct report *r);

/* One finding and exit with st, in the run's format. For failures before
 * any result exists (a socket that cannot open, a file that cannot be
 * read). */
_Noreturn void report_die(const char *label, enum state st, const char *code,
			  const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Formats a one-finding result (what report_die prints) into buf without
 * any I/O or allocation: the deadline's backstop prepares its line with it.
 * Returns the length, 0 if it does not fit. */
size_t report_format_single(char *buf, size_t len, enum report_format f,
			    const char *label, enum state st, const char *code,
			    const char *text);

#endif
