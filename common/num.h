/* num: strict parsing and C-locale formatting of numbers.
 * Every parser takes base 10 only, consumes the whole string, checks the
 * range, and on failure writes a reason (without the option name, which the
 * caller adds) into err. Return 0 on success, -1 on failure. */
#ifndef V6OPS_NUM_H
#define V6OPS_NUM_H

#include <stddef.h>

int num_long(const char *s, long min, long max, long *out, char *err,
	     size_t errlen);

/* Decimal with optional sign and fraction; no exponent, hex, inf or nan. */
int num_double(const char *s, double min, double max, double *out, char *err,
	       size_t errlen);

/* A duration: a plain number means seconds ("10", "1.5"); the suffixes
 * "ms", "s" and "m" are accepted. Result in milliseconds. */
int num_duration_ms(const char *s, long min_ms, long max_ms, long *out,
		    char *err, size_t errlen);

/* Formats v with at most 6 decimals, trailing zeros dropped, never an
 * exponent, always '.' as the decimal point ("0.012", "1500", "-3.5").
 * NAN formats as "U" (the perfdata guideline's unknown value). */
void num_format(double v, char *buf, size_t len);

#endif
