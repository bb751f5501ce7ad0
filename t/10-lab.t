#!/usr/bin/perl
# The lab itself: the network is what README.md says, every fault breaks
# what it claims (seen with curl, dig, ping, tracepath, openssl from mon),
# `off` restores it, two labs coexist, and `down` leaves nothing behind.
use strict;
use warnings;
use POSIX ();
use Test::More;
use Time::HiRes ();
use lib 't/lib';
use V6Lab;

my $lab = V6Lab->new(parts => [qw(web dns)]);
my $A   = V6Lab::ADDR;
my $ID  = $lab->id;
my $CA  = $lab->ca_file;
my $BIG = 204800;

# --- helpers: every command is bounded by run()'s timeout --------------------

sub mon { $lab->run('mon', [@_], timeout => 10) }

# curl in mon; adds code, size and body (without the trailer we ask for).
sub curl {
    my ($url, @opt) = @_;
    my $r = mon('curl', '-sS', '-g', '--max-time', '3', @opt,
        '-w', '\nCURL %{http_code} %{size_download}\n', $url);
    @$r{qw(code size)} = $r->{out} =~ /\nCURL (\d+) (\d+)\n\z/ ? ($1, $2) : (0, 0);
    ($r->{body} = $r->{out}) =~ s/\nCURL \d+ \d+\n\z//;
    return $r;
}

sub https {
    my ($addr, @opt) = @_;
    my $name = 'www.lab.test';
    return curl("https://$name/", '--cacert', $CA, '--resolve', "$name:443:[$addr]", @opt);
}

