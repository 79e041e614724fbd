#!/usr/bin/perl
# The peer half of scripts/bench-dkim: Mail::DKIM verifying one DKIM-signed
# message again and again in this one perl process for SECONDS, the key
# record "cached" (Mail::DKIM's DNS query answers from RECORDS, parsed
# once, so no DNS traffic is measured). Checks the first verification
# passes, then prints one JSON line: {"calls":N,"seconds":S,"result":R}.
# RECORDS: one "NAME TEXT" per line.
# usage: bench_dkim_peer.pl --records FILE --seconds S MESSAGE
# Exit 0 measured, 1 the message did not pass, 2 usage or unreadable files.
use strict;
use warnings;
use Getopt::Long;
use JSON::PP;
use Net::DNS;
use Time::HiRes qw(time);
use Mail::DKIM::DNS;
use Mail::DKIM::Verifier;

my ( $records, $seconds );
GetOptions( 'records=s' => \$records, 'seconds=f' => \$seconds ) or exit 2;
unless ( defined $records && defined $seconds && $seconds > 0 && @ARGV == 1 )
{
    print STDERR
      "usage: bench_dkim_peer.pl --records FILE --seconds S MESSAGE\n";
    exit 2;
}

my %zone;
open( my $in, '<', $records ) or do {
    print STDERR "bench_dkim_peer.pl: Cannot open \"$records\": $!\n";
    exit 2;
};
while ( my $line = <$in> ) {
    chomp $line;
    my ( $name, $text ) = split / /, $line, 2;
    next unless defined $text;
    my @strings = unpack '(A255)*', $text;
    $zone{ lc $name } =
      [ Net::DNS::RR->new( owner => $name, type => 'TXT', txtdata => [@strings] ) ];
}
close $in;

{
    no warnings 'redefine';
    *Mail::DKIM::DNS::query = sub {
        my ( $domain, $type ) = @_;
        my $answer = $zone{ lc $domain };
        unless ($answer) { $@ = 'NXDOMAIN'; return; }
        $@ = 'NOERROR';
        return @$answer;
    };
}

open( my $fh, '<', $ARGV[0] ) or do {
    print STDERR "bench_dkim_peer.pl: Cannot open \"$ARGV[0]\": $!\n";
    exit 2;
};
binmode $fh;
my $message = do { local $/; <$fh> };
close $fh;

sub verify_once {
    my $verifier = Mail::DKIM::Verifier->new();
    $verifier->PRINT($message);
    $verifier->CLOSE;
    return $verifier->result;
}

my $result = verify_once();
if ( $result ne 'pass' ) {
    print STDERR "bench_dkim_peer.pl: Mail::DKIM says $result, not pass\n";
    exit 1;
}
my $calls = 0;
my $start = time;
my $now   = $start;
do {
    verify_once();
    $calls++;
    $now = time;
} while ( $now - $start < $seconds );
print JSON::PP->new->canonical->encode(
    { calls => $calls, seconds => $now - $start, result => $result } ),
  "\n";
exit 0;
