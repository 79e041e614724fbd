//! EMSA-PKCS1-v1_5 (RFC 8017, section 9.2): the one expected encoding of a
//! digest, compared in full and in constant time with a recovered block.
//! Nothing is parsed out of the recovered block.

/// DigestInfo prefix for SHA-1 (RFC 8017, section 9.2, note 1).
pub const SHA1_PREFIX: [u8; 15] =
    [0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00, 0x04, 0x14];

/// DigestInfo prefix for SHA-256 (RFC 8017, section 9.2, note 1).
pub const SHA256_PREFIX: [u8; 19] = [
    0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00,
    0x04, 0x20,
];

/// The hash named in a signature.
#[derive(Clone, Copy)]
pub enum Alg {
    /// SHA-1, 20-byte digest.
    Sha1,
    /// SHA-256, 32-byte digest.
    Sha256,
}

impl Alg {
    /// From the number the exports take: 1 for SHA-1, 256 for SHA-256.
    pub fn from_code(code: u32) -> Option<Alg> {
        match code {
            1 => Some(Alg::Sha1),
            256 => Some(Alg::Sha256),
            _ => None,
        }
    }

    /// Digest length in bytes.
    pub fn digest_len(self) -> usize {
        match self {
            Alg::Sha1 => 20,
            Alg::Sha256 => 32,
        }
    }

    fn prefix(self) -> &'static [u8] {
        match self {
            Alg::Sha1 => &SHA1_PREFIX,
            Alg::Sha256 => &SHA256_PREFIX,
        }
    }
}

/// True when `block` is exactly `00 01 FF…FF 00 || DigestInfo(alg) || digest`.
/// Every byte is compared whatever the earlier ones held; only the lengths
/// (public) decide the shape. False when the block is shorter than
/// DigestInfo + 11 bytes or the digest has the wrong length.
pub fn matches(block: &[u8], alg: Alg, digest: &[u8]) -> bool {
    let prefix = alg.prefix();
    if digest.len() != alg.digest_len() {
        return false;
    }
    let t_len = prefix.len() + digest.len();
    let k = block.len();
    if k < t_len + 11 {
        return false;
    }
    let separator = k - t_len - 1;
    let mut diff: u8 = 0;
    for (i, &got) in block.iter().enumerate() {
        let want = if i == 0 {
            0x00
        } else if i == 1 {
            0x01
        } else if i < separator {
            0xff
        } else if i == separator {
            0x00
        } else if i - separator - 1 < prefix.len() {
            prefix[i - separator - 1]
        } else {
            digest[i - separator - 1 - prefix.len()]
        };
        diff |= got ^ want;
    }
    diff == 0
}
