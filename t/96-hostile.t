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
    [ 'aaaa, a reply with another ID', 'check_aaaa_consistency', [ '-s', $A->{gslb6}, '-H', 'wrongid.gslb.lab.test', '--dns-timeout', 1 ], 3, [ 2 ], 'aaaa_unanswered' ],
    [ 'aaaa, a compression loop', 'check_aaaa_consistency', [ '-s', $A->{gslb6}, '-H', 'comploop.gslb.lab.test' ], 3, [ 2 ], 'aaaa_error' ],
    [ 'aaaa, answers 1.5 s late', 'check_aaaa_consistency', [ '-s', $A->{gslb4}, '-H', 'slow.gslb.lab.test', '-w', 1 ], 4, [ 1 ], 'dns_slow' ],
    [ 'aaaa, 100 AAAA in one UDP reply', 'check_aaaa_consistency', [ '-s', $A->{gslb6}, '-H', 'oversized.gslb.lab.test', '--dns-timeout', 1 ], 3, [ 1, 2 ], undef ],
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
        code_is($r, $code, (qw(OK WARNING CRITICAL UNKNOWN))[ $rcs->[0] ], $name) if $code;
    }
}

# A BIRD control socket that greets, starts a table and closes; an SNMP
# agent that answers garbage: both run in mon for this test alone.
SKIP: {
    skip 'check_ospfv3_neighbors not built', 8 unless -x 'plugins/check_ospfv3_neighbors';
    my $sock = $lab->state_dir . '/bird-cut.ctl';
    my $bird = q{use IO::Socket::UNIX; unlink $ARGV[0]; my $l = IO::Socket::UNIX->new(Local => $ARGV[0], Listen => 5) or die;
                 chmod 0666, $ARGV[0]; while (my $c = $l->accept) { print $c "0001 BIRD 2.0.12 ready.\n"; my $x = <$c>;
                 print $c "1013-Router ID     Pri          State      DTime  Interface  Router IP\n 0.0.0.2  1 Fu"; close $c }};
    my $snmp = q{use IO::Socket::IP; my $s = IO::Socket::IP->new(LocalHost => '::1', LocalPort => 1161, Proto => 'udp') or die;
                 while (1) { my $p = $s->recv(my $q, 65535) // next; $s->send("\x30\x82\xff\xff\x02\x01garbage" x 3, 0, $p) }};
    my @srv;
    for my $code ([ $bird, $sock ], [ $snmp ]) {
        my $pid = fork // die;
        if (!$pid) { exec 'ip', 'netns', 'exec', $lab->id . '-mon', 'perl', '-e', $code->[0], @{$code}[1 .. $#$code]; exit 127 }
        push @srv, $pid;
    }
    select undef, undef, undef, 0.5;
    for my $c ([ 'ospf, BIRD closes mid-reply', [ '--source', 'bird', '--socket', $sock ] ],
               [ 'ospf, SNMP agent answers garbage', [ '--source', 'snmp', '-H', '::1', '--port', 1161, '-C', 'public' ] ]) {
        my ($name, $args) = @$c;
        my ($r, $rss, $wall) = measured('check_ospfv3_neighbors', 3, @$args);
        is($r->{rc}, 3, "$name: UNKNOWN") or diag($r->{out});
        like($r->{json} ? $r->{json}{summary} : '', qr/BIRD|SNMP|snmp|bird/, "$name: names the source");
        cmp_ok($wall // 99, '<=', 3.5, "$name: ended within -t 3 + 0.5 s");
        cmp_ok($rss // 1e9, '<', $limit_kb, "$name: peak RSS under 64 MiB") unless $san;
        pass("$name: RSS not judged under the sanitizer") if $san;
    }
    kill 'KILL', @srv;
    waitpid $_, 0 for @srv;
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
