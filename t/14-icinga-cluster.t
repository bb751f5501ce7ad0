#!/usr/bin/perl
# Distributed Icinga 2, as users scale past one machine: a master in the
# lab's monitoring node, an agent on the RA LAN and one behind the lab's
# gateway (namespaces joined by links of their own), the real TLS cluster
# (a CA, a certificate per endpoint, ApiListener on 5665). The master runs
# the network check itself and sends the host-local checks
# (check_rogue_ra on the first agent's link, check_default_route_liveness
# on the second agent's routes) through command_endpoint; every result
# reaches the master, which records it.
use strict;
use warnings;
use Test::More;
use File::Temp qw(tempdir);
use POSIX ();
use Time::HiRes qw(sleep time);
use lib 't/lib';
use V6Lab;

plan skip_all => 'not in the sanitizer pass' if $ENV{SANITIZE};
plan skip_all => 'needs root' if $> != 0;
plan skip_all => 'icinga2 not installed' unless -x '/usr/sbin/icinga2';
plan skip_all => 'no nagios user' unless getpwnam 'nagios';
for (qw(check_rogue_ra check_dualstack_http check_default_route_liveness)) { plan skip_all => "$_ not built" unless -x "plugins/$_" }

my $lab = V6Lab->new(parts => [qw(web dns ra gw)]);
my $id = $lab->id;
my $tmp = tempdir(CLEANUP => 1);
chmod 0755, $tmp;
my $out = `make -s install DESTDIR=$tmp/inst 2>&1`;
is($?, 0, 'make install into a private root') or diag($out);
my $pd = "$tmp/inst/usr/local/lib/nagios/plugins";
system("chmod -R a+rX $tmp/inst");

# The cluster's own links between the master (mon) and its agents: one on
# the RA LAN (ramon), one behind the lab's gateway (gwhost).
my @ip = ('ip', '-n', "$id-mon");
my %agent_ip = (agent => 'fd6c:6f70::2', agent2 => 'fd6c:6f71::2');
for my $l ([ 'cl0', 'ramon', 'fd6c:6f70' ], [ 'cl1', 'gwhost', 'fd6c:6f71' ]) {
    my ($dev, $node, $net) = @$l;
    is(system(@ip, 'link', 'add', $dev, 'type', 'veth', 'peer', 'name', $dev, 'netns', "$id-$node"), 0,
       "a link between master and $node");
    system(@ip, 'addr', 'add', "$net\::1/64", 'dev', $dev, 'nodad');
    system(@ip, 'link', 'set', $dev, 'up');
    system('ip', '-n', "$id-$node", 'addr', 'add', "$net\::2/64", 'dev', $dev, 'nodad');
    system('ip', '-n', "$id-$node", 'link', 'set', $dev, 'up');
}

# The PKI: one CA, one certificate per endpoint, CN = endpoint name.
my $pki = "$tmp/pki";
mkdir $pki;
my $ssl = "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -keyout $pki/ca.key -out $pki/ca.crt -subj /CN=v6ops-lab-ca 2>&1";
`$ssl`;
for my $n (qw(master agent agent2)) {
    `openssl req -newkey rsa:2048 -nodes -keyout $pki/$n.key -out $pki/$n.csr -subj /CN=$n 2>&1`;
    `openssl x509 -req -in $pki/$n.csr -CA $pki/ca.crt -CAkey $pki/ca.key -CAcreateserial -days 2 -out $pki/$n.crt 2>&1`;
    ok(-s "$pki/$n.crt", "certificate for $n");
}

my $zones = <<'Z';
object Endpoint "master" { }
object Endpoint "agent" { host = "fd6c:6f70::2" }
object Endpoint "agent2" { host = "fd6c:6f71::2" }
object Zone "master" { endpoints = [ "master" ] }
object Zone "agent" { endpoints = [ "agent" ]; parent = "master" }
object Zone "agent2" { endpoints = [ "agent2" ]; parent = "master" }
Z

sub node_dir {
    my ($n, $conf) = @_;
    my $d = "$tmp/$n";
    mkdir $d;
    mkdir "$d/$_" for qw(run var var/cache var/cache/icinga2 var/lib var/lib/icinga2 var/lib/icinga2/certs
                         var/log var/log/icinga2 var/spool var/spool/icinga2 var/spool/icinga2/tmp perf);
    system('cp', "$pki/$n.crt", "$pki/$n.key", "$pki/ca.crt", "$d/var/lib/icinga2/certs/");
    open my $c, '>', "$d/icinga2.conf" or die;
    print $c qq{const PluginDir = "/usr/lib/nagios/plugins"\nconst NodeName = "$n"\nconst ZoneName = "$n"\n},
        qq{const TicketSalt = ""\nconst V6opsPluginDir = "$pd"\ninclude <itl>\n},
        qq{include "$ENV{PWD}/contrib/icinga2/v6ops-plugins.conf"\n}, $zones, $conf;
    close $c;
    system("chown -R nagios:nagios $d");
    return $d;
}

