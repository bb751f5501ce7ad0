package V6Lab;

# The lab as seen from a test: bring it up, switch faults, run commands and
# plugins in its nodes, check the plugin output contract, tear it down.
#
#   use lib 't/lib'; use V6Lab;
#   my $lab = V6Lab->new(parts => ['web', 'dns']);    # before any plan
#   $lab->on('pmtud-blackhole'); $lab->flush;
#   my $r = $lab->run('mon', ['curl', '-s', 'http://[2001:db8:c::80]/'], timeout => 5);
#   my $p = $lab->plugin('check_pmtu', '-H', V6Lab::ADDR->{srv6}, {timeout => 20});
#   V6Lab::plugin_contract_ok($p, 'check_pmtu blackhole');
#   my ($a, $b) = V6Lab::parallel(sub { $lab->run(...) }, sub { ... });
#   V6Lab::run_host(\@cmd, timeout => 5);    # in the root namespace
#
# run() returns {rc, signal, out, err, secs, timed_out}; rc is -1 (and
# signal set) when the command was killed, by the timeout or otherwise.
# plugin() adds first, long (array ref) and perf ({label => {value, uom,
# warn, crit, min, max}}).
#
# One lab per test process, named after the pid, so `prove -j` is safe.
# It is removed at exit, also when the test dies or is interrupted; set
# V6LAB_KEEP=1 to leave it up for a look (then: contrib/lab/lab -i ID down).

use strict;
use warnings;

use Carp qw(croak);
use Cwd qw(abs_path);
use File::Basename qw(dirname);
use IO::Select;
use JSON::PP ();
use POSIX ();
use Storable ();
use Test::More ();
use Time::HiRes ();
use Exporter qw(import);

our @EXPORT_OK = qw(perf_is long_like code_is no_code findings codes);

our $REPO = abs_path(dirname(abs_path(__FILE__)) . '/../..');
our $LAB  = "$REPO/contrib/lab/lab";

# Fixed lab addresses (contrib/lab/README.md).
use constant ADDR => {
    mon6      => '2001:db8:a::10',   mon4      => '198.51.100.10',
    r1_a6     => '2001:db8:a::1',    r1_a4     => '198.51.100.1',
    r1_b6     => '2001:db8:b::1',    r1_b4     => '198.51.100.129',
    r2_b6     => '2001:db8:b::2',    r2_b4     => '198.51.100.130',
    r2_c6     => '2001:db8:c::1',    r2_c4     => '203.0.113.1',
    r1_d6     => '2001:db8:d::1',    r1_d4     => '203.0.113.129',
    srv6      => '2001:db8:c::80',   srv4      => '203.0.113.80',
    srv6b     => '2001:db8:c::81',   srv4b     => '203.0.113.81',
    dead6     => '2001:db8:c::99',
    near6     => '2001:db8:d::80',   near4     => '203.0.113.180',
    resolver6 => '2001:db8:d::53',   resolver4 => '203.0.113.153',
    ns1_6     => '2001:db8:d::5301', ns1_4     => '203.0.113.151',
    ns2_6     => '2001:db8:d::5302', ns2_4     => '203.0.113.152',
    gslb6     => '2001:db8:d::5303', gslb4     => '203.0.113.155',
};

my @live;     # labs to remove at exit
my $count = 0;

sub new {
    my ($class, %o) = @_;
    my $parts = $o{parts} // [qw(web dns)];
    my $id = $o{id} // sprintf('t%d%s', $$ % 100000, $count ? chr(96 + $count) : '');
    $count++;

    Test::More::plan(skip_all => 'the lab needs root (network namespaces)') if $> != 0;
    my $probe = _capture([qw(ip netns add), "$id-probe"], 10);
    if ($probe->{rc} != 0) {
        chomp(my $why = $probe->{err} || 'unknown reason');
        Test::More::plan(skip_all => "cannot create a network namespace: $why");
    }
    _capture([qw(ip netns del), "$id-probe"], 10);

    my $self = bless { id => $id, parts => $parts, state => "/run/v6ops-lab/$id", owner => $$ }, $class;
    push @live, $self;
    _catch_signals();
    my $r = $self->_lab(['up', '--parts', join(',', @$parts)], 60);
    if ($r->{rc} != 0) {
        Test::More::diag($r->{err});
        Test::More::BAIL_OUT("lab $id: up failed");
    }
    return $self;
}

