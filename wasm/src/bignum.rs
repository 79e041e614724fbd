//! Montgomery arithmetic for the RSA public operation, 512–4096-bit moduli.
//!
//! Numbers are held in 29-bit digits inside 32-bit words. Products of two
//! digits fit in 58 bits, so a whole column of a product (at most 2 × 142
//! products for a 4096-bit modulus, spread over eight 64-bit vector lanes,
//! at most 37 per lane) is summed with no carry handling inside the loop. Montgomery
//! multiplication is product scanning with the reduction interleaved
//! (Koç et al. 1996, "FIPS"); each column is a dot product of one operand
//! against the other stored reversed, computed with `simd128` extended
//! multiplies (`i64x2.extmul_low_i32x4_u`): four digit products per pair of
//! instructions. Squaring computes each cross product once and doubles it.
//!
//! Everything here works on public data (signatures, public keys): nothing
//! is constant time, nothing needs to be.

#[cfg(target_feature = "simd128")]
use core::arch::wasm32::{
    i64x2_add, u32x4, u64x2_extmul_high_u32x4, u64x2_extmul_low_u32x4, u64x2_extract_lane, u64x2_shr,
    u64x2_splat, v128, v128_and,
};

/// Bits per digit.
pub const DIGIT_BITS: u32 = 29;
const MASK: u64 = (1 << DIGIT_BITS) - 1;
/// Smallest modulus accepted, in bits.
pub const MIN_BITS: u32 = 512;
/// Largest modulus accepted, in bits.
pub const MAX_BITS: u32 = 4096;
/// Largest modulus accepted, in bytes.
pub const MAX_BYTES: usize = MAX_BITS as usize / 8;
const MAX_DIGITS: usize = (MAX_BITS as usize + DIGIT_BITS as usize - 1) / DIGIT_BITS as usize;
/// Zero digits kept on each side so vector loads may run past the end.
const PAD: usize = 4;
const SPAN: usize = MAX_DIGITS + 2 * PAD + 1;

/// A number below 2^(29 × 143): digits little-endian at `[PAD, PAD + len)`,
/// zero everywhere else.
#[derive(Clone, Copy)]
#[repr(C)]
pub struct Num {
    d: [u32; SPAN],
}

impl Num {
    const ZERO: Num = Num { d: [0; SPAN] };

    #[inline(always)]
    fn get(&self, i: usize) -> u32 {
        self.d[PAD + i]
    }

    #[inline(always)]
    fn set(&mut self, i: usize, v: u32) {
        self.d[PAD + i] = v;
    }

    /// Reads big-endian bytes; false when the value needs more than `digits` digits.
    fn from_be_bytes(&mut self, bytes: &[u8], digits: usize) -> bool {
        *self = Num::ZERO;
        let mut acc: u64 = 0;
        let mut held = 0;
        let mut i = 0;
        for &byte in bytes.iter().rev() {
            acc |= (byte as u64) << held;
            held += 8;
            if held >= DIGIT_BITS {
                if i >= MAX_DIGITS {
                    return false;
                }
                self.set(i, (acc & MASK) as u32);
                acc >>= DIGIT_BITS;
                held -= DIGIT_BITS;
                i += 1;
            }
        }
        if held > 0 && acc != 0 {
            if i >= MAX_DIGITS {
                return false;
            }
            self.set(i, acc as u32);
        }
        self.d[PAD + digits..].iter().all(|&x| x == 0)
    }

    /// Writes the value as `out.len()` big-endian bytes (it must fit).
    fn to_be_bytes(&self, out: &mut [u8]) {
        let mut acc: u64 = 0;
        let mut held = 0;
        let mut i = 0;
        for byte in out.iter_mut().rev() {
            if held < 8 {
                if PAD + i < SPAN {
                    acc |= (self.d[PAD + i] as u64) << held;
                }
                held += DIGIT_BITS;
                i += 1;
            }
            *byte = acc as u8;
            acc >>= 8;
            held -= 8;
        }
    }

    /// True when `self < other`, comparing digits `[0, len)`.
    fn less_than(&self, other: &Num, len: usize) -> bool {
        for i in (0..len).rev() {
            let (a, b) = (self.get(i), other.get(i));
            if a != b {
                return a < b;
            }
        }
        false
    }

