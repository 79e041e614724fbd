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

#[cfg(test)]
mod tests {
    //! Known answers: FIPS 180-2 appendix A and RFC 6234 section 8.5; the
    //! padding boundaries and the streamed message from Python's hashlib.
    use super::Sha256;
    use crate::test_vectors::hex;

    fn digest(pieces: &[&[u8]]) -> [u8; 32] {
        let mut hash = Sha256::new();
        for piece in pieces {
            hash.update(piece);
        }
        let mut out = [0u8; 32];
        hash.finish(&mut out);
        out
    }

    #[test]
    fn fips_180_and_rfc_6234_vectors() {
        let cases: [(&[u8], &str); 5] = [
            (b"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            (b"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            (
                b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
                "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
            ),
            (
                b"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
                "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1",
            ),
            (&b"01234567".repeat(80), "594847328451bdfa85056225462cc1d867d877fb388df0ce35f25ab5562bfbb5"),
        ];
        for (message, want) in cases {
            assert_eq!(digest(&[message]).to_vec(), hex(want), "{} bytes", message.len());
        }
    }

    #[test]
    fn one_million_a_in_uneven_pieces() {
        let a = [b'a'; 1000];
        let mut hash = Sha256::new();
        let mut left = 1_000_000;
        let mut size = 1;
        while left > 0 {
            let n = size.min(left).min(a.len());
            hash.update(&a[..n]);
            left -= n;
            size = size * 7 % 997 + 1;
        }
        let mut out = [0u8; 32];
        hash.finish(&mut out);
        assert_eq!(out.to_vec(), hex("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"));
    }

    #[test]
    fn padding_boundaries() {
        let cases = [
            (55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"),
            (56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"),
            (57, "f13b2d724659eb3bf47f2dd6af1accc87b81f09f59f2b75e5c0bed6589dfe8c6"),
            (63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"),
            (64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"),
            (65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0"),
            (111, "6374f73208854473827f6f6a3f43b1f53eaa3b82c21c1a6d69a2110b2a79baad"),
            (112, "f54353008a2553262ecdc4a34749563ba0950e8b0fc8652780b0a614b99683c1"),
            (119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb"),
            (120, "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c"),
            (127, "c57e9278af78fa3cab38667bef4ce29d783787a2f731d4e12200270f0c32320a"),
            (128, "6836cf13bac400e9105071cd6af47084dfacad4e5e302c94bfed24e013afb73e"),
            (129, "c12cb024a2e5551cca0e08fce8f1c5e314555cc3fef6329ee994a3db752166ae"),
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
        let want = hex("5097e7d587352f5097062ae679f37bda5802d9f875aba14c8cb4d1a188ada179");
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
