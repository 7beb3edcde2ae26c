#!/usr/bin/perl
# A minimal TACACS+ accounting client written from RFC 8907 alone, in Perl with core modules only
# (Digest::MD5, JSON::PP, IO::Socket::IP), to test aaawatch's server with an implementation that
# shares no code with it. Debian's Authen::TacacsPlus (libauthen-tacacsplus-perl) only
# authenticates; this sends what it cannot: accounting START/STOP/WATCHDOG requests, several
# sessions over one connection in Single Connection Mode.
#
# Usage: tacacs-client.pl HOST PORT KEY < requests.json > replies.json
# requests.json: {"single": true|false, "reply_key": "..." (optional: the key replies are read with,
#   else KEY), "requests": [{"flags": "start"|"stop"|"watchdog"|"update",
#   "user": "...", "port": "...", "rem_addr": "...", "priv_lvl": 15, "args": ["task_id=1", ...]}, ...]}
# Each request is one session (a random session id); replies are read and de-obfuscated.
# Output: {"replies": [{"type":3,"seq":2,"flags":0,"session":N,"status":1,"server_msg":"..."}...],
#          "closed_after": N (requests answered before the server closed, when it did)}

use strict;
use warnings;
use Digest::MD5 qw(md5);
use IO::Socket::IP;
use JSON::PP;

my ($host, $port, $key) = @ARGV;
die "usage: $0 HOST PORT KEY\n" unless defined $key;
local $/;
my $input = decode_json(<STDIN>);

my %FLAGS = (start => 0x02, stop => 0x04, watchdog => 0x08, update => 0x0a);

# The pseudo-pad: MD5(session_id, key, version, seq_no), then each next block also over the previous one.
sub pad {
    my ($session, $version, $seq, $len, $with) = @_;
    my $base = pack('N', $session) . ($with // $key) . pack('CC', $version, $seq);
    my ($out, $prev) = ('', '');
    while (length($out) < $len) {
        $prev = md5($base . $prev);
        $out .= $prev;
    }
    return substr($out, 0, $len);
}

sub accounting_body {
    my ($r) = @_;
    my @args = @{ $r->{args} || [] };
    my ($user, $tty, $rem) = map { $_ // '' } @{$r}{qw(user port rem_addr)};
    my $body = pack('C9', $FLAGS{ $r->{flags} }, $r->{authen_method} // 6, $r->{priv_lvl} // 1, $r->{authen_type} // 1,
        $r->{authen_service} // 1, length($user), length($tty), length($rem), scalar(@args));
    $body .= pack('C', length($_)) for @args;
    $body .= $user . $tty . $rem . join('', @args);
    return $body;
}

my $sock = IO::Socket::IP->new(PeerHost => $host, PeerPort => $port, Proto => 'tcp', Timeout => 10)
    or die "connect: $@\n";
binmode $sock;

sub read_exactly {
    my ($n) = @_;
    my $buf = '';
    while (length($buf) < $n) {
        my $got = sysread($sock, my $chunk, $n - length($buf));
        return undef unless $got;
        $buf .= $chunk;
    }
    return $buf;
}

my $reply_key = $input->{reply_key} // $key;
my @replies;
my $answered = 0;
my $closed = JSON::PP::false;
my $first = 1;
for my $r (@{ $input->{requests} }) {
    my $session = int(rand(2**32));
    my $version = 0xc0;
    my $body = accounting_body($r);
    my $flags = ($first && $input->{single}) ? 0x04 : 0x00;
    my $packet = pack('CCCCNN', $version, 3, 1, $flags, $session, length($body)) . ($body ^ pad($session, $version, 1, length($body)));
    $first = 0;
    unless (syswrite($sock, $packet)) { $closed = JSON::PP::true; last; }
    my $head = read_exactly(12);
    unless (defined $head) { $closed = JSON::PP::true; last; }
    my ($v, $type, $seq, $rflags, $rsession, $len) = unpack('CCCCNN', $head);
    my $cipher = $len ? read_exactly($len) : '';
    unless (defined $cipher) { $closed = JSON::PP::true; last; }
    my $clear = ($rflags & 0x01) ? $cipher : ($cipher ^ pad($rsession, $v, $seq, $len, $reply_key));
    my %reply = (type => $type, seq => $seq, flags => $rflags, session => $rsession, session_matches => ($rsession == $session ? JSON::PP::true : JSON::PP::false));
    if ($type == 3 && $len >= 5) {
        my ($msg_len, $data_len, $status) = unpack('nnC', $clear);
        $reply{status} = $status;
        $reply{server_msg} = substr($clear, 5, $msg_len);
        $reply{lengths_match} = (5 + $msg_len + $data_len == $len) ? JSON::PP::true : JSON::PP::false;
    }
    push @replies, \%reply;
    $answered++;
}
close $sock;
print encode_json({ replies => \@replies, answered => $answered, closed => $closed }), "\n";
