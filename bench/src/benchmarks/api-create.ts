import { freePort, type ServiceStack } from '@classifyd/testkit';
import { Queue } from 'bullmq';
import type { LoadConfig, LoadResult } from '../children/load-generator.js';
import type { Benchmark, BenchOutcome } from '../lib/benchmark.js';
import { type BenchChild, startChild } from '../lib/child.js';
import { API_KEY, API_LOG_LEVEL, sdk, startBenchStack, uploadText } from '../lib/classifyd.js';
import { roundOrder } from '../lib/closed-loop.js';
import { EXPECTED_TYPE, invoiceText, RULES } from '../lib/sample-document.js';
import { fmt, percentile, printTable, ratio, round } from '../lib/stats.js';

const CONNECTIONS = 32;

function settingsFor(quick: boolean) {
  return quick
    ? { rounds: 1, warmupSeconds: 1, durationSeconds: 3 }
    : { rounds: 3, warmupSeconds: 2, durationSeconds: 5 };
}

type Target = { name: 'classifyd' | 'bare'; config: Omit<LoadConfig, 'warmupSeconds' | 'durationSeconds'> };

async function runLoad(config: LoadConfig): Promise<LoadResult> {
  const load = startChild('load-generator', { BENCH_LOAD_CONFIG: JSON.stringify(config) });
  try {
    const timeoutMs = (config.warmupSeconds + config.durationSeconds + 60) * 1000;
    return (await load.message<{ result: LoadResult }>('result', timeoutMs)).result;
  } finally {
    await load.stop();
  }
}

/**
 * Readies the stack so that each POST takes the whole create path: the file's parse is done
 * once (so every request hits the parse cache and enqueues a classify job), then the workers
 * are stopped and the classify queue just fills while the load runs.
 */
async function primeStack(stack: ServiceStack): Promise<string> {
  const client = sdk(stack.baseUrl);
  const fileId = await uploadText(client, invoiceText(), 'invoice.txt');
  const done = await client.classify.run(
    { file_input: fileId, configuration: { rules: RULES } },
    { pollingInterval: 0.05, maxInterval: 0.2, timeout: 60 },
  );
  if (done.result?.type !== EXPECTED_TYPE) {
    throw new Error(`warm-up job answered ${JSON.stringify(done.result?.type)}, expected ${EXPECTED_TYPE}`);
  }
  for (const app of stack.apps.filter((a) => a.name !== 'api')) await stack.stopApp(app);
  return fileId;
}

/** Rounds pooled: 2xx answers over total seconds, percentiles over every latency. */
function summarize(results: LoadResult[]) {
  const latencies = results.flatMap((r) => r.latenciesMs);
  const ok = results.reduce((sum, r) => sum + r.ok2xx, 0);
  const seconds = results.reduce((sum, r) => sum + r.seconds, 0);
  const statusCodes: Record<string, number> = {};
  for (const r of results) {
    for (const [code, count] of Object.entries(r.statusCodes))
      statusCodes[code] = (statusCodes[code] ?? 0) + count;
  }
  return {
    requestsPerSecond: round(ok / seconds, 1),
    perRound: results.map((r) => r.requestsPerSecond),
    p50Ms: round(percentile(latencies, 50), 2),
    p99Ms: round(percentile(latencies, 99), 2),
    ok2xx: ok,
    non2xx: results.reduce((sum, r) => sum + r.non2xx, 0),
    errors: results.reduce((sum, r) => sum + r.errors, 0),
    timeouts: results.reduce((sum, r) => sum + r.timeouts, 0),
    seconds: round(seconds, 2),
    statusCodes,
  };
}

export const apiCreate: Benchmark = {
  name: 'api-create',
  summary: 'POST /api/v2/classify requests/s (workers stopped, queue fills) vs a bare Express JSON endpoint',
  async run(context): Promise<BenchOutcome> {
    const redis = await context.redis();
    const settings = settingsFor(context.quick);
    let stack: ServiceStack | null = null;
    let bare: BenchChild | null = null;
    try {
      stack = await startBenchStack(redis.url, 'bench-api');
      const fileId = await primeStack(stack);
      bare = startChild('bare-server', { BENCH_PORT: String(await freePort()) });
      const { port } = await bare.message<{ port: number }>('ready', 30_000);
      const headers = { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` };
      const targets: Target[] = [
        {
          name: 'classifyd',
          config: {
            url: `${stack.baseUrl}/api/v2/classify`,
            method: 'POST',
            headers,
            body: JSON.stringify({ file_input: fileId, configuration: { rules: RULES } }),
            connections: CONNECTIONS,
          },
        },
        {
          name: 'bare',
          config: {
            url: `http://127.0.0.1:${port}/api/v2/classify`,
            method: 'POST',
            headers,
            body: JSON.stringify({ file_input: fileId, configuration: { rules: RULES } }),
            connections: CONNECTIONS,
          },
        },
      ];
      const results: Record<Target['name'], LoadResult[]> = { classifyd: [], bare: [] };
      for (let r = 0; r < settings.rounds; r++) {
        for (const target of roundOrder(targets, r)) {
          results[target.name].push(await runLoad({ ...target.config, ...settings }));
        }
      }
      const queue = new Queue('classify', { connection: { url: redis.url }, prefix: stack.prefix });
      const queued = await queue.getWaitingCount();
      await queue.close();
      const classifyd = summarize(results.classifyd);
      const baseline = summarize(results.bare);
      for (const [name, s] of [
        ['classifyd', classifyd],
        ['bare', baseline],
      ] as const) {
        if (s.ok2xx === 0)
          throw new Error(`${name}: no 2xx answers (status codes ${JSON.stringify(s.statusCodes)})`);
      }
      const outcome = {
        status: 'ok' as const,
        settings: {
          connections: CONNECTIONS,
          ...settings,
          loadGenerator: 'autocannon 9.0.0, its own process, keep-alive',
          workers:
            'stopped after one warm-up job: every request hits the parse cache and enqueues a classify job',
          apiLogLevel: API_LOG_LEVEL,
        },
        classifyd: { ...classifyd, classifyJobsQueued: queued },
        bare: baseline,
        ratio: ratio(classifyd.requestsPerSecond, baseline.requestsPerSecond),
      };
      printTable([
        ['', 'req/s', 'per round', 'p50 ms', 'p99 ms', 'non-2xx', 'errors'],
        ...(
          [
            ['classifyd', classifyd],
            ['bare express', baseline],
          ] as const
        ).map(([name, s]) => [
          name,
          fmt(s.requestsPerSecond, 0),
          s.perRound.map((v) => fmt(v, 0)).join('/'),
          fmt(s.p50Ms, 2),
          fmt(s.p99Ms, 2),
          String(s.non2xx),
          String(s.errors),
        ]),
      ]);
      console.log(
        `  ratio classifyd/bare (req/s): ${fmt(outcome.ratio, 3)}; classify jobs queued: ${queued}`,
      );
      return outcome;
    } finally {
      await bare?.stop();
      await stack?.stop();
    }
  },
};
