import { defaultConcurrency } from '../lib/app-concurrency.js';
import type { Benchmark, BenchOutcome } from '../lib/benchmark.js';
import { API_LOG_LEVEL } from '../lib/classifyd.js';
import { type LoopFigures, type LoopSample, roundOrder, summarizeLoops } from '../lib/closed-loop.js';
import {
  DISTINCT_FILES,
  type E2eDriver,
  type E2eSettings,
  SAME_FILE,
  startClassifydDriver,
} from '../lib/e2e-classifyd.js';
import { RAW, startRawDriver } from '../lib/e2e-raw.js';
import { fmt, percentile, printTable, ratio } from '../lib/stats.js';

function settingsFor(quick: boolean): E2eSettings {
  return {
    // 8 in flight keeps both worker pools (2 + 4) busy; more only adds SDK polling load
    // (measured here: 16 and 32 in flight gave classifyd fewer jobs/s, not more).
    inFlight: Number(process.env.BENCH_IN_FLIGHT ?? 8),
    rounds: quick ? 1 : 3,
    warmupMs: quick ? 1000 : 2000,
    durationMs: quick ? 4000 : 6000,
    pollSeconds: 0.025,
  };
}

const LABELS: Record<string, string> = {
  [SAME_FILE]: 'classifyd, same file (parse cached)',
  [DISTINCT_FILES]: 'classifyd, distinct files (2 stages)',
  [RAW]: 'raw BullMQ flow (2 stages)',
};

export const e2eJobs: Benchmark = {
  name: 'e2e-jobs',
  summary: 'jobs/s of a small text document through the whole stack (SDK) vs a raw two-stage BullMQ flow',
  async run(context): Promise<BenchOutcome> {
    const redis = await context.redis();
    const settings = settingsFor(context.quick);
    const concurrency = {
      parse: defaultConcurrency('parse-worker'),
      classify: defaultConcurrency('classify-worker'),
    };
    const drivers: E2eDriver[] = [];
    const samples: Record<string, LoopSample[]> = { [SAME_FILE]: [], [DISTINCT_FILES]: [], [RAW]: [] };
    try {
      const classifyd = await startClassifydDriver(redis.url, settings);
      drivers.push(classifyd);
      const raw = await startRawDriver(redis.url, settings, concurrency);
      drivers.push(raw);
      const variants = [
        { name: SAME_FILE, driver: classifyd },
        { name: DISTINCT_FILES, driver: classifyd },
        { name: RAW, driver: raw },
      ];
      for (let r = 0; r < settings.rounds; r++) {
        for (const { name, driver } of roundOrder(variants, r)) {
          samples[name]?.push(await driver.measure(name));
        }
      }
      const figures: Record<string, LoopFigures & { wrongType: number; serverP50Ms?: number }> = {};
      for (const { name, driver } of variants) {
        const server = driver.serverLatencyMs?.[name];
        figures[name] = {
          ...summarizeLoops(samples[name] ?? []),
          wrongType: driver.wrongType[name] ?? 0,
          ...(server ? { serverP50Ms: percentile(server, 50), serverP95Ms: percentile(server, 95) } : {}),
        };
        if (figures[name].completed === 0) {
          throw new Error(`${name}: no job completed (first error: ${figures[name].firstError})`);
        }
      }
      const same = figures[SAME_FILE] as LoopFigures;
      const distinct = figures[DISTINCT_FILES] as LoopFigures;
      const rawFigures = figures[RAW] as LoopFigures;
      const outcome = {
        status: 'ok' as const,
        settings: {
          ...settings,
          workerConcurrency: concurrency,
          document: 'one-page text invoice, about 0.8 KB',
          apiLogLevel: API_LOG_LEVEL,
          workerLogLevel: 'info',
          completionSignal: 'classifyd: SDK waitForCompletion polling; raw: QueueEvents',
        },
        classifydSameFile: figures[SAME_FILE],
        classifydDistinctFiles: { ...figures[DISTINCT_FILES], ...classifyd.notes },
        rawBullmq: figures[RAW],
        ratio: ratio(distinct.jobsPerSecond, rawFigures.jobsPerSecond),
        ratioSameFile: ratio(same.jobsPerSecond, rawFigures.jobsPerSecond),
      };
      printTable([
        ['', 'jobs/s', 'per round', 'p50 ms', 'p95 ms', 'server p50', 'jobs', 'errors', 'wrong type'],
        ...variants.map(({ name }) => {
          const f = figures[name] as LoopFigures & { wrongType: number; serverP50Ms?: number };
          return [
            LABELS[name] ?? name,
            fmt(f.jobsPerSecond, 1),
            f.perRound.map((v) => fmt(v, 0)).join('/'),
            fmt(f.p50Ms, 1),
            fmt(f.p95Ms, 1),
            fmt(f.serverP50Ms, 0),
            String(f.completed),
            String(f.errors),
            String(f.wrongType),
          ];
        }),
      ]);
      console.log(
        `  ratio classifyd/raw (jobs/s): distinct files ${fmt(outcome.ratio, 3)}, same file ${fmt(outcome.ratioSameFile, 3)}\n` +
          `  (${classifyd.notes.filesUploaded} files uploaded beforehand, untimed; the SDK polls every ` +
          `${settings.pollSeconds * 1000} ms, the raw driver listens to QueueEvents; ${settings.inFlight} jobs in flight;` +
          ` server p50 = created_at to updated_at as the API reports it)`,
      );
      if (distinct.inputExhausted)
        console.log('  note: the distinct-file pool ran out; a window was shortened');
      return outcome;
    } finally {
      for (const driver of drivers.reverse()) await driver.stop();
    }
  },
};
