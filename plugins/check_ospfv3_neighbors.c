/* check_ospfv3_neighbors: the OSPFv3 neighbors we expect are there, Full,
 * and staying Full (CONTEXT.md section 4). OSPFv3 (RFC 5340) authenticates
 * with IPsec (RFC 4552) or the authentication trailer (RFC 7166); between
 * vendors these interoperate badly and adjacencies never come up. An MTU
 * mismatch keeps one in ExStart/Exchange (RFC 2328 10.6); hello, dead,
 * area or instance ID mismatches keep the neighbor out of the table.
 * One source per run: FRR (vtysh ... json), BIRD 2 (its control socket) or
 * SNMP (OSPFV3-MIB, RFC 5643, ospfv3NbrTable through net-snmp). Every
 * source fills one neighbor list; the verdicts never know which it was.
 * Privileges: none of its own; vtysh needs the frrvty group, BIRD's socket
 * its file permissions.
 * States: an expected neighbor missing, or seen but not Full (2-Way only
 * with --allow-2way): CRITICAL; too few Full (--min-full): CRITICAL; Full
 * for less than --min-uptime (FRR reports time in state; BIRD and the MIB
 * do not): WARNING; an unexpected neighbor with --strict: WARNING; the
 * source unreachable, erring, or answering garbage: UNKNOWN (the -t state
 * when it hangs).
 * Logic: check_ospfv3_neighbors.d/ (frr.c, bird.c, snmp.c: the sources;
 * nbr.c: the shared list; verdict.c: the judgement). */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "check_ospfv3_neighbors.d/bird.h"
#include "check_ospfv3_neighbors.d/frr.h"
#include "check_ospfv3_neighbors.d/nbr.h"
#include "check_ospfv3_neighbors.d/snmp.h"
#include "check_ospfv3_neighbors.d/verdict.h"
#include "deadline.h"
#include "log.h"
#include "opt.h"
#include "report.h"

enum source { SRC_FRR, SRC_BIRD, SRC_SNMP };

static struct opts {
	int source;
	const char *pathspace, *vtysh;
	const char *socket, *protocol;
	const char *community, *user, *auth_pass, *priv_pass;
	int auth_proto, priv_proto; /* enum snmpnbr_auth, snmpnbr_priv */
	long port;
	struct opt_list neighbors;
	bool allow_2way, strict;
	long min_full, min_uptime_s;
	/* derived in validate() */
	struct expect exp[64];
	size_t nexp;
} o = {
    .source = SRC_FRR,
    .vtysh = "vtysh",
    .socket = "/run/bird/bird.ctl",
    .port = 161,
    .min_full = -1,
};

