#!/usr/bin/perl
# Signs the message on stdin with Mail::DKIM as a DKIM (RFC 6376) signer and
# prints the signed message on stdout: the DKIM-Signature field Mail::DKIM
# made, then the input bytes unchanged. The field uses CRLF line ends when the
# input has any CRLF, else LF.
#
# usage: dkim_sign.pl --key FILE --selector S --domain D
#                     [--algorithm rsa-sha256|rsa-sha1]
#                     [--method relaxed/relaxed|simple/simple|...]
# Exit 0 signed, 1 Mail::DKIM refused, 2 usage.
use strict;
use warnings;
use Getopt::Long;
use Mail::DKIM::Signer;

my ( $key, $selector, $domain );
my $algorithm = 'rsa-sha256';
my $method    = 'relaxed/relaxed';
GetOptions(
    'key=s'       => \$key,
    'selector=s'  => \$selector,
    'domain=s'    => \$domain,
    'algorithm=s' => \$algorithm,
    'method=s'    => \$method,
) or exit 2;
unless ( defined $key && defined $selector && defined $domain ) {
    print STDERR "usage: dkim_sign.pl --key FILE --selector S --domain D"
      . " [--algorithm A] [--method HDR/BODY]\n";
    exit 2;
}

binmode STDIN;
binmode STDOUT;
my $message = do { local $/; <STDIN> };
$message = '' unless defined $message;
my $eol = $message =~ /\015\012/ ? "\015\012" : "\012";

my $ok = eval {
    my $signer = Mail::DKIM::Signer->new(
        Algorithm => $algorithm,
        Method    => $method,
        Domain    => $domain,
        Selector  => $selector,
        KeyFile   => $key,
    );
    # Mail::DKIM wants CRLF line ends; see dk_sign.pl.
    ( my $crlf = $message ) =~ s/(?<!\015)\012/\015\012/g;
    $signer->PRINT($crlf);
    $signer->CLOSE;
    my $signature = $signer->signature
      or die "Mail::DKIM made no signature\n";
    my $header = $signature->as_string;
    $header =~ s/\015\012/$eol/g;
    print $header, $eol, $message;
    1;
};
unless ($ok) {
    my $error = $@ || 'unknown error';
    $error =~ s/\s+\z//;
    print STDERR "dkim_sign.pl: $error\n";
    exit 1;
}
exit 0;
