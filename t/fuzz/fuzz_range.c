/* Threshold ranges (-w/-c): parse, evaluate, format, parse again. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "range.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char text[256], err[128], again[128];
	struct range r, r2;

	if (size >= sizeof text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (range_parse(text, &r, err, sizeof err))
		return 0;
	static const double probes[] = {-1e300, -1, 0, 0.5, 1, 10, 1e300, NAN};
	for (size_t i = 0; i < sizeof probes / sizeof probes[0]; i++)
		(void)range_state(&r, &r, probes[i]);
	range_format(&r, again, sizeof again);
	/* What we print as perfdata must parse back to the same range. */
	if (again[0] && (range_parse(again, &r2, err, sizeof err) ||
			 r2.inside != r.inside || r2.lo_inf != r.lo_inf ||
			 r2.hi_inf != r.hi_inf))
		abort();
	return 0;
}
