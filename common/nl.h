/* nl: what the kernel's routing, rule, neighbor and link tables say,
 * through rtnetlink (RFC 3549) with libmnl. No privileges needed: dumps and
 * route lookups are open to every user.
 *
 * Reading is split from parsing: nl_dump() and nl_route_get() talk to the
 * kernel, nl_parse() turns the bytes of one receive buffer into entries of
 * a struct nl_view. nl_parse() is pure, bounds-checked by libmnl (message
 * and attribute lengths), and replayed by unit tests on captured dumps
 * (at -vvv every receive buffer is logged as hex, which is how fixtures
 * are captured).
 *
 * A view keeps only what a check asks for, so a router with a full table
 * or a busy neighbor cache costs memory for the entries of interest only:
 * default routes and routes covering one of route_keep[]; neighbor entries
 * for neigh_keep[]; links by index in link_keep[] (or every link when
 * nlink_keep is 0). Beyond the fixed capacities entries are counted in
 * dropped, never written out of bounds. */
#ifndef V6OPS_NL_H
#define V6OPS_NL_H

#include <net/if.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#define NL_MAX_ROUTES 128
#define NL_MAX_RULES  64
#define NL_MAX_NEIGHS 32
#define NL_MAX_LINKS  32
#define NL_MAX_KEEP   32

/* An IPv4 or IPv6 address; family 0: none. */
struct nl_ip {
	int family;
	union {
		struct in_addr v4;
		struct in6_addr v6;
	};
};

/* One route, or one next hop of a multipath route (nexthop > 0). */
struct nl_route {
	int family;
	uint8_t type; /* RTN_UNICAST, RTN_BLACKHOLE, RTN_UNREACHABLE, ... */
	uint8_t protocol, scope, dst_len;
	uint32_t table;	      /* RTA_TABLE, else rtm_table */
	uint32_t metric;      /* RTA_PRIORITY */
	uint32_t flags;	      /* rtm_flags, or the next hop's: RTNH_F_DEAD,
			       * RTNH_F_LINKDOWN, RTNH_F_ONLINK */
	int oif;	      /* 0: none */
	struct nl_ip dst, gw; /* gw.family 0: no gateway (e.g. "dev eth0") */
	unsigned nexthop;     /* 1..n within a multipath route, else 0 */
};

struct nl_rule {
	int family;
	uint32_t priority, table;
	uint8_t action; /* FR_ACT_TO_TBL, FR_ACT_BLACKHOLE, ... */
	uint8_t dst_len, src_len;
	uint32_t flags; /* FIB_RULE_INVERT */
	struct nl_ip dst, src;
	char iif[IF_NAMESIZE], oif[IF_NAMESIZE];
	uint32_t fwmark;
	bool has_fwmark;
	int suppress_prefixlen; /* -1: none */
};

struct nl_neigh {
	int family;
	int ifindex;
	struct nl_ip addr;
	uint16_t state; /* NUD_REACHABLE, NUD_FAILED, ... */
	uint8_t flags;	/* NTF_ROUTER */
	bool has_lladdr;
};

struct nl_link {
	int ifindex;
	char name[IF_NAMESIZE];
	unsigned flags;	   /* IFF_UP, IFF_LOWER_UP, ... */
	uint8_t operstate; /* IF_OPER_UP, IF_OPER_DOWN, ... */
};

struct nl_view {
	/* filters, set by the caller before parsing */
	struct nl_ip route_keep[NL_MAX_KEEP], neigh_keep[NL_MAX_KEEP];
	size_t nroute_keep, nneigh_keep;
	int link_keep[NL_MAX_KEEP];
	size_t nlink_keep;
	/* what was parsed */
	struct nl_route route[NL_MAX_ROUTES];
	struct nl_rule rule[NL_MAX_RULES];
	struct nl_neigh neigh[NL_MAX_NEIGHS];
	struct nl_link link[NL_MAX_LINKS];
	size_t nroute, nrule, nneigh, nlink;
	size_t dropped;	  /* wanted, but beyond a capacity */
	size_t malformed; /* messages or attributes that did not parse */
};