sub dig {
    my ($server, $name, $type, @opt) = @_;
    my $r = mon('dig', '+time=1', '+tries=1', @opt, "\@$server", $name, $type);
    ($r->{status}) = $r->{out} =~ /status: (\w+)/;
    $r->{status} //= 'none';
    my ($answer) = $r->{out} =~ /^;; ANSWER SECTION:\n(.*?)(?:\n\n|\z)/ms;
    $r->{answers} = [ sort +($answer // '') =~ /^\Q$name\E\.\s+\d+\s+IN\s+\Q$type\E\s+(\S+)$/mg ];
    return $r;
}

# ping(4|6, dst, size => N, df => 1, count => N); adds received, avg, ptb.
sub ping {
    my ($fam, $dst, %o) = @_;
    my @cmd = ('ping', "-$fam", '-n', '-c', $o{count} // 1, '-i', '0.05', '-W', '1');
    push @cmd, '-M', 'do' if $o{df};
    push @cmd, '-s', $o{size} if $o{size};
    my $r = mon(@cmd, $dst);
    ($r->{received}) = $r->{out} =~ /(\d+) received/;
    $r->{received} //= 0;
    ($r->{avg}) = $r->{out} =~ m{= [\d.]+/([\d.]+)/};
    $r->{ptb} = "$r->{out}$r->{err}" =~ /Packet too big|Frag needed|message too long/ ? 1 : 0;
    return $r;
}

# The mtu the kernel of mon has learned for dst ('' if none).
sub learned_mtu {
    my ($dst) = @_;
    my $r = mon('ip', 'route', 'get', $dst);
    return $r->{out} =~ /\bmtu (\d+)/ ? $1 : '';
}

sub cert {
    my ($addr, $sni) = @_;
    my $r = mon('sh', '-c', "openssl s_client -connect '[$addr]:443' -servername $sni </dev/null 2>/dev/null"
        . ' | openssl x509 -noout -fingerprint -sha256 -subject -enddate');
    my %c;
    @c{qw(fp subject end)} = ($r->{out} =~ /Fingerprint=(\S+)/, $r->{out} =~ /subject=(.*)/,
                              $r->{out} =~ /notAfter=(.*)/);
    return \%c;
}

sub lab_cmd { my @a = @_; V6Lab::run_host([$V6Lab::LAB, '-i', $ID, @a], timeout => 30) }

# Whatever of lab ID is left on the machine (empty list: nothing).
sub leftovers {
    my ($id) = @_;
    my @left;
    my $ns = V6Lab::run_host([qw(ip netns list)], timeout => 5);
    push @left, map {"netns $_"} grep {/^\Q$id\E-/} map { (split)[0] } split /\n/, $ns->{out};
    push @left, glob("/etc/netns/$id-*"), glob("/run/netns/$id-*");
    push @left, "/run/v6ops-lab/$id" if -e "/run/v6ops-lab/$id";
    for my $cl (glob '/proc/[0-9]*/cmdline') {
        open my $fh, '<', $cl or next;
        my $c = do { local $/; <$fh> } // '';
        push @left, "process $cl: $c" if $c =~ m{/run/v6ops-lab/\Q$id\E/};
    }
    return @left;
}

# --- the lab itself -------------------------------------------------------------

subtest 'commands' => sub {
    my $f = lab_cmd('faults');
    is($f->{rc}, 0, 'faults: rc 0');
    # The base network's twelve and every part's own, each with its words.
    my $defined = () = join('', map { local $/; open my $h, '<', $_ or die; <$h> }
                                 'contrib/lab/lab', glob 'contrib/lab/parts/*.sh') =~ /^(?:FAULTS=")?[a-z0-9-]+\|[a-z0-9]+\|\S/mg;
    cmp_ok($defined, '>=', 12, 'faults: at least the base twelve defined');
    is(scalar(() = $f->{out} =~ /^\S+\s+\S/mg), $defined, "faults: all $defined listed with descriptions");
    like($f->{out}, qr/^pmtud-blackhole\s+\S/m, 'faults: with descriptions');
    my $s = lab_cmd('status');
    is($s->{rc}, 0, 'status: rc 0');
    is(scalar(() = $s->{out} =~ /daemon \S+: running/g), 6, 'status: 2 nginx, 2 nsd, unbound, brokendns running');
    is(lab_cmd('ca')->{out}, "$CA\n", 'ca: prints the CA path');
    ok(-s $CA, 'the CA file exists');
    is(lab_cmd('exec', 'srv', 'sh', '-c', 'exit 7')->{rc}, 7, 'exec passes the exit code through');
    is(lab_cmd('on', 'no-such-fault')->{rc}, 1, 'on: unknown fault fails');
    is(lab_cmd('on', 'icmp-screen', 'x')->{rc}, 1, 'on: stray argument fails');
    my @names = do { open my $fh, '<', $lab->state_dir . '/names-200.txt' or die $!; <$fh> };
    is(scalar @names, 200, 'names-200.txt has 200 names');
    is($names[3], "h004.lab.test\n", 'names-200.txt: h004 fourth');
};

subtest 'root namespace untouched' => sub {
    my $lab_re = qr/2001:db8:|198\.51\.100\.|203\.0\.113\./;
    for my $cmd ([qw(ip -6 addr show)], [qw(ip -4 addr show)],
                 [qw(ip -6 route show table all)], [qw(ip -4 route show table all)]) {
        my $r = V6Lab::run_host($cmd, timeout => 5);
        is($r->{rc}, 0, "@$cmd runs");
        unlike($r->{out}, $lab_re, "@$cmd: no lab address");
    }
    my $l = V6Lab::run_host([qw(ip -o link show)], timeout => 5);
    unlike($l->{out}, qr/: (lanA|linkB|lanC|lanD)[:@]/, 'no lab link in the root namespace');
    my $n = V6Lab::run_host([qw(nft list tables)], timeout => 5);
    unlike($n->{out}, qr/lab_/, 'no lab nft table in the root namespace');
};

subtest 'run() helper' => sub {
    my $r = $lab->run('mon', ['sh', '-c', 'echo out; echo err >&2; exit 3'], timeout => 5);
    is_deeply([@$r{qw(rc signal out err timed_out)}], [3, 0, "out\n", "err\n", 0], 'rc, out, err');
    $r = $lab->run('mon', ['sleep', '10'], timeout => 1);
    ok($r->{timed_out} && $r->{rc} == -1 && $r->{signal} == 9, 'timeout kills: rc -1, signal 9');
    cmp_ok($r->{secs}, '<', 3, 'timeout: returns in time');
    $r = $lab->run('mon', ['sh', '-c', 'id -u; grep CapEff /proc/self/status'], user => 'nobody', timeout => 5);
    like($r->{out}, qr/^65534\nCapEff:\s+0+$/, 'user => nobody: that uid, no capabilities');
    $r = $lab->run('mon', ['ip', '-6', 'addr', 'show', 'dev', 'lanA'], timeout => 5);
    like($r->{out}, qr{\Q$A->{mon6}\E/64}, 'run() is inside the mon namespace');
    $r = $lab->run('mon', ['cat', '/etc/resolv.conf'], timeout => 5);
    is($r->{out}, "nameserver $A->{resolver6}\nnameserver $A->{resolver4}\n", "mon's resolv.conf");
};

subtest 'plugin() parsing and the output contract' => sub {
    my $fake = $lab->state_dir . '/fake_plugin';
    open my $fh, '>', $fake or die $!;
    print $fh "#!/bin/sh\necho \"FAKE WARNING - it's slow | 'time v6'=1.5s;1;2;0 size=612B;;;0\"\n",
              "echo '[WARNING] IPv6: slow'\necho '[OK] IPv4: fine'\nexit 1\n";
    close $fh;
    chmod 0755, $fake;
    my $p = $lab->plugin($fake, '-H', 'x', { timeout => 5 });
    is($p->{rc}, 1, 'plugin: rc');
    like($p->{first}, qr/^FAKE WARNING - it's slow \|/, 'plugin: first line');
    is_deeply($p->{long}, ['[WARNING] IPv6: slow', '[OK] IPv4: fine'], 'plugin: long output');
    is_deeply($p->{perf}{'time v6'}, { value => 1.5, uom => 's', warn => 1, crit => 2, min => 0, max => undef },
        'plugin: quoted perf label parsed');
    is($p->{perf}{size}{value}, 612, 'plugin: second perf item');
    my @why = V6Lab::plugin_contract_problems($p);
    is_deeply(\@why, ["perf label 'time v6' is not [a-z0-9_]+"], 'contract: bad label found, nothing else');
    my $good = { rc => 2, signal => 0, err => '', out => "X_Y CRITICAL - down | a=1s;;;0 b_2=3\n[CRITICAL] x\n" };
    V6Lab::plugin_contract_ok($good, 'a conforming output');
    my %bad = (
        'rc/state mismatch' => { %$good, rc => 1 },
        'two pipes'         => { %$good, out => "X CRITICAL - a|b | a=1\n" },
        'lower-case label'  => { %$good, out => "x CRITICAL - down\n" },
        'stderr'            => { %$good, err => "warning\n" },
        'duplicate label'   => { %$good, out => "X CRITICAL - d | a=1 a=2\n" },
        'too long'          => { %$good, out => "X CRITICAL - " . ('x' x 5000) . "\n" },
        'signal'            => { %$good, rc => -1, signal => 9 },
        'empty'             => { %$good, out => '' },
    );
    for my $case (sort keys %bad) {
        ok(scalar V6Lab::plugin_contract_problems($bad{$case}), "contract catches: $case");
    }
};

# --- the network and services without faults -----------------------------------

subtest 'web baseline' => sub {
    for my $addr ("[$A->{srv6}]", $A->{srv4}, "[$A->{srv6b}]", $A->{srv4b}, "[$A->{near6}]", $A->{near4}) {
        my $r = curl("http://$addr/");
        ok($r->{code} == 200 && $r->{body} =~ /Welcome to the v6ops lab/, "http://$addr/ has the Welcome page");
    }
    for my $addr ("[$A->{srv6}]", $A->{srv4}) {
        my $r = curl("http://$addr/large.html", '--max-time', '5');
        ok($r->{rc} == 0 && $r->{size} == $BIG, "large.html over $addr: all $BIG bytes");
        like(substr($r->{body}, -40), qr/END-OF-LARGE-PAGE\n\z/, "large.html over $addr ends with the marker");
        is(curl("http://$addr/status/404")->{code}, 404, "$addr /status/404 is 404");
        is(curl("http://$addr/error500")->{code}, 500, "$addr /error500 is 500");
    }
};

subtest 'TLS baseline' => sub {
    for my $addr ($A->{srv6}, $A->{srv4}, $A->{near6}) {
        my $r = https($addr);
        ok($r->{rc} == 0 && $r->{body} =~ /Welcome/, "https://www.lab.test/ via $addr verifies with the lab CA");
    }
    my $r = curl("https://[$A->{srv6}]/", '--cacert', $CA);
    isnt($r->{rc}, 0, 'an IP literal (no SNI) is refused');
    $r = mon('sh', '-c', "openssl s_client -connect '[$A->{srv6}]:443' -noservername </dev/null 2>&1");
    like($r->{out}, qr/unrecognized name|handshake failure|alert/i, 'openssl without SNI: handshake rejected');
    $r = curl('https://wrongcert.lab.test/', '--cacert', $CA, '--resolve', "wrongcert.lab.test:443:[$A->{srv6}]");
    ok($r->{rc} == 60 && $r->{err} =~ /subject name|does not match/i, 'wrongcert.lab.test: name mismatch');
    my ($c6, $c4) = (cert($A->{srv6}, 'www.lab.test'), cert($A->{srv4}, 'www.lab.test'));
    ok($c6->{fp} && $c6->{fp} eq ($c4->{fp} // ''), 'same certificate over IPv4 and IPv6');
};

subtest 'DNS baseline' => sub {
    for my $s ($A->{resolver6}, $A->{resolver4}, $A->{ns1_6}, $A->{ns1_4}) {
        is_deeply(dig($s, 'www.lab.test', 'AAAA')->{answers}, [$A->{srv6}], "\@$s www AAAA");
        is_deeply(dig($s, 'www.lab.test', 'A')->{answers}, [$A->{srv4}], "\@$s www A");
    }
    is_deeply(dig($A->{resolver6}, 'multi.lab.test', 'AAAA')->{answers},
        [ sort $A->{srv6}, $A->{srv6b}, $A->{dead6} ], 'multi: three AAAA');
    is_deeply(dig($A->{ns1_6}, 'diverge.lab.test', 'AAAA')->{answers}, [$A->{srv6}], 'diverge on ns1');
    is_deeply(dig($A->{ns2_6}, 'diverge.lab.test', 'AAAA')->{answers}, [$A->{srv6b}], 'diverge on ns2');
    is_deeply(dig($A->{resolver6}, 'h004.lab.test', 'AAAA')->{answers}, [$A->{dead6}], 'h004: dead AAAA');
    is_deeply(dig($A->{resolver6}, 'h005.lab.test', 'AAAA')->{answers}, [$A->{srv6}], 'h005: good AAAA');
    is_deeply(dig($A->{resolver6}, 'stale.lab.test', 'AAAA')->{answers}, [$A->{dead6}], 'stale: dead AAAA');
    my $r = dig($A->{resolver6}, 'v4only.lab.test', 'AAAA');
    ok($r->{status} eq 'NOERROR' && !@{ $r->{answers} }, 'v4only: NODATA for AAAA');
    $r = mon('getent', 'ahosts', 'www.lab.test');
    like($r->{out}, qr/^\Q$A->{srv6}\E\s.*^\Q$A->{srv4}\E\s/ms, "mon's system resolver finds both addresses");
};

subtest 'PMTU baseline and flush' => sub {
    ok(ping(6, $A->{srv6}, size => 1232, df => 1)->{received}, 'IPv6: 1280-byte packet passes linkB');
    ok(ping(4, $A->{srv4}, size => 1252, df => 1)->{received}, 'IPv4: 1280-byte DF packet passes');
    my $r = ping(6, $A->{srv6}, size => 1400, df => 1);
    like($r->{out}, qr/From \Q$A->{r1_a6}\E.*Packet too big: mtu=1280/, 'IPv6 1400: Packet Too Big from r1');
    is(learned_mtu($A->{srv6}), 1280, 'mon learned PMTU 1280 (IPv6)');
    $r = ping(4, $A->{srv4}, size => 1400, df => 1);
    like($r->{out}, qr/From \Q$A->{r1_a4}\E.*Frag needed.*mtu = 1280/, 'IPv4 1400 DF: frag-needed from r1');
    is(learned_mtu($A->{srv4}), 1280, 'mon learned PMTU 1280 (IPv4)');
    $lab->flush;
    ok(learned_mtu($A->{srv6}) eq '' && learned_mtu($A->{srv4}) eq '', 'flush forgets learned PMTUs');
    for my $fam (6, 4) {
        my $dst = $fam == 6 ? $A->{srv6} : $A->{srv4};
        $r = $lab->run('mon', ['tracepath', "-$fam", '-n', $dst], timeout => 10);
        like($r->{out}, qr/Resume: pmtu 1280 hops 3 back 3/, "tracepath -$fam: pmtu 1280, 3 hops");
    }
    $lab->flush;
};

# --- faults ------------------------------------------------------------------------

subtest 'pmtud-blackhole' => sub {
    $lab->flush;
    $lab->on('pmtud-blackhole');
    $lab->on('pmtud-blackhole');    # idempotent
    # The four probes that wait for nothing run at once.
    my %r;
    @r{qw(ping6 ping4 big6 big4)} = V6Lab::parallel(
        sub { ping(6, $A->{srv6}, size => 1400, df => 1, count => 2) },
        sub { ping(4, $A->{srv4}, size => 1400, df => 1, count => 2) },
        sub { curl("http://[$A->{srv6}]/large.html", '--max-time', '2') },
        sub { curl("http://$A->{srv4}/large.html", '--max-time', '2') },
    );
    for my $fam (6, 4) {
        my $dst = $fam == 6 ? $A->{srv6} : $A->{srv4};
        my ($p, $big) = ($r{"ping$fam"}, $r{"big$fam"});
        ok(!$p->{ptb} && $p->{received} == 0, "IPv$fam 1400 DF: lost, and no PTB/frag-needed");
        is(learned_mtu($dst), '', "IPv$fam: mon learned no PMTU");
        ok(ping($fam, $dst, size => 1200, df => 1)->{received}, "IPv$fam: small packets still pass");
        ok($big->{rc} == 28 && $big->{size} < $BIG, "IPv$fam large.html stalls ($big->{size} bytes)");
        my $url = $fam == 6 ? "http://[$dst]" : "http://$dst";
        like(curl("$url/")->{body}, qr/Welcome/, "IPv$fam small page still loads");
    }
    $lab->off('pmtud-blackhole');
    $lab->off('pmtud-blackhole');
    $lab->flush;
    is(curl("http://[$A->{srv6}]/large.html")->{size}, $BIG, 'off: IPv6 large.html complete');
    is(curl("http://$A->{srv4}/large.html")->{size}, $BIG, 'off: IPv4 large.html complete');
    ok(ping(6, $A->{srv6}, size => 1400, df => 1)->{ptb}, 'off: PTB arrives again');
    $lab->flush;
};

subtest 'pmtud-blackhole-v6' => sub {
    $lab->flush;
    $lab->on('pmtud-blackhole-v6');
    my ($p6, $p4, $big6, $big4) = V6Lab::parallel(
        sub { ping(6, $A->{srv6}, size => 1400, df => 1, count => 2) },
        sub { ping(4, $A->{srv4}, size => 1400, df => 1) },
        sub { curl("http://[$A->{srv6}]/large.html", '--max-time', '2') },
        sub { curl("http://$A->{srv4b}/large.html", '--max-time', '2') },
    );
    ok(!$p6->{ptb} && $p6->{received} == 0, 'IPv6 1400 DF: lost, and no PTB');
    ok($p4->{ptb}, 'IPv4 1400 DF: frag-needed still arrives');
    ok($big6->{rc} == 28 && $big6->{size} < $BIG, "IPv6 large.html stalls ($big6->{size} bytes)")
        or diag($big6->{err});
    is($big4->{size}, $BIG, 'IPv4 large.html complete');
    $lab->off('pmtud-blackhole-v6');
    $lab->flush;
    is(curl("http://[$A->{srv6}]/large.html")->{size}, $BIG, 'off: IPv6 large.html complete');
    $lab->flush;
};

subtest 'icmp-screen' => sub {
    $lab->on('icmp-screen');
    # 976 + 8 + 40 and 996 + 8 + 20 are 1024-byte packets; one byte more is too much.
    my @r = V6Lab::parallel(map { my ($f, $n) = @$_; sub { ping($f, $f == 6 ? $A->{srv6} : $A->{srv4}, size => $n) } }
        [6, 976], [6, 977], [4, 996], [4, 997]);
    ok($r[0]{received}, 'IPv6: 1024-byte ICMP passes');
    ok(!$r[1]{received}, 'IPv6: 1025-byte ICMP vanishes');
    ok($r[2]{received}, 'IPv4: 1024-byte ICMP passes');
    ok(!$r[3]{received}, 'IPv4: 1025-byte ICMP vanishes');
    is(curl("http://[$A->{srv6}]/large.html")->{size}, $BIG, 'TCP is not affected');
    $lab->off('icmp-screen');
    ok(ping(6, $A->{srv6}, size => 1100)->{received}, 'off: IPv6 large ICMP passes');
    ok(ping(4, $A->{srv4}, size => 1100)->{received}, 'off: IPv4 large ICMP passes');
};

subtest 'latency' => sub {
    my $rtt = sub { ping($_[0], $_[0] == 6 ? $A->{srv6} : $A->{srv4}, count => 3)->{avg} // 9999 };
    cmp_ok($rtt->(6), '<', 20, 'baseline IPv6 RTT small');
    cmp_ok($rtt->(4), '<', 20, 'baseline IPv4 RTT small');
    $lab->on('latency-v6', 150);
    my ($v6, $v4) = V6Lab::parallel(sub { $rtt->(6) }, sub { $rtt->(4) });
    ok($v6 >= 145 && $v6 < 400, "latency-v6 150: IPv6 RTT $v6 ms");
    cmp_ok($v4, '<', 20, 'latency-v6: IPv4 unchanged');
    $lab->on('latency-v4', 60);
    ($v6, $v4) = V6Lab::parallel(sub { $rtt->(6) }, sub { $rtt->(4) });
    ok($v4 >= 58 && $v4 < 300, "latency-v4 60 too: IPv4 RTT $v4 ms");
    ok($v6 >= 145 && $v6 < 400, "both on: IPv6 RTT still $v6 ms");
    $lab->on('latency-v6');    # replaces 150 with the default
    $v6 = $rtt->(6);
    ok($v6 >= 97 && $v6 < 140, "latency-v6 default: IPv6 RTT $v6 ms");
    $lab->off('latency-v6');
    $lab->off('latency-v4');
    cmp_ok($rtt->(6), '<', 20, 'off: IPv6 RTT small again');
    cmp_ok($rtt->(4), '<', 20, 'off: IPv4 RTT small again');
    unlike(lab_cmd('status')->{out}, qr/nfq/, 'off: nfq-delay processes gone');
};

subtest 'v6-addr-lost' => sub {
    $lab->on('v6-addr-lost');
    my $r = curl("http://[$A->{srv6}]/", '--max-time', '1');
    ok($r->{rc} != 0 && $r->{code} == 0, "IPv6 $A->{srv6}: no connection (curl rc $r->{rc})");
    like(curl("http://$A->{srv4}/")->{body}, qr/Welcome/, 'IPv4 still serves');
    like(curl("http://[$A->{srv6b}]/")->{body}, qr/Welcome/, "srv's other IPv6 address still serves");
    is_deeply(dig($A->{resolver6}, 'www.lab.test', 'AAAA')->{answers}, [$A->{srv6}], 'AAAA still published');
    $lab->off('v6-addr-lost');
    like(curl("http://[$A->{srv6}]/")->{body}, qr/Welcome/, 'off: IPv6 serves again');
};

subtest 'v4-addr-lost' => sub {
    $lab->on('v4-addr-lost');
    my $r = curl("http://$A->{srv4}/", '--max-time', '1');
    ok($r->{rc} != 0 && $r->{code} == 0, "IPv4 $A->{srv4}: no connection (curl rc $r->{rc})");
    like(curl("http://[$A->{srv6}]/")->{body}, qr/Welcome/, 'IPv6 still serves');
    like(curl("http://$A->{srv4b}/")->{body}, qr/Welcome/, "srv's other IPv4 address still serves");
    is_deeply(dig($A->{resolver6}, 'www.lab.test', 'A')->{answers}, [$A->{srv4}], 'A still published');
    $lab->off('v4-addr-lost');
    like(curl("http://$A->{srv4}/")->{body}, qr/Welcome/, 'off: IPv4 serves again');
    like(curl("http://$A->{srv4b}/")->{body}, qr/Welcome/, 'off: the other IPv4 address too');
};

subtest 'v6-content' => sub {
    $lab->on('v6-content');
    my $r = curl("http://[$A->{srv6}]/");
    ok($r->{code} == 200 && $r->{body} !~ /Welcome/ && $r->{body} =~ /wrong server/, 'IPv6: 200 but wrong page');
    $r = curl("http://[$A->{srv6}]/large.html");
    ok($r->{rc} == 0 && $r->{size} != $BIG && $r->{body} !~ /END-OF-LARGE-PAGE/,
        "IPv6 large.html: complete transfer of another page ($r->{size} bytes)");
    $r = https($A->{srv6});
    ok($r->{rc} == 0 && $r->{body} !~ /Welcome/, 'IPv6 HTTPS: wrong page too');
    like(curl("http://$A->{srv4}/")->{body}, qr/Welcome/, 'IPv4 unchanged');
    like(https($A->{srv4})->{body}, qr/Welcome/, 'IPv4 HTTPS unchanged');
    $lab->off('v6-content');
    like(curl("http://[$A->{srv6}]/")->{body}, qr/Welcome/, 'off: IPv6 Welcome again');
};

subtest 'dns-noaaaa' => sub {
    $lab->on('dns-noaaaa');
    my @servers = ($A->{ns1_6}, $A->{ns1_4}, $A->{ns2_6}, $A->{ns2_4});
    # The queries that must time out all wait at once.
    my @r = V6Lab::parallel((map { my $s = $_; sub { dig($s, 'www.lab.test', 'AAAA') } } @servers),
        sub { dig($A->{ns1_6}, 'www.lab.test', 'AAAA', '+tcp') },
        sub { dig($A->{resolver6}, 'h001.lab.test', 'AAAA') });
    for my $s (@servers) {
        my $r = shift @r;
        ok($r->{rc} == 9 && $r->{out} =~ /timed out/, "\@$s AAAA: times out");
        is_deeply(dig($s, 'www.lab.test', 'A')->{answers}, [$A->{srv4}], "\@$s A: answers");
    }
    my $r = shift @r;
    ok($r->{rc} == 9, '@ns1 AAAA over TCP: times out');
    $r = shift @r;
    ok(!@{ $r->{answers} } && ($r->{rc} == 9 || $r->{status} eq 'SERVFAIL'),
        "\@resolver AAAA: no answer ($r->{status})");
    # h002 is new to unbound: it must ask the servers now, after the AAAA timeouts.
    is_deeply(dig($A->{resolver6}, 'h002.lab.test', 'A')->{answers}, [$A->{srv4}], '@resolver A still answers');
    is_deeply(dig($A->{ns1_6}, 'v4only.lab.test', 'A')->{answers}, [$A->{srv4}], 'other names: A answers');
    $lab->off('dns-noaaaa');
    is_deeply(dig($A->{ns1_6}, 'www.lab.test', 'AAAA')->{answers}, [$A->{srv6}], 'off: @ns1 AAAA answers');
    is_deeply(dig($A->{resolver6}, 'h001.lab.test', 'AAAA')->{answers}, [$A->{srv6}],
        'off: @resolver AAAA answers at once');
};

subtest 'ns2-v6-silent' => sub {
    $lab->on('ns2-v6-silent');
    my $r = dig($A->{ns2_6}, 'www.lab.test', 'A');
    ok($r->{rc} == 9 && $r->{out} =~ /timed out/, '@ns2 over IPv6: times out');
    is_deeply(dig($A->{ns2_4}, 'www.lab.test', 'AAAA')->{answers}, [$A->{srv6}], '@ns2 over IPv4: answers');
    is_deeply(dig($A->{ns1_6}, 'www.lab.test', 'AAAA')->{answers}, [$A->{srv6}], '@ns1 over IPv6: answers');
    $lab->off('ns2-v6-silent');
    is_deeply(dig($A->{ns2_6}, 'www.lab.test', 'A')->{answers}, [$A->{srv4}], 'off: @ns2 over IPv6 answers');
};

subtest 'brokendns: A answers, AAAA fails by name' => sub {
    for my $s ($A->{gslb6}, $A->{gslb4}) {
        is_deeply(dig($s, 'nxaaaa.gslb.lab.test', 'A')->{answers}, [$A->{srv4}], "\@$s A: answers");
        is_deeply(dig($s, 'www.gslb.lab.test', 'AAAA')->{answers}, [$A->{srv6}], "\@$s AAAA of a plain name: answers");
        is(dig($s, 'nxaaaa.gslb.lab.test', 'AAAA')->{status}, 'NXDOMAIN', "\@$s nxaaaa AAAA: NXDOMAIN");
        is(dig($s, 'sfaaaa.gslb.lab.test', 'AAAA')->{status}, 'SERVFAIL', "\@$s sfaaaa AAAA: SERVFAIL");
        is(dig($s, 'rfaaaa.gslb.lab.test', 'AAAA')->{status}, 'REFUSED', "\@$s rfaaaa AAAA: REFUSED");
    }
    my $r = dig($A->{gslb6}, 'garbage.gslb.lab.test', 'AAAA');
    is_deeply($r->{answers}, [], 'garbage AAAA: a reply without the answer it claims');
};

subtest 'tls-v6-expired and tls-v6-other' => sub {
    my $good = cert($A->{srv6}, 'www.lab.test');
    $lab->on('tls-v6-expired');
    my $r = https($A->{srv6});
    ok($r->{rc} == 60 && $r->{err} =~ /expired/i, 'IPv6: certificate expired');
    is(https($A->{srv4})->{rc}, 0, 'IPv4: still verifies');
    my $c = cert($A->{srv6}, 'www.lab.test');
    like($c->{end} // '', qr/2020/, 'IPv6 cert ended in 2020');
    $lab->on('tls-v6-other');
    my ($c6, $c4) = (cert($A->{srv6}, 'www.lab.test'), cert($A->{srv4}, 'www.lab.test'));
    ok($c6->{fp} && $c4->{fp} && $c6->{fp} ne $c4->{fp}, 'IPv4 and IPv6 certificates differ');
    isnt($c6->{subject}, $c4->{subject}, 'subjects differ (O)');
    ok(https($A->{srv6})->{rc} == 0 && https($A->{srv4})->{rc} == 0, 'both verify with the lab CA');
    unlike(lab_cmd('status')->{out}, qr/tls-v6-expired/, 'tls-v6-other replaced tls-v6-expired');
    $lab->off('tls-v6-other');
    is(cert($A->{srv6}, 'www.lab.test')->{fp}, $good->{fp}, 'off: the usual certificate again');
};

# --- coexistence, failure and removal ----------------------------------------------

subtest 'a second lab coexists' => sub {
    my $lab2 = V6Lab->new(parts => []);
    isnt($lab2->id, $ID, 'its own ID');
    my $r = $lab2->run('mon', ['ping', '-6', '-n', '-c', '1', '-W', '1', $A->{srv6}], timeout => 5);
    like($r->{out}, qr/1 received/, 'second lab: same addresses, own network');
    $r = $lab2->run('mon', ['curl', '-sS', '-g', '--max-time', '2', "http://[$A->{srv6}]/"], timeout => 5);
    is($r->{rc}, 7, 'second lab without part web: nothing listens on port 80');
    my $f = V6Lab::run_host([$V6Lab::LAB, '-i', $lab2->id, 'on', 'v6-content'], timeout => 10);
    ok($f->{rc} == 1 && $f->{err} =~ /needs part 'web'/, 'a web fault is refused without part web');
    $lab2->on('icmp-screen');
    ok(ping(6, $A->{srv6}, size => 1100)->{received}, 'a fault in the second lab does not touch the first');
    $lab2->down;
    is_deeply([ leftovers($lab2->id) ], [], 'second lab: down leaves nothing');
    like(curl("http://[$A->{srv6}]/")->{body}, qr/Welcome/, 'first lab still works');
};

subtest 'a failed up cleans up' => sub {
    my $id = "${ID}f";
    my $r = V6Lab::run_host([$V6Lab::LAB, '-i', $id, 'up', '--parts', 'web'], timeout => 30,
        env => { V6LAB_TEST_FAIL => 'web' });
    ok($r->{rc} == 1 && $r->{err} =~ /failing on purpose/ && $r->{err} =~ /removed/, 'up fails loudly');
    is_deeply([ leftovers($id) ], [], 'after the failed up nothing is left (daemons included)');
};

subtest 'down after a partial up, twice' => sub {
    my $id = "${ID}p";
    V6Lab::run_host([qw(ip netns add), "$id-r1"], timeout => 5);
    mkdir "/etc/netns/$id-mon";
    mkdir '/run/v6ops-lab';
    mkdir "/run/v6ops-lab/$id";
    # A straggler holding the namespace, in a session of its own.
    my $pid = fork // die "fork: $!";
    if ($pid == 0) {
        POSIX::setsid();
        open STDOUT, '>', '/dev/null';
        { no warnings 'exec'; exec 'ip', 'netns', 'exec', "$id-r1", 'sleep', '30'; }
        POSIX::_exit(127);
    }
    Time::HiRes::sleep(0.2);
    ok(scalar(leftovers($id)) >= 3 && kill(0, $pid), 'partial lab in place');
    is(V6Lab::run_host([$V6Lab::LAB, '-i', $id, 'down'], timeout => 10)->{rc}, 0, 'down: rc 0');
    is_deeply([ leftovers($id) ], [], 'down removed it all');
    my $gone = 0;
    for (1 .. 100) {
        if (waitpid($pid, POSIX::WNOHANG()) == $pid) { $gone = 1; last }
        Time::HiRes::sleep(0.02);
    }
    ok($gone, 'the straggler in the namespace was killed');
    kill 'KILL', $pid unless $gone;
    is(V6Lab::run_host([$V6Lab::LAB, '-i', $id, 'down'], timeout => 10)->{rc}, 0, 'down again: rc 0');
};

subtest 'down finds daemons whose namespace is gone' => sub {
    my $id = "${ID}o";
    my $r = V6Lab::run_host([$V6Lab::LAB, '-i', $id, 'up', '--parts', 'web'], timeout => 30);
    is($r->{rc}, 0, 'up') or diag($r->{err});
    # An interrupted run can lose a namespace while its daemons live on.
    V6Lab::run_host([qw(ip netns del), "$id-srv"], timeout => 5);
    V6Lab::run_host([qw(ip netns del), "$id-near"], timeout => 5);
    is(V6Lab::run_host([$V6Lab::LAB, '-i', $id, 'down'], timeout => 10)->{rc}, 0, 'down: rc 0');
    is_deeply([ leftovers($id) ], [], 'the orphaned nginx processes are gone too');
};

subtest 'down' => sub {
    $lab->down;
    is_deeply([ leftovers($ID) ], [], 'down leaves no namespace, /etc/netns, state dir or process');
    my $r = V6Lab::run_host([qw(ip -6 route show table all)], timeout => 5);
    unlike($r->{out}, qr/2001:db8:/, 'root namespace: still no lab route');
};

done_testing;
