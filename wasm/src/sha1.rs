//! SHA-1 (FIPS 180-4, section 6.1), streaming.
//!
//! SHA-1 is broken for collision resistance; DomainKeys (RFC 4870) still
//! names it, so a verifier must compute it.

use crate::block::BlockBuffer;

/// Streaming SHA-1 state. `repr(C)` so JavaScript can hold a copy of it.
#[repr(C)]
pub struct Sha1 {
    state: [u32; 5],
    block: BlockBuffer,
}

const INITIAL: [u32; 5] = [0x6745_2301, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476, 0xc3d2_e1f0];

impl Sha1 {
    /// A fresh state.
    pub const fn new() -> Self {
        Sha1 { state: INITIAL, block: BlockBuffer::new() }
    }

    /// Adds bytes; the chunking does not change the digest.
    pub fn update(&mut self, data: &[u8]) {
        let state = &mut self.state;
        self.block.update(data, |b| compress(state, b));
    }

    /// Writes the 20-byte digest. The state must not be used afterwards.
    pub fn finish(&mut self, out: &mut [u8; 20]) {
        let state = &mut self.state;
        self.block.finish(|b| compress(state, b));
        for (chunk, word) in out.chunks_exact_mut(4).zip(self.state.iter()) {
            chunk.copy_from_slice(&word.to_be_bytes());
        }
    }
}

impl Default for Sha1 {
    fn default() -> Self {
        Self::new()
    }
}

#[inline(always)]
fn ch(b: u32, c: u32, d: u32) -> u32 {
    d ^ (b & (c ^ d))
}
#[inline(always)]
fn parity(b: u32, c: u32, d: u32) -> u32 {
    b ^ c ^ d
}
#[inline(always)]
fn maj(b: u32, c: u32, d: u32) -> u32 {
    (b & c) | (d & (b | c))
}

