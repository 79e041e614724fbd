#!/usr/bin/perl
# Verifies each FILE with Mail::DKIM's Verifier (DKIM and DomainKeys
# signatures), asking DNS only at 127.0.0.1:PORT through Net::DNS, and
# prints one JSON line per file, in order:
#   {"file":FILE,"result":OVERALL,"signatures":[{"type":"domainkeys"|"dkim",
#    "result":R,"details":TEXT,"domain":D,"selector":S}, ...]}
# One process for many messages (dk_verify.pl does one).
# usage: dkim_verify_many.pl --port PORT FILE...
# Exit 0 when every file was judged (whatever the results), 2 otherwise.
use strict;
use warnings;
use Getopt::Long;
use JSON::PP;
use Net::DNS;
use Mail::DKIM::DNS;
use Mail::DKIM::Verifier;

my $port;
GetOptions( 'port=i' => \$port ) or exit 2;
unless ( defined $port && @ARGV ) {
    print STDERR "usage: dkim_verify_many.pl --port PORT FILE...\n";
    exit 2;
}

my $resolver = Net::DNS::Resolver->new(
    nameservers   => ['127.0.0.1'],
    port          => $port,
    recurse       => 0,
    udp_timeout   => 3,
    tcp_timeout   => 3,
    retry         => 1,
    udppacketsize => 4096,
    searchlist    => [],
    defnames      => 0,
    dnsrch        => 0,
);
Mail::DKIM::DNS::resolver($resolver);

my $json = JSON::PP->new->canonical;
foreach my $file (@ARGV) {
    open( my $in, '<', $file ) or do {
        print STDERR "dkim_verify_many.pl: Cannot open \"$file\": $!\n";
        exit 2;
    };
    binmode $in;
    my $message = do { local $/; <$in> };
    close $in;
    $message = '' unless defined $message;
    # Mail::DKIM wants CRLF line ends; see dk_sign.pl.
    $message =~ s/(?<!\015)\012/\015\012/g;
    my %out = ( file => $file );
    my $ok = eval {
        my $verifier = Mail::DKIM::Verifier->new();
        $verifier->PRINT($message);
        $verifier->CLOSE;
        $out{result} = $verifier->result;
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
              };
        }
        $out{signatures} = \@signatures;
        1;
    };
    unless ($ok) {
        my $error = $@ || 'unknown error';
        $error =~ s/\s+\z//;
        print STDERR "dkim_verify_many.pl: $file: $error\n";
        exit 2;
    }
    print $json->encode( \%out ), "\n";
}
exit 0;
