/**
 * fast-check arbitraries for reader property tests: random edits of valid
 * inputs (which get past the first checks and reach the deeper loops) and
 * byte strings built from the pieces a format's reader cares about.
 *
 * @module
 */

import fc from "fast-check";

const te = new TextEncoder();

/** Latin-1 bytes of `text` (each char's low 8 bits). */
export function latin1Bytes(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);
}

type Edit = {
  kind: "replace" | "insert" | "delete" | "double" | "cut";
  at: number;
  length: number;
  bytes: Uint8Array;
};

function applyEdit(input: Uint8Array, edit: Edit): Uint8Array {
  const at = edit.at % (input.length + 1);
  const end = Math.min(input.length, at + edit.length);
  const parts: Uint8Array[] = [];
  switch (edit.kind) {
    case "replace":
      parts.push(input.subarray(0, at), edit.bytes, input.subarray(at + 1));
      break;
    case "insert":
      parts.push(input.subarray(0, at), edit.bytes, input.subarray(at));
      break;
    case "delete":
      parts.push(input.subarray(0, at), input.subarray(end));
      break;
    case "double":
      parts.push(input.subarray(0, end), input.subarray(at));
      break;
    case "cut":
      parts.push(input.subarray(0, at));
      break;
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * One of `seeds` after 1–4 random edits: a byte replaced, bytes inserted, a
 * slice deleted or doubled, the tail cut. Inserted bytes are pieces of
 * `alphabet` (the format's special characters) or any bytes.
 */
export function mutated(
  seeds: readonly (Uint8Array | string)[],
  alphabet: readonly string[],
): fc.Arbitrary<Uint8Array> {
  const inputs = seeds.map((s) => typeof s === "string" ? te.encode(s) : s);
  const bytes = fc.oneof(
    fc.constantFrom(...alphabet).map(latin1Bytes),
    fc.uint8Array({ minLength: 1, maxLength: 4 }),
  );
  const edit: fc.Arbitrary<Edit> = fc.record({
    kind: fc.constantFrom("replace", "insert", "delete", "double", "cut"),
    at: fc.nat({ max: 0x3fffffff }).noBias(), // anywhere, not mostly the start
    length: fc.integer({ min: 1, max: 12 }),
    bytes,
  });
  return fc.tuple(
    fc.constantFrom(...inputs),
    fc.array(edit, { minLength: 1, maxLength: 4 }),
  ).map(([seed, edits]) => edits.reduce(applyEdit, seed));
}

/** Byte strings made of up to `maxPieces` of `pieces` and random text. */
export function pieced(
  pieces: readonly string[],
  maxPieces = 30,
): fc.Arbitrary<Uint8Array> {
  return fc.array(fc.oneof(fc.constantFrom(...pieces), fc.string()), {
    maxLength: maxPieces,
  }).map((parts) => latin1Bytes(parts.join("")));
}
