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
my @V4 = qw(time_v4 size_v4);

# The server's access-log lines carrying TAG (both families' requests are
# logged once the plugin is done; nginx may write them a moment later).
my $ACCESS = $lab->state_dir . '/srv/access.log';
sub logged {
    my ($tag) = @_;
    my @l;
    for (1 .. 20) {
        open(my $fh, '<', $ACCESS) or last;
        @l = grep {/\Q$tag\E/} <$fh>;
        last if @l >= 2;
        select(undef, undef, undef, 0.05);
    }
    return @l;
}

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

# --- server lost its IPv4 address: the mirror case ---------------------------

$lab->on('v4-addr-lost');
$p = check('v4-addr-lost', '-H', 'www.lab.test', '-s', 'Welcome', '-t', '4');
verdict($p, 2, qr/^DUALSTACK_HTTP CRITICAL - www\.lab\.test: IPv4 broken while IPv6 works \(\Q$V4\E: (unreachable \(host unreachable\)|connection timed out after [\d.]+ s)\) \|/,
    'v4-addr-lost', 4.5);
long_like($p, qr/^\[OK\] IPv6 \[\Q$V6\E\]: HTTP 200 OK/, 'v4-addr-lost: IPv6 still OK');
perf_has($p, [qw(time_v6 size_v6)], 'v4-addr-lost: no IPv4 numbers without an answer');
$lab->off('v4-addr-lost');

# --- different content over IPv6 --------------------------------------------

$lab->on('v6-content');
$p = check('v6-content', '-H', 'www.lab.test', '-s', 'Welcome');
verdict($p, 2, qr/^DUALSTACK_HTTP CRITICAL - www\.lab\.test: IPv6 broken while IPv4 works \(\[\Q$V6\E\]: string "Welcome" not found\); content differs: $PAGE B \(sha256 [0-9a-f]{8}\.\.\.\) over IPv4, \d+ B \(sha256 [0-9a-f]{8}\.\.\.\) over IPv6 \|/,
    'v6-content', 3);
long_like($p, qr/^\[CRITICAL\] IPv6 \[\Q$V6\E\]: HTTP 200 OK, \d+ B in [\d.]+ s; string "Welcome" not found$/, 'v6-content IPv6');
long_like($p, qr/^\[OK\] IPv4 \Q$V4\E: HTTP 200 OK, $PAGE B/, 'v6-content IPv4');
perf_has($p, \@FOUR, 'v6-content');
perf_is($p, 'size_v4', $PAGE, 'v6-content');
ok($p->{perf}{size_v6}{value} != $PAGE, 'v6-content: another size over IPv6');
$p = check('v6-content, no -s', '-H', 'www.lab.test');
verdict($p, 1, qr/^DUALSTACK_HTTP WARNING - www\.lab\.test: IPv6 OK .*; IPv4 OK .*; content differs: /,
    'v6-content, no -s: the comparison alone warns');
perf_has($p, \@FOUR, 'v6-content, no -s');
$p = check('v6-content, --compare cert', '-H', 'www.lab.test', '--compare', 'cert');
verdict($p, 0, qr/^DUALSTACK_HTTP OK - www\.lab\.test: IPv6 OK .*; IPv4 OK [^;]* \|/, 'v6-content, --compare cert: content not compared');
perf_has($p, \@FOUR, 'v6-content, --compare cert');
$p = check('v6-content, --no-compare', '-H', 'www.lab.test', '--no-compare');
verdict($p, 0, qr/^DUALSTACK_HTTP OK - www\.lab\.test: IPv6 OK .*; IPv4 OK [^;]* \|/, 'v6-content, --no-compare');
perf_has($p, \@FOUR, 'v6-content, --no-compare');
ok(!(grep {/serve the same|differs/} @{ $p->{long} }), '--no-compare: no comparison line');
$lab->off('v6-content');

# --- PMTUD blackhole: small page fine, large page stalls ----------------------

