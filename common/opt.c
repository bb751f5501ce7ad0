#include "opt.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "deadline.h"
#include "log.h"
#include "num.h"
#include "report.h"
#include "text.h"

#define HELP_WIDTH 79
#define MAX_OPTS   96

/* Standard options not stored through a plain target. */
enum std_action {
	ACT_NONE,
	ACT_HELP,
	ACT_VERSION,
	ACT_VERBOSE,
	ACT_V4,
	ACT_V6
};

struct slot {
	struct opt_def d;
	enum std_action act;
};

struct parser {
	const struct plugin *p;
	struct std_opts *std;
	struct slot slots[MAX_OPTS];
	size_t n;
	bool want_help, want_version;
};

static const char *const timeout_help =
    "Seconds before the plugin stops and reports the step in progress, "
    "optionally with the state to return then (default: 10:UNKNOWN).";

static int parse_timeout(const char *arg, void *target, char *err, size_t len)
{
	struct std_opts *std = target;
	char num[64];
	const char *colon = strchr(arg, ':');
	size_t n = colon ? (size_t)(colon - arg) : strlen(arg);

	if (n >= sizeof num) {
		snprintf(err, len, "\"%s\" is not a timeout", arg);
		return -1;
	}
	memcpy(num, arg, n);
	num[n] = '\0';
	if (num_duration_ms(num, 1, 3600000, &std->timeout_ms, err, len))
		return -1;
	if (colon && state_parse(colon + 1, &std->timeout_state)) {
		snprintf(err, len,
			 "\"%s\" is not a state (ok, warning, "
			 "critical, unknown)",
			 colon + 1);
		return -1;
	}
	return 0;
}

static int parse_host_list(const char *arg, void *target, char *err, size_t len)
{
	struct std_opts *std = target;
	struct host h;

	if (addr_parse_host(arg, false, &h, err, len))
		return -1;
	struct host *nh = realloc(std->hosts, (std->nhosts + 1) * sizeof *nh);
	if (!nh) {
		snprintf(err, len, "out of memory");
		return -1;
	}
	std->hosts = nh;
	std->hosts[std->nhosts++] = h;
	if (!std->host_set) {
		std->host = h;
		std->host_set = true;
	}
	return 0;
}

static int parse_host(const char *arg, void *target, char *err, size_t len)
{
	struct std_opts *std = target;

	/* Keeping the last of two would check a host nobody asked about. */
	if (std->host_set) {
		snprintf(err, len,
			 "given twice (%s and %s): this plugin checks one host",
			 std->host.name, arg);
		return -1;
	}
	if (addr_parse_host(arg, false, &std->host, err, len))
		return -1;
	std->host_set = true;
	return 0;
}

static int parse_format(const char *arg, void *target, char *err, size_t len)
{
	(void)target;
	enum report_format f;

	if (report_format_parse(arg, &f)) {
		snprintf(err, len,
			 "\"%.64s\" is not one of nagios, json, icingaweb2",
			 arg);
		return -1;
	}
	report_set_format(f);
	return 0;
}

/* --source: an address literal, at most one per family. */
static int parse_source(const char *arg, void *target, char *err, size_t len)
{
	struct std_opts *std = target;
	struct sockaddr_storage sa;
	socklen_t salen;

	if (addr_parse_literal(arg, &sa, &salen)) {
		snprintf(err, len, "\"%.64s\" is not an IPv4 or IPv6 address",
			 arg);
		return -1;
	}
	struct sockaddr_storage *slot =
	    sa.ss_family == AF_INET ? &std->source4 : &std->source6;
	if (slot->ss_family) {
		snprintf(err, len, "one source address per family");
		return -1;
	}
	*slot = sa;
	return 0;
}

static int parse_iface(const char *arg, void *target, char *err, size_t len)
{
	struct std_opts *std = target;

	if (strlen(arg) >= sizeof std->iface || !if_nametoindex(arg)) {
		snprintf(err, len, "no interface \"%.32s\" on this host", arg);
		return -1;
	}
	snprintf(std->iface, sizeof std->iface, "%s", arg);
	return 0;
}

