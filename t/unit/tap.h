/* tap.h: the few TAP helpers our C unit tests need (Test::More's words).
 * Header-only; each test file is one program run by prove. */
#ifndef V6OPS_TAP_H
#define V6OPS_TAP_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

/* "45 00 ..." into b (packet fixtures written as hex); returns the byte
 * count. */
static inline size_t hex(const char *h, uint8_t *b, size_t cap)
{
	size_t n = 0;
	unsigned x;
	int used;

	while (n < cap && sscanf(h, " %2x%n", &x, &used) == 1) {
		b[n++] = (uint8_t)x;
		h += used;
	}
	return n;
}

static int tap_ok(int cond, const char *name, const char *file, int line)
{
	tap_n++;
	printf("%sok %d - %s\n", cond ? "" : "not ", tap_n, name);
	if (!cond) {
		tap_failed++;
		printf("#   Failed test '%s'\n#   at %s line %d.\n", name, file,
		       line);
	}
	return cond;
}

#define ok(cond, name) tap_ok(!!(cond), (name), __FILE__, __LINE__)

#define is_int(got, want, name)                                                \
	do {                                                                   \
		long long g_ = (long long)(got), w_ = (long long)(want);       \
		if (!ok(g_ == w_, (name)))                                     \
			printf("#          got: %lld\n#     expected: %lld\n", \
			       g_, w_);                                        \
	} while (0)

#define is_str(got, want, name)                                                \
	do {                                                                   \
		const char *g_ = (got), *w_ = (want);                          \
		if (!ok(g_ && w_ && !strcmp(g_, w_), (name)))                  \
			printf("#          got: '%s'\n#     expected: '%s'\n", \
			       g_ ? g_ : "(null)", w_ ? w_ : "(null)");        \
	} while (0)

#define is_double(got, want, name)                                             \
	do {                                                                   \
		double g_ = (got), w_ = (want);                                \
		if (!ok(fabs(g_ - w_) < 1e-9, (name)))                         \
			printf("#          got: %.9g\n#     expected: %.9g\n", \
			       g_, w_);                                        \
	} while (0)

static int done_testing(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif
