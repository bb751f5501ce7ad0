/* opt: command-line options declared as a table (STYLE habit 2).
 * Parsing, validation, --help, --version and the usage line all come from
 * one struct plugin. Every plugin gets the same standard options:
 *   -h/--help, -V/--version (both exit 3, the monitoring-plugins custom),
 *   -v/--verbose (repeatable, to stderr), -t/--timeout SECONDS[:STATE],
 *   --timeout-result STATE, and, as the plugin asks, -H, -4, -6, -w, -c.
 * A bad option prints "LABEL UNKNOWN - reason" naming the option, then the
 * usage line, and exits 3. */
#ifndef V6OPS_OPT_H
#define V6OPS_OPT_H

#include <stdbool.h>
#include <stddef.h>

#include "addr.h"
#include "range.h"
#include "status.h"

#define V6OPS_VERSION "0.1.0"

enum opt_type {
	OPT_FLAG,     /* bool *: set to true */
	OPT_STRING,   /* const char **: the argument (last one wins) */
	OPT_LIST,     /* struct opt_list *: repeatable, every argument kept */
	OPT_LONG,     /* long *: whole number in [min, max] */
	OPT_DOUBLE,   /* double *: decimal in [min, max] */
	OPT_PORT,     /* long *: 1..65535 */
	OPT_DURATION, /* long * milliseconds: "2", "0.5", "500ms"; [min, max] ms
		       */
	OPT_RANGE,    /* struct range *: a threshold range */
	OPT_STATE,    /* enum state *: ok|warning|critical|unknown */
	OPT_CHOICE,   /* int *: index of the argument in choices "a|b|c" */
	OPT_HOST,     /* struct host *: name or address literal, no port */
	OPT_CUSTOM,   /* parse(arg, target, err, errlen) returns 0 or -1 */
};

struct opt_list {
	const char **v; /* the arguments, in order (point into argv) */
	size_t n;
};

struct opt_def {
	char sname;	   /* short name, or 0 */
	const char *lname; /* long name, or NULL */
	enum opt_type type;
	void *target;
	const char *arg;  /* argument name in --help ("PORT"); NULL for flags */
	const char *help; /* one or more sentences; wrapped to 80 columns */
	double min, max;  /* OPT_LONG, OPT_DOUBLE, OPT_DURATION (ms) */
	const char *choices; /* OPT_CHOICE */
	int (*parse)(const char *arg, void *target, char *err, size_t errlen);
};

/* Which standard options a plugin takes. */
enum {
	STD_HOST = 1 << 0,	    /* -H/--hostname */
	STD_HOST_REQUIRED = 1 << 1, /* -H must be given */
	STD_FAMILY = 1 << 2,	    /* -4/-6 */
	STD_THRESHOLDS = 1 << 3,    /* -w/-c */
	STD_HOST_LIST = 1 << 4,	    /* -H repeatable (std.hosts) */
};

struct std_opts {
	struct host host; /* the first -H */
	bool host_set;
	struct host *hosts; /* every -H, with STD_HOST_LIST */
	size_t nhosts;
	int family; /* AF_UNSPEC, or AF_INET / AF_INET6 from -4 / -6 */
	struct range warn, crit;
	int verbose;
	long timeout_ms;	  /* default 10000 */
	enum state timeout_state; /* default UNKNOWN */
};

struct plugin {
	const char *name;	 /* "check_pmtu" */
	const char *label;	 /* "PMTU": first word of every output */
	const char *purpose;	 /* one line: what failure it catches */
	const char *description; /* paragraphs separated by "\n\n" */
	const char *usage;	 /* the arguments after the program name */
	const char *examples;	 /* "CMD\n  what it does\n" pairs */
	unsigned std;		 /* STD_* flags */
	const char *host_help;	 /* what -H means here */
	const char *warn_help;	 /* what -w measures, with its unit */
	const char *crit_help;
	const struct opt_def *opts;
	size_t nopts;
	/* Cross-option checks after parsing: 0, or -1 with a reason in err. */
	int (*validate)(const struct std_opts *std, char *err, size_t errlen);
};

/* Parses argv into the plugin's targets and *std, then starts the run's
 * deadline. Exits 3 after --help, --version or any error. */
void opt_parse(const struct plugin *p, struct std_opts *std, int argc,
	       char **argv);

/* "LABEL UNKNOWN - reason" + usage line, exit 3: for errors a plugin finds
 * after opt_parse() (an unreadable -f file, say). */
_Noreturn void opt_fail(const struct plugin *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The verbosity set by -v (0 when not given). */
extern int opt_verbose;

/* Writes to stderr when -v was given at least level times. */
void vlog(int level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
