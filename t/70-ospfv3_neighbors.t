#!/usr/bin/perl
# check_ospfv3_neighbors in the lab (part ospf): the same router's
# adjacencies read from FRR (vtysh -N), BIRD 2 (its control socket) and SNMP
# (snmpd with ospf6d's AgentX, v2c and v3): a Full neighbor, one never seen
# (authentication trailer on one side only), one stuck in ExStart (MTU 1400
# against 1500), two DROthers on a LAN (2-Way, --allow-2way), a Full
# neighbor silenced (gone after the 8 s dead interval), its return caught as
# a flap, unreachable daemons and agents, and a fake vtysh that prints
# garbage, cuts its JSON short or hangs.
use strict;
use warnings;
use Test::More;
use IO::Socket::UNIX;
use Socket qw(SOCK_STREAM);
use Time::HiRes qw(time sleep);
use lib 't/lib';
use V6Lab qw(code_is no_code perf_is);

my $plugin = 'plugins/check_ospfv3_neighbors';
plan skip_all => "$plugin not built (run make)" unless -x $plugin;

my $lab  = V6Lab->new(parts => ['ospf']);
my $ID   = $lab->id;
my $S    = $lab->state_dir . '/ospf';
my $FAKE = "$V6Lab::REPO/t/data/ospfv3_neighbors/fake-vtysh";
my $check = $lab->checker('check_ospfv3_neighbors', t => 5, timeout => 10, json => 1);

my @FRR  = ('--pathspace', "$ID-ortr");
my @BIRD = ('--source', 'bird', '--socket', "$S/bdut.ctl");
my @V2C  = ('--source', 'snmp', '-H', 'fd6f:5::1', '-C', 'labcomm');
my @V3   = ('--source', 'snmp', '-H', 'fd6f:5::1', '--snmp-user', 'labv3',
            '--auth-protocol', 'SHA-256', '--auth-password', 'labauthpass',
            '--priv-protocol', 'AES', '--priv-password', 'labprivpass');
my %NODE = (frr => 'ortr', bird => 'bdut', snmp => 'ortr');
my %ARGS = (frr => \@FRR, bird => \@BIRD, snmp => \@V2C);

sub frr  { $check->(@FRR,  @_, { node => 'ortr' }) }
sub bird { $check->(@BIRD, @_, { node => 'bdut' }) }
sub snmp { $check->(@V2C,  @_, { node => 'ortr' }) }
sub v3   { $check->(@V3,   @_, { node => 'ortr' }) }

# One quiet run (no contract assertion) for the polls below.
sub quiet {
    my ($src, @args) = @_;
    return $lab->plugin('check_ospfv3_neighbors', '--output-format', 'json', '-t', 5,
        @{ $ARGS{$src} }, @args, { node => $NODE{$src}, timeout => 10 });
}

# Polls every source until cond($p, $src) holds for each, at most $limit s;
# returns {src => seconds it took, or undef}.
sub poll_all {
    my ($limit, $cond, @args) = @_;
    my (%took, %left);
    %left = map { $_ => 1 } qw(frr bird snmp);
    my $t0 = time;
    while (%left && time - $t0 < $limit) {
        for my $src (sort keys %left) {
            my $p = quiet($src, @args);
            if ($cond->($p, $src)) { $took{$src} = time - $t0; delete $left{$src} }
        }
        sleep 0.25 if %left;
    }
    return \%took;
}