/// One 64-byte block. The message schedule runs four words at a time in
/// vector registers (W+K per group of four rounds, lanes extracted as the
/// rounds need them): words 16–31 by the defining recurrence with a fix-up
/// for the lane that depends on its own vector, words 32–79 by the
/// equivalent W[t] = rotl2(W[t-6] ^ W[t-16] ^ W[t-28] ^ W[t-32]), whose lags
/// are all at least four.
#[cfg(target_feature = "simd128")]
fn compress(state: &mut [u32; 5], block: &[u8]) {
    use core::arch::wasm32::{
        i32x4_add, i32x4_shuffle, i8x16_swizzle, u32x4_extract_lane, u32x4_shl, u32x4_shr, u32x4_splat,
        u8x16, v128, v128_load, v128_or, v128_xor,
    };
    #[inline(always)]
    fn rotl(x: v128, n: u32) -> v128 {
        v128_or(u32x4_shl(x, n), u32x4_shr(x, 32 - n))
    }
    let swap = u8x16(3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12);
    let zero = u32x4_splat(0);
    let mut w = [zero; 20];
    for (i, word) in w.iter_mut().take(4).enumerate() {
        let bytes = &block[16 * i..16 * i + 16];
        // SAFETY: 16 readable bytes; v128_load allows any alignment.
        *word = i8x16_swizzle(unsafe { v128_load(bytes.as_ptr() as *const v128) }, swap);
    }
    let [mut a, mut b, mut c, mut d, mut e] = *state;
    #[inline(always)]
    fn early(w: &[v128; 20], g: usize, zero: v128) -> v128 {
        let w14 = i32x4_shuffle::<2, 3, 4, 5>(w[g - 4], w[g - 3]);
        let w3 = i32x4_shuffle::<1, 2, 3, 4>(w[g - 1], zero);
        let r = rotl(v128_xor(v128_xor(w[g - 4], w14), v128_xor(w[g - 2], w3)), 1);
        let fix = rotl(i32x4_shuffle::<4, 4, 4, 0>(r, zero), 1);
        v128_xor(r, fix)
    }
    #[inline(always)]
    fn late(w: &[v128; 20], g: usize) -> v128 {
        let w6 = i32x4_shuffle::<2, 3, 4, 5>(w[g - 2], w[g - 1]);
        rotl(v128_xor(v128_xor(w6, w[g - 4]), v128_xor(w[g - 7], w[g - 8])), 2)
    }
    macro_rules! group {
        ($g:expr, $f:ident, $k:expr) => {
            if $g >= 8 {
                w[$g] = late(&w, $g);
            } else if $g >= 4 {
                w[$g] = early(&w, $g, zero);
            }
            let wk = i32x4_add(w[$g], u32x4_splat($k));
            let (w0, w1, w2, w3) = (
                u32x4_extract_lane::<0>(wk),
                u32x4_extract_lane::<1>(wk),
                u32x4_extract_lane::<2>(wk),
                u32x4_extract_lane::<3>(wk),
            );
            // Four rounds, the variables renamed instead of moved.
            e = e.wrapping_add(a.rotate_left(5)).wrapping_add($f(b, c, d)).wrapping_add(w0);
            b = b.rotate_left(30);
            d = d.wrapping_add(e.rotate_left(5)).wrapping_add($f(a, b, c)).wrapping_add(w1);
            a = a.rotate_left(30);
            c = c.wrapping_add(d.rotate_left(5)).wrapping_add($f(e, a, b)).wrapping_add(w2);
            e = e.rotate_left(30);
            b = b.wrapping_add(c.rotate_left(5)).wrapping_add($f(d, e, a)).wrapping_add(w3);
            d = d.rotate_left(30);
            // Rotate the names back: (a, b, c, d, e) ← (b, c, d, e, a).
            let t = a;
            a = b;
            b = c;
            c = d;
            d = e;
            e = t;
        };
    }
    group!(0, ch, 0x5a82_7999);
    group!(1, ch, 0x5a82_7999);
    group!(2, ch, 0x5a82_7999);
    group!(3, ch, 0x5a82_7999);
    group!(4, ch, 0x5a82_7999);
    group!(5, parity, 0x6ed9_eba1);
    group!(6, parity, 0x6ed9_eba1);
    group!(7, parity, 0x6ed9_eba1);
    group!(8, parity, 0x6ed9_eba1);
    group!(9, parity, 0x6ed9_eba1);
    group!(10, maj, 0x8f1b_bcdc);
    group!(11, maj, 0x8f1b_bcdc);
    group!(12, maj, 0x8f1b_bcdc);
    group!(13, maj, 0x8f1b_bcdc);
    group!(14, maj, 0x8f1b_bcdc);
    group!(15, parity, 0xca62_c1d6);
    group!(16, parity, 0xca62_c1d6);
    group!(17, parity, 0xca62_c1d6);
    group!(18, parity, 0xca62_c1d6);
    group!(19, parity, 0xca62_c1d6);
    state[0] = state[0].wrapping_add(a);
    state[1] = state[1].wrapping_add(b);
    state[2] = state[2].wrapping_add(c);
    state[3] = state[3].wrapping_add(d);
    state[4] = state[4].wrapping_add(e);
}

/// The block function without `simd128` (kept so the crate builds and can be
/// checked without it; the shipped module uses the vector one above).
#[cfg(not(target_feature = "simd128"))]
mod scalar {
    use super::{ch, maj, parity};
    use crate::block::load_words;

    macro_rules! round {
        ($a:ident, $b:ident, $c:ident, $d:ident, $e:ident, $f:expr, $k:expr, $w:expr) => {
            $e = $e.wrapping_add($a.rotate_left(5)).wrapping_add($f).wrapping_add($k).wrapping_add($w);
            $b = $b.rotate_left(30);
        };
    }

