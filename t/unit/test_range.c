/* Threshold ranges: every form of the guideline, boundaries included. */
#include "range.h"
#include "tap.h"

static struct range R(const char *text) {
	struct range r;
	char err[128];
	if (range_parse(text, &r, err, sizeof err))
		r.set = false;
	return r;
}

static void
alerts(const char *text, double v, int want)
{
	char name[96];
	struct range r = R(text);
	snprintf(name, sizeof name, "'%s' at %g %s", text, v,
		 want ? "alerts" : "is fine");
	ok(r.set && range_alert(&r, v) == want, name);
}

static void bad(const char *text, const char *want_in_err)
{
	struct range r;
	char err[128] = "", name[96];
	int rc = range_parse(text, &r, err, sizeof err);
	snprintf(name, sizeof name, "'%s' is rejected", text);
	ok(rc == -1, name);
	snprintf(name, sizeof name, "'%s' error says '%s' (%s)", text,
		 want_in_err, err);
	ok(strstr(err, want_in_err) != NULL, name);
}

int main(void)
{
	/* 10: outside 0..10 */
	alerts("10", -1, 1);
	alerts("10", 0, 0);
	alerts("10", 10, 0);
	alerts("10", 10.001, 1);
	/* 10: below 10 */
	alerts("10:", 9.99, 1);
	alerts("10:", 10, 0);
	alerts("10:", 1e9, 0);
	/* ~:10 above 10 */
	alerts("~:10", -1e9, 0);
	alerts("~:10", 10, 0);
	alerts("~:10", 10.5, 1);
	/* 10:20 outside */
	alerts("10:20", 9, 1);
	alerts("10:20", 10, 0);
	alerts("10:20", 20, 0);
	alerts("10:20", 21, 1);
	/* @10:20 inside, ends included */
	alerts("@10:20", 9.9, 0);
	alerts("@10:20", 10, 1);
	alerts("@10:20", 15, 1);
	alerts("@10:20", 20, 1);
	alerts("@10:20", 20.1, 0);
	/* decimals and negatives */
	alerts("-5:-1", -5, 0);
	alerts("-5:-1", -0.5, 1);
	alerts("-5:-1", -5.5, 1);
	alerts("0.5:1.5", 0.49, 1);
	alerts("0.5:1.5", 1.5, 0);
	alerts("~:-2", -3, 0);
	alerts("~:-2", -1, 1);
	alerts("@~:0", -1, 1);
	alerts(":10", 11, 1);
	alerts(":10", -1, 1);

	bad("abc", "not a number");
	bad("20:10", "start is greater than end");
	bad(":", "not a range");
	bad("", "not a range");
	bad("@", "not a range");
	bad("~:", "no bound on either side");
	bad("10:x", "end of range is bad");
	bad("1e3", "not a number");
	bad("0x10", "not a number");
	bad("10::20", "not a number");
	bad(" 10", "not a number");

	struct range unset = {0};
	ok(!range_alert(&unset, 1e12), "an unset range never alerts");
	ok(!range_alert(NULL, 1), "no range never alerts");

	struct range w = R("100"), c = R("200");
	is_int(range_state(&w, &c, 50), STATE_OK, "state OK below both");
	is_int(range_state(&w, &c, 150), STATE_WARNING, "state WARNING");
	is_int(range_state(&w, &c, 250), STATE_CRITICAL, "state CRITICAL");
	is_int(range_state(NULL, &c, 150), STATE_OK, "no warning range");

	char buf[64];
	struct range f;
	f = R("10");
	range_format(&f, buf, sizeof buf);
	is_str(buf, "10", "plain upper bound prints as a plain number");
	f = R("0:10");
	range_format(&f, buf, sizeof buf);
	is_str(buf, "10", "0:10 prints as 10");
	f = R("10:");
	range_format(&f, buf, sizeof buf);
	is_str(buf, "10:", "10: stays 10:");
	f = R("~:1.5");
	range_format(&f, buf, sizeof buf);
	is_str(buf, "~:1.5", "~:1.5 stays");
	f = R("@10:20");
	range_format(&f, buf, sizeof buf);
	is_str(buf, "@10:20", "@10:20 stays");
	range_format(&unset, buf, sizeof buf);
	is_str(buf, "", "unset prints empty");
	return done_testing();
}
