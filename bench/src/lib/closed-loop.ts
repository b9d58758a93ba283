import { percentile, round } from './stats.js';

export interface ClosedLoopOptions {
  /** Jobs kept in flight: a new one starts as soon as one finishes. */
  inFlight: number;
  warmupMs: number;
  durationMs: number;
  /** Runs one job to its end; resolves false when there is no more input (the window then closes early). */
  runOne: () => Promise<boolean>;
}

/** One measured window. */
export interface LoopSample {
  latenciesMs: number[];
  windowSeconds: number;
  errors: number;
  firstError: string | null;
  inputExhausted: boolean;
}

/**
 * K lanes each run jobs back to back. Jobs finishing during the warm-up are not counted;
 * after the window closes no new job starts and the ones in flight are awaited, uncounted.
 */
export async function runClosedLoop(options: ClosedLoopOptions): Promise<LoopSample> {
  const start = performance.now();
  const windowStart = start + options.warmupMs;
  let windowEnd = windowStart + options.durationMs;
  let exhausted = false;
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | null = null;

  async function lane(): Promise<void> {
    while (performance.now() < windowEnd) {
      const began = performance.now();
      let more: boolean;
      try {
        more = await options.runOne();
      } catch (error) {
        errors++;
        firstError ??= error instanceof Error ? error.message : String(error);
        if (errors > 20 && errors > latencies.length) {
          throw new Error(`too many failed jobs (${errors}); first: ${firstError}`);
        }
        continue;
      }
      const ended = performance.now();
      if (!more) {
        if (!exhausted) windowEnd = Math.max(windowStart, ended);
        exhausted = true;
        return;
      }
      if (ended >= windowStart && ended <= windowEnd) latencies.push(ended - began);
    }
  }

  await Promise.all(Array.from({ length: options.inFlight }, () => lane()));
  return {
    latenciesMs: latencies,
    windowSeconds: Math.max(0.001, (windowEnd - windowStart) / 1000),
    errors,
    firstError,
    inputExhausted: exhausted,
  };
}

export interface LoopFigures {
  /** Jobs that finished inside the measured windows, all rounds. */
  completed: number;
  jobsPerSecond: number;
  /** jobs/s of each round, to show the spread. */
  perRound: number[];
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  errors: number;
  firstError: string | null;
  windowSeconds: number;
  /** True when the input ran out before a window's planned end (that window was shortened). */
  inputExhausted: boolean;
}

/** Rounds pooled: completions over total window time, percentiles over all latencies. */
export function summarizeLoops(samples: LoopSample[]): LoopFigures {
  const latencies = samples.flatMap((s) => s.latenciesMs);
  const seconds = samples.reduce((sum, s) => sum + s.windowSeconds, 0);
  return {
    completed: latencies.length,
    jobsPerSecond: round(latencies.length / seconds, 1),
    perRound: samples.map((s) => round(s.latenciesMs.length / s.windowSeconds, 1)),
    p50Ms: round(percentile(latencies, 50), 1),
    p95Ms: round(percentile(latencies, 95), 1),
    p99Ms: round(percentile(latencies, 99), 1),
    errors: samples.reduce((sum, s) => sum + s.errors, 0),
    firstError: samples.find((s) => s.firstError !== null)?.firstError ?? null,
    windowSeconds: round(seconds, 2),
    inputExhausted: samples.some((s) => s.inputExhausted),
  };
}

/** Rotates the order of the variants each round, so that drift in the machine's load spreads over all of them. */
export function roundOrder<T>(variants: readonly T[], roundIndex: number): T[] {
  const shift = roundIndex % variants.length;
  return [...variants.slice(shift), ...variants.slice(0, shift)];
}
