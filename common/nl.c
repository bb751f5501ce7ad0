/* nl: rtnetlink reading and parsing (see nl.h). */
#include "nl.h"

#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/fib_rules.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "deadline.h"
#include "log.h"

#define NL_BUF_LEN 65536

struct nl {
	struct mnl_socket *s;
	unsigned portid, seq;
	char buf[NL_BUF_LEN];
};

/* --- addresses ------------------------------------------------------------ */

void nl_ip_from_sockaddr(struct nl_ip *ip, const struct sockaddr_storage *sa)
{
	memset(ip, 0, sizeof *ip);
	if (sa->ss_family == AF_INET) {
		ip->family = AF_INET;
		ip->v4 = ((const struct sockaddr_in *)sa)->sin_addr;
	} else if (sa->ss_family == AF_INET6) {
		ip->family = AF_INET6;
		ip->v6 = ((const struct sockaddr_in6 *)sa)->sin6_addr;
	}
}

void nl_ip_to_sockaddr(const struct nl_ip *ip, int ifindex,
		       struct sockaddr_storage *sa)
{
	memset(sa, 0, sizeof *sa);
	if (ip->family == AF_INET) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)sa;
		s4->sin_family = AF_INET;
		s4->sin_addr = ip->v4;
	} else if (ip->family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)sa;
		s6->sin6_family = AF_INET6;
		s6->sin6_addr = ip->v6;
		if (IN6_IS_ADDR_LINKLOCAL(&ip->v6))
			s6->sin6_scope_id = (uint32_t)ifindex;
	}
}

static size_t ip_len(int family)
{
	return family == AF_INET6 ? 16 : family == AF_INET ? 4 : 0;
}

bool nl_ip_equal(const struct nl_ip *a, const struct nl_ip *b)
{
	return a->family && a->family == b->family &&
	       !memcmp(&a->v6, &b->v6, ip_len(a->family));
}

bool nl_ip_in_prefix(const struct nl_ip *addr, const struct nl_ip *prefix,
		     unsigned len)
{
	const uint8_t *a = (const uint8_t *)&addr->v6;
	const uint8_t *p = (const uint8_t *)&prefix->v6;

	if (!addr->family || addr->family != prefix->family ||
	    len > 8 * ip_len(addr->family))
		return false;
	for (unsigned i = 0; i < len / 8; i++)
		if (a[i] != p[i])
			return false;
	if (len % 8) {
		uint8_t mask = (uint8_t)(0xff << (8 - len % 8));
		if ((a[len / 8] & mask) != (p[len / 8] & mask))
			return false;
	}
	return true;
}

const char *nl_ip_format(const struct nl_ip *ip, char *buf, size_t len)
{
	if (!ip->family || !inet_ntop(ip->family, &ip->v6, buf, (socklen_t)len))
		snprintf(buf, len, "?");
	return buf;
}

/* An address attribute of exactly the family's length. */
static int get_ip(const struct nlattr *a, int family, struct nl_ip *ip)
{
	size_t n = ip_len(family);

	if (!a)
		return 0;
	if (!n || mnl_attr_get_payload_len(a) != n)
		return -1;
	ip->family = family;
	memcpy(&ip->v6, mnl_attr_get_payload(a), n);
	return 0;
}

static int get_u32(const struct nlattr *a, uint32_t *v)
{
	if (!a)
		return 0;
	if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
		return -1;
	*v = mnl_attr_get_u32(a);
	return 0;
}

static int get_name(const struct nlattr *a, char *name, size_t len)
{
	if (!a)
		return 0;
	if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) < 0)
		return -1;
	snprintf(name, len, "%s", mnl_attr_get_str(a));
	return 0;
}

/* --- parsing ----------------------------------------------------------------
 */

struct attrs {
	const struct nlattr *tb[64];
	unsigned max;
};

static int attr_cb(const struct nlattr *a, void *data)
{
	struct attrs *t = data;
	unsigned type = mnl_attr_get_type(a);

	if (type <= t->max && type < sizeof t->tb / sizeof t->tb[0])
		t->tb[type] = a;
	return MNL_CB_OK;
}

static bool keep_route(const struct nl_view *v, const struct nl_route *r)
{
	if (r->dst_len == 0)
		return true;
	for (size_t i = 0; i < v->nroute_keep; i++)
		if (nl_ip_in_prefix(&v->route_keep[i], &r->dst, r->dst_len))
			return true;
	return false;
}

