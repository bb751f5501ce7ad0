/* bird: BIRD 2's view of the adjacencies, from its control socket (the
 * protocol birdc speaks): a greeting "0001 BIRD x ready.", then for
 * `show ospf neighbors [NAME]` reply lines "CCCC-text" (more follows),
 * " text" (more of the same code) and a last line "CCCC text". Codes
 * 0xxx are done / status, 1xxx table data (1013: OSPF neighbors), 8xxx
 * run-time errors, 9xxx parse errors (an unknown protocol name is one).
 * BIRD reports no time in state, so flaps cannot be seen through it. */
#ifndef OSPFV3_BIRD_H
#define OSPFV3_BIRD_H

#include <stddef.h>

#include "check_ospfv3_neighbors.d/nbr.h"
#include "check_ospfv3_neighbors.d/source.h"

#define BIRD_MAX_REPLY (1u << 20)

/* The reply's length if text holds a complete one (its last line is in),
 * else 0. */
size_t bird_reply_end(const char *text, size_t len);

/* Parses a reply (without the greeting). protocol is --protocol or NULL,
 * for the error text. Returns SRC_OK, SRC_ERROR (BIRD said 8xxx/9xxx) or
 * SRC_MALFORMED, with err set. */
enum src_result bird_parse(const char *text, size_t len, const char *protocol,
			   struct nbr_list *out, char *err, size_t errlen);

/* Connects to the socket, checks the greeting, asks, parses. */
enum src_result bird_fetch(const char *path, const char *protocol,
			   struct nbr_list *out, char *err, size_t errlen);

#endif