my $md = node_dir('master', <<"M");
object ApiListener "api" { }
object CheckerComponent "checker" { }
object PerfdataWriter "perf" {
	service_perfdata_path = "$tmp/master/perf/service"
	service_format_template = "\$service.name\$\\t\$service.state_id\$\\t\$service.output\$\\t\$service.perfdata\$"
	rotation_interval = 1s
}
object Host "agent" { address6 = "fd6c:6f70::2"; check_command = "dummy"; zone = "master" }
object Service "rogue-ra" {
	host_name = "agent"
	zone = "master"
	check_command = "v6ops_rogue_ra"
	command_endpoint = "agent"
	vars.v6ops_rogue_ra_interface = "lan0"
	vars.v6ops_rogue_ra_router = [ "fe80::1\@02:00:00:00:00:01" ]
	vars.v6ops_rogue_ra_prefix = [ "2001:db8:1a::/64" ]
	check_interval = 2s
	retry_interval = 2s
}
object Host "agent2" { address6 = "fd6c:6f71::2"; check_command = "dummy"; zone = "master" }
object Service "default-route" {
	host_name = "agent2"
	zone = "master"
	check_command = "v6ops_default_route_liveness"
	command_endpoint = "agent2"
	vars.v6ops_default_route_liveness_hostname = [ "2001:db8:48::10", "203.0.113.250" ]
	check_interval = 2s
	retry_interval = 2s
}
object Host "www" { check_command = "dummy"; zone = "master" }
object Service "dualstack" {
	host_name = "www"
	zone = "master"
	check_command = "v6ops_dualstack_http"
	vars.v6ops_dualstack_http_hostname = "www.lab.test"
	check_interval = 2s
	retry_interval = 2s
}
M
my $ad = node_dir('agent', <<'A');
object ApiListener "api" { bind_host = "fd6c:6f70::2"; accept_commands = true; accept_config = true }
A
my $ad2 = node_dir('agent2', <<'A');
object ApiListener "api" { bind_host = "fd6c:6f71::2"; accept_commands = true; accept_config = true }
A

sub start_in {
    my ($node, $d) = @_;
    my $pid = fork // die;
    if ($pid == 0) {
        POSIX::setsid();
        open STDOUT, '>', "$d/daemon.log";
        open STDERR, '>&', \*STDOUT;
        { no warnings 'exec';
          exec 'ip', 'netns', 'exec', "$id-$node", 'env', 'ICINGA2_USER=nagios', 'ICINGA2_GROUP=nagios',
              'icinga2', 'daemon', '-c', "$d/icinga2.conf", "-DConfiguration.PidPath=$d/run/icinga2.pid",
              "-DConfiguration.InitRunDir=$d/run", "-DConfiguration.LocalStateDir=$d/var"; }
        POSIX::_exit(127);
    }
    return $pid;
}
my @pids = (start_in('ramon', $ad), start_in('gwhost', $ad2), start_in('mon', $md));

my %seen;
my $t0 = time;
while (time - $t0 < 60 && keys %seen < 3) {
    my $all = join '', map { local $/; open my $fh, '<', $_ or return ''; <$fh> } glob "$md/perf/service*";
    while ($all =~ /^([\w-]+)\t(\d)\t(.*?)\t([^\t\n]*)$/msg) { $seen{$1} = [ $2, $3, $4 ] }
    sleep 0.5;
}
for my $pid (@pids) { kill 'TERM', -$pid }
sleep 0.5;
for my $pid (@pids) { kill 'KILL', -$pid; waitpid $pid, 0 }

my $r = $seen{'rogue-ra'};
ok($r, 'the master received the agent\'s check_rogue_ra result')
    or diag(`tail -n 15 $md/daemon.log; tail -n 15 $ad/daemon.log`);
is($r && $r->[0], 0, 'rogue-ra: OK (the allowed router, the allowed prefix)');
like($r ? $r->[1] : '', qr/^ROGUE_RA OK - /, 'rogue-ra: the plugin\'s first line');
like($r ? $r->[2] : '', qr/\brouters=1\b/, 'rogue-ra: perfdata routers=1, seen on the agent\'s link');
my $g = $seen{'default-route'};
ok($g, 'the master received the second agent\'s check_default_route_liveness result')
    or diag(`tail -n 15 $ad2/daemon.log`);
is($g && $g->[0], 0, 'default-route: OK behind the lab\'s gateway');
like($g ? $g->[2] : '', qr/\bdefault_routes_v6=1\b/, 'default-route: perfdata from the agent\'s own routing table');
my $d = $seen{dualstack};
ok($d, 'the master ran its own check');
is($d && $d->[0], 0, 'dualstack: OK');
like($d ? $d->[1] : '', qr/^DUALSTACK_HTTP OK - www\.lab\.test/, 'dualstack: first line');
done_testing();
