# part hostile: misbehaving TCP servers on srv (contrib/lab/hostile), both
# families, ports 8001-8008 of 2001:db8:c::80 and 203.0.113.80: silent,
# trickle, stream, noclose, tlshang, flood, headers, chunked. No faults:
# each behaviour has its own port.
ALL_PARTS="$ALL_PARTS hostile"

hostile_files() {
	mkdir -p "$STATE/hostile"
}

hostile_start() {
	nsx srv setsid perl "$LAB_DIR/hostile" --pidfile "$STATE/hostile/hostile.pid" \
		2001:db8:c::80 203.0.113.80 </dev/null >>"$STATE/hostile/hostile.log" 2>&1 &
	wait_file "$STATE/hostile/hostile.pid" 3 || die "hostile did not start (see $STATE/hostile/hostile.log)"
}