$lab->on('pmtud-blackhole');
$lab->flush;
$p = check('blackhole, small page', '-H', 'www.lab.test', '-s', 'Welcome', '-t', '5');
verdict($p, 0, qr/^DUALSTACK_HTTP OK - www\.lab\.test: IPv6 OK .*; IPv4 OK /, 'blackhole, small page', 3);
perf_has($p, \@FOUR, 'blackhole, small page');
perf_is($p, 'size_v6', $PAGE, 'blackhole, small page');
$p = check('blackhole, large page', '-H', 'www.lab.test', '-u', '/large.html', '-s', 'END-OF-LARGE-PAGE', '-t', '4');
# the lab's blackhole is on the path both families share: both stall
verdict($p, 2, qr/^DUALSTACK_HTTP CRITICAL - www\.lab\.test: .*IPv6 broken[^;]*\[\Q$V6\E\]: transfer stalled after (the headers, )?\d+ of 204800 bytes over IPv6 \(typical of a Path MTU Discovery blackhole/,
    'blackhole, large page', 4.5);
perf_has($p, [], 'blackhole, large page: no numbers for stalled transfers');
long_like($p, qr/^\[CRITICAL\] IPv4 \Q$V4\E: transfer stalled after (the headers, )?\d+ of 204800 bytes over IPv4 \(typical/, 'blackhole, large page IPv4');
unlike($p->{first}, qr/timeout after|timed out/, 'blackhole: a stall, not a bare timeout');
long_like($p, qr/^\[CRITICAL\] IPv6 \[\Q$V6\E\]: transfer stalled/, 'blackhole, large page IPv6');
$lab->off('pmtud-blackhole');
$lab->flush;
# --- the same blackhole for IPv6 alone: IPv4 works, IPv6 stalls ----------------

$lab->on('pmtud-blackhole-v6');
$p = check('v6 blackhole, large page', '-H', 'www.lab.test', '-u', '/large.html', '-s', 'END-OF-LARGE-PAGE', '-t', '4');
verdict($p, 2, qr/^DUALSTACK_HTTP CRITICAL - www\.lab\.test: IPv6 broken while IPv4 works \(\[\Q$V6\E\]: transfer stalled after (the headers, )?\d+ of 204800 bytes over IPv6 \(typical of a Path MTU Discovery blackhole\)\) \|/,
    'IPv6 blackhole, large page', 4.5);
long_like($p, qr/^\[OK\] IPv4 \Q$V4\E: HTTP 200 OK, 204800 B /, 'IPv6 blackhole: IPv4 gets the whole page');
perf_has($p, [qw(time_v4 size_v4)], 'IPv6 blackhole: numbers for the family that answered');
perf_is($p, 'size_v4', 204800, 'IPv6 blackhole');
$lab->off('pmtud-blackhole-v6');
$lab->flush;
$p = check('large page, no fault', '-H', 'www.lab.test', '-u', '/large.html', '-s', 'END-OF-LARGE-PAGE', '-t', '5');
verdict($p, 0, qr/^DUALSTACK_HTTP OK - /, 'large page without the fault', 3);
perf_is($p, 'size_v6', 204800, 'large page');

# --- names without AAAA, one family only ------------------------------------

$p = check('A only', '-H', 'v4only.lab.test');
verdict($p, 1, qr/^DUALSTACK_HTTP WARNING - v4only\.lab\.test: no AAAA record; IPv4 OK \(HTTP 200 in [\d.]+ s\) \|/, 'A only');
long_like($p, qr/^\[WARNING\] DNS AAAA v4only\.lab\.test: no AAAA record$/, 'A only');
perf_is($p, 'size_v4', $PAGE, 'A only');
perf_has($p, \@V4, 'A only');
$p = check('A only, --no-aaaa ok', '-H', 'v4only.lab.test', '--no-aaaa', 'ok');
verdict($p, 0, qr/^DUALSTACK_HTTP OK - v4only\.lab\.test: no AAAA record; IPv4 OK/, 'A only, --no-aaaa ok');
perf_has($p, \@V4, 'A only, --no-aaaa ok');
$p = check('AAAA only', '-H', 'v6only.lab.test', '--no-a', 'critical');
verdict($p, 2, qr/^DUALSTACK_HTTP CRITICAL - v6only\.lab\.test: IPv6 OK .*; no A record \|/, 'AAAA only, --no-a critical');
perf_has($p, [qw(time_v6 size_v6)], 'AAAA only');
$p = check('AAAA only, default', '-H', 'v6only.lab.test');
verdict($p, 1, qr/^DUALSTACK_HTTP WARNING - v6only\.lab\.test: IPv6 OK .*; no A record \|/, 'AAAA only: WARNING by default');
perf_is($p, 'size_v6', $PAGE, 'AAAA only, default');

$p = check('-4', '-H', 'www.lab.test', '-4', '-s', 'Welcome');
verdict($p, 0, qr/^DUALSTACK_HTTP OK - www\.lab\.test: IPv4 OK \(HTTP 200 in [\d.]+ s\) \|/, '-4');
perf_has($p, [qw(time_v4 size_v4)], '-4');
ok(!(grep {/IPv6|AAAA/} @{ $p->{long} }), '-4: nothing about IPv6');
$p = check('-6', '-H', 'www.lab.test', '-6', '-s', 'Welcome');
verdict($p, 0, qr/^DUALSTACK_HTTP OK - www\.lab\.test: IPv6 OK \(HTTP 200 in [\d.]+ s\) \|/, '-6');
perf_has($p, [qw(time_v6 size_v6)], '-6');
$lab->on('v6-addr-lost');
$p = check('-4 with v6-addr-lost', '-H', 'www.lab.test', '-4', '-t', '5');
verdict($p, 0, qr/^DUALSTACK_HTTP OK - www\.lab\.test: IPv4 OK \(HTTP 200 [^;]*\|/, '-4 does not see the IPv6 fault', 5.5);
perf_has($p, \@V4, '-4 with v6-addr-lost');
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
perf_has($p, \@FOUR, 'slow IPv6, -c');
is($p->{perf}{time_v4}{crit}, '0.4', 'slow IPv6: -c on IPv4 too');
$lab->off('latency-v6');

$lab->on('latency-v6', 100);
$p = check('--max-delta 50', '-H', 'www.lab.test', '--max-delta', '50');
verdict($p, 1, qr/^DUALSTACK_HTTP WARNING - www\.lab\.test: IPv6 OK .*; IPv4 OK .*; IPv6 slower than IPv4 by \d+ ms \(limit 50 ms\): clients will fall back to IPv4 \|/,
    '--max-delta 50 with 100 ms on IPv6');
perf_has($p, \@FOUR, '--max-delta 50');
ok($p->{perf}{time_v6}{value} - $p->{perf}{time_v4}{value} > 0.05, '--max-delta 50: perfdata shows the lag');
$p = check('--max-delta 1000', '-H', 'www.lab.test', '--max-delta', '1000');
verdict($p, 0, qr/^DUALSTACK_HTTP OK - www\.lab\.test: IPv6 OK .*; IPv4 OK [^;]*\|/, '--max-delta 1000');
perf_has($p, \@FOUR, '--max-delta 1000');
long_like($p, qr/^\[OK\] IPv6 took \+\d+ ms compared with IPv4 \(limit 1000 ms\)$/, '--max-delta 1000');
$lab->off('latency-v6');

# --- HTTP status ----------------------------------------------------------------

$p = check('404', '-H', 'www.lab.test', '-u', '/no-such-page');
verdict($p, 1, qr/^DUALSTACK_HTTP WARNING - www\.lab\.test: IPv6 and IPv4 degraded \(HTTP 404 Not Found\) \|/, '404');
perf_has($p, \@FOUR, '404');
long_like($p, qr/^\[WARNING\] IPv6 \[\Q$V6\E\]: HTTP 404 Not Found, \d+ B in [\d.]+ s$/, '404');
$p = check('404 expected', '-H', 'www.lab.test', '-u', '/no-such-page', '-e', '200,404');
verdict($p, 0, qr/^DUALSTACK_HTTP OK - www\.lab\.test: IPv6 OK \(HTTP 404 in [\d.]+ s\); IPv4 OK \(HTTP 404 /, '404 with -e 200,404');
perf_has($p, \@FOUR, '404 with -e');
$p = check('200 not expected', '-H', 'www.lab.test', '-e', '301');
verdict($p, 2, qr/^DUALSTACK_HTTP CRITICAL - www\.lab\.test: IPv6 and IPv4 broken \(HTTP 200 OK is not an expected status\) \|/, '200 with -e 301');
perf_is($p, 'size_v6', $PAGE, '200 with -e 301');
$p = check('500', '-H', 'www.lab.test', '-u', '/error500');
verdict($p, 2, qr/^DUALSTACK_HTTP CRITICAL - www\.lab\.test: IPv6 and IPv4 broken \(HTTP 500 Internal Server Error\) \|/, '500');
perf_has($p, \@FOUR, '500');
long_like($p, qr/^\[CRITICAL\] IPv4 \Q$V4\E: HTTP 500 Internal Server Error, \d+ B in [\d.]+ s$/, '500');
$p = check('-R', '-H', 'www.lab.test', '-R', 'WELCOME to the V6OPS');
verdict($p, 0, qr/^DUALSTACK_HTTP OK - www\.lab\.test: IPv6 OK .*; IPv4 OK /, '-R ignores case');
perf_has($p, \@FOUR, '-R');
$p = check('-r', '-H', 'www.lab.test', '-r', 'Welcome to the v6ops l[a-z]+');
verdict($p, 0, qr/^DUALSTACK_HTTP OK - www\.lab\.test: IPv6 OK .*; IPv4 OK /, '-r matches');
perf_is($p, 'size_v4', $PAGE, '-r');
$p = check('-r, case differs', '-H', 'www.lab.test', '-r', 'WELCOME to');
verdict($p, 2, qr/^DUALSTACK_HTTP CRITICAL - www\.lab\.test: IPv6 and IPv4 broken \(pattern "WELCOME to" not found\) \|/, '-r is case-sensitive');
perf_has($p, \@FOUR, '-r, case differs');
$p = check('--invert-regex', '-H', 'www.lab.test', '-r', 'Welcome', '--invert-regex');
verdict($p, 2, qr/^DUALSTACK_HTTP CRITICAL - www\.lab\.test: IPv6 and IPv4 broken \(pattern "Welcome" found\) \|/, '--invert-regex');
perf_has($p, \@FOUR, '--invert-regex');
$p = check('--invert-regex, absent', '-H', 'www.lab.test', '-r', 'Not here', '--invert-regex');
verdict($p, 0, qr/^DUALSTACK_HTTP OK - /, '--invert-regex, pattern absent');
perf_has($p, \@FOUR, '--invert-regex, absent');
$p = check('-s twice', '-H', 'www.lab.test', '-s', 'Welcome', '-s', 'Not here');
verdict($p, 2, qr/^DUALSTACK_HTTP CRITICAL - www\.lab\.test: IPv6 and IPv4 broken \(string "Not here" not found\) \|/, '-s twice: each must be there');
perf_has($p, \@FOUR, '-s twice');
$p = check('-s twice, both there', '-H', 'www.lab.test', '-s', 'Welcome', '-s', 'v6ops lab');
verdict($p, 0, qr/^DUALSTACK_HTTP OK - /, '-s twice, both there');
perf_is($p, 'size_v6', $PAGE, '-s twice, both there');
$p = check('-m', '-H', 'www.lab.test', '-m', '1000');
verdict($p, 1, qr/^DUALSTACK_HTTP WARNING - www\.lab\.test: IPv6 and IPv4 degraded \(page size $PAGE B, not in 1000:\) \|/, '-m 1000');
perf_is($p, 'size_v4', $PAGE, '-m 1000');
$p = check('-m MIN:MAX', '-H', 'www.lab.test', '-m', '10:100');
verdict($p, 1, qr/^DUALSTACK_HTTP WARNING - www\.lab\.test: IPv6 and IPv4 degraded \(page size $PAGE B, not in 10:100\) \|/, '-m 10:100');
perf_has($p, \@FOUR, '-m 10:100');
$p = check('-m inside', '-H', 'www.lab.test', '-m', '500:700');
verdict($p, 0, qr/^DUALSTACK_HTTP OK - /, '-m 500:700');
perf_is($p, 'size_v6', $PAGE, '-m 500:700');

# --- the request: -p, -k, -A, -j, -P, --http-version ---------------------------

$p = check('-p 8080, closed', '-H', 'www.lab.test', '-p', '8080', '-t', '3');
verdict($p, 2, qr/^DUALSTACK_HTTP CRITICAL - www\.lab\.test: IPv6 and IPv4 broken \(connection refused\)$/, '-p 8080: connection refused', 3.5);
long_like($p, qr/^\[CRITICAL\] IPv6 \[\Q$V6\E\]: connection refused$/, '-p 8080 IPv6');
long_like($p, qr/^\[CRITICAL\] IPv4 \Q$V4\E: connection refused$/,      '-p 8080 IPv4');
perf_has($p, [], '-p 8080: no numbers without an answer');
$p = check('-p 80', '-H', 'www.lab.test', '-p', '80', '-s', 'Welcome');
verdict($p, 0, qr/^DUALSTACK_HTTP OK - www\.lab\.test: IPv6 OK .*; IPv4 OK /, '-p 80');
perf_is($p, 'size_v4', $PAGE, '-p 80');
$p = check('-k Range', '-H', 'www.lab.test', '-k', 'Range: bytes=0-9');
verdict($p, 0, qr/^DUALSTACK_HTTP OK - www\.lab\.test: IPv6 OK \(HTTP 206 in [\d.]+ s\); IPv4 OK \(HTTP 206 /, '-k "Range: bytes=0-9"');
perf_is($p, 'size_v4', 10, '-k Range');
perf_is($p, 'size_v6', 10, '-k Range');
long_like($p, qr/^\[OK\] IPv6 \[\Q$V6\E\]: HTTP 206 Partial Content, 10 B in [\d.]+ s$/, '-k Range');
my $tag = "v6ops-test-$$";
$p = check('-A, --http-version 1.0', '-H', 'www.lab.test', '-A', "$tag-a", '--http-version', '1.0', '-s', 'Welcome');
verdict($p, 0, qr/^DUALSTACK_HTTP OK - www\.lab\.test: IPv6 OK .*; IPv4 OK /, '-A, --http-version 1.0');
perf_has($p, \@FOUR, '-A, --http-version 1.0');
my @l = logged("$tag-a");
is(scalar(grep {m{"GET / HTTP/1\.0" 200 }} @l), 2, '-A, --http-version 1.0: both requests as HTTP/1.0 with the agent')
    or diag(@l);
ok((grep {/^2001:db8:a::10 /} @l) && (grep {/^198\.51\.100\.10 /} @l), '-A: one request per family');
$p = check('--http-version 1.1', '-H', 'www.lab.test', '-A', "$tag-b", '--http-version', '1.1');
verdict($p, 0, qr/^DUALSTACK_HTTP OK - /, '--http-version 1.1');
perf_has($p, \@FOUR, '--http-version 1.1');
is(scalar(grep {m{"GET / HTTP/1\.1" 200 }} logged("$tag-b")), 2, '--http-version 1.1 requests');
$p = check('-j HEAD', '-H', 'www.lab.test', '-A', "$tag-c", '-j', 'HEAD');
verdict($p, 0, qr/^DUALSTACK_HTTP OK - www\.lab\.test: IPv6 OK \(HTTP 200 in [\d.]+ s\); IPv4 OK /, '-j HEAD');
perf_is($p, 'size_v6', 0, '-j HEAD: no body');
is(scalar(grep {m{"HEAD / HTTP/1\.1" 200 }} logged("$tag-c")), 2, '-j HEAD requests');
$p = check('-P', '-H', 'www.lab.test', '-A', "$tag-d", '-P', 'a=1');
verdict($p, 1, qr/^DUALSTACK_HTTP WARNING - www\.lab\.test: IPv6 and IPv4 degraded \(HTTP 405 Not Allowed\) \|/, '-P: a POST to a static page');
perf_has($p, \@FOUR, '-P');
is(scalar(grep {m{"POST / HTTP/1\.1" 405 }} logged("$tag-d")), 2, '-P: POST requests');
$p = check('-j PUT -P', '-H', 'www.lab.test', '-A', "$tag-e", '-j', 'PUT', '-P', 'a=1', '-e', '405');
verdict($p, 0, qr/^DUALSTACK_HTTP OK - www\.lab\.test: IPv6 OK \(HTTP 405 /, '-j PUT -P with -e 405');
perf_has($p, \@FOUR, '-j PUT');
is(scalar(grep {m{"PUT / HTTP/1\.1" 405 }} logged("$tag-e")), 2, '-j PUT requests');

# --- HTTPS with the lab CA -------------------------------------------------------

my @TLS = ('-S', '--ca-file', $CA);
$p = check('https', '-H', 'www.lab.test', @TLS, '-s', 'Welcome', '--perf-phases');
verdict($p, 0, qr/^DUALSTACK_HTTP OK - www\.lab\.test: IPv6 OK .*; IPv4 OK /, 'https', 3);
long_like($p, qr/^\[OK\] IPv6 \[\Q$V6\E\]: HTTP 200 OK, $PAGE B in [\d.]+ s; certificate CN=www\.lab\.test,O=v6ops lab, expires 20\d\d-\d\d-\d\d, issuer CN=v6ops lab CA/,
    'https: the certificate is described');
perf_has($p, [ @FOUR, map { ("dns_$_", "connect_$_", "tls_$_", "firstbyte_$_") } qw(v4 v6) ], 'https --perf-phases');
ok($p->{perf}{tls_v6}{value} > $p->{perf}{connect_v6}{value}, 'https: TLS after connect');
$p = check('https -C 20', '-H', 'www.lab.test', @TLS, '-C', '20');
verdict($p, 0, qr/^DUALSTACK_HTTP OK - www\.lab\.test: IPv6 OK .*; IPv4 OK /, '30-day certificate, -C 20');
perf_has($p, \@FOUR, '-C 20');
$p = check('https -C 40', '-H', 'www.lab.test', @TLS, '-C', '40');
verdict($p, 1, qr/^DUALSTACK_HTTP WARNING - www\.lab\.test: IPv6 and IPv4 degraded \(certificate expires in (29|30) days\)/, '-C 40');
perf_has($p, \@FOUR, '-C 40');
$p = check('https -C 60,40', '-H', 'www.lab.test', @TLS, '-C', '60,40');
verdict($p, 2, qr/^DUALSTACK_HTTP CRITICAL - www\.lab\.test: IPv6 and IPv4 broken \(certificate expires in (29|30) days\)/, '-C 60,40');
perf_has($p, \@FOUR, '-C 60,40');

# SNI stays the name while pinned to an address; the default server
# refuses handshakes without SNI
$p = check('pinned with SNI', '-H', 'www.lab.test', '-I', $V6, '-I', $V4, @TLS, '-s', 'Welcome');
verdict($p, 0, qr/^DUALSTACK_HTTP OK - www\.lab\.test: IPv6 OK .*; IPv4 OK /, 'pinned by address, SNI www.lab.test');
ok(!(grep {/^\[\w+\] DNS/} @{ $p->{long} }), 'pinned: nothing resolved');
perf_is($p, 'size_v6', $PAGE, 'pinned with SNI');
perf_is($p, 'size_v4', $PAGE, 'pinned with SNI');
$p = check('--sni', '-H', 'www.lab.test', @TLS, '--sni', '-4');
verdict($p, 0, qr/^DUALSTACK_HTTP OK - www\.lab\.test: IPv4 OK /, '--sni is accepted');
perf_has($p, \@V4, '--sni');
$p = check('no SNI', '-H', $V6, @TLS);
verdict($p, 2, qr/^DUALSTACK_HTTP CRITICAL - 2001:db8:c::80: IPv6 broken \(\[\Q$V6\E\]: TLS handshake failed: .*unrecognized name/,
    'an address as -H: no SNI, the handshake is refused');
perf_has($p, [], 'no SNI');

$p = check('wrong name', '-H', 'wrongcert.lab.test', @TLS);
verdict($p, 2, qr/^DUALSTACK_HTTP CRITICAL - wrongcert\.lab\.test: IPv6 and IPv4 broken \(certificate does not match the name\)/,
    'wrong-name certificate');
long_like($p, qr/certificate CN=other\.lab\.test/, 'wrong name: the certificate seen is described');
perf_has($p, [], 'wrong name');
$p = check('wrong name, --insecure', '-H', 'wrongcert.lab.test', @TLS, '--insecure', '-s', 'Welcome');
verdict($p, 0, qr/^DUALSTACK_HTTP OK - wrongcert\.lab\.test: IPv6 OK .*; IPv4 OK /, '--insecure accepts the wrong name');
perf_is($p, 'size_v6', $PAGE, '--insecure');
long_like($p, qr/^\[OK\] IPv6 .*certificate CN=other\.lab\.test/, '--insecure: the certificate is still described');

$lab->on('tls-v6-expired');
$p = check('expired over IPv6', '-H', 'www.lab.test', @TLS);
verdict($p, 2, qr/^DUALSTACK_HTTP CRITICAL - www\.lab\.test: IPv6 broken while IPv4 works \(\[\Q$V6\E\]: certificate rejected: certificate has expired\) \|/,
    'tls-v6-expired');
long_like($p, qr/^\[CRITICAL\] IPv6 \[\Q$V6\E\]: certificate rejected: certificate has expired; certificate differs from the one at \Q$V4\E \(subject, notAfter, serial\); certificate CN=www\.lab\.test,O=v6ops lab expired, expires 2020-02-01/,
    'tls-v6-expired: the IPv6 certificate');
long_like($p, qr/^\[OK\] IPv4 \Q$V4\E: HTTP 200 OK, $PAGE B in [\d.]+ s; certificate CN=www\.lab\.test,O=v6ops lab, expires/,
    'tls-v6-expired: the IPv4 certificate');
perf_has($p, \@V4, 'tls-v6-expired');
$lab->off('tls-v6-expired');

$lab->on('tls-v6-other');
$p = check('other certificate over IPv6', '-H', 'www.lab.test', @TLS);
verdict($p, 2, qr/^DUALSTACK_HTTP CRITICAL - www\.lab\.test: IPv6 broken while IPv4 works \(\[\Q$V6\E\]: certificate differs from the one at \Q$V4\E \(subject, notAfter, serial\)\) \|/,
    'tls-v6-other');
long_like($p, qr/^\[CRITICAL\] IPv6 .*certificate CN=www\.lab\.test,O=v6ops lab other operator, expires/, 'tls-v6-other: IPv6 certificate');
long_like($p, qr/^\[OK\] IPv4 .*certificate CN=www\.lab\.test,O=v6ops lab, expires/, 'tls-v6-other: IPv4 certificate');
perf_has($p, \@FOUR, 'tls-v6-other');
$p = check('other certificate, --compare status,body', '-H', 'www.lab.test', @TLS, '--compare', 'status,body');
verdict($p, 0, qr/^DUALSTACK_HTTP OK - www\.lab\.test: IPv6 OK .*; IPv4 OK /, 'tls-v6-other, certificates not compared');
perf_has($p, \@FOUR, 'tls-v6-other, --compare status,body');
$p = check('other certificate, --no-compare', '-H', 'www.lab.test', @TLS, '--no-compare');
verdict($p, 0, qr/^DUALSTACK_HTTP OK - /, 'tls-v6-other, --no-compare');
perf_has($p, \@FOUR, 'tls-v6-other, --no-compare');
$lab->off('tls-v6-other');

# --- DNS server that ignores AAAA queries ---------------------------------------

$lab->on('dns-noaaaa');
$p = check('dns-noaaaa', '-H', 'www.lab.test', '-s', 'Welcome', '-t', '5');
verdict($p, 1, qr/^DUALSTACK_HTTP WARNING - www\.lab\.test: AAAA query timed out after [\d.]+ s while A answered in [\d.]+ s: clients asking for AAAA wait; IPv4 OK \(HTTP 200 in [\d.]+ s\) \|/,
    'dns-noaaaa', 5);
perf_is($p, 'size_v4', $PAGE, 'dns-noaaaa');
perf_has($p, \@V4, 'dns-noaaaa');
long_like($p, qr/^\[WARNING\] DNS AAAA www\.lab\.test: AAAA query timed out/, 'dns-noaaaa');
$lab->off('dns-noaaaa');

# --- unreachable addresses, bounded by -t ---------------------------------------

$p = check('dead address', '-H', 'www.lab.test', '-I', $DEAD, '-t', '3');
verdict($p, 2, qr/^DUALSTACK_HTTP CRITICAL - www\.lab\.test: IPv6 broken \(\[\Q$DEAD\E\]: (unreachable \(host unreachable\)|connection timed out after [\d.]+ s)\)$/,
    'dead address', 3.5);
perf_has($p, [], 'dead address');
$p = check('stale AAAA', '-H', 'stale.lab.test', '-t', '3');
verdict($p, 2, qr/^DUALSTACK_HTTP CRITICAL - stale\.lab\.test: IPv6 broken while IPv4 works \(\[\Q$DEAD\E\]: /, 'stale AAAA', 3.5);
perf_has($p, \@V4, 'stale AAAA');
$p = check('--all-addresses', '-H', 'multi.lab.test', '--all-addresses', '-s', 'Welcome', '-t', '4');
verdict($p, 2, qr/^DUALSTACK_HTTP CRITICAL - multi\.lab\.test: IPv6 broken while IPv4 works \(\[\Q$DEAD\E\]: /, '--all-addresses', 4.5);
is(scalar(grep {/^\[OK\] IPv6 /} @{ $p->{long} }), 2, '--all-addresses: the two live AAAA are OK');
perf_has($p, \@FOUR, '--all-addresses: the live IPv6 addresses give numbers');
$p = check('first address only', '-H', 'multi.lab.test', '-s', 'Welcome', '-t', '4');
is(scalar(grep {/^\[\w+\] IPv6 \[/} @{ $p->{long} }), 1, 'without --all-addresses: one IPv6 address');
# the resolver rotates the three AAAA: the first may be the dead one
my $dead_first = $p->{first} =~ /\Q$DEAD\E/;
verdict($p, $dead_first ? 2 : 0, $dead_first
    ? qr/^DUALSTACK_HTTP CRITICAL - multi\.lab\.test: IPv6 broken while IPv4 works \(\[\Q$DEAD\E\]: /
    : qr/^DUALSTACK_HTTP OK - multi\.lab\.test: IPv6 OK \(HTTP 200 /, 'first address only', 4.5);
perf_has($p, $dead_first ? \@V4 : \@FOUR, 'first address only');

# --- redirects: sticky to the address and family -------------------------------

$p = check('redirect, default', '-H', 'www.lab.test', '-u', '/moved');
verdict($p, 0, qr/^DUALSTACK_HTTP OK - www\.lab\.test: IPv6 OK \(HTTP 301 in [\d.]+ s\); IPv4 OK \(HTTP 301 /,
    'a redirect is OK by default');
perf_has($p, \@FOUR, 'redirect, default');
$p = check('redirect, critical', '-H', 'www.lab.test', '-u', '/moved', '-f', 'critical');
verdict($p, 2, qr{^DUALSTACK_HTTP CRITICAL - www\.lab\.test: IPv6 and IPv4 broken \(redirect to http://www\.lab\.test/\) \|}, '-f critical');
perf_has($p, \@FOUR, '-f critical');
$p = check('redirect, warning', '-H', 'www.lab.test', '-u', '/moved', '-f', 'warning');
verdict($p, 1, qr{^DUALSTACK_HTTP WARNING - www\.lab\.test: IPv6 and IPv4 degraded \(redirect to http://www\.lab\.test/\) \|}, '-f warning');
perf_has($p, \@FOUR, '-f warning');
$p = check('redirect, follow', '-H', 'www.lab.test', '-u', '/moved', '-f', 'follow', '-s', 'Welcome');
verdict($p, 0, qr/^DUALSTACK_HTTP OK - www\.lab\.test: IPv6 OK \(HTTP 200 in [\d.]+ s\); IPv4 OK \(HTTP 200 /,
    '-f follow reaches the page over both families');
perf_is($p, 'size_v6', $PAGE, 'follow');
$p = check('redirect to a v4-only name', '-H', 'www.lab.test', '-u', '/to-v4only', '-f', 'follow', '-t', '5');
verdict($p, 2, qr/^DUALSTACK_HTTP CRITICAL - www\.lab\.test: IPv6 broken while IPv4 works \(\[\Q$V6\E\]: redirect target v4only\.lab\.test has no IPv6 address/,
    'a redirect target without AAAA breaks IPv6 users', 5.5);
perf_has($p, \@FOUR, 'redirect to a v4-only name: the IPv6 side got its 301');
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
    [ '-k no colon',      [ '-H', 'www.lab.test', '-k', 'NoColon' ] ],
    [ '-k line break',    [ '-H', 'www.lab.test', '-k', "X-A: 1\r\nX-B: 2" ] ],
    [ '--ca-file missing',[ '-H', 'www.lab.test', '-S', '--ca-file', '/nonexistent/ca.pem' ] ],
    [ '-u path too long', [ '-H', 'www.lab.test', '-u', '/' . ('a' x 3000) ] ],
    [ '--http-version 3', [ '-H', 'www.lab.test', '--http-version', '3' ] ],
    [ '--no-aaaa maybe',  [ '-H', 'www.lab.test', '--no-aaaa', 'maybe' ] ],
    [ '--max-delta -1',   [ '-H', 'www.lab.test', '--max-delta', '-1' ] ],
    [ '-S with http URL', [ '-S', '-u', 'http://www.lab.test/' ] ],
    [ '-u and -H differ', [ '-H', 'www.lab.test', '-u', 'http://near.lab.test/' ] ],
) {
    my ($why, $args) = @$bad;
    $p = check("bad: $why", @$args);
    is($p->{rc}, 3, "bad: $why: exit 3");
    like($p->{first}, qr/^DUALSTACK_HTTP UNKNOWN - \S/, "bad: $why: one reason");
    like($p->{out}, qr/\nUsage: check_dualstack_http /, "bad: $why: usage line");
    unlike($p->{out}, qr/\|/, "bad: $why: no perfdata");
}

# a whole URL in -u stands in for -H, -S and -p
$p = check('-u URL', '-u', 'https://www.lab.test/large.html', '--ca-file', $CA, '-s', 'END-OF-LARGE-PAGE');
verdict($p, 0, qr/^DUALSTACK_HTTP OK - www\.lab\.test: /, '-u https://www.lab.test/large.html');
perf_is($p, 'size_v4', 204800, '-u URL');
perf_is($p, 'size_v6', 204800, '-u URL');

done_testing();