/* clang-format off */
static const struct opt_def opts[] = {
	{ .lname = "source", .type = OPT_CHOICE, .target = &o.source,
	  .arg = "frr|bird|snmp",
	  .choices = (const struct opt_choice[]){
		{"frr", SRC_FRR}, {"bird", SRC_BIRD}, {"snmp", SRC_SNMP},
		{NULL, 0}},
	  .help = "Where the neighbor table comes from: FRR's vtysh "
		  "(default), BIRD 2's control socket, or an SNMP agent's "
		  "OSPFV3-MIB." },
	{ .sname = 'n', .lname = "neighbor", .type = OPT_LIST,
	  .target = &o.neighbors, .arg = "ROUTER_ID[@IFACE]",
	  .help = "An expected neighbor, e.g. 0.0.0.3 or 0.0.0.3@eth1 "
		  "(repeatable). Missing or not Full: CRITICAL. Without -n, "
		  "every neighbor seen must be Full and at least one must "
		  "be." },
	{ .lname = "allow-2way", .type = OPT_FLAG, .target = &o.allow_2way,
	  .help = "Accept 2-Way: two DROther routers on a broadcast link "
		  "stay 2-Way by design." },
	{ .lname = "strict", .type = OPT_FLAG, .target = &o.strict,
	  .help = "A neighbor not in the -n list: WARNING (default: listed, "
		  "OK)." },
	{ .lname = "min-full", .type = OPT_LONG, .target = &o.min_full,
	  .arg = "N", .min = 0, .max = 100000,
	  .help = "At least N neighbors Full, expected or not, else CRITICAL "
		  "(default 1 without -n, none with)." },
	{ .lname = "min-uptime", .type = OPT_LONG, .target = &o.min_uptime_s,
	  .arg = "SECONDS", .min = 1, .max = 100000000,
	  .help = "A Full neighbor that has been Full for less: WARNING, it "
		  "probably flaps. Needs a source that reports time in state "
		  "(FRR; not BIRD or OSPFV3-MIB)." },
	{ .lname = "pathspace", .type = OPT_STRING, .target = &o.pathspace,
	  .arg = "NAME",
	  .help = "frr: the FRR instance (vtysh -N NAME), e.g. a network "
		  "namespace's." },
	{ .lname = "vtysh", .type = OPT_STRING, .target = &o.vtysh,
	  .arg = "PATH", .help = "frr: the vtysh to run (default vtysh from "
				 "PATH)." },
	{ .lname = "socket", .type = OPT_STRING, .target = &o.socket,
	  .arg = "PATH",
	  .help = "bird: the control socket (default /run/bird/bird.ctl)." },
	{ .lname = "protocol", .type = OPT_STRING, .target = &o.protocol,
	  .arg = "NAME",
	  .help = "bird: one OSPF protocol by name (default: all)." },
	{ .sname = 'C', .lname = "community", .type = OPT_STRING,
	  .target = &o.community, .arg = "COMMUNITY",
	  .help = "snmp: SNMPv2c community." },
	{ .lname = "port", .type = OPT_PORT, .target = &o.port, .arg = "PORT",
	  .help = "snmp: the agent's UDP port (default 161)." },
	{ .lname = "snmp-user", .type = OPT_STRING, .target = &o.user,
	  .arg = "USER", .help = "snmp: SNMPv3 with this USM user." },
	{ .lname = "auth-protocol", .type = OPT_CHOICE, .target = &o.auth_proto,
	  .arg = "PROTO",
	  .choices = (const struct opt_choice[]){
		{"MD5", SNMPNBR_AUTH_MD5}, {"SHA", SNMPNBR_AUTH_SHA},
		{"SHA-224", SNMPNBR_AUTH_SHA224},
		{"SHA-256", SNMPNBR_AUTH_SHA256},
		{"SHA-384", SNMPNBR_AUTH_SHA384},
		{"SHA-512", SNMPNBR_AUTH_SHA512}, {NULL, 0}},
	  .help = "snmp v3: MD5, SHA, SHA-224, SHA-256, SHA-384 or SHA-512 "
		  "(default SHA when --auth-password is given)." },
	{ .lname = "auth-password", .type = OPT_STRING, .target = &o.auth_pass,
	  .arg = "PASSWORD", .help = "snmp v3: authentication password." },
	{ .lname = "priv-protocol", .type = OPT_CHOICE, .target = &o.priv_proto,
	  .arg = "PROTO",
	  .choices = (const struct opt_choice[]){
		{"DES", SNMPNBR_PRIV_DES}, {"AES", SNMPNBR_PRIV_AES},
		{"AES-128", SNMPNBR_PRIV_AES},
		{"AES-192", SNMPNBR_PRIV_AES192},
		{"AES-256", SNMPNBR_PRIV_AES256},
		{NULL, 0}},
	  .help = "snmp v3: DES, AES (AES-128), AES-192 or AES-256 (default "
		  "AES when --priv-password is given)." },
	{ .lname = "priv-password", .type = OPT_STRING, .target = &o.priv_pass,
	  .arg = "PASSWORD", .help = "snmp v3: privacy password." },
};
/* clang-format on */

static const struct finding_doc findings[] = {
    {"neighbor_full", "OK",
     "an expected (or, without -n, any) neighbor is "
     "Full"},
    {"neighbor_2way", "OK", "2-Way, accepted by --allow-2way"},
    {"neighbor_extra", "OK",
     "a neighbor not in the -n list (without "
     "--strict)"},
    {"neighbor_missing", "CRITICAL",
     "an expected neighbor is not in the table: its hellos are not "
     "accepted (authentication, hello/dead intervals, area, instance ID)"},
    {"neighbor_not_full", "CRITICAL",
     "a neighbor stuck before Full, with its state, the time in it and the "
     "usual cause (ExStart/Exchange: MTU mismatch)"},
    {"full_too_few", "CRITICAL", "fewer neighbors Full than --min-full"},
    {"full_count", "WARNING or CRITICAL",
     "the number of Full neighbors is outside the -w or -c range"},
    {"neighbor_flapping", "WARNING", "Full for less than --min-uptime"},
    {"neighbor_unexpected", "WARNING",
     "a neighbor not in the -n list, with "
     "--strict"},
    {"neighbors_truncated", "WARNING",
     "more neighbors than the plugin "
     "reads (256)"},
    {"source_unreachable", "UNKNOWN",
     "vtysh, the BIRD socket or the SNMP agent did not answer"},
    {"source_error", "UNKNOWN",
     "the source answered with an error (unknown protocol, SNMP "
     "authentication, no OSPFV3-MIB)"},
    {"source_malformed", "UNKNOWN", "garbage, truncated or oversized output"},
    {"source_timeout", "UNKNOWN or the -t state",
     "the source did not finish within -t; a hanging vtysh is killed"},
};

