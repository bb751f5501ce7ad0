/* echo: check_pmtu's icmp mode engine. One family's sizes go out as the
 * search (check_pmtu.d/search) asks for them, each completion is recorded
 * and the next round planned from the loop; the probe timeout follows the
 * family's own smallest round trip (4 RTT + 100 ms, 3 s before the first
 * reply, --probe-timeout if given). */
#ifndef CHECK_PMTU_ECHO_H
#define CHECK_PMTU_ECHO_H

#include "check_pmtu.d/facts.h"

/* Attaches f's socket to the run's loop, adds its wake-up timer and sends
 * the first round (f->s initialised by the caller). 0, or -1 when the
 * loop has no room. */
int pmtu_echo_begin(struct facts *fx, struct fam *f);

#endif
