/* deadline: one monotonic deadline per run (STYLE habit 11).
 * Every wait asks deadline_remaining_ms(). A backstop timer fires
 * DEADLINE_BACKSTOP_MS after the deadline: its handler only write()s a line
 * prepared in advance,
 *   LABEL UNKNOWN - timeout after 10 s (step: resolving AAAA for x)
 * (or the -t state) and _exit()s. deadline_step() names the step in
 * progress so that line, and the plugin's own timeout messages, say where
 * the time went. */
#ifndef V6OPS_DEADLINE_H
#define V6OPS_DEADLINE_H

#include <stdbool.h>

#include "status.h"

/* Long enough for a plugin whose loops end at the deadline to judge and
 * print (milliseconds), short enough that process start-up under load
 * still fits the promised T + 0.5 s. */
#define DEADLINE_BACKSTOP_MS 200

/* Starts the clock and arms the backstop. opt_parse() calls this. */
void deadline_start(const char *label, long timeout_ms, enum state on_timeout);

/* Names the step now in progress (printf format, truncated to ~120 bytes). */
void deadline_step(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

const char *deadline_step_name(void);

/* Milliseconds left before the deadline, never negative. */
long deadline_remaining_ms(void);

bool deadline_passed(void);

double deadline_elapsed_s(void);
long deadline_timeout_ms(void);
enum state deadline_timeout_state(void);

/* Seconds on CLOCK_MONOTONIC, for measuring one probe. */
double mono_now_s(void);

#endif
