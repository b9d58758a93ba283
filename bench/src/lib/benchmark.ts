import type { BenchRedis } from './redis.js';

export interface BenchContext {
  /** Short windows and fewer passes: a smoke run, not figures to quote. */
  quick: boolean;
  /** The run's Redis, started on first use and shared by the benchmarks that need one. */
  redis(): Promise<BenchRedis>;
}

/** What a benchmark hands back for the results file: figures, the settings used, and notes. */
export type BenchOutcome = { status: 'ok' | 'skipped'; reason?: string } & Record<string, unknown>;

export interface Benchmark {
  name: string;
  /** One line for --help and the console header. */
  summary: string;
  run(context: BenchContext): Promise<BenchOutcome>;
}
