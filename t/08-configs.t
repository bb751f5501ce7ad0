#!/usr/bin/perl
# The engines' configuration is generated from the plugins' own option
# tables (contrib/gen-configs, make configs): the committed files must be
# what the tables give now, and Icinga 2 and Nagios 4 must accept them
# beside the ITL and Debian's own command definitions (no collision, no
# redefinition of PluginDir).
use strict;
use warnings;
use Test::More;
use File::Temp qw(tempdir);

my @plugins = grep { !/\.[a-z]+$/ && -x && -f } glob 'plugins/check_*';
plan skip_all => 'no plugin built (run make)' unless @plugins;
my $tmp = tempdir(CLEANUP => 1);
chmod 0755, $tmp;    # the engines read it as their own user

sub slurp { local $/; open my $f, '<', $_[0] or return ''; return <$f> }

is(system('contrib/gen-configs', $tmp), 0, 'gen-configs runs');
for my $f (qw(icinga2/v6ops-plugins.conf nagios/v6ops-commands.cfg)) {
    ok(slurp("contrib/$f") eq slurp("$tmp/$f"), "contrib/$f is what the option tables give (run: make configs)")
        or diag(`diff -u contrib/$f $tmp/$f | head -40`);
}
my $conf = slurp('contrib/icinga2/v6ops-plugins.conf');
for my $bin (@plugins) {
    (my $name = $bin) =~ s{.*/check_}{};
    my @longs = `$bin --help` =~ /^\s+(?:-\w, )?--([a-z0-9-]+)/mg;
    for my $l (grep { !/^(help|version|verbose)$/ } @longs) {
        (my $v = $l) =~ tr/-/_/;
        like($conf, qr/\$v6ops_\Q${name}_$v\E\$/, "icinga2: check_$name --$l has vars.v6ops_${name}_$v");
    }
}
unlike($conf, qr/(?<![A-Za-z0-9_])PluginDir\s*=/, 'icinga2: PluginDir is left alone');

SKIP: {
    skip 'icinga2 not installed', 4 unless -x '/usr/sbin/icinga2';
    my @svc = map { (my $n = $_) =~ s{.*/check_}{}; "object Service \"$n\" { host_name = \"h\"; check_command = \"v6ops_$n\" }\n" } @plugins;
    for my $case ([ 'default directory', '' ], [ 'V6opsPluginDir set first', "const V6opsPluginDir = \"/opt/v6ops\"\n" ]) {
        open my $c, '>', "$tmp/icinga2.conf" or die;
        print $c qq{const PluginDir = "/usr/lib/nagios/plugins"\nconst PluginContribDir = "/usr/lib/nagios/plugins"\n},
            qq{const ManubulonPluginDir = "/usr/lib/nagios/plugins"\nconst NodeName = "ci.lab"\nconst ZoneName = "ci.lab"\nconst TicketSalt = ""\n},
            $case->[1], qq{include <itl>\ninclude <plugins>\ninclude <plugins-contrib>\n},
            qq{include "$ENV{PWD}/contrib/icinga2/v6ops-plugins.conf"\n},
            qq{object Host "h" { address = "203.0.113.80"; address6 = "2001:db8:c::80"; check_command = "dummy" }\n},
            qq{object Service "itl-ping" { host_name = "h"; check_command = "ping6" }\n}, @svc;
        close $c;
        my $out = `icinga2 daemon -C -c $tmp/icinga2.conf 2>&1`;
        is($?, 0, "icinga2 daemon -C accepts it with the ITL ($case->[0])") or diag($out);
        unlike($out, qr/warning\//, "icinga2: no warnings ($case->[0])") or diag($out);
    }
}

SKIP: {
    skip 'nagios4 not installed', 2 unless -x '/usr/sbin/nagios4';
    my $d = "$tmp/nagios";
    mkdir $d;
    system("chown", "nagios:nagios", $d) if getpwnam("nagios");
    open my $c, '>', "$d/nagios.cfg" or die;
    print $c "log_file=$d/nagios.log\nstatus_file=$d/status.dat\ntemp_file=$d/tmp\nlock_file=$d/lock\n",
        "command_file=$d/cmd\ncheck_result_path=$d\nstate_retention_file=$d/ret\nobject_cache_file=$d/objects.cache\n",
        "precached_object_file=$d/objects.precache\nresource_file=$d/resource.cfg\nnagios_user=nagios\nnagios_group=nagios\n",
        "illegal_macro_output_chars=`~\$&|'\"<>\n";
    # Debian's own definitions; ours come from contrib (an installed package's copy aside).
    print $c "cfg_file=$_\n" for grep { !m{/v6ops\.cfg$} } glob '/etc/nagios-plugins/config/*.cfg';
    print $c "cfg_file=$ENV{PWD}/contrib/nagios/v6ops-commands.cfg\ncfg_file=$d/objects.cfg\n";
    close $c;
    open my $r, '>', "$d/resource.cfg" or die;
    print $r "\$USER1\$=/usr/lib/nagios/plugins\n";
    close $r;
    open my $o, '>', "$d/objects.cfg" or die;
    print $o "define timeperiod {\n timeperiod_name always\n alias always\n monday 00:00-24:00\n}\n",
        "define contact {\n contact_name ci\n host_notifications_enabled 0\n service_notifications_enabled 0\n",
        " host_notification_period always\n service_notification_period always\n host_notification_options n\n",
        " service_notification_options n\n host_notification_commands check-host-alive\n service_notification_commands check-host-alive\n}\n",
        "define host {\n host_name h\n address 203.0.113.80\n _ADDRESS6 2001:db8:c::80\n max_check_attempts 1\n",
        " check_period always\n contacts ci\n notification_period always\n}\n";
    my $cfg = slurp('contrib/nagios/v6ops-commands.cfg');
    for my $cmd ($cfg =~ /command_name\s+(\S+)/g) {
        print $o "define service {\n host_name h\n service_description $cmd\n check_command $cmd!-t 5\n",
            " max_check_attempts 1\n check_interval 5\n retry_interval 1\n check_period always\n",
            " contacts ci\n notification_period always\n}\n";
    }
    close $o;
    my $out = `nagios4 -v $d/nagios.cfg 2>&1`;
    is($?, 0, 'nagios4 -v accepts the commands beside Debian\'s own') or diag($out);
    like($out, qr/Total Errors:\s+0/, 'nagios4: no errors');
}
done_testing();
