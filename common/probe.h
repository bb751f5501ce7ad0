/* probe: many TCP connects at once on the shared poll loop, each one
 * classified the way an operator reads it:
 *   answered     the handshake completed: something listens there;
 *   refused      a reset (or ICMP port unreachable): the host is up, the
 *                port is closed;
 *   unreachable  an ICMP error or a local routing failure, with the ICMP
 *                type and code and who sent it when one arrived
 *                (IP_RECVERR / IPV6_RECVERR error queue, RFC 792, RFC 4443);
 *   timeout      nothing came back: the address is dead or filtered.
 * At most max_concurrency sockets are open at once; the rest wait in a queue
 * and start as others finish. Each probe's timeout and elapsed time count
 * from its own connect(), so waiting in the queue never inflates a time.
 * No privileges needed. */
#ifndef V6OPS_PROBE_H
#define V6OPS_PROBE_H

#include <stdbool.h>
#include <net/if.h>
#include <stddef.h>
#include <sys/socket.h>

#include "loop.h"

enum probe_outcome {
	PROBE_PENDING = 0, /* queued or in flight */
	PROBE_ANSWERED,
	PROBE_REFUSED,
	PROBE_UNREACHABLE,
	PROBE_TIMEOUT,
	PROBE_ERROR,   /* could not even try: no socket (err says why) */
	PROBE_NOT_RUN, /* still queued when the time ran out */
};

struct probe {
	/* set by the caller */
	struct sockaddr_storage sa; /* address and port */
	/* results */
	enum probe_outcome outcome;
	int err;		  /* errno of a failure, 0 otherwise */
	int icmp_type, icmp_code; /* the ICMP error that ended it; -1: none */
	struct sockaddr_storage offender; /* its sender; ss_family 0: none */
	double elapsed_s;		  /* from connect() to the outcome */
	/* private */
	bool is_echo;
	struct icmp_probe *echo;
	int fd;
	double started_s;
	struct probe_set *set;
};

struct probe_opts {
	long timeout_ms;	/* per probe; default 2000 when 0 */
	size_t max_concurrency; /* sockets open at once; default 64 when 0 */
	/* --source: TCP probes of a family leave from its address (sa_family
	 * 0: the kernel's choice); --interface: through that device
	 * (SO_BINDTODEVICE), "" for any. A bind that fails is PROBE_ERROR. */
	struct sockaddr_storage source4, source6;
	char iface[IF_NAMESIZE];
};

struct probe_set;

/* A probe set on loop l (it takes one loop timer). NULL on failure with
 * the reason in err. */
struct probe_set *probe_new(struct loop *l, const struct probe_opts *o,
			    char *err, size_t errlen);

/* Starts a TCP connect to p->sa now, or queues it when max_concurrency
 * sockets are open. p must stay valid until its outcome is set. */
void probe_tcp(struct probe_set *s, struct probe *p);

/* ICMP echo through common/icmp, into the same struct probe: answered
 * (echo reply), unreachable (an ICMP error: type, code, sender), timeout.
 * One socket per family carries every echo at once, so max_concurrency
 * does not apply. probe_echo_open() opens both families' sockets (an
 * unprivileged ping socket, else a raw one with CAP_NET_RAW): call it first
 * in main(). A family whose socket cannot open keeps the reason in err[k]
 * ([0] IPv4, [1] IPv6), and its echoes end as PROBE_ERROR. */
struct probe_echo {
	struct icmp_sock *sock[2];
	char err[2][200];
};

void probe_echo_open(struct probe_echo *e);

/* Lets set s send echoes on e's sockets. 0, or -1 (no loop room). */
int probe_use_echo(struct probe_set *s, struct probe_echo *e, char *err,
		   size_t errlen);

/* Sends one echo request to p->sa (its port is ignored). */
void probe_echo(struct probe_set *s, struct probe *p);

void probe_echo_close(struct probe_echo *e);

/* The set's own probe of sa, a TCP connect to its port or, with echo, an
 * ICMP echo, started on first use. Asked again for the same sa and kind,
 * it returns the same probe: an address that many names share is probed
 * once. Owned by the set, valid until probe_free(); NULL when out of
 * memory. */
struct probe *probe_get(struct probe_set *s, const struct sockaddr_storage *sa,
			bool echo);

/* True when nothing is queued or in flight (connects and echoes). Suitable for
 * loop_run(). */
bool probe_idle(void *set);

/* Ends the run: probes in flight become PROBE_TIMEOUT (with the time they
 * had), queued ones PROBE_NOT_RUN. Echoes in flight time out too. */
void probe_finish(struct probe_set *s);

/* -v: one line per probe probe_get() made, on stderr ("probe: ADDRESS
 * answered on tcp/80 in 0.001 s"). Call after probe_finish(). */
void probe_log(const struct probe_set *s);

/* Finishes, closes every socket, releases the loop timer and frees the
 * probes probe_get() made. */
void probe_free(struct probe_set *s);

/* TCP ports, as many "-p PORT[,PORT...]" options give them (1..65535). */
#define PROBE_MAX_PORTS 16
struct probe_ports {
	long v[PROBE_MAX_PORTS];
	size_t n;
};

/* An OPT_CUSTOM parse function (common/opt.h): appends arg's ports to the
 * struct probe_ports at target. 0, or -1 with the reason in err. */
int probe_parse_ports(const char *arg, void *target, char *err, size_t errlen);

/* "answered", "refused", "unreachable", "timeout", "error", "not run". */
const char *probe_outcome_name(enum probe_outcome o);

/* Why a probe failed, in words: "connection refused", "ICMPv6 address
 * unreachable from 2001:db8:c::1", "No route to host"; "" when it
 * answered or is pending. Returns buf. */
const char *probe_reason(const struct probe *p, char *buf, size_t len);

/* The outcome of p in one phrase naming what was probed ("tcp/443" from
 * p->sa's port, or "ICMP echo"): "answered on tcp/443 in 0.001 s", "no
 * answer on tcp/443 in 2 s", "refused on tcp/443 in 0.001 s (connection
 * refused)", "unreachable on tcp/443 in 1.2 s (ICMPv6 address unreachable
 * from 2001:db8:b::1)". Returns buf. */
const char *probe_describe(const struct probe *p, char *buf, size_t len);

/* The words for an ICMP or ICMPv6 error (family AF_INET / AF_INET6):
 * "host unreachable", "administratively prohibited", ... */
const char *probe_icmp_name(int family, int type, int code);

#endif
