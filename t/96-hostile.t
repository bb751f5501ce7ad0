#!/usr/bin/perl
# Hostile peers, every plugin that meets one: the lab's misbehaving TCP
# servers (part hostile), the DNS appliance that breaks AAAA (brokendns),
# oversized and looping DNS answers, name servers that ignore AAAA
# queries, a vtysh that prints garbage, a cut document, 5 MB or nothing
# at all, or hangs. Each run: exit 0..3 with the right code, ended within
# -t + 0.5 s, peak RSS under 64 MiB (measured with /usr/bin/time).
use strict;
use warnings;
use Test::More;
use JSON::PP ();
use lib 't/lib';
use V6Lab qw(code_is);

plan skip_all => '/usr/bin/time not installed' unless -x '/usr/bin/time';
my $lab = V6Lab->new(parts => [qw(web dns hostile)]);
my $A = V6Lab::ADDR;
my $vtysh = "$V6Lab::REPO/t/data/ospfv3_neighbors/fake-vtysh";
my $limit_kb = 64 * 1024;
# Under the sanitizer's shadow memory RSS says little: time and codes still hold.
my $san = $ENV{SANITIZE};

# [name, plugin, args, -t, exit codes accepted, a code that must be there]
my @cases = (
    [ 'pmtu tcp, silent server', 'check_pmtu', [ '--mode', 'tcp', '-H', $A->{srv6}, '-p', 8001 ], 3, [ 2, 3 ], undef ],
    [ 'pmtu tcp, 1 byte a second', 'check_pmtu', [ '--mode', 'tcp', '-H', $A->{srv6}, '-p', 8002 ], 3, [ 3 ], undef ],
    [ 'pmtu tcp, steady stream', 'check_pmtu', [ '--mode', 'tcp', '-H', $A->{srv4}, '-p', 8003 ], 3, [ 3 ], undef ],
    [ 'pmtu tcp, never closes', 'check_pmtu', [ '--mode', 'tcp', '-H', $A->{srv6}, '-p', 8004 ], 3, [ 0 ], undef ],
    [ 'pmtu tcp, 100 MB', 'check_pmtu', [ '--mode', 'tcp', '-H', $A->{srv6}, '-p', 8006 ], 3, [ 0, 3 ], undef ],
    [ 'http, 100 MB', 'check_dualstack_http', [ '-H', 'www.lab.test', '-p', 8006 ], 3, [ 0, 1, 2, 3 ], undef ],
    [ 'http, TLS handshake hangs', 'check_dualstack_http', [ '-H', 'www.lab.test', '-p', 8005, '-S' ], 3, [ 2, 3 ], undef ],
    [ 'http, endless headers', 'check_dualstack_http', [ '-H', 'www.lab.test', '-p', 8007 ], 3, [ 2 ], 'header_flood' ],
    [ 'aaaa, garbage reply', 'check_aaaa_consistency', [ '-s', $A->{gslb6}, '-H', 'garbage.gslb.lab.test' ], 3, [ 2 ], 'aaaa_error' ],
    [ 'aaaa, SERVFAIL for AAAA', 'check_aaaa_consistency', [ '-s', $A->{gslb4}, '-H', 'sfaaaa.gslb.lab.test' ], 3, [ 2 ], 'aaaa_error' ],
    [ 'aaaa, 40 A and 40 AAAA (TCP)', 'check_aaaa_consistency', [ '-H', 'big.lab.test' ], 8, [ 0, 1, 2 ], undef ],
    [ 'aaaa, CNAME loop', 'check_aaaa_consistency', [ '-H', 'cloop.lab.test' ], 3, [ 2 ], 'cname_loop' ],
    [ 'ospf, vtysh prints garbage', 'check_ospfv3_neighbors', [ '--vtysh', $vtysh, '--pathspace', 'garbage' ], 3, [ 3 ], undef ],
    [ 'ospf, vtysh cuts the document', 'check_ospfv3_neighbors', [ '--vtysh', $vtysh, '--pathspace', 'truncated' ], 3, [ 3 ], undef ],
    [ 'ospf, vtysh prints 5 MB', 'check_ospfv3_neighbors', [ '--vtysh', $vtysh, '--pathspace', 'huge' ], 3, [ 3 ], undef ],
    [ 'ospf, vtysh hangs', 'check_ospfv3_neighbors', [ '--vtysh', $vtysh, '--pathspace', 'hang' ], 2, [ 3 ], 'source_timeout' ],
);

sub measured {
    my ($plugin, $t, @args) = @_;
    my $r = $lab->run('mon', [ '/usr/bin/time', '-f', 'RSS %M WALL %e', "$V6Lab::REPO/plugins/$plugin",
                               '--output-format', 'json', '-t', $t, @args ], timeout => $t + 10);
    my ($rss, $wall) = $r->{err} =~ /RSS (\d+) WALL ([\d.]+)\s*\z/;
    $r->{json} = eval { JSON::PP->new->decode($r->{out}) };
    return ($r, $rss, $wall);
}

for my $c (@cases) {
    my ($name, $plugin, $args, $t, $rcs, $code) = @$c;
    SKIP: {
        skip "$plugin not built", 4 unless -x "plugins/$plugin";
        $lab->flush;
        my ($r, $rss, $wall) = measured($plugin, $t, @$args);
        ok((grep { $_ == $r->{rc} } @$rcs), "$name: exit $r->{rc} (one of @$rcs)") or diag($r->{out});
        ok($r->{json} && $r->{json}{exit_code} == $r->{rc}, "$name: one JSON document with that state");
        cmp_ok($wall // 99, '<=', $t + 0.5, "$name: ended within -t $t + 0.5 s");
        if ($san) { pass("$name: RSS not judged under the sanitizer") }
        else { cmp_ok($rss // 1e9, '<', $limit_kb, sprintf("$name: peak RSS %.1f MiB < 64 MiB", ($rss // 0) / 1024)) }
        code_is($r, $code, ($rcs->[0] == 3 ? 'UNKNOWN' : 'CRITICAL'), $name) if $code;
    }
}

# Name servers that ignore AAAA queries: every plugin that resolves names.
$lab->on('dns-noaaaa');
for my $c ([ 'check_aaaa_consistency', [ '-H', 'www.lab.test' ] ],
           [ 'check_dualstack_http', [ '-H', 'www.lab.test' ] ],
           [ 'check_pmtu', [ '-H', 'www.lab.test' ] ]) {
    my ($plugin, $args) = @$c;
    my ($r, $rss, $wall) = measured($plugin, 6, @$args);
    is($r->{rc}, 2, "$plugin, AAAA queries ignored: CRITICAL") or diag($r->{out});
    code_is($r, 'aaaa_unanswered', 'CRITICAL', "$plugin, AAAA queries ignored");
    cmp_ok($wall // 99, '<=', 6.5, "$plugin, AAAA queries ignored: ended within -t 6 + 0.5 s");
    cmp_ok($rss // 1e9, '<', $limit_kb, "$plugin, AAAA queries ignored: peak RSS under 64 MiB") unless $san;
}
$lab->off('dns-noaaaa');
done_testing();
