#!/usr/bin/perl
# check_pmtu in the lab: the 1500 path, the MTU 1280 link with Packet Too
# Big, the same link with PTB dropped (pmtud-blackhole), ICMP > 1024 bytes
# screened (icmp-screen), the TCP diagnosis, IPv4 with DF, a dead host,
# ping sockets for an unprivileged user, the raw fallback, bad options.
use strict;
use warnings;
use Test::More;
use lib 't/lib';
use V6Lab qw(perf_is long_like);

my $plugin = 'plugins/check_pmtu';
plan skip_all => "$plugin not built (run make)" unless -x $plugin;

my $lab = V6Lab->new(parts => [qw(web dns)]);
my $A   = V6Lab::ADDR;

# Every run is bounded twice: -t for the plugin, timeout for the process.
my $check_pmtu = $lab->checker('check_pmtu', t => 8, timeout => 15);
sub pmtu { $check_pmtu->(@_) }

sub fresh { $lab->off($_) for qw(pmtud-blackhole icmp-screen); $lab->flush }

sub ping_sockets {
    my ($open) = @_;
    my $r = $lab->run('mon', ['sysctl', '-w', 'net.ipv4.ping_group_range=' .
        ($open ? '0 2147483647' : '1 0')], timeout => 5);
    is($r->{rc}, 0, 'ping sockets ' . ($open ? 'opened' : 'closed'));
}

# --- healthy paths -----------------------------------------------------------

ping_sockets(0);    # root: the raw fallback
fresh();
my $p = pmtu('-H', $A->{near6});
is($p->{rc}, 0, '1500 path: OK');
like($p->{first}, qr/^PMTU OK - IPv6 path MTU 1500 to 2001:db8:d::80/, '1500 path: says 1500');
perf_is($p, 'pmtu_v6', 1500, '1500 path');
ok($p->{perf}{rtt_1280} && $p->{perf}{rtt_1280}{uom} eq 's', '1500 path: rtt_1280 in seconds');
ok($p->{perf}{probes} && $p->{perf}{probes}{uom} eq 'c', '1500 path: probes counted');
like($p->{out}, qr/over a raw socket/, 'root with ping sockets closed: raw socket');
cmp_ok($p->{secs}, '<', 1, '1500 path: verdict in under a second');

