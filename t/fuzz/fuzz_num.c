/* Strict numbers and durations, as every option value is read. */
#include <stdint.h>
#include <string.h>

#include "num.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char text[128], err[128];
	long l;
	double d;

	if (size >= sizeof text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	(void)num_long(text, -1000000, 1000000, &l, err, sizeof err);
	(void)num_double(text, -1e9, 1e9, &d, err, sizeof err);
	(void)num_duration_ms(text, 1, 3600000, &l, err, sizeof err);
	char out[64];
	num_format(d, out, sizeof out);
	return 0;
}
