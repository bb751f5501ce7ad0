/* The result model: first line, long output, worst state, the caps. */
#include <stdlib.h>

#include "report.h"
#include "tap.h"

static char out[8192];

static enum state print(const struct report *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	enum state st = report_print(r, f);
	fclose(f);
	snprintf(out, sizeof out, "%s", buf);
	free(buf);
	return st;
}

int main(void)
{
	static struct report r;

	is_int(state_worst(STATE_OK, STATE_WARNING), STATE_WARNING,
	       "OK < WARNING");
	is_int(state_worst(STATE_CRITICAL, STATE_WARNING), STATE_CRITICAL,
	       "WARNING < CRITICAL");
	is_int(state_worst(STATE_UNKNOWN, STATE_WARNING), STATE_WARNING,
	       "UNKNOWN < WARNING");
	is_int(state_worst(STATE_UNKNOWN, STATE_OK), STATE_UNKNOWN,
	       "OK < UNKNOWN");
	enum state st;
	ok(state_parse("critical", &st) == 0 && st == STATE_CRITICAL,
	   "parse name");
	ok(state_parse("1", &st) == 0 && st == STATE_WARNING, "parse number");
	ok(state_parse("bad", &st) == -1, "parse rejects other text");

	report_init(&r, "DUALSTACK_HTTP");
	report_add(&r, STATE_OK,
		   "IPv4 192.0.2.80: HTTP 200, 5120 B in 0.012 s");
	report_add(&r, STATE_CRITICAL,
		   "IPv6 [2001:db8::80]: string \"Welcome\" not found");
	struct perf p = PERF("time_v4", 0.012, "s");
	report_perf(&r, &p);
	is_int(print(&r), STATE_CRITICAL, "worst item decides");
	is_str(out,
	       "DUALSTACK_HTTP CRITICAL - IPv6 [2001:db8::80]: string "
	       "\"Welcome\" not found | time_v4=0.012s\n"
	       "[OK] IPv4 192.0.2.80: HTTP 200, 5120 B in 0.012 s\n"
	       "[CRITICAL] IPv6 [2001:db8::80]: string \"Welcome\" not found\n",
	       "first line from the worst item, then one line per item");

	report_summary(&r, "IPv6 broken while IPv4 works");
	print(&r);
	ok(!strncmp(out,
		    "DUALSTACK_HTTP CRITICAL - IPv6 broken while IPv4 works | ",
		    57),
	   "explicit summary");

	report_init(&r, "X");
	report_add(&r, STATE_OK,
		   "a|b\nc\x01"
		   "d\xff");
	struct perf dup = PERF("n", 1, "c");
	report_perf(&r, &dup);
	report_perf(&r, &dup);
	struct perf badl = PERF("2001:db8::1", 1, "c");
	report_perf(&r, &badl);
	struct perf quoted = PERF("a b", 1, "c");
	report_perf(&r, &quoted);
	is_int(print(&r), STATE_OK, "all OK");
	is_str(out, "X OK - a/b c d? | n=1c\n[OK] a/b c d?\n",
	       "text sanitised; duplicate and non [a-z0-9_] labels dropped");

	report_raise(&r, STATE_WARNING);
	is_int(report_state(&r), STATE_WARNING, "raise sets a floor");

	report_init(&r, "BIG");
	char huge[2000];
	memset(huge, 'x', sizeof huge - 1);
	huge[sizeof huge - 1] = '\0';
	report_summary(&r, "%s", huge);
	for (int i = 0; i < 1000; i++)
		report_add(&r, STATE_WARNING, "item %d %s", i, huge);
	for (int i = 0; i < 200; i++) {
		char label[16];
		snprintf(label, sizeof label, "l%d", i);
		struct perf q = PERF(label, i, "c");
		report_perf(&r, &q);
	}
	is_int(print(&r), STATE_WARNING, "dropped items still count");
	ok(strlen(out) <= REPORT_MAX_OUTPUT, "output capped at 4 KiB");
	ok(strstr(out, "more lines not shown\n") != NULL,
	   "says lines were cut");
	ok(out[strlen(out) - 1] == '\n', "ends with a newline");

	report_init(&r, "EMPTY");
	print(&r);
	is_str(out, "EMPTY OK - nothing was checked\n", "no items");
	return done_testing();
}
