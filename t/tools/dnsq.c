/* dnsq: test driver for common/dns, not a plugin.
 *   dnsq [-f] [-s SERVER] [-T TIMEOUT_MS] [-r TRIES] NAME TYPE [NAME TYPE ...]
 * -f answers A and AAAA from /etc/hosts first (dns_opts.hosts).
 * Submits every query at once on one loop, waits for all of them (or the
 * 10 s deadline), and prints one line per query, in argument order:
 *   NAME TYPE OUTCOME rcode=N ttl=N time=0.003 addrs=a,b names=x,y found=N
 * loop=0 (found: records of the type in the answer; loop: 1 for a CNAME loop)
 * with " detail=TEXT" appended when c-ares said why. A summary line
 * "dnsq: server=... queries=N total=S settled_in_submit=N" goes to stderr
 * (the last: queries with an outcome before the loop ran, always 0). Exit 0
 * when the queries ran (whatever their outcomes), 1 on setup failure, 2 on
 * usage. */
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <unistd.h>

#include "addr.h"
#include "deadline.h"
#include "dns.h"
#include "loop.h"
#include "num.h"

static int usage(const char *why)
{
	fprintf(stderr,
		"dnsq: %s\nusage: dnsq [-f] [-s SERVER] [-T TIMEOUT_MS] "
		"[-r TRIES] NAME TYPE [NAME TYPE ...]\n",
		why);
	return 2;
}

static int parse_type(const char *s, enum dns_type *t)
{
	static const enum dns_type all[] = {DNS_A, DNS_AAAA, DNS_NS, DNS_CNAME,
					    DNS_PTR};

	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		if (strcasecmp(s, dns_type_name(all[i])) == 0) {
			*t = all[i];
			return 0;
		}
	return -1;
}

static void print_query(const struct dns_query *q)
{
	char a[ADDR_STRLEN];

	printf("%s %s %s rcode=%d ttl=%u time=%.3f addrs=", q->name,
	       dns_type_name(q->type), dns_outcome_name(q->outcome), q->rcode,
	       q->ttl_s, q->elapsed_s);
	for (size_t i = 0; i < q->naddrs; i++)
		printf("%s%s", i ? "," : "",
		       addr_format((const struct sockaddr *)&q->addrs[i], a,
				   sizeof a));
	printf(" names=");
	for (size_t i = 0; i < q->nnames; i++)
		printf("%s%s", i ? "," : "", q->names[i]);
	printf(" found=%zu loop=%d", q->nfound, q->cname_loop);
	if (q->detail[0])
		printf(" detail=%s", q->detail);
	printf("\n");
}

int main(int argc, char **argv)
{
	struct host server, *sp = NULL;
	struct dns_opts o = {0};
	char err[256];
	long v;
	int c;

	deadline_start("DNSQ", 10000, STATE_UNKNOWN);
	while ((c = getopt(argc, argv, "fs:T:r:")) != -1) {
		switch (c) {
		case 'f':
			o.hosts = true;
			break;
		case 's':
			if (addr_parse_host(optarg, true, &server, err,
					    sizeof err) < 0)
				return usage(err);
			sp = &server;
			break;
		case 'T':
			if (num_long(optarg, 1, 60000, &o.timeout_ms, err,
				     sizeof err) < 0)
				return usage(err);
			break;
		case 'r':
			if (num_long(optarg, 1, 10, &v, err, sizeof err) < 0)
				return usage(err);
			o.tries = (int)v;
			break;
		default:
			return usage("bad option");
		}
	}
	size_t n = (size_t)(argc - optind) / 2;
	if (n == 0 || (argc - optind) % 2)
		return usage("NAME TYPE pairs expected");

	struct dns_query *qs = calloc(n, sizeof *qs);
	if (!qs)
		return 1;
	for (size_t i = 0; i < n; i++) {
		snprintf(qs[i].name, sizeof qs[i].name, "%s",
			 argv[optind + 2 * i]);
		if (parse_type(argv[optind + 2 * i + 1], &qs[i].type) < 0) {
			free(qs);
			return usage("TYPE is one of A, AAAA, NS, CNAME, PTR");
		}
	}

	struct loop l;
	loop_init(&l);
	struct dns_ctx *ctx = dns_new(&l, sp, &o, err, sizeof err);
	if (!ctx) {
		fprintf(stderr, "dnsq: %s\n", err);
		free(qs);
		return 1;
	}
	double t0 = mono_now_s();
	size_t early = 0;
	for (size_t i = 0; i < n; i++) {
		dns_submit(ctx, &qs[i]);
		early += qs[i].outcome != DNS_PENDING;
	}
	loop_run(&l, dns_idle, ctx, -1);
	dns_finish(ctx);
	double total = mono_now_s() - t0;

	for (size_t i = 0; i < n; i++)
		print_query(&qs[i]);
	fprintf(
	    stderr,
	    "dnsq: server=%s queries=%zu total=%.3f settled_in_submit=%zu\n",
	    dns_server_name(ctx), n, total, early);
	dns_free(ctx);
	loop_free(&l);
	free(qs);
	return 0;
}
