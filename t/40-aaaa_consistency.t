#!/usr/bin/perl
# check_aaaa_consistency in the lab, against real nsd and unbound: a healthy
# name, the stale AAAA, three AAAA with one dead, the server that ignores
# AAAA queries (dns-noaaaa), an A-only name, NXDOMAIN, authoritative servers
# that disagree, REFUSED, -w/-c, dead-address thresholds, --max-concurrency,
# a lost IPv6 address (v6-addr-lost), 200 names from a file
# within -t, ICMP echo without privileges, bad files and options.
use strict;
use warnings;
use File::Temp qw(tempfile);
use Test::More;
use lib 't/lib';
use V6Lab qw(perf_is long_like);

my $plugin = 'plugins/check_aaaa_consistency';
plan skip_all => "$plugin not built (run make)" unless -x $plugin;

my $lab = V6Lab->new(parts => [qw(web dns)]);

# Every run is bounded twice: -t for the plugin, timeout for the process.
my $check_aaaa = $lab->checker('check_aaaa_consistency', t => 10, timeout => 20);
sub aaaa { $check_aaaa->(@_) }

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
like($p->{out}, qr/^\[OK\] www\.lab\.test AAAA 2001:db8:c::80: answered on tcp\/80 in /m,
     'www: one line per address');

# --- stale AAAA ---------------------------------------------------------------------

$p = aaaa('-H', 'stale.lab.test', '--probe-timeout', '1.5');
is($p->{rc}, 2, 'stale: CRITICAL');
like($p->{first}, qr/^AAAA_CONSISTENCY CRITICAL - 1 name, 1 AAAA, 1 dead: stale AAAA 2001:db8:c::99 for stale\.lab\.test: (no answer|unreachable) on tcp\/80 in 1?\.?\d* s.* while A 203\.0\.113\.80 answers \|/,
     'stale: names the address, the name, the port, the time and the live A');
perf_is($p, 'aaaa_dead', 1, 'stale');
perf_is($p, 'a_dead', 0, 'stale');
cmp_ok($p->{secs}, '<', 3, 'stale: about one probe timeout (1.5 s)');

$p = aaaa('-H', 'stale.lab.test', '--families', '4');
is($p->{rc}, 0, 'stale, --families 4: OK (the AAAA is not probed)');
perf_is($p, 'aaaa_dead', 0, 'stale, --families 4');
like($p->{out}, qr/AAAA 2001:db8:c::99: not probed/, 'stale, --families 4: says not probed');

$p = aaaa('-H', 'multi.lab.test', '-p', '80,443');
is($p->{rc}, 2, 'multi: CRITICAL');
like($p->{first}, qr/1 name, 3 AAAA, 1 dead: stale AAAA 2001:db8:c::99 for multi\.lab\.test/,
     'multi: names the dead one');
unlike($p->{first}, qr/2001:db8:c::8[01]/, 'multi: not the live ones');
perf_is($p, 'aaaa_dead', 1, 'multi');
perf_is($p, 'aaaa_total', 3, 'multi');

# --- the server that ignores AAAA queries -------------------------------------------

$lab->on('dns-noaaaa');
$p = aaaa('-H', 'www.lab.test', '--dns-timeout', '2');
is($p->{rc}, 2, 'dns-noaaaa: CRITICAL');
like($p->{first}, qr/AAAA query for www\.lab\.test unanswered after 2(?:\.0\d*)? s at system resolver while A answered in [\d.]+ s: clients asking for AAAA wait/,
     'dns-noaaaa: AAAA unanswered while A answers, both times');
cmp_ok($p->{perf}{dns_time_aaaa}{value}, '>=', 1.9, 'dns-noaaaa: dns_time_aaaa is the wait');
cmp_ok($p->{perf}{dns_time_a}{value}, '<', 1, 'dns-noaaaa: dns_time_a is quick');

$p = aaaa('-H', 'www.lab.test', '--authoritative', '--dns-timeout', '2');
is($p->{rc}, 2, 'dns-noaaaa, --authoritative: CRITICAL');
like($p->{out}, qr/AAAA query for www\.lab\.test unanswered after [\d.]+ s at ns1\.lab\.test \(203\.0\.113\.151\) while A answered/,
     'dns-noaaaa, --authoritative: ns1 named');
like($p->{out}, qr/AAAA query for name server ns1\.lab\.test: timeout/,
     'dns-noaaaa, --authoritative: the NS address lookup too');

