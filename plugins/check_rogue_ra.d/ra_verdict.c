#include "check_rogue_ra.d/ra_verdict.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "addr.h"

#include "check_rogue_ra.d/ra_sock.h"

static bool has_addr(const struct in6_addr *set, size_t n,
		     const struct in6_addr *a)
{
	for (size_t i = 0; i < n; i++)
		if (!memcmp(&set[i], a, sizeof *a))
			return true;
	return false;
}

/* The same addresses, in any order. */
static bool same_set(const struct in6_addr *a, size_t na,
		     const struct in6_addr *b, size_t nb)
{
	for (size_t i = 0; i < na; i++)
		if (!has_addr(b, nb, &a[i]))
			return false;
	for (size_t i = 0; i < nb; i++)
		if (!has_addr(a, na, &b[i]))
			return false;
	return true;
}

/* The operator's settings a known router must match. */
static void settings(const struct ra_router *rt, const char *name,
		     const struct ra_rules *op, struct report *r,
		     const struct about *ab)
{
	const struct ra *ra = &rt->last;

	if (ra->lifetime_s == 0)
		report_add(r, STATE_WARNING, "router_lifetime_zero", ab,
			   "%s stopped being a default router (router "
			   "lifetime 0)",
			   name);
	if (op->flags && (ra->managed != op->want_m || ra->other != op->want_o))
		report_add(r, STATE_WARNING, "flags_mismatch", ab,
			   "%s sets flags %s%s%s, expected %s", name,
			   ra->managed ? "M" : "", ra->other ? "O" : "",
			   ra->managed || ra->other ? "" : "none", op->flags);
	if (op->mtu && (!ra->has_mtu || ra->mtu != (uint32_t)op->mtu)) {
		char got[32] = "no MTU";
		if (ra->has_mtu)
			snprintf(got, sizeof got, "MTU %u", (unsigned)ra->mtu);
		report_add(r, STATE_WARNING, "mtu_mismatch", ab,
			   "%s advertises %s, expected %ld", name, got,
			   op->mtu);
	}
	if (op->nrdnss &&
	    !same_set(ra->rdnss, ra->nrdnss, op->rdnss, op->nrdnss)) {
		char got[200] = "", a[INET6_ADDRSTRLEN];
		for (size_t i = 0; i < ra->nrdnss; i++) {
			addr_rfc5952(&ra->rdnss[i], a, sizeof a);
			snprintf(got + strlen(got), sizeof got - strlen(got),
				 "%s%s", i ? " " : "", a);
		}
		report_add(r, STATE_WARNING, "rdnss_mismatch", ab,
			   "%s advertises DNS servers %s, not the ones of "
			   "--rdnss",
			   name, got[0] ? got : "none");
	}
}

/* One rogue_prefix finding per router with all its foreign prefixes (a
 * flood's routers carry 25 each); one prefix_not_64 per prefix. */
static void prefixes(const struct ra_router *rt, const char *name, bool trusted,
		     const struct ra_rules *op, struct report *r,
		     const struct about *ab)
{
	char foreign[REPORT_ITEM_LEN] = "";
	size_t nforeign = 0;

	for (size_t i = 0; i < rt->nprefix; i++) {
		const struct ra_prefix *p = &rt->prefix[i];
		char pt[INET6_ADDRSTRLEN + 8];
		ra_prefix_text(&p->prefix, p->len, pt, sizeof pt);
		enum ra_prefix_fit fit =
		    ra_policy_prefix(op->prefix, op->nprefix, p);
		bool not64 = p->autonomous && p->len != 64;
		/* A wrong length of our own prefix is a configuration
		 * mistake, reported once as such. */
		if (fit == RA_PREFIX_FOREIGN ||
		    (fit == RA_PREFIX_RELATED && !(not64 && trusted))) {
			size_t have = strlen(foreign);
			snprintf(foreign + have, sizeof foreign - have, "%s%s",
				 nforeign ? ", " : "", pt);
			nforeign++;
		}
		if (not64)
			report_add(r, trusted ? STATE_WARNING : STATE_CRITICAL,
				   "prefix_not_64", ab,
				   "%s advertises %s for autoconfiguration: "
				   "/%u is ignored by SLAAC: hosts get no "
				   "address",
				   name, pt, p->len);
	}
	if (nforeign)
		report_add(r, STATE_CRITICAL, "rogue_prefix", ab,
			   "%s advertises %s not allowed: %s", name,
			   nforeign == 1 ? "a prefix" : "prefixes", foreign);
}

enum ra_known ra_verdict_router(const struct ra_router *rt,
				const struct ra_rules *op, struct report *r)
{
	char name[80], lla[INET6_ADDRSTRLEN], pfx[160], more[240], mac[20];
	struct about ab = {.router = lla, .iface = op->iface};
	const struct ra_router_spec *spec = NULL;

	addr_rfc5952(&rt->lla, lla, sizeof lla);
	ra_router_name(rt, name, sizeof name);
	ra_router_details(rt, more, sizeof more);
	ra_router_prefixes(rt, pfx, sizeof pfx);
	enum ra_known k = ra_policy_router(op->router, op->nrouter, rt, &spec);
	switch (k) {
	case RA_UNKNOWN:
		report_add(r, STATE_CRITICAL, "rogue_router", &ab,
			   "unknown router %s advertises %s, router lifetime "
			   "%u s, preference %s",
			   name, pfx, rt->last.lifetime_s,
			   ra_pref_name(rt->last.pref));
		break;
	case RA_SPOOFED:
		ra_mac_text(spec->mac, mac, sizeof mac);
		report_add(r, STATE_CRITICAL, "router_spoofed", &ab,
			   "%s is spoofed: the known router %s is %s; it "
			   "advertises %s, router lifetime %u s",
			   name, lla, mac, pfx, rt->last.lifetime_s);
		break;
	case RA_KNOWN_NO_MAC:
		report_add(r, STATE_WARNING, "router_mac_missing", &ab,
			   "%s: no MAC known (no frame matched, no link-layer "
			   "address option), so it cannot be checked: %s",
			   name, more);
		break;
	default:
		report_add(r, STATE_OK, "router", &ab, "%s: %s", name, more);
		break;
	}
	bool trusted = k == RA_KNOWN || k == RA_UNCHECKED;
	prefixes(rt, name, trusted, op, r, &ab);
	if (trusted || k == RA_KNOWN_NO_MAC)
		settings(rt, name, op, r, &ab);
	return k;
}