sub id        { $_[0]{id} }
sub state_dir { $_[0]{state} }
sub ca_file   { "$_[0]{state}/ca.pem" }

# Fault switches and flush die on failure: a test that cannot set up its
# scenario must not go on to judge it.
sub on {
    my ($self, $fault, @arg) = @_;
    $self->_lab_ok('on', $fault, @arg);
}

sub off {
    my ($self, $fault) = @_;
    $self->_lab_ok('off', $fault);
}

sub flush { $_[0]->_lab_ok('flush') }

# Any lab command, e.g. $lab->cmd('status'); returns the run() hashref.
sub cmd {
    my ($self, @args) = @_;
    return $self->_lab(\@args, 60);
}

sub down {
    my ($self) = @_;
    return if $self->{down}++;
    return if $ENV{V6LAB_KEEP};
    return if $$ != $self->{owner};    # a forked child must not take the lab down
    my $r = _capture([$LAB, '-i', $self->{id}, 'down'], 60);
    warn "lab $self->{id}: down failed: $r->{err}" if $r->{rc} != 0;
}

# run(NODE, \@cmd, timeout => S, user => NAME, env => {K => V})
sub run {
    my ($self, $node, $cmd, %o) = @_;
    croak 'run: command must be an array ref' unless ref $cmd eq 'ARRAY';
    my @argv = ('ip', 'netns', 'exec', "$self->{id}-$node");
    if (defined $o{user}) {
        my ($uid, $gid) = (getpwnam $o{user})[2, 3];
        croak "run: no such user '$o{user}'" unless defined $uid;
        # An ordinary unprivileged user: no capabilities of any kind are
        # carried over (file capabilities of the program still apply).
        push @argv, 'setpriv', "--reuid=$uid", "--regid=$gid", '--clear-groups',
            '--inh-caps=-all', '--ambient-caps=-all';
    }
    return _capture([@argv, @$cmd], $o{timeout} // 30, $o{env});
}

# plugin(NAME, ARGS..., {timeout => S, user => NAME, node => NODE}): runs
# plugins/NAME (or NAME itself if it contains a '/') and parses its output.
sub plugin {
    my ($self, $name, @args) = @_;
    my %o = (@args && ref $args[-1] eq 'HASH') ? %{ pop @args } : ();
    my $node = delete $o{node} // 'mon';
    my $path = $name =~ m{/} ? $name : "$REPO/plugins/$name";
    my $r = $self->run($node, [$path, @args], %o);
    my @lines = split /\n/, $r->{out};
    $r->{first} = $lines[0] // '';
    $r->{long}  = [ @lines[ 1 .. $#lines ] ];
    if ($r->{out} =~ /^\{/) {
        # --output-format json: the document, and perf in the same shape
        # as the nagios form gives it.
        $r->{json} = eval { JSON::PP->new->decode($r->{out}) };
        $r->{json_error} = $@ unless $r->{json};
        $r->{perf} = { map { $_->{label} => $_ } @{ ($r->{json} // {})->{perfdata} // [] } };
        $r->{perf_errors} = [];
        return $r;
    }
    my (undef, $perf) = split /\|/, $r->{first}, 2;
    ($r->{perf}, $r->{perf_errors}) = parse_perf($perf // '');
    return $r;
}

# The findings of a JSON result with this code (a list of hashrefs).
sub findings {
    my ($p, $code) = @_;
    return grep { $_->{code} eq $code } @{ ($p->{json} // {})->{checks} // [] };
}

# code_is($p, CODE, STATE, NAME): a finding CODE with STATE is there.
sub code_is {
    my ($p, $code, $state, $name) = @_;
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    my @f = findings($p, $code);
    Test::More::ok((grep { $_->{state} eq $state } @f), "$name: finding $code is $state")
        or Test::More::diag("out: $p->{out}");
}

# no_code($p, CODE, NAME): no finding CODE.
sub no_code {
    my ($p, $code, $name) = @_;
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    Test::More::ok(!findings($p, $code), "$name: no finding $code")
        or Test::More::diag("out: $p->{out}");
}

# The codes of a JSON result, sorted and unique, for is_deeply.
sub codes {
    my ($p) = @_;
    my %c = map { $_->{code} => 1 } @{ ($p->{json} // {})->{checks} // [] };
    return [ sort keys %c ];
}

# 'label'=value[uom];warn;crit;min;max ... -> ({label => {...}}, [errors])
sub parse_perf {
    my ($text) = @_;
    my (%perf, @err, @order);
    $text =~ s/^\s+|\s+$//g;
    while (length $text) {
        if ($text =~ s/^('(?:[^']|'')+'|[^'=\s]+)=(\S*)\s*//) {
            my ($label, $data) = ($1, $2);
            $label = substr($label, 1, -1) =~ s/''/'/gr if $label =~ /^'/;
            my ($v, $w, $c, $min, $max) = map { defined && length ? $_ : undef } split /;/, $data, -1;
            if (!defined $v || $v !~ /^(-?[0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)([a-zA-Z%]*)$/) {
                push @err, "bad value in '$label=$data'";
                next;
            }
            push @err, "duplicate perf label '$label'" if exists $perf{$label};
            push @order, $label;
            $perf{$label} = { value => $1 + 0, uom => $2, warn => $w, crit => $c,
                              min => $min, max => $max };
        }
        else {
            push @err, "unparsable perfdata at '$text'";
            last;
        }
    }
    return (\%perf, \@err, \@order);
}

my %STATE_RC = (OK => 0, WARNING => 1, CRITICAL => 2, UNKNOWN => 3);

# The output contract every plugin keeps: the list of ways $p breaks it.
sub plugin_contract_problems {
    my ($p) = @_;
    my @why;
    my $out = $p->{out} // '';
    push @why, 'timed out' if $p->{timed_out};
    push @why, "killed by signal $p->{signal}" if $p->{signal};
    push @why, "exit code $p->{rc} is not 0..3" if ($p->{rc} // -1) !~ /^[0-3]$/;
    push @why, 'stdout is empty' if $out eq '';
    push @why, sprintf('stdout is %d bytes (max 4096)', length $out) if length $out > 4096;
    push @why, 'stderr is not empty' if length($p->{err} // '');
    return (@why, json_contract_problems($p)) if $out =~ /^\{/;
    my ($first) = split /\n/, $out;
    $first //= '';
    if ($first =~ /^[A-Z][A-Z0-9_]* (OK|WARNING|CRITICAL|UNKNOWN)\b/) {
        push @why, "state $1 does not match exit code $p->{rc}" if $STATE_RC{$1} ne ($p->{rc} // '');
    }
    else {
        push @why, 'first line does not start with "LABEL STATE"';
    }
    my $pipes = () = $out =~ /\|/g;
    push @why, "$pipes '|' characters (at most one, the perfdata separator)" if $pipes > 1;
    push @why, "'|' outside the first line" if $pipes == 1 && $first !~ /\|/;
    if ($first =~ /\|(.*)$/) {
        my (undef, $err, $order) = parse_perf($1);
        push @why, @$err;
        push @why, map {"perf label '$_' is not [a-z0-9_]+"} grep { !/^[a-z0-9_]+$/ } @$order;
    }
    return @why;
}

# --output-format json: one document, its state matching the exit code,
# every finding with a code and a state, perfdata labels [a-z0-9_]+.
sub json_contract_problems {
    my ($p) = @_;
    my $j = $p->{json};
    return ("output is not one JSON document: " . ($p->{json_error} // '')) unless ref $j eq 'HASH';
    my @why;
    for my $k (qw(label state summary checks perfdata)) {
        push @why, "JSON has no '$k'" unless exists $j->{$k};
    }
    push @why, "JSON state $j->{state} does not match exit code $p->{rc}"
        if defined $j->{state} && ($STATE_RC{ $j->{state} } // -1) ne ($p->{rc} // '');
    for my $c (@{ $j->{checks} // [] }) {
        push @why, "finding without a code: " . ($c->{output} // '') unless ($c->{code} // '') =~ /^[a-z0-9_]+$/;
        push @why, "finding with state '" . ($c->{state} // '') . "'" unless exists $STATE_RC{ $c->{state} // '' };
    }
    for my $pd (@{ $j->{perfdata} // [] }) {
        push @why, "perf label '$pd->{label}' is not [a-z0-9_]+" unless ($pd->{label} // '') =~ /^[a-z0-9_]+$/;
    }
    return @why;
}

# The same as one Test::More assertion, with the reasons as diagnostics.
sub plugin_contract_ok {
    my ($p, $name) = @_;
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    my @why = plugin_contract_problems($p);
    my $ok = Test::More::ok(!@why, "$name: plugin output contract");
    Test::More::diag(join "\n", (map {"  $_"} @why), "  stdout: " . ($p->{out} // ''), "  stderr: " . ($p->{err} // ''))
        unless $ok;
    return $ok;
}

# $lab->checker(PLUGIN, t => SECONDS, timeout => SECONDS, json => 1): a sub
# that runs PLUGIN in mon with -t (when given), --output-format json (with
# json) and the given process timeout, asserts
# the output contract, and returns plugin()'s hashref. A trailing hashref
# in its arguments goes to plugin() (e.g. {user => 'nobody'}).
sub checker {
    my ($self, $plugin, %b) = @_;
    return sub {
        my @args = @_;
        my %o = (@args && ref $args[-1] eq 'HASH') ? %{ pop @args } : ();
        my @t = defined $b{t} ? ('-t', $b{t}) : ();
        push @t, '--output-format', 'json' if $b{json};
        my $p = $self->plugin($plugin, @t, @args, { timeout => $b{timeout} // 30, %o });
        local $Test::Builder::Level = $Test::Builder::Level + 1;
        plugin_contract_ok($p, "$plugin @args");
        return $p;
    };
}

# perf_is($p, LABEL, VALUE, NAME): the perfdata item LABEL has VALUE.
sub perf_is {
    my ($p, $label, $want, $name) = @_;
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    my $v = $p->{perf}{$label};
    Test::More::is($v ? $v->{value} : undef, $want, "$name: perfdata $label=$want")
        or Test::More::diag("out: $p->{out}");
}

# long_like($p, REGEX, NAME): some long-output line matches.
sub long_like {
    my ($p, $re, $name) = @_;
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    Test::More::ok((grep { /$re/ } @{ $p->{long} }), "$name: long output")
        or Test::More::diag($p->{out});
}

# parallel(CODE, CODE, ...): run each in a child process at once and return
# their results (one scalar each, e.g. a run() hashref) in order. Probes
# that are expected to time out then cost one timeout, not the sum.
sub parallel {
    my @jobs = @_;
    my @kids;
    for my $job (@jobs) {
        pipe(my $r, my $w) or die "pipe: $!";
        my $pid = fork // die "fork: $!";
        if ($pid == 0) {
            close $r;
            my $res = eval { $job->() };
            $res = { error => $@ } if $@;
            Storable::nstore_fd(\$res, $w);
            close $w;
            POSIX::_exit(0);    # no END blocks: they would take the lab down
        }
        close $w;
        push @kids, [ $pid, $r ];
    }
    my @res;
    for my $k (@kids) {
        my ($pid, $r) = @$k;
        my $ref = eval { Storable::fd_retrieve($r) };
        close $r;
        waitpid $pid, 0;
        push @res, $ref ? $$ref : { error => 'child died' };
    }
    return @res;
}

# A command in the root namespace, bounded like run() (for tests that look
# at the host itself).
sub run_host {
    my ($cmd, %o) = @_;
    return _capture($cmd, $o{timeout} // 30, $o{env});
}

# --- internals ---------------------------------------------------------------

sub _lab {
    my ($self, $args, $timeout) = @_;
    return _capture([$LAB, '-i', $self->{id}, @$args], $timeout);
}

sub _lab_ok {
    my ($self, @args) = @_;
    my $r = $self->_lab(\@args, 60);
    croak "lab $self->{id} @args: failed (rc $r->{rc}): $r->{err}" if $r->{rc} != 0;
    return $r;
}

# Run argv in its own process group with stdin from /dev/null; collect
# stdout and stderr; kill the whole group at the deadline.
sub _capture {
    my ($argv, $timeout, $env) = @_;
    pipe(my $out_r, my $out_w) or die "pipe: $!";
    pipe(my $err_r, my $err_w) or die "pipe: $!";
    my $t0  = Time::HiRes::time();
    my $pid = fork // die "fork: $!";
    if ($pid == 0) {
        POSIX::setpgid(0, 0);
        open STDIN, '<', '/dev/null';
        open STDOUT, '>&', $out_w;
        open STDERR, '>&', $err_w;
        close $_ for $out_r, $err_r;
        @ENV{ keys %$env } = values %$env if $env;
        { no warnings 'exec'; exec { $argv->[0] } @$argv; }
        print STDERR "exec $argv->[0]: $!\n";
        POSIX::_exit(127);
    }
    close $_ for $out_w, $err_w;
    my %buf = ($out_r => '', $err_r => '');
    my $sel = IO::Select->new($out_r, $err_r);
    my $deadline = $t0 + $timeout;
    my ($timed_out, $status) = (0, undef);
    while ($sel->count) {
        my $left = $deadline - Time::HiRes::time();
        if ($left <= 0) {
            if (!$timed_out) {
                $timed_out = 1;
                kill 'KILL', -$pid;
                # Something that left the group may still hold the pipes.
                $deadline = Time::HiRes::time() + 1;
                next;
            }
            last;
        }
        for my $fh ($sel->can_read($left)) {
            my $n = sysread $fh, my $chunk, 65536;
            if ($n) { $buf{$fh} .= $chunk } else { $sel->remove($fh) }
        }
    }
    # The pipes are closed; the process may not have exited yet.
    while (1) {
        my $w = waitpid $pid, POSIX::WNOHANG();
        if ($w == $pid) { $status = $?; last }
        if (!$timed_out && Time::HiRes::time() > $deadline) {
            $timed_out = 1;
            kill 'KILL', -$pid;
        }
        Time::HiRes::sleep(0.01);
    }
    my %r = (out => $buf{$out_r}, err => $buf{$err_r}, secs => Time::HiRes::time() - $t0,
             timed_out => $timed_out, signal => 0);
    if ($status & 127) { @r{qw(rc signal)} = (-1, $status & 127) }
    else               { $r{rc} = $status >> 8 }
    return \%r;
}

my $signals_caught;

sub _catch_signals {
    return if $signals_caught++;
    # exit() runs END, which removes the labs.
    for my $sig (qw(INT TERM HUP)) {
        $SIG{$sig} = sub { exit 128 + ($sig eq 'INT' ? 2 : $sig eq 'TERM' ? 15 : 1) }
            if !$SIG{$sig} || $SIG{$sig} eq 'DEFAULT';
    }
}

sub DESTROY { $_[0]->down }

END {
    my $rc = $?;
    $_->down for @live;
    $? = $rc;
}

1;