static void add_route(struct nl_view *v, const struct nl_route *r)
{
	if (!keep_route(v, r))
		return;
	if (v->nroute >= NL_MAX_ROUTES) {
		v->dropped++;
		return;
	}
	v->route[v->nroute++] = *r;
}

/* RTA_MULTIPATH: a run of struct rtnexthop, each followed by its own
 * attributes. Every step must make progress (STYLE habit 7). */
static int parse_multipath(struct nl_view *v, const struct nl_route *base,
			   const struct nlattr *mp)
{
	const uint8_t *p = mnl_attr_get_payload(mp);
	size_t left = mnl_attr_get_payload_len(mp);
	unsigned n = 0;

	while (left >= sizeof(struct rtnexthop)) {
		struct rtnexthop nh;
		memcpy(&nh, p, sizeof nh);
		if (nh.rtnh_len < sizeof nh || nh.rtnh_len > left)
			return -1;
		struct nl_route r = *base;
		struct attrs t = {.max = RTA_MAX};
		r.nexthop = ++n;
		r.oif = nh.rtnh_ifindex;
		r.flags = base->flags | nh.rtnh_flags;
		if (mnl_attr_parse_payload(p + sizeof nh,
					   nh.rtnh_len - sizeof nh, attr_cb,
					   &t) < 0 ||
		    get_ip(t.tb[RTA_GATEWAY], r.family, &r.gw) < 0)
			return -1;
		add_route(v, &r);
		size_t step = RTNH_ALIGN(nh.rtnh_len);
		if (step >= left)
			break;
		p += step;
		left -= step;
	}
	return n ? 0 : -1;
}

static int parse_route(struct nl_view *v, const struct nlmsghdr *h)
{
	struct rtmsg rtm;
	struct attrs t = {.max = RTA_MAX};
	struct nl_route r = {0};

	if (mnl_nlmsg_get_payload_len(h) < sizeof rtm)
		return -1;
	memcpy(&rtm, mnl_nlmsg_get_payload(h), sizeof rtm);
	if (rtm.rtm_family != AF_INET && rtm.rtm_family != AF_INET6)
		return 0;
	if (rtm.rtm_flags & RTM_F_CLONED)
		return 0; /* a cache entry, not the table */
	if (mnl_attr_parse(h, sizeof rtm, attr_cb, &t) < 0)
		return -1;
	r.family = rtm.rtm_family;
	r.type = rtm.rtm_type;
	r.protocol = rtm.rtm_protocol;
	r.scope = rtm.rtm_scope;
	r.dst_len = rtm.rtm_dst_len;
	r.table = rtm.rtm_table;
	r.flags = rtm.rtm_flags;
	r.dst.family = r.family; /* all zero: the default route */
	uint32_t oif = 0;
	if (r.dst_len > 8 * ip_len(r.family) ||
	    get_ip(t.tb[RTA_DST], r.family, &r.dst) < 0 ||
	    get_ip(t.tb[RTA_GATEWAY], r.family, &r.gw) < 0 ||
	    get_u32(t.tb[RTA_TABLE], &r.table) < 0 ||
	    get_u32(t.tb[RTA_PRIORITY], &r.metric) < 0 ||
	    get_u32(t.tb[RTA_OIF], &oif) < 0)
		return -1;
	r.oif = (int)oif;
	if (t.tb[RTA_MULTIPATH])
		return parse_multipath(v, &r, t.tb[RTA_MULTIPATH]);
	add_route(v, &r);
	return 0;
}