fresh();
$p = pmtu('-H', $A->{srv6});
is($p->{rc}, 0, '1280 link, PTB delivered: OK');
like($p->{first}, qr/^PMTU OK - IPv6 path MTU 1280 to 2001:db8:c::80 \(Packet Too Big from 2001:db8:a::1/,
    '1280 link: MTU and the PTB sender');
perf_is($p, 'pmtu_v6', 1280, '1280 link');
like($p->{out}, qr/^\[OK\] IPv6: Packet Too Big from 2001:db8:a::1: MTU 1280 \(for a 1500-byte probe\)$/m,
    '1280 link: the PTB sender in the long output');
cmp_ok($p->{perf}{probes}{value}, '<=', 5, '1280 link: at most 5 probes');
cmp_ok($p->{secs}, '<', 1, '1280 link: verdict in under a second');

$p = pmtu('-H', $A->{srv6}, '-w', '1400:', '-c', '1280:');
is($p->{rc}, 1, '1280 link with -w 1400: WARNING');
like($p->{first}, qr/^PMTU WARNING - IPv6 path MTU 1280/, '-w 1400: the MTU named');
is($p->{perf}{pmtu_v6}{warn}, '1400:', '-w range in perfdata');
is($p->{perf}{pmtu_v6}{crit}, '1280:', '-c range in perfdata');

$p = pmtu('-H', $A->{srv6}, '-c', '1400:');
is($p->{rc}, 2, '1280 link with -c 1400: CRITICAL');
like($p->{first}, qr/^PMTU CRITICAL - IPv6 path MTU 1280 to 2001:db8:c::80 \(Packet Too Big/, '-c 1400: the MTU named');
is($p->{perf}{pmtu_v6}{crit}, '1400:', '-c 1400: range in perfdata');

# The kernel now caches PMTU 1280 for srv; probes must not trust it.
$p = pmtu('-H', $A->{srv6}, '--max-size', '1400');
like($p->{out}, qr/cached path MTU 1280 was not used/, 'the cached PMTU is seen and not used');
perf_is($p, 'pmtu_v6', 1280, 'cached PMTU run');

# --- PMTUD blackhole -----------------------------------------------------------

$lab->on('pmtud-blackhole');    # no flush: the cache from above stays
$p = pmtu('-H', $A->{srv6});
is($p->{rc}, 2, 'blackhole (with a cached PMTU): CRITICAL');
like($p->{first}, qr/^PMTU CRITICAL - PMTUD blackhole: packets larger than 1280 bytes are dropped and no Packet Too Big comes back/,
    'blackhole: named with the size, despite the kernel cache');
perf_is($p, 'pmtu_v6', 1280, 'blackhole');
cmp_ok($p->{secs}, '<', 4, 'blackhole: verdict within 4 s');
cmp_ok($p->{perf}{probes}{value}, '<=', 13, 'blackhole: at most 13 probes (was 37)');
long_like($p, qr/^\[OK\] IPv6 sizes tried: 104\.\.1280 ok \(3 sizes\), 1281\.\.1500 lost/, 'blackhole: the sizes tried');

$lab->flush;
$p = pmtu('-H', $A->{srv6}, '-t', '1');
is($p->{rc}, 2, 'blackhole, -t 1: still CRITICAL (retried before the deadline)');
like($p->{first}, qr/^PMTU CRITICAL - PMTUD blackhole: packets larger than 1280 bytes/, 'blackhole, -t 1: named');
perf_is($p, 'pmtu_v6', 1280, 'blackhole, -t 1');
cmp_ok($p->{secs}, '<', 1.5, 'blackhole, -t 1: within -t + 0.5 s');

$lab->flush;
$p = pmtu('-4', '-H', $A->{srv4});
is($p->{rc}, 2, 'IPv4 blackhole: CRITICAL');
like($p->{first}, qr/PMTUD blackhole: packets larger than 1280 bytes are dropped and no fragmentation needed comes back \(IPv4/,
    'IPv4 blackhole: named');
perf_is($p, 'pmtu_v4', 1280, 'IPv4 blackhole');

$p = pmtu('-H', $A->{near6});
is($p->{rc}, 0, 'blackhole on, 1500 path: still OK');

# --- TCP mode ------------------------------------------------------------------

$lab->flush;
$p = pmtu('--mode', 'tcp', '-H', $A->{srv6}, '-u', '/large.html');
is($p->{rc}, 2, 'tcp, blackholed server: CRITICAL');
like($p->{first}, qr/^PMTU CRITICAL - PMTUD blackhole toward 2001:db8:c::80: Packet Too Big does not reach the server; with MSS 1220 the response arrives/,
    'tcp: the MSS explanation');
cmp_ok($p->{perf}{bytes_clamped}{value}, '>', 204800, 'tcp: the clamped fetch got the whole page');
cmp_ok($p->{perf}{bytes_normal}{value}, '<', 204800, 'tcp: the normal fetch did not');
ok(defined $p->{perf}{time_normal} && defined $p->{perf}{time_clamped}, 'tcp: both times');

$lab->flush;
$p = pmtu('--mode', 'tcp', '-4', '-H', $A->{srv4}, '-u', '/large.html');
is($p->{rc}, 2, 'tcp IPv4, blackholed server: CRITICAL');
like($p->{first}, qr/with MSS 1240 the response arrives/, 'tcp IPv4: clamped to 1240');
ok($p->{perf}{bytes_clamped_v4}, 'tcp IPv4: perfdata with _v4');

$p = pmtu('--mode', 'tcp', '-H', $A->{near6}, '-u', '/large.html');
is($p->{rc}, 0, 'tcp, healthy 1500 server: OK');
like($p->{first}, qr/^PMTU OK - IPv6 2001:db8:d::80: both fetches complete/, 'tcp healthy: both complete');
is($p->{perf}{bytes_normal}{value}, $p->{perf}{bytes_clamped}{value}, 'tcp healthy: same bytes');

fresh();
$p = pmtu('--mode', 'tcp', '-H', $A->{srv6}, '-u', '/large.html');
is($p->{rc}, 0, 'tcp, 1280 link with PTB: OK');
like($p->{first}, qr/both fetches complete/, 'tcp 1280 link: both complete');

$p = pmtu('--mode', 'tcp', '-H', $A->{srv6}, '-p', '8', '-u', '/large.html');
is($p->{rc}, 2, 'tcp, closed port: CRITICAL');
like($p->{first}, qr/both fetches failed: normal MSS: Connection refused; MSS 1220: Connection refused/,
    'tcp closed port: each reason');

# --- ICMP size screening ---------------------------------------------------------

fresh();
$lab->on('icmp-screen');
$p = pmtu('-H', $A->{near6});
is($p->{rc}, 2, 'icmp-screen: CRITICAL');
like($p->{first}, qr/^PMTU CRITICAL - ICMPv6 size screening: ICMPv6 larger than 1024 bytes dropped on the path/,
    'icmp-screen: screening named with the size');
perf_is($p, 'pmtu_v6', 1024, 'icmp-screen');
cmp_ok($p->{perf}{probes}{value}, '<=', 13, 'icmp-screen: at most 13 probes');

$p = pmtu('-H', $A->{srv6});
like($p->{first}, qr/ICMPv6 larger than 1024 bytes dropped on the path/, 'icmp-screen behind the 1280 link: screening too');
fresh();

# --- both families, IPv4 with DF ---------------------------------------------------

$p = pmtu('-H', 'www.lab.test');
is($p->{rc}, 0, 'www.lab.test, both families: OK');
like($p->{first}, qr/^PMTU OK - IPv6 path MTU 1280 to www\.lab\.test \[2001:db8:c::80\]/, 'both families: IPv6 first');
long_like($p, qr/^\[OK\] IPv4 path MTU 1280 to www\.lab\.test \[203\.0\.113\.80\]/, 'both families judged separately');
perf_is($p, 'pmtu_v4', 1280, 'both families');
perf_is($p, 'pmtu_v6', 1280, 'both families');
ok($p->{perf}{rtt_1280_v4}, 'IPv4 rtt_1280_v4');
like($p->{out}, qr/fragmentation needed from 198\.51\.100\.1: MTU 1280/, 'IPv4 with DF: frag-needed from r1');
cmp_ok($p->{secs}, '<', 1, 'both families at once: under a second');

$p = pmtu('-4', '-H', $A->{near4});
is($p->{rc}, 0, 'IPv4 1500 path: OK');
like($p->{first}, qr/^PMTU OK - IPv4 path MTU 1500 to 203\.0\.113\.180/, 'IPv4 1500 path: says 1500');
perf_is($p, 'pmtu_v4', 1500, 'IPv4 1500 path');

$p = pmtu('-6', '-H', 'www.lab.test');
is($p->{rc}, 0, '-6 with a name: OK');
like($p->{first}, qr/^PMTU OK - IPv6 path MTU 1280 to www\.lab\.test \[2001:db8:c::80\] \(Packet Too Big[^;|]*\|/, '-6: IPv6 alone');
perf_is($p, 'pmtu_v6', 1280, '-6 with a name');
ok(!exists $p->{perf}{pmtu_v4} && !exists $p->{perf}{rtt_1280_v4}, '-6: no IPv4 perfdata');

# --- dead host ----------------------------------------------------------------------

$p = pmtu('-H', $A->{dead6}, '-t', '5');
is($p->{rc}, 3, 'dead host: UNKNOWN');
like($p->{first}, qr/^PMTU UNKNOWN - IPv6 2001:db8:c::99 does not answer/, 'dead host: says so');
ok(!exists $p->{perf}{pmtu_v6}, 'dead host: no MTU in perfdata');
cmp_ok($p->{secs}, '<', 5.5, 'dead host: within -t');
$p = pmtu('-H', $A->{dead6}, '-t', '5', '--unreachable', 'critical');
is($p->{rc}, 2, 'dead host, --unreachable critical: CRITICAL');
like($p->{first}, qr/^PMTU CRITICAL - IPv6 2001:db8:c::99 (does not answer|unreachable)/, 'dead host, --unreachable critical: says so');
ok(!exists $p->{perf}{pmtu_v6} && $p->{perf}{probes}, 'dead host, --unreachable critical: probes, no MTU');
cmp_ok($p->{secs}, '<', 5.5, 'dead host, --unreachable critical: within -t');

$p = pmtu('--mode', 'tcp', '-H', $A->{dead6}, '-t', '3', '--stall', '30');
is($p->{rc}, 2, 'tcp, dead host: CRITICAL');
like($p->{first}, qr/both fetches failed: normal MSS: no connection before the deadline; MSS 1220: no connection/, 'tcp dead host: each reason');
is($p->{perf}{bytes_normal}{value}, 0, 'tcp dead host: bytes_normal=0');
cmp_ok($p->{secs}, '<', 3.5, 'tcp dead host, --stall 30 -t 3: within -t + 0.5 s');

# --- unprivileged user --------------------------------------------------------------

$p = pmtu('-H', $A->{srv6}, { user => 'nobody' });
is($p->{rc}, 3, 'nobody without ping sockets: UNKNOWN');
like($p->{first}, qr/ping_group_range/, 'nobody without ping sockets: says which sysctl');

ping_sockets(1);
$lab->flush;
$p = pmtu('-H', 'www.lab.test', { user => 'nobody' });
is($p->{rc}, 0, 'nobody with ping sockets: OK');
perf_is($p, 'pmtu_v6', 1280, 'nobody');
like($p->{out}, qr/IPv6: \d+ echo requests over a ping socket/, 'nobody: IPv6 ping socket');
like($p->{out}, qr/IPv4: \d+ echo requests over a ping socket/, 'nobody: IPv4 ping socket');
$lab->on('pmtud-blackhole');
$lab->flush;
$p = pmtu('-H', $A->{srv6}, { user => 'nobody' });
like($p->{first}, qr/PMTUD blackhole: packets larger than 1280 bytes/, 'nobody, ping socket: blackhole found');
$lab->off('pmtud-blackhole');
ping_sockets(0);

# --- a blackhole for IPv6 alone: each family judged on its own -----------------------

$lab->on('pmtud-blackhole-v6');
$p = pmtu('-H', 'www.lab.test');
is($p->{rc}, 2, 'IPv6-only blackhole: CRITICAL');
like($p->{first}, qr/^PMTU CRITICAL - PMTUD blackhole: packets larger than 1280 bytes are dropped and no Packet Too Big comes back \(IPv6 to www\.lab\.test \[2001:db8:c::80\]\)/,
     'IPv6-only blackhole: IPv6 blackhole first');
long_like($p, qr/^\[OK\] IPv4 path MTU 1280 to www\.lab\.test \[203\.0\.113\.80\] \(fragmentation needed from 198\.51\.100\.1 announcing 1280\)$/,
     'IPv6-only blackhole: IPv4 MTU 1280 from frag-needed');
perf_is($p, 'pmtu_v6', 1280, 'IPv6-only blackhole');
perf_is($p, 'pmtu_v4', 1280, 'IPv6-only blackhole');
$lab->off('pmtud-blackhole-v6');
$lab->flush;

# --- bad options ----------------------------------------------------------------------

for my $bad (
    [ 'unknown mode',        [ '-H', $A->{srv6}, '--mode', 'udp' ],    qr/--mode/ ],
    [ 'no host',             [],                                        qr/-H|hostname/ ],
    [ 'max below 1280',      [ '-H', $A->{srv6}, '--max-size', '1000' ], qr/1280/ ],
    [ 'min-size not a number', [ '-H', $A->{srv4}, '--min-size', 'x' ],   qr/--min-size/ ],
    [ 'address of the wrong family', [ '-4', '-H', $A->{srv6} ],        qr/is an IPv6 address/ ],
    [ 'bad threshold',       [ '-H', $A->{srv6}, '-w', 'abc' ],          qr/-w|warning/ ],
) {
    my ($name, $args, $like) = @$bad;
    my $r = $lab->plugin('check_pmtu', @$args, { timeout => 10 });
    is($r->{rc}, 3, "$name: exit 3");
    like($r->{first}, qr/^PMTU UNKNOWN - /, "$name: one line");
    like($r->{first}, $like, "$name: names the problem");
}

done_testing();
