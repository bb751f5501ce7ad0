/* The result model: codes, first line, long output, worst state, the caps,
 * and the three output formats. */
#include <stdlib.h>
#include <sys/socket.h>

#include "report.h"
#include "tap.h"
#include "text.h"

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

static void states(void)
{
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
}

static void sample(struct report *r)
{
	report_init(r, "DUALSTACK_HTTP");
	report_add(r, STATE_OK, "fetch_ok",
		   &(struct about){.family = AF_INET, .address = "192.0.2.80"},
		   "IPv4 192.0.2.80: HTTP 200, 5120 B in 0.012 s");
	report_add(r, STATE_CRITICAL, "string_missing",
		   &(struct about){.family = AF_INET6,
				   .address = "2001:db8::80",
				   .name = "www.example.com"},
		   "IPv6 [2001:db8::80]: string \"Welcome\" not found");
	struct range w, c;
	char err[64];
	range_parse("1", &w, err, sizeof err);
	range_parse("2", &c, err, sizeof err);
	report_perf(r, &(struct perf){"time_v4", 0.012, "s", &w, &c, 0, NAN});
	report_perf(r, &PERF("time_v6", NAN, "s"));
}

static void nagios(void)
{
	static struct report r;

	sample(&r);
	is_int(print(&r), STATE_CRITICAL, "worst item decides");
	is_str(out,
	       "DUALSTACK_HTTP CRITICAL - IPv6 [2001:db8::80]: string "
	       "\"Welcome\" not found | time_v4=0.012s;1;2;0\n"
	       "[OK] IPv4 192.0.2.80: HTTP 200, 5120 B in 0.012 s\n"
	       "[CRITICAL] IPv6 [2001:db8::80]: string \"Welcome\" not found\n",
	       "first line from the worst item, an unknown value left out");
	ok(report_find(&r, "string_missing") == &r.items[1], "find by code");
	ok(report_find(&r, "nope") == NULL, "find: absent code");

	report_summary(&r, "IPv6 broken while IPv4 works");
	print(&r);
	ok(!strncmp(out,
		    "DUALSTACK_HTTP CRITICAL - IPv6 broken while IPv4 works | ",
		    57),
	   "explicit summary");

	report_init(&r, "X");
	report_add(&r, STATE_OK, "a", NULL,
		   "a|b\nc\x01"
		   "d\xff");
	report_add(&r, STATE_OK, "Bad Code", NULL, "x");
	struct perf dup = PERF("n", 1, "c");
	report_perf(&r, &dup);
	report_perf(&r, &dup);
	struct perf badl = PERF("2001:db8::1", 1, "c");
	report_perf(&r, &badl);
	struct perf quoted = PERF("a b", 1, "c");
	report_perf(&r, &quoted);
	struct perf badu = PERF("u", 1, "furlongs");
	report_perf(&r, &badu);
	is_int(print(&r), STATE_OK, "all OK");
	is_str(out, "X OK - a/b c d? | n=1c\n[OK] a/b c d?\n[OK] x\n",
	       "text sanitised; duplicate, non [a-z0-9_] labels and bad "
	       "units dropped");
	is_str(r.items[1].code, "invalid_code", "a bad code is marked");

	report_raise(&r, STATE_WARNING);
	is_int(report_state(&r), STATE_WARNING, "raise sets a floor");
}

static void first_line(void)
{
	static struct report r;
	char phrase[400] = "";

	report_init(&r, "L");
	for (int i = 0; i < 30; i++)
		snprintf(phrase + strlen(phrase),
			 sizeof phrase - strlen(phrase), "%sphrase %d",
			 i ? "; " : "", i);
	report_add(&r, STATE_CRITICAL, "one", NULL, "%s", phrase);
	report_add(&r, STATE_CRITICAL, "two", NULL, "second");
	report_add(&r, STATE_WARNING, "three", NULL, "third");
	report_add(&r, STATE_OK, "four", NULL, "fine");
	print(&r);
	char *nl = strchr(out, '\n');
	size_t first = (size_t)(nl - out) - strlen("L CRITICAL - ");
	ok(first <= REPORT_FIRST_LINE_MAX, "first line within 200 bytes");
	ok(strstr(out, "...; (+2 more)\n") == NULL &&
	       strstr(out, "... (+2 more)\n") != NULL,
	   "worst finding cut at a phrase, then a count of the others");
	ok(strstr(out, "phrase 1;") != NULL && strstr(out, "phrase 29") < nl,
	   "long output keeps the whole text");

	report_init(&r, "L");
	report_summary(&r, "%s", phrase);
	print(&r);
	nl = strchr(out, '\n');
	ok((size_t)(nl - out) <= REPORT_FIRST_LINE_MAX + strlen("L OK - "),
	   "a long explicit summary is cut too");
	ok(!strncmp(nl - 3, "...", 3), "and says so");
}

