#!/usr/bin/perl
# Every fuzz target's seed corpus (t/data/fuzz/NAME: good and hostile
# inputs) replayed through the target, built with the normal compiler: the
# same code make fuzz runs under libFuzzer, in every make check (and under
# ASan and UBSan with SANITIZE=1). No clang needed.
use strict;
use warnings;
use Test::More;

my @targets = map { m{t/fuzz/fuzz_(\w+)\.c$} ? $1 : () } glob 't/fuzz/fuzz_*.c';
plan skip_all => 'no fuzz targets' unless @targets;
for my $t (@targets) {
    my $bin = "t/fuzz/replay_$t";
    ok(-x $bin, "$t: replay built") or next;
    my @seeds = grep { !m{/\.} } glob "t/data/fuzz/$t/*";
    cmp_ok(scalar @seeds, '>=', 3, "$t: a seed corpus of good and hostile inputs");
    my $out = `timeout 60 $bin t/data/fuzz/$t 2>&1`;
    my $rc = $? >> 8;
    is($rc, 0, "$t: every input replayed without a crash or sanitizer report")
        or diag($out);
    my $n = () = $out =~ /^ok \d+/mg;
    is($n, scalar @seeds, "$t: all " . scalar(@seeds) . " inputs ran");
}
done_testing();
