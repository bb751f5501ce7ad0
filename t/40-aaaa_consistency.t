#!/usr/bin/perl
# check_aaaa_consistency in the lab, against real nsd and unbound: a healthy
# name, the stale AAAA, three AAAA with one dead, the server that ignores
# AAAA queries (dns-noaaaa), an A-only name, NXDOMAIN, authoritative servers
# that disagree, REFUSED, -w/-c, dead-address thresholds, --max-concurrency,
# a lost IPv6 address (v6-addr-lost), 200 names from a file
# within -t, ICMP echo without privileges, bad files and options; issue 9:
# no server listening, answers over 512 bytes (40 A, 40 AAAA, 60 NS over
# TCP), names files that never end, -a, --dns-port, a CNAME loop, -vvv,
# the timeout state. Findings are asserted by code and state (JSON); the
# main verdicts' sentences once each.
use strict;
use warnings;
use File::Temp qw(tempfile);
use POSIX ();
use Test::More;
use lib 't/lib';
use V6Lab qw(perf_is long_like code_is no_code codes);

my $plugin = 'plugins/check_aaaa_consistency';
plan skip_all => "$plugin not built (run make)" unless -x $plugin;

my $lab = V6Lab->new(parts => [qw(web dns)]);

# Every run is bounded twice: -t for the plugin, timeout for the process.
my $check_aaaa = $lab->checker('check_aaaa_consistency', t => 10, timeout => 20);
sub aaaa { $check_aaaa->(@_) }
my $check_json = $lab->checker('check_aaaa_consistency', t => 10, timeout => 20, json => 1);
sub aaaaj { $check_json->(@_) }

# A field of the first finding CODE of a JSON result ('' when none).
sub field_of {
    my ($p, $code, $field) = @_;
    my ($f) = V6Lab::findings($p, $code);
    return $f ? $f->{$field} // '' : '';
}

sub names_file {
    my (@lines) = @_;
    my ($fh, $file) = tempfile('aaaa-names-XXXXXX', TMPDIR => 1, UNLINK => 1);
    print $fh map {"$_\n"} @lines;
    close $fh;
    chmod 0644, $file;
    return $file;
}

# --- healthy ------------------------------------------------------------------------

my $p = aaaa('-H', 'www.lab.test');
is($p->{rc}, 0, 'www: OK');
like($p->{first}, qr/^AAAA_CONSISTENCY OK - 1 name, 1 AAAA, 0 dead \|/, 'www: counts');
perf_is($p, $_->[0], $_->[1], 'www') for [names => 1], [a_total => 1], [a_dead => 0],
    [aaaa_total => 1], [aaaa_dead => 0];
ok(defined $p->{perf}{dns_time_aaaa} && $p->{perf}{dns_time_aaaa}{uom} eq 's',
   'www: dns_time_aaaa in seconds');
$p = aaaaj('-H', 'www.lab.test');
is_deeply(codes($p), [qw(address_ok dns_time)], 'www: only OK findings');
is_deeply([ sort map { $_->{address} } V6Lab::findings($p, 'address_ok') ], [ '2001:db8:c::80', '203.0.113.80' ],
          'www: one finding per address');

# --- stale AAAA ---------------------------------------------------------------------

$p = aaaa('-H', 'stale.lab.test', '--probe-timeout', '1.5');
is($p->{rc}, 2, 'stale: CRITICAL');
like($p->{first}, qr/^AAAA_CONSISTENCY CRITICAL - 1 name, 1 AAAA, 1 dead: stale AAAA 2001:db8:c::99 for stale\.lab\.test: (no answer|unreachable) on tcp\/80 in 1?\.?\d* s.* while A 203\.0\.113\.80 answers \|/,
     'stale: names the address, the name, the port, the time and the live A');
perf_is($p, 'aaaa_dead', 1, 'stale');
perf_is($p, 'a_dead', 0, 'stale');
cmp_ok($p->{secs}, '<', 3, 'stale: about one probe timeout (1.5 s)');
$p = aaaaj('-H', 'stale.lab.test', '--probe-timeout', '1.5');
code_is($p, 'stale_aaaa', 'CRITICAL', 'stale');
is(field_of($p, 'stale_aaaa', 'address'), '2001:db8:c::99', 'stale: the address is the subject');

$p = aaaaj('-H', 'stale.lab.test', '--families', '4');
is($p->{rc}, 0, 'stale, --families 4: OK (the AAAA is not probed)');
perf_is($p, 'aaaa_dead', 0, 'stale, --families 4');
code_is($p, 'not_probed', 'OK', 'stale, --families 4');
is(field_of($p, 'not_probed', 'address'), '2001:db8:c::99', 'stale, --families 4: the AAAA');

