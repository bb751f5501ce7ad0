#!/usr/bin/perl
# check_dualstack_http in the lab: real nginx, real DNS, real faults, and
# the hostile servers (silent, trickle, stream, never closing, hanging TLS,
# 100 MB, header flood, broken chunked body). Each scenario asserts the exit
# code, the finding codes and states (--output-format json) and the
# perfdata; the main verdicts also have their sentence checked once, in the
# JSON summary (the first line without label and state). Every run is
# bounded; the hostile ones are measured against -t + 0.5 s and 64 MiB.
use strict;
use warnings;
use File::Temp qw(tempdir);
use Test::More;
use lib 't/lib';
use V6Lab qw(perf_is code_is no_code codes);

my $plugin = 'plugins/check_dualstack_http';
plan skip_all => "$plugin not built (run make)" unless -x $plugin;
my $lab = V6Lab->new(parts => [qw(web dns hostile)]);
my $A   = V6Lab::ADDR;
my $CA  = $lab->ca_file;
my ($V4, $V6, $DEAD) = @$A{qw(srv4 srv6 dead6)};
my $PAGE = 594;    # bytes of the lab's index.html

my $json = $lab->checker('check_dualstack_http', json => 1, timeout => 30);
sub check {
    my ($why, @args) = @_;
    my $p = $json->(@args);
    note("$why: $p->{out}");
    return $p;
}

# exit code, and the time it took
sub verdict {
    my ($p, $rc, $why, $max_s) = @_;
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    is($p->{rc}, $rc, "$why: exit $rc") or diag($p->{out});
    ok($p->{secs} < $max_s, sprintf('%s: took %.2f s (< %s s)', $why, $p->{secs}, $max_s))
        if defined $max_s;
}

