/* Names files (check_aaaa_consistency -f): the bytes are read as a stream
 * (fmemopen) by namelist_parse, which namelist_read runs over the file of
 * an operator's zone list; every name kept must be a valid host name, and
 * the limits hold. Seeds: t/data/fuzz/names. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "check_aaaa_consistency.d/namelist.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[300];
	char **names = NULL;
	size_t n = 0;
	FILE *f = fmemopen((void *)data, size, "r");

	if (!f)
		return 0;
	(void)namelist_parse(f, "names", &names, &n, err, sizeof err);
	fclose(f);
	if (n > NAMELIST_MAX_NAMES)
		abort();
	for (size_t i = 0; i < n; i++)
		if (!namelist_valid(names[i]))
			abort();
	namelist_free(names, n);
	return 0;
}