$p = aaaaj('-H', 'multi.lab.test', '-p', '80,443');
is($p->{rc}, 2, 'multi: CRITICAL');
is_deeply([ map { $_->{address} } V6Lab::findings($p, 'stale_aaaa') ], ['2001:db8:c::99'], 'multi: the dead one, only');
is(scalar(V6Lab::findings($p, 'address_ok')), 3, 'multi: the live ones OK');
perf_is($p, 'aaaa_dead', 1, 'multi');
perf_is($p, 'aaaa_total', 3, 'multi');

# --- the server that ignores AAAA queries -------------------------------------------

$lab->on('dns-noaaaa');
$p = aaaa('-H', 'www.lab.test', '--dns-timeout', '2');
is($p->{rc}, 2, 'dns-noaaaa: CRITICAL');
like($p->{first}, qr/AAAA query for www\.lab\.test unanswered after 2(?:\.0\d*)? s while A answered in [\d.]+ s: clients asking for AAAA wait \(system resolver\)/,
     'dns-noaaaa: AAAA unanswered while A answers, both times (the shared sentence)');
unlike($p->{out}, qr/^\[OK\] www\.lab\.test: A query/m, 'dns-noaaaa: the unanswered query is not listed as OK');
cmp_ok($p->{perf}{dns_time_aaaa}{value}, '>=', 1.9, 'dns-noaaaa: dns_time_aaaa is the wait');
cmp_ok($p->{perf}{dns_time_a}{value}, '<', 1, 'dns-noaaaa: dns_time_a is quick');

$p = aaaaj('-H', 'www.lab.test', '--authoritative', '--dns-timeout', '2');
is($p->{rc}, 2, 'dns-noaaaa, --authoritative: CRITICAL');
ok((grep { $_->{output} =~ /\(ns1\.lab\.test \(203\.0\.113\.151\)\)$/ } V6Lab::findings($p, 'aaaa_unanswered')),
   'dns-noaaaa, --authoritative: ns1 named');
code_is($p, 'aaaa_unanswered', 'CRITICAL', 'dns-noaaaa, --authoritative');
code_is($p, 'ns_lookup_failed', 'WARNING', 'dns-noaaaa, --authoritative: the NS address lookup too');

# -t 4 holds two DNS phases and the probes only with shorter timeouts:
# they shrink to fit, and the servers that do answer A are not "silent".
$p = aaaaj('-H', 'www.lab.test', '--authoritative', '-t', '4');
is($p->{rc}, 2, 'dns-noaaaa, --authoritative -t 4: CRITICAL');
like($p->{json}{summary}, qr/- 1 name, 0 AAAA, 0 dead: AAAA query unanswered \(www\.lab\.test\)|^1 name, 0 AAAA, 0 dead: AAAA query unanswered \(www\.lab\.test\)/,
     'dns-noaaaa, -t 4: the AAAA query named first');
ok((grep { $_->{output} =~ /unanswered after 1\.4\d* s while A answered .*\(ns2\.lab\.test \(203\.0\.113\.152\)\)$/ } V6Lab::findings($p, 'aaaa_unanswered')),
   'dns-noaaaa, -t 4: waited the fitted 1.4 s');
no_code($p, $_, 'dns-noaaaa, -t 4: no server called silent') for qw(ns_silent ns_silent_family dns_timeout);
perf_is($p, 'a_total', 1, 'dns-noaaaa, -t 4');
cmp_ok($p->{perf}{dns_time_aaaa}{value}, '>=', 1.3, 'dns-noaaaa, -t 4: dns_time_aaaa is the wait');
cmp_ok($p->{secs}, '<', 4.5, 'dns-noaaaa, -t 4: within -t + 0.5 s');
$lab->off('dns-noaaaa');

# --- NODATA, NXDOMAIN ---------------------------------------------------------------

$p = aaaaj('-H', 'v4only.lab.test');
is($p->{rc}, 0, 'v4only: OK');
code_is($p, 'no_aaaa', 'OK', 'v4only');
perf_is($p, 'aaaa_total', 0, 'v4only');
$p = aaaaj('-H', 'v4only.lab.test', '--require-aaaa');
is($p->{rc}, 2, 'v4only, --require-aaaa: CRITICAL');
code_is($p, 'no_aaaa', 'CRITICAL', 'v4only, --require-aaaa');

$p = aaaaj('-H', 'nosuch.lab.test');
is($p->{rc}, 2, 'nosuch: CRITICAL');
code_is($p, 'nxdomain', 'CRITICAL', 'nosuch');
perf_is($p, 'a_total', 0, 'nosuch');

# --- servers that disagree ----------------------------------------------------------