static int parse_rule(struct nl_view *v, const struct nlmsghdr *h)
{
	struct fib_rule_hdr frh;
	struct attrs t = {.max = FRA_MAX};
	struct nl_rule r = {.suppress_prefixlen = -1};
	uint32_t sp = UINT32_MAX;

	if (mnl_nlmsg_get_payload_len(h) < sizeof frh)
		return -1;
	memcpy(&frh, mnl_nlmsg_get_payload(h), sizeof frh);
	if (frh.family != AF_INET && frh.family != AF_INET6)
		return 0;
	if (mnl_attr_parse(h, sizeof frh, attr_cb, &t) < 0)
		return -1;
	r.family = frh.family;
	r.dst_len = frh.dst_len;
	r.src_len = frh.src_len;
	r.table = frh.table;
	r.action = frh.action;
	r.flags = frh.flags;
	if (r.dst_len > 8 * ip_len(r.family) ||
	    r.src_len > 8 * ip_len(r.family) ||
	    get_ip(t.tb[FRA_DST], r.family, &r.dst) < 0 ||
	    get_ip(t.tb[FRA_SRC], r.family, &r.src) < 0 ||
	    get_u32(t.tb[FRA_PRIORITY], &r.priority) < 0 ||
	    get_u32(t.tb[FRA_TABLE], &r.table) < 0 ||
	    get_u32(t.tb[FRA_FWMARK], &r.fwmark) < 0 ||
	    get_u32(t.tb[FRA_SUPPRESS_PREFIXLEN], &sp) < 0 ||
	    get_name(t.tb[FRA_IIFNAME], r.iif, sizeof r.iif) < 0 ||
	    get_name(t.tb[FRA_OIFNAME], r.oif, sizeof r.oif) < 0)
		return -1;
	r.has_fwmark = t.tb[FRA_FWMARK] != NULL;
	r.suppress_prefixlen = sp == UINT32_MAX ? -1 : (int)sp;
	if (!r.dst.family)
		r.dst.family = r.family;
	if (!r.src.family)
		r.src.family = r.family;
	if (v->nrule >= NL_MAX_RULES) {
		v->dropped++;
		return 0;
	}
	v->rule[v->nrule++] = r;
	return 0;
}

static int parse_neigh(struct nl_view *v, const struct nlmsghdr *h)
{
	struct ndmsg nd;
	struct attrs t = {.max = NDA_MAX};
	struct nl_neigh n = {0};
	bool keep = false;

	if (mnl_nlmsg_get_payload_len(h) < sizeof nd)
		return -1;
	memcpy(&nd, mnl_nlmsg_get_payload(h), sizeof nd);
	if (nd.ndm_family != AF_INET && nd.ndm_family != AF_INET6)
		return 0;
	if (mnl_attr_parse(h, sizeof nd, attr_cb, &t) < 0 ||
	    get_ip(t.tb[NDA_DST], nd.ndm_family, &n.addr) < 0)
		return -1;
	n.family = nd.ndm_family;
	n.ifindex = nd.ndm_ifindex;
	n.state = nd.ndm_state;
	n.flags = nd.ndm_flags;
	n.has_lladdr = t.tb[NDA_LLADDR] != NULL;
	for (size_t i = 0; i < v->nneigh_keep; i++)
		if (nl_ip_equal(&v->neigh_keep[i], &n.addr))
			keep = true;
	if (!keep)
		return 0;
	if (v->nneigh >= NL_MAX_NEIGHS) {
		v->dropped++;
		return 0;
	}
	v->neigh[v->nneigh++] = n;
	return 0;
}

static int parse_link(struct nl_view *v, const struct nlmsghdr *h)
{
	struct ifinfomsg ifi;
	struct attrs t = {.max = IFLA_MAX};
	struct nl_link l = {0};
	bool keep = v->nlink_keep == 0;

	if (mnl_nlmsg_get_payload_len(h) < sizeof ifi)
		return -1;
	memcpy(&ifi, mnl_nlmsg_get_payload(h), sizeof ifi);
	if (mnl_attr_parse(h, sizeof ifi, attr_cb, &t) < 0 ||
	    get_name(t.tb[IFLA_IFNAME], l.name, sizeof l.name) < 0)
		return -1;
	if (t.tb[IFLA_OPERSTATE]) {
		if (mnl_attr_validate(t.tb[IFLA_OPERSTATE], MNL_TYPE_U8) < 0)
			return -1;
		l.operstate = mnl_attr_get_u8(t.tb[IFLA_OPERSTATE]);
	}
	l.ifindex = ifi.ifi_index;
	l.flags = ifi.ifi_flags;
	for (size_t i = 0; i < v->nlink_keep; i++)
		if (v->link_keep[i] == l.ifindex)
			keep = true;
	if (!keep)
		return 0;
	if (v->nlink >= NL_MAX_LINKS) {
		v->dropped++;
		return 0;
	}
	v->link[v->nlink++] = l;
	return 0;
}

