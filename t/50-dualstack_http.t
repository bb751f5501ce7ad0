#!/usr/bin/perl
# check_dualstack_http in the lab: real nginx, real DNS, real faults. Each
# scenario asserts the exit code, the first line, the long output where it
# matters, the perfdata and the output contract; every run is bounded.
use strict;
use warnings;
use Test::More;
use lib 't/lib';
use V6Lab qw(perf_is long_like);

my $plugin = 'plugins/check_dualstack_http';
plan skip_all => "$plugin not built (run make)" unless -x $plugin;
my $lab = V6Lab->new(parts => [qw(web dns)]);
my $A   = V6Lab::ADDR;
my $CA  = $lab->ca_file;
my ($V4, $V6, $DEAD) = @$A{qw(srv4 srv6 dead6)};
my $PAGE = 594;    # bytes of the lab's index.html

sub check {
    my ($why, @args) = @_;
    my $p = $lab->plugin('check_dualstack_http', @args, { timeout => 30 });
    V6Lab::plugin_contract_ok($p, $why);
    note("$why: $p->{out}");
    return $p;
}

# exit code, first line, and the time it took
sub verdict {
    my ($p, $rc, $first, $why, $max_s) = @_;
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    is($p->{rc}, $rc, "$why: exit $rc") or diag($p->{out});
    like($p->{first}, $first, "$why: first line");
    ok($p->{secs} < $max_s, sprintf('%s: took %.2f s (< %s s)', $why, $p->{secs}, $max_s))
        if defined $max_s;
}

sub perf_has {
    my ($p, $labels, $why) = @_;
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    is_deeply([ sort keys %{ $p->{perf} } ], [ sort @$labels ], "$why: perf labels");
}

my @FOUR = qw(time_v4 time_v6 size_v4 size_v6);

# --- healthy -----------------------------------------------------------------

my $p = check('healthy', '-H', 'www.lab.test', '-s', 'Welcome');
verdict($p, 0, qr/^DUALSTACK_HTTP OK - www\.lab\.test: IPv6 OK \(HTTP 200 in [\d.]+ s\); IPv4 OK \(HTTP 200 in [\d.]+ s\) \|/,
    'healthy', 3);
perf_has($p, \@FOUR, 'healthy');
perf_is($p, 'size_v4', $PAGE, 'healthy');
perf_is($p, 'size_v6', $PAGE, 'healthy');
is($p->{perf}{time_v6}{uom}, 's', 'healthy: time in seconds');
is($p->{perf}{time_v4}{min}, 0, 'healthy: time min 0');
long_like($p, qr/^\[OK\] IPv6 \[\Q$V6\E\]: HTTP 200 OK, $PAGE B in [\d.]+ s$/, 'healthy IPv6');
long_like($p, qr/^\[OK\] IPv4 \Q$V4\E: HTTP 200 OK, $PAGE B in [\d.]+ s$/,    'healthy IPv4');
long_like($p, qr/^\[OK\] DNS AAAA www\.lab\.test: \Q$V6\E in [\d.]+ s$/,    'healthy AAAA');
long_like($p, qr/^\[OK\] IPv4 and IPv6 serve the same status and content$/, 'healthy comparison');

# proxies in the environment are ignored: the check tests the path
my $r = $lab->run('mon', [ $plugin, '-H', 'www.lab.test', '-s', 'Welcome' ],
    timeout => 20, env => { http_proxy => 'http://203.0.113.1:9', https_proxy => 'http://203.0.113.1:9',
                            all_proxy => 'http://203.0.113.1:9', HTTP_PROXY => 'http://203.0.113.1:9' });
is($r->{rc}, 0, 'http_proxy in the environment is ignored') or diag($r->{out});

# --- server lost its IPv6 address, AAAA still published ----------------------

$lab->on('v6-addr-lost');
$p = check('v6-addr-lost', '-H', 'www.lab.test', '-s', 'Welcome', '-t', '6');
verdict($p, 2, qr/^DUALSTACK_HTTP CRITICAL - www\.lab\.test: IPv6 broken while IPv4 works \(\[\Q$V6\E\]: (unreachable \(host unreachable\)|connection timed out after [\d.]+ s)\) \|/,
    'v6-addr-lost', 6.5);