    /// W[t] for t >= 16 (FIPS 180-4, 6.1.2), kept in a 16-word ring.
    #[inline(always)]
    fn schedule(w: &mut [u32; 16], t: usize) -> u32 {
        let x = w[(t + 13) & 15] ^ w[(t + 8) & 15] ^ w[(t + 2) & 15] ^ w[t & 15];
        let x = x.rotate_left(1);
        w[t & 15] = x;
        x
    }

    /// W[t] for t < 16: the block's own words.
    #[inline(always)]
    fn given(w: &mut [u32; 16], t: usize) -> u32 {
        w[t]
    }

    macro_rules! five {
        ($w:ident, $t:expr, $a:ident, $b:ident, $c:ident, $d:ident, $e:ident, $f:ident, $k:expr, $load:ident) => {
            round!($a, $b, $c, $d, $e, $f($b, $c, $d), $k, $load(&mut $w, $t));
            round!($e, $a, $b, $c, $d, $f($a, $b, $c), $k, $load(&mut $w, $t + 1));
            round!($d, $e, $a, $b, $c, $f($e, $a, $b), $k, $load(&mut $w, $t + 2));
            round!($c, $d, $e, $a, $b, $f($d, $e, $a), $k, $load(&mut $w, $t + 3));
            round!($b, $c, $d, $e, $a, $f($c, $d, $e), $k, $load(&mut $w, $t + 4));
        };
    }

    /// One 64-byte block, fully unrolled, the schedule in a ring of 16 words
    /// so everything stays in locals.
    pub(super) fn compress(state: &mut [u32; 5], block: &[u8]) {
        let mut w = load_words(block);
        let [mut a, mut b, mut c, mut d, mut e] = *state;
        five!(w, 0, a, b, c, d, e, ch, 0x5a82_7999, given);
        five!(w, 5, a, b, c, d, e, ch, 0x5a82_7999, given);
        five!(w, 10, a, b, c, d, e, ch, 0x5a82_7999, given);
        round!(a, b, c, d, e, ch(b, c, d), 0x5a82_7999, w[15]);
        round!(e, a, b, c, d, ch(a, b, c), 0x5a82_7999, schedule(&mut w, 16));
        round!(d, e, a, b, c, ch(e, a, b), 0x5a82_7999, schedule(&mut w, 17));
        round!(c, d, e, a, b, ch(d, e, a), 0x5a82_7999, schedule(&mut w, 18));
        round!(b, c, d, e, a, ch(c, d, e), 0x5a82_7999, schedule(&mut w, 19));
        five!(w, 20, a, b, c, d, e, parity, 0x6ed9_eba1, schedule);
        five!(w, 25, a, b, c, d, e, parity, 0x6ed9_eba1, schedule);
        five!(w, 30, a, b, c, d, e, parity, 0x6ed9_eba1, schedule);
        five!(w, 35, a, b, c, d, e, parity, 0x6ed9_eba1, schedule);
        five!(w, 40, a, b, c, d, e, maj, 0x8f1b_bcdc, schedule);
        five!(w, 45, a, b, c, d, e, maj, 0x8f1b_bcdc, schedule);
        five!(w, 50, a, b, c, d, e, maj, 0x8f1b_bcdc, schedule);
        five!(w, 55, a, b, c, d, e, maj, 0x8f1b_bcdc, schedule);
        five!(w, 60, a, b, c, d, e, parity, 0xca62_c1d6, schedule);
        five!(w, 65, a, b, c, d, e, parity, 0xca62_c1d6, schedule);
        five!(w, 70, a, b, c, d, e, parity, 0xca62_c1d6, schedule);
        five!(w, 75, a, b, c, d, e, parity, 0xca62_c1d6, schedule);
        state[0] = state[0].wrapping_add(a);
        state[1] = state[1].wrapping_add(b);
        state[2] = state[2].wrapping_add(c);
        state[3] = state[3].wrapping_add(d);
        state[4] = state[4].wrapping_add(e);
    }
}

#[cfg(not(target_feature = "simd128"))]
use scalar::compress;

