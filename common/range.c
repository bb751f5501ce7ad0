#include "range.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "num.h"

static int bound(const char *text, const char *what, double *out, char *err,
		 size_t errlen)
{
	char why[128];

	if (num_double(text, -1e15, 1e15, out, why, sizeof why) == 0)
		return 0;
	snprintf(err, errlen, "%s of range is bad: %s", what, why);
	return -1;
}

int range_parse(const char *text, struct range *r, char *err, size_t errlen)
{
	struct range nr = {.set = true};
	const char *s = text ? text : "";
	char lo[64];

	if (*s == '@') {
		nr.inside = true;
		s++;
	}
	const char *colon = strchr(s, ':');
	if (*s == '\0' || strlen(s) >= sizeof lo) {
		snprintf(err, errlen, "\"%s\" is not a range",
			 text ? text : "");
		return -1;
	}
	if (!colon) {
		/* "N" means 0:N */
		if (bound(s, "end", &nr.hi, err, errlen))
			return -1;
	} else {
		size_t n = (size_t)(colon - s);
		memcpy(lo, s, n);
		lo[n] = '\0';
		const char *hi = colon + 1;
		if (!strcmp(lo, "~"))
			nr.lo_inf = true;
		else if (n > 0 && bound(lo, "start", &nr.lo, err, errlen))
			return -1;
		/* ":N" is 0:N as in monitoring-plugins; an empty end is +inf */
		if (*hi == '\0')
			nr.hi_inf = true;
		else if (bound(hi, "end", &nr.hi, err, errlen))
			return -1;
		if (nr.lo_inf && nr.hi_inf) {
			snprintf(
			    err, errlen,
			    "\"%s\" is not a range: no bound on either side",
			    text);
			return -1;
		}
		if (n == 0 && nr.hi_inf) {
			snprintf(err, errlen, "\"%s\" is not a range", text);
			return -1;
		}
	}
	if (!nr.lo_inf && !nr.hi_inf && nr.lo > nr.hi) {
		snprintf(err, errlen,
			 "\"%s\" is not a range: start is greater than end",
			 text);
		return -1;
	}
	*r = nr;
	return 0;
}

bool range_alert(const struct range *r, double v)
{
	if (!r || !r->set || isnan(v))
		return false;
	bool within = (r->lo_inf || v >= r->lo) && (r->hi_inf || v <= r->hi);
	return r->inside ? within : !within;
}

enum state range_state(const struct range *warn, const struct range *crit,
		       double v)
{
	if (range_alert(crit, v))
		return STATE_CRITICAL;
	if (range_alert(warn, v))
		return STATE_WARNING;
	return STATE_OK;
}

void range_format(const struct range *r, char *buf, size_t len)
{
	char lo[32] = "", hi[32] = "";

	if (!r || !r->set) {
		snprintf(buf, len, "%s", "");
		return;
	}
	if (r->lo_inf)
		strcpy(lo, "~");
	else
		num_format(r->lo, lo, sizeof lo);
	if (!r->hi_inf)
		num_format(r->hi, hi, sizeof hi);
	if (!r->inside && !r->lo_inf && r->lo == 0 && !r->hi_inf)
		snprintf(buf, len, "%s", hi);
	else
		snprintf(buf, len, "%s%s:%s", r->inside ? "@" : "", lo, hi);
}
