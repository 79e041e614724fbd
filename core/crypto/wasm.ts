/**
 * The WebAssembly backend: dk's own crypto core (`wasm/`, Rust, no
 * dependencies) for SHA-1, SHA-256, the RSA public operation and PKCS#1
 * v1.5 verification. The module's bytes come from the generated
 * `wasm/core_wasm.ts`, so this also works inside a `deno compile` binary;
 * it is compiled and instantiated once, synchronously, the first time a
 * hash or verifier is asked for (modes that only sign never pay for it).
 *
 * Memory: every buffer the core uses sits in a fixed layout above the
 * module's heap base. Hash states live in a few state slots there (a
 * message's body and header hashes run side by side without copying); a
 * stream that loses its slot to another keeps its state in JavaScript
 * until it is used again, so any number of streams can be open at once.
 *
 * @module
 */

import { CORE_WASM_BASE64 } from "../../wasm/core_wasm.ts";
import {
  instantiate,
  placeBuffers,
  type WasmMemoryExports,
} from "./wasm_memory.ts";
import type {
  CryptoBackend,
  HashName,
  HashStream,
  RsaPublicKey,
  Verifier,
} from "./backend.ts";
import { KeyCache } from "./key_cache.ts";
import { usableKey } from "./key_policy.ts";
import { DIGEST_LENGTH } from "./pkcs1.ts";
import { importSource } from "../source.ts";

/** The functions `wasm/src/exports.rs` exports. */
interface _Exports extends WasmMemoryExports {
  dk_sha1_size(): number;
  dk_sha1_init(ctx: number): void;
  dk_sha1_update(ctx: number, data: number, len: number): void;
  dk_sha1_final(ctx: number, out: number): void;
  dk_sha256_size(): number;
  dk_sha256_init(ctx: number): void;
  dk_sha256_update(ctx: number, data: number, len: number): void;
  dk_sha256_final(ctx: number, out: number): void;
  dk_rsa_key_size(): number;
  dk_rsa_key_init(key: number, n: number, nLen: number, e: number): number;
  dk_rsa_public(key: number, sig: number, sigLen: number, out: number): number;
  dk_pkcs1_verify(
    key: number,
    sig: number,
    sigLen: number,
    alg: number,
    digest: number,
  ): number;
}

/** Bytes fed to the core per hash call. */
const _INPUT_SIZE = 64 * 1024;
/** Largest modulus and signature, in bytes (4096 bits). */
const _MAX_BYTES = 512;
/** Hash state slots in the core's memory. */
const _HASH_SLOTS = 4;

interface _Core {
  x: _Exports;
  /** View of the whole memory (never grown after setup). */
  mem: Uint8Array;
  /** The first of {@link _HASH_SLOTS} state slots, each `hashStateSize` long. */
  hashState: number;
  hashStateSize: number;
  digest: number;
  sig: number;
  out: number;
  modulus: number;
  input: number;
  /** The stream whose state is in each hash slot now. */
  hashOwners: (_WasmHash | null)[];
  /** The slot given up next when all are taken (round robin). */
  nextVictim: number;
  /** The key slot of the core's arithmetic. */
  rsa: _KeySlot;
}

/** A prepared-key slot in the core's memory and the exports that use it. */
interface _KeySlot {
  /** Offset and size of the slot. */
  at: number;
  size: number;
  /** Prepares a key from the modulus at `n` into `slot`; 1 on success. */
  init(slot: number, n: number, nLen: number, e: number): number;
  /** `sig^e mod n` with the key in `slot`, into `out`; 1 on success. */
  run(slot: number, sig: number, sigLen: number, out: number): number;
  /** Prepared slot bytes per key (null: refused). */
  prepared: KeyCache<Uint8Array | null>;
  /** The prepared key whose bytes are in the slot now. */
  loaded: Uint8Array | null;
}

let _core: _Core | undefined;

