//! The functions JavaScript calls. Every buffer lives in linear memory and
//! belongs to the caller; lengths are checked here, results are 1 (yes) or
//! 0 (no), never anything that says why.

use crate::bignum::{PublicKey, MAX_BYTES};
use crate::cios::CiosKey;
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

/// Modulus length in bytes of a prepared key (0 when unusable).
///
/// # Safety
/// `key` must hold a key from `dk_rsa_key_init`.
#[no_mangle]
pub unsafe extern "C" fn dk_rsa_key_bytes(key: *const PublicKey) -> usize {
    (*key).bytes()
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

/// Size in bytes of a baseline key (benchmarks only).
#[no_mangle]
pub extern "C" fn dk_bench_cios_key_size() -> usize {
    core::mem::size_of::<CiosKey>()
}

/// Prepares a baseline key (benchmarks only); 1 or 0 as `dk_rsa_key_init`.
///
/// # Safety
/// As `dk_rsa_key_init`.
#[no_mangle]
pub unsafe extern "C" fn dk_bench_cios_key_init(
    key: *mut CiosKey,
    n: *const u8,
    n_len: usize,
    e: u32,
) -> i32 {
    key.write(CiosKey::EMPTY);
    (*key).init(slice::from_raw_parts(n, n_len), e) as i32
}

/// The public operation with the plain CIOS baseline (benchmarks only).
///
/// # Safety
/// As `dk_rsa_public`; `out` must have room for `sig_len` bytes.
#[no_mangle]
pub unsafe extern "C" fn dk_bench_cios_public(
    key: *const CiosKey,
    sig: *const u8,
    sig_len: usize,
    out: *mut u8,
) -> i32 {
    (*key).public(slice::from_raw_parts(sig, sig_len), slice::from_raw_parts_mut(out, sig_len)) as i32
}
