#!/usr/bin/perl
# --output-format in the lab: for every plugin of the first three, in a
# healthy and a failing scenario, nagios, json and icingaweb2 give the same
# exit code and the same findings; json is one document with the fields
# consumers read. (The new plugins' own tests run in json throughout.)
use strict;
use warnings;
use Test::More;
use lib 't/lib';
use V6Lab qw(code_is);

my @need = qw(check_pmtu check_aaaa_consistency check_dualstack_http);
for (@need) { plan skip_all => "plugins/$_ not built (run make)" unless -x "plugins/$_" }

my $lab = V6Lab->new(parts => [qw(web dns)]);
my $A   = V6Lab::ADDR;

# [plugin, args, fault or undef, exit code, a code that must be there]
my @cases = (
    [ 'check_pmtu', [ '-H', $A->{near6} ], undef, 0, 'path_mtu' ],
    [ 'check_pmtu', [ '-H', 'www.lab.test' ], 'pmtud-blackhole', 2, 'pmtud_blackhole' ],
    [ 'check_aaaa_consistency', [ '-H', 'www.lab.test' ], undef, 0, 'address_ok' ],
    [ 'check_aaaa_consistency', [ '-H', 'stale.lab.test', '-p', '443' ], undef, 2, 'stale_aaaa' ],
    [ 'check_dualstack_http', [ '-H', 'www.lab.test' ], undef, 0, 'fetch_ok' ],
    [ 'check_dualstack_http', [ '-H', 'www.lab.test' ], 'v6-addr-lost', 2, 'v6_broken' ],
);

for my $c (@cases) {
    my ($plugin, $args, $fault, $rc, $code) = @$c;
    my $what = "$plugin @$args" . ($fault ? " ($fault)" : '');
    $lab->on($fault) if $fault;
    my %p;
    for my $f (qw(nagios json icingaweb2)) {
        $lab->flush;
        $p{$f} = $lab->plugin($plugin, '-t', 8, '--output-format', $f, @$args, { timeout => 15 });
        is($p{$f}{rc}, $rc, "$what, $f: exit $rc");
        is($p{$f}{err}, '', "$what, $f: nothing on stderr");
    }
    $lab->off($fault) if $fault;
    V6Lab::plugin_contract_ok($p{nagios}, "$what, nagios");
    V6Lab::plugin_contract_ok($p{json}, "$what, json");
    my $j = $p{json}{json} // {};
    is($j->{label}, $p{nagios}{first} =~ /^(\S+)/ ? $1 : '', "$what: json label is the nagios label");
    is($j->{exit_code}, $rc, "$what: json exit_code");
    code_is($p{json}, $code, $rc == 0 ? 'OK' : 'CRITICAL', $what);
    ok(length($j->{summary} // '') > 0 && length($j->{summary}) <= 200, "$what: json summary within 200 bytes");
    for my $pd (@{ $j->{perfdata} // [] }) {
        ok(exists $pd->{$_}, "$what: perfdata $pd->{label} has $_") for qw(label value uom warn crit min max);
    }
    my %nperf = %{ $p{nagios}{perf} };
    for my $l (sort keys %nperf) {
        my ($jp) = grep { $_->{label} eq $l } @{ $j->{perfdata} // [] };
        ok($jp && defined $jp->{value}, "$what: perfdata $l in json too");
    }
    # The same findings in the same order in the three forms.
    my @nlong = map { /^\[([A-Z]+)\] / ? $1 : () } @{ $p{nagios}{long} };
    my @tree  = map { /^\\_ \[([A-Z]+)\] / ? $1 : () } split /\n/, $p{icingaweb2}{out};
    my @jst   = map { $_->{state} } @{ $j->{checks} // [] };
    is_deeply(\@jst, \@nlong, "$what: json checks match the long output");
    is_deeply(\@tree, \@nlong, "$what: icingaweb2 tree matches the long output");
    like($p{icingaweb2}{out}, qr/\A\[(OK|WARNING|CRITICAL|UNKNOWN)\] \S+ - /, "$what: icingaweb2 first line");
    like($p{icingaweb2}{out}, qr/\n\|\S+=/, "$what: icingaweb2 perfdata line") if %nperf;
}

done_testing();