sub has {
    my ($p, $code, $rid) = @_;
    return scalar grep { ($_->{name} // '') eq $rid } V6Lab::findings($p, $code);
}
sub full_of {
    my ($rid) = @_;
    return sub { has($_[0], 'neighbor_full', $rid) };
}

# --- convergence: a bounded poll, not a sleep ----------------------------------

# Converged: 0.0.0.2 Full and 0.0.0.4 in the table (stuck in ExStart); on
# FRR's LAN (FRR and SNMP) 0.0.0.5 Full (the DR, after the 8 s wait) and
# 0.0.0.6 seen (2-Way).
my $t = poll_all(30, sub {
        my ($p, $src) = @_;
        has($p, 'neighbor_full', '0.0.0.2') && has($p, 'neighbor_not_full', '0.0.0.4')
            && ($src eq 'bird' || (has($p, 'neighbor_full', '0.0.0.5') && has($p, 'neighbor_not_full', '0.0.0.6')))
    }, map { ('-n', "0.0.0.$_") } 2, 4, 5, 6);
for my $src (qw(frr bird snmp)) {
    ok(defined $t->{$src}, "$src: the lab's adjacencies formed")
        or BAIL_OUT("$src never converged; the lab's OSPF does not work");
}

# --- FRR ---------------------------------------------------------------------

my $p = frr('-n', '0.0.0.2@o-full');
is($p->{rc}, 0, 'FRR Full neighbor: OK');
code_is($p, 'neighbor_full', 'OK', 'FRR Full');
is($p->{json}{summary}, 'FRR: 4 neighbors, 2 Full, every expected one', 'FRR Full: the summary sentence');
perf_is($p, $_->[0], $_->[1], 'FRR Full') for [neighbors => 4], [full => 2], [not_full => 2], [missing => 0];
code_is($p, 'neighbor_extra', 'OK', 'FRR: 0.0.0.4 not expected, listed');

# Engine configurations pass -H to every check: FRR and BIRD ignore it.
$p = frr('-n', '0.0.0.2', '-H', 'fd6f:5::1');
is($p->{rc}, 0, 'FRR with the -H an engine passes: still read locally, OK');

$p = frr('-n', '0.0.0.3@o-auth');
is($p->{rc}, 2, 'FRR auth mismatch: CRITICAL');
code_is($p, 'neighbor_missing', 'CRITICAL', 'FRR auth mismatch');
like($p->{json}{summary},
    qr/^expected neighbor 0\.0\.0\.3 on o-auth absent: no hello accepted; check authentication \(IPsec \/ auth trailer\), hello and dead intervals, area and instance ID/,
    'FRR auth mismatch: the sentence names the likely causes');
perf_is($p, 'missing', 1, 'FRR auth mismatch');

$p = frr('-n', '0.0.0.4');
is($p->{rc}, 2, 'FRR MTU mismatch: CRITICAL');
code_is($p, 'neighbor_not_full', 'CRITICAL', 'FRR MTU mismatch');
like($p->{json}{summary}, qr/^0\.0\.0\.4 on o-mtu stuck in ExStart for \d+(?: s|m\d\ds): an interface MTU mismatch is the usual cause/,
    'FRR MTU mismatch: state, time and cause');

$p = frr();
is($p->{rc}, 2, 'FRR without -n: every neighbor must be Full');
code_is($p, 'neighbor_not_full', 'CRITICAL', 'FRR without -n');
no_code($p, 'full_too_few', 'FRR without -n, one Full');

$p = frr('-n', '0.0.0.2', '--strict');
is($p->{rc}, 1, 'FRR --strict: WARNING');
code_is($p, 'neighbor_unexpected', 'WARNING', 'FRR --strict');

$p = frr('-n', '0.0.0.2', '--min-full', 3);
is($p->{rc}, 2, 'FRR --min-full 3 with 2 Full: CRITICAL');
code_is($p, 'full_too_few', 'CRITICAL', 'FRR --min-full 3');
$p = frr('-n', '0.0.0.2', '--min-full', 2);
is($p->{rc}, 0, 'FRR --min-full 2 with 2 Full: OK');

# The LAN: ortr and odro are DROthers, 2-Way by design.
$p = frr('-n', '0.0.0.5@o-lan', '-n', '0.0.0.6@o-lan');
is($p->{rc}, 2, 'FRR 2-Way without --allow-2way: CRITICAL');
code_is($p, 'neighbor_not_full', 'CRITICAL', 'FRR 2-Way');
like($p->{json}{summary}, qr/^0\.0\.0\.6 on o-lan stuck in 2-Way for \d+(?: s|m\d\ds): normal for two DROthers on a broadcast link \(--allow-2way\)/,
    'FRR 2-Way: the sentence points at --allow-2way');
$p = frr('-n', '0.0.0.5@o-lan', '-n', '0.0.0.6@o-lan', '--allow-2way');
is($p->{rc}, 0, 'FRR 2-Way with --allow-2way: OK');
code_is($p, 'neighbor_2way', 'OK', 'FRR --allow-2way');
code_is($p, 'neighbor_full', 'OK', 'FRR: the DR is Full');

$p = frr('-n', '0.0.0.2', '-w', '3:', '-c', '1:');
is($p->{rc}, 1, 'FRR -w 3: with two Full: WARNING');
code_is($p, 'full_count', 'WARNING', 'FRR -w 3:');
is($p->{perf}{full}{warn}, '3:', 'FRR -w 3: in the perfdata');

# The adjacency is seconds old: --min-uptime 2 turns from a flap warning
# to OK as it ages.
my $t0 = time;
$p = quiet('frr', '-n', '0.0.0.2', '--min-uptime', 2);
$p = quiet('frr', '-n', '0.0.0.2', '--min-uptime', 2) while $p->{rc} != 0 && time - $t0 < 8 && sleep 0.25;
is($p->{rc}, 0, 'FRR Full for 2 s, --min-uptime 2: OK');
code_is($p, 'neighbor_full', 'OK', 'FRR --min-uptime 2 reached');

$p = $check->('--pathspace', 'nosuch', { node => 'ortr' });
is($p->{rc}, 3, 'FRR unknown pathspace: UNKNOWN');
code_is($p, 'source_unreachable', 'UNKNOWN', 'FRR unknown pathspace');
like($p->{json}{summary}, qr/^FRR: vtysh -N nosuch failed \(exit 1\): Exiting: failed to connect to any daemons/,
    'FRR unknown pathspace: vtysh\'s reason');

$p = $check->(@FRR, '-n', '0.0.0.2', { node => 'ortr', user => 'nobody' });
is($p->{rc}, 3, 'FRR as a user outside frrvty: UNKNOWN');
like($p->{json}{summary}, qr/failed to connect to any daemons\. \(as this user: is it in the frrvty group\?\)/,
    'FRR as a user outside frrvty: says why');

for my $case ([garbage => 'source_malformed', qr/not valid JSON/],
              [truncated => 'source_malformed', qr/not valid JSON/],
              [huge => 'source_malformed', qr/more than 4194304 bytes/],
              [empty => 'source_malformed', qr/printed nothing/],
              [fail => 'source_unreachable', qr/failed to connect/]) {
    my ($mode, $code, $re) = @$case;
    $p = $check->('--vtysh', $FAKE, '--pathspace', $mode, { node => 'ortr' });
    is($p->{rc}, 3, "fake vtysh $mode: UNKNOWN");
    code_is($p, $code, 'UNKNOWN', "fake vtysh $mode");
    like($p->{json}{summary}, $re, "fake vtysh $mode: says why");
}
$p = $lab->plugin('check_ospfv3_neighbors', '--output-format', 'json', '-t', 2,
    '--vtysh', $FAKE, '--pathspace', 'hang', { node => 'ortr', timeout => 10 });
V6Lab::plugin_contract_ok($p, 'fake vtysh hang');
is($p->{rc}, 3, 'hanging vtysh: UNKNOWN');
code_is($p, 'source_timeout', 'UNKNOWN', 'hanging vtysh');
cmp_ok($p->{secs}, '<', 2.5, 'hanging vtysh: over within -t 2 + 0.5 s');
my $r = V6Lab::run_host(['pgrep', '-x', '-f', 'sleep 987'], timeout => 5);
is($r->{out}, '', 'hanging vtysh: killed with its children');

# --- BIRD --------------------------------------------------------------------

$p = bird('-n', '0.0.0.2@b-full');
is($p->{rc}, 0, 'BIRD Full neighbor: OK');
code_is($p, 'neighbor_full', 'OK', 'BIRD Full');
is($p->{json}{summary}, 'BIRD: 2 neighbors, 1 Full, every expected one', 'BIRD Full: the summary sentence');
perf_is($p, 'full', 1, 'BIRD Full');

$p = bird('-n', '0.0.0.2', '--protocol', 'lab');
is($p->{rc}, 0, 'BIRD --protocol lab: OK');

$p = bird('-n', '0.0.0.3@b-auth');
is($p->{rc}, 2, 'BIRD auth mismatch: CRITICAL');
code_is($p, 'neighbor_missing', 'CRITICAL', 'BIRD auth mismatch');

$p = bird('-n', '0.0.0.4');
is($p->{rc}, 2, 'BIRD MTU mismatch: CRITICAL');
code_is($p, 'neighbor_not_full', 'CRITICAL', 'BIRD MTU mismatch');
like($p->{json}{summary}, qr/^0\.0\.0\.4 on b-mtu stuck in ExStart: an interface MTU mismatch/,
    'BIRD MTU mismatch: no time in state from BIRD, the cause named');

$p = bird('-n', '0.0.0.2', '--protocol', 'nosuch');
is($p->{rc}, 3, 'BIRD unknown protocol: UNKNOWN');
code_is($p, 'source_error', 'UNKNOWN', 'BIRD unknown protocol');
like($p->{json}{summary}, qr/^BIRD: no protocol named 'nosuch' \(9001 syntax error/, 'BIRD unknown protocol: named');

$p = $check->('--source', 'bird', '--socket', "$S/nosuch.ctl", { node => 'bdut' });
is($p->{rc}, 3, 'BIRD socket absent: UNKNOWN');
code_is($p, 'source_unreachable', 'UNKNOWN', 'BIRD socket absent');
like($p->{json}{summary}, qr/cannot connect to .*nosuch\.ctl: No such file or directory/, 'BIRD socket absent: says so');

# A socket that accepts and never greets: UNKNOWN within -t.
{
    my $path = "$S/silent.ctl";
    my $srv = IO::Socket::UNIX->new(Type => SOCK_STREAM(), Local => $path, Listen => 5)
        or die "cannot listen on $path: $!";
    my $p = $lab->plugin('check_ospfv3_neighbors', '--output-format', 'json', '-t', 2,
        '--source', 'bird', '--socket', $path, { node => 'bdut', timeout => 10 });
    V6Lab::plugin_contract_ok($p, 'BIRD socket that never greets');
    is($p->{rc}, 3, 'BIRD socket that never greets: UNKNOWN');
    code_is($p, 'source_timeout', 'UNKNOWN', 'BIRD socket that never greets');
    like($p->{json}{summary}, qr/^BIRD: no greeting from .*silent\.ctl within the timeout/, 'BIRD silent socket: says so');
    cmp_ok($p->{secs}, '<', 2.5, 'BIRD silent socket: over within -t 2 + 0.5 s');
    close $srv;
    unlink $path;
}

# --- SNMP ------------------------------------------------------------------------

$p = snmp('-n', '0.0.0.2@o-full');
is($p->{rc}, 0, 'SNMP v2c Full neighbor (interface by ifName): OK');
code_is($p, 'neighbor_full', 'OK', 'SNMP v2c Full');
perf_is($p, 'neighbors', 4, 'SNMP v2c');

$p = snmp('-n', '0.0.0.6@o-lan', '--allow-2way');
is($p->{rc}, 0, 'SNMP twoWay(4) with --allow-2way: OK');
code_is($p, 'neighbor_2way', 'OK', 'SNMP --allow-2way');

$p = v3('-n', '0.0.0.2@o-full');
is($p->{rc}, 0, 'SNMP v3 authPriv Full neighbor: OK');
code_is($p, 'neighbor_full', 'OK', 'SNMP v3 Full');

for my $u (['labsha', 'SHA'], ['labmd5', 'MD5', 'DES'], ['lab512', 'SHA-512', 'AES-256']) {
    my ($user, $auth, $priv) = @$u;
    my @priv = $priv ? ('--priv-protocol', $priv, '--priv-password', 'labprivpass') : ();
    $p = $check->('--source', 'snmp', '-H', 'fd6f:5::1', '--snmp-user', $user, '--auth-protocol', $auth,
        '--auth-password', 'labauthpass', @priv, '-n', '0.0.0.2', { node => 'ortr' });
    is($p->{rc}, 0, "SNMP v3 $auth" . ($priv ? "/$priv" : ' without privacy') . ': OK');
}
$p = $check->('--source', 'snmp', '-H', 'fd6f:5::1', '--snmp-user', 'labsha', '--auth-password', 'labauthpass',
    '--priv-password', 'labprivpass', { node => 'ortr' });
is($p->{rc}, 3, 'SNMP v3 privacy for a user without it: UNKNOWN');
like($p->{json}{summary}, qr/Unsupported security level/, 'SNMP v3 privacy for a user without it: the agent\'s reason');

$p = snmp('-n', '0.0.0.3');
is($p->{rc}, 2, 'SNMP auth mismatch: CRITICAL');
code_is($p, 'neighbor_missing', 'CRITICAL', 'SNMP auth mismatch');

$p = v3('-n', '0.0.0.4');
is($p->{rc}, 2, 'SNMP MTU mismatch: CRITICAL');
code_is($p, 'neighbor_not_full', 'CRITICAL', 'SNMP MTU mismatch');
like($p->{json}{summary}, qr/^0\.0\.0\.4 on o-mtu stuck in ExStart: an interface MTU mismatch/, 'SNMP MTU mismatch: said');

$p = $check->(@V3[0 .. 5], '--auth-protocol', 'SHA-256', '--auth-password', 'wrongpassword', { node => 'ortr' });
is($p->{rc}, 3, 'SNMP v3 wrong password: UNKNOWN');
code_is($p, 'source_error', 'UNKNOWN', 'SNMP v3 wrong password');
like($p->{json}{summary}, qr/^SNMP: .*[Aa]uthentication failure/, 'SNMP v3 wrong password: says authentication');

$p = $lab->plugin('check_ospfv3_neighbors', '--output-format', 'json', '-t', 2, @V2C, '--port', 1161,
    { node => 'ortr', timeout => 10 });
V6Lab::plugin_contract_ok($p, 'SNMP agent absent');
is($p->{rc}, 3, 'SNMP agent absent: UNKNOWN');
code_is($p, 'source_unreachable', 'UNKNOWN', 'SNMP agent absent');
cmp_ok($p->{secs}, '<', 2.5, 'SNMP agent absent: over within -t 2 + 0.5 s');

# --- a Full neighbor silenced: gone after the dead interval, then a flap ------

$lab->on('ospf-silent');
my $t_on = time;
$p = frr('-n', '0.0.0.2');
is($p->{rc}, 0, 'silenced: still Full before the dead interval runs out');
my $t_poll = time;
$t = poll_all(20, sub { V6Lab::findings($_[0], 'neighbor_missing') }, '-n', '0.0.0.2');
for my $src (qw(frr bird snmp)) {
    ok(defined $t->{$src}, "$src: silenced neighbor missing (CRITICAL) after the dead interval");
    cmp_ok($t->{$src} + $t_poll - $t_on, '>=', 6, "$src: not before the 8 s dead interval") if defined $t->{$src};
}
$p = bird('-n', '0.0.0.2');
is($p->{rc}, 2, 'BIRD silenced: CRITICAL');
code_is($p, 'neighbor_missing', 'CRITICAL', 'BIRD silenced');

$lab->off('ospf-silent');
$t = poll_all(20, full_of('0.0.0.2'), '-n', '0.0.0.2');
ok(defined $t->{frr}, 'FRR: back to Full after the fault');
$p = frr('-n', '0.0.0.2', '--min-uptime', 60);
is($p->{rc}, 1, 'FRR just back: flap WARNING');
code_is($p, 'neighbor_flapping', 'WARNING', 'FRR flap');
like($p->{json}{summary}, qr/^0\.0\.0\.2 on o-full Full for \d+ s only: flapping\? \(--min-uptime 60 s\)/,
    'FRR flap: the sentence');

# --- the nagios form and bad options ------------------------------------------

$p = $lab->plugin('check_ospfv3_neighbors', @FRR, '-n', '0.0.0.4', { node => 'ortr', timeout => 10 });
V6Lab::plugin_contract_ok($p, 'nagios form');
like($p->{first}, qr/^OSPFV3_NEIGHBORS CRITICAL - 0\.0\.0\.4 on o-mtu stuck in ExStart/, 'nagios form: first line');

for my $bad ([['-n', '3'], qr/dotted quad/],
             [['--source', 'snmp', '-C', 'x'], qr/needs -H/],
             [['--source', 'bird', '--protocol', 'a b'], qr/not a BIRD protocol name/],
             [['--socket', '/x', '--protocol', 'lab'], qr/--protocol is for --source bird/],
             [['--source', 'snmp', '-H', '::1', '--snmp-user', 'u', '--auth-password', 'short'], qr/at least 8/]) {
    my ($args, $re) = @$bad;
    $p = $lab->plugin('check_ospfv3_neighbors', @$args, { node => 'ortr', timeout => 10 });
    is($p->{rc}, 3, "bad options @$args: exit 3");
    like($p->{out}, $re, "bad options @$args: the reason");
}

done_testing();
