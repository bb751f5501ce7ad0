/* ra_verdict: the findings on what a window saw, against the rules.
 * Pure: reads its arguments, writes findings into the report.
 *   ra_verdict_router    one router: rogue, spoofed, or known with its
 *                        prefixes (foreign, not /64) and settings (router
 *                        lifetime 0, --flags, --mtu, --rdnss)
 *   ra_verdict_bad       malformed and off-link RAs, by sender
 *   ra_verdict_host      this host's own accept_ra against --accept-ra
 *   ra_verdict_baseline  the --router/--prefix options for what was seen */
#ifndef RA_VERDICT_H
#define RA_VERDICT_H

#include "report.h"

#include "check_rogue_ra.d/ra_policy.h"
#include "check_rogue_ra.d/ra_seen.h"

enum ra_known ra_verdict_router(const struct ra_router *rt,
				const struct ra_rules *rules, struct report *r);

void ra_verdict_bad(const struct ra_seen *s, const struct ra_rules *rules,
		    struct report *r);

/* accept_ra and forwarding of the interface (-1: unreadable). */
void ra_verdict_host(int accept_ra, int forwarding,
		     const struct ra_rules *rules, struct report *r);

void ra_verdict_baseline(const struct ra_seen *s, const struct ra_rules *rules,
			 struct report *r);

#endif
