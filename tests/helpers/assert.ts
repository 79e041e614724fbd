/**
 * The few assertions dk's tests use (jsr:@std/assert cannot be fetched
 * here), built on node:assert.
 *
 * @module
 */

import assert from "node:assert/strict";

/** Fails unless `actual` deep-equals `expected`. */
export function assertEquals<T>(
  actual: T,
  expected: T,
  message?: string,
): void {
  assert.deepStrictEqual(actual, expected, message);
}

/** Fails unless `value` is truthy. */
export function assert_(value: unknown, message?: string): asserts value {
  assert.ok(value, message);
}

export { assert_ as assert };

/** Fails unless `text` contains `part`. */
export function assertStringIncludes(
  text: string,
  part: string,
  message?: string,
): void {
  if (!text.includes(part)) {
    throw new Error(
      message ??
        `expected ${JSON.stringify(text)} to include ${JSON.stringify(part)}`,
    );
  }
}

/** Fails unless `actual` does not deep-equal `expected`. */
export function assertNotEquals<T>(
  actual: T,
  expected: T,
  message?: string,
): void {
  assert.notDeepStrictEqual(actual, expected, message);
}

/** Fails unless `actual` and `expected` are the same value (`Object.is`, as `===` but for NaN). */
export function assertStrictEquals<T>(
  actual: unknown,
  expected: T,
  message?: string,
): asserts actual is T {
  assert.strictEqual(actual, expected, message);
}

/** Fails unless `text` matches `pattern`. */
export function assertMatch(
  text: string,
  pattern: RegExp,
  message?: string,
): void {
  assert.match(text, pattern, message);
}
