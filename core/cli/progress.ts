/**
 * A one-line counter on a terminal for long runs (`dk verify DIR`):
 * `dk verify: 12000 messages, 6500/s, 1.8 s`, redrawn in place a few times
 * a second once the run has taken {@link SHOW_AFTER_MS}, and left as the
 * last line when the run ends. Disabled, it does nothing at all.
 *
 * @module
 */

/** How long a run goes before the line shows (ms). */
export const SHOW_AFTER_MS = 2000;
/** How often the line is redrawn (ms). */
export const REDRAW_MS = 250;

/** What the counter needs; the defaults are the real clock and stderr. */
export interface ProgressOptions {
  /** False: no line, no timer. */
  enabled: boolean;
  /** The words before the figures, e.g. `dk verify`. */
  label: string;
  /** Writes text to the terminal (default: stderr). */
  write?: (text: string) => void;
  /** The clock in milliseconds (default `performance.now`). */
  now?: () => number;
}

/** A running counter. */
export interface Progress {
  /** Counts one message. */
  tick(): void;
  /** Takes the line off the screen before other output (redrawn later). */
  clear(): void;
  /** Stops the timer; a line that was shown is drawn a last time and kept. */
  end(): void;
}

const te = new TextEncoder();

function writeStderr(text: string): void {
  const bytes = te.encode(text);
  try {
    for (let at = 0; at < bytes.length;) {
      at += Deno.stderr.writeSync(bytes.subarray(at));
    }
  } catch { /* the terminal went away: no counter is worth an error */ }
}

/** Starts a counter; with `enabled` false every method does nothing. */
export function startProgress(options: ProgressOptions): Progress {
  if (!options.enabled) return { tick() {}, clear() {}, end() {} };
  const write = options.write ?? writeStderr;
  const now = options.now ?? (() => performance.now());
  const start = now();
  let count = 0;
  let shown = false;
  let everShown = false;
  const line = () => {
    const seconds = (now() - start) / 1000;
    const rate = seconds > 0 ? Math.round(count / seconds) : 0;
    return `${options.label}: ${count} messages, ${rate}/s, ${
      seconds.toFixed(1)
    } s`;
  };
  const draw = () => {
    if (now() - start < SHOW_AFTER_MS) return;
    write(`\r${line()}\x1b[K`);
    shown = everShown = true;
  };
  const timer = setInterval(draw, REDRAW_MS);
  return {
    tick() {
      count++;
    },
    clear() {
      if (!shown) return;
      write("\r\x1b[K");
      shown = false;
    },
    end() {
      clearInterval(timer);
      if (everShown) write(`\r${line()}\x1b[K\n`);
    },
  };
}