$p = aaaaj('-H', 'diverge.lab.test', '--authoritative');
is($p->{rc}, 1, 'diverge, --authoritative: WARNING');
code_is($p, 'aaaa_disagree', 'WARNING', 'diverge');
no_code($p, 'a_disagree', 'diverge: the A records agree');
like(field_of($p, 'aaaa_disagree', 'output'), qr/servers disagree on AAAA for diverge\.lab\.test: ns1\.lab\.test \(203\.0\.113\.151, 2001:db8:d::5301\) says 2001:db8:c::80; ns2\.lab\.test \(203\.0\.113\.152, 2001:db8:d::5302\) says 2001:db8:c::81/,
     'diverge: which server said what, each NS once with both transports');
perf_is($p, 'aaaa_total', 2, 'diverge');
$p = aaaaj('-H', 'diverge.lab.test', '--authoritative', '--strict');
is($p->{rc}, 2, 'diverge, --strict: CRITICAL');
code_is($p, 'aaaa_disagree', 'CRITICAL', 'diverge, --strict');
$p = aaaaj('-H', 'diverge.lab.test', '-s', '2001:db8:d::5301', '-s', '203.0.113.152');
is($p->{rc}, 1, 'diverge, two -s: WARNING');
like(field_of($p, 'aaaa_disagree', 'output'), qr/2001:db8:d::5301 says 2001:db8:c::80; 203\.0\.113\.152 says 2001:db8:c::81/, 'diverge, two -s: both named');
$p = aaaaj('-H', 'www.lab.test', '--authoritative');
is($p->{rc}, 0, 'www, --authoritative: OK, four servers agree');
like(field_of($p, 'dns_time', 'output'), qr/slowest of 4 servers/, 'www, --authoritative: ns1 and ns2 over IPv4 and IPv6');

# --- REFUSED (ns1 refuses names outside lab.test), two -H ------------------------

$p = aaaaj('-H', 'www.lab.test', '-H', 'www.example.com', '-s', '203.0.113.151');
is($p->{rc}, 2, 'REFUSED: CRITICAL');
is_deeply([ map { $_->{name} } V6Lab::findings($p, 'a_error'), V6Lab::findings($p, 'aaaa_error') ],
          [ 'www.example.com', 'www.example.com' ], 'REFUSED: A and AAAA of the refused name');
code_is($p, 'aaaa_error', 'CRITICAL', 'REFUSED');
like(field_of($p, 'aaaa_error', 'output'), qr/^AAAA query for www\.example\.com: REFUSED from 203\.0\.113\.151 in [\d.]+ s$/,
     'REFUSED: the AAAA query and the server');
is_deeply([ sort map { $_->{name} } V6Lab::findings($p, 'address_ok') ], [ 'www.lab.test', 'www.lab.test' ],
          'REFUSED: the other name checked');
perf_is($p, $_->[0], $_->[1], 'REFUSED') for [names => 2], [aaaa_total => 1], [a_total => 1];
ok(!exists $p->{perf}{dns_time_aaaa}, 'REFUSED, two names: no per-name DNS time');

# --- -w / -c: each DNS answer's time, seconds (issue 9) ---------------------------

$p = aaaaj('-H', 'www.lab.test', '-w', '0.000001', '-c', '5');
is($p->{rc}, 1, '-w 0.000001: WARNING');
is(scalar(V6Lab::findings($p, 'dns_slow')), 2, '-w: both types slow');
code_is($p, 'dns_slow', 'WARNING', '-w 0.000001');
like(field_of($p, 'dns_slow', 'output'), qr/took [\d.]+ s at system resolver \(-w 0\.000001\)$/, '-w: time in seconds and threshold');
is_deeply([ map { $p->{perf}{dns_time_aaaa}{$_} } qw(uom warn crit) ], [ 's', '0.000001', '5' ], '-w/-c: perfdata in seconds');
$p = aaaaj('-H', 'www.lab.test', '-c', '0.000001');
is($p->{rc}, 2, '-c 0.000001: CRITICAL');
code_is($p, 'dns_slow', 'CRITICAL', '-c 0.000001');
is($p->{perf}{dns_time_a}{crit}, '0.000001', '-c: perfdata crit in seconds');
$p = aaaaj('-H', 'www.lab.test', '-w', '0.05', '-c', '5');
is($p->{rc}, 0, '-w 0.05 -c 5: OK (50 ms, not 50 us)');
no_code($p, 'dns_slow', '-w 0.05');
is($p->{perf}{dns_time_a}{warn}, '0.05', '-w 0.05: perfdata warn 0.05 s');

# --- --dead-warning / --dead-critical -------------------------------------------

$p = aaaaj('-H', 'stale.lab.test', '--probe-timeout', '1', '--dead-warning', '0', '--dead-critical', '1');
is($p->{rc}, 1, '--dead-critical 1: one dead is WARNING');
code_is($p, 'stale_aaaa', 'WARNING', '--dead-warning 0');
perf_is($p, 'aaaa_dead', 1, '--dead-warning');
$p = aaaaj('-H', 'stale.lab.test', '--probe-timeout', '1', '--dead-critical', '2');
is($p->{rc}, 0, '--dead-critical 2 alone: one dead is OK');
code_is($p, 'stale_aaaa', 'OK', '--dead-critical 2: still listed');
perf_is($p, 'aaaa_dead', 1, '--dead-critical 2');

