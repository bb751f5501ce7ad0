#!/usr/bin/perl
# The Debian package: dpkg-buildpackage -us -uc -b builds it from this
# tree; installed, the plugins are in /usr/lib/nagios/plugins with
# cap_net_raw on the raw-socket ones (postinst, never setuid), the Nagios
# commands in /etc/nagios-plugins/config, the Icinga 2 and Zabbix files in
# /usr/share/v6ops-plugins; a plugin runs as the nagios user in the lab;
# purged, nothing is left. Skipped in the sanitizer pass (the package is
# built with Debian's flags, not ours).
use strict;
use warnings;
use Test::More;
use File::Temp qw(tempdir);
use lib 't/lib';
use V6Lab;

plan skip_all => 'not in the sanitizer pass' if $ENV{SANITIZE};
plan skip_all => 'needs root' if $> != 0;
plan skip_all => 'dpkg-buildpackage or debhelper missing' unless -x '/usr/bin/dpkg-buildpackage' && -x '/usr/bin/dh';
plan skip_all => 'not a git checkout' unless -d '.git';
plan skip_all => 'v6ops-plugins is installed from elsewhere' if `dpkg-query -W -f='\${Status}' v6ops-plugins 2>/dev/null` =~ /installed/;

my $tmp = tempdir(CLEANUP => 1);
system("git ls-files -z | xargs -0 cp --parents -t $tmp/ 2>/dev/null") == 0 or die 'copy failed';
mkdir "$tmp/src";
system("cd $tmp && find . -mindepth 1 -maxdepth 1 ! -name src -exec mv {} src/ \\;") == 0 or die;
my $log = `cd $tmp/src && env -u SANITIZE -u MAKEFLAGS -u MFLAGS -u MAKELEVEL dpkg-buildpackage -us -uc -b 2>&1`;
is($?, 0, 'dpkg-buildpackage -us -uc -b') or diag(substr($log, -3000));
my ($deb) = glob "$tmp/v6ops-plugins_*_*.deb";
ok($deb, 'a .deb') or BAIL_OUT('no package');
my @files = map { (split ' ')[5] } split /\n/, `dpkg-deb -c $deb`;
my @plugins = map { s{.*/}{}r } grep { !/\.[a-z]+$/ && -x && -f } glob 'plugins/check_*';
for my $p (@plugins) {
    ok((grep { $_ eq "./usr/lib/nagios/plugins/$p" } @files), "$p in /usr/lib/nagios/plugins");
    ok((grep { $_ eq "./usr/share/man/man1/$p.1.gz" } @files), "$p: man page");
}
for my $f (qw(./etc/nagios-plugins/config/v6ops.cfg ./usr/share/v6ops-plugins/icinga2/v6ops-plugins.conf
              ./usr/share/v6ops-plugins/zabbix/v6ops-template.yaml)) {
    ok((grep { $_ eq $f } @files), "$f packaged");
}

my $out = `dpkg -i $deb 2>&1`;
is($?, 0, 'dpkg -i') or diag($out);
like(`getcap /usr/lib/nagios/plugins/check_pmtu`, qr/cap_net_raw[=+]ep/, 'postinst: cap_net_raw+ep on check_pmtu');
ok(!(-u '/usr/lib/nagios/plugins/check_pmtu'), 'not setuid');
like(`cat /usr/share/v6ops-plugins/icinga2/v6ops-plugins.conf`, qr{globals\.V6opsPluginDir = "/usr/lib/nagios/plugins"},
     'Icinga 2: the package directory');

SKIP: {
    skip 'no nagios user', 3 unless getpwnam 'nagios';
    my $lab = V6Lab->new(parts => [qw(web dns)]);
    $lab->run('mon', [qw(sysctl -q -w), 'net.ipv4.ping_group_range=1 0'], timeout => 5);
    my $p = $lab->plugin('/usr/lib/nagios/plugins/check_pmtu', '-H', V6Lab::ADDR->{near6}, '--output-format', 'json',
                         { user => 'nagios', timeout => 15 });
    is($p->{rc}, 0, 'installed check_pmtu as nagios, ping sockets closed: OK (raw socket from the file capability)')
        or diag($p->{out});
    ok($p->{json} && grep({ $_->{code} eq 'path_mtu' } @{ $p->{json}{checks} }), 'and it found the path MTU');
    $p = $lab->plugin('/usr/lib/nagios/plugins/check_aaaa_consistency', '-H', 'www.lab.test', { user => 'nagios', timeout => 15 });
    is($p->{rc}, 0, 'installed check_aaaa_consistency as nagios: OK') or diag($p->{out});
}
$out = `dpkg -P v6ops-plugins 2>&1`;
is($?, 0, 'dpkg -P') or diag($out);
ok(!-e '/usr/lib/nagios/plugins/check_pmtu' && !-e '/etc/nagios-plugins/config/v6ops.cfg'
   && !-e '/usr/share/v6ops-plugins', 'purged: nothing left');
done_testing();
