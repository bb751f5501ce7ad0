/* check_ospfv3_neighbors' pure parts: the FRR JSON parser, the BIRD reply
 * parser, the OSPFV3-MIB row decoder (on captured and hostile fixtures in
 * t/data/ospfv3_neighbors, the fuzzing corpus too), the option parsers and
 * the verdicts. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "check_ospfv3_neighbors.d/bird.h"
#include "check_ospfv3_neighbors.d/frr.h"
#include "check_ospfv3_neighbors.d/nbr.h"
#include "check_ospfv3_neighbors.d/snmp.h"
#include "check_ospfv3_neighbors.d/verdict.h"
#include "tap.h"

#define DATA "t/data/ospfv3_neighbors/"

static char *slurp(const char *name, size_t *len)
{
	char path[256];
	snprintf(path, sizeof path, DATA "%s", name);
	FILE *f = fopen(path, "rb");
	if (!f) {
		printf("# cannot open %s\n", path);
		exit(1);
	}
	char *buf = malloc(1 << 20);
	*len = fread(buf, 1, (1 << 20) - 1, f);
	buf[*len] = '\0';
	fclose(f);
	return buf;
}

static struct nbr_list l;

static int frr(const char *name, char *err, size_t errlen)
{
	size_t len;
	char *t = slurp(name, &len);
	int rc = frr_parse(t, len, &l, err, errlen);
	free(t);
	return rc;
}

static enum src_result bird(const char *name, const char *proto, char *err,
			    size_t errlen)
{
	size_t len;
	char *t = slurp(name, &len);
	enum src_result rc = bird_parse(t, len, proto, &l, err, errlen);
	free(t);
	return rc;
}

/* snmpwalk -On lines ".1.3.6... = INTEGER: 8" fed to the row decoder, as
 * the walker feeds varbinds. Returns -1 at a malformed row, else the rows
 * taken. */
