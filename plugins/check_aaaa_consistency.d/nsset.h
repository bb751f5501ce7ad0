/* nsset: the DNS servers a check asks, and asking them all at once.
 * A set is the system resolver, servers given by address, or the
 * authoritative servers of a zone: every address of every NS, IPv4 and
 * IPv6, each asked on its own (RFC 1034 4.2.1: they must all give the same
 * answers, over either transport). Built on common/dns; for checks that
 * compare what each server says, or that a server answers at all. */
#ifndef V6OPS_NSSET_H
#define V6OPS_NSSET_H

#include <stdbool.h>
#include <stddef.h>

#include "addr.h"
#include "dns.h"
#include "loop.h"

#define NSSET_MAX    16 /* servers (addresses) in a set */
#define NSSET_MAX_NS 8	/* NS names followed for one zone */

struct nsset_server {
	char label[300]; /* "system resolver", "2001:db8::53", "ns1.x
			    (2001:db8::53)" */
	char ns[256];	 /* the NS name; "" for the others */
	int family; /* of the transport; AF_UNSPEC for the system resolver */
	struct host addr; /* unused for the system resolver */
};

struct nsset {
	struct nsset_server v[NSSET_MAX];
	size_t n;
	char zone[256];		   /* nsset_authoritative(): the zone found */
	size_t ns_total, ns_asked; /* NS names found, and followed */
	size_t addrs_total;	   /* NS addresses found (n: those asked) */
	bool cut; /* nsset_authoritative() failed because its limit (or -t)
		     ended a lookup before its own timeout */
	/* nsset_authoritative(): A and AAAA of each NS name, in that order,
	 * asked of the system resolver: a failure here is a finding too. */
	struct dns_query lookups[2 * NSSET_MAX_NS];
	size_t nlookups;
};

/* One query of the matrix nsset_ask() runs. */
struct nsset_job {
	struct dns_query *q;
	size_t server; /* index into set->v */
};

/* Adds the system resolver (h == NULL) or the server at address h (port 53
 * unless h has one). 0, or -1 when the set is full. */
int nsset_add(struct nsset *s, const struct host *h);

/* OPT_CUSTOM parser for "-s ADDRESS[:PORT]": adds to the struct nsset *
 * target, refusing names (a server to ask must not need a lookup). */
int nsset_parse_server(const char *arg, void *target, char *err, size_t errlen);

/* Finds the zone of name, the longest of name and its parents that has NS
 * records, then the addresses of each NS, all through the system resolver,
 * and adds one server per address. All its steps together (one NS query
 * per label, then all the address queries at once) take at most limit_ms,
 * so that what comes after gets the rest. 0, or -1 with the reason in err
 * (no zone, no NS address). */
int nsset_authoritative(struct nsset *s, struct loop *l, const char *name,
			const struct dns_opts *o, long limit_ms, char *err,
			size_t errlen);

/* Submits every job at once, one context per server, and runs l until all
 * have an outcome or limit_ms has passed (pending ones become DNS_TIMEOUT).
 * Servers beyond the loop's free timers are asked in further rounds of
 * limit_ms each; the run's deadline bounds them all. 0, or
 * -1 with the reason in err when a resolver context cannot be made. */
int nsset_ask(const struct nsset *s, struct loop *l, struct nsset_job *jobs,
	      size_t n, const struct dns_opts *o, long limit_ms, char *err,
	      size_t errlen);

/* What one server said to one query, kept small: a zone audit holds one
 * per name, server and type (a struct dns_query is 25 KB). The fields
 * mean what they mean in struct dns_query. */
struct nsset_result {
	const char *name; /* the caller's string */
	enum dns_outcome outcome;
	int rcode;
	double elapsed_s;
	struct sockaddr_storage *addrs; /* malloc'd; naddrs of them */
	size_t naddrs, nfound;		/* nfound > naddrs: answer cut */
	bool cname_loop;
	bool cut; /* -t or the phase's limit ended the wait (or it never
		     started), not the query's own timeout */
	char detail[64];
};

/* One name asked of one server: A and AAAA. */
struct nsset_answer {
	size_t server;		  /* index into set->v */
	struct nsset_result q[2]; /* A, AAAA */
};

/* Asks every name of every server of s, A and AAAA, every A before any
 * AAAA (a server that sits on AAAA queries must not hold up the A answers
 * queued behind them in its context), through a window of queries per
 * server, so memory does not grow with the number of names beyond the
 * results. out[i] gets s->n answers for names[i] (calloc'd; NULL for a
 * name outside s->zone when a zone was found; free with
 * nsset_answers_free()). Queries still out when limit_ms has passed are
 * DNS_TIMEOUT; those never sent then have elapsed_s 0. 0, or -1 with the
 * reason in err. */
int nsset_ask_names(const struct nsset *s, struct loop *l, char *const *names,
		    size_t n, struct nsset_answer **out,
		    const struct dns_opts *o, long limit_ms, char *err,
		    size_t errlen);

/* A resolver answers SERVFAIL for a name whose CNAME chain loops
 * (unbound, BIND): for every name i and server whose A or AAAA query got
 * SERVFAIL, asks that server for the CNAME of the name, then of its
 * target, up to 8 hops, and sets cname_loop on those results when a name
 * comes back. Each hop may take limit_ms; at most 64 names are chased.
 * 0, or -1 with the reason in err. */
int nsset_chase_cnames(const struct nsset *s, struct loop *l,
		       struct nsset_answer **a, size_t n,
		       const struct dns_opts *o, long limit_ms, char *err,
		       size_t errlen);

/* Frees the addresses of n answers, then a itself. */
void nsset_answers_free(struct nsset_answer *a, size_t n);

/* An answer as comparable text: the addresses sorted, "NODATA" or
 * "NXDOMAIN"; "" for anything else (no answer to compare). */
void nsset_answer_text(const struct nsset_result *q, char *buf, size_t len);

/* When the servers disagree on type k (0: A, 1: AAAA) of one name, writes
 * which server said what into buf, grouped by answer, the addresses of one
 * NS together: "servers disagree on AAAA for www.example.com: ns1
 * (192.0.2.53, 2001:db8::53) says 2001:db8::80; ns2 (192.0.2.54), ns3
 * (192.0.2.55) say 2001:db8::81", and returns true.
 * a holds the name's n answers; those of servers with skip[server] set,
 * and those with nothing to compare, are left out. */
bool nsset_disagreement(const struct nsset *s, const struct nsset_answer *a,
			size_t n, int k, const bool *skip, char *buf,
			size_t len);

/* True when name is zone or below it (case-insensitive, trailing dots
 * ignored). */
bool nsset_in_zone(const char *name, const char *zone);

#endif