# the human sentence of a main verdict: the JSON summary
sub says {
    my ($p, $re, $why) = @_;
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    like(($p->{json} // {})->{summary} // '', $re, "$why: the sentence");
}

# a finding CODE with STATE about family FAM (ipv4, ipv6)
sub fam_is {
    my ($p, $code, $state, $fam, $why) = @_;
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    ok((grep { $_->{state} eq $state && ($_->{family} // '') eq $fam } V6Lab::findings($p, $code)),
        "$why: $code $state for $fam") or diag($p->{out});
}

sub output_of {
    my ($p, $code, $fam) = @_;
    my ($f) = grep { ($_->{family} // '') eq $fam } V6Lab::findings($p, $code);
    return $f ? $f->{output} : '';
}

sub perf_has {
    my ($p, $labels, $why) = @_;
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    is_deeply([ sort keys %{ $p->{perf} } ], [ sort @$labels ], "$why: perf labels");
}

my @FOUR = qw(time_v4 time_v6 size_v4 size_v6 delta_v6_v4);
my @V4 = qw(time_v4 size_v4);
my @V6 = qw(time_v6 size_v6);

# The server's access-log lines carrying TAG (both families' requests are
# logged once the plugin is done; nginx may write them a moment later).
my $ACCESS = $lab->state_dir . '/srv/access.log';
sub logged {
    my ($tag, $want) = @_;
    my @l;
    for (1 .. 20) {
        open(my $fh, '<', $ACCESS) or last;
        @l = grep {/\Q$tag\E/} <$fh>;
        last if @l >= ($want // 2);
        select(undef, undef, undef, 0.05);
    }
    return @l;
}

# --- healthy -----------------------------------------------------------------

my $p = check('healthy', '-H', 'www.lab.test', '-s', 'Welcome');
verdict($p, 0, 'healthy', 3);
says($p, qr/^www\.lab\.test: IPv6 OK \(HTTP 200 in [\d.]+ s\); IPv4 OK \(HTTP 200 in [\d.]+ s\)$/, 'healthy');
fam_is($p, 'fetch_ok', 'OK', 'ipv4', 'healthy');
fam_is($p, 'fetch_ok', 'OK', 'ipv6', 'healthy');
code_is($p, 'same_content', 'OK', 'healthy');
code_is($p, 'delta', 'OK', 'healthy');
is(scalar(V6Lab::findings($p, 'dns_answer')), 2, 'healthy: both DNS answers');
perf_has($p, \@FOUR, 'healthy');
perf_is($p, 'size_v4', $PAGE, 'healthy');
perf_is($p, 'size_v6', $PAGE, 'healthy');
is($p->{perf}{time_v6}{uom}, 's', 'healthy: time in seconds');
is($p->{perf}{delta_v6_v4}{uom}, 's', 'healthy: delta in seconds');
is($p->{perf}{delta_v6_v4}{warn}, '-1:1', 'healthy: delta warns beyond 1 s by default');
ok(abs($p->{perf}{delta_v6_v4}{value} - ($p->{perf}{time_v6}{value} - $p->{perf}{time_v4}{value})) < 1e-5,
    'healthy: delta_v6_v4 is time_v6 - time_v4');

# the nagios form once: the first line, the long output, parsable perfdata
my $n = $lab->plugin('check_dualstack_http', '-H', 'www.lab.test', '-s', 'Welcome', { timeout => 30 });
V6Lab::plugin_contract_ok($n, 'healthy, nagios form');
like($n->{first}, qr/^DUALSTACK_HTTP OK - www\.lab\.test: IPv6 OK \(HTTP 200 in [\d.]+ s\); IPv4 OK \(HTTP 200 in [\d.]+ s\) \| time_v4=/,
    'healthy, nagios form: first line');
ok((grep {/^\[OK\] IPv6 \[\Q$V6\E\]: HTTP 200 OK, $PAGE B in [\d.]+ s$/} @{ $n->{long} }), 'healthy, nagios form: IPv6 line');

# proxies in the environment are ignored: the check tests the path
my $r = $lab->run('mon', [ $plugin, '-H', 'www.lab.test', '-s', 'Welcome' ],
    timeout => 20, env => { http_proxy => 'http://203.0.113.1:9', https_proxy => 'http://203.0.113.1:9',
                            all_proxy => 'http://203.0.113.1:9', HTTP_PROXY => 'http://203.0.113.1:9' });
is($r->{rc}, 0, 'http_proxy in the environment is ignored') or diag($r->{out});

# --- server lost its IPv6 address, AAAA still published ----------------------

$lab->on('v6-addr-lost');
$p = check('v6-addr-lost', '-H', 'www.lab.test', '-s', 'Welcome', '-t', '6');
verdict($p, 2, 'v6-addr-lost', 6.5);
says($p, qr/^www\.lab\.test: IPv6 broken while IPv4 works \(\[\Q$V6\E\]: (unreachable \(host unreachable\)|connection timed out after [\d.]+ s)\)$/,
    'v6-addr-lost');
code_is($p, 'v6_broken', 'CRITICAL', 'v6-addr-lost');
fam_is($p, 'fetch_failed', 'CRITICAL', 'ipv6', 'v6-addr-lost');
fam_is($p, 'fetch_ok', 'OK', 'ipv4', 'v6-addr-lost');
no_code($p, 'v4_broken', 'v6-addr-lost');
perf_has($p, \@V4, 'v6-addr-lost: no IPv6 numbers without an answer');
$lab->off('v6-addr-lost');

# --- server lost its IPv4 address: the mirror case ---------------------------

$lab->on('v4-addr-lost');
$p = check('v4-addr-lost', '-H', 'www.lab.test', '-s', 'Welcome', '-t', '4');
verdict($p, 2, 'v4-addr-lost', 4.5);
code_is($p, 'v4_broken', 'CRITICAL', 'v4-addr-lost');
fam_is($p, 'fetch_failed', 'CRITICAL', 'ipv4', 'v4-addr-lost');
fam_is($p, 'fetch_ok', 'OK', 'ipv6', 'v4-addr-lost');
perf_has($p, \@V6, 'v4-addr-lost: no IPv4 numbers without an answer');
$lab->off('v4-addr-lost');

# --- different content over IPv6 --------------------------------------------

$lab->on('v6-content');
$p = check('v6-content', '-H', 'www.lab.test', '-s', 'Welcome');
verdict($p, 2, 'v6-content', 3);
says($p, qr/^www\.lab\.test: IPv6 broken while IPv4 works \(\[\Q$V6\E\]: string "Welcome" not found\); content differs: $PAGE B \(sha256 [0-9a-f]{8}\.\.\.\) over IPv4, \d+ B \(sha256 [0-9a-f]{8}\.\.\.\) over IPv6$/,
    'v6-content');
fam_is($p, 'string_missing', 'CRITICAL', 'ipv6', 'v6-content');
fam_is($p, 'fetch_ok', 'OK', 'ipv4', 'v6-content');
code_is($p, 'content_differs', 'WARNING', 'v6-content');
code_is($p, 'v6_broken', 'CRITICAL', 'v6-content');
perf_has($p, \@FOUR, 'v6-content');
perf_is($p, 'size_v4', $PAGE, 'v6-content');
ok($p->{perf}{size_v6}{value} != $PAGE, 'v6-content: another size over IPv6');
$p = check('v6-content, no -s', '-H', 'www.lab.test');
verdict($p, 1, 'v6-content, no -s: the comparison alone warns');
code_is($p, 'content_differs', 'WARNING', 'v6-content, no -s');
is(scalar(grep { $_->{state} ne 'OK' } @{ $p->{json}{checks} }), 1, 'v6-content, no -s: nothing else');
$p = check('v6-content, --compare cert', '-H', 'www.lab.test', '--compare', 'cert');
verdict($p, 0, 'v6-content, --compare cert: content not compared');
no_code($p, 'content_differs', '--compare cert');
no_code($p, 'same_content', '--compare cert');
$p = check('v6-content, --no-compare', '-H', 'www.lab.test', '--no-compare');
verdict($p, 0, 'v6-content, --no-compare');
no_code($p, 'content_differs', '--no-compare');
no_code($p, 'same_content', '--no-compare');
perf_has($p, \@FOUR, 'v6-content, --no-compare');
$lab->off('v6-content');

# --- PMTUD blackhole: small page fine, large page stalls ----------------------

$lab->on('pmtud-blackhole');
$lab->flush;
$p = check('blackhole, small page', '-H', 'www.lab.test', '-s', 'Welcome', '-t', '5');
verdict($p, 0, 'blackhole, small page', 3);
perf_is($p, 'size_v6', $PAGE, 'blackhole, small page');
$p = check('blackhole, large page', '-H', 'www.lab.test', '-u', '/large.html', '-s', 'END-OF-LARGE-PAGE', '-t', '4');
# the lab's blackhole is on the path both families share: both stall
verdict($p, 2, 'blackhole, large page', 4.5);
fam_is($p, 'fetch_failed', 'CRITICAL', 'ipv4', 'blackhole, large page');
fam_is($p, 'fetch_failed', 'CRITICAL', 'ipv6', 'blackhole, large page');
like(output_of($p, 'fetch_failed', 'ipv6'), qr/transfer stalled after (the headers, )?\d+ of 204800 bytes over IPv6 \(typical of a Path MTU Discovery blackhole\)/,
    'blackhole: a stall, not a timeout');
no_code($p, 'still_receiving', 'blackhole: nothing was still moving');
perf_has($p, [], 'blackhole, large page: no numbers for stalled transfers');
$lab->off('pmtud-blackhole');
$lab->flush;

# --- the same blackhole for IPv6 alone: IPv4 works, IPv6 stalls ----------------

$lab->on('pmtud-blackhole-v6');
$p = check('v6 blackhole, large page', '-H', 'www.lab.test', '-u', '/large.html', '-s', 'END-OF-LARGE-PAGE', '-t', '4');
verdict($p, 2, 'IPv6 blackhole, large page', 4.5);
says($p, qr/^www\.lab\.test: IPv6 broken while IPv4 works \(\[\Q$V6\E\]: transfer stalled after (the headers, )?\d+ of 204800 bytes over IPv6 \(typical of a Path MTU Discovery blackhole\)\)$/,
    'IPv6 blackhole');
fam_is($p, 'fetch_failed', 'CRITICAL', 'ipv6', 'IPv6 blackhole');
fam_is($p, 'fetch_ok', 'OK', 'ipv4', 'IPv6 blackhole');
code_is($p, 'v6_broken', 'CRITICAL', 'IPv6 blackhole');
perf_has($p, \@V4, 'IPv6 blackhole: numbers for the family that answered');
perf_is($p, 'size_v4', 204800, 'IPv6 blackhole');
$lab->off('pmtud-blackhole-v6');
$lab->flush;
$p = check('large page, no fault', '-H', 'www.lab.test', '-u', '/large.html', '-s', 'END-OF-LARGE-PAGE', '-t', '5');
verdict($p, 0, 'large page without the fault', 3);
perf_is($p, 'size_v6', 204800, 'large page');

# --- the hostile servers: named as what they are, within -t + 0.5 s and 64 MiB -

# Through /usr/bin/time for the peak RSS (its line goes to stderr).
sub hostile {
    my ($why, $t, @args) = @_;
    my $h = $lab->plugin('/usr/bin/time', '-f', 'maxrss_kb=%M', $plugin, '--output-format', 'json',
        '-H', 'www.lab.test', '-t', $t, @args, { timeout => 30 });
    note("$why: $h->{out}");
    ok($h->{json}, "$why: one JSON document") or diag($h->{out}, $h->{err});
    my ($kb) = ($h->{err} // '') =~ /maxrss_kb=(\d+)/;
    ok(defined $kb && $kb < 64 * 1024, sprintf('%s: peak RSS %s KiB (< 64 MiB)', $why, $kb // '?'));
    ok($h->{secs} < $t + 0.5, sprintf('%s: ended in %.2f s (< -t %s + 0.5 s)', $why, $h->{secs}, $t));
    return $h;
}

# 8001 accepts and never answers: no byte for --stall-time is a stall
$p = hostile('silent', 3, '-p', '8001');
is($p->{rc}, 2, 'silent: exit 2');
fam_is($p, 'fetch_failed', 'CRITICAL', 'ipv6', 'silent');
like(output_of($p, 'fetch_failed', 'ipv6'), qr/no response within [\d.]+ s of the request/, 'silent: no response');
$p = check('silent, --stall-time 1', '-H', 'www.lab.test', '-p', '8001', '--stall-time', '1', '-t', '8');
verdict($p, 2, 'silent, --stall-time 1: ended by the stall, not by -t', 2);
fam_is($p, 'fetch_failed', 'CRITICAL', 'ipv4', 'silent, --stall-time 1');

# 8002 one byte a second: bytes arrive, so neither "no response" nor a stall
$p = hostile('trickle', 3, '-p', '8002');
is($p->{rc}, 3, 'trickle: exit 3, the -t state');
fam_is($p, 'still_receiving', 'UNKNOWN', 'ipv6', 'trickle');
fam_is($p, 'still_receiving', 'UNKNOWN', 'ipv4', 'trickle');
like(output_of($p, 'still_receiving', 'ipv6'), qr/^IPv6 \[\Q$V6\E\]: still receiving at \d+ B\/s when -t ran out during receiving the response \([1-9]\d* of 100000 bytes\)$/,
    'trickle: bytes arrived, still receiving');
no_code($p, 'fetch_failed', 'trickle');

# 8003 a steady 2 MB/s: still receiving when -t ran out, not a blackhole
$p = hostile('stream', 3, '-p', '8003');
is($p->{rc}, 3, 'stream: exit 3, the -t state');
fam_is($p, 'still_receiving', 'UNKNOWN', 'ipv6', 'stream');
says($p, qr/still receiving at \d{3,4} KB\/s when -t ran out during receiving the response \(\d+ of 104857600 bytes\)/, 'stream');
unlike($p->{out}, qr/stalled|blackhole/, 'stream: no stall, no blackhole');
$p = check('stream, --timeout-result warning', '-H', 'www.lab.test', '-p', '8003', '-4', '-t', '2', '--timeout-result', 'warning');
verdict($p, 1, 'stream, --timeout-result warning', 2.5);
fam_is($p, 'still_receiving', 'WARNING', 'ipv4', 'stream, --timeout-result warning');
$p = check('stream, -t 2:critical', '-H', 'www.lab.test', '-p', '8003', '-6', '-t', '2:critical');
verdict($p, 2, 'stream, -t 2:critical', 2.5);
fam_is($p, 'still_receiving', 'CRITICAL', 'ipv6', 'stream, -t 2:critical');

# 8004 a complete response on a connection that stays open: complete
$p = hostile('noclose', 3, '-p', '8004');
is($p->{rc}, 0, 'noclose: exit 0');
fam_is($p, 'fetch_ok', 'OK', 'ipv6', 'noclose');
perf_is($p, 'size_v6', 204800, 'noclose');

# 8005 a TLS handshake that never answers: not a connection timeout
$p = hostile('tlshang', 3, '-p', '8005', '-S', '--ca-file', $CA);
is($p->{rc}, 2, 'tlshang: exit 2');
fam_is($p, 'fetch_failed', 'CRITICAL', 'ipv6', 'tlshang');
says($p, qr/^www\.lab\.test: IPv6 (and IPv4 )?broken \((\[\Q$V6\E\]: )?TLS handshake did not finish: no answer to the ClientHello within [\d.]+ s over IPv6\)/,
    'tlshang');
unlike($p->{out}, qr/connection timed out/, 'tlshang: not "connection timed out"');
$p = check('tlshang, -t 1', '-H', 'www.lab.test', '-p', '8005', '-S', '--ca-file', $CA, '-t', '1');
verdict($p, 3, 'tlshang, -t 1: cut before --stall-time, the -t state', 1.5);
fam_is($p, 'fetch_unfinished', 'UNKNOWN', 'ipv4', 'tlshang, -t 1');
like(output_of($p, 'fetch_unfinished', 'ipv4'), qr/when -t ran out during the TLS handshake/, 'tlshang, -t 1: the step named');

# 8006 100 MB as fast as it goes: complete, in bounded memory
$p = hostile('flood', 8, '-p', '8006');
is($p->{rc}, 0, 'flood: exit 0');
perf_is($p, 'size_v4', 104857600, 'flood');
perf_is($p, 'size_v6', 104857600, 'flood');

# 8007 header lines without end; 8008 a chunked body that breaks
$p = hostile('headers', 3, '-p', '8007');
is($p->{rc}, 2, 'header flood: exit 2');
fam_is($p, 'header_flood', 'CRITICAL', 'ipv6', 'header flood');
fam_is($p, 'header_flood', 'CRITICAL', 'ipv4', 'header flood');
says($p, qr/header flood: more than 64 KB of response header lines/, 'header flood');
$p = hostile('chunked', 3, '-p', '8008');
is($p->{rc}, 2, 'broken chunked: exit 2');
fam_is($p, 'chunked_broken', 'CRITICAL', 'ipv6', 'broken chunked');
says($p, qr/broken chunked body after 5 bytes/, 'broken chunked');

# --- names without AAAA, one family only ------------------------------------

$p = check('A only', '-H', 'v4only.lab.test');
verdict($p, 1, 'A only');
code_is($p, 'no_aaaa', 'WARNING', 'A only');
fam_is($p, 'fetch_ok', 'OK', 'ipv4', 'A only');
perf_is($p, 'size_v4', $PAGE, 'A only');
perf_has($p, \@V4, 'A only');
$p = check('A only, --no-aaaa ok', '-H', 'v4only.lab.test', '--no-aaaa', 'ok');
verdict($p, 0, 'A only, --no-aaaa ok');
code_is($p, 'no_aaaa', 'OK', 'A only, --no-aaaa ok');
$p = check('AAAA only', '-H', 'v6only.lab.test', '--no-a', 'critical');
verdict($p, 2, 'AAAA only, --no-a critical');
code_is($p, 'no_a', 'CRITICAL', 'AAAA only, --no-a critical');
perf_has($p, \@V6, 'AAAA only');
$p = check('AAAA only, default', '-H', 'v6only.lab.test');
verdict($p, 1, 'AAAA only: WARNING by default');
code_is($p, 'no_a', 'WARNING', 'AAAA only, default');

$p = check('-4', '-H', 'www.lab.test', '-4', '-s', 'Welcome');
verdict($p, 0, '-4');
perf_has($p, \@V4, '-4');
ok(!(grep { ($_->{family} // '') eq 'ipv6' } @{ $p->{json}{checks} }), '-4: nothing about IPv6');
$p = check('-6', '-H', 'www.lab.test', '-6', '-s', 'Welcome');
verdict($p, 0, '-6');
perf_has($p, \@V6, '-6');
$lab->on('v6-addr-lost');
$p = check('-4 with v6-addr-lost', '-H', 'www.lab.test', '-4', '-t', '5');
verdict($p, 0, '-4 does not see the IPv6 fault', 5.5);
$lab->off('v6-addr-lost');

# --- time thresholds, --max-delta --------------------------------------------

$lab->on('latency-v6', 300);
$p = check('slow IPv6, -w', '-H', 'www.lab.test', '-w', '0.4', '-c', '5');
verdict($p, 1, 'slow IPv6, -w 0.4');
fam_is($p, 'slow_response', 'WARNING', 'ipv6', 'slow IPv6, -w 0.4');
# 300 ms a packet is about 0.6 s a fetch, under the default --max-delta of
# 1 s; a loaded host can stretch it: the finding follows the perfdata
is(scalar(V6Lab::findings($p, 'v6_slower')), ($p->{perf}{delta_v6_v4}{value} > 1 ? 1 : 0),
    'slow IPv6, -w: v6_slower exactly when delta_v6_v4 > 1 s');
is($p->{perf}{time_v6}{warn}, '0.4', 'slow IPv6: -w in perfdata');
is($p->{perf}{time_v6}{crit}, '5', 'slow IPv6: -c in perfdata');
ok($p->{perf}{time_v6}{value} >= 0.6, 'slow IPv6: two delayed round trips');
$p = check('slow IPv6, -c', '-H', 'www.lab.test', '-w', '0.1', '-c', '0.4');
verdict($p, 2, 'slow IPv6, -c 0.4');
fam_is($p, 'slow_response', 'CRITICAL', 'ipv6', 'slow IPv6, -c 0.4');
code_is($p, 'v6_broken', 'CRITICAL', 'slow IPv6, -c 0.4');
is($p->{perf}{time_v4}{crit}, '0.4', 'slow IPv6: -c on IPv4 too');
$p = check('--max-delta 0.2', '-H', 'www.lab.test', '--max-delta', '0.2');
verdict($p, 1, '--max-delta 0.2 with 300 ms on IPv6');
code_is($p, 'v6_slower', 'WARNING', '--max-delta 0.2');
is($p->{perf}{delta_v6_v4}{warn}, '-0.2:0.2', '--max-delta 0.2: in the perfdata');
ok($p->{perf}{delta_v6_v4}{value} > 0.2, '--max-delta 0.2: perfdata shows the lag');
$p = check('--max-delta 200ms', '-H', 'www.lab.test', '--max-delta', '200ms');
verdict($p, 1, '--max-delta 200ms');
$lab->off('latency-v6');

# slow IPv6 is caught by default: more than 1 s slower is WARNING
$lab->on('latency-v6', 1200);
$p = check('IPv6 1.2 s slower, defaults', '-H', 'www.lab.test', '-s', 'Welcome');
verdict($p, 1, 'IPv6 1.2 s slower, defaults', 10.5);
code_is($p, 'v6_slower', 'WARNING', 'IPv6 1.2 s slower, defaults');
says($p, qr/IPv6 slower than IPv4 by [\d.]+ s \(limit 1 s\): clients will fall back to IPv4$/, 'slow IPv6 by default');
ok($p->{perf}{delta_v6_v4}{value} > 1, sprintf('slow IPv6: delta_v6_v4=%s s', $p->{perf}{delta_v6_v4}{value} // '?'));
$p = check('IPv6 1.2 s slower, --max-delta 10', '-H', 'www.lab.test', '--max-delta', '10');
verdict($p, 0, '--max-delta 10: configurable');
$lab->off('latency-v6');

# --- HTTP status ----------------------------------------------------------------

$p = check('404', '-H', 'www.lab.test', '-u', '/no-such-page');
verdict($p, 1, '404');
fam_is($p, 'http_status', 'WARNING', 'ipv6', '404');
fam_is($p, 'http_status', 'WARNING', 'ipv4', '404');
perf_has($p, \@FOUR, '404');
$p = check('404 expected', '-H', 'www.lab.test', '-u', '/no-such-page', '-e', '200,404');
verdict($p, 0, '404 with -e 200,404');
$p = check('200 not expected', '-H', 'www.lab.test', '-e', '301');
verdict($p, 2, '200 with -e 301');
fam_is($p, 'unexpected_status', 'CRITICAL', 'ipv6', '200 with -e 301');
perf_is($p, 'size_v6', $PAGE, '200 with -e 301');
$p = check('500', '-H', 'www.lab.test', '-u', '/error500');
verdict($p, 2, '500');
fam_is($p, 'http_status', 'CRITICAL', 'ipv4', '500');
$p = check('-R', '-H', 'www.lab.test', '-R', 'WELCOME to the V6OPS');
verdict($p, 0, '-R ignores case');
$p = check('-r', '-H', 'www.lab.test', '-r', 'Welcome to the v6ops l[a-z]+');
verdict($p, 0, '-r matches');
$p = check('-r, case differs', '-H', 'www.lab.test', '-r', 'WELCOME to');
verdict($p, 2, '-r is case-sensitive');
fam_is($p, 'pattern_mismatch', 'CRITICAL', 'ipv6', '-r, case differs');
$p = check('--invert-regex', '-H', 'www.lab.test', '-r', 'Welcome', '--invert-regex');
verdict($p, 2, '--invert-regex');
fam_is($p, 'pattern_mismatch', 'CRITICAL', 'ipv4', '--invert-regex');
$p = check('--invert-regex, absent', '-H', 'www.lab.test', '-r', 'Not here', '--invert-regex');
verdict($p, 0, '--invert-regex, pattern absent');
$p = check('-s twice', '-H', 'www.lab.test', '-s', 'Welcome', '-s', 'Not here');
verdict($p, 2, '-s twice: each must be there');
fam_is($p, 'string_missing', 'CRITICAL', 'ipv6', '-s twice');
$p = check('-s twice, both there', '-H', 'www.lab.test', '-s', 'Welcome', '-s', 'v6ops lab');
verdict($p, 0, '-s twice, both there');
$p = check('-m', '-H', 'www.lab.test', '-m', '1000');
verdict($p, 1, '-m 1000');
fam_is($p, 'size_out_of_range', 'WARNING', 'ipv6', '-m 1000');
$p = check('-m MIN:MAX', '-H', 'www.lab.test', '-m', '10:100');
verdict($p, 1, '-m 10:100');
fam_is($p, 'size_out_of_range', 'WARNING', 'ipv4', '-m 10:100');
$p = check('-m inside', '-H', 'www.lab.test', '-m', '500:700');
verdict($p, 0, '-m 500:700');

# --- the request: -p, -k, -A, -a, -j, -P, --http-version, --source, --interface -

$p = check('-p 8080, closed', '-H', 'www.lab.test', '-p', '8080', '-t', '3');
verdict($p, 2, '-p 8080: connection refused', 3.5);
like(output_of($p, 'fetch_failed', 'ipv6'), qr/^IPv6 \[\Q$V6\E\]: connection refused$/, '-p 8080 IPv6');
fam_is($p, 'fetch_failed', 'CRITICAL', 'ipv4', '-p 8080');
perf_has($p, [], '-p 8080: no numbers without an answer');
$p = check('-k Range', '-H', 'www.lab.test', '-k', 'Range: bytes=0-9');
verdict($p, 0, '-k "Range: bytes=0-9"');
perf_is($p, 'size_v4', 10, '-k Range');
perf_is($p, 'size_v6', 10, '-k Range');
my $tag = "v6ops-test-$$";
$p = check('-A, --http-version 1.0', '-H', 'www.lab.test', '-A', "$tag-a", '--http-version', '1.0', '-s', 'Welcome');
verdict($p, 0, '-A, --http-version 1.0');
my @l = logged("$tag-a");
is(scalar(grep {m{"GET / HTTP/1\.0" 200 }} @l), 2, '-A, --http-version 1.0: both requests as HTTP/1.0 with the agent')
    or diag(@l);
ok((grep {/^2001:db8:a::10 /} @l) && (grep {/^198\.51\.100\.10 /} @l), '-A: one request per family');
$p = check('--http-version 1.1', '-H', 'www.lab.test', '-A', "$tag-b", '--http-version', '1.1');
verdict($p, 0, '--http-version 1.1');
is(scalar(grep {m{"GET / HTTP/1\.1" 200 }} logged("$tag-b")), 2, '--http-version 1.1 requests');
$p = check('-j HEAD', '-H', 'www.lab.test', '-A', "$tag-c", '-j', 'HEAD');
verdict($p, 0, '-j HEAD');
perf_is($p, 'size_v6', 0, '-j HEAD: no body');
is(scalar(grep {m{"HEAD / HTTP/1\.1" 200 }} logged("$tag-c")), 2, '-j HEAD requests');
$p = check('-P', '-H', 'www.lab.test', '-A', "$tag-d", '-P', 'a=1');
verdict($p, 1, '-P: a POST to a static page');
fam_is($p, 'http_status', 'WARNING', 'ipv6', '-P');
is(scalar(grep {m{"POST / HTTP/1\.1" 405 }} logged("$tag-d")), 2, '-P: POST requests');
$p = check('-j PUT -P', '-H', 'www.lab.test', '-A', "$tag-e", '-j', 'PUT', '-P', 'a=1', '-e', '405');
verdict($p, 0, '-j PUT -P with -e 405');
is(scalar(grep {m{"PUT / HTTP/1\.1" 405 }} logged("$tag-e")), 2, '-j PUT requests');
# check_curl's -a: basic authentication (nginx logs the user it was sent)
$p = check('-a', '-H', 'www.lab.test', '-A', "$tag-f", '-a', 'monitor:s3cret');
verdict($p, 0, '-a user:password');
is(scalar(grep {/^\S+ - monitor \[/} logged("$tag-f")), 2, '-a: both requests carry the user');

# --source and --interface: a second address on mon, seen by the server
my ($dev) = $lab->run('mon', [ 'ip', '-o', '-6', 'addr', 'show', 'to', '2001:db8:a::10' ])->{out} =~ /^\d+:\s+(\S+)/;
$lab->run('mon', [ 'ip', 'addr', 'add', '2001:db8:a::11/64', 'dev', $dev, 'nodad' ]);
$lab->run('mon', [ 'ip', 'addr', 'add', '198.51.100.11/25', 'dev', $dev ]);
$p = check('--source', '-H', 'www.lab.test', '-A', "$tag-g", '--source', '2001:db8:a::11', '--source', '198.51.100.11');
verdict($p, 0, '--source for each family');
@l = logged("$tag-g");
ok((grep {/^2001:db8:a::11 /} @l) && (grep {/^198\.51\.100\.11 /} @l), '--source: the server sees the chosen addresses')
    or diag(@l);
$p = check('--interface', '-H', 'www.lab.test', '--interface', $dev, '--source', '2001:db8:a::11');
verdict($p, 0, "--interface $dev");
$p = check('--interface lo', '-H', 'www.lab.test', '--interface', 'lo', '-t', '3');
verdict($p, 2, '--interface lo: nothing gets out', 3.5);
fam_is($p, 'fetch_failed', 'CRITICAL', 'ipv4', '--interface lo');

# --- HTTPS with the lab CA -------------------------------------------------------

my @TLS = ('-S', '--ca-file', $CA);
$p = check('https', '-H', 'www.lab.test', @TLS, '-s', 'Welcome', '--perf-phases');
verdict($p, 0, 'https', 3);
like(output_of($p, 'fetch_ok', 'ipv6'), qr/^IPv6 \[\Q$V6\E\]: HTTP 200 OK, $PAGE B in [\d.]+ s; certificate CN=www\.lab\.test,O=v6ops lab, expires 20\d\d-\d\d-\d\d, issuer CN=v6ops lab CA/,
    'https: the certificate is described');
perf_has($p, [ @FOUR, map { ("dns_$_", "connect_$_", "tls_$_", "firstbyte_$_") } qw(v4 v6) ], 'https --perf-phases');
ok($p->{perf}{tls_v6}{value} > $p->{perf}{connect_v6}{value}, 'https: TLS after connect');
$p = check('https, --ca-cert', '-H', 'www.lab.test', '-S', '--ca-cert', $CA);
verdict($p, 0, "--ca-cert: check_curl's spelling");
$p = check('https, system CAs', '-H', 'www.lab.test', '-S', '-4');
verdict($p, 2, 'https: certificates are verified by default');
fam_is($p, 'fetch_failed', 'CRITICAL', 'ipv4', 'https without the lab CA');
$p = check('https -C 20', '-H', 'www.lab.test', @TLS, '-C', '20');
verdict($p, 0, '30-day certificate, -C 20');
$p = check('https -C 40', '-H', 'www.lab.test', @TLS, '-C', '40');
verdict($p, 1, '-C 40');
fam_is($p, 'cert_expiring', 'WARNING', 'ipv6', '-C 40');
$p = check('https -C 60,40', '-H', 'www.lab.test', @TLS, '-C', '60,40');
verdict($p, 2, '-C 60,40');
fam_is($p, 'cert_expiring', 'CRITICAL', 'ipv4', '-C 60,40');

# check_curl's -J/-K: a client certificate is loaded before anything is sent
# (the lab's nginx asks for none, so the handshake goes on without it)
my $dir = tempdir(CLEANUP => 1);
system("openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=monitor -days 2 "
    . "-keyout $dir/client.key -out $dir/client.crt 2>/dev/null") == 0 or BAIL_OUT('openssl req failed');
system("openssl genrsa -out $dir/other.key 2048 2>/dev/null") == 0 or BAIL_OUT('openssl genrsa failed');
open(my $g, '>', "$dir/garbage.pem") or die; print $g "not a certificate\n"; close $g;
chmod 0644, glob("$dir/*");
$p = check('-J -K', '-H', 'www.lab.test', @TLS, '-J', "$dir/client.crt", '-K', "$dir/client.key", '-s', 'Welcome');
verdict($p, 0, '-J/-K: loaded, the fetch goes on');

# ... and one nginx of this test's own on srv port 8443 that demands it
# (ssl_verify_client), trusting the client certificate made above
chmod 0755, $dir;
mkdir "$dir/tmp";
my $pki = $lab->state_dir . '/pki';
open(my $nc, '>', "$dir/nginx.conf") or die;
print $nc <<"NGINX";
daemon on;
worker_processes 1;
user nobody nogroup;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 64; }
http {
    access_log off;
    client_body_temp_path $dir/tmp/body;
    proxy_temp_path $dir/tmp/proxy;
    fastcgi_temp_path $dir/tmp/fastcgi;
    uwsgi_temp_path $dir/tmp/uwsgi;
    scgi_temp_path $dir/tmp/scgi;
    server {
        listen $V4:8443 ssl;
        listen [$V6]:8443 ssl;
        ssl_certificate $pki/www.crt;
        ssl_certificate_key $pki/www.key;
        ssl_client_certificate $dir/client.crt;
        ssl_verify_client on;
        location / { return 200 "client \$ssl_client_s_dn\\n"; }
    }
}
NGINX
close $nc;
is($lab->run('srv', [ 'nginx', '-c', "$dir/nginx.conf" ])->{rc}, 0, 'client-certificate nginx on srv:8443');
END { system('sh', '-c', "kill \$(cat $dir/nginx.pid) 2>/dev/null") if $dir && -e "$dir/nginx.pid" }
$p = check('client certificate demanded, none given', '-H', 'www.lab.test', @TLS, '-p', '8443', '-s', 'CN=monitor');
verdict($p, 2, 'client certificate demanded, none given');
fam_is($p, 'string_missing', 'CRITICAL', 'ipv6', 'no client certificate');
$p = check('client certificate demanded, -J -K', '-H', 'www.lab.test', @TLS, '-p', '8443', '-s', 'CN=monitor',
    '-J', "$dir/client.crt", '-K', "$dir/client.key");
verdict($p, 0, '-J/-K: the server sees the client certificate');
fam_is($p, 'fetch_ok', 'OK', 'ipv4', '-J/-K');
fam_is($p, 'fetch_ok', 'OK', 'ipv6', '-J/-K');
$lab->run('srv', [ 'sh', '-c', "kill \$(cat $dir/nginx.pid)" ]);

# --- DNS server that ignores AAAA queries ---------------------------------------

$lab->on('dns-noaaaa');
$p = check('dns-noaaaa', '-H', 'www.lab.test', '-s', 'Welcome', '-t', '5');
verdict($p, 2, 'dns-noaaaa: CRITICAL as in every plugin', 5.5);
code_is($p, 'aaaa_unanswered', 'CRITICAL', 'dns-noaaaa');
says($p, qr/^www\.lab\.test: AAAA query for www\.lab\.test unanswered after [\d.]+ s while A answered in [\d.]+ s: clients asking for AAAA wait; IPv4 OK \(HTTP 200 in [\d.]+ s\)$/,
    'dns-noaaaa');
fam_is($p, 'fetch_ok', 'OK', 'ipv4', 'dns-noaaaa');
perf_is($p, 'size_v4', $PAGE, 'dns-noaaaa');
perf_has($p, \@V4, 'dns-noaaaa');
$lab->off('dns-noaaaa');

# --- unreachable addresses, bounded by -t ---------------------------------------

$p = check('dead address', '-H', 'www.lab.test', '-I', $DEAD, '-t', '3');
verdict($p, 2, 'dead address', 3.5);
fam_is($p, 'fetch_failed', 'CRITICAL', 'ipv6', 'dead address');
code_is($p, 'v6_broken', 'CRITICAL', 'dead address');
perf_has($p, [], 'dead address');
$p = check('stale AAAA', '-H', 'stale.lab.test', '-t', '3');
verdict($p, 2, 'stale AAAA', 3.5);
code_is($p, 'v6_broken', 'CRITICAL', 'stale AAAA');
fam_is($p, 'fetch_ok', 'OK', 'ipv4', 'stale AAAA');
perf_has($p, \@V4, 'stale AAAA');
$p = check('--all-addresses', '-H', 'multi.lab.test', '--all-addresses', '-s', 'Welcome', '-t', '4');
verdict($p, 2, '--all-addresses', 4.5);
is(scalar(grep { $_->{family} eq 'ipv6' } V6Lab::findings($p, 'fetch_ok')), 2, '--all-addresses: the two live AAAA are OK');
ok((grep { $_->{address} eq $DEAD } V6Lab::findings($p, 'fetch_failed')), '--all-addresses: the dead one is named');
$p = check('first address only', '-H', 'multi.lab.test', '-s', 'Welcome', '-t', '4');
is(scalar(grep { ($_->{family} // '') eq 'ipv6' && $_->{address} } @{ $p->{json}{checks} }), 1, 'without --all-addresses: one IPv6 address');
# the resolver rotates the three AAAA: the first may be the dead one
my $dead_first = grep { ($_->{address} // '') eq $DEAD } @{ $p->{json}{checks} };
verdict($p, $dead_first ? 2 : 0, 'first address only', 4.5);

# --- redirects: sticky to the address and family -------------------------------

$p = check('redirect, default', '-H', 'www.lab.test', '-u', '/moved');
verdict($p, 0, 'a redirect is OK by default');
$p = check('redirect, critical', '-H', 'www.lab.test', '-u', '/moved', '-f', 'critical');
verdict($p, 2, '-f critical');
fam_is($p, 'redirect', 'CRITICAL', 'ipv6', '-f critical');
$p = check('redirect, warning', '-H', 'www.lab.test', '-u', '/moved', '-f', 'warning');
verdict($p, 1, '-f warning');
fam_is($p, 'redirect', 'WARNING', 'ipv4', '-f warning');
$p = check('redirect, follow', '-H', 'www.lab.test', '-u', '/moved', '-f', 'follow', '-s', 'Welcome');
verdict($p, 0, '-f follow reaches the page over both families');
perf_is($p, 'size_v6', $PAGE, 'follow');
$p = check('redirect to a v4-only name', '-H', 'www.lab.test', '-u', '/to-v4only', '-f', 'follow', '-t', '5');
verdict($p, 2, 'a redirect target without AAAA breaks IPv6 users', 5.5);
fam_is($p, 'fetch_failed', 'CRITICAL', 'ipv6', 'redirect to a v4-only name');
like(output_of($p, 'fetch_failed', 'ipv6'), qr/redirect target v4only\.lab\.test has no IPv6 address/, 'redirect to a v4-only name: said');
fam_is($p, 'fetch_ok', 'OK', 'ipv4', 'the IPv4 side follows to the page');

# --- bad options: one line, exit 3 -------------------------------------------------

for my $bad (
    [ 'no host',          [] ],
    [ '-H twice',         [ '-H', 'www.lab.test', '-H', 'near.lab.test' ] ],
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
    [ '--ca-cert missing',[ '-H', 'www.lab.test', '-S', '--ca-cert', '/nonexistent/ca.pem' ] ],
    [ '-u path too long', [ '-H', 'www.lab.test', '-u', '/' . ('a' x 3000) ] ],
    [ '--http-version 3', [ '-H', 'www.lab.test', '--http-version', '3' ] ],
    [ '--no-aaaa maybe',  [ '-H', 'www.lab.test', '--no-aaaa', 'maybe' ] ],
    [ '--max-delta -1',   [ '-H', 'www.lab.test', '--max-delta', '-1' ] ],
    [ '--max-delta 200',  [ '-H', 'www.lab.test', '--max-delta', '200' ] ],
    [ '-S with http URL', [ '-S', '-u', 'http://www.lab.test/' ] ],
    [ '-u and -H differ', [ '-H', 'www.lab.test', '-u', 'http://near.lab.test/' ] ],
    [ '-a without colon', [ '-H', 'www.lab.test', '-a', 'monitor' ] ],
    [ '-J garbage',       [ '-H', 'www.lab.test', @TLS, '-J', "$dir/garbage.pem" ] ],
    [ '-J missing',       [ '-H', 'www.lab.test', @TLS, '-J', "$dir/none.pem" ] ],
    [ '-K other key',     [ '-H', 'www.lab.test', @TLS, '-J', "$dir/client.crt", '-K', "$dir/other.key" ] ],
    [ '-K without -J',    [ '-H', 'www.lab.test', @TLS, '-K', "$dir/client.key" ] ],
    [ '--source foreign', [ '-H', 'www.lab.test', '--source', '2001:db8:a::99' ] ],
    [ '--interface none', [ '-H', 'www.lab.test', '--interface', 'nosuch0' ] ],
) {
    my ($why, $args) = @$bad;
    $p = $lab->plugin('check_dualstack_http', @$args, { timeout => 30 });
    V6Lab::plugin_contract_ok($p, "bad: $why");
    is($p->{rc}, 3, "bad: $why: exit 3");
    like($p->{first}, qr/^DUALSTACK_HTTP UNKNOWN - \S/, "bad: $why: one reason");
    like($p->{out}, qr/\nUsage: check_dualstack_http /, "bad: $why: usage line");
    unlike($p->{out}, qr/\|/, "bad: $why: no perfdata");
}

# a whole URL in -u stands in for -H, -S and -p
$p = check('-u URL', '-u', 'https://www.lab.test/large.html', '--ca-file', $CA, '-s', 'END-OF-LARGE-PAGE');
verdict($p, 0, '-u https://www.lab.test/large.html');
perf_is($p, 'size_v4', 204800, '-u URL');
perf_is($p, 'size_v6', 204800, '-u URL');

done_testing();
