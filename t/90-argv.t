#!/usr/bin/perl
# Generated argument vectors: for every built plugin, 1,000 vectors from a
# fixed seed, made from the options its --help lists (random, empty, huge,
# negative, overflowing, non-UTF-8 values; unknown options; missing values;
# repeats), run in the lab against a live host with -t 2. Every run: exit
# 0..3, no signal, a first line that starts with the plugin's label and the
# state word of its exit code (or one JSON document with that state),
# stdout within 4 KiB, nothing on stderr unless -v was given, and an end
# within -t + 0.5 s. A failing vector is printed so it can be replayed:
#   V6LAB_KEEP=1 ...; ip netns exec ID-mon plugins/check_X ARGS...
# V6_ARGV_COUNT sets the number of vectors per plugin (default 1000).
use strict;
use warnings;
use Test::More;
use lib 't/lib';
use V6Lab;
use JSON::PP ();
use POSIX ();
use Time::HiRes qw(time);
use File::Temp qw(tempdir);

my @plugins = grep { !/\.[a-z]+$/ && -x && -f } glob 'plugins/check_*';
plan skip_all => 'no plugin built (run make)' unless @plugins;
plan skip_all => '/usr/bin/time not installed' unless -x '/usr/bin/time';
my $count = $ENV{V6_ARGV_COUNT} // 1000;
my $lab = V6Lab->new(parts => [qw(web dns)]);
my $tmp = tempdir(CLEANUP => 1);
my $A = V6Lab::ADDR;
my %RC = (OK => 0, WARNING => 1, CRITICAL => 2, UNKNOWN => 3);

# The options a plugin's --help lists: [short, long, argument name].
sub options_of {
    my ($bin) = @_;
    my @o;
    for (split /\n/, `$bin --help`) {
        next unless /^\s+(?:-(\w), )?--([a-z0-9-]+)(?:=(\S+))?\s*$/ || /^\s+-(\w)()(?:=(\S+))?\s*$/;
        push @o, [ $1, $2, $3 ];
    }
    return @o;
}

my @values = (
    '', '0', '1', '2', '-1', '0.5', '10', '65535', '65536', '4294967296',
    '99999999999999999999', '-99999999999999999999', '1e308', '-1e308', 'nan', 'inf',
    '10:', '~:1', '@1:2', '5:1', ':', '1,2,3', '0x10', ' 1', '1 ', '%s%n%x',
    "'\"", '|', "a\nb", "\xff\xfe\xfd", "\xc3\x28", 'x' x 5000, '-',
    '--', 'ok', 'critical', 'unknown', 'json', 'nagios', 'icingaweb2', 'icmp', 'tcp',
    'lo', 'lanA', 'eth9', $A->{srv6}, $A->{srv4}, $A->{dead6}, 'www.lab.test',
    'nosuch.lab.test', '::ffff:198.51.100.1', '[2001:db8:c::80]:80', 'fe80::1%lanA',
    '/dev/zero', '/dev/null', '/etc/passwd', '/nonexistent', '/', 'http://x/',
    '0.0.0.3', '0.0.0.3@lanA', 'fe80::1@02:00:00:00:00:01', '2001:db8:bad::/64',
    '2001:db8::/48', 'M,O', 'frr', 'bird', 'snmp', 'yes', 'no', 'public',
);

sub pick { $_[ int rand @_ ] }

