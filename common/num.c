#include "num.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Optional sign, digits, optional fraction: the only number form we take.
 * strtod alone would also take hex, exponents, "inf" and leading space. */
static int is_decimal(const char *s, bool allow_fraction)
{
	size_t digits = 0;

	if (*s == '-' || *s == '+')
		s++;
	for (; *s >= '0' && *s <= '9'; s++)
		digits++;
	if (allow_fraction && *s == '.') {
		s++;
		for (; *s >= '0' && *s <= '9'; s++)
			digits++;
	}
	return digits > 0 && *s == '\0';
}

int num_long(const char *s, long min, long max, long *out, char *err,
	     size_t errlen)
{
	if (!s || !is_decimal(s, false)) {
		snprintf(err, errlen, "\"%s\" is not a whole number",
			 s ? s : "");
		return -1;
	}
	errno = 0;
	long v = strtol(s, NULL, 10);
	if (errno == ERANGE || v < min || v > max) {
		snprintf(err, errlen, "%s is out of range (%ld to %ld)", s, min,
			 max);
		return -1;
	}
	*out = v;
	return 0;
}

int num_double(const char *s, double min, double max, double *out, char *err,
	       size_t errlen)
{
	if (!s || !is_decimal(s, true)) {
		snprintf(err, errlen, "\"%s\" is not a number", s ? s : "");
		return -1;
	}
	double v = strtod(s, NULL);
	if (!isfinite(v) || v < min || v > max) {
		char a[32], b[32];
		num_format(min, a, sizeof a);
		num_format(max, b, sizeof b);
		snprintf(err, errlen, "%s is out of range (%s to %s)", s, a, b);
		return -1;
	}
	*out = v;
	return 0;
}

int num_duration_ms(const char *s, long min_ms, long max_ms, long *out,
		    char *err, size_t errlen)
{
	char num[64];
	double scale = 1000;
	size_t n = s ? strlen(s) : 0;

	if (n >= 2 && !strcmp(s + n - 2, "ms")) {
		scale = 1, n -= 2;
	} else if (n >= 1 && (s[n - 1] == 's' || s[n - 1] == 'm')) {
		scale = s[n - 1] == 'm' ? 60000 : 1000;
		n--;
	}
	if (n == 0 || n >= sizeof num) {
		snprintf(err, errlen, "\"%s\" is not a duration", s ? s : "");
		return -1;
	}
	memcpy(num, s, n);
	num[n] = '\0';
	double v;
	if (!is_decimal(num, true) || num[0] == '-' ||
	    (v = strtod(num, NULL) * scale) > 1e12) {
		snprintf(err, errlen,
			 "\"%s\" is not a duration (seconds, or 500ms, 2s, 1m)",
			 s);
		return -1;
	}
	long ms = lround(v);
	if (ms < min_ms || ms > max_ms) {
		snprintf(err, errlen, "%s is out of range (%ldms to %lds)", s,
			 min_ms, max_ms / 1000);
		return -1;
	}
	*out = ms;
	return 0;
}

void num_format(double v, char *buf, size_t len)
{
	if (isnan(v)) {
		snprintf(buf, len, "U");
		return;
	}
	if (v == 0)
		v = 0; /* no "-0" */
	int n = snprintf(buf, len, "%.6f", v);
	if (n < 0 || (size_t)n >= len)
		return;
	/* Whatever locale a library may have set, the output uses '.'. */
	char *comma = strchr(buf, ',');
	if (comma)
		*comma = '.';
	char *dot = strchr(buf, '.');
	if (!dot)
		return;
	char *end = buf + n - 1;
	while (end > dot && *end == '0')
		*end-- = '\0';
	if (end == dot)
		*end = '\0';
	if (!strcmp(buf, "-0"))
		strcpy(buf, "0");
}
