# Lab part "ospf": OSPFv3 adjacencies for check_ospfv3_neighbors, one
# router under test per implementation and its neighbors:
#
#   FRR  (zebra + ospf6d per node, vtysh -N ${ID}-NODE)
#     ofull 0.0.0.2 --o-full-- ortr 0.0.0.1 --o-auth-- oauth 0.0.0.3
#                               |  (auth trailer on ortr's side only)
#                               +--o-mtu (MTU 1400 on ortr)-- omtu 0.0.0.4
#                               +--o-lan (a bridge in odr)-- odr 0.0.0.5 (DR)
#                                                        +-- odro 0.0.0.6
#     (on the LAN ortr and odro have priority 0: DROthers, 2-Way by design)
#   BIRD 2 (bird -c -s -P, socket $STATE/ospf/bdut.ctl, protocol "lab")
#     bfull 0.0.0.2 --b-full-- bdut 0.0.0.1 --b-auth-- bauth 0.0.0.3
#                               +--b-mtu (MTU 1400 on bdut)-- bmtu 0.0.0.4
#
# Point-to-point links (no DR election), hello 1 s, dead 8 s: an adjacency
# is Full about a second after start and dies 8 s after its neighbor goes
# silent. ortr and bdut never see their "auth" neighbor (its hellos carry no
# RFC 7166 trailer, which they require) and stay in ExStart with their "mtu"
# neighbor (its Database Description packets announce MTU 1500, above the
# link's 1400: RFC 5340 A.3.3, RFC 2328 10.6). Dead 8 s rather than 4: on a
# busy test host sends to ff02::5 have failed with EINVAL for up to 5 s at a
# time (in every lab at once), and that must not reset the adjacencies
# under test.
# SNMP: snmpd in ortr, AgentX master on $STATE/ospf/agentx.sock, at
# [fd6f:5::1]:161 (ortr's loopback), community "labcomm", v3 user "labv3"
# (SHA-256 "labauthpass", AES "labprivpass"; also labsha: SHA without
# privacy, labmd5: MD5/DES, lab512: SHA-512/AES-256, same passwords); ospf6d
# -M snmp registers the
# OSPFV3-MIB there.
ALL_PARTS="$ALL_PARTS ospf"
FAULTS="$FAULTS
ospf-silent|ospf|ofull (FRR) and bfull (BIRD) stop sending OSPF: their Full adjacency dies after the 8 s dead interval"

OSPF_FRR_NODES="ortr ofull oauth omtu odr odro"
OSPF_BIRD_NODES="bdut bfull bauth bmtu"

# ospf_frr_iface IFNAME[:auth|:lanPRIORITY]: a point-to-point link (with the
# authentication trailer), or a broadcast one with that router priority (a
# router waits one dead interval before the DR election, RFC 2328 9.4: the
# LAN is Full about 9 s after start).
ospf_frr_iface() {
	local ifname=${1%%:*} how=${1#*:}
	echo "interface $ifname"
	echo " ipv6 ospf6 area 0.0.0.0"
	echo " ipv6 ospf6 hello-interval 1"
	echo " ipv6 ospf6 retransmit-interval 2"
	echo " ipv6 ospf6 dead-interval 8"
	case $how in
	lan*)
		echo " ipv6 ospf6 network broadcast"
		echo " ipv6 ospf6 priority ${how#lan}"
		;;
	*) echo " ipv6 ospf6 network point-to-point" ;;
	esac
	[ "$how" != auth ] || echo " ipv6 ospf6 authentication key-id 1 hash-algo hmac-sha-256 key labsecret"
}

ospf_frr_conf() {
	local node=$1 rid=$2
	shift 2
	echo "hostname $node"
	echo "log file $STATE/ospf/$node-ospf6d.log"
	[ "$node" != ortr ] || echo "agentx"
	local i
	for i; do ospf_frr_iface "$i"; done
	cat <<-EOF
		router ospf6
		 ospf6 router-id $rid
	EOF
}

