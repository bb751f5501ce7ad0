/* Perfdata items: quoting, units, thresholds, trailing fields. */
#include "perf.h"
#include "tap.h"

static const char *fmt(const struct perf *p)
{
	static char buf[256];
	if (perf_format(buf, sizeof buf, p) < 0)
		return "(invalid)";
	return buf;
}

int main(void)
{
	struct range w, c;
	char err[64];
	range_parse("1", &w, err, sizeof err);
	range_parse("2", &c, err, sizeof err);

	struct perf p = PERF("time_v6", 0.015, "s");
	is_str(fmt(&p), "time_v6=0.015s", "trailing empty fields dropped");
	p.warn = &w;
	p.crit = &c;
	p.min = 0;
	is_str(fmt(&p), "time_v6=0.015s;1;2;0", "warn, crit, min");
	p.max = 10;
	is_str(fmt(&p), "time_v6=0.015s;1;2;0;10", "with max");
	p.warn = NULL;
	p.max = NAN;
	is_str(fmt(&p), "time_v6=0.015s;;2;0", "empty warn kept between");

	struct range lo;
	range_parse("1400:", &lo, err, sizeof err);
	struct perf m = PERF("pmtu_v6", 1280, "B");
	m.warn = &lo;
	is_str(fmt(&m), "pmtu_v6=1280B;1400:", "a lower bound keeps its colon");

	struct perf q = PERF("round trip", 3, "ms");
	is_str(fmt(&q), "'round trip'=3ms", "space quoted");
	q.label = "a=b";
	is_str(fmt(&q), "'a=b'=3ms", "= quoted");
	q.label = "it's";
	is_str(fmt(&q), "'it''s'=3ms", "quote doubled inside quotes");

	const char *units[] = {"s",  "ms", "us", "%",  "B",
			       "KB", "MB", "GB", "TB", "c"};
	for (size_t i = 0; i < sizeof units / sizeof *units; i++) {
		struct perf u = PERF("x", 1, units[i]);
		char want[16], name[32];
		snprintf(want, sizeof want, "x=1%s", units[i]);
		snprintf(name, sizeof name, "unit %s", units[i]);
		is_str(fmt(&u), want, name);
	}
	struct perf none = PERF("count", 7, NULL);
	is_str(fmt(&none), "count=7", "no unit");
	struct perf bad = PERF("x", 1, "sec");
	is_str(fmt(&bad), "(invalid)", "unit outside the guideline is refused");
	struct perf empty = PERF("", 1, "s");
	is_str(fmt(&empty), "(invalid)", "empty label refused");
	struct perf unk = PERF("x", NAN, "s");
	is_str(fmt(&unk), "x=U", "unknown value is U without unit");

	char small[8];
	struct perf big = PERF("long_label", 1, "s");
	ok(perf_format(small, sizeof small, &big) == -1,
	   "a buffer too small is an error, not an overflow");
	return done_testing();
}