static int data_cb(const struct nlmsghdr *h, void *data)
{
	struct nl_view *v = data;
	int rc = 0;

	switch (h->nlmsg_type) {
	case RTM_NEWROUTE:
		rc = parse_route(v, h);
		break;
	case RTM_NEWRULE:
		rc = parse_rule(v, h);
		break;
	case RTM_NEWNEIGH:
		rc = parse_neigh(v, h);
		break;
	case RTM_NEWLINK:
		rc = parse_link(v, h);
		break;
	default:
		break;
	}
	if (rc < 0)
		v->malformed++;
	return MNL_CB_OK;
}

/* The length of the run of whole messages at the start of buf. libmnl
 * trusts nlmsg_len too far for hostile input: mnl_nlmsg_ok() compares it as
 * an int, so a length above INT_MAX passes and the walk leaves the buffer;
 * and its attribute walk ends at the aligned tail of a message, so an
 * unaligned last message lets an attribute run past the buffer. Every
 * length is checked here first, in size_t, padding included (the kernel
 * always pads). */
static size_t whole_messages(const uint8_t *buf, size_t len)
{
	size_t off = 0;

	while (len - off >= sizeof(struct nlmsghdr)) {
		struct nlmsghdr h;
		memcpy(&h, buf + off, sizeof h);
		/* Not NLMSG_ALIGN(): its mask is an unsigned int, and
		 * 0xfffffffd aligns to 0 in size_t (found by fuzzing). */
		if (h.nlmsg_len < sizeof h || h.nlmsg_len > len - off)
			break;
		size_t step = ((size_t)h.nlmsg_len + 3) & ~(size_t)3;
		if (step > len - off)
			break;
		off += step;
	}
	return off;
}

enum nl_parse_result nl_parse(struct nl_view *v, const void *buf, size_t len,
			      uint32_t seq, uint32_t portid, int *kernel_errno)
{
	size_t whole = whole_messages(buf, len);

	*kernel_errno = 0;
	if (whole < len)
		v->malformed++; /* the rest is cut short or lies about its size
				 */
	if (whole == 0)
		return NL_ERROR;
	errno = 0;
	int rc = mnl_cb_run(buf, whole, seq, portid, data_cb, v);
	if (rc == MNL_CB_ERROR) {
		*kernel_errno = errno;
		return NL_ERROR;
	}
	return rc == MNL_CB_STOP ? NL_DONE : NL_MORE;
}

/* --- names -------------------------------------------------------------------
 */

const char *nl_nud_name(uint16_t state)
{
	static const struct {
		uint16_t bit;
		const char *name;
	} nud[] = {
	    {NUD_REACHABLE, "REACHABLE"}, {NUD_STALE, "STALE"},
	    {NUD_DELAY, "DELAY"},	  {NUD_PROBE, "PROBE"},
	    {NUD_FAILED, "FAILED"},	  {NUD_INCOMPLETE, "INCOMPLETE"},
	    {NUD_NOARP, "NOARP"},	  {NUD_PERMANENT, "PERMANENT"},
	};
	for (size_t i = 0; i < sizeof nud / sizeof nud[0]; i++)
		if (state & nud[i].bit)
			return nud[i].name;
	return "NONE";
}

const char *nl_rtn_name(uint8_t type)
{
	switch (type) {
	case RTN_UNICAST:
		return "unicast";
	case RTN_LOCAL:
		return "local";
	case RTN_BROADCAST:
		return "broadcast";
	case RTN_ANYCAST:
		return "anycast";
	case RTN_MULTICAST:
		return "multicast";
	case RTN_BLACKHOLE:
		return "blackhole";
	case RTN_UNREACHABLE:
		return "unreachable";
	case RTN_PROHIBIT:
		return "prohibit";
	case RTN_THROW:
		return "throw";
	case RTN_NAT:
		return "nat";
	default:
		return "unknown";
	}
}

const char *nl_table_name(uint32_t table, char *buf, size_t len)
{
	if (table == RT_TABLE_MAIN)
		snprintf(buf, len, "main");
	else if (table == RT_TABLE_LOCAL)
		snprintf(buf, len, "local");
	else if (table == RT_TABLE_DEFAULT)
		snprintf(buf, len, "default");
	else
		snprintf(buf, len, "%u", table);
	return buf;
}