    /// `self -= other` over digits `[0, len)`; `self` must not be smaller.
    fn sub_assign(&mut self, other: &Num, len: usize) {
        let mut borrow: u32 = 0;
        for i in 0..len {
            let x = self.get(i).wrapping_sub(other.get(i)).wrapping_sub(borrow);
            borrow = x >> 31;
            self.set(i, x & MASK as u32);
        }
    }
}

/// An RSA public key prepared for Montgomery arithmetic. `repr(C)` so
/// JavaScript can keep a copy per key and hand it back.
#[repr(C)]
pub struct PublicKey {
    digits: u32,
    bits: u32,
    bytes: u32,
    /// -n⁻¹ mod 2^29.
    n0: u32,
    e: u32,
    n: Num,
    /// n's digits in reverse order: `nrev[s - 1 - j] = n[j]`.
    nrev: Num,
    /// R² mod n, R = 2^(29 × digits).
    rr: Num,
}

impl PublicKey {
    /// An empty key (every operation with it fails until `init` succeeds).
    pub const EMPTY: PublicKey =
        PublicKey { digits: 0, bits: 0, bytes: 0, n0: 0, e: 0, n: Num::ZERO, nrev: Num::ZERO, rr: Num::ZERO };

    /// Prepares modulus `n` (big-endian) and exponent `e`. False when n is
    /// even or outside 512–4096 bits, or e is even or below 3.
    pub fn init(&mut self, n: &[u8], e: u32) -> bool {
        *self = PublicKey::EMPTY;
        let start = n.iter().position(|&b| b != 0).unwrap_or(n.len());
        let n = &n[start..];
        if n.is_empty() || n.len() > MAX_BYTES || n[n.len() - 1] & 1 == 0 || e < 3 || e & 1 == 0 {
            return false;
        }
        let bits = 8 * n.len() as u32 - n[0].leading_zeros();
        if !(MIN_BITS..=MAX_BITS).contains(&bits) {
            return false;
        }
        let s = ((bits + DIGIT_BITS - 1) / DIGIT_BITS) as usize;
        if !self.n.from_be_bytes(n, s) {
            return false;
        }
        for j in 0..s {
            self.nrev.set(s - 1 - j, self.n.get(j));
        }
        self.digits = s as u32;
        self.bits = bits;
        self.bytes = n.len() as u32;
        self.e = e;
        // Newton iteration: each step doubles the correct low bits (3 → 48).
        let n0 = self.n.get(0);
        let mut inv = n0;
        for _ in 0..4 {
            inv = inv.wrapping_mul(2u32.wrapping_sub(n0.wrapping_mul(inv)));
        }
        self.n0 = inv.wrapping_neg() & MASK as u32;
        self.rr = self.r_squared();
        true
    }

    /// Modulus length in bytes.
    pub fn bytes(&self) -> usize {
        self.bytes as usize
    }

    fn r_squared(&self) -> Num {
        let s = self.digits as usize;
        let bits = self.bits as usize;
        // R mod n: 2^(bits - 1) < n, doubled up to 2^(29 s).
        let mut x = Num::ZERO;
        let top = bits - 1;
        x.set(top / DIGIT_BITS as usize, 1 << (top % DIGIT_BITS as usize));
        for _ in 0..(DIGIT_BITS as usize * s - top) {
            self.double(&mut x);
        }
        // Now x is 1 in Montgomery form; raise 2 to E = 29 s in that form:
        // the top six bits of E by doubling, the rest by square-and-double.
        let exp = DIGIT_BITS as usize * s;
        let len = usize::BITS as usize - exp.leading_zeros() as usize;
        for _ in 0..(exp >> (len - 6)) {
            self.double(&mut x);
        }
        for bit in (0..len - 6).rev() {
            let y = x;
            self.sqr(&mut x, &y);
            if (exp >> bit) & 1 == 1 {
                self.double(&mut x);
            }
        }
        x
    }

    /// x = 2x mod n (x < n).
    fn double(&self, x: &mut Num) {
        let s = self.digits as usize;
        let mut carry = 0;
        for i in 0..=s {
            let v = (x.get(i) << 1) | carry;
            carry = v >> DIGIT_BITS;
            x.set(i, v & MASK as u32);
        }
        if !x.less_than(&self.n, s + 1) {
            x.sub_assign(&self.n, s + 1);
        }
    }