#[cfg(test)]
mod tests {
    //! Known answers: FIPS 180-2 appendix A and RFC 6234 section 8.5; the
    //! padding boundaries and the streamed message from Python's hashlib.
    use super::Sha1;
    use crate::test_vectors::hex;

    fn digest(pieces: &[&[u8]]) -> [u8; 20] {
        let mut hash = Sha1::new();
        for piece in pieces {
            hash.update(piece);
        }
        let mut out = [0u8; 20];
        hash.finish(&mut out);
        out
    }

    #[test]
    fn fips_180_and_rfc_6234_vectors() {
        let cases: [(&[u8], &str); 5] = [
            (b"", "da39a3ee5e6b4b0d3255bfef95601890afd80709"),
            (b"abc", "a9993e364706816aba3e25717850c26c9cd0d89d"),
            (
                b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
                "84983e441c3bd26ebaae4aa1f95129e5e54670f1",
            ),
            (
                b"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
                "a49b2446a02c645bf419f995b67091253a04a259",
            ),
            (&b"01234567".repeat(80), "dea356a2cddd90c7a7ecedc5ebb563934f460452"),
        ];
        for (message, want) in cases {
            assert_eq!(digest(&[message]).to_vec(), hex(want), "{} bytes", message.len());
        }
    }

    #[test]
    fn one_million_a_in_uneven_pieces() {
        let a = [b'a'; 1000];
        let mut hash = Sha1::new();
        let mut left = 1_000_000;
        let mut size = 1;
        while left > 0 {
            let n = size.min(left).min(a.len());
            hash.update(&a[..n]);
            left -= n;
            size = size * 7 % 997 + 1;
        }
        let mut out = [0u8; 20];
        hash.finish(&mut out);
        assert_eq!(out.to_vec(), hex("34aa973cd4c4daa4f61eeb2bdbad27316534016f"));
    }

    #[test]
    fn padding_boundaries() {
        let cases = [
            (55, "c1c8bbdc22796e28c0e15163d20899b65621d65a"),
            (56, "c2db330f6083854c99d4b5bfb6e8f29f201be699"),
            (57, "f08f24908d682555111be7ff6f004e78283d989a"),
            (63, "03f09f5b158a7a8cdad920bddc29b81c18a551f5"),
            (64, "0098ba824b5c16427bd7a1122a5a442a25ec644d"),
            (65, "11655326c708d70319be2610e8a57d9a5b959d3b"),
            (111, "ac877859d427d9192054eea8feb3b8a403ef83a5"),
            (112, "689993727ba37386bb032495e9dbdfb4dd1ba744"),
            (119, "ee971065aaa017e0632a8ca6c77bb3bf8b1dfc56"),
            (120, "f34c1488385346a55709ba056ddd08280dd4c6d6"),
            (127, "89d95fa32ed44a7c610b7ee38517ddf57e0bb975"),
            (128, "ad5b3fdbcb526778c2839d2f151ea753995e26a0"),
            (129, "d96debf1bdcbc896e6c134ea76e8141f40d78536"),
        ];
        let a = [b'a'; 129];
        for (len, want) in cases {
            assert_eq!(digest(&[&a[..len]]).to_vec(), hex(want), "{} bytes of 'a'", len);
        }
    }

    #[test]
    fn streaming_across_block_boundaries() {
        // 1000 bytes (i·31 + 7 mod 256), fed in every piece size 1–200 and
        // split in two at every offset 0–1000.
        let message: std::vec::Vec<u8> = (0..1000u32).map(|i| (i * 31 + 7) as u8).collect();
        let want = hex("414475341017ec91703435a6f290324818f983e9");
        for size in 1..=200 {
            let pieces: std::vec::Vec<&[u8]> = message.chunks(size).collect();
            assert_eq!(digest(&pieces).to_vec(), want, "pieces of {}", size);
        }
        for at in 0..=message.len() {
            let (a, b) = message.split_at(at);
            assert_eq!(digest(&[a, b, &[]]).to_vec(), want, "split at {}", at);
        }
    }
}
