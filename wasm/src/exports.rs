//! The functions JavaScript calls. Every buffer lives in linear memory and
//! belongs to the caller; lengths are checked here, results are 1 (yes) or
//! 0 (no), never anything that says why.

use crate::bignum::{PublicKey, MAX_BYTES};
use crate::pkcs1::{self, Alg};
use crate::sha1::Sha1;
use crate::sha256::Sha256;
use core::slice;

/// Size in bytes of a SHA-1 state.
#[no_mangle]
pub extern "C" fn dk_sha1_size() -> usize {
    core::mem::size_of::<Sha1>()
}

/// Starts a SHA-1 state at `ctx` (`dk_sha1_size()` bytes).
///
/// # Safety
/// `ctx` must point to writable memory of that size.
#[no_mangle]
pub unsafe extern "C" fn dk_sha1_init(ctx: *mut Sha1) {
    ctx.write(Sha1::new());
}

/// Adds `len` bytes at `data` to the state at `ctx`.
///
/// # Safety
/// `ctx` must hold a state from `dk_sha1_init`; `data` must be readable.
#[no_mangle]
pub unsafe extern "C" fn dk_sha1_update(ctx: *mut Sha1, data: *const u8, len: usize) {
    (*ctx).update(slice::from_raw_parts(data, len));
}

/// Writes the 20-byte digest to `out`.
///
/// # Safety
/// `ctx` must hold a state; `out` must be 20 writable bytes.
#[no_mangle]
pub unsafe extern "C" fn dk_sha1_final(ctx: *mut Sha1, out: *mut u8) {
    (*ctx).finish(&mut *(out as *mut [u8; 20]));
}

/// Size in bytes of a SHA-256 state.
#[no_mangle]
pub extern "C" fn dk_sha256_size() -> usize {
    core::mem::size_of::<Sha256>()
}

/// Starts a SHA-256 state at `ctx`.
///
/// # Safety
/// `ctx` must point to `dk_sha256_size()` writable bytes.
#[no_mangle]
pub unsafe extern "C" fn dk_sha256_init(ctx: *mut Sha256) {
    ctx.write(Sha256::new());
}

/// Adds `len` bytes at `data` to the state at `ctx`.
///
/// # Safety
/// As `dk_sha1_update`.
#[no_mangle]
pub unsafe extern "C" fn dk_sha256_update(ctx: *mut Sha256, data: *const u8, len: usize) {
    (*ctx).update(slice::from_raw_parts(data, len));
}

/// Writes the 32-byte digest to `out`.
///
/// # Safety
/// `ctx` must hold a state; `out` must be 32 writable bytes.
#[no_mangle]
pub unsafe extern "C" fn dk_sha256_final(ctx: *mut Sha256, out: *mut u8) {
    (*ctx).finish(&mut *(out as *mut [u8; 32]));
}

/// Size in bytes of a prepared public key.
#[no_mangle]
pub extern "C" fn dk_rsa_key_size() -> usize {
    core::mem::size_of::<PublicKey>()
}

/// Prepares a public key at `key` from modulus bytes (big-endian) and `e`.
/// Returns 1, or 0 when the key is unusable (n even or outside 512–4096
/// bits, e even or below 3).
///
/// # Safety
/// `key` must point to `dk_rsa_key_size()` writable bytes; `n` readable.
#[no_mangle]
pub unsafe extern "C" fn dk_rsa_key_init(key: *mut PublicKey, n: *const u8, n_len: usize, e: u32) -> i32 {
    key.write(PublicKey::EMPTY);
    (*key).init(slice::from_raw_parts(n, n_len), e) as i32
}

/// The RSA public operation: writes `sig^e mod n` to `out` (as long as n).
/// Returns 1, or 0 when sig's length differs from n's or sig ≥ n.
///
/// # Safety
/// `key` must hold a prepared key; `sig` readable; `out` writable, n's length.
#[no_mangle]
pub unsafe extern "C" fn dk_rsa_public(
    key: *const PublicKey,
    sig: *const u8,
    sig_len: usize,
    out: *mut u8,
) -> i32 {
    let key = &*key;
    (*key).public(slice::from_raw_parts(sig, sig_len), slice::from_raw_parts_mut(out, key.bytes())) as i32
}

/// PKCS#1 v1.5 verification of a digest: 1 when `sig` is valid for
/// `digest` under `key` with hash `alg` (1 = SHA-1, 256 = SHA-256), else 0.
///
/// # Safety
/// `key` must hold a prepared key; `sig` and `digest` readable.
#[no_mangle]
pub unsafe extern "C" fn dk_pkcs1_verify(
    key: *const PublicKey,
    sig: *const u8,
    sig_len: usize,
    alg: u32,
    digest: *const u8,
) -> i32 {
    let key = &*key;
    let alg = match Alg::from_code(alg) {
        Some(alg) => alg,
        None => return 0,
    };
    let mut block = [0u8; MAX_BYTES];
    let block = &mut block[..key.bytes()];
    if !key.public(slice::from_raw_parts(sig, sig_len), block) {
        return 0;
    }
    pkcs1::matches(block, alg, slice::from_raw_parts(digest, alg.digest_len())) as i32
}