    /// out = a·b/R mod n (a, b < n). `out` must be zero outside digits
    /// `[0, s]`, as every `Num` this module makes is; only those are written.
    pub fn mul(&self, out: &mut Num, a: &Num, b: &Num) {
        let s = self.digits as usize;
        let mut brev = Num::ZERO;
        for j in 0..s {
            brev.set(s - 1 - j, b.get(j));
        }
        let mut q = Num::ZERO;
        let t = out;
        let n0 = self.n.get(0) as u64;
        let mut carry: u64 = 0;
        // SAFETY: every pointer stays inside its `Num` (indices at most
        // PAD + s + 3 < SPAN), and digits outside [0, s) are zero.
        unsafe {
            let ap = a.d.as_ptr().add(PAD);
            let bp = brev.d.as_ptr().add(PAD);
            let qp = q.d.as_mut_ptr().add(PAD);
            let np = self.nrev.d.as_ptr().add(PAD);
            for i in 0..s {
                let off = s - 1 - i;
                let (lo, hi) = dot2(ap, bp.add(off), qp, np.add(off), (i + 4) / 4);
                let lo = lo + (carry & MASK);
                let hi = hi + (carry >> DIGIT_BITS);
                let qi = (lo as u32).wrapping_mul(self.n0) & MASK as u32;
                *qp.add(i) = qi;
                let p = qi as u64 * n0;
                carry = hi + (p >> DIGIT_BITS) + ((lo + (p & MASK)) >> DIGIT_BITS);
            }
            for k in s..2 * s {
                let start = k + 1 - s;
                let len = 2 * s - 1 - k;
                let (lo, hi) = dot2(ap.add(start), bp, qp.add(start), np, (len + 3) / 4);
                let lo = lo + (carry & MASK);
                let hi = hi + (carry >> DIGIT_BITS);
                t.set(k - s, (lo & MASK) as u32);
                carry = hi + (lo >> DIGIT_BITS);
            }
        }
        t.set(s, carry as u32);
        if !t.less_than(&self.n, s + 1) {
            t.sub_assign(&self.n, s + 1);
        }
    }

    /// out = a²/R mod n (a < n): each cross product computed once, doubled.
    /// `out` as for `mul`.
    pub fn sqr(&self, out: &mut Num, a: &Num) {
        let s = self.digits as usize;
        let mut arev = Num::ZERO;
        for j in 0..s {
            arev.set(s - 1 - j, a.get(j));
        }
        let mut q = Num::ZERO;
        let t = out;
        let n0 = self.n.get(0) as u64;
        let mut carry: u64 = 0;
        // SAFETY: as in `mul`.
        unsafe {
            let ap = a.d.as_ptr().add(PAD);
            let rp = arev.d.as_ptr().add(PAD);
            let qp = q.d.as_mut_ptr().add(PAD);
            let np = self.nrev.d.as_ptr().add(PAD);
            for i in 0..s {
                let off = s - 1 - i;
                let (clo, chi) = dot1(ap, rp.add(off), (i + 1) / 2);
                let (mut lo, mut hi) = dot1_padded(qp, np.add(off), (i + 4) / 4);
                lo += 2 * clo + (carry & MASK);
                hi += 2 * chi + (carry >> DIGIT_BITS);
                if i & 1 == 0 {
                    let x = *ap.add(i / 2) as u64;
                    let p = x * x;
                    lo += p & MASK;
                    hi += p >> DIGIT_BITS;
                }
                let qi = (lo as u32).wrapping_mul(self.n0) & MASK as u32;
                *qp.add(i) = qi;
                let p = qi as u64 * n0;
                carry = hi + (p >> DIGIT_BITS) + ((lo + (p & MASK)) >> DIGIT_BITS);
            }
            for k in s..2 * s {
                let start = k + 1 - s;
                let len = 2 * s - 1 - k;
                let (clo, chi) = dot1(ap.add(start), rp, (k + 1) / 2 - start);
                let (mut lo, mut hi) = dot1_padded(qp.add(start), np, (len + 3) / 4);
                lo += 2 * clo + (carry & MASK);
                hi += 2 * chi + (carry >> DIGIT_BITS);
                if k & 1 == 0 {
                    let x = *ap.add(k / 2) as u64;
                    let p = x * x;
                    lo += p & MASK;
                    hi += p >> DIGIT_BITS;
                }
                t.set(k - s, (lo & MASK) as u32);
                carry = hi + (lo >> DIGIT_BITS);
            }
        }
        t.set(s, carry as u32);
        if !t.less_than(&self.n, s + 1) {
            t.sub_assign(&self.n, s + 1);
        }
    }

