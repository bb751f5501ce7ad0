/* status: the four plugin states, their names, and how results combine. */
#ifndef V6OPS_STATUS_H
#define V6OPS_STATUS_H

enum state {
	STATE_OK = 0,
	STATE_WARNING = 1,
	STATE_CRITICAL = 2,
	STATE_UNKNOWN = 3,
};

/* "OK", "WARNING", "CRITICAL", "UNKNOWN". */
const char *state_name(enum state st);

/* The worse of two states. CRITICAL > WARNING > UNKNOWN > OK: a known
 * problem outranks "could not tell", as in monitoring-plugins' max_state(). */
enum state state_worst(enum state a, enum state b);

/* Parses a state name (any case) or its number 0..3; 0 on success, -1 if
 * the text is neither. */
int state_parse(const char *text, enum state *out);

#endif