static int is_word(const char *s, const char *extra)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '_' ||
		      strchr(extra, *s)))
			return 0;
	return 1;
}

/* An option that belongs to another source is a mistake worth naming. */
static int wrong_source(char *err, size_t len)
{
	const struct {
		bool given;
		const char *opt;
		int source;
		const char *name;
	} own[] = {
	    {o.pathspace != NULL, "--pathspace", SRC_FRR, "frr"},
	    {strcmp(o.vtysh, "vtysh") != 0, "--vtysh", SRC_FRR, "frr"},
	    {o.protocol != NULL, "--protocol", SRC_BIRD, "bird"},
	    {strcmp(o.socket, "/run/bird/bird.ctl") != 0, "--socket", SRC_BIRD,
	     "bird"},
	    {o.community != NULL, "-C", SRC_SNMP, "snmp"},
	    {o.user != NULL, "--snmp-user", SRC_SNMP, "snmp"},
	    {o.port != 161, "--port", SRC_SNMP, "snmp"},
	};

	for (size_t i = 0; i < sizeof own / sizeof own[0]; i++)
		if (own[i].given && own[i].source != o.source) {
			snprintf(err, len, "%s is for --source %s", own[i].opt,
				 own[i].name);
			return -1;
		}
	return 0;
}

static int validate_snmp(const struct std_opts *std, char *err, size_t len)
{
	if (!std->host_set) {
		snprintf(err, len, "--source snmp needs -H ADDRESS");
		return -1;
	}
	if (!o.community && !o.user) {
		snprintf(err, len,
			 "--source snmp needs -C COMMUNITY (v2c) or "
			 "--snmp-user USER (v3)");
		return -1;
	}
	if (o.community && o.user) {
		snprintf(err, len,
			 "-C (v2c) and --snmp-user (v3) exclude "
			 "each other");
		return -1;
	}
	if ((o.auth_proto || o.auth_pass || o.priv_proto || o.priv_pass) &&
	    !o.user) {
		snprintf(err, len, "--auth-*/--priv-* need --snmp-user");
		return -1;
	}
	if (o.auth_proto && !o.auth_pass) {
		snprintf(err, len, "--auth-protocol needs --auth-password");
		return -1;
	}
	if (o.priv_proto && !o.priv_pass) {
		snprintf(err, len, "--priv-protocol needs --priv-password");
		return -1;
	}
	if (o.priv_pass && !o.auth_pass) {
		snprintf(err, len,
			 "--priv-password needs --auth-password "
			 "(USM has no privacy without authentication)");
		return -1;
	}
	if ((o.auth_pass && strlen(o.auth_pass) < 8) ||
	    (o.priv_pass && strlen(o.priv_pass) < 8)) {
		snprintf(err, len,
			 "SNMPv3 passwords have at least 8 characters "
			 "(RFC 3414 11.2)");
		return -1;
	}
	if (o.auth_pass && !o.auth_proto)
		o.auth_proto = SNMPNBR_AUTH_SHA;
	if (o.priv_pass && !o.priv_proto)
		o.priv_proto = SNMPNBR_PRIV_AES;
	return 0;
}