/* The result of parsing one receive buffer. */
enum nl_parse_result {
	NL_MORE = 1,   /* a dump goes on: read the next buffer */
	NL_DONE = 0,   /* NLMSG_DONE, or an acknowledgement */
	NL_ERROR = -1, /* NLMSG_ERROR from the kernel (*kernel_errno set), or
			* a buffer that is not netlink */
};

/* Parses one buffer of rtnetlink messages (RTM_NEWROUTE, RTM_NEWRULE,
 * RTM_NEWNEIGH, RTM_NEWLINK; others are skipped) into v. seq and portid 0
 * accept any. */
enum nl_parse_result nl_parse(struct nl_view *v, const void *buf, size_t len,
			      uint32_t seq, uint32_t portid, int *kernel_errno);

/* Helpers for keep lists and tests. */
void nl_ip_from_sockaddr(struct nl_ip *ip, const struct sockaddr_storage *sa);
/* ifindex is the IPv6 scope for link-local addresses, 0 otherwise. */
void nl_ip_to_sockaddr(const struct nl_ip *ip, int ifindex,
		       struct sockaddr_storage *sa);
bool nl_ip_equal(const struct nl_ip *a, const struct nl_ip *b);
/* True when addr lies in prefix/len (same family). */
bool nl_ip_in_prefix(const struct nl_ip *addr, const struct nl_ip *prefix,
		     unsigned len);
const char *nl_ip_format(const struct nl_ip *ip, char *buf, size_t len);

/* "REACHABLE", "FAILED", ..., "NONE" for 0. */
const char *nl_nud_name(uint16_t state);
/* "unicast", "blackhole", "unreachable", "prohibit", "throw", ... */
const char *nl_rtn_name(uint8_t type);
/* "main", "local", "default" or the number. */
const char *nl_table_name(uint32_t table, char *buf, size_t len);
/* "blackhole", "unreachable", "prohibit", "lookup", "goto", "nop". */
const char *nl_rule_action_name(uint8_t action);
/* A rule in ip-rule words: "100: to 203.0.113.250 lookup 100". */
const char *nl_rule_format(const struct nl_rule *r, char *buf, size_t len);
/* A route in ip-route words: "blackhole default table 100",
 * "default via fe80::1 dev eth0 metric 1024". ifname may be NULL. */
const char *nl_route_format(const struct nl_route *r, const char *ifname,
			    char *buf, size_t len);

const struct nl_link *nl_view_link(const struct nl_view *v, int ifindex);
const struct nl_neigh *nl_view_neigh(const struct nl_view *v,
				     const struct nl_ip *addr, int ifindex);

/* The kernel's policy routing, replayed on the view for a packet this host
 * sends to dst (no source, mark 0, oif none): the rules by priority, the
 * longest match in each table they name, throw routes passing on. Returns
 * the route used (NULL when none: *rule then says whether a rule itself
 * blackholed, or is NULL too) and the rule that chose it. Used to name what
 * the kernel did, since a lookup that ends in a blackhole or unreachable
 * route returns only an errno. Needs rules and routes in the view. */
const struct nl_route *nl_view_lookup(const struct nl_view *v,
				      const struct nl_ip *dst,
				      const struct nl_rule **rule);

/* The socket side. */
struct nl;

struct nl *nl_open(char *err, size_t errlen);
void nl_close(struct nl *n);

/* Dumps RTM_GETROUTE, RTM_GETRULE, RTM_GETNEIGH or RTM_GETLINK for family
 * (AF_INET, AF_INET6; AF_UNSPEC for links) into v, bounded by the run's
 * deadline. 0, or -1 with the reason in err. */
int nl_dump(struct nl *n, int type, int family, struct nl_view *v, char *err,
	    size_t errlen);

/* Asks the kernel how it would route a packet to dst now (RTM_GETROUTE
 * with RTM_F_FIB_MATCH: the table entry that matched, with its prefix,
 * table and next hops). 0 with the first next hop in *out; or -1 with the
 * kernel's errno in *kernel_errno (EINVAL for a blackhole, EHOSTUNREACH
 * unreachable, EACCES prohibit, ENETUNREACH no route) or 0 and the reason
 * in err when the question itself failed. */
int nl_route_get(struct nl *n, const struct sockaddr_storage *dst,
		 struct nl_route *out, int *kernel_errno, char *err,
		 size_t errlen);

#endif
