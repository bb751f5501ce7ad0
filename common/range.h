/* range: Nagios threshold ranges, exactly as the plugin development
 * guidelines define them. Both ends are inclusive.
 *   10       alert if v < 0 or v > 10
 *   10:      alert if v < 10
 *   ~:10     alert if v > 10
 *   10:20    alert if v < 10 or v > 20
 *   @10:20   alert if 10 <= v <= 20
 */
#ifndef V6OPS_RANGE_H
#define V6OPS_RANGE_H

#include <stdbool.h>
#include <stddef.h>

#include "status.h"

struct range {
	bool set;    /* false: no threshold, never alerts */
	bool inside; /* '@': alert inside instead of outside */
	bool lo_inf; /* '~' start */
	bool hi_inf; /* "N:" with no end */
	double lo, hi;
};

/* Parses text into r; on error writes the reason to err and returns -1. */
int range_parse(const char *text, struct range *r, char *err, size_t errlen);

/* True when v should raise an alert under r (false when r is not set). */
bool range_alert(const struct range *r, double v);

/* CRITICAL if crit alerts, else WARNING if warn alerts, else OK. */
enum state range_state(const struct range *warn, const struct range *crit,
		       double v);

/* Canonical text for perfdata: a plain upper bound ("0:N") prints as "N";
 * an unset range prints as "". */
void range_format(const struct range *r, char *buf, size_t len);

#endif
