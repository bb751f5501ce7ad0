# shellcheck shell=bash
# Part gw: a host behind a gateway, for check_default_route_liveness
# (CONTEXT.md section 5, the default route that is there and forwards
# nothing). An island of its own, joined to no other node:
#
#   gwhost eth0 ---- lan  gw  far ---- eth0 gwfar (the targets, tcp/80)
#   2001:db8:47::10    fe80::1         2001:db8:48::1   2001:db8:48::10
#   198.51.100.242     2001:db8:47::1  203.0.113.249    203.0.113.250
#                      198.51.100.241
#
# gwhost's default routes: via fe80::1 dev eth0 and via 198.51.100.241.
# gw forwards; gwfar runs a small TCP listener on port 80 (both families).
# The faults break the gateway in the ways a table reader cannot see, and
# give gwhost the routing-table oddities the plugin must name.
ALL_PARTS="$ALL_PARTS gw"
FAULTS="$FAULTS
gw-drop-forward|gw|gw drops every packet it should forward (nft) and still answers pings itself
gw-no-forwarding|gw|forwarding switched off on gw (sysctl, both families)
gw-silent-nd|gw|gw sends and answers no ARP and no neighbor discovery on lan; gwhost's entries go INCOMPLETE, then FAILED
gw-dead-second|gw|gwhost gets a second default route per family (metric 2048 / 200, after the real one) via a gateway that does not exist (fe80::99, 198.51.100.246)
gw-v6-default-lost|gw|gwhost's IPv6 default route is deleted; IPv4 stays
gw-rule-blackhole|gw|a policy rule (pref 100) sends gwfar's addresses to table 100, which holds a blackhole default route
gw-link-down|gw|gw's lan interface goes down: gwhost's eth0 loses its carrier, its routes stay (linkdown)"

GW_TARGET6=2001:db8:48::10
GW_TARGET4=203.0.113.250

gw_files() {
	mkdir -p "$STATE/gw"
	# Accepts and closes: enough for a TCP connect probe. The path of
	# this script (under $STATE/) is how `down` finds the process.
	cat >"$STATE/gw/listen.pl" <<-'EOF'
		use strict;
		use warnings;
		use IO::Socket::IP;
		my ($pidfile) = @ARGV;
		my $s = IO::Socket::IP->new(LocalHost => '::', LocalPort => 80,
		    Listen => 64, ReuseAddr => 1, V6Only => 0) or die "listen: $@";
		open my $fh, '>', "$pidfile.tmp" or die "$pidfile: $!";
		print $fh "$$\n";
		close $fh;
		rename "$pidfile.tmp", $pidfile or die "$pidfile: $!";
		while (1) {
		    my $c = $s->accept or next;
		    close $c;
		}
	EOF
}

gw_start() {
	part_nodes gwhost gw gwfar
	nsx gw sysctl -q -w net.ipv6.conf.all.forwarding=1 net.ipv4.ip_forward=1 >/dev/null
	ip -n "$(ns gw)" -batch - <<-EOF
		link add lan type veth peer name eth0 netns $(ns gwhost)
		link add far type veth peer name eth0 netns $(ns gwfar)
		link set lan up
		link set far up
		addr add fe80::1/64 dev lan nodad
		addr add 2001:db8:47::1/64 dev lan nodad
		addr add 198.51.100.241/29 dev lan
		addr add 2001:db8:48::1/64 dev far nodad
		addr add 203.0.113.249/29 dev far
	EOF
	# gw-link-down takes lan down and up again: its global addresses
	# stay (fe80::1 is added back by the fault).
	nsx gw sysctl -q -w net.ipv6.conf.lan.keep_addr_on_down=1 >/dev/null
	ip -n "$(ns gwhost)" -batch - <<-EOF
		link set eth0 up
		addr add 2001:db8:47::10/64 dev eth0 nodad
		addr add 198.51.100.242/29 dev eth0
		route add default via fe80::1 dev eth0
		route add default via 198.51.100.241
	EOF
	ip -n "$(ns gwfar)" -batch - <<-EOF
		link set eth0 up
		addr add $GW_TARGET6/64 dev eth0 nodad
		addr add $GW_TARGET4/29 dev eth0
		route add default via 2001:db8:48::1
		route add default via 203.0.113.249
	EOF
	# gwhost's resolver is gwfar, where nothing answers DNS: a name fails
	# at once (port unreachable) and no query ever leaves the lab.
	mkdir -p "/etc/netns/$(ns gwhost)"
	printf 'nameserver %s\n' "$GW_TARGET6" >"/etc/netns/$(ns gwhost)/resolv.conf"
	nsx gwfar setsid perl "$STATE/gw/listen.pl" "$STATE/gw/listen.pid" \
		</dev/null >>"$STATE/gw/listen.log" 2>&1 &
	wait_file "$STATE/gw/listen.pid" 3 || die "the gwfar listener did not start (see $STATE/gw/listen.log)"
}

