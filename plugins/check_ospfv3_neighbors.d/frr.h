/* frr: FRR's view of the adjacencies, from `vtysh [-N PATHSPACE] -c
 * 'show ipv6 ospf6 neighbor json'`. The runner starts vtysh in its own
 * process group with its output on pipes read from the loop, and kills the
 * group when the run's deadline comes; the parser is pure (jansson) and is
 * what the unit test and the fuzz corpus feed. */
#ifndef OSPFV3_FRR_H
#define OSPFV3_FRR_H

#include <stddef.h>

#include "check_ospfv3_neighbors.d/nbr.h"
#include "check_ospfv3_neighbors.d/source.h"

/* vtysh's output is capped: no neighbor table is anywhere near this. */
#define FRR_MAX_OUTPUT (4u << 20)

/* "00:05:12" or "3d04:05:06" (FRR's timerstring) -> seconds, or -1. */
long frr_duration_parse(const char *s);

/* Parses the JSON document {"neighbors": [{"neighborId", "state",
 * "duration", "interfaceName", ...}]}. Returns 0, or -1 with the reason in
 * err (the document is malformed, cut short, or not this shape). */
int frr_parse(const char *text, size_t len, struct nbr_list *out, char *err,
	      size_t errlen);

/* Runs vtysh (a path, or a name looked up in PATH) and parses what it
 * prints. Returns SRC_OK, or the failure kind with err set. */
enum src_result frr_fetch(const char *vtysh, const char *pathspace,
			  struct nbr_list *out, char *err, size_t errlen);

#endif