#[cfg(test)]
mod tests {
    //! PKCS#1 v1.5 verification through the exported functions, as the
    //! TypeScript side calls them, with OpenSSL's signatures (`test_vectors`).
    use super::*;
    use crate::test_vectors::{hex, MESSAGE, MESSAGE_SHA1, MESSAGE_SHA256, RSA};

    fn verify(n: &[u8], e: u32, sig: &[u8], alg: u32, digest: &[u8]) -> i32 {
        let mut key = std::boxed::Box::new(PublicKey::EMPTY);
        // SAFETY: every pointer is to a live buffer of the stated length;
        // the digest is as long as `alg` says (or longer).
        unsafe {
            if dk_rsa_key_init(&mut *key, n.as_ptr(), n.len(), e) != 1 {
                return -1;
            }
            dk_pkcs1_verify(&*key, sig.as_ptr(), sig.len(), alg, digest.as_ptr())
        }
    }

    fn digest_of(alg: u32) -> std::vec::Vec<u8> {
        let mut out = [0u8; 32];
        // SAFETY: the states are as large as the size functions say.
        unsafe {
            if alg == 1 {
                let mut ctx = Sha1::new();
                dk_sha1_init(&mut ctx);
                dk_sha1_update(&mut ctx, MESSAGE.as_ptr(), MESSAGE.len());
                dk_sha1_final(&mut ctx, out.as_mut_ptr());
                out[..20].to_vec()
            } else {
                let mut ctx = Sha256::new();
                dk_sha256_init(&mut ctx);
                dk_sha256_update(&mut ctx, MESSAGE.as_ptr(), MESSAGE.len());
                dk_sha256_final(&mut ctx, out.as_mut_ptr());
                out.to_vec()
            }
        }
    }

    #[test]
    fn exported_hashes_give_openssls_digests() {
        assert_eq!(digest_of(1), hex(MESSAGE_SHA1));
        assert_eq!(digest_of(256), hex(MESSAGE_SHA256));
    }

    #[test]
    fn good_signatures_verify() {
        for v in &RSA {
            let n = hex(v.n);
            assert_eq!(verify(&n, v.e, &hex(v.sig_sha1), 1, &hex(MESSAGE_SHA1)), 1, "{} SHA-1", v.bits);
            assert_eq!(
                verify(&n, v.e, &hex(v.sig_sha256), 256, &hex(MESSAGE_SHA256)),
                1,
                "{} SHA-256",
                v.bits
            );
        }
    }

    #[test]
    fn bad_signatures_do_not() {
        for v in &RSA {
            let n = hex(v.n);
            let sig = hex(v.sig_sha1);
            let digest = hex(MESSAGE_SHA1);
            let bits = v.bits;
            for at in [0, sig.len() / 2, sig.len() - 1] {
                let mut bad = sig.clone();
                bad[at] ^= 0x40;
                assert_eq!(verify(&n, v.e, &bad, 1, &digest), 0, "{} sig byte {}", bits, at);
            }
            let mut other = digest.clone();
            other[19] ^= 1;
            assert_eq!(verify(&n, v.e, &sig, 1, &other), 0, "{} other digest", bits);
            // The right signature under the wrong hash, and an unknown code.
            let digest256 = hex(MESSAGE_SHA256);
            assert_eq!(verify(&n, v.e, &sig, 256, &digest256), 0, "{} SHA-1 sig as SHA-256", bits);
            assert_eq!(verify(&n, v.e, &hex(v.sig_sha256), 1, &digest256), 0, "{} SHA-256 as SHA-1", bits);
            assert_eq!(verify(&n, v.e, &sig, 5, &digest256), 0, "{} code 5", bits);
            // Lengths, and values not below n.
            assert_eq!(verify(&n, v.e, &sig[1..], 1, &digest), 0, "{} short sig", bits);
            let mut long = std::vec![0u8];
            long.extend_from_slice(&sig);
            assert_eq!(verify(&n, v.e, &long, 1, &digest), 0, "{} long sig", bits);
            assert_eq!(verify(&n, v.e, &n, 1, &digest), 0, "{} sig = n", bits);
            // Another key's exponent.
            assert_eq!(verify(&n, if v.e == 3 { 65537 } else { 3 }, &sig, 1, &digest), 0, "{} e", bits);
        }
    }
}