static void add(struct parser *ps, struct opt_def d, enum std_action act)
{
	if (ps->n < MAX_OPTS)
		ps->slots[ps->n++] = (struct slot){d, act};
}

/* The standard options: which plugins get each (need: any of these STD_*
 * flags, 0 for all), what it does, and where its value goes in struct
 * std_opts (SELF: the struct itself, for the custom parsers). */
#define NONE  ((size_t)-1)
#define SELF  ((size_t)-2)
#define HOSTS (STD_HOST | STD_HOST_LIST | STD_HOST_REQUIRED)
static const struct std_row {
	unsigned need;
	enum std_action act;
	size_t off;
	struct opt_def d;
} std_rows[] = {
    /* clang-format off */
	{ 0, ACT_HELP, NONE, { .sname = 'h', .lname = "help", .type = OPT_FLAG,
	  .help = "Print this help and exit." } },
	{ 0, ACT_VERSION, NONE, { .sname = 'V', .lname = "version",
	  .type = OPT_FLAG, .help = "Print the version and exit." } },
	{ 0, ACT_VERBOSE, NONE, { .sname = 'v', .lname = "verbose",
	  .type = OPT_FLAG,
	  .help = "Explain each step on stderr; repeat for more detail." } },
	{ 0, ACT_NONE, SELF, { .sname = 't', .lname = "timeout",
	  .type = OPT_CUSTOM, .arg = "SECONDS[:STATE]", .help = timeout_help,
	  .parse = parse_timeout } },
	{ 0, ACT_NONE, offsetof(struct std_opts, timeout_state), {
	  .lname = "timeout-result", .type = OPT_STATE, .arg = "STATE",
	  .help = "State to return on timeout: ok, warning, critical or "
		  "unknown (default: unknown)." } },
	{ 0, ACT_NONE, NONE, { .lname = "output-format", .type = OPT_CUSTOM,
	  .arg = "FORMAT", .parse = parse_format,
	  .help = "nagios (default): a first line and one line per finding; "
		  "json: one document with every finding's code, state and "
		  "subject and the perfdata, for scripts and Zabbix; "
		  "icingaweb2: the \\_ [STATE] tree Icinga Web shows. The "
		  "exit code is the same in every format." } },
	{ STD_SOURCE, ACT_NONE, SELF, { .lname = "source", .type = OPT_CUSTOM,
	  .arg = "ADDRESS", .parse = parse_source,
	  .help = "Send from this local address (once per family) on a "
		  "multi-homed host: each uplink can have its own path." } },
	{ STD_SOURCE, ACT_NONE, SELF, { .lname = "interface",
	  .type = OPT_CUSTOM, .arg = "IFACE", .parse = parse_iface,
	  .help = "Send through this interface only (SO_BINDTODEVICE)." } },
	{ HOSTS, ACT_NONE, SELF, { .sname = 'H', .lname = "hostname",
	  .type = OPT_CUSTOM, .arg = "HOST", .parse = parse_host } },
	{ STD_FAMILY, ACT_V4, NONE, { .sname = '4', .lname = "ipv4",
	  .type = OPT_FLAG, .help = "Check over IPv4 only." } },
	{ STD_FAMILY, ACT_V6, NONE, { .sname = '6', .lname = "ipv6",
	  .type = OPT_FLAG, .help = "Check over IPv6 only." } },
	{ STD_THRESHOLDS, ACT_NONE, offsetof(struct std_opts, warn), {
	  .sname = 'w', .lname = "warning", .type = OPT_RANGE,
	  .arg = "RANGE" } },
	{ STD_THRESHOLDS, ACT_NONE, offsetof(struct std_opts, crit), {
	  .sname = 'c', .lname = "critical", .type = OPT_RANGE,
	  .arg = "RANGE" } },
    /* clang-format on */
};