function _instance(): _Core {
  if (_core !== undefined) return _core;
  const x = instantiate<_Exports>(CORE_WASM_BASE64);
  const { take, done } = placeBuffers(x);
  const hashStateSize = Math.max(x.dk_sha1_size(), x.dk_sha256_size());
  const slot = (
    size: number,
    init: _KeySlot["init"],
    run: _KeySlot["run"],
  ): _KeySlot => ({
    at: take(size),
    size,
    init,
    run,
    prepared: new KeyCache(),
    loaded: null,
  });
  const layout = {
    hashState: take(hashStateSize * _HASH_SLOTS),
    digest: take(64),
    sig: take(_MAX_BYTES),
    out: take(_MAX_BYTES),
    modulus: take(_MAX_BYTES),
    rsa: slot(x.dk_rsa_key_size(), x.dk_rsa_key_init, x.dk_rsa_public),
    input: take(_INPUT_SIZE),
  };
  _core = {
    x,
    mem: done(),
    hashStateSize,
    ...layout,
    hashOwners: new Array(_HASH_SLOTS).fill(null),
    nextVictim: 0,
  };
  return _core;
}

class _WasmHash implements HashStream {
  #core: _Core;
  #alg: HashName;
  /** The slot holding this stream's state, or -1 when it is in #state. */
  #slot = -1;
  /** The state while out of the core; made at the first eviction only. */
  #state: Uint8Array | null = null;
  #digest: Uint8Array | null = null;

  constructor(alg: HashName) {
    const core = this.#core = _instance();
    this.#alg = alg;
    const at = this.#take();
    if (alg === "sha1") core.x.dk_sha1_init(at);
    else core.x.dk_sha256_init(at);
  }