# --- --max-concurrency: four ports of one address, 300 ms away ----------------------

$lab->on('latency-v6', 300);
my @four = ('-H', 'www.lab.test', '--families', '6', '-p', '80,81,82,83');
my $all = aaaaj(@four);
is($all->{rc}, 2, 'four ports at once: CRITICAL (81 is closed)');
code_is($all, 'dead_aaaa', 'CRITICAL', 'four ports: no witness (A not probed)');
like(field_of($all, 'dead_aaaa', 'output'), qr/refused on tcp\/81 in [\d.]+ s \(connection refused\)/, 'four ports: the closed port named');
perf_is($all, 'aaaa_dead', 1, 'four ports');
my $one = aaaaj(@four, '--max-concurrency', '1');
is($one->{rc}, 2, '--max-concurrency 1: CRITICAL');
like(field_of($one, 'dead_aaaa', 'output'), qr/refused on tcp\/81/, '--max-concurrency 1: same finding');
perf_is($one, 'aaaa_dead', 1, '--max-concurrency 1');
cmp_ok($one->{secs} - $all->{secs}, '>=', 0.6,
       "--max-concurrency 1: four 300 ms connects in turn ($one->{secs} s vs $all->{secs} s)");
$lab->off('latency-v6');

# --- a lost IPv6 address ------------------------------------------------------------

$lab->on('v6-addr-lost');
$lab->flush;
$p = aaaaj('-H', 'www.lab.test', '-p', '443');
is($p->{rc}, 2, 'v6-addr-lost: CRITICAL');
code_is($p, 'stale_aaaa', 'CRITICAL', 'v6-addr-lost');
is(field_of($p, 'stale_aaaa', 'address'), '2001:db8:c::80', 'v6-addr-lost: the lost address is a stale AAAA');
$lab->off('v6-addr-lost');
$lab->flush;

# --- a lost IPv4 address: the stale record is the A ------------------------------

$lab->on('v4-addr-lost');
$p = aaaaj('-H', 'www.lab.test', '-p', '80');
code_is($p, 'stale_a', 'CRITICAL', 'v4-addr-lost');
no_code($p, 'stale_aaaa', 'v4-addr-lost');
$p = aaaa('-H', 'www.lab.test', '-p', '80');
is($p->{rc}, 2, 'v4-addr-lost: CRITICAL');
like($p->{first}, qr/^AAAA_CONSISTENCY CRITICAL - 1 name, 1 AAAA, 0 dead, 1 A, 1 dead: stale A 203\.0\.113\.80 for www\.lab\.test: .* on tcp\/80 .* while AAAA 2001:db8:c::80 answers \|/,
     'v4-addr-lost: a stale A, with the AAAA that answers');
perf_is($p, 'a_dead', 1, 'v4-addr-lost');
perf_is($p, 'aaaa_dead', 0, 'v4-addr-lost');
$lab->off('v4-addr-lost');

# --- a name server that does not answer over IPv6 ----------------------------------

$lab->on('ns2-v6-silent');
# The resolver first has to learn that ns2 is silent over IPv6 (switching
# the fault on empties its caches); the NS set is what a resolver in
# service has cached, so look it up once before the check does.
$lab->run('mon', [ 'dig', '+time=3', '+tries=2', $_, 'NS' ], timeout => 15) for qw(www.lab.test lab.test);
$p = aaaaj('-H', 'www.lab.test', '--authoritative', '--dns-timeout', '2');
is($p->{rc}, 2, 'ns2-v6-silent: CRITICAL');
code_is($p, 'ns_silent_family', 'CRITICAL', 'ns2-v6-silent');
is_deeply([ map { "$_->{name} $_->{address} $_->{family}" } V6Lab::findings($p, 'ns_silent_family') ],
          ['ns2.lab.test 2001:db8:d::5302 ipv6'], 'ns2-v6-silent: the server and the transport named');
no_code($p, $_, 'ns2-v6-silent') for qw(ns_silent dns_timeout aaaa_unanswered);
perf_is($p, 'aaaa_dead', 0, 'ns2-v6-silent');
perf_is($p, 'aaaa_total', 1, 'ns2-v6-silent');
$lab->off('ns2-v6-silent');

# --- a server that answers A but fails AAAA (contrib/lab/brokendns) ---------------