long_like($p, qr/^\[OK\] IPv4 \Q$V4\E: HTTP 200 OK/, 'v6-addr-lost: IPv4 still OK');
perf_has($p, [qw(time_v4 size_v4)], 'v6-addr-lost: no IPv6 numbers without an answer');
$lab->off('v6-addr-lost');

# --- different content over IPv6 --------------------------------------------

$lab->on('v6-content');
$p = check('v6-content', '-H', 'www.lab.test', '-s', 'Welcome');
verdict($p, 2, qr/^DUALSTACK_HTTP CRITICAL - www\.lab\.test: IPv6 broken while IPv4 works \(\[\Q$V6\E\]: string "Welcome" not found\); content differs: $PAGE B \(sha256 [0-9a-f]{8}\.\.\.\) over IPv4, \d+ B \(sha256 [0-9a-f]{8}\.\.\.\) over IPv6 \|/,
    'v6-content', 3);
long_like($p, qr/^\[CRITICAL\] IPv6 \[\Q$V6\E\]: HTTP 200 OK, \d+ B in [\d.]+ s; string "Welcome" not found$/, 'v6-content IPv6');
long_like($p, qr/^\[OK\] IPv4 \Q$V4\E: HTTP 200 OK, $PAGE B/, 'v6-content IPv4');
$p = check('v6-content, no -s', '-H', 'www.lab.test');
verdict($p, 1, qr/^DUALSTACK_HTTP WARNING - www\.lab\.test: IPv6 OK .*; IPv4 OK .*; content differs: /,
    'v6-content, no -s: the comparison alone warns');
$p = check('v6-content, --no-compare', '-H', 'www.lab.test', '--no-compare');
verdict($p, 0, qr/^DUALSTACK_HTTP OK - /, 'v6-content, --no-compare');
$lab->off('v6-content');

# --- PMTUD blackhole: small page fine, large page stalls ----------------------