static void build_table(struct parser *ps)
{
	const struct plugin *p = ps->p;

	for (size_t i = 0; i < sizeof std_rows / sizeof *std_rows; i++) {
		const struct std_row *r = &std_rows[i];
		struct opt_def d = r->d;
		if (r->need && !(p->std & r->need))
			continue;
		if (r->off == SELF)
			d.target = ps->std;
		else if (r->off != NONE)
			d.target = (char *)ps->std + r->off;
		/* what -H, -w and -c mean is the plugin's to say */
		if (d.sname == 'H') {
			d.help = p->host_help ? p->host_help
					      : "Host name or address.";
			if (p->std & STD_HOST_LIST)
				d.parse = parse_host_list;
		} else if (d.sname == 'w' || d.sname == 'c') {
			d.help = d.sname == 'w' ? p->warn_help : p->crit_help;
		}
		add(ps, d, r->act);
	}
	for (size_t i = 0; i < p->nopts; i++)
		add(ps, p->opts[i], ACT_NONE);
}

/* Prints text wrapped to HELP_WIDTH, every line indented by indent. */
static void wrap(const char *text, int indent)
{
	const char *s = text;

	while (*s) {
		const char *nl = strchr(s, '\n');
		size_t para = nl ? (size_t)(nl - s) : strlen(s);
		size_t col = 0;
		const char *end = s + para;
		int lead = 0; /* a line's own indentation is kept */
		while (s + lead < end && s[lead] == ' ')
			lead++;
		int ind = indent + lead;
		if (para == 0)
			putchar('\n');
		while (s < end) {
			while (s < end && *s == ' ')
				s++;
			const char *w = s;
			while (s < end && *s != ' ')
				s++;
			size_t wl = (size_t)(s - w);
			if (wl == 0)
				break;
			if (col && col + 1 + wl > (size_t)(HELP_WIDTH - ind)) {
				putchar('\n');
				col = 0;
			}
			if (col == 0)
				printf("%*s", ind, "");
			else
				putchar(' '), col++;
			fwrite(w, 1, wl, stdout);
			col += wl;
		}
		if (col)
			putchar('\n');
		s = nl ? nl + 1 : end;
	}
}

static void print_usage(const struct plugin *p)
{
	printf("Usage: %s %s\n", p->name, p->usage ? p->usage : "[options]");
}

/* The usage line for --help, wrapped under its arguments when long. */
static void print_usage_wrapped(const struct plugin *p)
{
	char line[1024];
	int hang = snprintf(line, sizeof line, "Usage: %s ", p->name);
	const char *w = p->usage ? p->usage : "[options]";
	int col = hang;

	fputs(line, stdout);
	while (*w) {
		while (*w == ' ')
			w++;
		size_t n = strcspn(w, " ");
		if (n == 0)
			break;
		if (col > hang && col + 1 + (int)n > HELP_WIDTH) {
			printf("\n%*s", hang, "");
			col = hang;
		} else if (col > hang) {
			putchar(' ');
			col++;
		}
		fwrite(w, 1, n, stdout);
		col += (int)n;
		w += n;
	}
	putchar('\n');
}