static void json(void)
{
	static struct report r;

	sample(&r);
	report_set_format(REPORT_JSON);
	is_int(print(&r), STATE_CRITICAL, "json: same state");
	is_str(out,
	       "{\"label\":\"DUALSTACK_HTTP\",\"state\":\"CRITICAL\","
	       "\"exit_code\":2,\"summary\":\"IPv6 [2001:db8::80]: string "
	       "\\\"Welcome\\\" not found\",\"checks\":[{\"code\":\"fetch_ok\","
	       "\"state\":\"OK\",\"output\":\"IPv4 192.0.2.80: HTTP 200, 5120 "
	       "B in 0.012 s\",\"family\":\"ipv4\",\"address\":\"192.0.2.80\"},"
	       "{\"code\":\"string_missing\",\"state\":\"CRITICAL\",\"output\":"
	       "\"IPv6 [2001:db8::80]: string \\\"Welcome\\\" not found\","
	       "\"family\":\"ipv6\",\"address\":\"2001:db8::80\",\"name\":"
	       "\"www.example.com\"}],\"perfdata\":[{\"label\":\"time_v4\","
	       "\"value\":0.012,\"uom\":\"s\",\"warn\":\"1\",\"crit\":\"2\","
	       "\"min\":0,\"max\":null},{\"label\":\"time_v6\",\"value\":null,"
	       "\"uom\":\"s\",\"warn\":null,\"crit\":null,\"min\":null,"
	       "\"max\":null}],\"dropped\":0}\n",
	       "json document");

	report_set_format(REPORT_ICINGAWEB2);
	print(&r);
	is_str(out,
	       "[CRITICAL] DUALSTACK_HTTP - IPv6 [2001:db8::80]: string "
	       "\"Welcome\" not found\n"
	       "\\_ [OK] IPv4 192.0.2.80: HTTP 200, 5120 B in 0.012 s\n"
	       "\\_ [CRITICAL] IPv6 [2001:db8::80]: string \"Welcome\" not "
	       "found\n|time_v4=0.012s;1;2;0\n",
	       "icingaweb2 tree");

	char line[512];
	size_t n = report_format_single(line, sizeof line, REPORT_JSON, "P",
					STATE_UNKNOWN, "timeout",
					"timeout after 1 s (step: x)");
	ok(n == strlen(line) &&
	       !strcmp(line, "{\"label\":\"P\",\"state\":\"UNKNOWN\","
			     "\"exit_code\":3,\"summary\":\"timeout "
			     "after 1 s (step: x)\",\"checks\":[{"
			     "\"code\":\"timeout\",\"state\":"
			     "\"UNKNOWN\",\"output\":\"timeout after "
			     "1 s (step: x)\"}],\"perfdata\":[],"
			     "\"dropped\":0}\n"),
	   "single finding in json (the backstop's line)");
	ok(report_format_single(line, 20, REPORT_JSON, "P", STATE_OK, "x",
				"too long for twenty bytes") == 0,
	   "single: 0 when it does not fit");
	enum report_format f;
	ok(report_format_parse("icingaweb2", &f) == 0 && f == REPORT_ICINGAWEB2,
	   "format names");
	ok(report_format_parse("xml", &f) == -1, "unknown format");
	report_set_format(REPORT_NAGIOS);
}

static void caps(void)
{
	static struct report r;
	char huge[2000];

	report_init(&r, "BIG");
	memset(huge, 'x', sizeof huge - 1);
	huge[sizeof huge - 1] = '\0';
	report_summary(&r, "%s", huge);
	for (int i = 0; i < 1000; i++)
		report_add(&r, STATE_WARNING, "item", NULL, "item %d %s", i,
			   huge);
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

	report_set_format(REPORT_JSON);
	print(&r);
	ok(strlen(out) <= REPORT_MAX_OUTPUT, "json capped at 4 KiB");
	ok(!strcmp(out + strlen(out) - 2, "}\n") &&
	       strstr(out, "\"dropped\":") != NULL,
	   "json stays whole and counts what it left out");
	report_set_format(REPORT_NAGIOS);

	report_init(&r, "EMPTY");
	print(&r);
	is_str(out, "EMPTY OK - nothing was checked\n", "no items");
}

static void text(void)
{
	char b[64];

	ok(text_json(b, sizeof b, "a\"b\\c\x01") == 15 &&
	       !strcmp(b, "\"a\\\"b\\\\c\\u0001\""),
	   "json escapes");
	ok(text_json(b, 4, "abcdef") == -1 && !strcmp(b, "\"\""),
	   "json: too small gives an empty string");
	snprintf(b, sizeof b, "alpha beta; gamma delta, epsilon");
	text_cut(b, 20);
	is_str(b, "alpha beta...", "cut at a phrase boundary");
	snprintf(b, sizeof b, "short");
	text_cut(b, 20);
	is_str(b, "short", "short text stays");
}

int main(void)
{
	states();
	nagios();
	first_line();
	json();
	caps();
	text();
	return done_testing();
}