static int snmp(const char *name, char *err, size_t errlen)
{
	size_t len;
	char *t = slurp(name, &len), *save = NULL;
	int rows = 0;

	l.n = l.dropped = 0;
	for (char *line = strtok_r(t, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		unsigned long o[64];
		size_t n = 0;
		char *p = line;
		while (*p == '.' && n < 64) {
			o[n++] = strtoul(p + 1, &p, 10);
		}
		char *v = strrchr(line, ' ');
		int took = snmpnbr_take(o, n, strtol(v + 1, NULL, 10), &l, err,
					errlen);
		if (took < 0) {
			rows = -1;
			break;
		}
		if (took == 0)
			break;
		rows++;
	}
	free(t);
	return rows;
}

static void test_nbr(void)
{
	uint32_t r;
	char b[24];

	is_int(nbr_state_parse("Full"), NBR_FULL, "Full");
	is_int(nbr_state_parse("Full/PtP"), NBR_FULL, "BIRD Full/PtP");
	is_int(nbr_state_parse("2-Way/Other"), NBR_2WAY, "BIRD 2-Way/Other");
	is_int(nbr_state_parse("Twoway"), NBR_2WAY, "FRR Twoway");
	is_int(nbr_state_parse("ExChange"), NBR_EXCHANGE, "FRR ExChange");
	is_int(nbr_state_parse("exchangeStart"), NBR_EXSTART, "MIB word");
	is_int(nbr_state_parse("Fullish"), NBR_UNKNOWN, "no prefix match");
	is_int(nbr_state_parse(""), NBR_UNKNOWN, "empty state");
	ok(nbr_rid_parse("0.0.0.3", &r) == 0 && r == 3, "rid 0.0.0.3");
	ok(nbr_rid_parse("255.255.255.255", &r) == 0 && r == 0xffffffffu,
	   "rid all ones");
	ok(nbr_rid_parse("256.0.0.1", &r) < 0, "rid octet 256 refused");
	ok(nbr_rid_parse("1.2.3", &r) < 0, "rid of three parts refused");
	ok(nbr_rid_parse("1.2.3.4.", &r) < 0, "rid trailing dot refused");
	ok(nbr_rid_parse("1.2.3.0004", &r) < 0, "rid 4-digit octet refused");
	ok(nbr_rid_parse("-1.2.3.4", &r) < 0, "rid sign refused");
	is_str(nbr_rid_format(167772161, b), "10.0.0.1", "rid format");
	is_str(nbr_duration_format(12, b, sizeof b), "12 s", "12 s");
	is_str(nbr_duration_format(312, b, sizeof b), "5m12s", "5m12s");
	is_str(nbr_duration_format(7500, b, sizeof b), "2h05m", "2h05m");
	is_str(nbr_duration_format(273906, b, sizeof b), "3d04h", "3d04h");
}

static void test_frr(void)
{
	char err[300];

	is_int(frr_duration_parse("00:05:12"), 312, "duration HH:MM:SS");
	is_int(frr_duration_parse("3d04:05:06"), 273906, "duration with days");
	is_int(frr_duration_parse("1:2:3"), -1, "short fields refused");
	is_int(frr_duration_parse("00:61:00"), -1, "minute 61 refused");
	is_int(frr_duration_parse("d00:00:01"), -1, "days without number");
	is_int(frr_duration_parse("00:00:01x"), -1, "trailing byte refused");

	ok(frr("frr/lab.json", err, sizeof err) == 0, "lab capture parses");
	is_int(l.n, 2, "lab: two neighbors");
	is_int(l.v[0].rid, 2, "lab: 0.0.0.2 first");
	is_int(l.v[0].state, NBR_FULL, "lab: 0.0.0.2 Full");
	is_str(l.v[0].iface, "o-full", "lab: on o-full");
	is_int(l.v[0].state_s, 326, "lab: Full for 5m26s");
	is_int(l.v[1].state, NBR_EXSTART, "lab: 0.0.0.4 ExStart");
	is_str(l.v[1].iface, "o-mtu", "lab: on o-mtu");

	ok(frr("frr/mixed.json", err, sizeof err) == 0, "mixed parses");
	is_int(l.n, 6, "mixed: six neighbors");
	is_int(l.v[0].state_s, 273906, "mixed: days in duration");
	is_int(l.v[1].state, NBR_2WAY, "mixed: Twoway");
	is_int(l.v[2].state, NBR_EXCHANGE, "mixed: ExChange");
	is_int(l.v[3].state, NBR_LOADING, "mixed: Loading");
	is_int(l.v[4].state_s, -1, "mixed: no duration -> unknown");
	is_str(l.v[5].iface, "eth?4?", "mixed: hostile name made harmless");
	is_int(l.v[5].rid, 0xffffffffu, "mixed: 255.255.255.255");

	ok(frr("frr/empty.json", err, sizeof err) == 0 && l.n == 0,
	   "no neighbors: an empty list, not an error");
	ok(frr("frr/noospf.json", err, sizeof err) < 0 &&
	       strstr(err, "no \"neighbors\""),
	   "{}: says there is no neighbors array");
	ok(frr("frr/truncated.json", err, sizeof err) < 0 &&
	       strstr(err, "not valid JSON"),
	   "truncated JSON refused");
	ok(frr("frr/garbage.txt", err, sizeof err) < 0 &&
	       strstr(err, "not valid JSON"),
	   "vtysh error text refused");
	ok(frr("frr/badid.json", err, sizeof err) < 0 &&
	       strstr(err, "not a router id"),
	   "router id 0.0.0.256 refused");
	ok(frr("frr/badstate.json", err, sizeof err) < 0 &&
	       strstr(err, "\"state\" is not a string"),
	   "numeric state refused");
	ok(frr("frr/badduration.json", err, sizeof err) < 0 &&
	       strstr(err, "duration"),
	   "bad duration refused");
	ok(frr("frr/notarray.json", err, sizeof err) < 0 &&
	       strstr(err, "not an array"),
	   "neighbors as an object refused");
	ok(frr("frr/duplicate.json", err, sizeof err) < 0,
	   "duplicate keys refused");
	ok(frr_parse("", 0, &l, err, sizeof err) < 0, "empty input refused");
}

static void test_bird(void)
{
	char err[300];
	const char *lab = "0001 BIRD 2.0.12 ready.\n1013-lab:\n";

	is_int(bird_reply_end(lab, strlen(lab)), 24, "greeting is a reply");
	is_int(bird_reply_end("1013-lab:\n", 10), 0, "no last line yet");
	is_int(bird_reply_end("0000 ", 5), 0, "a last line without newline");

	is_int(bird("bird/lab.txt", NULL, err, sizeof err), SRC_OK,
	       "lab capture parses");
	is_int(l.n, 2, "lab: two neighbors");
	is_int(l.v[0].state, NBR_FULL, "lab: 0.0.0.2 Full");
	is_str(l.v[0].iface, "b-full", "lab: on b-full");
	is_int(l.v[0].state_s, -1, "lab: BIRD gives no time in state");
	is_int(l.v[1].state, NBR_EXSTART, "lab: 0.0.0.4 ExStart");
	is_str(l.v[1].state_word, "ExStart", "lab: role cut from the word");

	is_int(bird("bird/twoproto.txt", NULL, err, sizeof err), SRC_OK,
	       "two protocols parse");
	is_int(l.n, 4, "two protocols: four neighbors");
	is_int(l.v[1].state, NBR_2WAY, "2-Way/Other");
	is_int(l.v[2].state, NBR_LOADING, "second protocol's Loading");
	is_int(l.v[3].rid, 167772169, "10.0.0.9");

	is_int(bird("bird/nosuch.txt", "nosuch", err, sizeof err), SRC_ERROR,
	       "unknown protocol is an error");
	ok(strstr(err, "no protocol named 'nosuch'") != NULL,
	   "unknown protocol named");
	is_int(bird("bird/noospf.txt", NULL, err, sizeof err), SRC_ERROR,
	       "no OSPF protocol is an error");
	is_str(err, "BIRD: 9001 There is no OSPF protocol running",
	       "BIRD's words kept");
	is_int(bird("bird/notospf.txt", "device1", err, sizeof err), SRC_ERROR,
	       "not an OSPF protocol");
	is_int(bird("bird/truncated.txt", NULL, err, sizeof err), SRC_MALFORMED,
	       "cut short: malformed");
	ok(strstr(err, "cut short") != NULL, "cut short: said");
	is_int(bird("bird/garbage.txt", NULL, err, sizeof err), SRC_MALFORMED,
	       "an HTTP answer: malformed");
	is_int(bird("bird/badid.txt", NULL, err, sizeof err), SRC_MALFORMED,
	       "bad router id: malformed");
	is_int(bird("bird/shortrow.txt", NULL, err, sizeof err), SRC_MALFORMED,
	       "short row: malformed");
	is_int(bird_parse("1013-lab:\n0013 status\n", 22, NULL, &l, err,
			  sizeof err),
	       SRC_MALFORMED, "a reply ending in another code: malformed");
}

static void test_snmp(void)
{
	char err[300], peer[120];
	struct snmp_cfg c = {
	    .host = "fd6f:5::1", .literal6 = true, .port = 161};

	snmpnbr_peer(&c, peer, sizeof peer);
	is_str(peer, "udp6:[fd6f:5::1]:161", "IPv6 literal in brackets");
	c = (struct snmp_cfg){.host = "192.0.2.1", .port = 1161};
	snmpnbr_peer(&c, peer, sizeof peer);
	is_str(peer, "udp:192.0.2.1:1161", "IPv4 and a port");
	c = (struct snmp_cfg){.host = "rtr", .family = AF_INET6, .port = 161};
	snmpnbr_peer(&c, peer, sizeof peer);
	is_str(peer, "udp6:rtr:161", "a name with -6");

	is_int(snmpnbr_auth_type(SNMPNBR_AUTH_MD5), 2,
	       "MD5: NETSNMP_USMAUTH_HMACMD5");
	is_int(snmpnbr_auth_type(SNMPNBR_AUTH_SHA), 3, "SHA: ..._HMACSHA1");
	is_int(snmpnbr_auth_type(SNMPNBR_AUTH_SHA256), 5,
	       "SHA-256: ..._HMAC192SHA256 (RFC 7860)");
	is_int(snmpnbr_auth_type(SNMPNBR_AUTH_SHA512), 7,
	       "SHA-512: ..._HMAC384SHA512");
	is_int(snmpnbr_priv_type(SNMPNBR_PRIV_AES), 0x02, "AES: PRIV_AES");
	is_int(snmpnbr_priv_type(SNMPNBR_PRIV_AES256), 0x202,
	       "AES-256: PRIV_AES | AES_FLAG_256");
	is_int(snmpnbr_priv_type(SNMPNBR_PRIV_NONE), 0, "no privacy");

	is_int(snmp("snmp/lab.txt", err, sizeof err), 2, "lab walk: two rows");
	is_int(l.v[0].rid, 2, "lab walk: rid from the last sub-identifier");
	is_int(l.v[0].state, NBR_FULL, "lab walk: full(8)");
	is_int(l.v[0].ifindex, 2, "lab walk: ifIndex");
	is_str(l.v[0].iface, "ifIndex 2", "lab walk: iface before ifName");
	is_int(l.v[1].state, NBR_EXSTART, "lab walk: exchangeStart(5)");
	is_int(snmp("snmp/mixed.txt", err, sizeof err), 4,
	       "mixed: the walk stops at the next column");
	is_int(l.v[0].rid, 167772161, "mixed: 10.0.0.1");
	is_int(l.v[1].state, NBR_2WAY, "mixed: twoWay(4)");
	is_int(l.v[2].rid, 0xffffffffu, "mixed: rid 4294967295");
	is_int(l.v[3].state, NBR_UNKNOWN, "mixed: state 42 unknown");
	is_str(l.v[3].state_word, "42", "mixed: state 42 kept as a word");
	is_int(snmp("snmp/shortindex.txt", err, sizeof err), -1,
	       "index of two sub-identifiers refused");
	is_int(snmp("snmp/bigrid.txt", err, sizeof err), -1,
	       "rid above 32 bits refused");
}

static struct nbr mk(uint32_t rid, const char *iface, enum nbr_state st, long s)
{
	struct nbr n = {.rid = rid, .state = st, .state_s = s};
	snprintf(n.iface, sizeof n.iface, "%s", iface);
	return n;
}

static const struct finding *find(const struct verdict *v, const char *code,
				  const char *rid)
{
	for (size_t i = 0; i < v->n; i++)
		if (!strcmp(v->f[i].code, code) &&
		    (!rid || !strcmp(v->f[i].rid, rid)))
			return &v->f[i];
	return NULL;
}

static void test_verdict(void)
{
	static struct verdict v;
	struct expect e[4];
	char err[200];
	const struct finding *f;

	ok(expect_parse("0.0.0.3@eth1", &e[0], err, sizeof err) == 0 &&
	       e[0].rid == 3 && !strcmp(e[0].iface, "eth1"),
	   "-n 0.0.0.3@eth1");
	ok(expect_parse("0.0.0.3", &e[0], err, sizeof err) == 0 &&
	       e[0].iface[0] == '\0',
	   "-n without interface");
	ok(expect_parse("0.0.0.3@", &e[0], err, sizeof err) < 0,
	   "-n empty interface refused");
	ok(expect_parse("3", &e[0], err, sizeof err) < 0 &&
	       strstr(err, "dotted quad"),
	   "-n 3 refused, the form named");

	l.n = l.dropped = 0;
	l.v[l.n++] = mk(2, "o-full", NBR_FULL, 3600);
	l.v[l.n++] = mk(4, "o-mtu", NBR_EXSTART, 312);
	l.v[l.n++] = mk(5, "eth0", NBR_2WAY, 60);
	l.v[l.n++] = mk(9, "eth9", NBR_FULL, 5);
	expect_parse("0.0.0.2@o-full", &e[0], err, sizeof err);
	expect_parse("0.0.0.3", &e[1], err, sizeof err);
	expect_parse("0.0.0.4", &e[2], err, sizeof err);
	expect_parse("0.0.0.5", &e[3], err, sizeof err);
	struct verdict_opts o = {
	    .exp = e, .nexp = 4, .min_full = -1, .source = "FRR"};
	verdict_judge(&l, &o, &v);
	f = find(&v, "neighbor_full", "0.0.0.2");
	ok(f && f->state == STATE_OK, "Full expected neighbor: OK");
	is_str(f ? f->text : "", "0.0.0.2 on o-full Full for 1h00m",
	       "Full: the sentence");
	f = find(&v, "neighbor_missing", "0.0.0.3");
	ok(f && f->state == STATE_CRITICAL, "missing: CRITICAL");
	is_str(f ? f->text : "",
	       "expected neighbor 0.0.0.3 absent: no hello accepted; check "
	       "authentication (IPsec / auth trailer), hello and dead "
	       "intervals, area and instance ID",
	       "missing: the sentence");
	f = find(&v, "neighbor_not_full", "0.0.0.4");
	ok(f && f->state == STATE_CRITICAL, "ExStart: CRITICAL");
	is_str(f ? f->text : "",
	       "0.0.0.4 on o-mtu stuck in ExStart for 5m12s: an interface "
	       "MTU mismatch is the usual cause",
	       "ExStart: the sentence");
	f = find(&v, "neighbor_not_full", "0.0.0.5");
	ok(f && f->state == STATE_CRITICAL, "2-Way without --allow-2way: CRIT");
	f = find(&v, "neighbor_extra", "0.0.0.9");
	ok(f && f->state == STATE_OK, "extra neighbor without --strict: OK");
	is_int(v.neighbors, 4, "counts: neighbors");
	is_int(v.full, 2, "counts: full");
	is_int(v.not_full, 2, "counts: not_full");
	is_int(v.missing, 1, "counts: missing");

	o.allow_2way = true;
	o.strict = true;
	o.min_uptime_s = 60;
	verdict_judge(&l, &o, &v);
	f = find(&v, "neighbor_2way", "0.0.0.5");
	ok(f && f->state == STATE_OK, "--allow-2way: 2-Way OK");
	f = find(&v, "neighbor_unexpected", "0.0.0.9");
	ok(f && f->state == STATE_WARNING, "--strict: extra neighbor WARNING");
	ok(!find(&v, "neighbor_flapping", "0.0.0.9"),
	   "an unexpected neighbor is not judged for flaps");
	ok(!find(&v, "neighbor_flapping", "0.0.0.2"), "Full 1 h: no flap");

	l.v[0].state_s = 12;
	verdict_judge(&l, &o, &v);
	f = find(&v, "neighbor_flapping", "0.0.0.2");
	ok(f && f->state == STATE_WARNING, "Full 12 s < 60: flapping WARNING");
	is_str(f ? f->text : "",
	       "0.0.0.2 on o-full Full for 12 s only: flapping? "
	       "(--min-uptime 60 s)",
	       "flap: the sentence");
	l.v[0].state_s = 60;
	verdict_judge(&l, &o, &v);
	ok(find(&v, "neighbor_full", "0.0.0.2"),
	   "Full 60 s = --min-uptime: OK");
	l.v[0].state_s = -1;
	verdict_judge(&l, &o, &v);
	ok(find(&v, "neighbor_full", "0.0.0.2"),
	   "no time in state (BIRD): never a flap");

	o = (struct verdict_opts){.min_full = 3, .source = "FRR"};
	verdict_judge(&l, &o, &v);
	f = find(&v, "full_too_few", NULL);
	ok(f && f->state == STATE_CRITICAL, "--min-full 3 with 2 Full: CRIT");
	is_str(f ? f->text : "", "2 neighbors Full, at least 3 required",
	       "--min-full: the sentence");
	ok(find(&v, "neighbor_not_full", "0.0.0.4"),
	   "no -n: every neighbor judged");
	o.min_full = 2;
	verdict_judge(&l, &o, &v);
	ok(!find(&v, "full_too_few", NULL), "--min-full 2 with 2 Full: fine");
	ok(!find(&v, "full_count", NULL), "no -w/-c: no full_count");

	struct range w, c;
	range_parse("3:", &w, err, sizeof err);
	range_parse("2:", &c, err, sizeof err);
	o.warn = &w;
	o.crit = &c;
	verdict_judge(&l, &o, &v);
	f = find(&v, "full_count", NULL);
	ok(f && f->state == STATE_WARNING, "-w 3: with 2 Full: WARNING");
	is_str(f ? f->text : "",
	       "2 neighbors Full, outside the -w range 3:", "-w: the sentence");
	range_parse("3:", &c, err, sizeof err);
	verdict_judge(&l, &o, &v);
	f = find(&v, "full_count", NULL);
	ok(f && f->state == STATE_CRITICAL, "-c 3: with 2 Full: CRITICAL");
	range_parse("1:", &w, err, sizeof err);
	range_parse("2:", &c, err, sizeof err);
	verdict_judge(&l, &o, &v);
	ok(!find(&v, "full_count", NULL), "-c 2: at 2 Full: inclusive, OK");

	l.n = 0;
	o.min_full = 1;
	verdict_judge(&l, &o, &v);
	f = find(&v, "full_too_few", NULL);
	ok(f && strstr(f->text, "no OSPFv3 neighbor at all"),
	   "nothing at all: said");

	l.n = l.dropped = 0;
	for (uint32_t i = 0; i < NBR_MAX + 3; i++) {
		struct nbr n = mk(i + 1, "eth0", NBR_FULL, 100);
		nbr_add(&l, &n);
	}
	is_int(l.n, NBR_MAX, "a full list keeps NBR_MAX");
	is_int(l.dropped, 3, "and counts the rest");
	o = (struct verdict_opts){.min_full = -1, .source = "BIRD"};
	verdict_judge(&l, &o, &v);
	f = find(&v, "neighbors_truncated", NULL);
	ok(f && f->state == STATE_WARNING, "more than NBR_MAX: WARNING");
	is_str(f ? f->text : "",
	       "BIRD listed 3 neighbors more than the 256 read",
	       "truncated: the sentence");

	l.dropped = 0;
	l.n = 1;
	l.v[0] = mk(7, "eth2", NBR_FULL, 100);
	expect_parse("0.0.0.7@eth1", &e[0], err, sizeof err);
	o = (struct verdict_opts){.exp = e, .nexp = 1, .min_full = -1};
	verdict_judge(&l, &o, &v);
	f = find(&v, "neighbor_missing", "0.0.0.7");
	ok(f && strstr(f->text, "(seen on eth2 instead)"),
	   "expected on eth1, found on eth2: said");
}

/* Every prefix of each fixture and each byte replaced by a few hostile
 * ones, through the parsers: none may crash, read out of bounds (run under
 * make SANITIZE=1) or accept a cut document as a complete one. */
static void test_mutations(void)
{
	static const char *files[] = {
	    "frr/lab.json",	 "frr/mixed.json",  "bird/lab.txt",
	    "bird/twoproto.txt", "bird/nosuch.txt", "frr/empty.json",
	};
	static const char bytes[] = {0,	  '"', '\n', ' ',	'-',
				     '9', '{', ']',  (char)0xff};
	char err[300];
	size_t runs = 0, cut_accepted = 0;

	for (size_t fi = 0; fi < sizeof files / sizeof files[0]; fi++) {
		size_t len;
		char *t = slurp(files[fi], &len);
		bool is_frr = files[fi][0] == 'f';
		for (size_t cut = 0; cut < len; cut++) {
			char *c = malloc(cut ? cut : 1);
			memcpy(c, t, cut);
			int rc = is_frr ? frr_parse(c, cut, &l, err, sizeof err)
					: (int)bird_parse(c, cut, NULL, &l, err,
							  sizeof err);
			/* A cut reply is complete only if it still ends
			 * with its last line (BIRD) or the closing brace and
			 * maybe whitespace (JSON). */
			if (rc == 0 && !is_frr && !bird_reply_end(c, cut))
				cut_accepted++;
			free(c);
			runs++;
		}
		for (size_t i = 0; i < len; i++)
			for (size_t b = 0; b < sizeof bytes; b++) {
				char *c = malloc(len);
				memcpy(c, t, len);
				c[i] = bytes[b];
				if (is_frr)
					frr_parse(c, len, &l, err, sizeof err);
				else
					bird_parse(c, len, NULL, &l, err,
						   sizeof err);
				free(c);
				runs++;
			}
		free(t);
	}
	ok(runs > 10000, "mutations: thousands of hostile inputs parsed");
	is_int(cut_accepted, 0, "mutations: no cut BIRD reply accepted");
}

int main(void)
{
	test_nbr();
	test_frr();
	test_bird();
	test_snmp();
	test_verdict();
	test_mutations();
	return done_testing();
}
