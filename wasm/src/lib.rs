//! dk's WebAssembly crypto core: streaming SHA-1 and SHA-256, the RSA public
//! operation (Montgomery arithmetic) and PKCS#1 v1.5 signature verification.
//!
//! Layers, each in its own module: `block` (the padding and block framing the
//! two hashes share), `sha1` / `sha256` and `bignum` (the math),
//! `pkcs1` (the encoding), `exports` (the JS-facing functions over raw
//! pointers into linear memory).
//!
//! With the feature `bench-baseline` (the bench module, `dk_bench.wasm`,
//! never the shipped `dk_core.wasm`): `cios`, a plain baseline kept only so
//! `dk bench` can report the speed-up honestly, and `bench_exports`, its
//! JS-facing functions.
//!
//! No allocation, no global state: callers own every buffer. The known-answer
//! tests (`cargo test`, on the host) use `std`; the module itself does not.

#![cfg_attr(not(test), no_std)]

#[cfg(feature = "bench-baseline")]
pub mod bench_exports;
pub mod bignum;
pub mod block;
#[cfg(feature = "bench-baseline")]
pub mod cios;
pub mod exports;
pub mod pkcs1;
pub mod sha1;
pub mod sha256;
#[cfg(test)]
mod test_vectors;

#[cfg(not(test))]
#[panic_handler]
fn panic(_info: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}