for my $case (
    [ 'nxaaaa', 'aaaa_nxdomain', qr/does not exist when asked for AAAA, yet answers A 203\.0\.113\.80: inconsistent server/ ],
    [ 'sfaaaa', 'aaaa_error', qr/: SERVFAIL from 2001:db8:d::5303 in [\d.]+ s/ ],
    [ 'rfaaaa', 'aaaa_error', qr/: REFUSED from 2001:db8:d::5303 in [\d.]+ s/ ],
    [ 'garbage', 'aaaa_error', qr/: error Misformatted DNS reply from 2001:db8:d::5303 in [\d.]+ s/ ],
) {
    my ($label, $code, $re) = @$case;
    $p = aaaaj('-s', V6Lab::ADDR->{gslb6}, '-H', "$label.gslb.lab.test");
    is($p->{rc}, 2, "$label: CRITICAL");
    code_is($p, $code, 'CRITICAL', $label);
    like(field_of($p, $code, 'output'), $re, "$label: named as such");
    perf_is($p, 'a_total', 1, $label);
    perf_is($p, 'aaaa_total', 0, $label);
    is(field_of($p, 'address_ok', 'address'), '203.0.113.80', "$label: A still probed");
}

# --- many names ---------------------------------------------------------------------

my $file = names_file('# the lab zone', (map { sprintf 'h%03d.lab.test', $_ } 1 .. 200),
    '', 'www.lab.test   # trailing comment', 'h001.lab.test');
$p = aaaa('-f', $file, '-t', '8');
is($p->{rc}, 2, '201 names: CRITICAL');
like($p->{first}, qr/^AAAA_CONSISTENCY CRITICAL - 201 names, 201 AAAA, 50 dead: stale AAAA 2001:db8:c::99 \(h004\.lab\.test\); stale AAAA 2001:db8:c::99 \(h008\.lab\.test\); stale AAAA 2001:db8:c::99 \(h012\.lab\.test\); and 47 more \|/,
     '201 names: counts and the first dead names');
perf_is($p, $_->[0], $_->[1], '201 names') for [names => 201], [aaaa_total => 201],
    [aaaa_dead => 50], [a_dead => 0];
ok(!exists $p->{perf}{dns_time_a}, '201 names: no per-name DNS time');
cmp_ok($p->{secs}, '<', 4, '201 names: about one probe timeout, well within -t 8');
like($p->{long}[0], qr/^\[CRITICAL\] stale AAAA 2001:db8:c::99 for h004\.lab\.test/,
     '201 names: long output starts with the findings');
$p = aaaaj('-f', $file, '-t', '8');
code_is($p, 'stale_aaaa', 'CRITICAL', '201 names');
ok($p->{json}{dropped} > 0, '201 names: JSON says how many findings did not fit');

# --- ICMP ---------------------------------------------------------------------------

$p = aaaaj('-H', 'stale.lab.test', '--icmp', '--probe-timeout', '1');
is($p->{rc}, 2, 'ICMP, root: stale AAAA CRITICAL');
like(field_of($p, 'stale_aaaa', 'output'), qr/ICMP echo/, 'ICMP: the echo named');

$p = aaaaj('-H', 'www.lab.test', '--icmp', { user => 'nobody' });
is($p->{rc}, 3, 'ICMP, nobody without ping sockets: UNKNOWN');
code_is($p, 'icmp_impossible', 'UNKNOWN', 'ICMP, nobody');
like(field_of($p, 'icmp_impossible', 'output'), qr/ping_group_range/, 'ICMP, nobody: names the sysctl');
my $r = $lab->run('mon', ['sysctl', '-w', 'net.ipv4.ping_group_range=0 2147483647'], timeout => 5);
is($r->{rc}, 0, 'ping sockets opened');
$p = aaaaj('-H', 'www.lab.test', '--icmp', { user => 'nobody' });
is($p->{rc}, 0, 'ICMP, nobody with ping sockets: OK');
ok((grep { $_->{address} eq '2001:db8:c::80' && $_->{output} =~ /answered on ICMP echo/ } V6Lab::findings($p, 'address_ok')),
   'ICMP, nobody: echo answered');
perf_is($p, 'aaaa_dead', 0, 'ICMP, nobody');

# --- issue 9, item 5: no DNS server listening --------------------------------------

