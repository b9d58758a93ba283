// What one classify job costs, stage by stage: the CPU of the process that runs the stage and
// the Redis work (INFO deltas) it causes. Used by the capacity benchmark.
import { fileURLToPath } from 'node:url';
import type { ServiceStack } from '@classifyd/testkit';
import type LlamaCloud from '@llamaindex/llama-cloud';
import { toFile } from '@llamaindex/llama-cloud';
import type { Redis } from 'ioredis';
import { defaultConcurrency } from './app-concurrency.js';
import { processCpuSeconds } from './process-cpu.js';
import { noOwnCalls, type OwnCalls } from './queue-drain.js';
import { type RedisDelta, redisDelta, redisSnapshot } from './redis-stats.js';
import { RULES } from './sample-document.js';
import { round } from './stats.js';
import { inLanes, runWorkerBatch } from './worker-batch.js';

const IN_FLIGHT = 8;

/** The fake Messages API of @classifyd/claude-classifier, built; the bench does not depend on that package. */
const FAKE_MESSAGES = fileURLToPath(
  new URL('../../../packages/claude-classifier/dist/test-support/index.js', import.meta.url),
);

interface FakeMessages {
  url: string;
  requests: unknown[];
  close(): Promise<void>;
}

/** One stage's cost per job: the CPU of the process that did it, and what Redis did for it. */
export interface StageCost {
  stage: string;
  jobs: number;
  processCpuMsPerJob: number | null;
  redisCallsPerJob: number;
  redisScriptsPerJob: number;
  redisCpuMsPerJob: number;
  netInBytesPerJob: number;
  netOutBytesPerJob: number;
  memoryBytesPerJob: number;
  /** The commands behind redisCallsPerJob, per job, largest first (all of them: the results file is where a cut is looked for). */
  topCommands: Record<string, number>;
}

function perJob(stage: string, jobs: number, cpuSeconds: number | null, delta: RedisDelta): StageCost {
  const scripts = (delta.byCommand.evalsha ?? 0) + (delta.byCommand.eval ?? 0) + (delta.byCommand.fcall ?? 0);
  return {
    stage,
    jobs,
    processCpuMsPerJob: cpuSeconds === null ? null : round((cpuSeconds * 1000) / jobs, 2),
    redisCallsPerJob: round(delta.calls / jobs, 1),
    redisScriptsPerJob: round(scripts / jobs, 1),
    redisCpuMsPerJob: round((delta.cpuSeconds * 1000) / jobs, 3),
    netInBytesPerJob: Math.round(delta.netInputBytes / jobs),
    netOutBytesPerJob: Math.round(delta.netOutputBytes / jobs),
    memoryBytesPerJob: Math.round(delta.memoryBytes / jobs),
    topCommands: Object.fromEntries(
      Object.entries(delta.byCommand).map(([name, calls]) => [name, round(calls / jobs, 1)]),
    ),
  };
}

function ownCalls(own: OwnCalls): Record<string, number> {
  return { ...own };
}

/** Creates `count` classify jobs (upload + classify.create each unless `fileIds` are given); returns the file ids. */
async function createJobs(
  client: LlamaCloud,
  count: number,
  document: ((i: number) => Promise<Uint8Array>) | null,
  fileIds: string[],
  fileName: (i: number) => string = (i) => `capacity-${i}.pdf`,
): Promise<string[]> {
  const ids: string[] = [];
  await inLanes(count, IN_FLIGHT, async (i) => {
    let fileId = fileIds[i % Math.max(1, fileIds.length)];
    if (document) {
      const file = await client.files.create({
        file: await toFile(Buffer.from(await document(i)), fileName(i)),
        purpose: 'classify',
      });
      fileId = file.id;
    }
    if (!fileId) throw new Error('no file to classify');
    await client.classify.create({ file_input: fileId, configuration: { rules: RULES } });
    ids[i] = fileId;
  });
  return ids;
}

