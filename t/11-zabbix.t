#!/usr/bin/perl
# Zabbix: the template is what gen-template writes and has the fields a
# 6.0 import requires, every dependent item and trigger points at an item
# of the template; the wrapper passes a -t that fits the item's timeout
# and returns only the first line in text mode; zabbix_agentd -t runs the
# UserParameters against the lab.
use strict;
use warnings;
use Test::More;
use File::Temp qw(tempdir);
use JSON::PP ();
use Time::HiRes qw(time);
use lib 't/lib';
use V6Lab;

plan skip_all => 'python3-yaml not installed' unless system('/usr/bin/python3 -c "import yaml" 2>/dev/null') == 0;
my $tmp = tempdir(CLEANUP => 1);
chmod 0755, $tmp;
sub slurp { local $/; open my $f, '<', $_[0] or return ''; return <$f> }

is(system('contrib/zabbix/gen-template', "$tmp/t.yaml"), 0, 'gen-template runs');
ok(slurp('contrib/zabbix/v6ops-template.yaml') eq slurp("$tmp/t.yaml"),
   'the committed template is what gen-template writes');
my $json = `/usr/bin/python3 -c 'import json,sys,yaml; json.dump(yaml.safe_load(open(sys.argv[1])), sys.stdout)' contrib/zabbix/v6ops-template.yaml`;
my $d = eval { JSON::PP->new->decode($json) };
ok($d, 'the template is YAML') or BAIL_OUT('no template');
my $x = $d->{zabbix_export};
is($x->{version}, '6.0', 'export version 6.0');
my $uuid = qr/^[0-9a-f]{12}4[0-9a-f]{3}[89ab][0-9a-f]{15}$/;
my %seen;
for my $g (@{ $x->{groups} }) {
    like($g->{uuid}, $uuid, "group $g->{name}: uuid v4");
    ok($g->{name}, 'group has a name');
}
my ($t) = @{ $x->{templates} };
for my $k (qw(uuid template name groups items)) { ok(exists $t->{$k}, "template has $k") }
my %key = map { $_->{key} => $_ } @{ $t->{items} };
my %types = map { $_ => 1 } qw(EXTERNAL ZABBIX_ACTIVE ZABBIX_PASSIVE DEPENDENT);
for my $i (@{ $t->{items} }) {
    my $n = $i->{name} // '?';
    like($i->{uuid}, $uuid, "$n: uuid v4");
    ok(!$seen{ $i->{uuid} }++, "$n: uuid unique");
    ok($types{ $i->{type} // '' }, "$n: a known type");
    ok(length($i->{key} // ''), "$n: a key");
    if (($i->{type} // '') eq 'DEPENDENT') {
        ok($key{ $i->{master_item}{key} // '' }, "$n: its master item is in the template");
        is($i->{preprocessing}[0]{type}, 'JSONPATH', "$n: JSONPath preprocessing");
    }
}
my $plugins_with_items = grep { /^v6ops check_/ } map { $_->{name} } @{ $t->{items} };
is($plugins_with_items, 6, 'an item for each of the six plugins');
for my $tr (@{ $x->{triggers} }) {
    like($tr->{uuid}, $uuid, "trigger $tr->{name}: uuid v4");
    ok(!$seen{ $tr->{uuid} }++, "trigger $tr->{name}: uuid unique");
    my @refs = $tr->{expression} =~ m{/v6ops-plugins/([^)]+)\)}g;
    ok(@refs && !grep({ !$key{$_} } @refs), "trigger $tr->{name}: refers to the template's items");
}

# The wrapper, with the plugins of this tree.
my $lab = V6Lab->new(parts => [qw(web dns)]);
my $A = V6Lab::ADDR;
my %env = (V6OPS_PLUGINDIR => "$ENV{PWD}/plugins");
my $t0 = time;
my $r = $lab->run('mon', [ 'contrib/zabbix/v6ops-zabbix', 'text', '2', 'check_pmtu', '-H', $A->{dead6} ], env => \%env, timeout => 10);
my $secs = time - $t0;
cmp_ok($secs, '<', 2, sprintf('text, item timeout 2: the plugin ends first (%.2f s)', $secs));
like($r->{out}, qr/\APMTU (UNKNOWN|CRITICAL) - [^|\n]*\n\z/, 'text: the first line alone, no perfdata');
like($r->{out}, qr/1\.5 s|no echo/, 'text: the plugin ran with -t 1.5') or diag($r->{out});
$r = $lab->run('mon', [ 'contrib/zabbix/v6ops-zabbix', 'status', '3', 'check_pmtu', '-H', $A->{near6} ], env => \%env, timeout => 10);
is($r->{out}, "0\n", 'status: the exit code');
$r = $lab->run('mon', [ 'contrib/zabbix/v6ops-zabbix', 'json', '3', 'check_pmtu', '-H', $A->{near6} ], env => \%env, timeout => 10);
my $j = eval { JSON::PP->new->decode($r->{out}) };
ok($j && $j->{exit_code} == 0 && grep({ $_->{label} eq 'pmtu_v6' } @{ $j->{perfdata} }), 'json: the result with pmtu_v6')
    or diag($r->{out});
$r = $lab->run('mon', [ 'contrib/zabbix/v6ops-zabbix', 'text', 'x', 'check_pmtu' ], env => \%env, timeout => 10);
like($r->{out}, qr/^usage:/, 'a bad timeout: usage');

SKIP: {
    skip 'zabbix_agentd not installed', 2 unless -x '/usr/sbin/zabbix_agentd';
    my $up = slurp('contrib/zabbix/v6ops-userparameters.conf');
    $up =~ s{/usr/local/bin/v6ops-zabbix}{V6OPS_PLUGINDIR=$ENV{PWD}/plugins $ENV{PWD}/contrib/zabbix/v6ops-zabbix}g;
    open my $c, '>', "$tmp/agent.conf" or die;
    print $c "LogType=console\nPidFile=$tmp/agent.pid\nAllowRoot=1\nTimeout=5\nUnsafeUserParameters=1\n$up";
    close $c;
    for my $case ([ 'mon', "v6ops.pmtu[$A->{near6}]", 'check_pmtu', 0 ]) {
        my ($node, $k, $p, $rc) = @$case;
        my $o = $lab->run($node, [ 'zabbix_agentd', '-c', "$tmp/agent.conf", '-t', $k ], timeout => 15);
        my ($val) = $o->{out} =~ /\[t\|(.*)\]\s*\z/s;
        my $jj = eval { JSON::PP->new->decode($val // '') };
        ok($jj, "zabbix_agentd -t $k: JSON") or diag($o->{out} . $o->{err});
        is($jj && $jj->{exit_code}, $rc, "zabbix_agentd -t $k: exit_code $rc");
    }
}
done_testing();
