#!/usr/bin/perl
# Real engines: Icinga 2 and Nagios 4 run on private configurations made
# from the generated files (contrib/icinga2, contrib/nagios), inside the
# lab's monitoring node, and schedule the installed plugins (make install,
# file capabilities included) as the unprivileged nagios user. The states,
# outputs and perfdata they record are asserted. Ping sockets stay closed,
# so check_pmtu works through its file capability.
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
plan skip_all => 'no nagios user' unless getpwnam 'nagios';
my $lab = V6Lab->new(parts => [qw(web dns)]);
my $A = V6Lab::ADDR;
my $tmp = tempdir(CLEANUP => 1);
chmod 0755, $tmp;
my $inst = "$tmp/inst";
my $out = `make -s install DESTDIR=$inst 2>&1`;
is($?, 0, 'make install into a private root') or diag($out);
my $pd = "$inst/usr/local/lib/nagios/plugins";
system("chmod -R a+rX $inst");
like(`getcap $pd/check_pmtu`, qr/cap_net_raw/, 'check_pmtu carries cap_net_raw');
$lab->run('mon', [qw(sysctl -q -w), 'net.ipv4.ping_group_range=1 0'], timeout => 5);

# What each engine must record: [service, state, output pattern, perf label].
my @expect = (
    [ 'pmtu', 0, qr/^PMTU OK - IPv6 path MTU 1280/, 'pmtu_v6' ],
    [ 'dualstack', 0, qr/^DUALSTACK_HTTP OK - www\.lab\.test/, 'time_v6' ],
    [ 'stale', 2, qr/^AAAA_CONSISTENCY CRITICAL - .*stale AAAA 2001:db8:c::99/, 'aaaa_dead' ],
);

sub wait_for {
    my ($what, $secs, $sub) = @_;
    my $t0 = time;
    while (time - $t0 < $secs) {
        my $r = $sub->();
        return $r if $r;
        sleep 0.5;
    }
    return undef;
}

sub start_in_mon {
    my @cmd = @_;
    my $pid = fork // die;
    if ($pid == 0) {
        POSIX::setsid();
        open STDOUT, '>', "$tmp/engine.log";
        open STDERR, '>&', \*STDOUT;
        { no warnings 'exec'; exec 'ip', 'netns', 'exec', $lab->id . '-mon', @cmd; }
        POSIX::_exit(127);
    }
    return $pid;
}

sub stop {
    my ($pid) = @_;
    kill 'TERM', -$pid;
    sleep 0.5;
    kill 'KILL', -$pid;
    waitpid $pid, 0;
}

# --- Icinga 2 -------------------------------------------------------------------
SKIP: {
    skip 'icinga2 not installed', 4 * @expect unless -x '/usr/sbin/icinga2';
    my $d = "$tmp/icinga2";
    mkdir $d;
    mkdir "$d/$_" for qw(run var var/cache var/cache/icinga2 var/lib var/lib/icinga2 var/log var/log/icinga2
                         var/spool var/spool/icinga2 var/spool/icinga2/tmp perf);
    open my $c, '>', "$d/icinga2.conf" or die;
    print $c <<"CONF";
const PluginDir = "/usr/lib/nagios/plugins"
const NodeName = "mon.lab.test"
const ZoneName = "mon.lab.test"
const TicketSalt = ""
const V6opsPluginDir = "$pd"
include <itl>
include "$ENV{PWD}/contrib/icinga2/v6ops-plugins.conf"
object CheckerComponent "checker" { }
object PerfdataWriter "perf" {
	service_perfdata_path = "$d/perf/service"
	service_format_template = "\$service.name\$\\t\$service.state_id\$\\t\$service.output\$\\t\$service.perfdata\$"
	rotation_interval = 1s
}
object Host "srv" {
	address = "$A->{srv4}"
	address6 = "$A->{srv6}"
	check_command = "dummy"
}
object Service "pmtu" {
	host_name = "srv"
	check_command = "v6ops_pmtu"
	vars.check_ipv6 = true
	check_interval = 2s
	retry_interval = 2s
}
object Service "dualstack" {
	host_name = "srv"
	check_command = "v6ops_dualstack_http"
	vars.v6ops_dualstack_http_hostname = "www.lab.test"
	check_interval = 2s
	retry_interval = 2s
}
object Service "stale" {
	host_name = "srv"
	check_command = "v6ops_aaaa_consistency"
	vars.v6ops_aaaa_consistency_hostname = [ "stale.lab.test" ]
	vars.v6ops_aaaa_consistency_port = "443"
	check_interval = 2s
	retry_interval = 2s
}
CONF
    close $c;
    system("chown -R nagios:nagios $d");
    my $pid = start_in_mon('env', 'ICINGA2_USER=nagios', 'ICINGA2_GROUP=nagios', 'icinga2', 'daemon',
        '-c', "$d/icinga2.conf", "-DConfiguration.PidPath=$d/run/icinga2.pid",
        "-DConfiguration.InitRunDir=$d/run", "-DConfiguration.LocalStateDir=$d/var");
    my %seen;
    wait_for('icinga2 results', 40, sub {
        # One record a check: name, state, output (long output included,
        # so it spans lines), perfdata.
        my $all = join '', map { local $/; open my $fh, '<', $_ or return ''; <$fh> } glob "$d/perf/service*";
        while ($all =~ /^(\w+)\t(\d)\t(.*?)\t([^\t\n]*)$/msg) {
            $seen{$1} = [ $2, $3, $4 ];
        }
        return keys(%seen) == @expect;
    });
    stop($pid);
    for my $e (@expect) {
        my ($svc, $st, $re, $label) = @$e;
        my $got = $seen{$svc};
        ok($got, "icinga2 ran $svc") or do { diag(`tail -n 20 $tmp/engine.log`); next };
        is($got->[0], $st, "icinga2 $svc: state $st");
        like($got->[1], $re, "icinga2 $svc: output");
        like($got->[2], qr/\b\Q$label\E=/, "icinga2 $svc: perfdata $label") or diag(`cat $d/perf/service*`);
    }
}

