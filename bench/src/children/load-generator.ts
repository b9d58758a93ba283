// HTTP load for api-create: autocannon, keep-alive, N connections, a warm-up run that is
// thrown away, then a timed run. autocannon's own histogram has whole-millisecond buckets,
// so latencies are taken from its per-response event (fractional ms) instead.
import autocannon from 'autocannon';
import { report, runChild } from '../lib/child.js';
import { round } from '../lib/stats.js';

export interface LoadConfig {
  url: string;
  method: 'POST';
  headers: Record<string, string>;
  body: string;
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
}

export interface LoadResult {
  /** Latency of every 2xx answer in the timed run, ms. */
  latenciesMs: number[];
  requests: number;
  ok2xx: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  seconds: number;
  requestsPerSecond: number;
  statusCodes: Record<string, number>;
}

function run(config: LoadConfig, seconds: number, latencies: number[] | null): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: config.url,
        method: config.method,
        headers: config.headers,
        body: config.body,
        connections: config.connections,
        duration: seconds,
        // The per-request timeout (s): a stuck server shows as timeouts, not a hang.
        timeout: 10,
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
    if (latencies) {
      instance.on('response', (_client, statusCode, _bytes, ms) => {
        if (statusCode >= 200 && statusCode < 300) latencies.push(ms);
      });
    }
  });
}

async function main(): Promise<void> {
  const config = JSON.parse(process.env.BENCH_LOAD_CONFIG ?? '') as LoadConfig;
  if (config.warmupSeconds > 0) await run(config, config.warmupSeconds, null);
  const latencies: number[] = [];
  const result = await run(config, config.durationSeconds, latencies);
  const seconds = (new Date(result.finish).getTime() - new Date(result.start).getTime()) / 1000;
  const statusCodes: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) {
    statusCodes[code] = stat.count ?? 0;
  }
  const loadResult: LoadResult = {
    latenciesMs: latencies,
    requests: result.requests.total,
    ok2xx: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    seconds: round(seconds, 2),
    requestsPerSecond: round(result['2xx'] / seconds, 1),
    statusCodes,
  };
  report({ type: 'result', result: loadResult });
}

runChild(main);