static void print_help(const struct parser *ps)
{
	const struct plugin *p = ps->p;

	printf("%s v%s (v6ops-plugins)\n", p->name, V6OPS_VERSION);
	wrap(p->purpose, 0);
	if (p->description) {
		putchar('\n');
		wrap(p->description, 0);
	}
	putchar('\n');
	print_usage_wrapped(p);
	printf("\nOptions:\n");
	for (size_t i = 0; i < ps->n; i++) {
		const struct opt_def *d = &ps->slots[i].d;
		char head[128];
		int n = 0;
		if (d->sname && d->lname)
			n = snprintf(head, sizeof head, "  -%c, --%s", d->sname,
				     d->lname);
		else if (d->sname)
			n = snprintf(head, sizeof head, "  -%c", d->sname);
		else
			n = snprintf(head, sizeof head, "      --%s", d->lname);
		if (d->arg && n > 0)
			snprintf(head + n, sizeof head - (size_t)n, "=%s",
				 d->arg);
		puts(head);
		if (d->help)
			wrap(d->help, 8);
	}
	if (p->std & STD_THRESHOLDS) {
		printf(
		    "\nRanges (-w, -c) follow the plugin guidelines; an alert "
		    "is raised when the\nvalue is:\n"
		    "  10       outside 0..10        10:     below 10\n"
		    "  ~:10     above 10             10:20   outside 10..20\n"
		    "  @10:20   inside 10..20 (ends included)\n");
	}
	if (p->nfindings) {
		printf("\nFindings (the code each carries in --output-format "
		       "json, and its state):\n");
		for (size_t i = 0; i < p->nfindings; i++) {
			char line[512];
			snprintf(line, sizeof line, "%s (%s)",
				 p->findings[i].code, p->findings[i].state);
			wrap(line, 2);
			wrap(p->findings[i].means, 6);
		}
		printf("  timeout (-t state), usage (UNKNOWN)\n"
		       "      -t ran out (naming the step); a bad option or "
		       "argument\n");
	}
	if (p->examples) {
		printf("\nExamples:\n");
		wrap(p->examples, 2);
	}
	printf("\nExit codes: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.\n"
	       "Output: a first line for the operator, one line per checked "
	       "item, and\nperformance data after '|'.\n");
}

