#!/usr/bin/perl
# Verifies one message (FILE, or stdin) with Mail::DKIM's Verifier, asking
# DNS only at 127.0.0.1:PORT through Net::DNS, and prints one JSON line:
#   {"result":OVERALL,"details":TEXT,"signatures":[{"type":"domainkeys"|"dkim",
#    "result":R,"details":TEXT,"domain":D,"selector":S,"identity":I}, ...],
#    "domainkeys":FIRST_DOMAINKEYS_SIGNATURE_OR_NULL}
# usage: dk_verify.pl --port PORT [FILE]
# Exit 0 when it could judge the message (whatever the result), 2 otherwise.
use strict;
use warnings;
use Getopt::Long;
use JSON::PP;
use Net::DNS;
use Mail::DKIM::DNS;
use Mail::DKIM::Verifier;

my $port;
GetOptions( 'port=i' => \$port ) or exit 2;
unless ( defined $port ) {
    print STDERR "usage: dk_verify.pl --port PORT [FILE]\n";
    exit 2;
}

my $resolver = Net::DNS::Resolver->new(
    nameservers    => ['127.0.0.1'],
    port           => $port,
    recurse        => 0,
    udp_timeout    => 3,
    tcp_timeout    => 3,
    retry          => 1,
    udppacketsize  => 4096,
    searchlist     => [],
    defnames       => 0,
    dnsrch         => 0,
);
Mail::DKIM::DNS::resolver($resolver);

my $in = \*STDIN;
if (@ARGV) {
    open( $in, '<', $ARGV[0] ) or do {
        print STDERR "dk_verify.pl: Cannot open \"$ARGV[0]\": $!\n";
        exit 2;
    };
}
binmode $in;
my $message = do { local $/; <$in> };
$message = '' unless defined $message;
# Mail::DKIM wants CRLF line ends; see dk_sign.pl.
$message =~ s/(?<!\015)\012/\015\012/g;

my %out;
my $ok = eval {
    my $verifier = Mail::DKIM::Verifier->new();
    $verifier->PRINT($message);
    $verifier->CLOSE;
    $out{result}  = $verifier->result;
    $out{details} = $verifier->result_detail;
    my @signatures;
    foreach my $signature ( $verifier->signatures ) {
        my $is_dk = $signature->isa('Mail::DKIM::DkSignature');
        push @signatures,
          {
            type     => $is_dk ? 'domainkeys' : 'dkim',
            result   => $signature->result,
            details  => scalar $signature->result_detail,
            domain   => $signature->domain,
            selector => $signature->selector,
            identity => $is_dk ? $signature->identity : undef,
          };
    }
    $out{signatures} = \@signatures;
    my ($first) = grep { $_->{type} eq 'domainkeys' } @signatures;
    $out{domainkeys} = $first;
    1;
};
unless ($ok) {
    my $error = $@ || 'unknown error';
    $error =~ s/\s+\z//;
    print STDERR "dk_verify.pl: $error\n";
    exit 2;
}
print JSON::PP->new->canonical->encode( \%out ), "\n";
exit 0;