const char *nl_rule_action_name(uint8_t action)
{
	switch (action) {
	case FR_ACT_TO_TBL:
		return "lookup";
	case FR_ACT_GOTO:
		return "goto";
	case FR_ACT_NOP:
		return "nop";
	case FR_ACT_BLACKHOLE:
		return "blackhole";
	case FR_ACT_UNREACHABLE:
		return "unreachable";
	case FR_ACT_PROHIBIT:
		return "prohibit";
	default:
		return "unknown";
	}
}

static void append(char *buf, size_t len, const char *fmt, const char *a,
		   unsigned n)
{
	size_t used = strlen(buf);
	if (used < len)
		snprintf(buf + used, len - used, fmt, a, n);
}

const char *nl_rule_format(const struct nl_rule *r, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN], t[16];

	snprintf(buf, len, "%u:", r->priority);
	if (r->flags & FIB_RULE_INVERT)
		append(buf, len, " not%s", "", 0);
	if (r->src_len)
		append(buf, len, " from %s/%u",
		       nl_ip_format(&r->src, a, sizeof a), r->src_len);
	else
		append(buf, len, " from all%s", "", 0);
	if (r->dst_len)
		append(buf, len, " to %s/%u",
		       nl_ip_format(&r->dst, a, sizeof a), r->dst_len);
	if (r->iif[0])
		append(buf, len, " iif %s", r->iif, 0);
	if (r->oif[0])
		append(buf, len, " oif %s", r->oif, 0);
	if (r->has_fwmark)
		append(buf, len, " fwmark %s%u", "", r->fwmark);
	append(buf, len, " %s", nl_rule_action_name(r->action), 0);
	if (r->action == FR_ACT_TO_TBL)
		append(buf, len, " %s", nl_table_name(r->table, t, sizeof t),
		       0);
	if (r->suppress_prefixlen >= 0)
		append(buf, len, " suppress_prefixlength %s%u", "",
		       (unsigned)r->suppress_prefixlen);
	return buf;
}

const char *nl_route_format(const struct nl_route *r, const char *ifname,
			    char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN], t[16];

	buf[0] = '\0';
	if (r->type != RTN_UNICAST)
		append(buf, len, "%s ", nl_rtn_name(r->type), 0);
	if (r->dst_len)
		append(buf, len, "%s/%u", nl_ip_format(&r->dst, a, sizeof a),
		       r->dst_len);
	else
		append(buf, len, "default%s", "", 0);
	if (r->gw.family)
		append(buf, len, " via %s", nl_ip_format(&r->gw, a, sizeof a),
		       0);
	/* A blackhole's "dev lo" and IPv6's metric 1024 say nothing. */
	if (r->type == RTN_UNICAST && ifname && ifname[0])
		append(buf, len, " dev %s", ifname, 0);
	else if (r->type == RTN_UNICAST && r->oif)
		append(buf, len, " dev #%s%u", "", (unsigned)r->oif);
	if (r->table != RT_TABLE_MAIN)
		append(buf, len, " table %s",
		       nl_table_name(r->table, t, sizeof t), 0);
	if (r->metric && r->type == RTN_UNICAST)
		append(buf, len, " metric %s%u", "", r->metric);
	if (r->flags & RTNH_F_DEAD)
		append(buf, len, " dead%s", "", 0);
	if (r->flags & RTNH_F_LINKDOWN)
		append(buf, len, " linkdown%s", "", 0);
	return buf;
}

const struct nl_link *nl_view_link(const struct nl_view *v, int ifindex)
{
	for (size_t i = 0; i < v->nlink; i++)
		if (v->link[i].ifindex == ifindex)
			return &v->link[i];
	return NULL;
}

const struct nl_neigh *nl_view_neigh(const struct nl_view *v,
				     const struct nl_ip *addr, int ifindex)
{
	for (size_t i = 0; i < v->nneigh; i++)
		if (nl_ip_equal(&v->neigh[i].addr, addr) &&
		    (!ifindex || v->neigh[i].ifindex == ifindex))
			return &v->neigh[i];
	return NULL;
}

/* --- policy routing replayed ---------------------------------------------- */

/* Does rule r select a packet this host sends to dst? Selectors a locally
 * sent packet cannot meet (an input interface other than lo, a mark, a
 * source prefix we do not know yet) count as not matching. */
