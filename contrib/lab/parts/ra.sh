# shellcheck shell=bash
# Part ra: an RA LAN for check_rogue_ra. Sourced by contrib/lab/lab.
#
#   ramon  lan0 fe80::10   02:00:00:00:00:10  the monitoring port, accept_ra 0
#   rartr  lan0 fe80::1    02:00:00:00:00:01  radvd: 2001:db8:1a::/64, MTU 1500,
#                                             RDNSS 2001:db8:1a::53
#   rarogue lan0 fe80::bad:1 02:00:00:00:0b:ad  rogue radvd instances, ra-send,
#           lan1 fe80::bad:2 02:00:00:00:0b:02  flood_router26
#           lan2 fe80::1     02:00:00:00:0b:0e  (the spoofer)
#   raslaac lan0 (EUI-64)  02:00:00:00:00:20  a host that accepts RAs
#   rasw   br0: the switch joining them (no IPv6, no multicast snooping)
#
# Every radvd has its config, pid file and log in $STATE/ra/; the known
# router's faults rewrite its config and reload it (SIGHUP), the rogue ones
# start and stop their own radvd in rarogue.
ALL_PARTS="$ALL_PARTS ra"
FAULTS="$FAULTS
ra-rogue-router|ra|rarogue (fe80::bad:1, 02:00:00:00:0b:ad) advertises 2001:db8:bad::/64, lifetime 1800 s, preference high
ra-rogue-48|ra|rarogue (fe80::bad:1) advertises 2001:db8:bad::/48 for autoconfiguration
ra-second-prefix|ra|a second device (fe80::bad:2) hands out 2001:db8:2a::/64 without being a default router
ra-spoofed|ra|rarogue advertises from the known router's fe80::1 with MAC 02:00:00:00:0b:0e
ra-known-48|ra|the known router advertises its prefix as 2001:db8:1a::/48
ra-known-extra|ra|the known router adds a second prefix, 2001:db8:1b::/64
ra-lifetime-0|ra|the known router advertises router lifetime 0 (stops being a default router)"

# radvd_conf NAME IFACE LIFETIME PREFERENCE PREFIX...: a radvd configuration
# answering each solicitation by unicast at once (multicast answers are
# rate limited to one every 3 s, too slow for test
# runs back to back) and advertising every 3-4 s.
ra_conf() {
	local name=$1 ifc=$2 life=$3 pref=$4 p
	shift 4
	{
		echo "interface $ifc {"
		echo "	AdvSendAdvert on;"
		echo "	MinRtrAdvInterval 3;"
		echo "	MaxRtrAdvInterval 4;"
		echo "	AdvRASolicitedUnicast on;"
		echo "	AdvDefaultLifetime $life;"
		echo "	AdvDefaultPreference $pref;"
		echo "	AdvLinkMTU 1500;"
		for p; do echo "	prefix $p { AdvOnLink on; AdvAutonomous on; };"; done
		echo "	RDNSS 2001:db8:1a::53 { };"
		echo "};"
	} >"$STATE/ra/$name.conf.new"
	mv "$STATE/ra/$name.conf.new" "$STATE/ra/$name.conf"
}

# The known router's configuration from the faults that are on, with
# $1 switched to $2 (cmd_fault records the state only after we return).
ra_legit_conf() {
	local f life=1800 pfx="2001:db8:1a::/64" extra=""
	for f in ra-known-48 ra-known-extra ra-lifetime-0; do
		local on=""
		[ -e "$STATE/faults/$f" ] && on=1
		[ "$f" != "${1:-}" ] || { [ "${2:-}" = on ] && on=1 || on=""; }
		[ -n "$on" ] || continue
		case $f in
		ra-known-48) pfx="2001:db8:1a::/48" ;;
		ra-known-extra) extra="2001:db8:1b::/64" ;;
		ra-lifetime-0) life=0 ;;
		esac
	done
	# shellcheck disable=SC2086
	ra_conf legit lan0 "$life" medium $pfx $extra
}