ospf_bird_conf() {
	local node=$1 rid=$2 i name auth
	shift 2
	cat <<-EOF
		router id $rid;
		log "$STATE/ospf/$node-bird.log" all;
		protocol device { scan time 1; }
		protocol ospf v3 lab {
			ipv6 { import all; export none; };
			area 0 {
	EOF
	for i; do
		name=${i%%:*}
		auth=""
		[ "$i" = "${i%:auth}" ] || auth='authentication cryptographic; password "labsecret" { id 1; algorithm hmac sha256; };'
		printf '\t\tinterface "%s" { type ptp; hello 1; dead 8; retransmit 2; %s };\n' "$name" "$auth"
	done
	printf '\t};\n}\n'
}

ospf_files() {
	local d=$STATE/ospf n
	mkdir -p "$d/snmp" "$d/snmp-var" "$d/snmp-frr-var"
	ospf_frr_conf ortr 0.0.0.1 o-full o-auth:auth o-mtu o-lan:lan0 >"$d/ortr-ospf6d.conf"
	ospf_frr_conf ofull 0.0.0.2 o-rtr >"$d/ofull-ospf6d.conf"
	ospf_frr_conf oauth 0.0.0.3 o-rtr >"$d/oauth-ospf6d.conf"
	ospf_frr_conf omtu 0.0.0.4 o-rtr >"$d/omtu-ospf6d.conf"
	ospf_frr_conf odr 0.0.0.5 o-lan:lan10 >"$d/odr-ospf6d.conf"
	ospf_frr_conf odro 0.0.0.6 o-lan:lan0 >"$d/odro-ospf6d.conf"
	for n in $OSPF_FRR_NODES; do
		printf "hostname %s\n" "$n" >"$d/$n-zebra.conf"
	done
	ospf_bird_conf bdut 0.0.0.1 b-full b-auth:auth b-mtu >"$d/bdut.conf"
	ospf_bird_conf bfull 0.0.0.2 b-dut >"$d/bfull.conf"
	ospf_bird_conf bauth 0.0.0.3 b-dut >"$d/bauth.conf"
	ospf_bird_conf bmtu 0.0.0.4 b-dut >"$d/bmtu.conf"
	cat >"$d/snmpd.conf" <<-EOF
		master agentx
		agentXSocket unix:$d/agentx.sock
		agentXPerms 0660 0770 frr frr
		rocommunity6 labcomm default
		rocommunity labcomm default
		createUser labv3 SHA-256 labauthpass AES labprivpass
		createUser labsha SHA labauthpass
		createUser labmd5 MD5 labauthpass DES labprivpass
		createUser lab512 SHA-512 labauthpass AES-256 labprivpass
		rouser labv3 priv
		rouser labsha auth
		rouser labmd5 priv
		rouser lab512 priv
	EOF
	# ospf6d's AgentX subagent reads frr.conf from SNMPCONFPATH.
	printf 'agentXSocket unix:%s\n' "$d/agentx.sock" >"$d/snmp/frr.conf"
	chown -R frr:frr "$d"
	chmod 755 "$d"
}

# ospf_wait_sock PATH SECONDS: until the unix socket PATH exists (wait_file
# wants a non-empty file, and a socket has size 0).
ospf_wait_sock() {
	local i
	for i in $(seq $(($2 * 50))); do
		[ -S "$1" ] && return 0
		sleep 0.02
	done
	return 1
}

# ospf_link A IFA B IFB [MTU_A]: a veth between nodes A and B.
ospf_link() {
	ip -n "$(ns "$1")" link add "$2" ${5:+mtu "$5"} type veth peer name "$4" netns "$(ns "$3")"
	ip -n "$(ns "$1")" link set "$2" up
	ip -n "$(ns "$3")" link set "$4" up
}

ospf_frr_start() {
	local n=$1 d=$STATE/ospf ps
	ps=$(ns "$n")
	# FRR puts its vty and zserv sockets in /var/run/frr/PATHSPACE; a lab
	# that was not taken down cleanly leaves them behind.
	rm -rf "/var/run/frr/$ps"
	mkdir -p "/var/run/frr/$ps"
	chown frr:frr "/var/run/frr/$ps"
	nsx "$n" /usr/lib/frr/zebra -d -N "$ps" -f "$d/$n-zebra.conf" \
		-i "$d/$n-zebra.pid" --log "file:$d/$n-zebra.log" >>"$d/$n-start.log" 2>&1 ||
		die "zebra in $n did not start (see $d/$n-zebra.log)"
	ospf_wait_sock "/var/run/frr/$ps/zserv.api" 5 || die "zebra in $n: no zserv socket"
	# FRR 8.4's ospf6d keeps its auth trailer sequence number and graceful
	# restart state in fixed files of /var/run/frr, whatever the pathspace:
	# each node gets its own, bind-mounted over them in the mount namespace
	# `ip netns exec` makes for the daemon (the host's files stay as they
	# are). The mount points must exist.
	local f
	for f in ospf6d-at-seq-no.dat ospf6d-gr.json; do
		[ -e "/var/run/frr/$f" ] || install -o frr -g frr -m 640 /dev/null "/var/run/frr/$f"
		install -o frr -g frr -m 640 /dev/null "$d/$n-$f"
	done
	local snmp=()
	[ "$n" != ortr ] || snmp=(-M snmp)
	# shellcheck disable=SC2016 # expanded by that sh, from its arguments
	SNMPCONFPATH=$d/snmp SNMP_PERSISTENT_DIR=$d/snmp-frr-var nsx "$n" sh -c '
		mount --bind "$1" /var/run/frr/ospf6d-at-seq-no.dat &&
		mount --bind "$2" /var/run/frr/ospf6d-gr.json && shift 2 && exec "$@"' \
		ospf6d "$d/$n-ospf6d-at-seq-no.dat" "$d/$n-ospf6d-gr.json" \
		/usr/lib/frr/ospf6d -d -N "$ps" "${snmp[@]}" -f "$d/$n-ospf6d.conf" \
		-i "$d/$n-ospf6d.pid" >>"$d/$n-start.log" 2>&1 ||
		die "ospf6d in $n did not start (see $d/$n-ospf6d.log)"
	wait_file "$d/$n-ospf6d.pid" 5 || die "ospf6d in $n wrote no pid file"
}

ospf_bird_start() {
	local n=$1 d=$STATE/ospf
	nsx "$n" bird -c "$d/$n.conf" -s "$d/$n.ctl" -P "$d/$n.pid" >>"$d/$n-start.log" 2>&1 ||
		die "bird in $n did not start (see $d/$n-start.log)"
	wait_file "$d/$n.pid" 5 || die "bird in $n wrote no pid file"
}

ospf_snmpd_start() {
	local d=$STATE/ospf
	SNMP_PERSISTENT_DIR=$d/snmp-var nsx ortr snmpd -C -c "$d/snmpd.conf" -p "$d/snmpd.pid" \
		-Lf "$d/snmpd.log" "udp6:[fd6f:5::1]:161" ||
		die "snmpd in ortr did not start (see $d/snmpd.log)"
	wait_file "$d/snmpd.pid" 5 || die "snmpd wrote no pid file"
	# ospf6d connects to the AgentX socket when it appears.
	ospf_wait_sock "$d/agentx.sock" 5 || die "snmpd made no AgentX socket"
}

# FRR keeps each pathspace's sockets in /var/run/frr/PATHSPACE, which `lab
# down` does not know about: remove those of our nodes whose namespace is
# gone (this lab's last run, or another lab taken down since).
ospf_frr_gc() {
	local d name
	for d in /var/run/frr/*-o*; do
		[ -d "$d" ] || continue
		name=${d##*/}
		[[ $name =~ ^[a-z0-9]{1,8}-o(rtr|full|auth|mtu|dr|dro)$ ]] || continue
		[ -e "/run/netns/$name" ] || rm -rf "$d"
	done
}

ospf_start() {
	local n pids=""
	ospf_frr_gc
	# shellcheck disable=SC2086
	part_nodes $OSPF_FRR_NODES $OSPF_BIRD_NODES
	ospf_link ortr o-full ofull o-rtr
	ospf_link ortr o-auth oauth o-rtr
	ospf_link ortr o-mtu omtu o-rtr 1400
	# The LAN: a bridge in odr (the DR, priority 10) with ortr and odro
	# (priority 0 both): DROthers, so they stay 2-Way with each other.
	ip -n "$(ns odr)" -batch - <<-EOF
		link add o-lan type bridge mcast_snooping 0
		link add o-lan-r type veth peer name o-lan netns $(ns ortr)
		link add o-lan-d type veth peer name o-lan netns $(ns odro)
		link set o-lan-r master o-lan
		link set o-lan-d master o-lan
		link set o-lan up
		link set o-lan-r up
		link set o-lan-d up
	EOF
	ip -n "$(ns ortr)" link set o-lan up
	ip -n "$(ns odro)" link set o-lan up
	ospf_link bdut b-full bfull b-dut
	ospf_link bdut b-auth bauth b-dut
	ospf_link bdut b-mtu bmtu b-dut 1400
	ip -n "$(ns ortr)" addr add fd6f:5::1/128 dev lo
	ospf_snmpd_start
	for n in $OSPF_FRR_NODES; do
		ospf_frr_start "$n" &
		pids="$pids $!"
	done
	for n in $OSPF_BIRD_NODES; do
		ospf_bird_start "$n" &
		pids="$pids $!"
	done
	# shellcheck disable=SC2086
	wait_pids $pids || die "the ospf part's daemons did not start"
}

fault_ospf_silent() {
	local n body=""
	[ "$1" = on ] && body='chain silent {
		type filter hook output priority 0;
		meta l4proto 89 drop
	}'
	for n in ofull bfull; do nft_table "$n" lab_ospf_silent "$body"; done
}
