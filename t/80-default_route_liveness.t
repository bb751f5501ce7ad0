#!/usr/bin/perl
# check_default_route_liveness in the lab (part gw): gwhost behind gw, the
# targets on gwfar. Healthy; the gateway that drops what it should forward
# while answering pings; forwarding off; the gateway silent at layer 2; a
# second default route via a gateway that does not exist; the IPv6 default
# route deleted; a policy rule sending the target to a blackhole table.
# Ping sockets for an unprivileged user, the raw fallback, -t bounds, bad
# options.
use strict;
use warnings;
use Test::More;
use lib 't/lib';
use V6Lab qw(code_is no_code perf_is codes);

my $plugin = 'plugins/check_default_route_liveness';
plan skip_all => "$plugin not built (run make)" unless -x $plugin;

my $lab = V6Lab->new(parts => ['gw']);
my ($T6, $T4) = ('2001:db8:48::10', '203.0.113.250');
my @targets = ('-H', $T6, '-H', $T4);

# Every run: -t 5 for the plugin, 10 s for the process, JSON out.
sub check {
    my @args = @_;
    my %o = (@args && ref $args[-1] eq 'HASH') ? %{ pop @args } : ();
    my $t = $o{t} // 5;
    delete $o{t};
    my $p = $lab->plugin('check_default_route_liveness', '-t', $t, '--output-format', 'json',
        @args, { node => 'gwhost', timeout => 10, %o });
    V6Lab::plugin_contract_ok($p, "@args");
    cmp_ok($p->{secs}, '<', $t + 0.5, "@args: ends within -t $t + 0.5 s");
    return $p;
}

sub ping_sockets {
    my ($open) = @_;
    my $r = $lab->run('gwhost', ['sysctl', '-qw', 'net.ipv4.ping_group_range=' .
        ($open ? '0 2147483647' : '1 0')], timeout => 5);
    is($r->{rc}, 0, 'ping sockets ' . ($open ? 'opened' : 'closed'));
}

sub output_of {
    my ($p, $code) = @_;
    return join "\n", map { $_->{output} } V6Lab::findings($p, $code);
}

# --- healthy -------------------------------------------------------------------

ping_sockets(0);    # root: the raw fallback
my $p = check(@targets);
is($p->{rc}, 0, 'healthy: OK');
is_deeply(codes($p), ['forwarding_ok'], 'healthy: forwarding_ok alone');
is(scalar(V6Lab::findings($p, 'forwarding_ok')), 2, 'healthy: both families forward');
perf_is($p, 'default_routes_v6', 1, 'healthy');
perf_is($p, 'default_routes_v4', 1, 'healthy');
ok(defined $p->{perf}{$_} && $p->{perf}{$_}{uom} eq 's', "healthy: $_ in seconds")
    for qw(rtt_gw_v4 rtt_gw_v6 rtt_target_v4 rtt_target_v6);
cmp_ok($p->{secs}, '<', 1, 'healthy: verdict in under a second');

# The human sentence, in the default (nagios) form.
my $n = $lab->plugin('check_default_route_liveness', @targets, { node => 'gwhost', timeout => 10 });
is($n->{first} =~ s/ \|.*//r,
    'DEFAULT_ROUTE OK - IPv6 forwards via fe80::1 on eth0; IPv4 forwards via 198.51.100.241 on eth0',
    'healthy: the first line');

$p = check(@targets, '-p', 80, '--no-echo');
is($p->{rc}, 0, 'TCP alone (--no-echo -p 80): OK');
like(output_of($p, 'forwarding_ok'), qr/forwards: 1 of 1 targets answer/, 'TCP alone: the target answers')
    or diag($p->{out});

$p = check(@targets, '-w', '0.000001', '-c', '5');
is($p->{rc}, 1, '-w 1 us: WARNING');
code_is($p, 'target_slow', 'WARNING', '-w 1 us');
is($p->{perf}{rtt_target_v6}{warn}, '0.000001', '-w: in perfdata');
is($p->{perf}{rtt_target_v4}{crit}, '5', '-c: in perfdata');

$p = check();
is($p->{rc}, 0, 'no target: OK');
code_is($p, 'forwarding_untested', 'OK', 'no target');
like(output_of($p, 'forwarding_untested'), qr/forwarding not tested \(no target of this family\)/,
    'no target: says forwarding is untested')
    or diag($p->{out});

