//! The bench module's extra exports (feature `bench-baseline`, so only in
//! `dk_bench.wasm`, never in the shipped `dk_core.wasm`): the plain CIOS
//! baseline of `cios`, with the same calling convention as `exports`.

use crate::cios::CiosKey;
use core::slice;

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
