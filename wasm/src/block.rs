//! What SHA-1 and SHA-256 share (FIPS 180-4, 5.1.1 and 5.2.1): the message
//! cut into 64-byte blocks, the running length, the final padding, and the
//! block's sixteen big-endian words.

/// The bytes of a partial block and the message length so far. `repr(C)`
/// so that the hash states holding it can be copied by JavaScript.
#[repr(C)]
pub struct BlockBuffer {
    buffered: u32,
    total: u64,
    buffer: [u8; 64],
}

impl BlockBuffer {
    /// An empty buffer at the start of a message.
    pub const fn new() -> Self {
        BlockBuffer { buffered: 0, total: 0, buffer: [0; 64] }
    }

    /// Adds bytes, calling `compress` on each complete 64-byte block; the
    /// chunking does not change which blocks it sees.
    #[inline(always)]
    pub fn update(&mut self, mut data: &[u8], mut compress: impl FnMut(&[u8])) {
        self.total = self.total.wrapping_add(data.len() as u64);
        let used = self.buffered as usize;
        if used > 0 {
            let take = core::cmp::min(64 - used, data.len());
            self.buffer[used..used + take].copy_from_slice(&data[..take]);
            data = &data[take..];
            if used + take < 64 {
                self.buffered = (used + take) as u32;
                return;
            }
            let block = self.buffer;
            compress(&block);
            self.buffered = 0;
        }
        let mut blocks = data.chunks_exact(64);
        for block in &mut blocks {
            compress(block);
        }
        let rest = blocks.remainder();
        self.buffer[..rest.len()].copy_from_slice(rest);
        self.buffered = rest.len() as u32;
    }

    /// Pads the message (0x80, zeros, the length in bits as 64 big-endian
    /// bits) and compresses the last block or two. The buffer must not be
    /// used afterwards.
    #[inline(always)]
    pub fn finish(&mut self, mut compress: impl FnMut(&[u8])) {
        let bits = self.total.wrapping_mul(8);
        let mut pad = [0u8; 72];
        pad[0] = 0x80;
        let used = self.buffered as usize;
        let zeros = if used < 56 { 56 - used } else { 120 - used };
        self.update(&pad[..zeros], &mut compress);
        self.update(&bits.to_be_bytes(), &mut compress);
    }
}

impl Default for BlockBuffer {
    fn default() -> Self {
        Self::new()
    }
}

/// The block's 16 big-endian words: four vector loads and byte swizzles
/// instead of sixty-four byte loads and shifts.
#[cfg(target_feature = "simd128")]
#[inline(always)]
pub(crate) fn load_words(block: &[u8]) -> [u32; 16] {
    use core::arch::wasm32::{i8x16_swizzle, u32x4_extract_lane, u8x16, v128, v128_load};
    let swap = u8x16(3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12);
    let mut w = [0u32; 16];
    for (i, words) in w.chunks_exact_mut(4).enumerate() {
        let bytes = &block[16 * i..16 * i + 16];
        // SAFETY: 16 readable bytes; v128_load allows any alignment.
        let v = i8x16_swizzle(unsafe { v128_load(bytes.as_ptr() as *const v128) }, swap);
        words[0] = u32x4_extract_lane::<0>(v);
        words[1] = u32x4_extract_lane::<1>(v);
        words[2] = u32x4_extract_lane::<2>(v);
        words[3] = u32x4_extract_lane::<3>(v);
    }
    w
}

/// Scalar fallback of the vector word loader.
#[cfg(not(target_feature = "simd128"))]
#[inline(always)]
pub(crate) fn load_words(block: &[u8]) -> [u32; 16] {
    let mut w = [0u32; 16];
    for (word, bytes) in w.iter_mut().zip(block.chunks_exact(4)) {
        *word = u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
    }
    w
}
