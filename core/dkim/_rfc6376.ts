/**
 * RFC 6376 Appendix A, for the DKIM tests: the A.2 signed message with the
 * Appendix C key record, as corrected by the RFC's errata for those
 * appendices:
 *
 * - Errata ID 3192: the body has one space in "game. Are" (the printed
 *   figure has two, which does not give the printed `bh=`).
 * - Errata ID 4926: the folded lines of the header section are indented by
 *   six spaces, as signed (the printed figure's indentation differs, and
 *   `c=simple/simple` keeps indentation).
 *
 * Line ends are CRLF. dkimpy (Debian python3-dkim) passes the corrected
 * message and reports a body hash mismatch for the body as printed.
 *
 * @module
 */

const CORRECTED_LINES = [
  "DKIM-Signature: v=1; a=rsa-sha256; s=brisbane; d=example.com;",
  "      c=simple/simple; q=dns/txt; i=joe@football.example.com;",
  "      h=Received : From : To : Subject : Date : Message-ID;",
  "      bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=;",
  "      b=AuUoFEfDxTDkHlLXSZEpZj79LICEps6eda7W3deTVFOk4yAUoqOB",
  "      4nujc7YopdG5dWLSdNg6xNAZpOPr+kHxt1IrE+NahM6L/LbvaHut",
  "      KVdkLLkpVaVVQPzeRDI009SO2Il5Lu7rDNH6mZckBdrIx0orEtZV",
  "      4bmp/YzhwvcubU4=;",
  "Received: from client1.football.example.com  [192.0.2.1]",
  "      by submitserver.example.com with SUBMISSION;",
  "      Fri, 11 Jul 2003 21:01:54 -0700 (PDT)",
  "From: Joe SixPack <joe@football.example.com>",
  "To: Suzie Q <suzie@shopping.example.net>",
  "Subject: Is dinner ready?",
  "Date: Fri, 11 Jul 2003 21:00:37 -0700 (PDT)",
  "Message-ID: <20030712040037.46341.5F8J@football.example.com>",
  "",
  "Hi.",
  "",
  "We lost the game. Are you hungry yet?",
  "",
  "Joe.",
  "",
];

/** A.2 as corrected by errata 3192 and 4926 (CRLF line ends). */
export const RFC6376_MESSAGE = CORRECTED_LINES.join("\r\n");

/** The same message with the body as printed in A.2 (two spaces). */
export const RFC6376_MESSAGE_PRINTED_BODY = RFC6376_MESSAGE.replace(
  "game. Are",
  "game.  Are",
);

/** Appendix C: the key record, by name. */
export const RFC6376_RECORDS: Record<string, string> = {
  "brisbane._domainkey.example.com": "v=DKIM1; p=" +
    "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDwIRP/UC3SBsEmGqZ9ZJW3/DkMoGeLnQg1" +
    "fWn7/zYtIxN2SnFCjxOCKG9v3b4jYfcTNh5ijSsq631uBItLa7od+v/RtdC2UzJ1lWT947qR" +
    "+Rcac2gbto/NMqJ0fzfVjH4OuKhitdY9tf6mcwGjaNBcWToIMmPSPDdQPNUYckcQ2QIDAQAB",
};
