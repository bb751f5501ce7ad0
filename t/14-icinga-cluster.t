#!/usr/bin/perl
# Distributed Icinga 2, as users scale past one machine: a master in the
# lab's monitoring node and an agent on the RA LAN (two namespaces joined
# by a link of their own), the real TLS cluster (a CA, a certificate per
# endpoint, ApiListener on 5665). The master runs the network check
# itself and sends the host-local check (check_rogue_ra on the agent's
# link) to the agent through command_endpoint; every result reaches the
# master, which records it.
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
for (qw(check_rogue_ra check_dualstack_http)) { plan skip_all => "$_ not built" unless -x "plugins/$_" }

my $lab = V6Lab->new(parts => [qw(web dns ra)]);
my $id = $lab->id;
my $tmp = tempdir(CLEANUP => 1);
chmod 0755, $tmp;
my $out = `make -s install DESTDIR=$tmp/inst 2>&1`;
is($?, 0, 'make install into a private root') or diag($out);
my $pd = "$tmp/inst/usr/local/lib/nagios/plugins";
system("chmod -R a+rX $tmp/inst");

# The cluster's own link between master (mon) and agent (ramon).
my @ip = ('ip', '-n', "$id-mon");
is(system(@ip, 'link', 'add', 'cl0', 'type', 'veth', 'peer', 'name', 'cl0', 'netns', "$id-ramon"), 0, 'a link between master and agent');
system(@ip, 'addr', 'add', 'fd6c:6f70::1/64', 'dev', 'cl0', 'nodad');
system(@ip, 'link', 'set', 'cl0', 'up');
system('ip', '-n', "$id-ramon", 'addr', 'add', 'fd6c:6f70::2/64', 'dev', 'cl0', 'nodad');
system('ip', '-n', "$id-ramon", 'link', 'set', 'cl0', 'up');

# The PKI: one CA, one certificate per endpoint, CN = endpoint name.
my $pki = "$tmp/pki";
mkdir $pki;
my $ssl = "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -keyout $pki/ca.key -out $pki/ca.crt -subj /CN=v6ops-lab-ca 2>&1";
`$ssl`;
for my $n (qw(master agent)) {
    `openssl req -newkey rsa:2048 -nodes -keyout $pki/$n.key -out $pki/$n.csr -subj /CN=$n 2>&1`;
    `openssl x509 -req -in $pki/$n.csr -CA $pki/ca.crt -CAkey $pki/ca.key -CAcreateserial -days 2 -out $pki/$n.crt 2>&1`;
    ok(-s "$pki/$n.crt", "certificate for $n");
}

my $zones = <<'Z';
object Endpoint "master" { host = "fd6c:6f70::1" }
object Endpoint "agent" { host = "fd6c:6f70::2" }
object Zone "master" { endpoints = [ "master" ] }
object Zone "agent" { endpoints = [ "agent" ]; parent = "master" }
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
object ApiListener "api" { bind_host = "fd6c:6f70::1" }
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
my @pids = (start_in('ramon', $ad), start_in('mon', $md));

my %seen;
my $t0 = time;
while (time - $t0 < 60 && keys %seen < 2) {
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
my $d = $seen{dualstack};
ok($d, 'the master ran its own check');
is($d && $d->[0], 0, 'dualstack: OK');
like($d ? $d->[1] : '', qr/^DUALSTACK_HTTP OK - www\.lab\.test/, 'dualstack: first line');
done_testing();
