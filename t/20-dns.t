#!/usr/bin/perl
# common/dns through t/tools/dnsq, inside the lab: the system resolver
# (unbound) and the authoritative servers asked directly over IPv6 and
# IPv4, every outcome with its addresses, TTLs and times, answers over 512
# bytes (EDNS0, TCP), a CNAME loop, the hosts file, concurrency under the
# dns-noaaaa fault, 400 queries in one run, and the deadline.
use strict;
use warnings;
use Test::More;
use File::Spec;

my $dnsq = File::Spec->rel2abs('t/tools/dnsq');
plan skip_all => "$dnsq not built (run make)" unless -x $dnsq;
use lib 't/lib';
plan skip_all => "t/lib/V6Lab.pm: $@" unless eval { require V6Lab; 1 };
my $lab = V6Lab->new(parts => ['dns']);

my %A = %{ V6Lab::ADDR() };
my ($NS1_6, $NS1_4, $NS2_6, $NS2_4) = @A{qw(ns1_6 ns1_4 ns2_6 ns2_4)};
my ($WWW4, $WWW6) = @A{qw(srv4 srv6)};
my $ZONE_TTL = 60;

# Runs dnsq in mon. Returns the run ({rc, out, err, secs, ...}) with
# q => {"NAME TYPE" => {outcome, rcode, ttl, time, addrs, names, detail}},
# n => lines parsed, total => dnsq's own seconds, server => its server.
sub dnsq {
	my ($opts, @pairs) = @_;
	my $r = $lab->run('mon', [ $dnsq, @$opts, @pairs ], timeout => 20);
	my %q;
	$r->{n} = 0;
	for (split /\n/, $r->{out} // '') {
		my ($name, $type, $outcome, $rcode, $ttl, $time, $addrs, $names,
		    $found, $loop, $detail) = /^(\S+) (\S+) (\S+) rcode=(-?\d+) (?#
			)ttl=(\d+) time=(\d+\.\d{3}) addrs=(\S*) names=(\S*) (?#
			)found=(\d+) loop=([01])(?: detail=(.*))?$/
			or next;
		$q{"$name $type"} = {
			outcome => $outcome, rcode => $rcode, ttl => $ttl,
			time => $time, detail => $detail // '',
			found => $found, loop => $loop,
			addrs => [ split /,/, $addrs ], names => [ split /,/, $names ],
		};
		$r->{n}++;
	}
	$r->{q} = \%q;
	($r->{server}, $r->{total}, $r->{early}) = ($r->{err} // '')
	    =~ /server=(.+) queries=\d+ total=(\d+\.\d+) settled_in_submit=(\d+)/;
	$r->{total} //= -1;
	return $r;
}

# One query's whole result, checked exactly.
sub answer_is {
	my ($r, $key, $want, $why) = @_;
	my $q = $r->{q}{$key};
	subtest "$why: $key" => sub {
		ok($q, 'a line for it') or return diag($r->{out}, $r->{err});
		is($q->{outcome}, $want->{outcome}, "outcome $want->{outcome}");
		is($q->{rcode}, $want->{rcode} // 0, 'rcode');
		is_deeply([ sort @{ $q->{addrs} } ], [ sort @{ $want->{addrs} // [] } ],
			  'addresses');
		is_deeply([ sort @{ $q->{names} } ], [ sort @{ $want->{names} // [] } ],
			  'names');
		my ($lo, $hi) = @{ $want->{ttl} // [ 0, 0 ] };
		ok($q->{ttl} >= $lo && $q->{ttl} <= $hi, "ttl $q->{ttl} in [$lo, $hi]");
		my ($tlo, $thi) = @{ $want->{time} // [ 0, 0.5 ] };
		ok($q->{time} >= $tlo && $q->{time} <= $thi,
		   "time $q->{time} s in [$tlo, $thi]");
		ok($q->{time} <= $r->{total} + 0.001, 'no longer than the whole run');
	};
}

sub ran_ok {
	my ($r, $n, $max_s, $why) = @_;
	ok(!$r->{timed_out} && $r->{rc} == 0, "$why: dnsq exits 0")
	    or diag("rc=$r->{rc}\n$r->{out}$r->{err}");
	is($r->{n}, $n, "$why: $n result lines");
	ok($r->{secs} < $max_s, sprintf('%s: run took %.3f s (< %s s)',
					 $why, $r->{secs}, $max_s));
	note(sprintf('%s: dnsq total %.3f s, wall %.3f s', $why, $r->{total},
		     $r->{secs}));
}

my $ttl = [ 1, $ZONE_TTL ];     # a cache counts down
my $auth = [ $ZONE_TTL, $ZONE_TTL ];

# The system resolver (mon's resolv.conf: unbound).
{
	my $r = dnsq([], 'www.lab.test', 'A', 'www.lab.test', 'AAAA',
		     'nosuch.lab.test', 'A', 'v4only.lab.test', 'AAAA',
		     'lab.test', 'NS', 'multi.lab.test', 'AAAA');
	ran_ok($r, 6, 3, 'system resolver');
	is($r->{server}, 'system resolver', 'system resolver: named so');
	answer_is($r, 'www.lab.test A',
		  { outcome => 'NOERROR', addrs => [$WWW4], ttl => $ttl },
		  'system resolver');
	answer_is($r, 'www.lab.test AAAA',
		  { outcome => 'NOERROR', addrs => [$WWW6], ttl => $ttl },
		  'system resolver');
	answer_is($r, 'nosuch.lab.test A', { outcome => 'NXDOMAIN', rcode => 3 },
		  'system resolver');
	answer_is($r, 'v4only.lab.test AAAA', { outcome => 'NODATA' },
		  'system resolver');
	answer_is($r, 'lab.test NS',
		  { outcome => 'NOERROR', names => [ 'ns1.lab.test', 'ns2.lab.test' ],
		    ttl => $ttl }, 'system resolver');
	answer_is($r, 'multi.lab.test AAAA',
		  { outcome => 'NOERROR', ttl => $ttl,
		    addrs => [ '2001:db8:c::99', '2001:db8:c::80', '2001:db8:c::81' ] },
		  'system resolver');
}

# dns_opts.hosts: a name /etc/hosts lists is answered from it (TTL 0,
# where unbound's own localhost answer has a TTL), through the loop, never
# inside dns_submit(); other names still go to DNS.
{
	my $r = dnsq(['-f'], 'localhost', 'A', 'www.lab.test', 'A');
	ran_ok($r, 2, 3, 'hosts file');
	answer_is($r, 'localhost A', { outcome => 'NOERROR', addrs => ['127.0.0.1'] },
		  'hosts file');
	answer_is($r, 'www.lab.test A', { outcome => 'NOERROR', addrs => [$WWW4], ttl => $ttl },
		  'hosts file, a name it does not list');
	is($r->{early}, 0, 'hosts file: no outcome before the loop ran');
	$r = dnsq([], 'localhost', 'A');
	ok($r->{q}{'localhost A'} && $r->{q}{'localhost A'}{ttl} > 0,
	   'without the hosts option: asked of the resolver (TTL > 0)');
}

# ns1 asked directly, over IPv6 and over IPv4: its own answers, full TTLs.
for my $s ($NS1_6, $NS1_4) {
	my $r = dnsq([ '-s', $s ], 'www.lab.test', 'A', 'www.lab.test', 'AAAA',
		     'nosuch.lab.test', 'A', 'v4only.lab.test', 'AAAA',
		     'lab.test', 'NS', 'multi.lab.test', 'AAAA',
		     'example.com', 'A');
	ran_ok($r, 7, 3, "ns1 at $s");
	is($r->{server}, $s, "ns1 at $s: named so");
	answer_is($r, 'www.lab.test A',
		  { outcome => 'NOERROR', addrs => [$WWW4], ttl => $auth }, $s);
	answer_is($r, 'www.lab.test AAAA',
		  { outcome => 'NOERROR', addrs => [$WWW6], ttl => $auth }, $s);
	answer_is($r, 'nosuch.lab.test A', { outcome => 'NXDOMAIN', rcode => 3 },
		  $s);
	answer_is($r, 'v4only.lab.test AAAA', { outcome => 'NODATA' }, $s);
	answer_is($r, 'lab.test NS',
		  { outcome => 'NOERROR', names => [ 'ns1.lab.test', 'ns2.lab.test' ],
		    ttl => $auth }, $s);
	answer_is($r, 'multi.lab.test AAAA',
		  { outcome => 'NOERROR', ttl => $auth,
		    addrs => [ '2001:db8:c::80', '2001:db8:c::81', '2001:db8:c::99' ] },
		  $s);
	# Not its zone: the REFUSED is reported, not retried elsewhere.
	answer_is($r, 'example.com A', { outcome => 'REFUSED', rcode => 5 }, $s);
}

# ns1 and ns2 publish different AAAA for diverge: each server is asked alone.
for my $case ([ $NS1_6, '2001:db8:c::80' ], [ $NS1_4, '2001:db8:c::80' ],
	      [ $NS2_6, '2001:db8:c::81' ], [ $NS2_4, '2001:db8:c::81' ]) {
	my ($s, $want) = @$case;
	my $r = dnsq([ '-s', $s ], 'diverge.lab.test', 'AAAA');
	ran_ok($r, 1, 3, "diverge at $s");
	answer_is($r, 'diverge.lab.test AAAA',
		  { outcome => 'NOERROR', addrs => [$want], ttl => $auth }, $s);
}

# A port given with the server; nothing listens there: ICMP port
# unreachable is an error at once, not a timeout.
{
	my $r = dnsq([ '-s', "[$NS1_6]:5353" ], 'www.lab.test', 'A');
	ran_ok($r, 1, 3, 'closed port');
	is($r->{server}, "[$NS1_6]:5353", 'closed port: server named with its port');
	answer_is($r, 'www.lab.test A', { outcome => 'error', rcode => -1 },
		  'closed port');
	like($r->{q}{'www.lab.test A'}{detail} // '', qr/contact DNS servers/,
	     "closed port: c-ares' reason in detail");
}

# A misbehaving server (contrib/lab/brokendns): the rcode of each AAAA
# failure is kept apart, and a reply that claims an answer it does not hold
# is an error with c-ares' words, never a crash or a made-up answer.
{
	my $s = $A{gslb6};
	my $r = dnsq([ '-s', $s ], map { ("$_.gslb.lab.test", 'AAAA') } qw(nxaaaa sfaaaa rfaaaa garbage));
	ran_ok($r, 4, 3, 'brokendns');
	answer_is($r, 'nxaaaa.gslb.lab.test AAAA', { outcome => 'NXDOMAIN', rcode => 3, addrs => [] }, 'brokendns');
	answer_is($r, 'sfaaaa.gslb.lab.test AAAA', { outcome => 'SERVFAIL', rcode => 2, addrs => [] }, 'brokendns');
	answer_is($r, 'rfaaaa.gslb.lab.test AAAA', { outcome => 'REFUSED', rcode => 5, addrs => [] }, 'brokendns');
	answer_is($r, 'garbage.gslb.lab.test AAAA', { outcome => 'error', addrs => [] }, 'brokendns');
	like($r->{q}{'garbage.gslb.lab.test AAAA'}{detail} // '', qr/Misformatted DNS reply/,
	     'brokendns: a cut-short answer is a misformatted reply');
}

# Answers over 512 bytes (issue 9, item 6): EDNS0 brings 40 A (about 700
# bytes) and 40 AAAA (about 1200) over UDP; 60 NS with glue (about 6 KB
# through unbound, 1.8 KB from nsd) come back truncated and are asked
# again over TCP. Every record is kept and counted, through the resolver
# and from nsd over either transport.
for my $s ([], [ '-s', $NS1_6 ], [ '-s', $NS1_4 ]) {
	my $where = @$s ? "at $s->[1]" : 'system resolver';
	my $r = dnsq($s, 'big.lab.test', 'A', 'big.lab.test', 'AAAA', 'wide.lab.test', 'NS');
	ran_ok($r, 3, 3, "big answers, $where");
	answer_is($r, 'big.lab.test A',
		  { outcome => 'NOERROR', ttl => @$s ? $auth : $ttl,
		    addrs => [ $WWW4, map { "203.0.113.$_" } 100 .. 138 ] }, "40 A, $where");
	answer_is($r, 'big.lab.test AAAA',
		  { outcome => 'NOERROR', ttl => @$s ? $auth : $ttl,
		    addrs => [ $WWW6, map { "2001:db8:c::$_" } 100 .. 138 ] }, "40 AAAA, $where");
	answer_is($r, 'wide.lab.test NS',
		  { outcome => 'NOERROR', ttl => @$s ? $auth : $ttl,
		    names => [ map { sprintf 'nameserver-%02d.wide.lab.test', $_ } 1 .. 60 ] },
		  "60 NS over TCP, $where");
	is($r->{q}{"$_"}{found}, $_ =~ /NS$/ ? 60 : 40, "$_, $where: all counted")
	    for 'big.lab.test A', 'big.lab.test AAAA', 'wide.lab.test NS';
}

# A CNAME loop: nsd gives the chain, which dns names a loop; unbound
# answers SERVFAIL.
{
	my $r = dnsq([ '-s', $NS1_6 ], 'cloop.lab.test', 'A', 'www.lab.test', 'A');
	is($r->{q}{'cloop.lab.test A'}{loop}, 1, 'CNAME loop from nsd: named');
	is($r->{q}{'cloop.lab.test A'}{outcome}, 'NODATA', 'CNAME loop from nsd: no address');
	is($r->{q}{'www.lab.test A'}{loop}, 0, 'no loop for www');
	$r = dnsq([], 'cloop.lab.test', 'A');
	is($r->{q}{'cloop.lab.test A'}{outcome}, 'SERVFAIL', 'CNAME loop through unbound: SERVFAIL');
}

# dns-noaaaa: ns1 drops AAAA queries. A and AAAA go out together, so A
# answers at once while AAAA waits out its own time; the run lasts about
# one query timeout, not the sum.
$lab->on('dns-noaaaa');
{
	my $r = dnsq([ '-s', $NS1_6, '-T', 1000, '-r', 1 ], 'www.lab.test', 'AAAA',
		     'www.lab.test', 'A', 'multi.lab.test', 'A');
	ran_ok($r, 3, 1.0 + 1.0, 'dns-noaaaa, one try');
	answer_is($r, 'www.lab.test AAAA',
		  { outcome => 'timeout', rcode => -1, time => [ 0.95, 1.3 ] },
		  'dns-noaaaa');
	answer_is($r, 'www.lab.test A',
		  { outcome => 'NOERROR', addrs => [$WWW4], ttl => $auth },
		  'dns-noaaaa');
	answer_is($r, 'multi.lab.test A',
		  { outcome => 'NOERROR', addrs => [$WWW4], ttl => $auth },
		  'dns-noaaaa');

	# Two tries over IPv4: c-ares doubles the wait for each new round
	# (1.18: timeout << round), so 500 ms + 1000 ms.
	$r = dnsq([ '-s', $NS1_4, '-T', 500, '-r', 2 ], 'www.lab.test', 'AAAA',
		  'www.lab.test', 'A');
	ran_ok($r, 2, 1.5 + 1.0, 'dns-noaaaa, two tries');
	answer_is($r, 'www.lab.test AAAA',
		  { outcome => 'timeout', rcode => -1, time => [ 1.45, 1.8 ] },
		  'dns-noaaaa, two tries');
	answer_is($r, 'www.lab.test A',
		  { outcome => 'NOERROR', addrs => [$WWW4], ttl => $auth },
		  'dns-noaaaa, two tries');
}
$lab->off('dns-noaaaa');
{
	my $r = dnsq([ '-s', $NS1_6, '-T', 1000, '-r', 1 ], 'www.lab.test', 'AAAA');
	answer_is($r, 'www.lab.test AAAA',
		  { outcome => 'NOERROR', addrs => [$WWW6], ttl => $auth },
		  'dns-noaaaa off again');
}

# 200 names, A and AAAA each, in one run; every 4th name publishes ::99.
for my $s ([], [ '-s', $NS1_6 ]) {
	my @pairs = map { my $n = sprintf 'h%03d.lab.test', $_; ($n, 'A', $n, 'AAAA') }
	    1 .. 200;
	my $r = dnsq($s, @pairs);
	my $where = @$s ? "at $s->[1]" : 'system resolver';
	ran_ok($r, 400, 2, "400 queries, $where");
	my @bad;
	for my $i (1 .. 200) {
		my $n = sprintf 'h%03d.lab.test', $i;
		my $a = $r->{q}{"$n A"};
		my $aaaa = $r->{q}{"$n AAAA"};
		my $want6 = $i % 4 ? '2001:db8:c::80' : '2001:db8:c::99';
		push @bad, "$n A" unless $a && $a->{outcome} eq 'NOERROR'
		    && "@{$a->{addrs}}" eq $WWW4 && $a->{time} < 1;
		push @bad, "$n AAAA" unless $aaaa && $aaaa->{outcome} eq 'NOERROR'
		    && "@{$aaaa->{addrs}}" eq $want6 && $aaaa->{time} < 1;
	}
	is_deeply(\@bad, [], "400 queries, $where: every answer exact, each < 1 s")
	    or diag($r->{out});
	ok($r->{total} < 1, "400 queries, $where: $r->{total} s in all");
}

# A server address where nothing answers: a bounded timeout.
{
	my $r = dnsq([ '-s', '2001:db8:d::9999', '-T', 500, '-r', 1 ],
		     'www.lab.test', 'A', 'www.lab.test', 'AAAA');
	ran_ok($r, 2, 0.5 + 1.0, 'silent server');
	for my $t (qw(A AAAA)) {
		answer_is($r, "www.lab.test $t",
			  { outcome => 'timeout', rcode => -1, time => [ 0.45, 0.8 ] },
			  'silent server');
	}
}

# The deadline (dnsq's is 10 s) ends what c-ares would still wait for
# (4 s + 8 s): dns_finish() marks those in flight and those still queued
# behind them (100 > the in-flight cap) timed out, and dnsq prints them all
# before the backstop.
{
	my @pairs = map { (sprintf('h%03d.lab.test', $_), 'A') } 1 .. 100;
	my $r = dnsq([ '-s', '2001:db8:d::9999', '-T', 4000, '-r', 2 ], @pairs);
	ran_ok($r, 100, 10.6, 'deadline');
	unlike($r->{out}, qr/UNKNOWN - timeout/, 'deadline: not the backstop');
	my @late = grep {
		my $q = $r->{q}{"$_ A"};
		!$q || $q->{outcome} ne 'timeout' || $q->{time} < 9.9
		    || $q->{time} > 10.1
	} map { sprintf 'h%03d.lab.test', $_ } 1 .. 100;
	is_deeply(\@late, [], 'deadline: all 100 timed out at 10 s');
}

done_testing();