void ra_verdict_bad(const struct ra_seen *s, const struct ra_rules *op,
		    struct report *r)
{
	char src[INET6_ADDRSTRLEN];
	struct about ab = {.router = src, .iface = op->iface};

	for (size_t i = 0; i < s->noffl; i++) {
		const struct ra_bad *b = &s->offlink[i];
		char n[24];
		addr_rfc5952(&b->src, src, sizeof src);
		snprintf(n, sizeof n, "%u RA%s", b->count,
			 b->count == 1 ? "" : "s");
		if (b->envelope == RA_ENV_HOPLIMIT)
			report_add(r, STATE_CRITICAL, "ra_envelope", &ab,
				   "RA with hop limit %d from %s: not from "
				   "this link (%s)",
				   b->hoplimit, src, n);
		else if (b->envelope == RA_ENV_NOT_LINK_LOCAL)
			report_add(r, STATE_CRITICAL, "ra_envelope", &ab,
				   "RA from %s: not a link-local source, so "
				   "not a router on this link (%s)",
				   src, n);
		else if (b->envelope == RA_ENV_CODE)
			report_add(r, STATE_CRITICAL, "ra_envelope", &ab,
				   "RA with code %d from %s: invalid, the code "
				   "must be 0 (%s)",
				   b->code, src, n);
		else
			report_add(r, STATE_CRITICAL, "ra_envelope", &ab,
				   "RA from %s without a hop limit: cannot "
				   "prove it is from this link (%s)",
				   src, n);
	}
	for (size_t i = 0; i < s->nmalformed; i++) {
		const struct ra_bad *b = &s->malformed[i];
		char where[60] = "";
		addr_rfc5952(&b->src, src, sizeof src);
		bool known =
		    ra_policy_address_known(op->router, op->nrouter, &b->src);
		if (b->truncated)
			snprintf(where, sizeof where, " (larger than %d bytes)",
				 RA_PACKET_MAX);
		else if (b->opt_type)
			snprintf(where, sizeof where,
				 " (option type %u at byte %zu)", b->opt_type,
				 b->at);
		report_add(
		    r, known ? STATE_WARNING : STATE_CRITICAL, "ra_malformed",
		    &ab, "%u malformed RA%s from %s%s: %s%s", b->count,
		    b->count == 1 ? "" : "s", known ? "" : "unknown sender ",
		    src, ra_error_text(b->error), where);
	}
}

void ra_verdict_host(int accept_ra, int forwarding, const struct ra_rules *op,
		     struct report *r)
{
	struct about ab = {.iface = op->iface};
	/* The kernel's rule: 1 accepts unless forwarding, 2 always. */
	bool accepts = accept_ra == 2 || (accept_ra == 1 && forwarding == 0);
	char how[64];

	if (accept_ra < 0)
		return;
	snprintf(how, sizeof how, "accept_ra %d, forwarding %d", accept_ra,
		 forwarding);
	if (op->accept_ra == 0 && accepts)
		report_add(r, STATE_WARNING, "accept_ra_mismatch", &ab,
			   "this server accepts RAs on %s (%s): a rogue router "
			   "can change its routes",
			   op->iface, how);
	else if (op->accept_ra == 1 && !accepts)
		report_add(r, STATE_WARNING, "accept_ra_mismatch", &ab,
			   "this host does not accept RAs on %s (%s): it gets "
			   "no route or address from them",
			   op->iface, how);
	else
		report_add(r, STATE_OK, "accept_ra", &ab,
			   "this host %s RAs on %s (%s)",
			   accepts ? "accepts" : "ignores", op->iface, how);
}

void ra_verdict_baseline(const struct ra_seen *s, const struct ra_rules *op,
			 struct report *r)
{
	char line[REPORT_ITEM_LEN], a[INET6_ADDRSTRLEN], mac[20];
	char all[REPORT_SUMMARY_LEN] = "";

	for (size_t i = 0; i < s->nrouter; i++) {
		const struct ra_router *rt = &s->router[i];
		addr_rfc5952(&rt->lla, a, sizeof a);
		snprintf(line, sizeof line, "--router %s", a);
		if (rt->has_mac) {
			ra_mac_text(rt->mac, mac, sizeof mac);
			snprintf(line + strlen(line),
				 sizeof line - strlen(line), "@%s", mac);
		}
		for (size_t k = 0; k < rt->nprefix; k++) {
			char p[INET6_ADDRSTRLEN + 8];
			ra_prefix_text(&rt->prefix[k].prefix, rt->prefix[k].len,
				       p, sizeof p);
			snprintf(line + strlen(line),
				 sizeof line - strlen(line), " --prefix %s", p);
		}
		report_add(r, STATE_OK, "baseline",
			   &(struct about){.router = a, .iface = op->iface},
			   "%s", line);
		snprintf(all + strlen(all), sizeof all - strlen(all), "%s%s",
			 i ? " " : "", line);
	}
	report_summary(r, "baseline of %s: %s", op->iface,
		       all[0] ? all : "no router advertises here");
}