# -t 4 holds two DNS phases and the probes only with shorter timeouts:
# they shrink to fit, and the servers that do answer A are not "silent".
$p = aaaa('-H', 'www.lab.test', '--authoritative', '-t', '4');
is($p->{rc}, 2, 'dns-noaaaa, --authoritative -t 4: CRITICAL');
like($p->{first}, qr/- 1 name, 0 AAAA, 0 dead: AAAA query unanswered \(www\.lab\.test\)/,
     'dns-noaaaa, -t 4: the AAAA query named first');
like($p->{out}, qr/AAAA query for www\.lab\.test unanswered after 1\.4\d* s at ns2\.lab\.test \(203\.0\.113\.152\) while A answered/,
     'dns-noaaaa, -t 4: waited the fitted 1.4 s');
unlike($p->{out}, qr/does not answer|cut short/, 'dns-noaaaa, -t 4: no server called silent');
perf_is($p, 'a_total', 1, 'dns-noaaaa, -t 4');
cmp_ok($p->{perf}{dns_time_aaaa}{value}, '>=', 1.3, 'dns-noaaaa, -t 4: dns_time_aaaa is the wait');
cmp_ok($p->{secs}, '<', 4.5, 'dns-noaaaa, -t 4: within -t + 0.5 s');
$lab->off('dns-noaaaa');

# --- NODATA, NXDOMAIN ---------------------------------------------------------------

$p = aaaa('-H', 'v4only.lab.test');
is($p->{rc}, 0, 'v4only: OK');
like($p->{out}, qr/^\[OK\] v4only\.lab\.test has no AAAA record$/m, 'v4only: says no AAAA');
perf_is($p, 'aaaa_total', 0, 'v4only');
$p = aaaa('-H', 'v4only.lab.test', '--require-aaaa');
is($p->{rc}, 2, 'v4only, --require-aaaa: CRITICAL');
like($p->{first}, qr/v4only\.lab\.test has no AAAA record \(--require-aaaa\)/, 'v4only, --require-aaaa: says so');

$p = aaaa('-H', 'nosuch.lab.test');
is($p->{rc}, 2, 'nosuch: CRITICAL');
like($p->{first}, qr/NXDOMAIN: nosuch\.lab\.test does not exist \(system resolver\)/, 'nosuch: NXDOMAIN');
perf_is($p, 'a_total', 0, 'nosuch');

# --- servers that disagree ----------------------------------------------------------

$p = aaaa('-H', 'diverge.lab.test', '--authoritative');
is($p->{rc}, 1, 'diverge, --authoritative: WARNING');
long_like($p, qr/servers disagree on AAAA for diverge\.lab\.test: ns1\.lab\.test \(203\.0\.113\.151, 2001:db8:d::5301\) says 2001:db8:c::80; ns2\.lab\.test \(203\.0\.113\.152, 2001:db8:d::5302\) says 2001:db8:c::81/,
     'diverge: which server said what, each NS once with both transports');
perf_is($p, 'aaaa_total', 2, 'diverge');
$p = aaaa('-H', 'diverge.lab.test', '--authoritative', '--strict');
is($p->{rc}, 2, 'diverge, --strict: CRITICAL');
$p = aaaa('-H', 'diverge.lab.test', '-s', '2001:db8:d::5301', '-s', '203.0.113.152');
is($p->{rc}, 1, 'diverge, two -s: WARNING');
like($p->{first}, qr/2001:db8:d::5301 says 2001:db8:c::80; 203\.0\.113\.152 says 2001:db8:c::81/, 'diverge, two -s: both named');
$p = aaaa('-H', 'www.lab.test', '--authoritative');
is($p->{rc}, 0, 'www, --authoritative: OK, four servers agree');
like($p->{out}, qr/slowest of 4 servers/, 'www, --authoritative: ns1 and ns2 over IPv4 and IPv6');

# --- REFUSED (ns1 refuses names outside lab.test), two -H ------------------------

$p = aaaa('-H', 'www.lab.test', '-H', 'www.example.com', '-s', '203.0.113.151');
is($p->{rc}, 2, 'REFUSED: CRITICAL');
like($p->{first}, qr/- 2 names, 1 AAAA, 0 dead: A REFUSED \(www\.example\.com\); AAAA REFUSED \(www\.example\.com\) \|/,
     'REFUSED: counts both names, names the refused one');
long_like($p, qr/^\[CRITICAL\] AAAA query for www\.example\.com: REFUSED from 203\.0\.113\.151 in [\d.]+ s$/,
          'REFUSED: the AAAA query and the server');