$lab->on('pmtud-blackhole');
$lab->flush;
$p = check('blackhole, small page', '-H', 'www.lab.test', '-s', 'Welcome', '-t', '5');
verdict($p, 0, qr/^DUALSTACK_HTTP OK - www\.lab\.test: IPv6 OK .*; IPv4 OK /, 'blackhole, small page', 3);
$p = check('blackhole, large page', '-H', 'www.lab.test', '-u', '/large.html', '-s', 'END-OF-LARGE-PAGE', '-t', '4');
verdict($p, 2, qr/^DUALSTACK_HTTP CRITICAL - www\.lab\.test: .*IPv6 broken[^;]*\[\Q$V6\E\]: transfer stalled after \d+ of 204800 bytes over IPv6 \(typical of a Path MTU Discovery blackhole/,
    'blackhole, large page', 4.6);
unlike($p->{first}, qr/timeout after|timed out/, 'blackhole: a stall, not a bare timeout');
long_like($p, qr/^\[CRITICAL\] IPv6 \[\Q$V6\E\]: transfer stalled/, 'blackhole, large page IPv6');
$lab->off('pmtud-blackhole');
$lab->flush;
$p = check('large page, no fault', '-H', 'www.lab.test', '-u', '/large.html', '-s', 'END-OF-LARGE-PAGE', '-t', '5');
verdict($p, 0, qr/^DUALSTACK_HTTP OK - /, 'large page without the fault', 3);
perf_is($p, 'size_v6', 204800, 'large page');

# --- names without AAAA, one family only ------------------------------------

$p = check('A only', '-H', 'v4only.lab.test');
verdict($p, 1, qr/^DUALSTACK_HTTP WARNING - v4only\.lab\.test: no AAAA record; IPv4 OK \(HTTP 200 in [\d.]+ s\) \|/, 'A only');
long_like($p, qr/^\[WARNING\] DNS AAAA v4only\.lab\.test: no AAAA record$/, 'A only');
perf_is($p, 'size_v4', $PAGE, 'A only');
$p = check('A only, --no-aaaa ok', '-H', 'v4only.lab.test', '--no-aaaa', 'ok');
verdict($p, 0, qr/^DUALSTACK_HTTP OK - v4only\.lab\.test: no AAAA record; IPv4 OK/, 'A only, --no-aaaa ok');
$p = check('AAAA only', '-H', 'v6only.lab.test', '--no-a', 'critical');
verdict($p, 2, qr/^DUALSTACK_HTTP CRITICAL - v6only\.lab\.test: IPv6 OK .*; no A record \|/, 'AAAA only, --no-a critical');

$p = check('-4', '-H', 'www.lab.test', '-4', '-s', 'Welcome');
verdict($p, 0, qr/^DUALSTACK_HTTP OK - www\.lab\.test: IPv4 OK \(HTTP 200 in [\d.]+ s\) \|/, '-4');
perf_has($p, [qw(time_v4 size_v4)], '-4');
ok(!(grep {/IPv6|AAAA/} @{ $p->{long} }), '-4: nothing about IPv6');
$p = check('-6', '-H', 'www.lab.test', '-6', '-s', 'Welcome');
verdict($p, 0, qr/^DUALSTACK_HTTP OK - www\.lab\.test: IPv6 OK \(HTTP 200 in [\d.]+ s\) \|/, '-6');
perf_has($p, [qw(time_v6 size_v6)], '-6');
$lab->on('v6-addr-lost');
$p = check('-4 with v6-addr-lost', '-H', 'www.lab.test', '-4', '-t', '5');
verdict($p, 0, qr/^DUALSTACK_HTTP OK - /, '-4 does not see the IPv6 fault');
$lab->off('v6-addr-lost');

# --- time thresholds, --max-delta --------------------------------------------

$lab->on('latency-v6', 300);
$p = check('slow IPv6, -w', '-H', 'www.lab.test', '-w', '0.4', '-c', '5');
verdict($p, 1, qr/^DUALSTACK_HTTP WARNING - www\.lab\.test: IPv6 degraded \(\[\Q$V6\E\]: response time 0\.[6-9]\d* s \(warning threshold 0\.4\)\); IPv4 OK /,
    'slow IPv6, -w 0.4');
is($p->{perf}{time_v6}{warn}, '0.4', 'slow IPv6: -w in perfdata');
is($p->{perf}{time_v6}{crit}, '5', 'slow IPv6: -c in perfdata');
ok($p->{perf}{time_v6}{value} >= 0.6, 'slow IPv6: two delayed round trips');
$p = check('slow IPv6, -c', '-H', 'www.lab.test', '-w', '0.1', '-c', '0.4');
verdict($p, 2, qr/^DUALSTACK_HTTP CRITICAL - www\.lab\.test: IPv6 broken while IPv4 works \(\[\Q$V6\E\]: response time [\d.]+ s \(critical threshold 0\.4\)\)/,
    'slow IPv6, -c 0.4');
$lab->off('latency-v6');

$lab->on('latency-v6', 100);
$p = check('--max-delta 50', '-H', 'www.lab.test', '--max-delta', '50');
verdict($p, 1, qr/^DUALSTACK_HTTP WARNING - www\.lab\.test: IPv6 OK .*; IPv4 OK .*; IPv6 slower than IPv4 by \d+ ms \(limit 50 ms\): clients will fall back to IPv4 \|/,
    '--max-delta 50 with 100 ms on IPv6');
$p = check('--max-delta 1000', '-H', 'www.lab.test', '--max-delta', '1000');
verdict($p, 0, qr/^DUALSTACK_HTTP OK - /, '--max-delta 1000');
long_like($p, qr/^\[OK\] IPv6 took \+\d+ ms compared with IPv4 \(limit 1000 ms\)$/, '--max-delta 1000');
$lab->off('latency-v6');

# --- HTTP status ----------------------------------------------------------------

$p = check('404', '-H', 'www.lab.test', '-u', '/no-such-page');
verdict($p, 1, qr/^DUALSTACK_HTTP WARNING - www\.lab\.test: IPv6 and IPv4 degraded \(HTTP 404 Not Found\) \|/, '404');
$p = check('404 expected', '-H', 'www.lab.test', '-u', '/no-such-page', '-e', '404');
verdict($p, 0, qr/^DUALSTACK_HTTP OK - /, '404 with -e 404');
$p = check('500', '-H', 'www.lab.test', '-u', '/error500');
verdict($p, 2, qr/^DUALSTACK_HTTP CRITICAL - www\.lab\.test: IPv6 and IPv4 broken \(HTTP 500 Internal Server Error\) \|/, '500');
$p = check('-r', '-H', 'www.lab.test', '-R', 'WELCOME to the V6OPS');
verdict($p, 0, qr/^DUALSTACK_HTTP OK - /, '-R ignores case');
$p = check('--invert-regex', '-H', 'www.lab.test', '-r', 'Welcome', '--invert-regex');
verdict($p, 2, qr/pattern "Welcome" found/, '--invert-regex');
$p = check('-m', '-H', 'www.lab.test', '-m', '1000');
verdict($p, 1, qr/page size $PAGE B, not in 1000:/, '-m 1000');

# --- HTTPS with the lab CA -------------------------------------------------------

my @TLS = ('-S', '--ca-file', $CA);
$p = check('https', '-H', 'www.lab.test', @TLS, '-s', 'Welcome', '--perf-phases');
verdict($p, 0, qr/^DUALSTACK_HTTP OK - www\.lab\.test: IPv6 OK .*; IPv4 OK /, 'https', 3);
long_like($p, qr/^\[OK\] IPv6 \[\Q$V6\E\]: HTTP 200 OK, $PAGE B in [\d.]+ s; certificate CN=www\.lab\.test,O=v6ops lab, expires 20\d\d-\d\d-\d\d, issuer CN=v6ops lab CA/,
    'https: the certificate is described');
perf_has($p, [ @FOUR, map { ("dns_$_", "connect_$_", "tls_$_", "firstbyte_$_") } qw(v4 v6) ], 'https --perf-phases');
ok($p->{perf}{tls_v6}{value} > $p->{perf}{connect_v6}{value}, 'https: TLS after connect');
$p = check('https -C 20', '-H', 'www.lab.test', @TLS, '-C', '20');
verdict($p, 0, qr/^DUALSTACK_HTTP OK - /, '30-day certificate, -C 20');
$p = check('https -C 40', '-H', 'www.lab.test', @TLS, '-C', '40');
verdict($p, 1, qr/^DUALSTACK_HTTP WARNING - www\.lab\.test: IPv6 and IPv4 degraded \(certificate expires in (29|30) days\)/, '-C 40');
$p = check('https -C 60,40', '-H', 'www.lab.test', @TLS, '-C', '60,40');
verdict($p, 2, qr/^DUALSTACK_HTTP CRITICAL - www\.lab\.test: IPv6 and IPv4 broken \(certificate expires in (29|30) days\)/, '-C 60,40');

# SNI stays the name while pinned to an address; the default server
# refuses handshakes without SNI
$p = check('pinned with SNI', '-H', 'www.lab.test', '-I', $V6, '-I', $V4, @TLS, '-s', 'Welcome');
verdict($p, 0, qr/^DUALSTACK_HTTP OK - www\.lab\.test: IPv6 OK .*; IPv4 OK /, 'pinned by address, SNI www.lab.test');
ok(!(grep {/^\[\w+\] DNS/} @{ $p->{long} }), 'pinned: nothing resolved');
$p = check('no SNI', '-H', $V6, @TLS);
verdict($p, 2, qr/^DUALSTACK_HTTP CRITICAL - 2001:db8:c::80: IPv6 broken \(\[\Q$V6\E\]: TLS handshake failed: .*unrecognized name/,
    'an address as -H: no SNI, the handshake is refused');

$p = check('wrong name', '-H', 'wrongcert.lab.test', @TLS);
verdict($p, 2, qr/^DUALSTACK_HTTP CRITICAL - wrongcert\.lab\.test: IPv6 and IPv4 broken \(certificate does not match the name\)/,
    'wrong-name certificate');
long_like($p, qr/certificate CN=other\.lab\.test/, 'wrong name: the certificate seen is described');

$lab->on('tls-v6-expired');
$p = check('expired over IPv6', '-H', 'www.lab.test', @TLS);
verdict($p, 2, qr/^DUALSTACK_HTTP CRITICAL - www\.lab\.test: IPv6 broken while IPv4 works \(\[\Q$V6\E\]: certificate rejected: certificate has expired\) \|/,
    'tls-v6-expired');
long_like($p, qr/^\[CRITICAL\] IPv6 \[\Q$V6\E\]: certificate rejected: certificate has expired; certificate differs from the one at \Q$V4\E \(subject, notAfter, serial\); certificate CN=www\.lab\.test,O=v6ops lab expired, expires 2020-02-01/,
    'tls-v6-expired: the IPv6 certificate');
long_like($p, qr/^\[OK\] IPv4 \Q$V4\E: HTTP 200 OK, $PAGE B in [\d.]+ s; certificate CN=www\.lab\.test,O=v6ops lab, expires/,
    'tls-v6-expired: the IPv4 certificate');
$lab->off('tls-v6-expired');

$lab->on('tls-v6-other');
$p = check('other certificate over IPv6', '-H', 'www.lab.test', @TLS);
verdict($p, 2, qr/^DUALSTACK_HTTP CRITICAL - www\.lab\.test: IPv6 broken while IPv4 works \(\[\Q$V6\E\]: certificate differs from the one at \Q$V4\E \(subject, notAfter, serial\)\) \|/,
    'tls-v6-other');
long_like($p, qr/^\[CRITICAL\] IPv6 .*certificate CN=www\.lab\.test,O=v6ops lab other operator, expires/, 'tls-v6-other: IPv6 certificate');
long_like($p, qr/^\[OK\] IPv4 .*certificate CN=www\.lab\.test,O=v6ops lab, expires/, 'tls-v6-other: IPv4 certificate');
$p = check('other certificate, --compare status,body', '-H', 'www.lab.test', @TLS, '--compare', 'status,body');
verdict($p, 0, qr/^DUALSTACK_HTTP OK - /, 'tls-v6-other, certificates not compared');
$lab->off('tls-v6-other');

# --- DNS server that ignores AAAA queries ---------------------------------------

$lab->on('dns-noaaaa');
$p = check('dns-noaaaa', '-H', 'www.lab.test', '-s', 'Welcome', '-t', '5');
verdict($p, 1, qr/^DUALSTACK_HTTP WARNING - www\.lab\.test: AAAA query timed out after [\d.]+ s while A answered in [\d.]+ s: clients asking for AAAA wait; IPv4 OK \(HTTP 200 in [\d.]+ s\) \|/,
    'dns-noaaaa', 5);
perf_is($p, 'size_v4', $PAGE, 'dns-noaaaa');
$lab->off('dns-noaaaa');

# --- unreachable addresses, bounded by -t ---------------------------------------

$p = check('dead address', '-H', 'www.lab.test', '-I', $DEAD, '-t', '3');
verdict($p, 2, qr/^DUALSTACK_HTTP CRITICAL - www\.lab\.test: IPv6 broken \(\[\Q$DEAD\E\]: (unreachable \(host unreachable\)|connection timed out after [\d.]+ s)\)$/,
    'dead address', 3.5);
$p = check('stale AAAA', '-H', 'stale.lab.test', '-t', '3');
verdict($p, 2, qr/^DUALSTACK_HTTP CRITICAL - stale\.lab\.test: IPv6 broken while IPv4 works \(\[\Q$DEAD\E\]: /, 'stale AAAA', 3.5);
$p = check('--all-addresses', '-H', 'multi.lab.test', '--all-addresses', '-s', 'Welcome', '-t', '4');
verdict($p, 2, qr/^DUALSTACK_HTTP CRITICAL - multi\.lab\.test: IPv6 broken while IPv4 works \(\[\Q$DEAD\E\]: /, '--all-addresses', 4.5);
is(scalar(grep {/^\[OK\] IPv6 /} @{ $p->{long} }), 2, '--all-addresses: the two live AAAA are OK');
$p = check('first address only', '-H', 'multi.lab.test', '-s', 'Welcome', '-t', '4');
is(scalar(grep {/^\[\w+\] IPv6 \[/} @{ $p->{long} }), 1, 'without --all-addresses: one IPv6 address');

# --- redirects: sticky to the address and family -------------------------------

$p = check('redirect, default', '-H', 'www.lab.test', '-u', '/moved');
verdict($p, 0, qr/^DUALSTACK_HTTP OK - www\.lab\.test: IPv6 OK \(HTTP 301 in [\d.]+ s\); IPv4 OK \(HTTP 301 /,
    'a redirect is OK by default');
$p = check('redirect, warning', '-H', 'www.lab.test', '-u', '/moved', '-f', 'warning');
verdict($p, 1, qr/^DUALSTACK_HTTP WARNING - www\.lab\.test: .*redirect to /, '-f warning');
$p = check('redirect, follow', '-H', 'www.lab.test', '-u', '/moved', '-f', 'follow', '-s', 'Welcome');
verdict($p, 0, qr/^DUALSTACK_HTTP OK - www\.lab\.test: IPv6 OK \(HTTP 200 in [\d.]+ s\); IPv4 OK \(HTTP 200 /,
    '-f follow reaches the page over both families');
perf_is($p, 'size_v6', $PAGE, 'follow');
$p = check('redirect to a v4-only name', '-H', 'www.lab.test', '-u', '/to-v4only', '-f', 'follow', '-t', '5');
verdict($p, 2, qr/^DUALSTACK_HTTP CRITICAL - www\.lab\.test: IPv6 broken while IPv4 works \(\[\Q$V6\E\]: redirect target v4only\.lab\.test has no IPv6 address/,
    'a redirect target without AAAA breaks IPv6 users', 6);
long_like($p, qr/^\[OK\] IPv4 \Q$V4\E: HTTP 200 /, 'the IPv4 side follows to the page');

# --- bad options: one line, exit 3 -------------------------------------------------

for my $bad (
    [ 'no host',          [] ],
    [ '-w abc',           [ '-H', 'www.lab.test', '-w', 'abc' ] ],
    [ '-4 -6',            [ '-H', 'www.lab.test', '-4', '-6' ] ],
    [ '-I not an address',[ '-H', 'www.lab.test', '-I', 'www.lab.test' ] ],
    [ '-4 with -I v6',    [ '-H', 'www.lab.test', '-4', '-I', $V6 ] ],
    [ '-r bad regex',     [ '-H', 'www.lab.test', '-r', '(' ] ],
    [ '-r and -R',        [ '-H', 'www.lab.test', '-r', 'a', '-R', 'b' ] ],
    [ '-e 99',            [ '-H', 'www.lab.test', '-e', '99' ] ],
    [ '-m 10:5',          [ '-H', 'www.lab.test', '-m', '10:5' ] ],
    [ '-C 7,14',          [ '-H', 'www.lab.test', '-C', '7,14' ] ],
    [ '--compare size',   [ '-H', 'www.lab.test', '--compare', 'size' ] ],
    [ '--onredirect x',   [ '-H', 'www.lab.test', '--onredirect', 'sometimes' ] ],
    [ '-u no slash',      [ '-H', 'www.lab.test', '-u', 'index.html' ] ],
    [ '-u ftp',           [ '-u', 'ftp://www.lab.test/' ] ],
    [ '-p 0',             [ '-H', 'www.lab.test', '-p', '0' ] ],
    [ '-t 0',             [ '-H', 'www.lab.test', '-t', '0' ] ],
    [ 'HEAD with -s',     [ '-H', 'www.lab.test', '-j', 'HEAD', '-s', 'x' ] ],
    [ 'stray argument',   [ '-H', 'www.lab.test', 'extra' ] ],
) {
    my ($why, $args) = @$bad;
    $p = check("bad: $why", @$args);
    is($p->{rc}, 3, "bad: $why: exit 3");
    like($p->{first}, qr/^DUALSTACK_HTTP UNKNOWN - \S/, "bad: $why: one reason");
    like($p->{out}, qr/\nUsage: check_dualstack_http /, "bad: $why: usage line");
}

# a whole URL in -u stands in for -H, -S and -p
$p = check('-u URL', '-u', 'https://www.lab.test/large.html', '--ca-file', $CA, '-s', 'END-OF-LARGE-PAGE');
verdict($p, 0, qr/^DUALSTACK_HTTP OK - www\.lab\.test: /, '-u https://www.lab.test/large.html');
perf_is($p, 'size_v4', 204800, '-u URL');

done_testing();