static int validate(const struct std_opts *std, char *err, size_t len)
{
	if (wrong_source(err, len))
		return -1;
	if (o.protocol && !is_word(o.protocol, "")) {
		snprintf(err, len,
			 "--protocol '%s' is not a BIRD protocol name "
			 "([A-Za-z0-9_])",
			 o.protocol);
		return -1;
	}
	if (o.pathspace && !is_word(o.pathspace, "-.")) {
		snprintf(err, len,
			 "--pathspace '%s': letters, digits, '-', "
			 "'_' and '.' only",
			 o.pathspace);
		return -1;
	}
	if (o.source == SRC_SNMP && validate_snmp(std, err, len))
		return -1;
	if (o.neighbors.n > sizeof o.exp / sizeof o.exp[0]) {
		snprintf(err, len, "at most %zu -n",
			 sizeof o.exp / sizeof o.exp[0]);
		return -1;
	}
	for (size_t i = 0; i < o.neighbors.n; i++) {
		char why[200];
		if (expect_parse(o.neighbors.v[i], &o.exp[i], why,
				 sizeof why)) {
			snprintf(err, len, "-n %s", why);
			return -1;
		}
	}
	o.nexp = o.neighbors.n;
	if (o.min_full < 0 && o.nexp == 0)
		o.min_full = 1;
	return 0;
}

static const struct plugin plugin = {
    .name = "check_ospfv3_neighbors",
    .label = "OSPFV3_NEIGHBORS",
    .purpose = "The OSPFv3 neighbors we expect are there, Full, and staying "
	       "Full.",
    .description =
	"Reads one router's OSPFv3 neighbor table from one source: FRR "
	"(vtysh -c 'show ipv6 ospf6 neighbor json'), BIRD 2 (its control "
	"socket, show ospf neighbors) or SNMP (OSPFV3-MIB ospfv3NbrTable, "
	"1.3.6.1.2.1.191.1.9.1, numeric OIDs), and names each expected "
	"neighbor that is missing or stuck.\n\n"
	"How to read the verdict: a missing neighbor means its hellos are "
	"not accepted (OSPFv3 authentication by IPsec or the RFC 7166 "
	"trailer configured on one side or with another key, hello/dead "
	"intervals, area or instance ID); ExStart or Exchange that lasts is "
	"an interface MTU mismatch; Init means our hellos do not reach it; "
	"Full for a few seconds only means it flaps.\n\n"
	"An unreachable daemon or agent, an unknown --protocol, garbage or "
	"truncated output, SNMP timeouts and authentication failures are "
	"UNKNOWN, within -t.",
    .usage = "[--source frr|bird|snmp] [-n ROUTER_ID[@IFACE]]... "
	     "[--allow-2way] [--strict] [--min-full N] [--min-uptime S] "
	     "[--pathspace NAME | --socket PATH [--protocol NAME] | -H HOST "
	     "(-C COMMUNITY | --snmp-user USER ...)]",
    .examples =
	"check_ospfv3_neighbors -n 0.0.0.2@eth0 -n 0.0.0.3 --min-uptime 300\n"
	"  FRR: both neighbors Full, and Full for 5 minutes at least\n"
	"check_ospfv3_neighbors --source bird --protocol core -n 10.0.0.1\n"
	"  BIRD's OSPF protocol 'core': 10.0.0.1 Full\n"
	"check_ospfv3_neighbors --source snmp -H 2001:db8::1 -C public "
	"--min-full 2\n"
	"  a vendor router over SNMPv2c: at least two neighbors Full\n",
    .std = STD_HOST | STD_FAMILY | STD_THRESHOLDS,
    .host_help = "snmp: the agent, an address (IPv6 literals work) or a "
		 "name. frr and bird read this host and ignore -H (engine "
		 "configurations pass it to every check).",
    .warn_help = "WARNING when the number of Full neighbors is outside "
		 "this range, e.g. 4: (see --min-full for the plain form).",
    .crit_help = "CRITICAL when the number of Full neighbors is outside "
		 "this range, e.g. 2:.",
    .opts = opts,
    .nopts = sizeof opts / sizeof opts[0],
    .findings = findings,
    .nfindings = sizeof findings / sizeof findings[0],
    .validate = validate,
};

struct facts {
	enum src_result res;
	char err[400];
	const char *source; /* "FRR", "BIRD", "SNMP" */
	struct nbr_list list;
};

