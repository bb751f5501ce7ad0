/* verdict: check_aaaa_consistency's report from its facts: the DNS
 * verdicts of every server and name (dnsjudge), every published address
 * judged (answers, stale, dead), -a, perfdata, worst first (findings).
 * Pure: facts and options in, a report out. */
#ifndef CHECK_AAAA_CONSISTENCY_VERDICT_H
#define CHECK_AAAA_CONSISTENCY_VERDICT_H

#include "check_aaaa_consistency.d/facts.h"
#include "report.h"

void aaaa_judge(const struct facts *f, const struct opts *op, struct report *r);

#endif
