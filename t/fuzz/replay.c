/* replay: runs a fuzz target's LLVMFuzzerTestOneInput over every file of
 * the corpus directories given, as an ordinary TAP test (make check has no
 * clang). A crash or a sanitizer report fails the test; anything else
 * passes: the targets assert their own invariants. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Corpus files hold the raw bytes, or hex when the name ends in .hex (two
 * digits a byte, white space and '#' comments ignored), so hostile
 * fixtures stay readable in the repository. */
static size_t load(const char *path, uint8_t *buf, size_t cap)
{
	FILE *f = fopen(path, "rb");
	size_t n = 0;

	if (!f)
		return 0;
	size_t plen = strlen(path);
	if (plen > 4 && !strcmp(path + plen - 4, ".hex")) {
		int c, hi = -1;
		while ((c = fgetc(f)) != EOF && n < cap) {
			if (c == '#') {
				while ((c = fgetc(f)) != EOF && c != '\n')
					;
				continue;
			}
			const char *digits = "0123456789abcdef";
			const char *d = c >= 'A' && c <= 'F'
					    ? strchr(digits, c - 'A' + 'a')
					    : strchr(digits, c);
			if (!d || !c)
				continue;
			if (hi < 0) {
				hi = (int)(d - digits);
			} else {
				buf[n++] = (uint8_t)(hi * 16 + (d - digits));
				hi = -1;
			}
		}
	} else {
		n = fread(buf, 1, cap, f);
	}
	fclose(f);
	return n;
}

int main(int argc, char **argv)
{
	static uint8_t buf[1 << 20];
	int t = 0;

	for (int a = 1; a < argc; a++) {
		DIR *d = opendir(argv[a]);
		char *names[4096];
		size_t n = 0;
		struct dirent *e;
		if (!d) {
			printf("not ok %d - cannot open %s\n", ++t, argv[a]);
			continue;
		}
		while ((e = readdir(d)) && n < sizeof names / sizeof names[0])
			if (e->d_name[0] != '.')
				names[n++] = strdup(e->d_name);
		closedir(d);
		qsort(names, n, sizeof names[0], cmp);
		for (size_t i = 0; i < n; i++) {
			char path[4096];
			snprintf(path, sizeof path, "%s/%s", argv[a], names[i]);
			size_t len = load(path, buf, sizeof buf);
			LLVMFuzzerTestOneInput(buf, len);
			printf("ok %d - %s (%zu bytes)\n", ++t, path, len);
			free(names[i]);
		}
	}
	printf("1..%d\n", t);
	return t ? 0 : 1;
}