# srv has no DNS server: port unreachable at once. Not a -t timeout, and
# the failed queries are not listed as OK.
$p = aaaaj('-H', 'www.lab.test', '-s', V6Lab::ADDR->{srv4});
is($p->{rc}, 2, 'nothing listening: CRITICAL');
code_is($p, 'ns_silent', 'CRITICAL', 'nothing listening');
no_code($p, $_, 'nothing listening') for qw(dns_timeout dns_time);
like(field_of($p, 'ns_silent', 'output'), qr/2 queries failed \(/, 'nothing listening: the queries failed');
$p = aaaa('-H', 'www.lab.test', '-s', V6Lab::ADDR->{srv4});
like($p->{first}, qr/^AAAA_CONSISTENCY CRITICAL - 1 name, 0 AAAA, 0 dead: DNS server 203\.0\.113\.80 does not answer: 2 queries failed \(Could not contact DNS servers\) \|/,
     'nothing listening: the sentence');
unlike($p->{out}, qr/^\[OK\]/m, 'nothing listening: no OK line');

# --- --dns-port --------------------------------------------------------------------

$p = aaaaj('-H', 'www.lab.test', '-s', V6Lab::ADDR->{ns1_6}, '--dns-port', '5353');
is($p->{rc}, 2, '--dns-port 5353: nothing listens there, CRITICAL');
code_is($p, 'ns_silent', 'CRITICAL', '--dns-port 5353');
ok((grep { $_->{output} =~ /\Q[2001:db8:d::5301]:5353\E/ } V6Lab::findings($p, 'ns_silent')), '--dns-port: the port named');
$p = aaaaj('-H', 'www.lab.test', '-s', V6Lab::ADDR->{ns1_6}, '--dns-port', '53');
is($p->{rc}, 0, '--dns-port 53: OK');

# --- --source, --interface: probes and DNS queries leave as told -------------------

$p = aaaaj('-H', 'www.lab.test', '--source', V6Lab::ADDR->{mon6}, '--source', V6Lab::ADDR->{mon4});
is($p->{rc}, 0, '--source, mon\'s own addresses: OK');
$p = aaaaj('-H', 'www.lab.test', '--interface', 'lanA');
is($p->{rc}, 0, '--interface lanA: OK');
# An address mon does not have: the sockets bound to it cannot send.
$p = aaaaj('-H', 'www.lab.test', '--source', '2001:db8:a::99', '-s', V6Lab::ADDR->{resolver6});
code_is($p, 'ns_silent', 'CRITICAL', '--source 2001:db8:a::99: the DNS socket is bound to it');
$p = aaaaj('-H', 'www.lab.test', '--source', '2001:db8:a::99', '-s', V6Lab::ADDR->{resolver4});
is($p->{rc}, 3, '--source 2001:db8:a::99, IPv4 DNS: UNKNOWN (the AAAA cannot be probed)');
code_is($p, 'probe_unknown', 'UNKNOWN', '--source 2001:db8:a::99: the IPv6 probe is bound to it');
like(field_of($p, 'probe_unknown', 'output'), qr/Cannot assign requested address/, '--source: the reason');
code_is($p, 'address_ok', 'OK', '--source 2001:db8:a::99: IPv4 still probed');
$p = aaaaj('-H', 'www.lab.test', '--interface', 'lo');
code_is($p, 'ns_silent', 'CRITICAL', '--interface lo: DNS leaves through lo and reaches nothing');
no_code($p, 'dns_timeout', '--interface lo: -t not blamed');

# --- item 6: answers over 512 bytes --------------------------------------------------

for my $srv ([], ['-s', V6Lab::ADDR->{ns1_6}], ['-s', V6Lab::ADDR->{ns1_4}]) {
    my $via = @$srv ? "nsd at $srv->[1]" : 'unbound';
    $p = aaaaj('-H', 'big.lab.test', '--probe-timeout', '1', @$srv);
    perf_is($p, 'a_total', 40, "40 A through $via");
    perf_is($p, 'aaaa_total', 40, "40 AAAA through $via");
    no_code($p, $_, "40+40 through $via") for qw(answer_cut dns_timeout ns_silent dns_unanswered);
    perf_is($p, 'a_dead', 39, "40+40 through $via: every A probed");
    perf_is($p, 'aaaa_dead', 39, "40+40 through $via: every AAAA probed");
}
# 60 NS (about 6 KB with glue: over TCP). The NS set is found and the
# plugin says that it asked only some of the servers.
$p = aaaaj('-H', 'www.wide.lab.test', '--authoritative');
is($p->{rc}, 1, '60 NS, --authoritative: WARNING, not a timeout');
code_is($p, 'ns_partial', 'WARNING', '60 NS');
no_code($p, $_, '60 NS') for qw(dns_timeout ns_silent aaaa_unanswered);
like(field_of($p, 'ns_partial', 'output'), qr/wide\.lab\.test has 60 name servers: asked 16 addresses of 8 of them/,
     '60 NS: how many asked');
perf_is($p, 'aaaa_total', 1, '60 NS');

# -vvv: the DNS steps on stderr, stdout the same result.
my $v = $lab->plugin('check_aaaa_consistency', '-t', '10', '-H', 'www.wide.lab.test', '--authoritative', '-vvv', { timeout => 20 });
is($v->{rc}, 1, '-vvv: same state');
like($v->{err}, qr/^dns: query wide\.lab\.test NS sent to system resolver \(EDNS0/m, '-vvv: the query sent');
like($v->{err}, qr/^dns: system resolver: answer truncated over UDP, retrying over TCP$/m, '-vvv: the TCP retry');
like($v->{err}, qr/^dns: answer for wide\.lab\.test NS from system resolver after 0 timeouts: rcode 0, 60 answer records, \d+ bytes, NOERROR/m,
     '-vvv: the answer, its rcode and size');
unlike($v->{out}, qr/^dns:/m, '-vvv: nothing of it on stdout');

# --- a CNAME loop ------------------------------------------------------------------

$p = aaaaj('-H', 'cloop.lab.test', '--authoritative');
is($p->{rc}, 2, 'CNAME loop: CRITICAL');
code_is($p, 'cname_loop', 'CRITICAL', 'CNAME loop');
no_code($p, 'no_address', 'CNAME loop: not "no address"');
# Through unbound: SERVFAIL, then the chain asked hop by hop.
$p = aaaaj('-H', 'cloop.lab.test');
is($p->{rc}, 2, 'CNAME loop through the resolver: CRITICAL');
code_is($p, 'cname_loop', 'CRITICAL', 'CNAME loop through the resolver');
is(scalar(V6Lab::findings($p, 'cname_loop')), 1, 'CNAME loop through the resolver: one finding');
no_code($p, $_, 'CNAME loop through the resolver') for qw(a_error aaaa_error no_address);
$p = aaaa('-H', 'cloop.lab.test');
like($p->{first}, qr/^AAAA_CONSISTENCY CRITICAL - 1 name, 0 AAAA, 0 dead: CNAME loop: the CNAME chain of cloop\.lab\.test at system resolver comes back to a name already in it, so it has no address \|/,
     'CNAME loop: the sentence');
# A SERVFAIL that is no loop stays a SERVFAIL.
$p = aaaaj('-s', V6Lab::ADDR->{gslb6}, '-H', 'sfaaaa.gslb.lab.test');
no_code($p, 'cname_loop', 'SERVFAIL without a loop');

# --- -a: the addresses that must be published ---------------------------------------

$p = aaaaj('-H', 'www.lab.test', '-a', V6Lab::ADDR->{srv4}, '-a', V6Lab::ADDR->{srv6});
is($p->{rc}, 0, '-a, the published set: OK');
no_code($p, $_, '-a, the published set') for qw(address_missing address_unexpected);
$p = aaaaj('-H', 'www.lab.test', '-a', V6Lab::ADDR->{srv4}, '-a', V6Lab::ADDR->{srv6b});
is($p->{rc}, 2, '-a, another AAAA: CRITICAL');
code_is($p, 'address_missing', 'CRITICAL', '-a 2001:db8:c::81');
code_is($p, 'address_unexpected', 'CRITICAL', '-a 2001:db8:c::81: ::80 not expected');
is(field_of($p, 'address_missing', 'address'), '2001:db8:c::81', '-a: the missing address is the subject');

# --- the timeout state: probes -t cut ---------------------------------------------

# 78 dead addresses, one connect at a time: -t ends the probes long before
# they have all had their time.
for my $ts ([ [], 'UNKNOWN' ], [ ['--timeout-result', 'critical'], 'CRITICAL' ]) {
    $p = $check_json->('-H', 'big.lab.test', '-t', '5', '--probe-timeout', '1', '--max-concurrency', '1',
                       '-p', '80', @{ $ts->[0] });
    code_is($p, 'probe_unknown', $ts->[1], "probes cut by -t (@{$ts->[0]})");
    like(field_of($p, 'probe_unknown', 'output'), qr/when -t ran out during the probes$/,
         "probes cut by -t: the step named");
}

# --- the timeout state: DNS queries -t cut ----------------------------------------

# 400 queries, 64 at a time, 300 ms each over IPv6: about 2 s, where -t 2
# leaves the DNS phase about 1 s. The queries -t cut (sent or not) carry
# the timeout state; none is called unanswered.
my $two = names_file(map { sprintf 'h%03d.lab.test', $_ } 1 .. 200);
$lab->on('latency-v6', 300);
for my $ts ([ '2', 'UNKNOWN' ], [ '2:CRITICAL', 'CRITICAL' ]) {
    $p = $lab->plugin('check_aaaa_consistency', '-t', $ts->[0], '-f', $two, '-s', V6Lab::ADDR->{resolver6},
                      '--families', '4', '--output-format', 'json', { timeout => 10 });
    code_is($p, 'dns_timeout', $ts->[1], "200 names, -t $ts->[0]: queries cut");
    like(field_of($p, 'dns_timeout', 'output'), qr/when -t ran out during the DNS queries$/, "-t $ts->[0]: the step named");
    no_code($p, $_, "-t $ts->[0]: not blamed on the server") for qw(ns_silent dns_unanswered aaaa_unanswered a_unanswered);
    cmp_ok($p->{secs}, '<', 2.5, "-t $ts->[0]: within -t + 0.5 s");
}
$lab->off('latency-v6');

# --- item 12: names files that never end, in bounded memory ------------------------

sub rss_run {
    my (@args) = @_;
    my $r = $lab->run('mon', [ '/usr/bin/time', '-f', 'maxrss_kb=%M', "$V6Lab::REPO/$plugin", @args ], timeout => 20);
    ($r->{rss}) = ($r->{err} // '') =~ /maxrss_kb=(\d+)/;
    $r->{lines} = () = ($r->{out} // '') =~ /\n/g;
    return $r;
}
my $z = rss_run('-f', '/dev/zero');
is($z->{rc}, 3, '-f /dev/zero: exit 3');
is($z->{lines}, 1, '-f /dev/zero: one line');
like($z->{out}, qr/^AAAA_CONSISTENCY UNKNOWN - option -f: \/dev\/zero line 1: longer than 1024 bytes\n$/, '-f /dev/zero: says why');
cmp_ok($z->{rss} // 1e9, '<', 64 * 1024, "-f /dev/zero: peak RSS $z->{rss} KB (64 MiB at most, sanitizer builds too)");
my $fifo = "/tmp/aaaa-fifo-$$";
for my $feed ([ 'h001.lab.test', qr/more than 100000 names/ ], [ '', qr/more than 16777216 bytes/ ]) {
    unlink $fifo;
    system('mkfifo', '-m', '0644', $fifo) == 0 or die "mkfifo: $!";
    my $pid = fork // die "fork: $!";
    if (!$pid) {
        $SIG{PIPE} = sub { POSIX::_exit(0) };
        open my $w, '>', $fifo or POSIX::_exit(1);
        my $line = "$feed->[0]\n" x 4096;
        print {$w} $line while 1;
    }
    my $r = rss_run('-f', $fifo);
    kill 'KILL', $pid;
    waitpid $pid, 0;
    is($r->{rc}, 3, "a FIFO fed '$feed->[0]' forever: exit 3");
    is($r->{lines}, 1, 'a FIFO fed forever: one line');
    like($r->{out}, $feed->[1], 'a FIFO fed forever: the limit named');
    cmp_ok($r->{rss} // 1e9, '<', 64 * 1024, "a FIFO fed forever: peak RSS $r->{rss} KB");
}
unlink $fifo;

# --- bad input ----------------------------------------------------------------------

my $bad = names_file('www.lab.test', 'not a name');
for my $case (
    [ ['-f', '/nonexistent/names'], qr/option -f: \/nonexistent\/names: No such file/, 'missing file' ],
    [ ['-f', $bad], qr/line 2: "not a name" is not a host name/, 'bad name in file' ],
    [ ['-f', names_file('# nothing')], qr/holds no names/, 'empty file' ],
    [ [], qr/give names with -H NAME or -f FILE/, 'no names' ],
    [ ['-H', '2001:db8:c::80'], qr/is not a host name/, 'an address as -H' ],
    [ ['-H', 'www.lab.test', '-p', '0'], qr/option -p/, 'port 0' ],
    [ ['-H', 'www.lab.test', '--families', '5'], qr/option --families/, 'bad family' ],
    [ ['-H', 'www.lab.test', '-s', 'ns1.lab.test'], qr/is not an address/, 'a name as -s' ],
    [ ['-H', 'www.lab.test', '-s', '2001:db8:d::53', '--authoritative'], qr/exclude each other/, '-s with --authoritative' ],
    [ ['-H', 'www.lab.test', '--probe-timeout', '20'], qr/-t 10 s is too short: --dns-timeout [\d.]+ s \+ --probe-timeout 20 s \+ 0\.2 s/, 'probe timeout over -t' ],
    [ ['-H', 'www.lab.test', '--authoritative', '--dns-timeout', '5'], qr/-t 10 s is too short: --dns-timeout 5 s \(twice with --authoritative\) \+ --probe-timeout 0 s \+ 0\.2 s/, 'two DNS phases over -t' ],
    [ ['-H', 'www.lab.test', '-p', ','], qr/option -p: "," is not a list of ports/, 'empty port list' ],
    [ ['-H', 'www.lab.test', '--max-concurrency', '0'], qr/option --max-concurrency: 0 is out of range/, 'max-concurrency 0' ],
    [ ['-H', 'www.lab.test', '--dead-critical', 'x'], qr/option --dead-critical/, 'bad range' ],
    [ ['-H', 'www.lab.test', '-a', 'www.lab.test'], qr/option -a: "www\.lab\.test" is not an address/, '-a NAME' ],
    [ ['-H', 'www.lab.test', '--dns-port', '0'], qr/option --dns-port/, '--dns-port 0' ],
) {
    my ($args, $re, $name) = @$case;
    $p = aaaa(@$args);
    is($p->{rc}, 3, "$name: exit 3");
    like($p->{first}, qr/^AAAA_CONSISTENCY UNKNOWN - /, "$name: UNKNOWN line");
    like($p->{first}, $re, "$name: says why");
    is_deeply($p->{perf}, {}, "$name: no perfdata");
}

done_testing();
