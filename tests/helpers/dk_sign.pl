#!/usr/bin/perl
# Signs the message on stdin with Mail::DKIM as a DomainKeys (RFC 4870)
# signer and prints the signed message on stdout: the DomainKey-Signature
# header Mail::DKIM made, then the input bytes unchanged. The header uses CRLF
# line ends when the input has any CRLF, else LF.
#
# usage: dk_sign.pl --key FILE --selector S --domain D
#                   [--method nofws|simple] [--headers a:b:c]
# Exit 0 signed, 1 Mail::DKIM refused, 2 usage.
use strict;
use warnings;
use Getopt::Long;
use Mail::DKIM::Signer;
use Mail::DKIM::DkSignature;

my ( $key, $selector, $domain, $headers );
my $method = 'nofws';
GetOptions(
    'key=s'      => \$key,
    'selector=s' => \$selector,
    'domain=s'   => \$domain,
    'method=s'   => \$method,
    'headers=s'  => \$headers,
) or exit 2;
unless ( defined $key && defined $selector && defined $domain ) {
    print STDERR "usage: dk_sign.pl --key FILE --selector S --domain D"
      . " [--method nofws|simple] [--headers a:b]\n";
    exit 2;
}

binmode STDIN;
binmode STDOUT;
my $message = do { local $/; <STDIN> };
$message = '' unless defined $message;
my $eol = $message =~ /\015\012/ ? "\015\012" : "\012";

my $ok = eval {
    my $signer = Mail::DKIM::Signer->new(
        KeyFile => $key,
        Policy  => sub {
            my $dkim = shift;
            $dkim->add_signature(
                Mail::DKIM::DkSignature->new(
                    Algorithm => 'rsa-sha1',
                    Method    => $method,
                    ( defined $headers ? ( Headers => $headers ) : () ),
                    Domain   => $domain,
                    Selector => $selector,
                    Query    => 'dns',
                )
            );
            return;
        },
    );
    # Mail::DKIM wants CRLF line ends; a bare LF is a line end too (RFC 4870
    # as dk reads it), so turn each into CRLF before feeding it.
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
    print STDERR "dk_sign.pl: $error\n";
    exit 1;
}
exit 0;
