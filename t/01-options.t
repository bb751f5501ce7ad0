#!/usr/bin/perl
# The options, help, output contract and timeout backstop that every plugin
# gets from common/, exercised through t/tools/fakecheck.
use strict;
use warnings;
use Test::More;
use File::Temp qw(tempdir);
use Time::HiRes qw(time);

my $bin = 't/tools/fakecheck';
plan skip_all => "$bin not built (run make)" unless -x $bin;
my $tmp = tempdir(CLEANUP => 1);

sub run {
    my (@args) = @_;
    my %env = ref $args[-1] eq 'HASH' ? %{ pop @args } : ();
    my $q = join ' ', map { my $a = $_; $a =~ s/'/'\\''/g; "'$a'" } @args;
    my $envs = join ' ', map { "$_='$env{$_}'" } sort keys %env;
    my $t0 = time;
    system("env $envs timeout -s KILL 20 $bin $q >$tmp/out 2>$tmp/err");
    my $secs = time - $t0;
    my $w = $?;
    local $/;
    open my $o, '<', "$tmp/out" or die;
    open my $e, '<', "$tmp/err" or die;
    my %r = (rc => $w >> 8, signal => $w & 127, out => <$o> // '',
             err => <$e> // '', secs => $secs);
    ($r{first}) = split /\n/, $r{out};
    $r{first} //= '';
    return \%r;
}

sub usage_error {
    my ($why, $args, $like) = @_;
    my $r = run(@$args);
    is($r->{rc}, 3, "$why: exit 3");
    like($r->{first}, $like, "$why: reason names the problem");
    like($r->{out}, qr/^FAKE UNKNOWN - [^\n]+\nUsage: fakecheck /,
         "$why: one-line reason, then the usage line");
    is($r->{err}, '', "$why: nothing on stderr");
}

# --help and --version
my $h = run('--help');
is($h->{rc}, 3, '--help exits 3');
like($h->{out}, qr/^fakecheck v\d+\.\d+\.\d+ \(v6ops-plugins\)\n/, 'help starts with the version');
for my $o (qw(--help --version --verbose --timeout --timeout-result
              --hostname --ipv4 --ipv6 --warning --critical --value --port)) {
    like($h->{out}, qr/\Q$o\E/, "help explains $o");
}
like($h->{out}, qr/\@10:20 +inside 10\.\.20/, 'help explains ranges');
like($h->{out}, qr/Examples:\n  fakecheck --value 5/, 'help has examples');
my @long = grep { length > 79 } split /\n/, $h->{out};
is(scalar @long, 0, 'help fits 80 columns') or diag explain \@long;
my $v = run('-V');
is($v->{rc}, 3, '-V exits 3');
like($v->{out}, qr/^fakecheck v\d+\.\d+\.\d+ \(v6ops-plugins\)\n\z/, 'version is one line');

# bad input: one line naming the option, usage, exit 3
usage_error('unknown option', ['--bogus'], qr/unknown option --bogus/);
usage_error('unknown short option', ['-Z'], qr/unknown option -Z/);
usage_error('missing value', ['-w'], qr/option -w needs a value \(RANGE\)/);
usage_error('stray argument', ['--value', '1', 'extra'], qr/unexpected argument "extra"/);
usage_error('garbage threshold', ['-w', 'abc'], qr/option -w: .*"abc" is not a number/);
usage_error('inverted threshold', ['-c', '20:10'], qr/option -c: "20:10" is not a range: start is greater than end/);
usage_error('-t 0', ['-t', '0'], qr/option -t: 0 is out of range/);
usage_error('-t garbage', ['-t', '10x'], qr/option -t: "10x" is not a duration/);
usage_error('-t bad state', ['-t', '5:maybe'], qr/option -t: "maybe" is not a state/);
usage_error('-4 with an IPv6 literal', ['-4', '-H', '2001:db8::1'], qr/option -4: 2001:db8::1 is an IPv6 address/);
usage_error('-6 with an IPv4 literal', ['-H', '192.0.2.1', '-6'], qr/option -6: 192\.0\.2\.1 is an IPv4 address/);
usage_error('-4 and -6', ['-4', '-6'], qr/-4 and -6 exclude each other/);
usage_error('bad host', ['-H', 'not a host'], qr/option -H: "not a host" is not a host name or address/);
usage_error('bad IPv6', ['-H', '2001:db8::zz'], qr/option -H: "2001:db8::zz" is not an IPv6 address/);
usage_error('bad port', ['-p', '70000'], qr/option -p: 70000 is out of range \(1 to 65535\)/);
usage_error('bad choice', ['--mode', 'c'], qr/option --mode: "c" is not one of a, b/);
usage_error('flag with value', ['--hang=1'], qr/option --hang takes no value/);

# -H forms (Zabbix and NRPE refuse brackets, so bare IPv6 must work)
for my $case (['www.example.test', 'www.example.test (name)'],
              ['192.0.2.1', '192.0.2.1 (literal)'],
              ['2001:db8::1', '2001:db8::1 (literal)'],
              ['[2001:DB8:0::1]', '2001:db8::1 (literal)'],
              ['fe80::1%lo', 'fe80::1%lo (literal)']) {
    my $r = run('-H', $case->[0]);
    is($r->{rc}, 0, "-H $case->[0] accepted");
    like($r->{out}, qr/^\[OK\] host \Q$case->[1]\E$/m, "-H $case->[0] read as $case->[1]");
}

# thresholds and perfdata
my $r = run('--value', '15', '-w', '10', '-c', '20');
is($r->{rc}, 1, '15 with -w 10 -c 20 is WARNING');
is($r->{first}, 'FAKE WARNING - value 15 | value=15s;10;20;0', 'first line and perfdata');
$r = run('--value', '25', '-w', '10', '-c', '20');
is($r->{rc}, 2, '25 is CRITICAL');
$r = run('--value', '10', '-w', '~:10');
is($r->{rc}, 0, '~:10 at 10 is OK (ends inclusive)');
$r = run('--value', '10', '-w', '@10:20');
is($r->{rc}, 1, '@10:20 at 10 alerts');
$r = run('--value', '-5', '-c', '-10:-1');
is($r->{rc}, 0, 'negative range');
is($r->{first}, 'FAKE OK - value -5 | value=-5s;;-10:-1;0', 'negative threshold printed as given');

# C locale numbers whatever the environment says
$r = run('--value', '0.25', '-w', '0.5', { LC_ALL => 'de_DE.UTF-8', LANG => 'de_DE.UTF-8' });
is($r->{first}, 'FAKE OK - value 0.25 | value=0.25s;0.5;;0', 'numbers keep a dot under LC_ALL=de_DE');

# hostile text never breaks the output format
$r = run('--echo', "a|b\nfake line|x=1", '--echo', "\x1b[31mred");
is($r->{rc}, 0, 'hostile text: exit 0');
is(() = $r->{out} =~ /\|/g, 0, 'no | in the output text');
like($r->{out}, qr/^\[OK\] a\/b fake line\/x=1$/m, 'newline and | sanitised');
$r = run('--items', '5000');
is($r->{rc}, 1, 'many items: WARNING');
ok(length($r->{out}) <= 4096, 'output stays within 4 KiB (' . length($r->{out}) . ')');
like($r->{out}, qr/\[\.\.\.\] \d+ more lines not shown\n\z/, 'says what it cut');

# the backstop: stuck anywhere, still a proper line within T + 0.5 s
$r = run('-t', '1', '-H', 'www.example.test', '--hang');
is($r->{rc}, 3, 'hung plugin exits 3 (UNKNOWN) by default');
is($r->{out}, "FAKE UNKNOWN - timeout after 1 s (step: resolving AAAA for www.example.test)\n",
   'timeout line names the step');
ok($r->{secs} < 1.5, sprintf('ends within T + 0.5 s (%.2f s)', $r->{secs}));
is($r->{signal}, 0, 'no signal death');
$r = run('-t', '0.5:critical', '--hang');
is($r->{rc}, 2, '-t 0.5:critical gives CRITICAL on timeout');
like($r->{first}, qr/^FAKE CRITICAL - timeout after 0\.5 s/, 'and says so');
$r = run('-t', '1', '--timeout-result', 'warning', '--hang');
is($r->{rc}, 1, '--timeout-result warning');
$r = run('-t', '1', '--output-format', 'json', '-H', 'www.example.test', '--hang');
is($r->{rc}, 3, 'json: hung plugin exits 3');
is($r->{out}, '{"label":"FAKE","state":"UNKNOWN","exit_code":3,"summary":"timeout after 1 s (step: resolving AAAA for www.example.test)","checks":[{"code":"timeout","state":"UNKNOWN","output":"timeout after 1 s (step: resolving AAAA for www.example.test)"}],"perfdata":[],"dropped":0}' . "\n",
   'json: the backstop prints one document with code timeout');
$r = run('-t', '0.5:warning', '--output-format', 'icingaweb2', '--hang');
is($r->{rc}, 1, 'icingaweb2: -t state kept');
like($r->{out}, qr/\A\[WARNING\] FAKE - timeout after 0\.5 s \(step: [^\n]*\)\n\\_ \[WARNING\] timeout after 0\.5 s/, 'icingaweb2: the backstop prints the tree');
$r = run('-v', '--value', '1');
is($r->{rc}, 0, '-v accepted');

done_testing();
