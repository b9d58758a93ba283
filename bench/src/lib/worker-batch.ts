import type { AppName, AppProcess, ServiceStack } from '@classifyd/testkit';
import type { Redis } from 'ioredis';
import { machineBusySeconds, processCpuSeconds } from './process-cpu.js';
import { type OwnCalls, steadyRate, waitForFinished } from './queue-drain.js';
import { redisSnapshot } from './redis-stats.js';
import { round } from './stats.js';

export interface BatchOptions {
  stack: ServiceStack;
  /** A connection of the bench's own to the stack's Redis. */
  redis: Redis;
  app: Extract<AppName, 'parse-worker' | 'classify-worker'>;
  queue: 'parse' | 'classify';
  processes: number;
  /** Jobs already waiting on the queue; the batch ends when as many have finished. */
  jobs: number;
  env: Record<string, string>;
  timeoutMs: number;
  own: OwnCalls;
}

export interface BatchResult {
  processes: number;
  jobs: number;
  failed: number;
  /** While every worker slot was busy (see steadyRate); null with too few jobs. */
  jobsPerSecond: number | null;
  /** Worker start to last finish. */
  wallSeconds: number;
  /** CPU seconds of the worker processes from their start to the last finish, all of them. */
  workerCpuSeconds: number;
  /** workerCpuSeconds / (wallSeconds x processes): 1 means each process had a core to itself all along. */
  workerCpuUse: number;
  /** CPU seconds of the API and of Redis in the same span: what else ran on the cores. */
  apiCpuSeconds: number | null;
  redisCpuSeconds: number;
  /**
   * Cores kept busy, on average over the span, by everything else on the machine (the
   * machine's busy time less the workers, the API, Redis and this bench process).
   */
  otherCores: number | null;
}

/**
 * Starts `processes` worker processes at once on a queue that already holds `jobs` jobs,
 * waits until they are all finished, measures, and stops the processes. The jobs are
 * queued first so that the API and the client are idle while the workers run.
 */
export async function runWorkerBatch(options: BatchOptions): Promise<BatchResult> {
  const { stack, redis } = options;
  const api = stack.apps.find((a) => a.name === 'api');
  const sinceMs = Date.now();
  const redisBefore = await redisSnapshot(redis);
  const apiBefore = processCpuSeconds(api?.child.pid);
  const workers: AppProcess[] = [];
  try {
    const started = await Promise.all(
      Array.from({ length: options.processes }, () => stack.startApp(options.app, options.env)),
    );
    workers.push(...started);
    const startedAt = performance.now();
    const machineBefore = machineBusySeconds();
    const benchBefore = process.cpuUsage();
    // CPU from the moment each process said it started: boot and module loading are left out.
    const cpuBefore = workers.map((w) => processCpuSeconds(w.child.pid) ?? 0);
    const drain = await waitForFinished(redis, stack.prefix, options.queue, options.jobs, {
      sinceMs,
      timeoutMs: options.timeoutMs,
      own: options.own,
      alive: () => {
        const dead = workers.find((w) => w.child.exitCode !== null);
        return dead ? `${dead.name} exited (${dead.child.exitCode}):\n${dead.output().slice(-4000)}` : null;
      },
    });
    const cpuAfter = workers.map((w) => processCpuSeconds(w.child.pid) ?? 0);
    const wallSeconds = (performance.now() - startedAt) / 1000;
    const apiAfter = processCpuSeconds(api?.child.pid);
    const machineAfter = machineBusySeconds();
    const bench = process.cpuUsage(benchBefore);
    const redisAfter = await redisSnapshot(redis);
    const workerCpuSeconds = cpuAfter.reduce((sum, cpu, i) => sum + cpu - (cpuBefore[i] ?? 0), 0);
    const apiCpuSeconds = apiBefore === null || apiAfter === null ? null : apiAfter - apiBefore;
    const redisCpuSeconds = redisAfter.cpuSeconds - redisBefore.cpuSeconds;
    const ours =
      workerCpuSeconds + (apiCpuSeconds ?? 0) + redisCpuSeconds + (bench.user + bench.system) / 1e6;
    const otherCores =
      machineBefore === null || machineAfter === null
        ? null
        : Math.max(0, (machineAfter - machineBefore - ours) / wallSeconds);
    return {
      processes: options.processes,
      jobs: drain.finishedAtMs.length,
      failed: drain.failed,
      jobsPerSecond: steadyRate(
        drain.finishedAtMs,
        options.processes * Number(options.env.WORKER_CONCURRENCY ?? 1),
      ),
      wallSeconds: round(wallSeconds, 2),
      workerCpuSeconds: round(workerCpuSeconds, 2),
      workerCpuUse: round(workerCpuSeconds / (wallSeconds * options.processes), 2),
      apiCpuSeconds: apiCpuSeconds === null ? null : round(apiCpuSeconds, 2),
      redisCpuSeconds: round(redisCpuSeconds, 2),
      otherCores: otherCores === null ? null : round(otherCores, 2),
    };
  } finally {
    await Promise.all(workers.map((w) => stack.stopApp(w)));
  }
}

/** Runs `create` for indices 0..count-1, `inFlight` at a time. */
export async function inLanes(count: number, inFlight: number, create: (i: number) => Promise<void>) {
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < count; i = next++) await create(i);
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, count) }, lane));
}
