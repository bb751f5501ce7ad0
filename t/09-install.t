#!/usr/bin/perl
# make install into a DESTDIR: every plugin, a man page each that renders
# without warnings, cap_net_raw on the raw-socket plugins (never setuid);
# make uninstall removes exactly what install put there.
use strict;
use warnings;
use Test::More;
use File::Temp qw(tempdir);
use File::Find ();

my @plugins = map { s{.*/}{}r } grep { !/\.[a-z]+$/ && -x && -f } glob 'plugins/check_*';
plan skip_all => 'no plugin built (run make)' unless @plugins;
plan skip_all => 'help2man not installed' unless -x '/usr/bin/help2man';
my $dest = tempdir(CLEANUP => 1);
my $san = $ENV{SANITIZE} // '';
my $out = `make -s install DESTDIR=$dest SANITIZE=$san 2>&1`;
is($?, 0, 'make install') or diag($out);
my $pd = "$dest/usr/local/lib/nagios/plugins";
my $md = "$dest/usr/local/share/man/man1";
for my $p (@plugins) {
    ok(-x "$pd/$p", "$p installed");
    ok(!(-u "$pd/$p"), "$p: not setuid");
    ok(-s "$md/$p.1", "$p: man page");
    my $warn = `MANWIDTH=80 man --warnings -l $md/$p.1 2>&1 >/dev/null`;
    is($warn, '', "$p: man page renders without warnings");
    my $text = `MANWIDTH=80 man -l $md/$p.1 2>/dev/null`;
    like($text, qr/--output-format/, "$p: man page holds the options");
}
for my $p (grep { /^check_(pmtu|rogue_ra|default_route_liveness)$/ } @plugins) {
    SKIP: {
        skip 'not root', 1 if $> != 0;
        like(`getcap $pd/$p`, qr/cap_net_raw[=+]ep/, "$p: cap_net_raw+ep");
    }
}
$out = `make -s uninstall DESTDIR=$dest SANITIZE=$san 2>&1`;
is($?, 0, 'make uninstall') or diag($out);
my @left;
File::Find::find(sub { push @left, $File::Find::name if -f }, $dest);
is_deeply(\@left, [], 'uninstall leaves none of the installed files');
ok(!-d $pd, 'the emptied plugin directory is gone');
done_testing();