  /** Takes a free slot (or another stream's) and returns its address. */
  #take(): number {
    const core = this.#core;
    const owners = core.hashOwners;
    let slot = owners.indexOf(null);
    if (slot < 0) {
      slot = core.nextVictim;
      core.nextVictim = (slot + 1) % _HASH_SLOTS;
      owners[slot]!._evict();
    }
    owners[slot] = this;
    this.#slot = slot;
    return core.hashState + slot * core.hashStateSize;
  }

  /** Saves this stream's state out of its slot (another stream needs it). */
  _evict(): void {
    const core = this.#core;
    const at = core.hashState + this.#slot * core.hashStateSize;
    this.#state ??= new Uint8Array(core.hashStateSize);
    this.#state.set(core.mem.subarray(at, at + core.hashStateSize));
    this.#slot = -1;
  }

  /** The address of this stream's state, brought back into a slot if out. */
  #acquire(): number {
    const core = this.#core;
    if (this.#slot >= 0) {
      return core.hashState + this.#slot * core.hashStateSize;
    }
    const at = this.#take();
    core.mem.set(this.#state!, at);
    return at;
  }

  update(bytes: Uint8Array): void {
    if (this.#digest) return;
    const core = this.#core;
    const state = this.#acquire();
    const update = this.#alg === "sha1"
      ? core.x.dk_sha1_update
      : core.x.dk_sha256_update;
    if (bytes.length <= _INPUT_SIZE) {
      core.mem.set(bytes, core.input);
      update(state, core.input, bytes.length);
      return;
    }
    for (let at = 0; at < bytes.length; at += _INPUT_SIZE) {
      const chunk = bytes.subarray(at, at + _INPUT_SIZE);
      core.mem.set(chunk, core.input);
      update(state, core.input, chunk.length);
    }
  }

  digest(): Uint8Array {
    // The first call hands out the digest itself; later calls (off the
    // contract, but harmless) get copies of it.
    if (this.#digest) return this.#digest.slice();
    const core = this.#core;
    this._final();
    this.#digest = core.mem.slice(
      core.digest,
      core.digest + DIGEST_LENGTH[this.#alg],
    );
    return this.#digest;
  }

  /**
   * Ends the stream with its digest in the core's digest buffer (valid
   * until the next core call), making no array. Once only, and instead of
   * {@link digest}.
   */
  _final(): void {
    const core = this.#core;
    const state = this.#acquire();
    if (this.#alg === "sha1") core.x.dk_sha1_final(state, core.digest);
    else core.x.dk_sha256_final(state, core.digest);
    core.hashOwners[this.#slot] = null;
    this.#slot = -1;
  }
}

/**
 * Largest modulus the core's arithmetic takes; the wasm backend's verifiers
 * hand bigger keys (up to the policy's 8192 bits) to the BigInt reference.
 */
export const WASM_MAX_BITS = 4096;

/** Loads `key` into `slot`, preparing it once; false when the key is refused. */
function _loadKey(core: _Core, slot: _KeySlot, key: RsaPublicKey): boolean {
  const prepared = slot.prepared.get(key, () => {
    const usable = usableKey(key);
    if (typeof usable === "string") return null;
    core.mem.set(usable.n, core.modulus);
    const ok = slot.init(slot.at, core.modulus, usable.n.length, usable.e);
    if (ok !== 1) return null;
    const bytes = core.mem.slice(slot.at, slot.at + slot.size);
    slot.loaded = bytes;
    return bytes;
  });
  if (prepared === null) return false;
  if (slot.loaded !== prepared) {
    core.mem.set(prepared, slot.at);
    slot.loaded = prepared;
  }
  return true;
}

/**
 * `signature^e mod n` by the wasm core, as a block of the modulus' length.
 * Returns null when the key is refused by the policy (`key_policy.ts`), the
 * signature's length differs from the modulus' or its value is not below n.
 */
export function wasmRsaPublic(
  key: RsaPublicKey,
  signature: Uint8Array,
): Uint8Array | null {
  const core = _instance();
  const slot = core.rsa;
  if (!_loadKey(core, slot, key) || signature.length > _MAX_BYTES) {
    return null;
  }
  core.mem.set(signature, core.sig);
  const ok = slot.run(slot.at, core.sig, signature.length, core.out);
  if (ok !== 1) return null;
  return core.mem.slice(core.out, core.out + signature.length);
}

/**
 * True when `signature` is a valid PKCS#1 v1.5 signature of `digest` under
 * `key`, checked whole inside the core; false for every bad input.
 */
export function wasmVerifyDigest(
  key: RsaPublicKey,
  alg: HashName,
  digest: Uint8Array,
  signature: Uint8Array,
): boolean {
  const core = _instance();
  if (digest.length !== DIGEST_LENGTH[alg]) return false;
  core.mem.set(digest, core.digest);
  return _verifyInCore(core, key, alg, signature);
}

/** {@link wasmVerifyDigest} of the digest already in the core's buffer. */
function _verifyInCore(
  core: _Core,
  key: RsaPublicKey,
  alg: HashName,
  signature: Uint8Array,
): boolean {
  if (!_loadKey(core, core.rsa, key) || signature.length > _MAX_BYTES) {
    return false;
  }
  core.mem.set(signature, core.sig);
  const code = alg === "sha1" ? 1 : 256;
  return core.x.dk_pkcs1_verify(
    core.rsa.at,
    core.sig,
    signature.length,
    code,
    core.digest,
  ) === 1;
}

/**
 * The wasm backend (the default). Its verifiers answer false for every bad
 * input, its `rsaPublic` null, as {@link wasmVerifyDigest} and
 * {@link wasmRsaPublic} do.
 */
export const wasmBackend: CryptoBackend = {
  name: "wasm",
  hash(alg: HashName): HashStream {
    return new _WasmHash(alg);
  },
  verifier(alg: HashName): Verifier {
    const hash = new _WasmHash(alg);
    // The digest is taken once (verify() may run once per key record) and
    // kept as plain numbers: no typed array per message.
    let digest: number[] | undefined;
    return {
      update(bytes: Uint8Array): void {
        hash.update(bytes);
      },
      async verify(key: RsaPublicKey, signature: Uint8Array): Promise<boolean> {
        const core = _instance();
        if (digest === undefined) {
          hash._final();
          digest = new Array(DIGEST_LENGTH[alg]);
          for (let i = 0; i < digest.length; i++) {
            digest[i] = core.mem[core.digest + i];
          }
        } else {
          for (let i = 0; i < digest.length; i++) {
            core.mem[core.digest + i] = digest[i];
          }
        }
        if (key.bits > WASM_MAX_BITS) {
          // Beyond the core's fixed 4096-bit arithmetic (rare, allowed up to
          // 8192): the BigInt reference, loaded only for such a key.
          const { bigintVerifyDigest } = await importSource<
            typeof import("./bigint.ts")
          >("core/crypto/bigint.ts");
          return bigintVerifyDigest(
            key,
            alg,
            Uint8Array.from(digest),
            signature,
          );
        }
        return _verifyInCore(core, key, alg, signature);
      },
    };
  },
  rsaPublic: wasmRsaPublic,
};