static bool rule_matches(const struct nl_rule *r, const struct nl_ip *dst)
{
	bool m = true;

	if (r->family != dst->family)
		return false;
	if (r->dst_len && !nl_ip_in_prefix(dst, &r->dst, r->dst_len))
		m = false;
	if (r->src_len || r->oif[0] || (r->has_fwmark && r->fwmark) ||
	    (r->iif[0] && strcmp(r->iif, "lo")))
		m = false;
	if (r->flags & FIB_RULE_INVERT)
		m = !m;
	return m;
}

/* Longest prefix, then lowest metric, in one table. */
static const struct nl_route *table_lookup(const struct nl_view *v,
					   uint32_t table,
					   const struct nl_ip *dst,
					   int suppress_prefixlen)
{
	const struct nl_route *best = NULL;

	for (size_t i = 0; i < v->nroute; i++) {
		const struct nl_route *r = &v->route[i];
		if (r->table != table || r->family != dst->family ||
		    !nl_ip_in_prefix(dst, &r->dst, r->dst_len))
			continue;
		if (!best || r->dst_len > best->dst_len ||
		    (r->dst_len == best->dst_len && r->metric < best->metric))
			best = r;
	}
	/* suppress_prefixlength N: a match of length N or less is ignored. */
	if (best && suppress_prefixlen >= 0 &&
	    best->dst_len <= suppress_prefixlen)
		return NULL;
	return best;
}

const struct nl_route *nl_view_lookup(const struct nl_view *v,
				      const struct nl_ip *dst,
				      const struct nl_rule **rule)
{
	const struct nl_rule *order[NL_MAX_RULES];
	size_t n = 0;

	*rule = NULL;
	for (size_t i = 0; i < v->nrule; i++)
		if (v->rule[i].family == dst->family)
			order[n++] = &v->rule[i];
	/* Insertion sort: a handful of rules, stable for equal priorities. */
	for (size_t i = 1; i < n; i++)
		for (size_t k = i;
		     k > 0 && order[k - 1]->priority > order[k]->priority;
		     k--) {
			const struct nl_rule *tmp = order[k];
			order[k] = order[k - 1];
			order[k - 1] = tmp;
		}
	for (size_t i = 0; i < n; i++) {
		const struct nl_rule *r = order[i];
		if (!rule_matches(r, dst))
			continue;
		if (r->action == FR_ACT_BLACKHOLE ||
		    r->action == FR_ACT_UNREACHABLE ||
		    r->action == FR_ACT_PROHIBIT) {
			*rule = r;
			return NULL;
		}
		if (r->action != FR_ACT_TO_TBL)
			continue;
		const struct nl_route *rt =
		    table_lookup(v, r->table, dst, r->suppress_prefixlen);
		if (!rt || rt->type == RTN_THROW)
			continue;
		*rule = r;
		return rt;
	}
	return NULL;
}

/* --- the socket -------------------------------------------------------------
 */

static void log_hex(const char *what, const void *buf, size_t len)
{
	static const char hx[] = "0123456789abcdef";
	char line[2 * 64 + 1];
	const uint8_t *p = buf;

	if (log_verbosity() < 3)
		return;
	vlog(3, "netlink %s %zu bytes:\n", what, len);
	for (size_t off = 0; off < len; off += 64) {
		size_t n = len - off < 64 ? len - off : 64;
		for (size_t i = 0; i < n; i++) {
			line[2 * i] = hx[p[off + i] >> 4];
			line[2 * i + 1] = hx[p[off + i] & 15];
		}
		line[2 * n] = '\0';
		vlog(3, "  %s\n", line);
	}
}

struct nl *nl_open(char *err, size_t errlen)
{
	struct nl *n = calloc(1, sizeof *n);

	if (!n) {
		snprintf(err, errlen, "netlink: out of memory");
		return NULL;
	}
	n->s = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (!n->s || mnl_socket_bind(n->s, 0, MNL_SOCKET_AUTOPID) < 0) {
		snprintf(err, errlen, "cannot open a rtnetlink socket: %s",
			 strerror(errno));
		nl_close(n);
		return NULL;
	}
	n->portid = mnl_socket_get_portid(n->s);
	n->seq = (unsigned)time(NULL);
	return n;
}

void nl_close(struct nl *n)
{
	if (!n)
		return;
	if (n->s)
		mnl_socket_close(n->s);
	free(n);
}

/* Sends the request in n->buf and parses answers until the kernel is done,
 * each read bounded by the deadline. */