void opt_fail(const struct plugin *p, const char *fmt, ...)
{
	char raw[512], clean[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(raw, sizeof raw, fmt, ap);
	va_end(ap);
	text_sanitise(clean, sizeof clean, raw);
	if (report_get_format() != REPORT_NAGIOS)
		report_die(p->label, STATE_UNKNOWN, "usage", "%s", clean);
	printf("%s UNKNOWN - %s\n", p->label, clean);
	print_usage(p);
	fflush(stdout);
	exit(STATE_UNKNOWN);
}

static int list_append(struct opt_list *l, const char *arg)
{
	const char **nv = realloc(l->v, (l->n + 1) * sizeof *nv);
	if (!nv)
		return -1;
	l->v = nv;
	l->v[l->n++] = arg;
	return 0;
}

static const struct opt_choice *choice_find(const struct opt_choice *c,
					    const char *arg)
{
	for (; c->name; c++)
		if (!strcmp(c->name, arg))
			return c;
	return NULL;
}

/* Stores arg through d; 0, or -1 with the reason in err. */
static int apply(const struct opt_def *d, const char *arg, char *err,
		 size_t len)
{
	switch (d->type) {
	case OPT_FLAG:
		*(bool *)d->target = true;
		return 0;
	case OPT_STRING:
		if (!*arg) {
			snprintf(err, len, "needs a non-empty value");
			return -1;
		}
		*(const char **)d->target = arg;
		return 0;
	case OPT_LIST:
		if (!*arg) {
			snprintf(err, len, "needs a non-empty value");
			return -1;
		}
		return list_append(d->target, arg);
	case OPT_LONG:
		return num_long(arg, (long)d->min, (long)d->max, d->target, err,
				len);
	case OPT_DOUBLE:
		return num_double(arg, d->min, d->max, d->target, err, len);
	case OPT_PORT:
		return num_long(arg, 1, 65535, d->target, err, len);
	case OPT_DURATION:
		return num_duration_ms(arg, (long)d->min, (long)d->max,
				       d->target, err, len);
	case OPT_RANGE:
		return range_parse(arg, d->target, err, len);
	case OPT_STATE:
		if (state_parse(arg, d->target) == 0)
			return 0;
		snprintf(err, len,
			 "\"%s\" is not a state (ok, warning, "
			 "critical, unknown)",
			 arg);
		return -1;
	case OPT_CHOICE: {
		const struct opt_choice *c = choice_find(d->choices, arg);
		if (!c) {
			char list[160] = "";
			for (c = d->choices; c->name; c++)
				snprintf(list + strlen(list),
					 sizeof list - strlen(list), "%s%s",
					 c == d->choices ? "" : ", ", c->name);
			snprintf(err, len, "\"%.64s\" is not one of %s", arg,
				 list);
			return -1;
		}
		*(int *)d->target = c->value;
		return 0;
	}
	case OPT_HOST:
		return addr_parse_host(arg, false, d->target, err, len);
	case OPT_CUSTOM:
		return d->parse(arg, d->target, err, len);
	}
	return -1;
}

static const struct slot *find_short(const struct parser *ps, char c)
{
	for (size_t i = 0; i < ps->n; i++)
		if (ps->slots[i].d.sname == c)
			return &ps->slots[i];
	return NULL;
}

static const struct slot *find_long(const struct parser *ps, const char *name,
				    size_t n)
{
	for (size_t i = 0; i < ps->n; i++) {
		const char *l = ps->slots[i].d.lname;
		if (l && strlen(l) == n && !strncmp(l, name, n))
			return &ps->slots[i];
	}
	return NULL;
}

static void act(struct parser *ps, const struct slot *s, const char *arg,
		const char *shown)
{
	char why[256];

	switch (s->act) {
	case ACT_HELP:
		ps->want_help = true;
		return;
	case ACT_VERSION:
		ps->want_version = true;
		return;
	case ACT_VERBOSE:
		ps->std->verbose++;
		return;
	case ACT_V4:
	case ACT_V6: {
		int fam = s->act == ACT_V4 ? AF_INET : AF_INET6;
		if (ps->std->family != AF_UNSPEC && ps->std->family != fam)
			opt_fail(ps->p, "options -4 and -6 exclude each other; "
					"give neither to check both families");
		ps->std->family = fam;
		return;
	}
	case ACT_NONE:
		break;
	}
	if (apply(&s->d, arg, why, sizeof why))
		opt_fail(ps->p, "option %s: %s", shown, why);
}

/* An option's value given as the next argument ("-w 10", "--warning 10"). */
static const char *next_value(const struct parser *ps, const struct slot *s,
			      const char *shown, int argc, char **argv, int *i)
{
	if (*i + 1 >= argc)
		opt_fail(ps->p, "option %s needs a value (%s)", shown,
			 s->d.arg);
	return argv[++*i];
}

/* --- configuration for monitoring engines, from the option table --------- */

/* "max-size" -> "max_size"; the variable part of a name. */
static void var_word(char *dst, size_t len, const char *s)
{
	size_t i = 0;
	for (; *s && i + 1 < len; s++)
		dst[i++] = *s == '-' ? '_' : *s;
	dst[i] = '\0';
}

/* Help text as an Icinga 2 string: quotes and backslashes escaped, one
 * line. */
static void icinga_string(const char *s)
{
	putchar('"');
	for (; s && *s; s++) {
		if (*s == '"' || *s == '\\')
			putchar('\\');
		putchar(*s == '\n' ? ' ' : *s);
	}
	putchar('"');
}

static bool engine_skips(const struct slot *s)
{
	/* Help, version and -v are for people at a shell, not for engines. */
	return s->act == ACT_HELP || s->act == ACT_VERSION ||
	       s->act == ACT_VERBOSE;
}

static void print_icinga2(const struct parser *ps)
{
	const struct plugin *p = ps->p;
	const char *short_name = strncmp(p->name, "check_", 6) ? p->name
							      : p->name + 6;
	char var[96];

	printf("object CheckCommand \"v6ops_%s\" {\n", short_name);
	if (p->std & (STD_HOST | STD_HOST_LIST | STD_HOST_REQUIRED))
		printf("\timport \"v6ops-address\"\n");
	printf("\tcommand = [ V6opsPluginDir + \"/%s\" ]\n", p->name);
	printf("\targuments = {\n");
	for (size_t i = 0; i < ps->n; i++) {
		const struct slot *s = &ps->slots[i];
		const struct opt_def *d = &s->d;
		if (engine_skips(s) || !d->lname)
			continue;
		var_word(var, sizeof var, d->lname);
		if (d->sname)
			printf("\t\t\"-%c\" = {\n", d->sname);
		else
			printf("\t\t\"--%s\" = {\n", d->lname);
		if (d->type == OPT_FLAG) {
			printf("\t\t\tset_if = \"$v6ops_%s_%s$\"\n", short_name,
			       var);
		} else {
			printf("\t\t\tvalue = \"$v6ops_%s_%s$\"\n", short_name,
			       var);
			if (d->type == OPT_LIST ||
			    (d->sname == 'H' && (p->std & STD_HOST_LIST)))
				printf("\t\t\trepeat_key = true\n");
		}
		if (d->help) {
			printf("\t\t\tdescription = ");
			icinga_string(d->help);
			putchar('\n');
		}
		printf("\t\t}\n");
	}
	printf("\t}\n");
	if (p->std & (STD_HOST | STD_HOST_LIST | STD_HOST_REQUIRED)) {
		const char *list = (p->std & STD_HOST_LIST) ? "[ " : "";
		const char *end = (p->std & STD_HOST_LIST) ? " ]" : "";
		printf("\tvars.v6ops_%s_hostname = %s\"$v6ops_address$\"%s\n",
		       short_name, list, end);
	}
	if (p->std & STD_FAMILY) {
		/* -4 and -6 follow the ITL's check_ipv4 / check_ipv6. */
		printf("\tvars.v6ops_%s_ipv4 = \"$check_ipv4$\"\n", short_name);
		printf("\tvars.v6ops_%s_ipv6 = \"$check_ipv6$\"\n", short_name);
	}
	printf("}\n");
}

static void print_nagios(const struct parser *ps)
{
	const struct plugin *p = ps->p;
	const char *short_name = strncmp(p->name, "check_", 6) ? p->name
							      : p->name + 6;
	bool host = p->std & (STD_HOST | STD_HOST_LIST | STD_HOST_REQUIRED);

	printf("# %s: ", p->name);
	fputs(p->purpose, stdout);
	printf("\n# Options for $ARG1$ (%s --help explains each):\n",
	       p->name);
	for (size_t i = 0; i < ps->n; i++) {
		const struct slot *s = &ps->slots[i];
		const struct opt_def *d = &s->d;
		if (engine_skips(s) || d->sname == 'H' || !d->lname)
			continue;
		printf("#   --%s%s%s\n", d->lname, d->arg ? "=" : "",
		       d->arg ? d->arg : "");
	}
	printf("define command {\n\tcommand_name\tv6ops_%s\n"
	       "\tcommand_line\t$USER1$/%s%s $ARG1$\n}\n",
	       short_name, p->name, host ? " -H $HOSTADDRESS$" : "");
	if (host && (p->std & STD_FAMILY)) {
		printf("define command {\n\tcommand_name\tv6ops_%s_ipv4\n"
		       "\tcommand_line\t$USER1$/%s -4 -H $HOSTADDRESS$ "
		       "$ARG1$\n}\n",
		       short_name, p->name);
		printf("define command {\n\tcommand_name\tv6ops_%s_ipv6\n"
		       "\tcommand_line\t$USER1$/%s -6 -H $_HOSTADDRESS6$ "
		       "$ARG1$\n}\n",
		       short_name, p->name);
	}
}

/* --print-config icinga2|nagios: the plugin's command definition for a
 * monitoring engine, from the same table as --help (contrib/ holds what
 * every plugin prints; t/08-configs.t keeps the two equal). Hidden: it is
 * for the build, not for operators. */
static void print_config(const struct parser *ps, int argc, char **argv)
{
	for (int i = 1; i + 1 < argc; i++) {
		if (strcmp(argv[i], "--print-config"))
			continue;
		if (!strcmp(argv[i + 1], "icinga2"))
			print_icinga2(ps);
		else if (!strcmp(argv[i + 1], "nagios"))
			print_nagios(ps);
		else
			opt_fail(ps->p, "--print-config takes icinga2 or nagios");
		fflush(stdout);
		exit(STATE_UNKNOWN);
	}
}

static void parse_args(struct parser *ps, int argc, char **argv)
{
	char shown[80];

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--")) {
			if (i + 1 < argc)
				opt_fail(ps->p, "unexpected argument \"%s\"",
					 argv[i + 1]);
			break;
		}
		if (a[0] != '-' || a[1] == '\0')
			opt_fail(ps->p, "unexpected argument \"%s\"", a);
		if (a[1] == '-') {
			const char *name = a + 2, *eq = strchr(name, '=');
			size_t n = eq ? (size_t)(eq - name) : strlen(name);
			const struct slot *s = find_long(ps, name, n);
			snprintf(shown, sizeof shown, "--%.*s", (int)n, name);
			if (!s)
				opt_fail(ps->p, "unknown option %s", shown);
			const char *arg = eq ? eq + 1 : NULL;
			if (s->d.type == OPT_FLAG && arg)
				opt_fail(ps->p, "option %s takes no value",
					 shown);
			if (s->d.type != OPT_FLAG && !arg)
				arg = next_value(ps, s, shown, argc, argv, &i);
			act(ps, s, arg, shown);
			continue;
		}
		for (const char *c = a + 1; *c; c++) {
			const struct slot *s = find_short(ps, *c);
			snprintf(shown, sizeof shown, "-%c", *c);
			if (!s)
				opt_fail(ps->p, "unknown option %s", shown);
			if (s->d.type == OPT_FLAG) {
				act(ps, s, NULL, shown);
				continue;
			}
			const char *arg =
			    c[1] ? c + 1
				 : next_value(ps, s, shown, argc, argv, &i);
			act(ps, s, arg, shown);
			break;
		}
	}
}

