//! SHA-256 (FIPS 180-4, section 6.2), streaming.

use crate::block::{load_words, BlockBuffer};

/// Streaming SHA-256 state. `repr(C)` so JavaScript can hold a copy of it.
#[repr(C)]
pub struct Sha256 {
    state: [u32; 8],
    block: BlockBuffer,
}

const INITIAL: [u32; 8] =
    [0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19];

const K: [u32; 64] = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

impl Sha256 {
    /// A fresh state.
    pub const fn new() -> Self {
        Sha256 { state: INITIAL, block: BlockBuffer::new() }
    }

    /// Adds bytes; the chunking does not change the digest.
    pub fn update(&mut self, data: &[u8]) {
        let state = &mut self.state;
        self.block.update(data, |b| compress(state, b));
    }

    /// Writes the 32-byte digest. The state must not be used afterwards.
    pub fn finish(&mut self, out: &mut [u8; 32]) {
        let state = &mut self.state;
        self.block.finish(|b| compress(state, b));
        for (chunk, word) in out.chunks_exact_mut(4).zip(self.state.iter()) {
            chunk.copy_from_slice(&word.to_be_bytes());
        }
    }
}

impl Default for Sha256 {
    fn default() -> Self {
        Self::new()
    }
}

/// W[t] for t >= 16 (FIPS 180-4, 6.2.2), kept in a 16-word ring.
#[inline(always)]
fn schedule(w: &mut [u32; 16], t: usize) -> u32 {
    let w15 = w[(t + 1) & 15];
    let w2 = w[(t + 14) & 15];
    let s0 = w15.rotate_right(7) ^ w15.rotate_right(18) ^ (w15 >> 3);
    let s1 = w2.rotate_right(17) ^ w2.rotate_right(19) ^ (w2 >> 10);
    let x = w[t & 15].wrapping_add(s0).wrapping_add(w[(t + 9) & 15]).wrapping_add(s1);
    w[t & 15] = x;
    x
}

/// W[t] for t < 16: the block's own words.
#[inline(always)]
fn given(w: &mut [u32; 16], t: usize) -> u32 {
    w[t]
}

/// One round with the eight working variables renamed instead of moved.
macro_rules! round {
    ($a:ident, $b:ident, $c:ident, $d:ident, $e:ident, $f:ident, $g:ident, $h:ident, $w:ident, $t:expr, $load:ident) => {
        let s1 = $e.rotate_right(6) ^ $e.rotate_right(11) ^ $e.rotate_right(25);
        let ch = $g ^ ($e & ($f ^ $g));
        let t1 = $h.wrapping_add(s1).wrapping_add(ch).wrapping_add(K[$t]).wrapping_add($load(&mut $w, $t));
        let s0 = $a.rotate_right(2) ^ $a.rotate_right(13) ^ $a.rotate_right(22);
        let maj = ($a & $b) | ($c & ($a | $b));
        $d = $d.wrapping_add(t1);
        $h = t1.wrapping_add(s0.wrapping_add(maj));
    };
}

macro_rules! eight {
    ($w:ident, $t:expr, $a:ident, $b:ident, $c:ident, $d:ident, $e:ident, $f:ident, $g:ident, $h:ident, $load:ident) => {
        round!($a, $b, $c, $d, $e, $f, $g, $h, $w, $t, $load);
        round!($h, $a, $b, $c, $d, $e, $f, $g, $w, $t + 1, $load);
        round!($g, $h, $a, $b, $c, $d, $e, $f, $w, $t + 2, $load);
        round!($f, $g, $h, $a, $b, $c, $d, $e, $w, $t + 3, $load);
        round!($e, $f, $g, $h, $a, $b, $c, $d, $w, $t + 4, $load);
        round!($d, $e, $f, $g, $h, $a, $b, $c, $w, $t + 5, $load);
        round!($c, $d, $e, $f, $g, $h, $a, $b, $w, $t + 6, $load);
        round!($b, $c, $d, $e, $f, $g, $h, $a, $w, $t + 7, $load);
    };
}

/// One 64-byte block, fully unrolled, the schedule in a ring of 16 words so
/// everything stays in locals.
fn compress(state: &mut [u32; 8], block: &[u8]) {
    let mut w = load_words(block);
    let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut h] = *state;
    eight!(w, 0, a, b, c, d, e, f, g, h, given);
    eight!(w, 8, a, b, c, d, e, f, g, h, given);
    eight!(w, 16, a, b, c, d, e, f, g, h, schedule);
    eight!(w, 24, a, b, c, d, e, f, g, h, schedule);
    eight!(w, 32, a, b, c, d, e, f, g, h, schedule);
    eight!(w, 40, a, b, c, d, e, f, g, h, schedule);
    eight!(w, 48, a, b, c, d, e, f, g, h, schedule);
    eight!(w, 56, a, b, c, d, e, f, g, h, schedule);
    let add = [a, b, c, d, e, f, g, h];
    for (s, x) in state.iter_mut().zip(add.iter()) {
        *s = s.wrapping_add(*x);
    }
}
