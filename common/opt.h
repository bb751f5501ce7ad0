/* opt: command-line options declared as a table (STYLE habit 2).
 * Parsing, validation, --help, --version and the usage line all come from
 * one struct plugin. Every plugin gets the same standard options:
 *   -h/--help, -V/--version (both exit 3, the monitoring-plugins custom),
 *   -v/--verbose (repeatable, to stderr), -t/--timeout SECONDS[:STATE],
 *   --timeout-result STATE, --output-format nagios|json|icingaweb2, and,
 *   as the plugin asks, -H, -4, -6, -w, -c, --source, --interface.
 * Options are read-only once opt_parse() returns: every default and every
 * derived value is set in the plugin's validate().
 * A bad option prints "LABEL UNKNOWN - reason" naming the option, then the
 * usage line, and exits 3. */
#ifndef V6OPS_OPT_H
#define V6OPS_OPT_H

#include <stdbool.h>
#include <stddef.h>

#include "addr.h"
#include "range.h"
#include "status.h"

#include "version.h"

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
	OPT_CHOICE,   /* int *: the value of the matching opt_choice */
	OPT_HOST,     /* struct host *: name or address literal, no port */
	OPT_CUSTOM,   /* parse(arg, target, err, errlen) returns 0 or -1 */
};

/* One accepted word of an OPT_CHOICE and the value it stores. */
struct opt_choice {
	const char *name;
	int value;
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
	const struct opt_choice *choices; /* OPT_CHOICE: ends with {NULL} */
	int (*parse)(const char *arg, void *target, char *err, size_t errlen);
};

/* Which standard options a plugin takes. */
enum {
	STD_HOST = 1 << 0,	    /* -H/--hostname */
	STD_HOST_REQUIRED = 1 << 1, /* -H must be given */
	STD_FAMILY = 1 << 2,	    /* -4/-6 */
	STD_THRESHOLDS = 1 << 3,    /* -w/-c */
	STD_HOST_LIST = 1 << 4,	    /* -H repeatable (std.hosts) */
	STD_SOURCE = 1 << 5,	    /* --source ADDRESS, --interface IFACE */
};

/* One finding code a plugin can report, for the "Findings" part of
 * --help: the code, its state, and what it means. */
struct finding_doc {
	const char *code;
	const char *state; /* "CRITICAL", "WARNING or CRITICAL", ... */
	const char *means;
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
	/* --source: the local address to send from, one per family (a
	 * family's sa_family is 0 when not given); --interface: the device
	 * to send through (SO_BINDTODEVICE), "" when not given. */
	struct sockaddr_storage source4, source6;
	char iface[IF_NAMESIZE];
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
	const struct finding_doc *findings; /* --help's "Findings" */
	size_t nfindings;
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

#endif
