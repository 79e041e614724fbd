#!/usr/bin/perl
# Signs the message on stdin with Mail::DKIM and prints the signed message
# on stdout: the signature field Mail::DKIM made, then the input bytes
# unchanged. The field uses CRLF line ends when the input has any CRLF,
# else LF.
#   --scheme dk: a DomainKeys (RFC 4870) DomainKey-Signature, rsa-sha1,
#     --method nofws (default) or simple, --headers a:b:c for its h= tag;
#   --scheme dkim: a DKIM (RFC 6376) DKIM-Signature, --algorithm rsa-sha256
#     (default) or rsa-sha1, --method HDR/BODY (default relaxed/relaxed).
#
# usage: maildkim_sign.pl --scheme dk|dkim --key FILE --selector S --domain D
#                         [--method M] [--headers a:b:c] [--algorithm A]
# Exit 0 signed, 1 Mail::DKIM refused, 2 usage.
use strict;
use warnings;
use Getopt::Long;
use Mail::DKIM::Signer;
use Mail::DKIM::DkSignature;

my ( $scheme, $key, $selector, $domain, $method, $headers, $algorithm );
GetOptions(
    'scheme=s'    => \$scheme,
    'key=s'       => \$key,
    'selector=s'  => \$selector,
    'domain=s'    => \$domain,
    'method=s'    => \$method,
    'headers=s'   => \$headers,
    'algorithm=s' => \$algorithm,
) or exit 2;
my $dk = defined $scheme && $scheme eq 'dk';
unless ( defined $scheme
    && ( $dk || $scheme eq 'dkim' )
    && defined $key
    && defined $selector
    && defined $domain
    && !( $dk && defined $algorithm )
    && !( !$dk && defined $headers ) )
{
    print STDERR "usage: maildkim_sign.pl --scheme dk|dkim --key FILE"
      . " --selector S --domain D [--method M] [--headers a:b (dk)]"
      . " [--algorithm A (dkim)]\n";
    exit 2;
}

binmode STDIN;
binmode STDOUT;
my $message = do { local $/; <STDIN> };
$message = '' unless defined $message;
my $eol = $message =~ /\015\012/ ? "\015\012" : "\012";

my $ok = eval {
    my $signer = $dk
      ? Mail::DKIM::Signer->new(
        KeyFile => $key,
        Policy  => sub {
            my $dkim = shift;
            $dkim->add_signature(
                Mail::DKIM::DkSignature->new(
                    Algorithm => 'rsa-sha1',
                    Method    => $method // 'nofws',
                    ( defined $headers ? ( Headers => $headers ) : () ),
                    Domain   => $domain,
                    Selector => $selector,
                    Query    => 'dns',
                )
            );
            return;
        },
      )
      : Mail::DKIM::Signer->new(
        Algorithm => $algorithm // 'rsa-sha256',
        Method    => $method    // 'relaxed/relaxed',
        Domain    => $domain,
        Selector  => $selector,
        KeyFile   => $key,
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
    print STDERR "maildkim_sign.pl: $error\n";
    exit 1;
}
exit 0;