    /// Writes `x^e mod n` (x big-endian, exactly as long as n) to `out`
    /// (as long as n). False when the key is empty, the lengths differ or
    /// x ≥ n.
    pub fn public(&self, x: &[u8], out: &mut [u8]) -> bool {
        let s = self.digits as usize;
        if s == 0 || x.len() != self.bytes() || out.len() != self.bytes() {
            return false;
        }
        let mut base = Num::ZERO;
        if !base.from_be_bytes(x, s) || !base.less_than(&self.n, s) {
            return false;
        }
        // Left to right in Montgomery form; the last multiplication takes x
        // itself, which leaves Montgomery form for free (e is odd).
        let mut xm = Num::ZERO;
        self.mul(&mut xm, &base, &self.rr);
        let mut acc = xm;
        let mut tmp = Num::ZERO;
        // Ping-pong between two buffers: swapping references copies nothing.
        let (mut cur, mut other) = (&mut acc, &mut tmp);
        let top = 31 - self.e.leading_zeros();
        for bit in (1..top).rev() {
            self.sqr(other, cur);
            if (self.e >> bit) & 1 == 1 {
                self.mul(cur, other, &xm);
            } else {
                core::mem::swap(&mut cur, &mut other);
            }
        }
        self.sqr(other, cur);
        self.mul(cur, other, &base);
        let acc = cur;
        acc.to_be_bytes(out);
        true
    }
}

/// Splits lane sums into (low digits, high parts): the value is lo + hi·2^29.
#[cfg(target_feature = "simd128")]
#[inline(always)]
fn fold(acc0: v128, acc1: v128) -> (u64, u64) {
    let mask = u64x2_splat(MASK);
    let lo = i64x2_add(v128_and(acc0, mask), v128_and(acc1, mask));
    let hi = i64x2_add(u64x2_shr(acc0, DIGIT_BITS), u64x2_shr(acc1, DIGIT_BITS));
    (
        u64x2_extract_lane::<0>(lo) + u64x2_extract_lane::<1>(lo),
        u64x2_extract_lane::<0>(hi) + u64x2_extract_lane::<1>(hi),
    )
}

#[cfg(target_feature = "simd128")]
#[inline(always)]
unsafe fn load(p: *const u32) -> v128 {
    core::ptr::read_unaligned(p as *const v128)
}

/// Σ a[j]·b[j] + c[j]·d[j] for j < 4·groups, as (lo, hi) with value lo + hi·2^29.
/// Four accumulators: each lane takes at most 37 products below 2^58.
#[cfg(target_feature = "simd128")]
#[inline(always)]
unsafe fn dot2(a: *const u32, b: *const u32, c: *const u32, d: *const u32, groups: usize) -> (u64, u64) {
    let mut acc0 = u64x2_splat(0);
    let mut acc1 = u64x2_splat(0);
    let mut acc2 = u64x2_splat(0);
    let mut acc3 = u64x2_splat(0);
    for g in 0..groups {
        let (x, y) = (load(a.add(4 * g)), load(b.add(4 * g)));
        acc0 = i64x2_add(acc0, u64x2_extmul_low_u32x4(x, y));
        acc1 = i64x2_add(acc1, u64x2_extmul_high_u32x4(x, y));
        let (x, y) = (load(c.add(4 * g)), load(d.add(4 * g)));
        acc2 = i64x2_add(acc2, u64x2_extmul_low_u32x4(x, y));
        acc3 = i64x2_add(acc3, u64x2_extmul_high_u32x4(x, y));
    }
    fold4(acc0, acc1, acc2, acc3)
}

/// `fold` for four accumulators at once (one horizontal step, not two).
#[cfg(target_feature = "simd128")]
#[inline(always)]
fn fold4(acc0: v128, acc1: v128, acc2: v128, acc3: v128) -> (u64, u64) {
    let mask = u64x2_splat(MASK);
    let lo = i64x2_add(
        i64x2_add(v128_and(acc0, mask), v128_and(acc1, mask)),
        i64x2_add(v128_and(acc2, mask), v128_and(acc3, mask)),
    );
    let hi = i64x2_add(
        i64x2_add(u64x2_shr(acc0, DIGIT_BITS), u64x2_shr(acc1, DIGIT_BITS)),
        i64x2_add(u64x2_shr(acc2, DIGIT_BITS), u64x2_shr(acc3, DIGIT_BITS)),
    );
    (
        u64x2_extract_lane::<0>(lo) + u64x2_extract_lane::<1>(lo),
        u64x2_extract_lane::<0>(hi) + u64x2_extract_lane::<1>(hi),
    )
}

