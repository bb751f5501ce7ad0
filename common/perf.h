/* perf: one performance data item in the guideline's form
 *   'label'=value[UOM];[warn];[crit];[min];[max]
 * Trailing empty fields are dropped. Labels that hold a space, '=' or a
 * quote are single-quoted, with quotes doubled. */
#ifndef V6OPS_PERF_H
#define V6OPS_PERF_H

#include <stddef.h>

#include "range.h"

struct perf {
	const char *label;
	double value;		  /* NAN: unknown, printed as U */
	const char *uom;	  /* NULL/"" or s ms us % B KB MB GB TB c */
	const struct range *warn; /* NULL: none */
	const struct range *crit;
	double min, max; /* NAN: absent */
};

/* A perf item with only label, value and unit; min and max absent. */
#define PERF(l, v, u) ((struct perf){(l), (v), (u), NULL, NULL, NAN, NAN})

/* Writes the item into buf. Returns the length, or -1 if the label is
 * empty, the unit is not one of the guideline's, or buf is too small. */
int perf_format(char *buf, size_t len, const struct perf *p);

#endif
