#!/usr/bin/perl
# The contract every plugin keeps whatever it is given, checked on every
# built plugins/check_*: --help and --version, and bad input answered with
# exit 3, one line naming the problem, the usage line, nothing on stderr.
# No network is touched: every case here fails before any probe.
use strict;
use warnings;
use Test::More;
use File::Temp qw(tempdir);
use JSON::PP ();

my @plugins = grep { !/\.[cod]$/ && -x } glob "plugins/check_*";
plan skip_all => 'no plugin built (run make)' unless @plugins;
my $tmp = tempdir(CLEANUP => 1);

sub run {
    my ($bin, @args) = @_;
    my $q = join ' ', map { my $a = $_; $a =~ s/'/'\\''/g; "'$a'" } @args;
    system("env -u LANGUAGE LC_ALL=de_DE.UTF-8 timeout -s KILL 15 $bin $q >$tmp/out 2>$tmp/err </dev/null");
    my $w = $?;
    local $/;
    open my $o, '<', "$tmp/out" or die;
    open my $e, '<', "$tmp/err" or die;
    my %r = (rc => $w >> 8, signal => $w & 127, out => <$o> // '', err => <$e> // '');
    ($r{first}) = split /\n/, $r{out};
    $r{first} //= '';
    return \%r;
}

for my $bin (@plugins) {
    (my $name = $bin) =~ s{.*/}{};
    my $h = run($bin, '--help');
    is($h->{rc}, 3, "$name --help: exit 3");
    like($h->{out}, qr/^\Q$name\E v\d+\.\d+\.\d+ \(v6ops-plugins\)\n/, "$name --help: name and version first");
    like($h->{out}, qr/\nUsage: \Q$name\E /, "$name --help: usage");
    like($h->{out}, qr/\nOptions:\n/, "$name --help: options");
    like($h->{out}, qr/\nExamples:\n  \Q$name\E /, "$name --help: examples");
    for my $o (qw(--timeout --timeout-result --verbose --version --output-format)) {
        like($h->{out}, qr/\Q$o\E/, "$name --help explains $o");
    }
    like($h->{out}, qr/\nFindings \(the code each carries in --output-format json, and its state\):\n  [a-z0-9_]+/,
         "$name --help: lists its finding codes");
    is(scalar(grep { length > 79 } split /\n/, $h->{out}), 0, "$name --help: fits 80 columns");
    is($h->{err}, '', "$name --help: nothing on stderr");

    my $v = run($bin, '--version');
    is($v->{rc}, 3, "$name --version: exit 3");
    like($v->{out}, qr/^\Q$name\E v\d+\.\d+\.\d+ \(v6ops-plugins\)\n\z/, "$name --version: one line");

    my ($label) = run($bin, '--bogus')->{first} =~ /^([A-Z][A-Z0-9_]*) /;
    ok(defined $label, "$name: output starts with its label") or next;
    my %has = map { $_ => 1 } $h->{out} =~ /^\s+(?:-\w, )?(--[a-z0-9-]+)/mg;
    my %long = ('-H' => '--hostname', '-4' => '--ipv4', '-6' => '--ipv6', '-w' => '--warning', '-c' => '--critical');
    for my $case (
        [ 'unknown option',     [ '--bogus' ],                         qr/unknown option --bogus/ ],
        [ 'stray argument',     [ '-H', 'www.example.test', 'extra' ], qr/unexpected argument "extra"/ ],
        [ 'missing value',      [ '-H' ],                              qr/option -H needs a value/ ],
        [ '-t 0',               [ '-H', 'www.example.test', '-t', '0' ], qr/option -t: / ],
        [ '-t junk',            [ '-H', 'www.example.test', '-t', 'soon' ], qr/option -t: "soon" is not a duration/ ],
        [ 'bad host',           [ '-H', 'bad host name' ],             qr/option -H: / ],
        [ '-4 with IPv6',       [ '-4', '-H', '2001:db8::1' ],         qr/option -4: 2001:db8::1 is an IPv6 address/ ],
        [ '-6 with IPv4',       [ '-6', '-H', '198.51.100.1' ],        qr/option -6: 198\.51\.100\.1 is an IPv4 address/ ],
        [ 'IPv4-mapped',        [ '-H', '::ffff:198.51.100.10' ],      qr/option -H: ::ffff:198\.51\.100\.10 is an IPv4-mapped IPv6 address, which travels as IPv4: give 198\.51\.100\.10/ ],
        [ '-w garbage',         [ '-H', 'www.example.test', '-w', 'abc' ], qr/option -w: / ],
        [ '-c inverted',        [ '-H', 'www.example.test', '-c', '20:10' ], qr/option -c: "20:10" is not a range/ ],
        [ 'hostile text',       [ "--bo|gus\n\e[1m" ],                 qr/unknown option --bo\/gus/ ],
    ) {
        my ($why, $args, $re) = @$case;
        # A case about a standard option this plugin does not take is not
        # its case; -H given only as a target is dropped where there is none.
        next if grep { $long{$_} && !$has{ $long{$_} } } grep { $_ ne '-H' } @$args;
        if (!$has{'--hostname'}) {
            next if $why =~ /host|missing value|stray|IPv4-mapped/;
            $args = [ map { $args->[$_] eq '-H' || ($_ > 0 && $args->[ $_ - 1 ] eq '-H') ? () : $args->[$_] } 0 .. $#$args ];
        }
        my $r = run($bin, @$args);
        is($r->{rc}, 3, "$name $why: exit 3");
        is($r->{signal}, 0, "$name $why: no signal");
        like($r->{first}, qr/^\Q$label\E UNKNOWN - /, "$name $why: a plugin line");
        like($r->{first}, $re, "$name $why: says what is wrong");
        like($r->{out}, qr/\A[^\n]*\nUsage: \Q$name\E [^\n]*\n\z/, "$name $why: one line, then the usage line");
        is(() = $r->{first} =~ /\|/g, 0, "$name $why: no | in the text");
        is($r->{err}, '', "$name $why: nothing on stderr");
    }
}

# --output-format: a bad format is a usage error; other errors follow the
# format asked for, wherever it stands on the line.
for my $bin (@plugins) {
    (my $name = $bin) =~ s{.*/}{};
    my $r = run($bin, '--output-format', 'xml');
    is($r->{rc}, 3, "$name --output-format xml: exit 3");
    like($r->{out}, qr/\A[A-Z0-9_]+ UNKNOWN - option --output-format: "xml" is not one of nagios, json, icingaweb2\nUsage: \Q$name\E /,
         "$name --output-format xml: reason and usage");
    $r = run($bin, '--bogus', '--output-format=json');
    is($r->{rc}, 3, "$name json, bad option: exit 3");
    my $j = eval { JSON::PP->new->decode($r->{out}) };
    ok($j, "$name json, bad option: one JSON document") or diag($r->{out});
    is($j && $j->{state}, 'UNKNOWN', "$name json, bad option: state");
    is($j && $j->{exit_code}, 3, "$name json, bad option: exit_code");
    is($j && $j->{checks}[0]{code}, 'usage', "$name json, bad option: code usage");
    like($j ? $j->{checks}[0]{output} : '', qr/unknown option --bogus/, "$name json, bad option: says what");
    $r = run($bin, '--output-format', 'icingaweb2', '--bogus');
    like($r->{out}, qr/\A\[UNKNOWN\] [A-Z0-9_]+ - unknown option --bogus\n\\_ \[UNKNOWN\] unknown option --bogus\n\z/,
         "$name icingaweb2, bad option: the tree");
}

done_testing();