/// Σ a[j]·b[j] for j < 4·groups (zero padding makes the tail harmless).
#[cfg(target_feature = "simd128")]
#[inline(always)]
unsafe fn dot1_padded(a: *const u32, b: *const u32, groups: usize) -> (u64, u64) {
    let mut acc0 = u64x2_splat(0);
    let mut acc1 = u64x2_splat(0);
    for g in 0..groups {
        let (x, y) = (load(a.add(4 * g)), load(b.add(4 * g)));
        acc0 = i64x2_add(acc0, u64x2_extmul_low_u32x4(x, y));
        acc1 = i64x2_add(acc1, u64x2_extmul_high_u32x4(x, y));
    }
    fold(acc0, acc1)
}

/// Lane masks keeping the first 0–3 digits of a group.
#[cfg(target_feature = "simd128")]
const TAIL: [v128; 4] = [u32x4(0, 0, 0, 0), u32x4(!0, 0, 0, 0), u32x4(!0, !0, 0, 0), u32x4(!0, !0, !0, 0)];

/// Σ a[j]·b[j] for j < count exactly: whole groups, then one masked group
/// for the remainder (its loads stay inside the padded `Num`).
#[cfg(target_feature = "simd128")]
#[inline(always)]
unsafe fn dot1(a: *const u32, b: *const u32, count: usize) -> (u64, u64) {
    let groups = count / 4;
    let mut acc0 = u64x2_splat(0);
    let mut acc1 = u64x2_splat(0);
    for g in 0..groups {
        let (x, y) = (load(a.add(4 * g)), load(b.add(4 * g)));
        acc0 = i64x2_add(acc0, u64x2_extmul_low_u32x4(x, y));
        acc1 = i64x2_add(acc1, u64x2_extmul_high_u32x4(x, y));
    }
    let rest = count % 4;
    if rest != 0 {
        let x = v128_and(load(a.add(4 * groups)), TAIL[rest]);
        let y = load(b.add(4 * groups));
        acc0 = i64x2_add(acc0, u64x2_extmul_low_u32x4(x, y));
        acc1 = i64x2_add(acc1, u64x2_extmul_high_u32x4(x, y));
    }
    fold(acc0, acc1)
}

/// Scalar fallback, same contract as the vector `dot2`.
#[cfg(not(target_feature = "simd128"))]
#[inline(always)]
unsafe fn dot2(a: *const u32, b: *const u32, c: *const u32, d: *const u32, groups: usize) -> (u64, u64) {
    let (lo0, hi0) = dot1(a, b, 4 * groups);
    let (lo1, hi1) = dot1(c, d, 4 * groups);
    (lo0 + lo1, hi0 + hi1)
}

/// Scalar fallback, same contract as the vector `dot1_padded`.
#[cfg(not(target_feature = "simd128"))]
#[inline(always)]
unsafe fn dot1_padded(a: *const u32, b: *const u32, groups: usize) -> (u64, u64) {
    dot1(a, b, 4 * groups)
}

/// Scalar fallback, same contract as the vector `dot1`.
#[cfg(not(target_feature = "simd128"))]
#[inline(always)]
unsafe fn dot1(a: *const u32, b: *const u32, count: usize) -> (u64, u64) {
    let (mut lo, mut hi) = (0u64, 0u64);
    for j in 0..count {
        let p = *a.add(j) as u64 * *b.add(j) as u64;
        lo += p & MASK;
        hi += p >> DIGIT_BITS;
    }
    (lo, hi)
}

#[cfg(test)]
mod tests {
    //! Known answers from OpenSSL (`test_vectors`) and from arithmetic that
    //! needs no reference: 0^e = 0, 1^e = 1 and (n - 1)^e = n - 1 (e odd).
    use super::PublicKey;
    use crate::test_vectors::{hex, MESSAGE_SHA1, MESSAGE_SHA256, RSA};
    use std::vec::Vec;

    fn key(n: &[u8], e: u32) -> Option<PublicKey> {
        let mut key = PublicKey::EMPTY;
        if key.init(n, e) {
            Some(key)
        } else {
            None
        }
    }

    fn public(key: &PublicKey, x: &[u8]) -> Option<Vec<u8>> {
        let mut out = std::vec![0u8; key.bytes()];
        if key.public(x, &mut out) {
            Some(out)
        } else {
            None
        }
    }