long_like($p, qr/^\[OK\] www\.lab\.test AAAA 2001:db8:c::80: answered on tcp\/80/, 'REFUSED: the other name checked');
perf_is($p, $_->[0], $_->[1], 'REFUSED') for [names => 2], [aaaa_total => 1], [a_total => 1];
ok(!exists $p->{perf}{dns_time_aaaa}, 'REFUSED, two names: no per-name DNS time');

# --- -w / -c: each DNS answer's time, ms ----------------------------------------

$p = aaaa('-H', 'www.lab.test', '-w', '0.001', '-c', '5000');
is($p->{rc}, 1, '-w 0.001: WARNING');
like($p->{first}, qr/: slow A answer \(www\.lab\.test\); slow AAAA answer \(www\.lab\.test\) \|/, '-w: both types named');
long_like($p, qr/^\[WARNING\] AAAA answer for www\.lab\.test took [\d.]+ ms at system resolver \(-w 0\.001\)$/, '-w: time and threshold');
is_deeply([ @{ $p->{perf}{dns_time_aaaa} }{qw(uom warn crit)} ], [ 's', '0.000001', '5' ], '-w/-c: perfdata in seconds');
$p = aaaa('-H', 'www.lab.test', '-c', '0.001');
is($p->{rc}, 2, '-c 0.001: CRITICAL');
long_like($p, qr/^\[CRITICAL\] A answer for www\.lab\.test took [\d.]+ ms at system resolver \(-c 0\.001\)$/, '-c: time and threshold');
is($p->{perf}{dns_time_a}{crit}, '0.000001', '-c: perfdata crit in seconds');
$p = aaaa('-H', 'www.lab.test', '-w', '4000', '-c', '5000');
is($p->{rc}, 0, '-w 4000 -c 5000: OK');
is($p->{perf}{dns_time_a}{warn}, '4', '-w 4000: perfdata warn 4 s');

# --- --dead-warning / --dead-critical -------------------------------------------

$p = aaaa('-H', 'stale.lab.test', '--probe-timeout', '1', '--dead-warning', '0', '--dead-critical', '1');
is($p->{rc}, 1, '--dead-critical 1: one dead is WARNING');
like($p->{first}, qr/WARNING - 1 name, 1 AAAA, 1 dead: stale AAAA 2001:db8:c::99 for stale\.lab\.test/,
     '--dead-warning: still names the stale AAAA');
perf_is($p, 'aaaa_dead', 1, '--dead-warning');
$p = aaaa('-H', 'stale.lab.test', '--probe-timeout', '1', '--dead-critical', '2');
is($p->{rc}, 0, '--dead-critical 2 alone: one dead is OK');
long_like($p, qr/^\[OK\] stale AAAA 2001:db8:c::99 for stale\.lab\.test/, '--dead-critical 2: listed');
perf_is($p, 'aaaa_dead', 1, '--dead-critical 2');

# --- --max-concurrency: four ports of one address, 300 ms away ----------------------

$lab->on('latency-v6', 300);
my @four = ('-H', 'www.lab.test', '--families', '6', '-p', '80,81,82,83');
my $all = aaaa(@four);
is($all->{rc}, 2, 'four ports at once: CRITICAL (81 is closed)');
like($all->{first}, qr/1 dead: dead AAAA 2001:db8:c::80 for www\.lab\.test: refused on tcp\/81 in [\d.]+ s \(connection refused\), and no other address of the name answers \|/,
     'four ports: the closed port named, no witness (A not probed)');
perf_is($all, 'aaaa_dead', 1, 'four ports');
my $one = aaaa(@four, '--max-concurrency', '1');
is($one->{rc}, 2, '--max-concurrency 1: CRITICAL');
like($one->{first}, qr/dead AAAA 2001:db8:c::80 for www\.lab\.test: refused on tcp\/81/, '--max-concurrency 1: same finding');
perf_is($one, 'aaaa_dead', 1, '--max-concurrency 1');
cmp_ok($one->{secs} - $all->{secs}, '>=', 0.6,
       "--max-concurrency 1: four 300 ms connects in turn ($one->{secs} s vs $all->{secs} s)");
$lab->off('latency-v6');

# --- a lost IPv6 address ------------------------------------------------------------

$lab->on('v6-addr-lost');
$lab->flush;
$p = aaaa('-H', 'www.lab.test', '-p', '443');
is($p->{rc}, 2, 'v6-addr-lost: CRITICAL');
like($p->{first}, qr/stale AAAA 2001:db8:c::80 for www\.lab\.test: .* on tcp\/443 .* while A 203\.0\.113\.80 answers/,
     'v6-addr-lost: the lost address is a stale AAAA');
