#include "buf.h"

#include <string.h>

void buf_init(struct buf *b, const void *p, size_t len)
{
	b->p = p;
	b->left = p ? len : 0;
	b->err = false;
}

/* The one bounds check every read goes through. */
static bool take(struct buf *b, size_t n)
{
	if (b->err || n > b->left) {
		b->err = true;
		return false;
	}
	return true;
}

uint8_t buf_u8(struct buf *b)
{
	if (!take(b, 1))
		return 0;
	uint8_t v = b->p[0];
	b->p += 1;
	b->left -= 1;
	return v;
}

uint16_t buf_u16(struct buf *b)
{
	if (!take(b, 2))
		return 0;
	uint16_t v = (uint16_t)((unsigned)b->p[0] << 8 | b->p[1]);
	b->p += 2;
	b->left -= 2;
	return v;
}

uint32_t buf_u32(struct buf *b)
{
	if (!take(b, 4))
		return 0;
	uint32_t v = (uint32_t)b->p[0] << 24 | (uint32_t)b->p[1] << 16 |
		     (uint32_t)b->p[2] << 8 | b->p[3];
	b->p += 4;
	b->left -= 4;
	return v;
}

int buf_bytes(struct buf *b, void *dst, size_t n)
{
	if (!take(b, n)) {
		memset(dst, 0, n);
		return -1;
	}
	if (n)
		memcpy(dst, b->p, n);
	b->p += n;
	b->left -= n;
	return 0;
}

int buf_skip(struct buf *b, size_t n)
{
	if (!take(b, n))
		return -1;
	b->p += n;
	b->left -= n;
	return 0;
}

int buf_sub(struct buf *b, struct buf *sub, size_t n)
{
	if (!take(b, n)) {
		buf_init(sub, NULL, 0);
		sub->err = true;
		return -1;
	}
	buf_init(sub, b->p, n);
	b->p += n;
	b->left -= n;
	return 0;
}

int buf_peek(const struct buf *b)
{
	if (b->err || b->left == 0)
		return -1;
	return b->p[0];
}

size_t buf_left(const struct buf *b)
{
	return b->err ? 0 : b->left;
}

bool buf_ok(const struct buf *b)
{
	return !b->err;
}