    #[test]
    fn openssl_raw_public_operations() {
        for v in &RSA {
            let n = hex(v.n);
            let k = key(&n, v.e).unwrap();
            assert_eq!(k.bytes(), n.len(), "{} bits", v.bits);
            assert_eq!(public(&k, &hex(v.x)), Some(hex(v.y)), "{} bits: x^e mod n", v.bits);
            // A leading zero byte on the modulus changes nothing.
            let mut padded = std::vec![0u8];
            padded.extend_from_slice(&n);
            let k = key(&padded, v.e).unwrap();
            assert_eq!(public(&k, &hex(v.x)), Some(hex(v.y)), "{} bits, padded n", v.bits);
        }
    }

    #[test]
    fn openssl_signatures_recover_the_pkcs1_block() {
        // 00 01 FF…FF 00 || DigestInfo || digest, written out here (not
        // taken from pkcs1.rs) from RFC 8017 section 9.2, note 1.
        let info: [(&str, &str); 2] = [
            ("3021300906052b0e03021a05000414", MESSAGE_SHA1),
            ("3031300d060960864801650304020105000420", MESSAGE_SHA256),
        ];
        for v in &RSA {
            let k = key(&hex(v.n), v.e).unwrap();
            for (sig, (prefix, digest)) in [v.sig_sha1, v.sig_sha256].into_iter().zip(info) {
                let tail = [hex(prefix), hex(digest)].concat();
                let mut want = std::vec![0x00, 0x01];
                want.resize(k.bytes() - tail.len() - 1, 0xff);
                want.push(0x00);
                want.extend_from_slice(&tail);
                assert_eq!(public(&k, &hex(sig)), Some(want), "{} bits, {}", v.bits, digest);
            }
        }
    }

    #[test]
    fn fixed_points_zero_one_and_n_minus_one() {
        for v in &RSA {
            let n = hex(v.n);
            let k = key(&n, v.e).unwrap();
            let zero = std::vec![0u8; n.len()];
            let mut one = zero.clone();
            *one.last_mut().unwrap() = 1;
            let mut n_minus_one = n.clone();
            *n_minus_one.last_mut().unwrap() -= 1; // n is odd: no borrow
            for x in [zero, one, n_minus_one] {
                assert_eq!(public(&k, &x), Some(x.clone()), "{} bits", v.bits);
            }
        }
    }

    #[test]
    fn refuses_values_not_below_n_and_wrong_lengths() {
        for v in &RSA {
            let n = hex(v.n);
            let k = key(&n, v.e).unwrap();
            assert_eq!(public(&k, &n), None, "x = n, {} bits", v.bits);
            assert_eq!(public(&k, &std::vec![0xff; n.len()]), None, "x = 2^k - 1");
            let x = hex(v.x);
            assert_eq!(public(&k, &x[1..]), None, "one byte short");
            let mut long = std::vec![0u8];
            long.extend_from_slice(&x);
            assert_eq!(public(&k, &long), None, "one byte long");
            let mut out = std::vec![0u8; n.len() - 1];
            assert!(!k.public(&x, &mut out), "output one byte short");
        }
        let empty = PublicKey::EMPTY;
        assert!(!empty.public(&[], &mut []), "an empty key does nothing");
    }

    #[test]
    fn refuses_unusable_keys() {
        let n = hex(RSA[0].n);
        assert!(key(&n, 65537).is_some());
        let mut even = n.clone();
        *even.last_mut().unwrap() ^= 1;
        assert!(key(&even, 65537).is_none(), "even n");
        for e in [0, 1, 2, 65536] {
            assert!(key(&n, e).is_none(), "e = {}", e);
        }
        // 511 bits: n's top bit cleared.
        let mut short = n.clone();
        short[0] &= 0x7f;
        assert!(key(&short, 65537).is_none(), "511-bit n");
        // 4097 bits, and nothing at all.
        let mut long = std::vec![0xffu8; 513];
        long[0] = 1;
        assert!(key(&long, 65537).is_none(), "4097-bit n");
        assert!(key(&[], 65537).is_none(), "empty n");
        assert!(key(&[0; 64], 65537).is_none(), "zero n");
        // The largest size is taken: 4096 bits, all ones.
        assert!(key(&[0xff; 512], 65537).is_some(), "4096-bit n");
    }
}