/** create, parse and classify of `jobs` documents, each stage on its own, measured. */
export async function measureDocument(
  stack: ServiceStack,
  redis: Redis,
  client: LlamaCloud,
  jobs: number,
  document: (i: number) => Promise<Uint8Array>,
  fileName?: (i: number) => string,
): Promise<{ stages: StageCost[]; fileIds: string[] }> {
  const api = stack.apps.find((a) => a.name === 'api');
  const s0 = await redisSnapshot(redis);
  const api0 = processCpuSeconds(api?.child.pid);
  // Documents are made before the API sees them, so their making is not in the API's figures.
  const made: Uint8Array[] = [];
  for (let i = 0; i < jobs; i++) made.push(await document(i));
  const s0b = await redisSnapshot(redis);
  const fileIds = await createJobs(client, jobs, async (i) => made[i] as Uint8Array, [], fileName);
  const api1 = processCpuSeconds(api?.child.pid);
  const s1 = await redisSnapshot(redis);
  const stages = [
    perJob(
      'create: upload + classify.create',
      jobs,
      api0 === null || api1 === null ? null : api1 - api0,
      redisDelta(s0b, s1),
    ),
  ];
  for (const [app, queue] of [
    ['parse-worker', 'parse'],
    ['classify-worker', 'classify'],
  ] as const) {
    const own = noOwnCalls();
    const before = await redisSnapshot(redis);
    const batch = await runWorkerBatch({
      stack,
      redis,
      app,
      queue,
      processes: 1,
      jobs,
      env: { WORKER_CONCURRENCY: String(defaultConcurrency(app)), LOG_LEVEL: 'info' },
      timeoutMs: 600_000,
      own,
    });
    if (batch.failed > 0) throw new Error(`${queue}: ${batch.failed} jobs failed`);
    const after = await redisSnapshot(redis);
    stages.push(perJob(queue, jobs, batch.workerCpuSeconds, redisDelta(before, after, ownCalls(own))));
  }
  // Memory after all three stages against before: what the jobs keep in Redis for their retention.
  const held = redisDelta(s0, await redisSnapshot(redis));
  const total = stages.reduce(
    (sum, s) => ({
      cpu: sum.cpu + (s.processCpuMsPerJob ?? 0),
      calls: sum.calls + s.redisCallsPerJob,
      scripts: sum.scripts + s.redisScriptsPerJob,
      redisCpu: sum.redisCpu + s.redisCpuMsPerJob,
      netIn: sum.netIn + s.netInBytesPerJob,
      netOut: sum.netOut + s.netOutBytesPerJob,
    }),
    { cpu: 0, calls: 0, scripts: 0, redisCpu: 0, netIn: 0, netOut: 0 },
  );
  stages.push({
    stage: 'all three',
    jobs,
    processCpuMsPerJob: round(total.cpu, 2),
    redisCallsPerJob: round(total.calls, 1),
    redisScriptsPerJob: round(total.scripts, 1),
    redisCpuMsPerJob: round(total.redisCpu, 3),
    netInBytesPerJob: total.netIn,
    netOutBytesPerJob: total.netOut,
    memoryBytesPerJob: Math.round(held.memoryBytes / jobs),
    topCommands: {},
  });
  return { stages, fileIds };
}

/** The classify stage alone with the Claude classifier, against the fake Messages API, on parses already cached. */
export async function measureClaude(
  stack: ServiceStack,
  redis: Redis,
  client: LlamaCloud,
  jobs: number,
  fileIds: string[],
): Promise<{ stages: StageCost[]; requests: number; requestTokensEstimate: number } | { skipped: string }> {
  let fake: FakeMessages;
  try {
    const module = (await import(FAKE_MESSAGES)) as {
      startFakeMessagesServer(): Promise<FakeMessages>;
    };
    fake = await module.startFakeMessagesServer();
  } catch (error) {
    return { skipped: `fake Messages API not built (${FAKE_MESSAGES}): ${String(error)}` };
  }
  try {
    const api = stack.apps.find((a) => a.name === 'api');
    const s0 = await redisSnapshot(redis);
    const api0 = processCpuSeconds(api?.child.pid);
    await createJobs(client, jobs, null, fileIds);
    const api1 = processCpuSeconds(api?.child.pid);
    const s1 = await redisSnapshot(redis);
    const own = noOwnCalls();
    const batch = await runWorkerBatch({
      stack,
      redis,
      app: 'classify-worker',
      queue: 'classify',
      processes: 1,
      jobs,
      env: {
        WORKER_CONCURRENCY: String(defaultConcurrency('classify-worker')),
        LOG_LEVEL: 'info',
        CLASSIFIER: 'anthropic',
        ANTHROPIC_API_KEY: 'bench-fake-key',
        ANTHROPIC_BASE_URL: fake.url,
      },
      timeoutMs: 300_000,
      own,
    });
    if (batch.failed > 0) throw new Error(`claude classify: ${batch.failed} jobs failed`);
    const s2 = await redisSnapshot(redis);
    return {
      stages: [
        perJob(
          'create on a parsed file',
          jobs,
          api0 === null || api1 === null ? null : api1 - api0,
          redisDelta(s0, s1),
        ),
        perJob(
          'classify (Claude, fake API)',
          jobs,
          batch.workerCpuSeconds,
          redisDelta(s1, s2, ownCalls(own)),
        ),
      ],
      requests: fake.requests.length,
      // What a Messages request carries, at about 4 characters a token (no tokenizer offline).
      requestTokensEstimate: Math.round(
        fake.requests.reduce(
          (sum: number, r) => sum + JSON.stringify((r as { body?: unknown }).body ?? '').length,
          0,
        ) /
          Math.max(1, fake.requests.length) /
          4,
      ),
    };
  } finally {
    await fake.close();
  }
}
