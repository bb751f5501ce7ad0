/* fakecheck: a plugin-shaped test driver for the shared behaviour that
 * every plugin gets from common/: options, help, version, thresholds, the
 * output contract and the timeout backstop. Not installed. */
#include <math.h>
#include <poll.h>
#include <stdlib.h>

#include "deadline.h"
#include "opt.h"
#include "report.h"

static struct {
	double value;
	bool hang;
	long port;
	int mode;
	struct opt_list echo;
	long items;
} o = {.value = NAN, .port = 80};

/* The option table is aligned by hand: one option, one block. */
/* clang-format off */
static const struct opt_def opts[] = {
	{ .lname = "value", .type = OPT_DOUBLE, .target = &o.value, .arg = "N",
	  .help = "The measured value to judge against -w and -c.",
	  .min = -1e9, .max = 1e9 },
	{ .sname = 'p', .lname = "port", .type = OPT_PORT, .target = &o.port,
	  .arg = "PORT", .help = "A port (default: 80)." },
	{ .lname = "mode", .type = OPT_CHOICE, .target = &o.mode, .arg = "MODE",
	  .help = "One of a or b.",
	  .choices = (const struct opt_choice[]){{"a", 0}, {"b", 1}, {0}} },
	{ .lname = "echo", .type = OPT_LIST, .target = &o.echo, .arg = "TEXT",
	  .help = "Add an item with this text (repeatable)." },
	{ .lname = "items", .type = OPT_LONG, .target = &o.items, .arg = "N",
	  .help = "Add N items.", .min = 0, .max = 100000 },
	{ .lname = "hang", .type = OPT_FLAG, .target = &o.hang,
	  .help = "Block forever in a step, to test the backstop." },
};
/* clang-format on */

static const struct plugin plugin = {
    .name = "fakecheck",
    .label = "FAKE",
    .purpose = "Test driver for the options and output every plugin shares.",
    .description = "Judges --value against -w and -c, echoes text, or "
		   "hangs on purpose so the timeout backstop can be seen.",
    .usage = "[-H HOST] [-4|-6] [--value N] [-w RANGE] [-c RANGE]",
    .examples = "fakecheck --value 5 -w 10 -c 20\n  OK: 5 is inside 0..10",
    .std = STD_HOST | STD_FAMILY | STD_THRESHOLDS,
    .warn_help = "Range for the value.",
    .crit_help = "Range for the value.",
    .opts = opts,
    .nopts = sizeof opts / sizeof *opts,
};

int main(int argc, char **argv)
{
	struct std_opts std;
	static struct report r;

	opt_parse(&plugin, &std, argc, argv);
	report_init(&r, plugin.label);
	if (o.hang) {
		deadline_step("resolving AAAA for %s",
			      std.host_set ? std.host.name : "nothing");
		for (;;)
			poll(NULL, 0, -1);
	}
	if (!isnan(o.value)) {
		enum state st = range_state(&std.warn, &std.crit, o.value);
		report_add(&r, st, "value", NULL, "value %g", o.value);
		struct perf p = {"value",   o.value, "s", &std.warn,
				 &std.crit, 0,	     NAN};
		report_perf(&r, &p);
	}
	for (size_t i = 0; i < o.echo.n; i++)
		report_add(&r, STATE_OK, "echo", NULL, "%s", o.echo.v[i]);
	for (long i = 0; i < o.items; i++)
		report_add(&r, STATE_WARNING, "item", NULL, "item %ld", i);
	if (std.host_set)
		report_add(&r, STATE_OK, "host", NULL, "host %s (%s)",
			   std.host.name,
			   std.host.literal ? "literal" : "name");
	report_exit(&r);
}