# gw_table FAMILY TABLE [BODY]: replace (or remove) one nft table in gw.
gw_table() {
	local fam=$1 table=$2 body=${3:-}
	{
		echo "table $fam $table"
		echo "delete table $fam $table"
		[ -z "$body" ] || printf 'table %s %s {\n%s\n}\n' "$fam" "$table" "$body"
	} | nsx gw nft -f -
}

fault_gw_drop_forward() {
	local body=""
	[ "$1" = on ] && body='chain forward_drop {
		type filter hook forward priority 0; policy drop;
	}'
	gw_table inet lab_gwfwd "$body"
}

fault_gw_no_forwarding() {
	local v=1
	[ "$1" = on ] && v=0
	nsx gw sysctl -q -w "net.ipv6.conf.all.forwarding=$v" "net.ipv4.ip_forward=$v" >/dev/null
}

fault_gw_silent_nd() {
	local body6="" bodyarp=""
	if [ "$1" = on ]; then
		# Both ways: a probe gw sends to gwhost would teach gwhost
		# gw's address again (RFC 4861 7.2.3; ARP does the same).
		body6='chain nd_in {
			type filter hook input priority -300;
			iifname "lan" icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert } drop
		}
		chain nd_out {
			type filter hook output priority -300;
			oifname "lan" icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert } drop
		}'
		bodyarp='chain arp_in {
			type filter hook input priority 0; policy drop;
		}
		chain arp_out {
			type filter hook output priority 0; policy drop;
		}'
	fi
	gw_table inet lab_gwnd "$body6"
	gw_table arp lab_gwarp "$bodyarp"
	# gwhost must resolve the gateway afresh, as it would once its entry
	# aged out.
	ip -n "$(ns gwhost)" neigh flush dev eth0 2>/dev/null || true
}

fault_gw_dead_second() {
	if [ "$1" = on ]; then
		ip -n "$(ns gwhost)" route replace default via 198.51.100.246 dev eth0 metric 200
		ip -n "$(ns gwhost)" -6 route replace default via fe80::99 dev eth0 metric 2048
	else
		ip -n "$(ns gwhost)" route del default via 198.51.100.246 dev eth0 metric 200 2>/dev/null || true
		ip -n "$(ns gwhost)" -6 route del default via fe80::99 dev eth0 metric 2048 2>/dev/null || true
		ip -n "$(ns gwhost)" neigh flush dev eth0 2>/dev/null || true
	fi
}

fault_gw_v6_default_lost() {
	if [ "$1" = on ]; then
		ip -n "$(ns gwhost)" -6 route del default via fe80::1 dev eth0 2>/dev/null || true
	else
		ip -n "$(ns gwhost)" -6 route replace default via fe80::1 dev eth0
	fi
}

fault_gw_rule_blackhole() {
	local f addr
	for f in 4 6; do
		addr=$GW_TARGET4
		[ "$f" = 6 ] && addr=$GW_TARGET6
		ip -n "$(ns gwhost)" -$f rule del pref 100 2>/dev/null || true
		ip -n "$(ns gwhost)" -$f route flush table 100 2>/dev/null || true
		[ "$1" = on ] || continue
		ip -n "$(ns gwhost)" -$f route add blackhole default table 100
		ip -n "$(ns gwhost)" -$f rule add pref 100 to "$addr" lookup 100
	done
}

fault_gw_link_down() {
	if [ "$1" = on ]; then
		ip -n "$(ns gw)" link set lan down
		return
	fi
	ip -n "$(ns gw)" link set lan up
	# keep_addr_on_down keeps global addresses, not link-local ones.
	ip -n "$(ns gw)" addr replace fe80::1/64 dev lan nodad
	# A resolution begun while the carrier was gone ends FAILED seconds
	# later: start the next scenario afresh.
	ip -n "$(ns gwhost)" neigh flush dev eth0 2>/dev/null || true
}
