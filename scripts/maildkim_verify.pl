#!/usr/bin/perl
# The peer verifier of dk's tests and benchmarks: Mail::DKIM's Verifier (its
# DomainKeys and DKIM verifiers) over each message in this one process,
# asking DNS only at 127.0.0.1:PORT through Net::DNS.
#   maildkim_verify.pl --port PORT [--brief] [FILE|DIR]...
# No operand: one message on stdin. A DIR: its files, sorted, dot files
# skipped. For each message, one JSON line:
#   {"file":FILE (not for stdin),"result":OVERALL,"details":TEXT,
#    "signatures":[{"type":"domainkeys"|"dkim","result":R,"details":TEXT,
#    "domain":D,"selector":S,"identity":I (DomainKeys only)}, ...],
#    "domainkeys":FIRST_DOMAINKEYS_SIGNATURE_OR_NULL}
# or, with --brief (scripts/bench_verify.ts: no JSON work on the peer's
# clock), one line "FILE RESULT".
# Exit 0 when every message was judged (whatever the results), 2 otherwise.
use strict;
use warnings;
use Getopt::Long;
use JSON::PP;
use Net::DNS;
use Mail::DKIM::DNS;
use Mail::DKIM::Verifier;

my ( $port, $brief );
GetOptions( 'port=i' => \$port, 'brief' => \$brief ) or exit 2;
unless ( defined $port ) {
    print STDERR "usage: maildkim_verify.pl --port PORT [--brief] [FILE|DIR]...\n";
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

sub give_up {
    print STDERR "maildkim_verify.pl: $_[0]\n";
    exit 2;
}

# The operands' files, a directory's in sorted order; () for stdin.
my @files;
foreach my $operand (@ARGV) {
    if ( -d $operand ) {
        opendir( my $dh, $operand )
          or give_up("Cannot open \"$operand\": $!");
        push @files, map { "$operand/$_" } sort grep { !/^\./ } readdir $dh;
        closedir $dh;
    }
    else {
        push @files, $operand;
    }
}

my $json = JSON::PP->new->canonical;

# Judges one message (its bytes); prints its line.
sub judge {
    my ( $message, $file ) = @_;
    $message = '' unless defined $message;
    # Mail::DKIM wants CRLF line ends; see tests/helpers/maildkim_sign.pl.
    $message =~ s/(?<!\015)\012/\015\012/g;
    my $verifier = Mail::DKIM::Verifier->new();
    $verifier->PRINT($message);
    $verifier->CLOSE;
    if ($brief) {
        print "$file ", $verifier->result, "\n";
        return;
    }
    my %out = (
        result  => $verifier->result,
        details => $verifier->result_detail,
    );
    $out{file} = $file if defined $file;
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
    print $json->encode( \%out ), "\n";
}

sub judged {
    my ( $message, $file ) = @_;
    my $ok = eval { judge( $message, $file ); 1 };
    return if $ok;
    my $error = $@ || 'unknown error';
    $error =~ s/\s+\z//;
    give_up( defined $file ? "$file: $error" : $error );
}

if ( !@ARGV ) {
    binmode STDIN;
    judged( do { local $/; <STDIN> }, undef );
}
foreach my $file (@files) {
    open( my $in, '<', $file ) or give_up("Cannot open \"$file\": $!");
    binmode $in;
    my $message = do { local $/; <$in> };
    close $in;
    judged( $message, $file );
}
exit 0;
