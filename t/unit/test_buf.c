/* test_buf: the read cursor every packet parser goes through: exact
 * bounds, sticky errors, sub-cursors that cannot reach their neighbours. */
#include <stdint.h>
#include <string.h>

#include "buf.h"
#include "tap.h"

static void numbers(void)
{
	const uint8_t d[] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07};
	struct buf b;

	buf_init(&b, d, sizeof d);
	is_int(buf_u8(&b), 0x01, "u8");
	is_int(buf_u16(&b), 0x0203, "u16 is big-endian");
	is_int(buf_u32(&b), 0x04050607, "u32 is big-endian");
	is_int(buf_left(&b), 0, "all read");
	ok(buf_ok(&b), "reading exactly to the end is no error");
	is_int(buf_u8(&b), 0, "past the end: 0");
	ok(!buf_ok(&b), "past the end: error flag");
}

static void short_reads(void)
{
	const uint8_t d[] = {0xff, 0xff, 0xff};
	struct buf b;
	uint8_t out[4] = {9, 9, 9, 9};

	buf_init(&b, d, sizeof d);
	is_int(buf_u32(&b), 0, "u32 from 3 bytes: 0");
	ok(!buf_ok(&b), "u32 from 3 bytes: error");
	is_int(buf_u8(&b), 0, "sticky: a byte that is there is not read");
	is_int(buf_left(&b), 0, "after an error nothing is left");

	buf_init(&b, d, sizeof d);
	is_int(buf_bytes(&b, out, 4), -1, "bytes: 4 of 3 fails");
	ok(out[0] == 0 && out[3] == 0, "bytes: short read zeroes dst");
	buf_init(&b, d, sizeof d);
	is_int(buf_skip(&b, 3), 0, "skip to the end");
	is_int(buf_skip(&b, 0), 0, "skip 0 at the end");
	is_int(buf_skip(&b, 1), -1, "skip past the end");
	buf_init(&b, d, sizeof d);
	is_int(buf_skip(&b, SIZE_MAX), -1, "skip SIZE_MAX: no wrap");
	buf_init(&b, NULL, 10);
	is_int(buf_left(&b), 0, "NULL data: empty");
	is_int(buf_peek(&b), -1, "peek on empty");
}

static void subs(void)
{
	const uint8_t d[] = {1, 2, 3, 4, 5, 6};
	struct buf b, s, s2;

	buf_init(&b, d, sizeof d);
	buf_u8(&b);
	is_int(buf_sub(&b, &s, 3), 0, "sub of 3");
	is_int(buf_left(&b), 2, "sub consumed from the parent");
	is_int(buf_peek(&b), 5, "parent continues after the sub");
	is_int(buf_u16(&s), 0x0203, "sub reads its own bytes");
	is_int(buf_u16(&s), 0, "sub cannot read the parent's next byte");
	ok(!buf_ok(&s), "sub overrun: sub error");
	ok(buf_ok(&b), "sub overrun: parent unharmed");
	is_int(buf_sub(&b, &s2, 3), -1, "sub longer than the rest fails");
	ok(!buf_ok(&s2) && buf_left(&s2) == 0, "failed sub is empty, in error");
	ok(!buf_ok(&b), "failed sub: parent error");
	buf_init(&b, d, sizeof d);
	is_int(buf_sub(&b, &s, 0), 0, "empty sub");
	is_int(buf_peek(&s), -1, "empty sub has nothing");
	is_int(buf_left(&b), 6, "empty sub consumes nothing");
}

int main(void)
{
	numbers();
	short_reads();
	subs();
	return done_testing();
}
