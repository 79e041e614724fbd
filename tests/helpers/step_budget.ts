/**
 * A loop-pass counter for the readers' optional `step` hook (zone files,
 * tcprules files, DNS packets): it throws {@link StepLimitError} once a
 * reader has made more passes than its budget, so a loop that stops
 * advancing fails the test at once instead of hanging it (or eating memory).
 *
 * @module
 */

/** Thrown by a {@link stepBudget} hook past its limit. */
export class StepLimitError extends Error {
  override name = "StepLimitError";
}

/** A `step` hook and the number of passes it has seen. */
export interface StepBudget {
  /** Pass to the reader; throws {@link StepLimitError} past the limit. */
  step: () => void;
  /** Passes counted so far. */
  readonly count: number;
}

/** A hook that allows at most `limit` passes (a non-negative integer). */
export function stepBudget(limit: number): StepBudget {
  let count = 0;
  return {
    step: () => {
      if (++count > limit) {
        throw new StepLimitError(`more than ${limit} loop passes`);
      }
    },
    get count() {
      return count;
    },
  };
}
