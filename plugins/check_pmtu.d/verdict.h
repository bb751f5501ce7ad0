/* verdict: check_pmtu's report from its facts: each family's verdict
 * (check_pmtu.d/judge), the DNS faults of one family (the words every
 * plugin uses for an unanswered AAAA), perfdata, and a first line of one
 * short phrase a family within REPORT_FIRST_LINE_MAX. Pure: facts and
 * options in, a report out. */
#ifndef CHECK_PMTU_VERDICT_H
#define CHECK_PMTU_VERDICT_H

#include "check_pmtu.d/facts.h"
#include "report.h"

void pmtu_report(const struct facts *fx, const struct opts *op,
		 const struct std_opts *std, const char *label,
		 struct report *r);

#endif