static void check_family(const struct parser *ps, const struct host *h)
{
	const struct std_opts *s = ps->std;

	if (h->literal && s->family != AF_UNSPEC && h->family != s->family)
		opt_fail(ps->p, "option -%c: %s is an %s address",
			 s->family == AF_INET ? '4' : '6', h->name,
			 addr_family_name(h->family));
}

/* The output format first, so that even an error in an earlier option is
 * reported in the form the caller reads. */
static void prescan_format(int argc, char **argv)
{
	enum report_format f;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = NULL;
		if (!strcmp(a, "--"))
			return;
		if (!strncmp(a, "--output-format=", 16))
			v = a + 16;
		else if (!strcmp(a, "--output-format") && i + 1 < argc)
			v = argv[i + 1];
		if (v && !report_format_parse(v, &f))
			report_set_format(f);
	}
}

void opt_parse(const struct plugin *p, struct std_opts *std, int argc,
	       char **argv)
{
	static struct parser ps;
	char why[256] = "";

	memset(std, 0, sizeof *std);
	std->family = AF_UNSPEC;
	std->timeout_ms = 10000;
	std->timeout_state = STATE_UNKNOWN;
	memset(&ps, 0, sizeof ps);
	ps.p = p;
	ps.std = std;
	build_table(&ps);
	print_config(&ps, argc, argv);
	prescan_format(argc, argv);
	parse_args(&ps, argc, argv);
	log_set_verbosity(std->verbose);
	if (ps.want_help) {
		print_help(&ps);
		exit(STATE_UNKNOWN);
	}
	if (ps.want_version) {
		printf("%s v%s (v6ops-plugins)\n", p->name, V6OPS_VERSION);
		exit(STATE_UNKNOWN);
	}
	if ((p->std & STD_HOST_REQUIRED) && !std->host_set)
		opt_fail(p, "option -H is required");
	check_family(&ps, &std->host);
	for (size_t i = 0; i < std->nhosts; i++)
		check_family(&ps, &std->hosts[i]);
	if (p->validate && p->validate(std, why, sizeof why))
		opt_fail(p, "%s", why);
	deadline_start(p->label, std->timeout_ms, std->timeout_state);
}
