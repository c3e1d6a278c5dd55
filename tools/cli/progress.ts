/**
 * The progress line of `deno task train` on stderr: step, loss, its running mean, steps/s and time left.
 *
 * @module
 */

/** What the training loop reports after each step. */
type StepInfo = { step: number; num_steps: number; loss: number; seconds: number };

/** Where progress goes (stderr), and whether it is a terminal. */
export interface ProgressOptions {
  write: (text: string) => void;
  tty: boolean;
}

/**
 * Progress of a training run: one line redrawn in place on a terminal (at most 10 times a second), or a plain
 * line after step 1 and every 10% of the run when the output is piped.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Progress } from "./progress.ts";
 * const lines: string[] = [];
 * const progress = new Progress({ write: (s) => void lines.push(s), tty: false });
 * for (let step = 1; step <= 20; step++) progress.step({ step, num_steps: 20, loss: 3, seconds: step / 100 });
 * assert(lines.length === 11 && lines[0].startsWith("step  1/20 | loss 3.0000"));
 * ```
 */
export class Progress {
  #last = -Infinity; // time of the last redraw (none yet: the first step always shows)
  #recent: number[] = [];
  constructor(private opts: ProgressOptions) {}

  step(info: StepInfo): void {
    this.#recent.push(info.loss);
    if (this.#recent.length > 100) this.#recent.shift();
    const final = info.step === info.num_steps;
    if (this.opts.tty) {
      const now = performance.now();
      if (!final && now - this.#last < 100) return;
      this.#last = now;
      this.opts.write(`\r\x1b[2K${this.#line(info)}${final ? "\n" : ""}`);
    } else {
      const every = Math.max(1, Math.ceil(info.num_steps / 10));
      if (final || info.step === 1 || info.step % every === 0) this.opts.write(this.#line(info) + "\n");
    }
  }

  /** End an interrupted line on a terminal. */
  end(): void {
    if (this.opts.tty && this.#last > -Infinity) this.opts.write("\n");
  }

  #line({ step, num_steps, loss, seconds }: StepInfo) {
    const rate = seconds > 0 ? step / seconds : 0;
    const eta = rate > 0 ? (num_steps - step) / rate : 0;
    const avg = this.#recent.reduce((a, b) => a + b, 0) / this.#recent.length;
    const width = String(num_steps).length;
    return `step ${String(step).padStart(width)}/${num_steps} | loss ${loss.toFixed(4)} | ` +
      `avg ${avg.toFixed(4)} | ${rate.toFixed(1)} steps/s | ETA ${formatSeconds(eta)}`;
  }
}

function formatSeconds(s: number): string {
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m${String(Math.round(s % 60)).padStart(2, "0")}s` : `${Math.floor(m / 60)}h${m % 60}m`;
}
