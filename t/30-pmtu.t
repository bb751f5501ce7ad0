#!/usr/bin/perl
# check_pmtu in the lab: the 1500 path, the MTU 1280 link with Packet Too
# Big, the same link with PTB dropped (pmtud-blackhole), ICMP > 1024 bytes
# screened (icmp-screen), the TCP diagnosis (with a cached path MTU too),
# hostile servers (trickle, stream, never closing, silent), IPv4 with DF,
# unanswered AAAA queries, high latency, loopback, --source/--interface,
# the -t state, a dead host, ping sockets, the raw fallback, bad options.
# Findings are asserted by code and state through --output-format json;
# the human sentence of each main verdict is checked once.
use strict;
use warnings;
use Test::More;
use lib 't/lib';
use V6Lab qw(perf_is long_like code_is no_code findings);

my $plugin = 'plugins/check_pmtu';
plan skip_all => "$plugin not built (run make)" unless -x $plugin;

my $lab = V6Lab->new(parts => [qw(web dns hostile)]);
my $A   = V6Lab::ADDR;

# Every run is bounded twice: -t for the plugin, timeout for the process.
# Every first line (perfdata aside) must fit 200 characters: the long ones
# are collected and checked once at the end.
my @too_long;
sub fits {
    my ($p) = @_;
    my $s = $p->{json} ? "PMTU $p->{json}{state} - $p->{json}{summary}" : (split / \|/, $p->{first})[0] // '';
    push @too_long, $s if length $s > 200;
    return $p;
}
my $check_pmtu = $lab->checker('check_pmtu', t => 8, timeout => 15, json => 1);
sub pmtu { fits($check_pmtu->(@_)) }
# The nagios form, for the human sentences (no -t: each run gives its own).
my $nagios = $lab->checker('check_pmtu', timeout => 15);
my $words = sub { fits($nagios->(@_)) };

sub fresh { $lab->off($_) for qw(pmtud-blackhole icmp-screen); $lab->flush }

sub ping_sockets {
    my ($open) = @_;
    my $r = $lab->run('mon', ['sysctl', '-w', 'net.ipv4.ping_group_range=' .
        ($open ? '0 2147483647' : '1 0')], timeout => 5);
    is($r->{rc}, 0, 'ping sockets ' . ($open ? 'opened' : 'closed'));
}

# The text of the first finding with this code.
sub text_of { my ($p, $code) = @_; my ($f) = findings($p, $code); $f ? $f->{output} : '' }

# --- healthy paths -----------------------------------------------------------

ping_sockets(0);    # root: the raw fallback
fresh();
my $p = pmtu('-H', $A->{near6});
is($p->{rc}, 0, '1500 path: OK');
code_is($p, 'path_mtu', 'OK', '1500 path');
perf_is($p, 'pmtu_v6', 1500, '1500 path');
ok($p->{perf}{rtt_1280} && $p->{perf}{rtt_1280}{uom} eq 's', '1500 path: rtt_1280 in seconds');
ok($p->{perf}{probes} && $p->{perf}{probes}{uom} eq 'c', '1500 path: probes counted');
like(text_of($p, 'probes'), qr/over a raw socket/, 'root with ping sockets closed: raw socket');
cmp_ok($p->{secs}, '<', 1, '1500 path: verdict in under a second');

