/* Names files (check_aaaa_consistency -f): the bytes become a file read
 * through namelist_read, as an operator's zone list would be; every name
 * kept must be a valid host name, and the limits hold. Seeds:
 * t/data/fuzz/names. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "check_aaaa_consistency.d/namelist.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fd = -1;
	char path[64], err[300];
	char **names = NULL;
	size_t n = 0;

	if (fd < 0)
		fd = memfd_create("names", 0);
	if (fd < 0 || ftruncate(fd, 0) ||
	    pwrite(fd, data, size, 0) != (ssize_t)size)
		return 0;
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	(void)namelist_read(path, &names, &n, err, sizeof err);
	if (n > NAMELIST_MAX_NAMES)
		abort();
	for (size_t i = 0; i < n; i++)
		if (!namelist_valid(names[i]))
			abort();
	namelist_free(names, n);
	return 0;
}