static int talk(struct nl *n, struct nlmsghdr *h, struct nl_view *v,
		int *kernel_errno, char *err, size_t errlen)
{
	uint32_t seq = h->nlmsg_seq;

	*kernel_errno = 0;
	log_hex("request", h, h->nlmsg_len);
	if (mnl_socket_sendto(n->s, h, h->nlmsg_len) < 0) {
		snprintf(err, errlen, "netlink send: %s", strerror(errno));
		return -1;
	}
	for (;;) {
		struct pollfd pfd = {.fd = mnl_socket_get_fd(n->s),
				     .events = POLLIN};
		long ms = deadline_remaining_ms();
		if (ms <= 0 || poll(&pfd, 1, (int)ms) <= 0) {
			snprintf(err, errlen,
				 "the kernel did not answer a netlink "
				 "request in time");
			return -1;
		}
		ssize_t got = mnl_socket_recvfrom(n->s, n->buf, sizeof n->buf);
		if (got < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			snprintf(err, errlen, "netlink receive: %s",
				 strerror(errno));
			return -1;
		}
		log_hex("answer", n->buf, (size_t)got);
		enum nl_parse_result r = nl_parse(v, n->buf, (size_t)got, seq,
						  n->portid, kernel_errno);
		if (r == NL_DONE)
			return 0;
		if (r == NL_ERROR) {
			if (!*kernel_errno)
				snprintf(err, errlen,
					 "netlink: an answer that does not "
					 "parse");
			else
				snprintf(err, errlen, "netlink: %s",
					 strerror(*kernel_errno));
			return -1;
		}
	}
}

int nl_dump(struct nl *n, int type, int family, struct nl_view *v, char *err,
	    size_t errlen)
{
	char req[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *h = mnl_nlmsg_put_header(req);
	int kerr;

	h->nlmsg_type = (uint16_t)type;
	h->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	h->nlmsg_seq = ++n->seq;
	switch (type) {
	case RTM_GETROUTE: {
		struct rtmsg *m = mnl_nlmsg_put_extra_header(h, sizeof *m);
		m->rtm_family = (uint8_t)family;
		break;
	}
	case RTM_GETRULE: {
		struct fib_rule_hdr *m =
		    mnl_nlmsg_put_extra_header(h, sizeof *m);
		m->family = (uint8_t)family;
		break;
	}
	case RTM_GETNEIGH: {
		struct ndmsg *m = mnl_nlmsg_put_extra_header(h, sizeof *m);
		m->ndm_family = (uint8_t)family;
		break;
	}
	case RTM_GETLINK: {
		struct ifinfomsg *m = mnl_nlmsg_put_extra_header(h, sizeof *m);
		m->ifi_family = (uint8_t)family;
		break;
	}
	default:
		snprintf(err, errlen, "netlink: cannot dump type %d", type);
		return -1;
	}
	vlog(3, "netlink: dump type %d family %d\n", type, family);
	return talk(n, h, v, &kerr, err, errlen);
}

int nl_route_get(struct nl *n, const struct sockaddr_storage *dst,
		 struct nl_route *out, int *kernel_errno, char *err,
		 size_t errlen)
{
	char req[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *h = mnl_nlmsg_put_header(req);
	struct rtmsg *m;
	struct nl_ip ip;
	struct nl_view *v = calloc(1, sizeof *v);

	if (!v) {
		snprintf(err, errlen, "netlink: out of memory");
		*kernel_errno = 0;
		return -1;
	}
	nl_ip_from_sockaddr(&ip, dst);
	h->nlmsg_type = RTM_GETROUTE;
	h->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	h->nlmsg_seq = ++n->seq;
	m = mnl_nlmsg_put_extra_header(h, sizeof *m);
	m->rtm_family = (uint8_t)ip.family;
	m->rtm_dst_len = (uint8_t)(8 * ip_len(ip.family));
	m->rtm_flags = RTM_F_FIB_MATCH;
	mnl_attr_put(h, RTA_DST, ip_len(ip.family), &ip.v6);
	v->route_keep[0] = ip;
	v->nroute_keep = 1;
	int rc = talk(n, h, v, kernel_errno, err, errlen);
	if (rc == 0 && v->nroute == 0) {
		snprintf(err, errlen, "netlink: the route lookup said nothing");
		rc = -1;
	}
	if (rc == 0)
		*out = v->route[0];
	free(v);
	return rc;
}
