#!/usr/bin/perl
# Privilege proof for every plugin that opens a raw socket: a copy of the
# binary with cap_net_raw+ep (as make install sets it), run as an
# unprivileged user, holds no capability while it works (CapEff, CapPrm 0)
# and NoNewPrivs is 1; without the capability and without ping sockets it
# ends with UNKNOWN naming CAP_NET_RAW. Root's copy of the plugin drops
# everything too.
use strict;
use warnings;
use Test::More;
use File::Temp qw(tempdir);
use POSIX ();
use Time::HiRes qw(sleep time);
use lib 't/lib';
use V6Lab;

plan skip_all => 'needs root' if $> != 0;
plan skip_all => 'setcap not installed' unless -x '/usr/sbin/setcap' || -x '/sbin/setcap';
my $A = V6Lab::ADDR;
# plugin => [node, arguments that keep it busy for a while]
my %busy = (
    check_pmtu => [ 'mon', '-H', $A->{dead6}, '-t', '4' ],
    check_rogue_ra => [ 'ramon', '-i', 'lan0', '--listen', '3', '-t', '4' ],
    check_default_route_liveness => [ 'gwhost', '-H', '2001:db8:48::99', '-t', '4' ],
);
my %part = (check_pmtu => 'web', check_rogue_ra => 'ra', check_default_route_liveness => 'gw');
my @raw = grep { -x "plugins/$_" } sort keys %busy;
plan skip_all => 'no raw-socket plugin built' unless @raw;

my %parts = map { $part{$_} => 1 } @raw;
my $lab = V6Lab->new(parts => [ sort keys %parts ]);
my $dir = tempdir(CLEANUP => 1);
chmod 0755, $dir;
my $nobody = (getpwnam 'nobody')[2];

sub closed_ping_sockets {
    my ($node) = @_;
    my $r = $lab->run($node, [qw(sysctl -q -w), 'net.ipv4.ping_group_range=1 0'], timeout => 5);
    is($r->{rc}, 0, "$node: ping sockets closed");
}

# Starts BIN in NODE as nobody; returns (pid, sub that waits and returns
# {rc, out}).
sub start {
    my ($node, $bin, @args) = @_;
    pipe(my $r, my $w) or die;
    my $pid = fork // die;
    if ($pid == 0) {
        close $r;
        open STDOUT, '>&', $w or die;
        open STDERR, '>&', $w or die;
        { no warnings 'exec';
          exec 'ip', 'netns', 'exec', $lab->id . "-$node", 'setpriv', "--reuid=$nobody", "--regid=65534",
              '--clear-groups', '--inh-caps=-all', '--ambient-caps=-all', $bin, @args; }
        POSIX::_exit(127);
    }
    close $w;
    return ($pid, sub {
        local $/;
        my $out = <$r> // '';
        waitpid $pid, 0;
        return { rc => $? >> 8, out => $out };
    });
}

sub status_of {
    my ($pid, $name) = @_;
    my $t0 = time;
    while (time - $t0 < 3) {
        if (open my $f, '<', "/proc/$pid/status") {
            local $/;
            my $s = <$f>;
            return $s if $s =~ /^Name:\s+\Q$name\E/m;
        }
        sleep 0.01;
    }
    return '';
}

for my $p (@raw) {
    my ($node, @args) = @{ $busy{$p} };
    closed_ping_sockets($node);
    my $copy = "$dir/$p";
    system('cp', "plugins/$p", $copy) == 0 or die;
    chmod 0755, $copy;
    is(system('setcap', 'cap_net_raw+ep', $copy), 0, "$p: setcap cap_net_raw+ep on a copy");
    my ($pid, $wait) = start($node, $copy, @args);
    sleep 0.3;    # past main()'s first statements: the socket is open, the drop done
    my $st = status_of($pid, substr($p, 0, 15));
    like($st, qr/^CapEff:\s+0+$/m, "$p: CapEff 0 while it works");
    like($st, qr/^CapPrm:\s+0+$/m, "$p: CapPrm 0 while it works");
    like($st, qr/^NoNewPrivs:\s+1$/m, "$p: NoNewPrivs 1");
    my $res = $wait->();
    unlike($res->{out}, qr/CAP_NET_RAW/, "$p: with the capability it runs (no capability complaint)")
        or diag($res->{out});
    system('cp', "plugins/$p", "$copy.plain") == 0 or die;
    chmod 0755, "$copy.plain";
    ($pid, $wait) = start($node, "$copy.plain", @args);
    $res = $wait->();
    is($res->{rc}, 3, "$p: no capability, no ping socket: exit 3");
    like($res->{out}, qr/CAP_NET_RAW/, "$p: names CAP_NET_RAW") or diag($res->{out});
}
done_testing();
