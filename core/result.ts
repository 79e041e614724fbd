/**
 * A result value: either `ok` with a value or not ok with an error value.
 * dk's core returns these instead of throwing.
 *
 * @module
 */

/** Success with `value`, or failure with `error`. */
export type Result<T, E> = { ok: true; value: T } | { ok: false; error: E };

/** Wraps a success. */
export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

/** Wraps a failure. */
export function err<E>(error: E): { ok: false; error: E } {
  return { ok: false, error };
}
