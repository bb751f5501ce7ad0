/* buf: a bounds-checked read cursor over bytes (STYLE habit 6). Every
 * packet parser reads through it instead of casting a struct over bytes.
 * Each fetch checks what remains first; a read past the end returns zeros,
 * reads nothing and sets a sticky error flag, so a parser may read a whole
 * header and test buf_ok() once. A sub-cursor covers exactly the next n
 * bytes (one option, one extension header): its reads can never reach its
 * neighbours. Multi-byte numbers are in network byte order. Pure: no I/O,
 * no allocation. */
#ifndef V6OPS_BUF_H
#define V6OPS_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct buf {
	const uint8_t *p; /* the next unread byte */
	size_t left;	  /* bytes from p to the end */
	bool err;	  /* a read went past the end (sticky) */
};

/* A cursor over len bytes at p. */
void buf_init(struct buf *b, const void *p, size_t len);

/* The next byte, 16 or 32 bits (big-endian); 0 and the error flag when
 * fewer bytes remain. */
uint8_t buf_u8(struct buf *b);
uint16_t buf_u16(struct buf *b);
uint32_t buf_u32(struct buf *b);

/* Copies the next n bytes to dst. Short: dst is zeroed, the error flag set
 * and nothing consumed. Returns 0 or -1. */
int buf_bytes(struct buf *b, void *dst, size_t n);

/* Skips n bytes; short: the error flag, nothing consumed. Returns 0 or -1. */
int buf_skip(struct buf *b, size_t n);

/* Makes sub a cursor over the next n bytes of b and consumes them from b.
 * Short: sub is empty with its error flag set, b gets the error flag too.
 * Returns 0 or -1. */
int buf_sub(struct buf *b, struct buf *sub, size_t n);

/* The next byte without consuming it; -1 when none remains. */
int buf_peek(const struct buf *b);

/* Bytes not yet read. */
size_t buf_left(const struct buf *b);

/* True while no read went past the end. */
bool buf_ok(const struct buf *b);

#endif
