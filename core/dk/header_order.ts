/**
 * Which headers below a signature are hashed, and in what order
 * (domainkeys.md 1.4): message order (libdomainkeys, and dk's first
 * reading), or `h=` order as Mail::DKIM builds it (and as Gmail's signer of
 * 2006 hashed). Both give field indices into a {@link HeaderFields}; both
 * take the same headers, only the order may differ.
 *
 * @module
 */

import type { HeaderField, HeaderFields } from "../message/header.ts";

/**
 * Indices of the fields after `after` that are hashed, in message order:
 * every field when `named` is null, else every real field whose lowercased
 * name is in `named`.
 */
export function messageOrder(
  fields: HeaderFields,
  after: number,
  named: ReadonlySet<string> | null,
): number[] {
  const out: number[] = [];
  for (let i = after + 1; i < fields.length; i++) {
    if (named === null) {
      out.push(i);
      continue;
    }
    const f = fields.at(i)!;
    if (f.hasColon && named.has(f.lower)) out.push(i);
  }
  return out;
}

/**
 * Indices of the fields after `after` in `h=` order, as Mail::DKIM reads
 * it: group the fields by lowercased name (each group in message order);
 * walk `names` (the `h=` list, lowercased) from last to first; where the
 * name occurs again further left, take the last remaining field of that
 * name; at its leftmost occurrence take all remaining fields of that name;
 * prepend what is taken. Linear in fields plus names.
 */
export function hOrder(
  fields: HeaderFields,
  after: number,
  names: readonly string[],
): number[] {
  const first = new Map<string, number>();
  names.forEach((name, j) => {
    if (!first.has(name)) first.set(name, j);
  });
  const groups = new Map<string, number[]>();
  for (let i = after + 1; i < fields.length; i++) {
    const f = fields.at(i)!;
    if (!f.hasColon) continue;
    const name = f.lower;
    if (!first.has(name)) continue;
    const group = groups.get(name);
    if (group) group.push(i);
    else groups.set(name, [i]);
  }
  // Taken from the back; reversed once at the end instead of prepending.
  const taken: number[][] = [];
  for (let j = names.length - 1; j >= 0; j--) {
    const group = groups.get(names[j]);
    if (!group || group.length === 0) continue;
    if (first.get(names[j])! < j) taken.push([group.pop()!]);
    else taken.push(group.splice(0));
  }
  return taken.reverse().flat();
}

/** True when two index lists are equal. */
export function sameOrder(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * The fields at `indices`, in that order, each view made as it is taken
 * (never all at once: a section may hold many thousands of fields). A plain
 * iterator, not a generator: with a generator here V8 kept about 5% of all
 * a verification allocates past two scavenges (promoted, then garbage in
 * the old generation), and the young generation grew with every message of
 * a `dk verify DIR` run; with this, next to none survives.
 */
export function fieldsAt(
  fields: HeaderFields,
  indices: readonly number[],
): Iterable<HeaderField> {
  return { [Symbol.iterator]: () => new _FieldsAt(fields, indices) };
}

class _FieldsAt implements Iterator<HeaderField> {
  readonly #fields: HeaderFields;
  readonly #indices: readonly number[];
  #next = 0;

  constructor(fields: HeaderFields, indices: readonly number[]) {
    this.#fields = fields;
    this.#indices = indices;
  }

  next(): IteratorResult<HeaderField> {
    if (this.#next >= this.#indices.length) {
      return { done: true, value: undefined };
    }
    return {
      done: false,
      value: this.#fields.at(this.#indices[this.#next++])!,
    };
  }
}