$lab->off('v6-addr-lost');
$lab->flush;

# --- a lost IPv4 address: the stale record is the A ------------------------------

$lab->on('v4-addr-lost');
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
$p = aaaa('-H', 'www.lab.test', '--authoritative', '--dns-timeout', '2');
is($p->{rc}, 2, 'ns2-v6-silent: CRITICAL');
like($p->{first}, qr/^AAAA_CONSISTENCY CRITICAL - 1 name, 1 AAAA, 0 dead: ns2\.lab\.test does not answer over IPv6 \(2001:db8:d::5302\): 2 queries unanswered in [\d.]+ s, while it answers over IPv4 \(203\.0\.113\.152\) \|/,
     'ns2-v6-silent: the server and the transport named');
perf_is($p, 'aaaa_dead', 0, 'ns2-v6-silent');
perf_is($p, 'aaaa_total', 1, 'ns2-v6-silent');
$lab->off('ns2-v6-silent');

# --- a server that answers A but fails AAAA (contrib/lab/brokendns) ---------------

for my $case (
    [ 'nxaaaa', qr/2001:db8:d::5303 says nxaaaa\.gslb\.lab\.test does not exist when asked for AAAA, yet answers A 203\.0\.113\.80: inconsistent server/ ],
    [ 'sfaaaa', qr/AAAA query for sfaaaa\.gslb\.lab\.test: SERVFAIL from 2001:db8:d::5303 in [\d.]+ s/ ],
    [ 'rfaaaa', qr/AAAA query for rfaaaa\.gslb\.lab\.test: REFUSED from 2001:db8:d::5303 in [\d.]+ s/ ],
    [ 'garbage', qr/AAAA query for garbage\.gslb\.lab\.test: error Misformatted DNS reply from 2001:db8:d::5303 in [\d.]+ s/ ],
) {
    my ($label, $re) = @$case;
    $p = aaaa('-s', V6Lab::ADDR->{gslb6}, '-H', "$label.gslb.lab.test");
    is($p->{rc}, 2, "$label: CRITICAL");
    like($p->{first}, qr/^AAAA_CONSISTENCY CRITICAL - 1 name, 0 AAAA, 0 dead: $re \|/, "$label: named as such");
    perf_is($p, 'a_total', 1, $label);
    perf_is($p, 'aaaa_total', 0, $label);
    long_like($p, qr/^\[OK\] \Q$label\E\.gslb\.lab\.test A 203\.0\.113\.80: answered on tcp\/80/, "$label: A still probed");
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
like($p->{out}, qr/^\[CRITICAL\] stale AAAA 2001:db8:c::99 for h004\.lab\.test/m,
     '201 names: long output starts with the findings');

# --- ICMP ---------------------------------------------------------------------------

$p = aaaa('-H', 'stale.lab.test', '--icmp', '--probe-timeout', '1');
is($p->{rc}, 2, 'ICMP, root: stale AAAA CRITICAL');
like($p->{first}, qr/stale AAAA 2001:db8:c::99 for stale\.lab\.test: .* ICMP echo/, 'ICMP: the echo named');

$p = aaaa('-H', 'www.lab.test', '--icmp', { user => 'nobody' });
is($p->{rc}, 3, 'ICMP, nobody without ping sockets: UNKNOWN');
like($p->{first}, qr/ICMP echo impossible/, 'ICMP, nobody: says so');
like($p->{out}, qr/ping_group_range/, 'ICMP, nobody: names the sysctl');
my $r = $lab->run('mon', ['sysctl', '-w', 'net.ipv4.ping_group_range=0 2147483647'], timeout => 5);
is($r->{rc}, 0, 'ping sockets opened');
$p = aaaa('-H', 'www.lab.test', '--icmp', { user => 'nobody' });
is($p->{rc}, 0, 'ICMP, nobody with ping sockets: OK');
like($p->{out}, qr/AAAA 2001:db8:c::80: answered on ICMP echo/, 'ICMP, nobody: echo answered');
perf_is($p, 'aaaa_dead', 0, 'ICMP, nobody');

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
) {
    my ($args, $re, $name) = @$case;
    $p = aaaa(@$args);
    is($p->{rc}, 3, "$name: exit 3");
    like($p->{first}, qr/^AAAA_CONSISTENCY UNKNOWN - /, "$name: UNKNOWN line");
    like($p->{first}, $re, "$name: says why");
    is_deeply($p->{perf}, {}, "$name: no perfdata");
}

done_testing();
