#!/usr/bin/perl
# The peer of scripts/bench_verify.ts: verifies every file of DIR (sorted,
# dot files skipped) with Mail::DKIM's Verifier in this one process (its
# DomainKeys and DKIM verifiers), asking DNS only at 127.0.0.1:PORT through
# Net::DNS, and prints one line per file: FILE RESULT. Copied from what
# tests/helpers/dkim_verify_many.pl does (scripts/ never import tests/).
# usage: bench_verify_maildkim.pl --port PORT DIR
# Exit 0 when every file was judged (whatever the results), 2 otherwise.
use strict;
use warnings;
use Getopt::Long;
use Net::DNS;
use Mail::DKIM::DNS;
use Mail::DKIM::Verifier;

my $port;
GetOptions( 'port=i' => \$port ) or exit 2;
unless ( defined $port && @ARGV == 1 ) {
    print STDERR "usage: bench_verify_maildkim.pl --port PORT DIR\n";
    exit 2;
}
my $dir = $ARGV[0];

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

opendir( my $dh, $dir ) or do {
    print STDERR "bench_verify_maildkim.pl: Cannot open \"$dir\": $!\n";
    exit 2;
};
my @names = sort grep { !/^\./ } readdir $dh;
closedir $dh;
foreach my $name (@names) {
    my $file = "$dir/$name";
    open( my $in, '<', $file ) or do {
        print STDERR "bench_verify_maildkim.pl: Cannot open \"$file\": $!\n";
        exit 2;
    };
    binmode $in;
    my $message = do { local $/; <$in> };
    close $in;
    $message = '' unless defined $message;
    # Mail::DKIM wants CRLF line ends.
    $message =~ s/(?<!\015)\012/\015\012/g;
    my $ok = eval {
        my $verifier = Mail::DKIM::Verifier->new();
        $verifier->PRINT($message);
        $verifier->CLOSE;
        print "$file ", $verifier->result, "\n";
        1;
    };
    unless ($ok) {
        my $error = $@ || 'unknown error';
        $error =~ s/\s+\z//;
        print STDERR "bench_verify_maildkim.pl: $file: $error\n";
        exit 2;
    }
}
exit 0;