fresh();
$p = $words->('-H', $A->{srv6});
is($p->{rc}, 0, '1280 link, PTB delivered: OK');
like($p->{first}, qr/^PMTU OK - IPv6 path MTU 1280 to 2001:db8:c::80 \(Packet Too Big from 2001:db8:a::1/,
    '1280 link: the sentence names the MTU and the PTB sender');
$p = pmtu('-H', $A->{srv6});
code_is($p, 'path_mtu', 'OK', '1280 link');
perf_is($p, 'pmtu_v6', 1280, '1280 link');
like(text_of($p, 'ptb'), qr/^IPv6: Packet Too Big from 2001:db8:a::1: MTU 1280 \(for a 1500-byte probe\)$/,
    '1280 link: the PTB sender');
cmp_ok($p->{perf}{probes}{value}, '<=', 5, '1280 link: at most 5 probes');
cmp_ok($p->{secs}, '<', 1, '1280 link: verdict in under a second');

$p = pmtu('-H', $A->{srv6}, '-w', '1400:', '-c', '1280:');
is($p->{rc}, 1, '1280 link with -w 1400: WARNING');
code_is($p, 'path_mtu', 'WARNING', '-w 1400:');
is($p->{perf}{pmtu_v6}{warn}, '1400:', '-w range in perfdata');
is($p->{perf}{pmtu_v6}{crit}, '1280:', '-c range in perfdata');

$p = pmtu('-H', $A->{srv6}, '-c', '1400:');
is($p->{rc}, 2, '1280 link with -c 1400: CRITICAL');
code_is($p, 'path_mtu', 'CRITICAL', '-c 1400:');

# The kernel now caches PMTU 1280 for srv; probes must not trust it.
$p = pmtu('-H', $A->{srv6}, '--max-size', '1400');
like(text_of($p, 'probes'), qr/cached path MTU 1280 was not used/, 'the cached PMTU is seen and not used');
perf_is($p, 'pmtu_v6', 1280, 'cached PMTU run');

# --- item 2: tcp mode after icmp mode taught this host the path MTU ----------

$p = pmtu('--mode', 'tcp', '-H', $A->{srv6}, '-u', '/large.html');
is($p->{rc}, 0, 'tcp with a cached path MTU: OK (the response arrives)');
code_is($p, 'mss_clamped_locally', 'OK', 'tcp with a cached path MTU');
like(text_of($p, 'mss_clamped_locally'), qr/could not be tested: this host caches path MTU 1280 \(MSS 1208, not above the clamped 1220\)/,
    'tcp with a cached path MTU: says plainly what was not tested');
$p = pmtu('-4', '-H', $A->{srv4});
code_is($p, 'path_mtu', 'OK', 'IPv4 icmp mode teaches the cache');
$p = pmtu('--mode', 'tcp', '-4', '-H', $A->{srv4}, '-u', '/large.html');
is($p->{rc}, 0, 'tcp IPv4 with a cached path MTU: OK');
code_is($p, 'mss_clamped_locally', 'OK', 'tcp IPv4 with a cached path MTU');

# --- PMTUD blackhole -----------------------------------------------------------

$lab->on('pmtud-blackhole');    # no flush: the cache from above stays
$p = pmtu('-H', $A->{srv6});
is($p->{rc}, 2, 'blackhole (with a cached PMTU): CRITICAL');
code_is($p, 'pmtud_blackhole', 'CRITICAL', 'blackhole despite the kernel cache');
perf_is($p, 'pmtu_v6', 1280, 'blackhole');
cmp_ok($p->{secs}, '<', 4, 'blackhole: verdict within 4 s');
cmp_ok($p->{perf}{probes}{value}, '<=', 13, 'blackhole: at most 13 probes (was 37)');
like(text_of($p, 'sizes'), qr/^IPv6 sizes tried: 104\.\.1280 ok \(3 sizes\), 1281\.\.1500 lost/, 'blackhole: the sizes tried');

$lab->flush;
$p = $words->('-H', $A->{srv6}, '-t', '1');
is($p->{rc}, 2, 'blackhole, -t 1: still CRITICAL (retried before the deadline)');
like($p->{first}, qr/^PMTU CRITICAL - PMTUD blackhole: packets larger than 1280 bytes are dropped and no Packet Too Big comes back/,
    'blackhole: the sentence');
cmp_ok($p->{secs}, '<', 1.5, 'blackhole, -t 1: within -t + 0.5 s');

$lab->flush;
$p = pmtu('-4', '-H', $A->{srv4});
is($p->{rc}, 2, 'IPv4 blackhole: CRITICAL');
code_is($p, 'pmtud_blackhole', 'CRITICAL', 'IPv4 blackhole');
like(text_of($p, 'pmtud_blackhole'), qr/no fragmentation needed comes back \(IPv4/, 'IPv4 blackhole: IPv4 words');
perf_is($p, 'pmtu_v4', 1280, 'IPv4 blackhole');

$p = pmtu('-H', $A->{near6});
is($p->{rc}, 0, 'blackhole on, 1500 path: still OK');

# --- TCP mode ------------------------------------------------------------------

$lab->flush;
$p = $words->('--mode', 'tcp', '-H', $A->{srv6}, '-u', '/large.html');
is($p->{rc}, 2, 'tcp, blackholed server: CRITICAL');
like($p->{first}, qr/^PMTU CRITICAL - PMTUD blackhole toward 2001:db8:c::80: Packet Too Big does not reach the server; with MSS 1220 the response arrives/,
    'tcp blackhole: the sentence');
cmp_ok($p->{perf}{bytes_clamped}{value}, '>', 204800, 'tcp: the clamped fetch got the whole page');
cmp_ok($p->{perf}{bytes_normal}{value}, '<', 204800, 'tcp: the normal fetch did not');
ok(defined $p->{perf}{time_normal} && defined $p->{perf}{time_clamped}, 'tcp: both times');

$lab->flush;
$p = pmtu('--mode', 'tcp', '-4', '-H', $A->{srv4}, '-u', '/large.html');
is($p->{rc}, 2, 'tcp IPv4, blackholed server: CRITICAL');
code_is($p, 'pmtud_blackhole', 'CRITICAL', 'tcp IPv4 blackhole');
like(text_of($p, 'pmtud_blackhole'), qr/with MSS 1240 the response arrives/, 'tcp IPv4: clamped to 1240');
ok($p->{perf}{bytes_clamped_v4}, 'tcp IPv4: perfdata with _v4');

$p = pmtu('--mode', 'tcp', '-H', $A->{near6}, '-u', '/large.html');
is($p->{rc}, 0, 'tcp, healthy 1500 server: OK');
code_is($p, 'fetch_complete', 'OK', 'tcp healthy');
is($p->{perf}{bytes_normal}{value}, $p->{perf}{bytes_clamped}{value}, 'tcp healthy: same bytes');

fresh();
$p = pmtu('--mode', 'tcp', '-H', $A->{srv6}, '-u', '/large.html');
is($p->{rc}, 0, 'tcp, 1280 link with PTB: OK');
code_is($p, 'fetch_complete', 'OK', 'tcp 1280 link');

$p = pmtu('--mode', 'tcp', '-H', $A->{srv6}, '-p', '8', '-u', '/large.html');
is($p->{rc}, 2, 'tcp, closed port: CRITICAL');
code_is($p, 'fetch_failed', 'CRITICAL', 'tcp closed port');
like(text_of($p, 'fetch_failed'), qr/normal MSS: Connection refused; MSS 1220: Connection refused/, 'tcp closed port: each reason');

# --- items 3 and 7: hostile servers --------------------------------------------

fresh();
my $tcp3c = $lab->checker('check_pmtu', t => 3, timeout => 10, json => 1);
my $tcp3 = sub { fits($tcp3c->(@_)) };
$p = $tcp3->('--mode', 'tcp', '-H', $A->{srv6}, '-p', 8003);
is($p->{rc}, 3, 'steady 2 MB/s stream cut by -t: the -t state (UNKNOWN)');
code_is($p, 'still_receiving', 'UNKNOWN', 'steady stream');
no_code($p, 'pmtud_blackhole', 'steady stream is no blackhole');
like(text_of($p, 'still_receiving'), qr/still receiving at \d+ KB\/s when -t ran out during the IPv6 fetch/,
    'steady stream: the rate and the step');
cmp_ok($p->{secs}, '<', 3.5, 'steady stream: within -t + 0.5 s');

$p = $lab->plugin('check_pmtu', '--mode', 'tcp', '-H', $A->{srv6}, '-p', 8003, '-t', '3:critical',
    '--output-format', 'json', { timeout => 10 });
is($p->{rc}, 2, 'steady stream, -t 3:critical: CRITICAL');
code_is($p, 'still_receiving', 'CRITICAL', 'steady stream, -t 3:critical');

$p = $tcp3->('--mode', 'tcp', '-H', $A->{srv4}, '-p', 8002);
is($p->{rc}, 3, 'trickle of 1 B/s: the -t state');
code_is($p, 'still_receiving', 'UNKNOWN', 'trickle');
no_code($p, 'fetch_failed', 'trickle is not "no response"');
like(text_of($p, 'still_receiving'), qr/still receiving at [12] B\/s/, 'trickle: 1 byte a second');

for my $t (2, 3) {
    $p = $lab->plugin('check_pmtu', '--mode', 'tcp', '-H', $A->{srv6}, '-p', 8004, '-t', $t,
        '--output-format', 'json', { timeout => 10 });
    is($p->{rc}, 0, "complete response on an open connection, -t $t: OK");
    code_is($p, 'fetch_complete', 'OK', "Content-Length 204800, never closed, -t $t");
}
$p = pmtu('--mode', 'tcp', '-H', $A->{srv6}, '-p', 8004, '--response-size', 1000);
code_is($p, 'fetch_complete', 'OK', '--response-size: complete after that many bytes');

$p = pmtu('--mode', 'tcp', '-H', $A->{srv6}, '-p', 8001);
is($p->{rc}, 2, 'silent server: CRITICAL');
code_is($p, 'fetch_failed', 'CRITICAL', 'silent server');
like(text_of($p, 'fetch_failed'), qr/no byte within 2\.0 s of connecting/, 'silent server: no byte for --stall');

# --- ICMP size screening ---------------------------------------------------------

fresh();
$lab->on('icmp-screen');
$p = $words->('-H', $A->{near6});
is($p->{rc}, 2, 'icmp-screen: CRITICAL');
like($p->{first}, qr/^PMTU CRITICAL - ICMPv6 size screening: ICMPv6 larger than 1024 bytes dropped on the path/,
    'icmp-screen: the sentence');
$p = pmtu('-H', $A->{near6});
code_is($p, 'icmp_screening', 'CRITICAL', 'icmp-screen');
perf_is($p, 'pmtu_v6', 1024, 'icmp-screen');
cmp_ok($p->{perf}{probes}{value}, '<=', 13, 'icmp-screen: at most 13 probes');

$p = pmtu('-H', $A->{srv6});
code_is($p, 'icmp_screening', 'CRITICAL', 'icmp-screen behind the 1280 link');
fresh();

# --- both families, IPv4 with DF ---------------------------------------------------

$p = $words->('-H', 'www.lab.test');
is($p->{rc}, 0, 'www.lab.test, both families: OK');
my ($line) = split / \|/, $p->{first};
is($line, 'PMTU OK - www.lab.test: IPv6 path MTU 1280; IPv4 path MTU 1280', 'both families: a short first line');
$p = pmtu('-H', 'www.lab.test');
is(scalar(grep { $_->{code} eq 'path_mtu' && $_->{state} eq 'OK' } @{ $p->{json}{checks} }), 2,
    'both families judged separately');
perf_is($p, 'pmtu_v4', 1280, 'both families');
perf_is($p, 'pmtu_v6', 1280, 'both families');
ok($p->{perf}{rtt_1280_v4}, 'IPv4 rtt_1280_v4');
like(text_of($p, 'ptb'), qr/from 2001:db8:a::1|from 198\.51\.100\.1/, 'PTB / frag-needed senders');
ok((grep { $_->{output} =~ /fragmentation needed from 198\.51\.100\.1: MTU 1280/ } findings($p, 'ptb')),
    'IPv4 with DF: frag-needed from r1');
cmp_ok($p->{secs}, '<', 1, 'both families at once: under a second');

$p = pmtu('-4', '-H', $A->{near4});
is($p->{rc}, 0, 'IPv4 1500 path: OK');
perf_is($p, 'pmtu_v4', 1500, 'IPv4 1500 path');

$p = pmtu('-6', '-H', 'www.lab.test');
is($p->{rc}, 0, '-6 with a name: OK');
perf_is($p, 'pmtu_v6', 1280, '-6 with a name');
ok(!exists $p->{perf}{pmtu_v4} && !exists $p->{perf}{rtt_1280_v4}, '-6: no IPv4 perfdata');

# --- item 1: AAAA queries unanswered (a GSLB that ignores AAAA), default -t ----------

$lab->on('dns-noaaaa');
my $t10c = $lab->checker('check_pmtu', timeout => 15, json => 1);
my $t10 = sub { fits($t10c->(@_)) };
$p = $t10->('-H', 'www.lab.test');
is($p->{rc}, 2, 'dns-noaaaa: CRITICAL');
code_is($p, 'aaaa_unanswered', 'CRITICAL', 'dns-noaaaa');
like(text_of($p, 'aaaa_unanswered'),
    qr/^AAAA query for www\.lab\.test unanswered after [\d.]+ s while A answered in [\d.]+ s: clients asking for AAAA wait/,
    'dns-noaaaa: the shared wording');
code_is($p, 'path_mtu', 'OK', 'dns-noaaaa: IPv4 still checked');
perf_is($p, 'pmtu_v4', 1280, 'dns-noaaaa');
is($p->{json}{summary}, 'www.lab.test: AAAA query unanswered; IPv4 path MTU 1280', 'dns-noaaaa: both named on the first line');
cmp_ok($p->{secs}, '<', 10.5, 'dns-noaaaa: within -t');
$p = $t10->('--mode', 'tcp', '-H', 'www.lab.test', '-u', '/large.html');
is($p->{rc}, 2, 'dns-noaaaa, tcp: CRITICAL');
code_is($p, 'aaaa_unanswered', 'CRITICAL', 'dns-noaaaa, tcp');
ok((grep { ($_->{family} // '') eq 'ipv4' && $_->{state} eq 'OK' && $_->{code} =~ /^(fetch_complete|mss_clamped_locally)$/ }
    @{ $p->{json}{checks} }), 'dns-noaaaa, tcp: IPv4 fetched, OK');
no_code($p, 'fetch_failed', 'dns-noaaaa, tcp: IPv4 not failed');
$lab->off('dns-noaaaa');

# --- high latency: the probe timeout follows the first reply ---------------------------

$lab->flush;
$lab->on('latency-v6', 700);
$p = pmtu('-H', 'www.lab.test');
is($p->{rc}, 0, 'IPv6 at 700 ms: OK');
perf_is($p, 'pmtu_v6', 1280, 'IPv6 at 700 ms');
perf_is($p, 'pmtu_v4', 1280, 'IPv6 at 700 ms');
cmp_ok($p->{perf}{rtt_1280}{value}, '>', 0.6, 'IPv6 at 700 ms: the round trip measured');
$lab->off('latency-v6');
$lab->on('latency-v4', 300);
$p = pmtu('-H', 'www.lab.test');
is($p->{rc}, 0, 'IPv4 at 300 ms: OK');
perf_is($p, 'pmtu_v4', 1280, 'IPv4 at 300 ms');
$lab->off('latency-v4');

# --- item 10: loopback, MTU 65536 ----------------------------------------------------

for my $lo ('::1', '127.0.0.1') {
    $p = pmtu('-H', $lo);
    is($p->{rc}, 0, "loopback $lo: OK");
    code_is($p, 'path_mtu', 'OK', "loopback $lo");
    perf_is($p, $lo eq '::1' ? 'pmtu_v6' : 'pmtu_v4', 65535, "loopback $lo: the largest IP packet");
    no_code($p, 'size_rejected', "loopback $lo");
}

# -H localhost resolves as the system does, /etc/hosts first.
$p = pmtu('-H', 'localhost');
is($p->{rc}, 0, '-H localhost: OK');
perf_is($p, 'pmtu_v4', 65535, '-H localhost');
ok((grep { $_->{output} =~ /^DNS A localhost: 127\.0\.0\.1 / } findings($p, 'dns_answer')), '-H localhost: A from the hosts file');

# --- --source and --interface ----------------------------------------------------------

$p = pmtu('-H', 'www.lab.test', '--source', $A->{mon6}, '--source', $A->{mon4}, '--interface', 'lanA');
is($p->{rc}, 0, '--source for each family and --interface: OK');
perf_is($p, 'pmtu_v6', 1280, '--source');
$p = pmtu('--mode', 'tcp', '-H', $A->{near6}, '-u', '/large.html', '--source', $A->{mon6});
code_is($p, 'fetch_complete', 'OK', 'tcp --source');
$p = pmtu('-H', $A->{srv6}, '--source', $A->{srv6});
is($p->{rc}, 3, '--source that is not ours: UNKNOWN');
code_is($p, 'source', 'UNKNOWN', '--source that is not ours');
$p = pmtu('--mode', 'tcp', '-H', $A->{srv6}, '--source', $A->{srv6});
is($p->{rc}, 3, 'tcp, --source that is not ours: UNKNOWN, not a failed fetch');
code_is($p, 'source', 'UNKNOWN', 'tcp, --source that is not ours');
$p = pmtu('-H', $A->{srv6}, '--interface', 'lanA', { user => 'nobody' });
is($p->{rc}, 3, 'nobody, --interface, ping sockets closed: UNKNOWN (no socket)');

# --- the -t state, dead host ------------------------------------------------------------

# A blackhole 700 ms away: the lost 1500 waits 4 round trips, longer than
# -t 2 leaves: the search is cut, and says so in the -t state.
$lab->on('latency-v6', 700);
$lab->on('pmtud-blackhole');
$p = $lab->plugin('check_pmtu', '-H', $A->{srv6}, '-t', '2', '--timeout-result', 'warning',
    '--output-format', 'json', { timeout => 10 });
is($p->{rc}, 1, 'search cut by -t, --timeout-result warning: WARNING');
code_is($p, 'search_incomplete', 'WARNING', 'search cut by -t');
like(text_of($p, 'search_incomplete'), qr/not settled when -t ran out during the path MTU search: 1280 bytes pass/,
    'search cut by -t: names the step and what passed');
perf_is($p, 'pmtu_v6', 1280, 'search cut by -t');
$lab->off('pmtud-blackhole');
$lab->off('latency-v6');

# IPv6 3 s away: -t 2 cuts the first wait for an echo reply.
$lab->on('latency-v6', 3000);
$p = $lab->plugin('check_pmtu', '-H', $A->{srv6}, '-t', '2', '--output-format', 'json', { timeout => 10 });
is($p->{rc}, 3, 'reply later than -t: the -t state (UNKNOWN)');
code_is($p, 'no_answer', 'UNKNOWN', 'reply later than -t');
like(text_of($p, 'no_answer'), qr/when -t ran out during the path MTU search/, 'reply later than -t: names the step');
ok(!exists $p->{perf}{pmtu_v6}, 'reply later than -t: no MTU in perfdata');
cmp_ok($p->{secs}, '<', 2.5, 'reply later than -t: within -t + 0.5 s');
$p = $lab->plugin('check_pmtu', '-H', $A->{srv6}, '-t', '2', '--timeout-result', 'warning',
    '--output-format', 'json', { timeout => 10 });
is($p->{rc}, 1, 'reply later than -t, --timeout-result warning: WARNING');
code_is($p, 'no_answer', 'WARNING', 'reply later than -t, --timeout-result warning');
$p = $lab->plugin('check_pmtu', '-H', $A->{srv6}, '-t', '2:critical', '--output-format', 'json', { timeout => 10 });
is($p->{rc}, 2, 'reply later than -t, -t 2:critical: CRITICAL');
$lab->off('latency-v6');

$p = $words->('-H', $A->{dead6}, '-t', '6', '--unreachable', 'critical');
is($p->{rc}, 2, 'dead host, --unreachable critical: CRITICAL');
like($p->{first}, qr/^PMTU CRITICAL - IPv6 2001:db8:c::99 (does not answer|unreachable)/, 'dead host: the sentence');

$p = $lab->plugin('check_pmtu', '--mode', 'tcp', '-H', $A->{dead6}, '-t', '3:critical', '--stall', '30',
    '--output-format', 'json', { timeout => 10 });
is($p->{rc}, 2, 'tcp dead host, -t 3:critical --stall 30: the -t state');
code_is($p, 'fetch_failed', 'CRITICAL', 'tcp dead host, -t cut the connect');
like(text_of($p, 'fetch_failed'), qr/no connection when -t ran out/, 'tcp dead host: says -t ran out');
cmp_ok($p->{secs}, '<', 3.5, 'tcp dead host: within -t + 0.5 s');

# --- unprivileged user --------------------------------------------------------------

$p = pmtu('-H', $A->{srv6}, { user => 'nobody' });
is($p->{rc}, 3, 'nobody without ping sockets: UNKNOWN');
like($p->{json}{summary}, qr/ping_group_range/, 'nobody without ping sockets: says which sysctl');

ping_sockets(1);
$lab->flush;
$p = pmtu('-H', 'www.lab.test', '--interface', 'lanA', { user => 'nobody' });
is($p->{rc}, 0, 'nobody with ping sockets (and --interface): OK');
perf_is($p, 'pmtu_v6', 1280, 'nobody');
ok((grep { $_->{output} =~ /^IPv6: \d+ echo requests over a ping socket/ } findings($p, 'probes')), 'nobody: IPv6 ping socket');
ok((grep { $_->{output} =~ /^IPv4: \d+ echo requests over a ping socket/ } findings($p, 'probes')), 'nobody: IPv4 ping socket');
$lab->on('pmtud-blackhole');
$lab->flush;
$p = pmtu('-H', $A->{srv6}, { user => 'nobody' });
code_is($p, 'pmtud_blackhole', 'CRITICAL', 'nobody, ping socket: blackhole found');
$lab->off('pmtud-blackhole');
ping_sockets(0);

# --- a blackhole for IPv6 alone: each family judged on its own -----------------------

$lab->on('pmtud-blackhole-v6');
$p = $words->('-H', 'www.lab.test');
is($p->{rc}, 2, 'IPv6-only blackhole: CRITICAL');
($line) = split / \|/, $p->{first};
is($line, 'PMTU CRITICAL - www.lab.test: IPv6 PMTUD blackhole above 1280 bytes; IPv4 path MTU 1280',
    'IPv6-only blackhole: one short phrase a family');
$p = pmtu('-H', 'www.lab.test');
ok((grep { $_->{code} eq 'pmtud_blackhole' && $_->{family} eq 'ipv6' && $_->{state} eq 'CRITICAL' } @{ $p->{json}{checks} }),
    'IPv6-only blackhole: IPv6 blackhole');
ok((grep { $_->{code} eq 'path_mtu' && $_->{family} eq 'ipv4' && $_->{state} eq 'OK' } @{ $p->{json}{checks} }),
    'IPv6-only blackhole: IPv4 MTU');
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
    [ 'bad response size',   [ '-H', $A->{srv6}, '--response-size', '-1' ], qr/--response-size/ ],
) {
    my ($name, $args, $like) = @$bad;
    my $r = $lab->plugin('check_pmtu', @$args, { timeout => 10 });
    is($r->{rc}, 3, "$name: exit 3");
    like($r->{first}, qr/^PMTU UNKNOWN - /, "$name: one line");
    like($r->{first}, $like, "$name: names the problem");
}

is_deeply(\@too_long, [], 'every first line within 200 characters');

done_testing();