ra_files() {
	mkdir -p "$STATE/ra"
	ra_legit_conf
	ra_conf rogue-router lan0 1800 high 2001:db8:bad::/64
	ra_conf rogue-48 lan0 1800 medium 2001:db8:bad::/48
	ra_conf second-prefix lan1 0 medium 2001:db8:2a::/64
	ra_conf spoofed lan2 1800 medium 2001:db8:1a::/64
}

ra_radvd_start() {
	local node=$1 name=$2 d=$STATE/ra
	rm -f "$d/$name.pid"
	nsx "$node" radvd -C "$d/$name.conf" -p "$d/$name.pid" -m logfile \
		-l "$d/$name.log" </dev/null >>"$d/$name.log" 2>&1 ||
		die "radvd $name did not start (see $d/$name.log)"
	wait_file "$d/$name.pid" 3 || die "radvd $name wrote no pid file (see $d/$name.log)"
}

ra_radvd_stop() {
	local pid
	if pid=$(pid_of "$STATE/ra/$1.pid"); then kill_pids "$pid"; fi
	rm -f "$STATE/ra/$1.pid"
}

# ra_port NODE IFACE MAC [LLA]: a port of NODE on the switch; with LLA
# the interface gets that link-local address and no generated one.
ra_port() {
	local node=$1 ifc=$2 mac=$3 lla=${4:-}
	ip -n "$(ns "$node")" link add "$ifc" address "$mac" type veth \
		peer name "$node-$ifc" netns "$(ns rasw)"
	ip -n "$(ns rasw)" link set "$node-$ifc" master br0 up
	if [ -n "$lla" ]; then
		ip -n "$(ns "$node")" link set "$ifc" addrgenmode none
		ip -n "$(ns "$node")" addr add "$lla/64" dev "$ifc"
	fi
	ip -n "$(ns "$node")" link set "$ifc" up
}

ra_start() {
	part_nodes ramon rartr rarogue raslaac rasw
	nsx rasw sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1 >/dev/null
	ip -n "$(ns rasw)" link add br0 type bridge mcast_snooping 0
	ip -n "$(ns rasw)" link set br0 up
	# Routers forward, as radvd expects of a router.
	nsx rartr sysctl -q -w net.ipv6.conf.all.forwarding=1 >/dev/null
	nsx rarogue sysctl -q -w net.ipv6.conf.all.forwarding=1 >/dev/null
	ra_port ramon lan0 02:00:00:00:00:10 fe80::10
	ra_port rartr lan0 02:00:00:00:00:01 fe80::1
	ra_port rarogue lan0 02:00:00:00:0b:ad fe80::bad:1
	ra_port rarogue lan1 02:00:00:00:0b:02 fe80::bad:2
	ra_port rarogue lan2 02:00:00:00:0b:0e fe80::1
	# The SLAAC host takes addresses and routes from RAs (forwarding 0).
	nsx raslaac sysctl -q -w net.ipv6.conf.default.accept_ra=1 >/dev/null
	ra_port raslaac lan0 02:00:00:00:00:20
	nsx raslaac sysctl -q -w net.ipv6.conf.lan0.accept_ra=1 >/dev/null
	ip -n "$(ns rartr)" addr add 2001:db8:1a::1/64 dev lan0
	ra_radvd_start rartr legit
}

ra_rogue() {
	local name=$1 state=$2
	if [ "$state" = on ]; then
		ra_radvd_stop "$name"
		ra_radvd_start rarogue "$name"
	else
		ra_radvd_stop "$name"
	fi
}

ra_legit() {
	local pid
	ra_legit_conf "$1" "$2"
	pid=$(pid_of "$STATE/ra/legit.pid") || die "the known router's radvd is not running"
	kill -HUP "$pid"
	# radvd re-reads its configuration at once; give it the moment.
	sleep 0.2
}

fault_ra_rogue_router() { ra_rogue rogue-router "$1"; }
fault_ra_rogue_48() { ra_rogue rogue-48 "$1"; }
fault_ra_second_prefix() { ra_rogue second-prefix "$1"; }
fault_ra_spoofed() { ra_rogue spoofed "$1"; }
fault_ra_known_48() { ra_legit ra-known-48 "$1"; }
fault_ra_known_extra() { ra_legit ra-known-extra "$1"; }
fault_ra_lifetime_0() { ra_legit ra-lifetime-0 "$1"; }