static void run(struct facts *fx, const struct opts *op,
		const struct std_opts *std)
{
	struct snmp_cfg c = {0};

	switch (op->source) {
	case SRC_FRR:
		fx->source = "FRR";
		fx->res = frr_fetch(op->vtysh, op->pathspace, &fx->list,
				    fx->err, sizeof fx->err);
		break;
	case SRC_BIRD:
		fx->source = "BIRD";
		fx->res = bird_fetch(op->socket, op->protocol, &fx->list,
				     fx->err, sizeof fx->err);
		break;
	default:
		fx->source = "SNMP";
		c = (struct snmp_cfg){
		    .host = std->host.name,
		    .literal6 =
			std->host.literal && std->host.family == AF_INET6,
		    .family = std->family,
		    .port = op->port,
		    .version = op->user ? 3 : 2,
		    .community = op->community,
		    .user = op->user,
		    .auth_proto = op->auth_proto,
		    .auth_pass = op->auth_pass,
		    .priv_proto = op->priv_proto,
		    .priv_pass = op->priv_pass,
		};
		fx->res = snmpnbr_fetch(&c, &fx->list, fx->err, sizeof fx->err);
		break;
	}
	if (std->host_set && op->source != SRC_SNMP)
		vlog(1, "-H %s ignored: %s is read on this host\n",
		     std->host.name, fx->source);
	if (op->min_uptime_s && op->source != SRC_FRR)
		vlog(1,
		     "--min-uptime: %s reports no time in state, so flaps "
		     "cannot be seen\n",
		     fx->source);
	vlog(1, "%s: %zu neighbors%s%s\n", fx->source, fx->list.n,
	     fx->res ? "; " : "", fx->res ? fx->err : "");
	for (size_t i = 0; i < fx->list.n && fx->res == SRC_OK; i++) {
		char rid[16];
		vlog(1, "  %s on %s: %s (%ld s)\n",
		     nbr_rid_format(fx->list.v[i].rid, rid),
		     fx->list.v[i].iface, fx->list.v[i].state_word,
		     fx->list.v[i].state_s);
	}
}

static void count(struct report *r, const char *label, long v,
		  const struct range *warn, const struct range *crit)
{
	report_perf(r,
		    &(struct perf){label, (double)v, NULL, warn, crit, 0, NAN});
}

static void judge(const struct facts *fx, const struct opts *op,
		  const struct std_opts *std, struct report *r)
{
	static const char *codes[] = {
	    [SRC_UNREACHABLE] = "source_unreachable",
	    [SRC_ERROR] = "source_error",
	    [SRC_MALFORMED] = "source_malformed",
	    [SRC_TIMEOUT] = "source_timeout",
	};
	static struct verdict v;
	struct verdict_opts vo = {.exp = op->exp,
				  .nexp = op->nexp,
				  .allow_2way = op->allow_2way,
				  .strict = op->strict,
				  .min_full = op->min_full,
				  .min_uptime_s = op->min_uptime_s,
				  .warn = &std->warn,
				  .crit = &std->crit,
				  .source = fx->source};
	enum state worst = STATE_OK;

	if (fx->res != SRC_OK) {
		enum state st =
		    fx->res == SRC_TIMEOUT ? std->timeout_state : STATE_UNKNOWN;
		report_add(r, st, codes[fx->res], NULL, "%s", fx->err);
		return;
	}
	verdict_judge(&fx->list, &vo, &v);
	for (size_t i = 0; i < v.n; i++) {
		const struct finding *f = &v.f[i];
		report_add(
		    r, f->state, f->code,
		    &(struct about){.name = f->rid[0] ? f->rid : NULL,
				    .iface = f->iface[0] ? f->iface : NULL},
		    "%s", f->text);
		worst = state_worst(worst, f->state);
	}
	count(r, "neighbors", v.neighbors, NULL, NULL);
	count(r, "full", v.full, &std->warn, &std->crit);
	count(r, "not_full", v.not_full, NULL, NULL);
	count(r, "missing", v.missing, NULL, NULL);
	if (worst == STATE_OK)
		report_summary(r, "%s: %ld neighbor%s, %ld Full%s", fx->source,
			       v.neighbors, v.neighbors == 1 ? "" : "s", v.full,
			       op->nexp ? ", every expected one" : "");
}

int main(int argc, char **argv)
{
	static struct facts fx;
	struct std_opts std;
	struct report r;

	/* No privileged step: vtysh, the BIRD socket and SNMP need none of
	 * ours. */
	opt_parse(&plugin, &std, argc, argv);
	run(&fx, &o, &std);
	report_init(&r, plugin.label);
	judge(&fx, &o, &std, &r);
	report_exit(&r);
}
