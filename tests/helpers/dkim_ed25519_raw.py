#!/usr/bin/python3
"""Signs a message with DKIM ed25519-sha256, relaxed/relaxed, h=from:to:subject,
through python3-nacl, either as RFC 8463 says (mode "digest": the SHA-256 of the
header input is signed) or as indimail and old sagredo do (mode "raw": the raw
header input itself is signed). Prints the message with the DKIM-Signature field
on top. The canonicalization is written out here (RFC 6376 3.4.2, 3.4.4) so the
raw form can be made; "digest" mode is the check that it is right.

usage: dkim_ed25519_raw.py KEY.pem SELECTOR DOMAIN raw|digest < message
KEY.pem is an Ed25519 PKCS#8 private key (openssl genpkey); the seed is the last
32 bytes of its DER. The message is read as bytes; LF line ends become CRLF.
"""
import base64
import hashlib
import re
import sys

import nacl.signing

SIGNED = ["from", "to", "subject"]


def relaxed_header(name, value):
    value = re.sub(rb"\r\n(?=[ \t])", b"", value)
    value = re.sub(rb"[ \t]+", b" ", value).strip(b" ")
    return name.strip().lower() + b":" + value


def relaxed_body(body):
    lines = body.split(b"\r\n")
    if lines and lines[-1] == b"":
        lines.pop()
    lines = [re.sub(rb"[ \t]+", b" ", line).rstrip(b" ") for line in lines]
    while lines and lines[-1] == b"":
        lines.pop()
    return b"".join(line + b"\r\n" for line in lines)


def main():
    if len(sys.argv) != 5 or sys.argv[4] not in ("raw", "digest"):
        sys.stderr.write(__doc__)
        return 2
    pem, selector, domain, mode = sys.argv[1:]
    with open(pem, "rb") as f:
        der = base64.b64decode(
            b"".join(l for l in f.read().splitlines() if not l.startswith(b"-----"))
        )
    key = nacl.signing.SigningKey(der[-32:])
    message = re.sub(rb"(?<!\r)\n", b"\r\n", sys.stdin.buffer.read())
    head, _, body = message.partition(b"\r\n\r\n")
    fields = []
    for line in head.split(b"\r\n"):
        if line[:1] in (b" ", b"\t") and fields:
            fields[-1] += b"\r\n" + line
        else:
            fields.append(line)
    parsed = [f.split(b":", 1) for f in fields]
    header_input = b""
    for want in SIGNED:
        # The last instance of each name (RFC 6376 5.4.2).
        for name, value in reversed(parsed):
            if name.strip().lower() == want.encode():
                header_input += relaxed_header(name, value) + b"\r\n"
                break
    bh = base64.b64encode(hashlib.sha256(relaxed_body(body)).digest()).decode()
    field = (
        "DKIM-Signature: v=1; a=ed25519-sha256; c=relaxed/relaxed; "
        f"d={domain}; s={selector}; h={':'.join(SIGNED)}; bh={bh}; b="
    ).encode()
    name, value = field.split(b":", 1)
    header_input += relaxed_header(name, value)
    signed = header_input if mode == "raw" else hashlib.sha256(header_input).digest()
    b = base64.b64encode(key.sign(signed).signature)
    sys.stdout.buffer.write(field + b + b"\r\n" + message)
    return 0


if __name__ == "__main__":
    sys.exit(main())