sub vector {
    my ($opts, $has_host) = @_;
    my @v;
    my $n = int rand 5;
    for (1 .. $n) {
        my $r = rand;
        if ($r < 0.05) {
            push @v, pick('--no-such-option', '-Z', '--', 'stray', '---', '-');
            next;
        }
        my ($s, $l, $arg) = @{ pick(@$opts) };
        my $name = (defined $s && length $s && rand() < 0.5) || !length($l // '') ? "-$s" : "--$l";
        if (!defined $arg) { push @v, $name; next }
        my $val = rand() < 0.7 ? pick(@values) : int(rand(2**31)) - 2**30;
        if (rand() < 0.15 && $name =~ /^--/) { push @v, "$name=$val" }
        else                                  { push @v, $name, $val }
    }
    push @v, '-H', pick($A->{srv6}, $A->{srv4}, 'www.lab.test', $A->{near6}) if $has_host && rand() < 0.6;
    pop @v if rand() < 0.05 && @v;    # a value left missing
    return [ @v, '-t', '2' ];
}

sub problems {
    my ($r, $label, $argv, $secs) = @_;
    my @why;
    push @why, "killed by signal $r->{signal}" if $r->{signal};
    push @why, "exit $r->{rc}" if $r->{rc} !~ /^[0-3]$/;
    # --help and --version answer with text and exit 3, unless an earlier
    # option was bad (then the usual one-line answer).
    return @why if $r->{rc} == 3 && $r->{out} =~ /^check_\w+ v\d/;
    push @why, sprintf('stdout %d bytes', length $r->{out}) if length $r->{out} > 4096;
    push @why, "stderr: $r->{err}" if length $r->{err} && !grep { /^-v+$|^--verbose$/ } @$argv;
    push @why, sprintf('took %.2f s', $secs) if $secs > 2.5;
    if ($r->{out} =~ /^\{/) {
        my $j = eval { JSON::PP->new->decode($r->{out}) };
        push @why, 'not one JSON document' unless $j;
        push @why, "json state does not match exit $r->{rc}" if $j && ($RC{ $j->{state} // '' } // -1) != $r->{rc};
    } elsif ($r->{out} =~ /^\[([A-Z]+)\] \Q$label\E - /) {
        push @why, "icingaweb2 state $1 vs exit $r->{rc}" if ($RC{$1} // -1) != $r->{rc};
    } elsif ($r->{out} =~ /^\Q$label\E (OK|WARNING|CRITICAL|UNKNOWN)\b/) {
        push @why, "state $1 vs exit $r->{rc}" if $RC{$1} != $r->{rc};
    } else {
        push @why, 'first line does not start with the label and a state';
    }
    return @why;
}

sub shell_quote { join ' ', map { my $a = $_; $a =~ s/'/'\\''/g; "'$a'" } @_ }

srand(20261203);
for my $bin (@plugins) {
    (my $name = $bin) =~ s{.*/}{};
    my @opts = options_of($bin);
    ok(@opts > 5, "$name: options read from --help") or next;
    my $has_host = grep { ($_->[1] // '') eq 'hostname' } @opts;
    my ($label) = `$bin --bogus` =~ /^([A-Z][A-Z0-9_]*) /;
    my @vectors = map { vector(\@opts, $has_host) } 1 .. $count;
    # Four at a time: each worker reports its failures back.
    my @fail = grep { defined } V6Lab::parallel(map {
        my $k = $_;
        sub {
            my @bad;
            for (my $i = $k; $i < @vectors; $i += 4) {
                # The plugin's own run time, without the namespace's
                # start-up around it.
                my $tf = "$tmp/time.$k";
                unlink $tf;
                my $r = $lab->run('mon', [ '/usr/bin/time', '-f', '%e', '-o', $tf, $bin, @{ $vectors[$i] } ],
                                  timeout => 10);
                my $secs = do { local $/; open my $fh, '<', $tf or 0; $fh ? <$fh> : 99 } // 99;
                my @why = problems($r, $label, $vectors[$i], $secs =~ /([\d.]+)\s*\z/ ? $1 : 99);
                push @bad, "vector $i: " . join('; ', @why) . "\n  replay: $bin " . shell_quote(@{ $vectors[$i] }) if @why;
                last if @bad >= 5;
            }
            return @bad ? join("\n", @bad) : undef;
        }
    } 0 .. 3);
    ok(!@fail, "$name: $count generated argument vectors keep the contract") or diag(join "\n", @fail);
}
done_testing();