# gwhost's resolver (gwfar) answers nothing: the name is UNKNOWN, the
# literal still judged.
$p = check('-H', 'nowhere.lab.test', '-H', $T4);
is($p->{rc}, 3, 'unresolvable name: UNKNOWN');
code_is($p, 'target_unresolved', 'UNKNOWN', 'unresolvable name');
like(output_of($p, 'target_unresolved'), qr/no IPv6 address for nowhere\.lab\.test \(AAAA /, 'unresolvable name: named')
    or diag($p->{out});
code_is($p, 'forwarding_ok', 'OK', 'unresolvable name: the literal target still forwards');

# --- the gateway forwards nothing --------------------------------------------------

$lab->on('gw-drop-forward');
$p = check(@targets, '-p', 80);
is($p->{rc}, 2, 'gw drops forwarded packets: CRITICAL');
is(scalar(grep { $_->{state} eq 'CRITICAL' } V6Lab::findings($p, 'route_not_forwarding')), 2,
    'gw drops forwarded packets: route_not_forwarding in both families');
like($p->{json}{summary}, qr/^default route via fe80::1 on eth0 present and the gateway answers, but nothing is forwarded/,
    'gw drops forwarded packets: the stale-route sentence')
    or diag($p->{out});
ok(defined $p->{perf}{rtt_gw_v6}, 'gw drops forwarded packets: the gateway still answers (rtt_gw_v6)');
ok(!defined $p->{perf}{rtt_target_v6} || !defined $p->{perf}{rtt_target_v6}{value},
    'gw drops forwarded packets: no target round trip');
$lab->off('gw-drop-forward');

$lab->on('gw-no-forwarding');
$p = check(@targets);
is($p->{rc}, 2, 'forwarding off on gw: CRITICAL');
code_is($p, 'route_not_forwarding', 'CRITICAL', 'forwarding off on gw');
like(output_of($p, 'route_not_forwarding'), qr/via 198\.51\.100\.241 on eth0 present and the gateway answers/,
    'forwarding off: IPv4 gateway named')
    or diag($p->{out});
$lab->off('gw-no-forwarding');

# --- the gateway is gone from the link --------------------------------------------------

$lab->on('gw-silent-nd');
$p = check(@targets);
is($p->{rc}, 2, 'gw silent at layer 2: CRITICAL');
my $out = output_of($p, 'gateway_unresolved');
# (No entry at all: the kernel dropped the FAILED one, e.g. when another
# namespace fills the shared IPv6 neighbor table.)
like($out, qr/^default gateway fe80::1 on eth0 does not answer neighbor discovery \((neighbor (FAILED|INCOMPLETE)|no neighbor entry after the probes)\)$/m,
    'gw silent: IPv6 words')
    or diag($p->{out});
like($out, qr/^default gateway 198\.51\.100\.241 on eth0 does not answer ARP \((neighbor (FAILED|INCOMPLETE)|no neighbor entry after the probes)\)$/m,
    'gw silent: IPv4 words')
    or diag($p->{out});
no_code($p, 'route_not_forwarding', 'gw silent: not called a forwarding failure');
$p = check(@targets, { t => 1 });
is($p->{rc}, 2, 'gw silent with -t 1: still CRITICAL');
$lab->off('gw-silent-nd');

$lab->on('gw-link-down');
$p = check(@targets);
is($p->{rc}, 2, 'gw link down: CRITICAL');
is(scalar(grep { $_->{state} eq 'CRITICAL' } V6Lab::findings($p, 'gateway_link_down')), 2,
    'gw link down: gateway_link_down in both families');
like(output_of($p, 'gateway_link_down'), qr/^IPv6 default route via fe80::1 on eth0 is unusable: interface eth0 has no carrier$/m,
    'gw link down: no carrier named')
    or diag($p->{out});
$lab->off('gw-link-down');

# --- routing-table cases ------------------------------------------------------------

$lab->on('gw-dead-second');
$p = check(@targets);
is($p->{rc}, 1, 'second default via a missing gateway: WARNING');
$out = output_of($p, 'default_route_dead');
like($out, qr/^IPv4 default via 198\.51\.100\.246 dev eth0 metric 200 is dead: the gateway does not answer ARP/m,
    'second default: the IPv4 one named')
    or diag($p->{out});
like($out, qr/^IPv6 default via fe80::99 dev eth0 metric 2048 is dead: the gateway does not answer neighbor discovery/m,
    'second default: the IPv6 one named')
    or diag($p->{out});
is(scalar(V6Lab::findings($p, 'forwarding_ok')), 2, 'second default: the real ones still forward');
perf_is($p, 'default_routes_v4', 2, 'second default');
perf_is($p, 'default_routes_v6', 2, 'second default');
$lab->off('gw-dead-second');

$lab->on('gw-v6-default-lost');
$p = check(@targets);
is($p->{rc}, 2, 'IPv6 default deleted: CRITICAL');
code_is($p, 'default_route_missing', 'CRITICAL', 'IPv6 default deleted');
is((V6Lab::findings($p, 'default_route_missing'))[0]{family}, 'ipv6', 'IPv6 default deleted: the IPv6 finding');
is($p->{json}{summary}, 'IPv6 default route missing while IPv4 forwards', 'IPv6 default deleted: IPv4 named healthy');
perf_is($p, 'default_routes_v6', 0, 'IPv6 default deleted');
no_code($p, 'target_misrouted', 'IPv6 default deleted: the missing route says it once');
$p = check('-4', '-H', $T4);
is($p->{rc}, 0, 'IPv6 default deleted, -4: OK');
$lab->off('gw-v6-default-lost');

$lab->on('gw-rule-blackhole');
$p = check(@targets);
is($p->{rc}, 2, 'rule to a blackhole table: CRITICAL');
$out = output_of($p, 'target_misrouted');
like($out, qr/^203\.0\.113\.250 does not leave through the default route: policy rule 100: from all to 203\.0\.113\.250\/32 lookup 100 sends it to blackhole default table 100$/m,
    'blackhole rule: IPv4 rule and route named')
    or diag($p->{out});
like($out, qr/^2001:db8:48::10 does not leave through the default route: policy rule 100: .* sends it to blackhole default table 100$/m,
    'blackhole rule: IPv6 rule and route named')
    or diag($p->{out});
no_code($p, 'forwarding_ok', 'blackhole rule: nothing called forwarding');
$lab->off('gw-rule-blackhole');

# "default dev eth0": no gateway on a broadcast link; gw does no proxy ARP.
my @gwhost = ('ip', '-4', 'route', 'replace', 'default');
is($lab->run('gwhost', [@gwhost, 'dev', 'eth0'])->{rc}, 0, 'default dev eth0 set');
$p = check(@targets);
code_is($p, 'default_route_no_gateway', 'WARNING', 'default dev eth0');
like(output_of($p, 'default_route_no_gateway'), qr/^IPv4 default route dev eth0 has no gateway: every destination must answer ARP itself$/m,
    'default dev eth0: the words')
    or diag($p->{out});
code_is($p, 'route_not_forwarding', 'CRITICAL', 'default dev eth0: and nothing answers');
is($lab->run('gwhost', [@gwhost, 'via', '198.51.100.241', 'dev', 'eth0'])->{rc}, 0, 'default via gw again');
$lab->run('gwhost', ['ip', 'neigh', 'flush', 'dev', 'eth0']);

# --- privileges --------------------------------------------------------------------

ping_sockets(1);
$p = check(@targets, { user => 'nobody' });
is($p->{rc}, 0, 'unprivileged with ping sockets: OK') or diag($p->{out});
is(scalar(V6Lab::findings($p, 'forwarding_ok')), 2, 'unprivileged: both families forward');
ping_sockets(0);
$p = check(@targets, { user => 'nobody' });
is($p->{rc}, 3, 'unprivileged, ping sockets closed: UNKNOWN');
code_is($p, 'echo_unavailable', 'UNKNOWN', 'no echo socket');
like(output_of($p, 'forwarding_untested'), qr/gateway resolves \(neighbor \w+\) but answers no echo; forwarding not tested \(no probe could be sent\)/,
    'no echo socket: the neighbor entry speaks, forwarding untested');
$p = check(@targets, '-p', 80, '--no-echo', { user => 'nobody' });
is($p->{rc}, 3, 'no echo socket, TCP alone: still UNKNOWN (the gateways are pinged)');
is(scalar(V6Lab::findings($p, 'forwarding_ok')), 2, 'no echo socket: TCP proves forwarding');

# --- bad options -----------------------------------------------------------------------

for my $bad (['--no-echo'], ['-p', '0'], ['-p', 'http'], ['--probe-timeout', 'x'], ['--bogus'], ['-H', '']) {
    my $r = $lab->plugin('check_default_route_liveness', @$bad, { node => 'gwhost', timeout => 10 });
    is($r->{rc}, 3, "bad option @$bad: exit 3");
    like($r->{out}, qr/^DEFAULT_ROUTE UNKNOWN - .+\n.*[Uu]sage/s, "bad option @$bad: reason and usage");
}

done_testing();
