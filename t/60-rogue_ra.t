#!/usr/bin/perl
# check_rogue_ra in the lab's RA LAN (part ra): the baseline, each fault
# (rogue router, rogue /48, second prefix, spoofed link-local, the known
# router's /48, extra prefix and lifetime 0), hand-made hostile RAs from
# contrib/lab/ra-send, RAs behind extension headers and fragments, an
# flood_router26 flood, passive mode, this host's accept_ra, the plugin as
# an unprivileged user with and without cap_net_raw, bad options.
use strict;
use warnings;
use File::Temp qw(tempdir);
use Test::More;
use lib 't/lib';
use V6Lab qw(code_is no_code perf_is findings codes);

my $plugin = 'plugins/check_rogue_ra';
plan skip_all => "$plugin not built (run make)" unless -x $plugin;

my $lab = V6Lab->new(parts => ['ra']);
my @POLICY = ('-i', 'lan0', '--router', 'fe80::1@02:00:00:00:00:01', '--prefix', '2001:db8:1a::/64');

# Every run is bounded twice: -t for the plugin, timeout for the process.
my $check = $lab->checker('check_rogue_ra', t => 5, json => 1, timeout => 15);
sub ra { $check->(@_, { node => 'ramon' }) }

sub router_of {
    my ($p, $code) = @_;
    return join ',', sort map { $_->{router} // '' } findings($p, $code);
}

# Router Solicitations ramon has sent, from its own ICMPv6 counters.
sub solicitations {
    my $r = $lab->run('ramon', ['cat', '/proc/net/snmp6'], timeout => 5);
    return $r->{out} =~ /^Icmp6OutRouterSolicits\s+(\d+)/m ? $1 : -1;
}

# --- a healthy link -------------------------------------------------------

my $p = ra('-i', 'lan0', '--baseline');
is($p->{rc}, 0, 'baseline: OK');
is($p->{json}{summary}, 'baseline of lan0: --router fe80::1@02:00:00:00:00:01 --prefix 2001:db8:1a::/64',
    'baseline: the options that describe the link');

my $rs = solicitations();
$p = ra(@POLICY, '--accept-ra', 'no', '--mtu', '1500', '--rdnss', '2001:db8:1a::53', '--flags', 'none');
is($p->{rc}, 0, 'the known router alone: OK');
is_deeply(codes($p), [qw(accept_ra router)], 'healthy: a router line and the host line');
perf_is($p, $_->[0], $_->[1], 'healthy') for [routers => 1], [prefixes => 1], [unknown_routers => 0], [malformed => 0];
cmp_ok($p->{perf}{ras}{value}, '>=', 1, 'healthy: RAs counted');
cmp_ok($p->{perf}{first_ra}{value}, '<', 0.6, 'healthy: the solicited RA within 0.6 s');
cmp_ok($p->{secs}, '<', 2.0 + 0.5, 'healthy: verdict within --listen 2 + 0.5 s (namespace entry and process start included)');
is(solicitations() - $rs, 1, 'one Router Solicitation sent');
code_is($p, 'accept_ra', 'OK', '--accept-ra no on the monitoring port');

# --- faults -----------------------------------------------------------------

$lab->on('ra-rogue-router');
$p = $lab->plugin('check_rogue_ra', @POLICY, { node => 'ramon' });
is($p->{rc}, 2, 'rogue router (nagios form): CRITICAL');
like($p->{first}, qr/^ROGUE_RA CRITICAL - 2 routers, 2 prefixes on lan0: unknown router fe80::bad:1 \(02:00:00:00:0b:ad\) advertises 2001:db8:bad::\/64, router lifetime 1800 s, preference high \(\+2 more\) \|/,
    'rogue router: the sentence names address, MAC, prefix, lifetime, preference');
like($p->{out}, qr/^\[OK\] fe80::1 \(02:00:00:00:00:01\): flags none, router lifetime 1800 s, preference medium, prefixes 2001:db8:1a::\/64, MTU 1500, RDNSS 2001:db8:1a::53, \d+ RAs?$/m,
    'rogue router: the known router\'s line');
$p = ra(@POLICY);
code_is($p, 'rogue_router', 'CRITICAL', 'rogue router');
code_is($p, 'rogue_prefix', 'CRITICAL', 'rogue router');
is(router_of($p, 'rogue_router'), 'fe80::bad:1', 'rogue router: named');
perf_is($p, 'unknown_routers', 1, 'rogue router');
$lab->off('ra-rogue-router');

$lab->on('ra-rogue-48');
$p = ra(@POLICY);
is($p->{rc}, 2, 'rogue /48: CRITICAL');
code_is($p, 'prefix_not_64', 'CRITICAL', 'rogue /48');
is(router_of($p, 'prefix_not_64'), 'fe80::bad:1', 'rogue /48: the router named');
like((findings($p, 'prefix_not_64'))[0]{output}, qr{2001:db8:bad::/48 for autoconfiguration: /48 is ignored by SLAAC: hosts get no address},
    'rogue /48: says why it matters');
$lab->off('ra-rogue-48');

$lab->on('ra-second-prefix');
$p = ra(@POLICY);
is($p->{rc}, 2, 'second prefix: CRITICAL');
is(router_of($p, 'rogue_prefix'), 'fe80::bad:2', 'second prefix: its router named');
code_is($p, 'too_many_prefixes', 'WARNING', 'second prefix');
perf_is($p, 'prefixes', 2, 'second prefix');
$lab->off('ra-second-prefix');

$lab->on('ra-spoofed');
$p = ra(@POLICY);
is($p->{rc}, 2, 'spoofed link-local: CRITICAL');
code_is($p, 'router_spoofed', 'CRITICAL', 'spoofed');
like((findings($p, 'router_spoofed'))[0]{output}, qr/^fe80::1 \(02:00:00:00:0b:0e\) is spoofed: the known router fe80::1 is 02:00:00:00:00:01/,
    'spoofed: both MACs named');
code_is($p, 'router', 'OK', 'spoofed: the real router still OK');
$lab->off('ra-spoofed');

$lab->on('ra-known-48');
$p = ra(@POLICY);
is($p->{rc}, 1, 'known router switching to /48: WARNING');
is_deeply(codes($p), [qw(accept_ra prefix_not_64 router)], 'known /48: prefix_not_64 alone');
is(router_of($p, 'prefix_not_64'), 'fe80::1', 'known /48: the router named');
$lab->off('ra-known-48');

$lab->on('ra-known-extra');
$p = ra(@POLICY);
is($p->{rc}, 2, 'known router adding a prefix: CRITICAL (not allowed)');
like((findings($p, 'rogue_prefix'))[0]{output}, qr/^fe80::1 \(02:00:00:00:00:01\) advertises a prefix not allowed: 2001:db8:1b::\/64$/,
    'extra prefix: named with its router');
code_is($p, 'too_many_prefixes', 'WARNING', 'extra prefix');
$lab->off('ra-known-extra');

$lab->on('ra-lifetime-0');
$p = ra(@POLICY);
is($p->{rc}, 1, 'lifetime 0: WARNING');
code_is($p, 'router_lifetime_zero', 'WARNING', 'lifetime 0');
like((findings($p, 'router_lifetime_zero'))[0]{output}, qr/^fe80::1 \(02:00:00:00:00:01\) stopped being a default router/,
    'lifetime 0: the sentence');
$lab->off('ra-lifetime-0');

# --- hand-made RAs -------------------------------------------------------------

# ra-send needs about half a second to start (scapy), then sends 3 rounds
# 0.4 s apart. Children must not assert (Test::More counts in the parent).
sub ra_raw { $lab->plugin('check_rogue_ra', '-t', '5', '--output-format', 'json', @_, { node => 'ramon', timeout => 15 }) }

sub with_sender {
    my ($kinds, @args) = @_;
    my ($r, $sent) = V6Lab::parallel(
        sub { ra_raw(@POLICY, '--listen', '4', @args) },
        sub { select undef, undef, undef, 0.2; $lab->run('rarogue', ["$V6Lab::REPO/contrib/lab/ra-send", @$kinds], timeout => 10) });
    is($sent->{rc}, 0, 'ra-send ran') or diag $sent->{err};
    V6Lab::plugin_contract_ok($r, "hand-made: @$kinds");
    return $r;
}

$p = with_sender([qw(hop64@fe80::bad:1 code1@fe80::bad:25 good@2001:db8:1a::bad zerolen@fe80::bad:21
    overrun@fe80::bad:22 badlen@fe80::bad:23 short@fe80::bad:24 mtulen@fe80::bad:26
    rdnsslen@fe80::bad:27 zerolen@fe80::1)]);
is($p->{rc}, 2, 'hand-made RAs: CRITICAL');
is($p->{json}{dropped}, 0, 'hand-made RAs: every finding fits the output');
my %env = map { $_->{router} => $_ } findings($p, 'ra_envelope');
like($env{'fe80::bad:1'}{output} // '', qr/^RA with hop limit 64 from fe80::bad:1: not from this link/, 'hop limit 64: not from this link');
like($env{'fe80::bad:25'}{output} // '', qr/^RA with code 1 from fe80::bad:25/, 'code 1');
like($env{'2001:db8:1a::bad'}{output} // '', qr/not a link-local source/, 'global source');
is($_->{state}, 'CRITICAL', "envelope $_->{router}: CRITICAL") for values %env;
my %bad = map { $_->{router} => $_ } findings($p, 'ra_malformed');
my %why = ('fe80::bad:21' => 'option of length 0', 'fe80::bad:22' => 'option runs past the end',
    'fe80::bad:23' => 'option length wrong for its type \(option type 3', 'fe80::bad:24' => 'shorter than the 16-byte RA header',
    'fe80::bad:26' => 'option length wrong for its type \(option type 5', 'fe80::bad:27' => 'option length wrong for its type \(option type 25');
for my $src (sort keys %why) {
    my $f = $bad{$src} // {};
    like($f->{output} // '', qr/malformed RAs? from unknown sender \Q$src\E: $why{$src}/, "malformed from $src: $why{$src}");
    is($f->{state} // '', 'CRITICAL', "malformed from unknown $src: CRITICAL");
}
is(($bad{'fe80::1'} // {})->{state} // '', 'WARNING', 'malformed from the known router: WARNING');
cmp_ok($p->{perf}{malformed}{value}, '>=', 7, 'malformed RAs counted');
code_is($p, 'router', 'OK', 'hand-made RAs: the known router still judged');

$p = with_sender([qw(hbh@fe80::bad:31 dest@fe80::bad:32 frag@fe80::bad:33 forged@fe80::1)]);
my %rogue = map { $_->{router} => 1 } findings($p, 'rogue_router');
ok($rogue{'fe80::bad:31'}, 'RA behind a hop-by-hop header: seen');
ok($rogue{'fe80::bad:32'}, 'RA behind a destination options header: seen');
ok($rogue{'fe80::bad:33'}, 'fragmented RA: reassembled and seen');
no_code($p, 'ra_malformed', 'extension headers');
# The Ethernet source, not the link-layer option, names the MAC.
code_is($p, 'router_spoofed', 'CRITICAL', 'known address and MAC both forged');
like((findings($p, 'router_spoofed'))[0]{output} // '', qr/^fe80::1 \(02:00:00:00:0b:ad, advertising 02:00:00:00:00:01\) is spoofed/,
    'forged option: the frame\'s MAC and the claimed one named');
code_is($p, 'router', 'OK', 'forged option: the real router still OK');

# --- passive, the SLAAC host ------------------------------------------------------

$rs = solicitations();
$p = ra(@POLICY, '--passive', '--listen', '4.6');
is($p->{rc}, 0, 'passive: OK (radvd advertises every 3-4 s)');
is(solicitations() - $rs, 0, 'passive: no Router Solicitation sent');
perf_is($p, 'routers', 1, 'passive');

$p = $check->(@POLICY, '--accept-ra', 'no', { node => 'raslaac' });
is($p->{rc}, 1, 'the SLAAC host with --accept-ra no: WARNING');
code_is($p, 'accept_ra_mismatch', 'WARNING', 'SLAAC host');
like((findings($p, 'accept_ra_mismatch'))[0]{output}, qr/^this server accepts RAs on lan0 \(accept_ra 1, forwarding 0\): a rogue router can change its routes$/,
    'SLAAC host: the sentence');

# --- privileges ---------------------------------------------------------------------

my $dir = tempdir('rogue_ra.XXXXXX', TMPDIR => 1, CLEANUP => 1);
chmod 0755, $dir;
system('cp', $plugin, "$dir/plain") == 0 or die 'cp';
system('cp', $plugin, "$dir/capped") == 0 or die 'cp';
system('setcap', 'cap_net_raw+ep', "$dir/capped") == 0 or die 'setcap';
$p = $lab->plugin("$dir/plain", @POLICY, { user => 'nobody', node => 'ramon' });
is($p->{rc}, 3, 'nobody without the capability: UNKNOWN');
like($p->{out}, qr/CAP_NET_RAW/, 'without the capability: names CAP_NET_RAW');
like($p->{out}, qr/setcap cap_net_raw\+ep \Q$dir\E\/plain/, 'without the capability: the setcap command');

my ($run, $status) = V6Lab::parallel(
    sub { $lab->plugin("$dir/capped", @POLICY, '-t', '5', '--listen', '2.5', { user => 'nobody', node => 'ramon', timeout => 10 }) },
    sub {
        select undef, undef, undef, 1.0;
        my $r = $lab->run('ramon', ['sh', '-c', "for p in \$(ip netns pids \$(ip netns identify)); do [ \"\$(readlink /proc/\$p/exe)\" = '$dir/capped' ] && cat /proc/\$p/status; done"], timeout => 5);
        return $r->{out};
    });
is($run->{rc}, 0, 'nobody with cap_net_raw+ep: the real result') or diag $run->{out};
like($status, qr/^CapEff:\s+0+$/m, 'while listening: CapEff 0');
like($status, qr/^CapPrm:\s+0+$/m, 'while listening: CapPrm 0');
like($status, qr/^NoNewPrivs:\s+1$/m, 'while listening: NoNewPrivs 1');
like($status, qr/^Uid:\s+65534\b/m, 'while listening: user nobody');

# --- bad options --------------------------------------------------------------

for my $bad (
    [['-i', 'nosuch0'], qr/no interface "nosuch0"/, 'unknown interface'],
    [[], qr/-i IFACE is required/, 'no -i'],
    [['-i', 'lan0', '--router', '2001:db8::1'], qr/not link-local/, '--router global'],
    [['-i', 'lan0', '--router', 'fe80::1@02:00'], qr/not a MAC address/, '--router bad MAC'],
    [['-i', 'lan0', '--prefix', '2001:db8::1/64'], qr/bits set past \/64/, '--prefix host bits'],
    [['-i', 'lan0', '--flags', 'X'], qr/--flags/, '--flags X'],
    [['-i', 'lan0', '--listen', '20'], qr/longer than -t/, '--listen beyond -t'],
    [['-i', 'lan0', '--accept-ra', 'maybe'], qr/accept-ra/, '--accept-ra maybe'],
    [['-i', 'lan0', '--max-ras', '0'], qr/max-ras/, '--max-ras 0'],
) {
    my ($args, $re, $name) = @$bad;
    my $b = $lab->plugin('check_rogue_ra', @$args, { node => 'ramon', timeout => 5 });
    is($b->{rc}, 3, "$name: exit 3");
    like($b->{out}, qr/^ROGUE_RA UNKNOWN - .*$re/m, "$name: says why");
    like($b->{out}, qr/^Usage: check_rogue_ra -i IFACE/m, "$name: usage line");
}

# --- a flood (last: it fills neighbor tables) -----------------------------------

# Every RA makes a neighbor entry for its source in each listener, and the
# IPv6 neighbor table is one for all namespaces on the machine (other labs
# run beside this one): during the flood only the flooder and ramon stay on
# the switch, the switch passes ramon at most 300 RAs a second, and their
# entries go right after. Still a flood to the plugin: > --max-ras 100.
my $ID = $lab->id;
my @ports = grep { !/^(ramon-lan0|rarogue-lan0)$/ }
    map { /^\d+: ([^\@:]+)/ ? $1 : () } split /\n/, `ip -n $ID-rasw -o link show master br0`;
system('ip', '-n', "$ID-rasw", 'link', 'set', $_, 'down') for @ports;
my $nft = "table bridge v6ops_flood {\n chain fwd {\n  type filter hook forward priority 0;\n"
    . "  oifname \"ramon-lan0\" icmpv6 type nd-router-advert limit rate over 300/second drop\n }\n}\n";
my $limit = $lab->run('rasw', ['sh', '-c', "printf '%s' '$nft' | nft -f -"], timeout => 10);
is($limit->{rc}, 0, 'flood: the switch limits RAs toward ramon') or diag($limit->{err});
my ($flood, $thc) = V6Lab::parallel(
    sub { select undef, undef, undef, 0.3; ra_raw(@POLICY, '-t', '3', '--listen', '3') },
    sub { $lab->run('rarogue', ['timeout', '1', 'atk6-flood_router26', 'lan0'], timeout => 10) });
$lab->run('rasw', [qw(nft delete table bridge v6ops_flood)], timeout => 10);
system('ip', '-n', "$ID-$_", 'neigh', 'flush', 'all') for qw(ramon rarogue);
system('ip', '-n', "$ID-rasw", 'link', 'set', $_, 'up') for @ports;
V6Lab::plugin_contract_ok($flood, 'flood');
$p = $flood;
is($p->{rc}, 2, 'flood: CRITICAL');
code_is($p, 'ra_flood', 'CRITICAL', 'flood');
like($p->{json}{summary}, qr/RA flood: \d+ RAs on lan0/, 'flood: the first line names it');
cmp_ok($p->{perf}{ras}{value}, '>', 100, 'flood: RAs counted past --max-ras');
cmp_ok($p->{secs}, '<', 3.5, 'flood: ends within -t 3 + 0.5 s');
cmp_ok($p->{perf}{routers}{value}, '>', 24, 'flood: routers counted beyond the table');

done_testing();
