/* verdict: check_dualstack_http's report from what the fetches gave:
 * each address judged on its own (webcheck), the DNS line of each family,
 * the families compared (status, content, certificate, --max-delta), the
 * headline "IPv6 broken while IPv4 works", perfdata. Pure: facts and
 * options in, a report out. */
#ifndef CHECK_DUALSTACK_HTTP_VERDICT_H
#define CHECK_DUALSTACK_HTTP_VERDICT_H

#include <time.h>

#include "check_dualstack_http.d/dualstack.h"
#include "check_dualstack_http.d/opts.h"
#include "report.h"

void dualstack_judge(const struct dualstack_fetch *f, const struct opts *op,
		     time_t now, struct report *rep);

#endif
