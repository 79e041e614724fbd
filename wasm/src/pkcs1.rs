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

#[cfg(test)]
mod tests {
    use super::{matches, Alg, SHA1_PREFIX, SHA256_PREFIX};
    use std::vec::Vec;

    fn block(k: usize, prefix: &[u8], digest: &[u8]) -> Vec<u8> {
        let mut block = std::vec![0x00, 0x01];
        block.resize(k - prefix.len() - digest.len() - 1, 0xff);
        block.push(0x00);
        block.extend_from_slice(prefix);
        block.extend_from_slice(digest);
        block
    }

    #[test]
    fn the_one_encoding_matches_and_every_changed_byte_does_not() {
        let digest1: Vec<u8> = (1..=20).collect();
        let digest256: Vec<u8> = (1..=32).collect();
        for (alg, prefix, digest) in
            [(Alg::Sha1, &SHA1_PREFIX[..], &digest1), (Alg::Sha256, &SHA256_PREFIX[..], &digest256)]
        {
            for k in [64, 128, 256, 512] {
                let good = block(k, prefix, digest);
                assert!(matches(&good, alg, digest), "{} bytes", k);
                for i in 0..k {
                    let mut bad = good.clone();
                    bad[i] ^= 0x01;
                    assert!(!matches(&bad, alg, digest), "byte {} of {}", i, k);
                }
            }
        }
    }

    #[test]
    fn wrong_algorithm_lengths_and_short_blocks_are_refused() {
        let digest1 = [7u8; 20];
        let digest256 = [7u8; 32];
        let good = block(128, &SHA1_PREFIX, &digest1);
        assert!(!matches(&good, Alg::Sha256, &digest256), "SHA-1 block, SHA-256 asked");
        assert!(!matches(&good, Alg::Sha1, &digest1[..19]), "short digest");
        assert!(!matches(&good[1..], Alg::Sha1, &digest1), "block one byte short");
        // The shortest block with eight FF bytes matches; one FF fewer does not.
        let shortest = block(SHA1_PREFIX.len() + 20 + 11, &SHA1_PREFIX, &digest1);
        assert!(matches(&shortest, Alg::Sha1, &digest1));
        let mut too_short = shortest.clone();
        too_short.remove(2);
        assert!(!matches(&too_short, Alg::Sha1, &digest1));
        assert_eq!(Alg::from_code(1).map(Alg::digest_len), Some(20));
        assert_eq!(Alg::from_code(256).map(Alg::digest_len), Some(32));
        assert!(Alg::from_code(0).is_none() && Alg::from_code(224).is_none());
    }
}
