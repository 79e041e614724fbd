//! The plain baseline: 32-bit digits, textbook CIOS Montgomery
//! multiplication (Koç et al. 1996), squaring done as a multiplication, no
//! SIMD. Kept only so `dk bench` can measure what `bignum` gains over it;
//! nothing in dk verifies with it.

const MAX_DIGITS: usize = 4096 / 32;

/// A public key prepared for the baseline. `repr(C)` for JavaScript.
#[repr(C)]
pub struct CiosKey {
    digits: u32,
    bytes: u32,
    n0: u32,
    e: u32,
    n: [u32; MAX_DIGITS + 2],
    rr: [u32; MAX_DIGITS + 2],
}

impl CiosKey {
    /// An empty key.
    pub const EMPTY: CiosKey =
        CiosKey { digits: 0, bytes: 0, n0: 0, e: 0, n: [0; MAX_DIGITS + 2], rr: [0; MAX_DIGITS + 2] };

    /// Prepares n (big-endian, 512–4096 bits, odd) and e (odd, ≥ 3).
    pub fn init(&mut self, n: &[u8], e: u32) -> bool {
        *self = CiosKey::EMPTY;
        let start = n.iter().position(|&b| b != 0).unwrap_or(n.len());
        let n = &n[start..];
        if n.len() < 64 || n.len() > 512 || n[n.len() - 1] & 1 == 0 || e < 3 || e & 1 == 0 {
            return false;
        }
        let s = (n.len() + 3) / 4;
        read(&mut self.n, n);
        self.digits = s as u32;
        self.bytes = n.len() as u32;
        self.e = e;
        let mut inv = self.n[0];
        for _ in 0..4 {
            inv = inv.wrapping_mul(2u32.wrapping_sub(self.n[0].wrapping_mul(inv)));
        }
        self.n0 = inv.wrapping_neg();
        // R² mod n by doubling 1 up to 2^(64 s): slow, but only at setup.
        let mut x = [0u32; MAX_DIGITS + 2];
        x[0] = 1;
        for _ in 0..64 * s {
            let mut carry = 0;
            for d in x.iter_mut().take(s + 1) {
                let v = ((*d as u64) << 1) | carry;
                *d = v as u32;
                carry = v >> 32;
            }
            if !less(&x, &self.n, s + 1) {
                sub(&mut x, &self.n, s + 1);
            }
        }
        self.rr = x;
        true
    }

    fn mont(&self, out: &mut [u32; MAX_DIGITS + 2], a: &[u32; MAX_DIGITS + 2], b: &[u32; MAX_DIGITS + 2]) {
        let s = self.digits as usize;
        let mut t = [0u32; MAX_DIGITS + 2];
        for i in 0..s {
            let mut c: u64 = 0;
            for j in 0..s {
                let x = t[j] as u64 + a[j] as u64 * b[i] as u64 + c;
                t[j] = x as u32;
                c = x >> 32;
            }
            let x = t[s] as u64 + c;
            t[s] = x as u32;
            t[s + 1] = (x >> 32) as u32;
            let m = t[0].wrapping_mul(self.n0);
            let x = t[0] as u64 + m as u64 * self.n[0] as u64;
            c = x >> 32;
            for j in 1..s {
                let x = t[j] as u64 + m as u64 * self.n[j] as u64 + c;
                t[j - 1] = x as u32;
                c = x >> 32;
            }
            let x = t[s] as u64 + c;
            t[s - 1] = x as u32;
            t[s] = t[s + 1] + (x >> 32) as u32;
            t[s + 1] = 0;
        }
        if !less(&t, &self.n, s + 1) {
            sub(&mut t, &self.n, s + 1);
        }
        *out = t;
    }

    /// `x^e mod n` into `out`, as `PublicKey::public` does.
    pub fn public(&self, x: &[u8], out: &mut [u8]) -> bool {
        let s = self.digits as usize;
        if s == 0 || x.len() != self.bytes as usize || out.len() != x.len() {
            return false;
        }
        let mut base = [0u32; MAX_DIGITS + 2];
        read(&mut base, x);
        if !less(&base, &self.n, s) {
            return false;
        }
        let mut xm = [0u32; MAX_DIGITS + 2];
        self.mont(&mut xm, &base, &self.rr);
        let mut acc = xm;
        let mut tmp = [0u32; MAX_DIGITS + 2];
        let top = 31 - self.e.leading_zeros();
        for bit in (1..top).rev() {
            self.mont(&mut tmp, &acc, &acc);
            if (self.e >> bit) & 1 == 1 {
                self.mont(&mut acc, &tmp, &xm);
            } else {
                acc = tmp;
            }
        }
        self.mont(&mut tmp, &acc, &acc);
        self.mont(&mut acc, &tmp, &base);
        for (i, byte) in out.iter_mut().rev().enumerate() {
            *byte = (acc[i / 4] >> (8 * (i % 4))) as u8;
        }
        true
    }
}

fn read(out: &mut [u32; MAX_DIGITS + 2], bytes: &[u8]) {
    for (i, &b) in bytes.iter().rev().enumerate() {
        out[i / 4] |= (b as u32) << (8 * (i % 4));
    }
}

fn less(a: &[u32], b: &[u32], len: usize) -> bool {
    for i in (0..len).rev() {
        if a[i] != b[i] {
            return a[i] < b[i];
        }
    }
    false
}

fn sub(a: &mut [u32], b: &[u32], len: usize) {
    let mut borrow = 0u64;
    for i in 0..len {
        let x = (a[i] as u64).wrapping_sub(b[i] as u64).wrapping_sub(borrow);
        a[i] = x as u32;
        borrow = (x >> 63) & 1;
    }
}

#[cfg(test)]
mod tests {
    use super::CiosKey;
    use crate::test_vectors::{hex, RSA};

    #[test]
    fn openssl_raw_public_operations() {
        for v in &RSA {
            let mut key = std::boxed::Box::new(CiosKey::EMPTY);
            assert!(key.init(&hex(v.n), v.e), "{} bits", v.bits);
            let mut out = std::vec![0u8; hex(v.n).len()];
            assert!(key.public(&hex(v.x), &mut out), "{} bits", v.bits);
            assert_eq!(out, hex(v.y), "{} bits", v.bits);
            assert!(!key.public(&hex(v.n), &mut out), "x = n");
        }
    }
}
