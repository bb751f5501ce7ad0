/* report: the result model every plugin prints.
 *   LABEL STATE - summary | perfdata
 *   [STATE] one long-output line per item
 * State is the worst item (see state_worst) unless raised. Text is
 * sanitised (no '|', no control characters) and the whole output is capped
 * at REPORT_MAX_OUTPUT bytes, whatever the plugin feeds in. Output goes to
 * stdout only; numbers are formatted in the C locale. */
#ifndef V6OPS_REPORT_H
#define V6OPS_REPORT_H

#include <stdio.h>
#include <stddef.h>

#include "perf.h"
#include "status.h"

#define REPORT_MAX_OUTPUT  4096
#define REPORT_MAX_ITEMS   128
#define REPORT_ITEM_LEN	   240
#define REPORT_SUMMARY_LEN 1024
#define REPORT_PERF_LEN	   1536

struct report_item {
	enum state state;
	char text[REPORT_ITEM_LEN];
};

struct report {
	const char *label; /* "DUALSTACK_HTTP" */
	char summary[REPORT_SUMMARY_LEN];
	struct report_item items[REPORT_MAX_ITEMS];
	size_t nitems;
	size_t dropped; /* items beyond REPORT_MAX_ITEMS, counted */
	char perf[REPORT_PERF_LEN];
	size_t perflen;
	enum state raised; /* floor set by report_raise() */
};

void report_init(struct report *r, const char *label);

/* Adds one long-output line with its state. */
void report_add(struct report *r, enum state st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Sets the first-line summary. Without one, the summary is the text of the
 * worst items joined with "; ". */
void report_summary(struct report *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Appends a perfdata item; an invalid or duplicate label is dropped. */
void report_perf(struct report *r, const struct perf *p);

/* Makes the overall state at least st (e.g. a judge-level verdict). */
void report_raise(struct report *r, enum state st);

enum state report_state(const struct report *r);

/* Writes the report to out (at most REPORT_MAX_OUTPUT bytes); returns the
 * state. */
enum state report_print(const struct report *r, FILE *out);

/* Prints to stdout and exits with the state. */
_Noreturn void report_exit(const struct report *r);

/* One line "LABEL STATE - reason" and exit with st. For failures before
 * any result exists (a socket that cannot open, a file that cannot be read). */
_Noreturn void report_die(const char *label, enum state st, const char *fmt,
			  ...) __attribute__((format(printf, 3, 4)));

/* Copies text into dst (size len) with '|' turned into '/', and control
 * characters into spaces: safe for plugin output whatever its source. */
void report_sanitise(char *dst, size_t len, const char *text);

#endif