# --- Nagios 4 -------------------------------------------------------------------
SKIP: {
    skip 'nagios4 not installed', 4 * @expect unless -x '/usr/sbin/nagios4';
    my $d = "$tmp/nagios";
    mkdir $d;
    open my $c, '>', "$d/nagios.cfg" or die;
    print $c "log_file=$d/nagios.log\nstatus_file=$d/status.dat\nstatus_update_interval=1\ntemp_file=$d/tmp\n",
        "lock_file=$d/lock\ncommand_file=$d/cmd\ncheck_result_path=$d\nstate_retention_file=$d/ret\n",
        "retain_state_information=0\nobject_cache_file=$d/objects.cache\nprecached_object_file=$d/objects.precache\n",
        "resource_file=$d/resource.cfg\nnagios_user=nagios\nnagios_group=nagios\ninterval_length=1\n",
        "service_inter_check_delay_method=n\nhost_inter_check_delay_method=n\ncheck_result_reaper_frequency=1\n",
        "cfg_file=$ENV{PWD}/contrib/nagios/v6ops-commands.cfg\ncfg_file=$d/objects.cfg\n";
    close $c;
    open my $r, '>', "$d/resource.cfg" or die;
    print $r "\$USER1\$=$pd\n";
    close $r;
    open my $o, '>', "$d/objects.cfg" or die;
    print $o "define timeperiod {\n timeperiod_name always\n alias always\n",
        map({ " $_ 00:00-24:00\n" } qw(monday tuesday wednesday thursday friday saturday sunday)), "}\n",
        "define command {\n command_name true\n command_line /bin/true\n}\n",
        "define contact {\n contact_name ci\n host_notifications_enabled 0\n service_notifications_enabled 0\n",
        " host_notification_period always\n service_notification_period always\n host_notification_options n\n",
        " service_notification_options n\n host_notification_commands true\n service_notification_commands true\n}\n",
        "define host {\n host_name srv\n address $A->{srv4}\n _ADDRESS6 $A->{srv6}\n max_check_attempts 1\n",
        " check_period always\n contacts ci\n notification_period always\n}\n";
    # A host whose address is a DNS name: both families of the name.
    for my $h ('www.lab.test', 'stale.lab.test') {
        print $o "define host {\n host_name $h\n address $h\n max_check_attempts 1\n",
            " check_period always\n contacts ci\n notification_period always\n}\n";
    }
    my %cmd = (pmtu => 'v6ops_pmtu_ipv6', dualstack => 'v6ops_dualstack_http', stale => 'v6ops_aaaa_consistency!-p 443');
    my %host = (pmtu => 'srv', dualstack => 'www.lab.test', stale => 'stale.lab.test');
    for my $svc (sort keys %cmd) {
        print $o "define service {\n host_name $host{$svc}\n service_description $svc\n check_command $cmd{$svc}\n",
            " max_check_attempts 1\n check_interval 2\n retry_interval 2\n check_period always\n",
            " contacts ci\n notification_period always\n}\n";
    }
    close $o;
    system("chown -R nagios:nagios $d");
    my $pid = start_in_mon('nagios4', "$d/nagios.cfg");
    my %st;
    wait_for('nagios results', 40, sub {
        open my $fh, '<', "$d/status.dat" or return 0;
        local $/ = "}\n";
        %st = ();
        while (my $b = <$fh>) {
            next unless $b =~ /^servicestatus \{/m;
            my %f = $b =~ /^\s*(\w+)=(.*)$/mg;
            $st{ $f{service_description} } = \%f if $f{has_been_checked};
        }
        return keys(%st) == @expect;
    });
    stop($pid);
    for my $e (@expect) {
        my ($svc, $state, $re, $label) = @$e;
        my $got = $st{$svc};
        ok($got, "nagios4 ran $svc") or do { diag(`tail -n 20 $tmp/engine.log; tail -n 20 $d/nagios.log`); next };
        is($got->{current_state}, $state, "nagios4 $svc: state $state");
        like($got->{plugin_output}, $re, "nagios4 $svc: output");
        like($got->{performance_data}, qr/\b\Q$label\E=/, "nagios4 $svc: perfdata $label");
    }
}
done_testing();
