import { connect } from 'node:net';
import {
  type FakeMessagesServer,
  fakeReply,
  startFakeMessagesServer,
} from '@classifyd/claude-classifier/test-support';
import {
  type AppProcess,
  type ServiceStack,
  scannedPdf,
  spawnRedisServer,
  startServiceStack,
  type TestRedis,
} from '@classifyd/testkit';
import { toFile } from '@llamaindex/llama-cloud';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEYS, POLL, sdk } from './clients.js';
import { INVOICE_TEXT, RULES } from './documents.js';
import { examplesApi } from './examples-api.js';

const LINES = ['INVOICE', 'Invoice number 4711', 'Total amount due 320.70 EUR', 'Payment within 30 days'];

/** A scan whose OCR runs for several seconds: work long enough to cancel mid-way. */
const longScan = (pages: number, tag: string) =>
  scannedPdf(Array.from({ length: pages }, (_, i) => [...LINES, `${tag} page ${i + 1}`]));

/**
 * MONITOR on a plain socket (ioredis's monitor mode mistakes some monitored lines for
 * replies): the lines of commands that name `key`.
 */
async function watchCommands(url: string, key: string): Promise<{ lines: string[]; close(): void }> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const lines: string[] = [];
  let pending = '';
  socket.on('data', (chunk: Buffer) => {
    pending += chunk.toString('utf8');
    const complete = pending.split('\r\n');
    pending = complete.pop() ?? '';
    for (const line of complete) if (line.includes(`"${key}"`)) lines.push(line);
  });
  socket.write('MONITOR\r\n');
  // MONITOR answers +OK once it is on.
  await new Promise<void>((resolve) => {
    const started = (chunk: Buffer) => {
      if (chunk.toString().startsWith('+OK')) {
        socket.off('data', started);
        resolve();
      }
    };
    socket.on('data', started);
  });
  return { lines, close: () => socket.destroy() };
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`${what} never happened`);
}

// A private redis-server, so that MONITOR sees only this stack.
describe('cancels and parse ends are pushed to the workers, not polled', () => {
  let server: TestRedis;
  let stack: ServiceStack;
  let redis: Redis;
  let a: ReturnType<typeof sdk>;
  let parser: AppProcess;
  let fake: FakeMessagesServer | undefined;

  beforeAll(async () => {
    const spawned = await spawnRedisServer();
    if (!spawned) throw new Error('redis-server could not start: it is needed on the PATH for this test');
    server = spawned;
    stack = await startServiceStack({ redisUrl: server.url, label: 'push', env: { API_KEYS } });
    redis = new Redis(server.url);
    a = sdk(stack.baseUrl, 'key-a');
    parser = stack.apps.find((app) => app.name === 'parse-worker') as AppProcess;
  }, 120_000);
  afterAll(async () => {
    redis?.disconnect();
    await stack?.stop();
    await fake?.close();
    await server?.stop();
  });

  const jobKey = (id: string) => `${stack.prefix}:s:job:${id}`;
  const storedStatus = (id: string) => redis.hget(jobKey(id), 'status');

  async function runningParse(pages: number, tag: string) {
    const file = await a.files.create({
      file: await toFile(Buffer.from(await longScan(pages, tag)), `${tag}.pdf`),
      purpose: 'parse',
    });
    const parse = await a.parsing.create({
      tier: 'fast',
      version: 'latest',
      file_id: file.id,
      disable_cache: true,
    });
    await until(
      () => storedStatus(parse.id),
      (s) => s === 'RUNNING',
      'the parse starting',
    );
    return parse;
  }

  it('stops a running parse within a second of its cancel, without reading its status meanwhile', async () => {
    const parse = await runningParse(12, 'cancel');
    const monitor = await watchCommands(server.url, jobKey(parse.id));
    const touches = monitor.lines;
    try {
      await new Promise((r) => setTimeout(r, 3000));
      // The old watch read the job every 500 ms: about 6 HGETALLs in these 3 s. The watch
      // reads it once, right after it subscribes, which on a loaded machine can fall in here.
      expect(touches.length).toBeLessThanOrEqual(1);
      const readBefore = touches.length;
      expect(await storedStatus(parse.id)).toBe('RUNNING');

      const logged = parser.output().length;
      const cancelledAt = Date.now();
      expect((await a.parsing.cancel(parse.id)).status).toBe('CANCELLED');
      await until(
        async () => parser.output().slice(logged),
        (log) => log.includes('parse cancelled; stopped'),
        'the parse stopping',
      );
      expect(Date.now() - cancelledAt).toBeLessThan(1000);
      // The monitor does see this key: the cancel wrote it.
      expect(touches.length).toBeGreaterThan(readBefore);
    } finally {
      monitor.close();
    }
    expect(await redis.exists(`${stack.prefix}:s:pages:${parse.id}`)).toBe(0);
  });

  it('runs a classify job made on a running parse job once the parse ends, never delayed meanwhile', async () => {
    const parse = await runningParse(3, 'byid');
    const job = await a.classify.create({ file_input: parse.id, configuration: { rules: RULES } });
    expect(job.document_input_type).toBe('parse_job_id');
    let delayedSeen = 0;
    let parseStatus = await storedStatus(parse.id);
    while (parseStatus === 'RUNNING' || parseStatus === 'PENDING') {
      delayedSeen += await redis.zcard(`${stack.prefix}:classify:delayed`);
      await new Promise((r) => setTimeout(r, 50));
      parseStatus = await storedStatus(parse.id);
    }
    expect(parseStatus).toBe('COMPLETED');
    const done = await a.classify.waitForCompletion(job.id, undefined, POLL);
    expect(done.status).toBe('COMPLETED');
    expect(done.result?.type).toBe('invoice');
    expect(delayedSeen).toBe(0);
    expect(await redis.zcard(`${stack.prefix}:classify:delayed`)).toBe(0);
  });

  it("shows a long parse's progress in its BullMQ job (Bull Board), and its pages when done", async () => {
    const parse = await runningParse(6, 'progress');
    const seen: number[] = [];
    const bullJob = `${stack.prefix}:parse:${parse.id}`;
    while ((await storedStatus(parse.id)) === 'RUNNING') {
      const progress = await redis.hget(bullJob, 'progress');
      if (progress !== null && Number(progress) !== seen.at(-1)) seen.push(Number(progress));
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await storedStatus(parse.id)).toBe('COMPLETED');
    expect(seen.some((p) => p > 0 && p < 100)).toBe(true);
    expect(seen).toEqual([...seen].sort((x, y) => x - y));
    // The stage's BullMQ job completes just after the status write.
    const returned = await until(
      () => redis.hget(bullJob, 'returnvalue'),
      (value) => value !== null,
      'the stage job completing',
    );
    const finished = JSON.parse(returned ?? 'null');
    expect(finished).toMatchObject({ format: 'pdf', pages: 6, pageCount: 6, failedPages: 0, ocrPages: 6 });
  });

  it('copies the pages of an identical parse once it ends, never delayed meanwhile', async () => {
    const file = await a.files.create({
      file: await toFile(Buffer.from(await longScan(3, 'twin')), 'twin.pdf'),
      purpose: 'parse',
    });
    const first = await a.parsing.create({ tier: 'fast', version: 'latest', file_id: file.id });
    await until(
      () => storedStatus(first.id),
      (s) => s === 'RUNNING',
      'the first parse starting',
    );
    const second = await a.parsing.create({ tier: 'fast', version: 'latest', file_id: file.id });
    let delayedSeen = 0;
    let status = await storedStatus(second.id);
    while (status === 'RUNNING' || status === 'PENDING') {
      delayedSeen += await redis.zcard(`${stack.prefix}:parse:delayed`);
      await new Promise((r) => setTimeout(r, 50));
      status = await storedStatus(second.id);
    }
    expect(status).toBe('COMPLETED');
    expect(await storedStatus(first.id)).toBe('COMPLETED');
    expect(await redis.hget(jobKey(second.id), 'copied_from')).toBe(first.id);
    expect(delayedSeen).toBe(0);
    // It ran while the first parse did, and waited among that parse's waiters.
    const waited = parser
      .output()
      .split('\n')
      .filter((line) => line.includes(second.id) && line.includes('waiting for it to end'));
    expect(waited).toHaveLength(1);
    const pages = await a.parsing.get(second.id, { expand: ['text'] });
    expect(pages.text?.pages.map((p) => p.text).join(' ')).toMatch(/INVOICE/);
  });

  it('settles an example added on a running parse job once the parse ends, never delayed meanwhile', async () => {
    const parse = await runningParse(3, 'example');
    const cfg = await a.configurations.create({
      name: 'push-examples',
      parameters: { product_type: 'classify_v2', rules: RULES },
    });
    const examples = examplesApi(stack.baseUrl, 'key-a');
    const example = await examples.added(cfg.id, parse.id, 'invoice');
    expect(example.status).toBe('PENDING');
    let delayedSeen = 0;
    let parseStatus = await storedStatus(parse.id);
    while (parseStatus === 'RUNNING' || parseStatus === 'PENDING') {
      delayedSeen += await redis.zcard(`${stack.prefix}:example:delayed`);
      await new Promise((r) => setTimeout(r, 50));
      parseStatus = await storedStatus(parse.id);
    }
    expect(parseStatus).toBe('COMPLETED');
    expect((await examples.settled(cfg.id, example.id)).status).toBe('READY');
    expect(delayedSeen).toBe(0);
    // Its example stage ran while the parse did, and waited among the parse's waiters.
    const classifier = stack.apps.find((app) => app.name === 'classify-worker') as AppProcess;
    const waited = classifier
      .output()
      .split('\n')
      .filter((line) => line.includes(example.id) && line.includes('waiting for it to end'));
    expect(waited).toHaveLength(1);
  });

  it('keeps a parse two jobs share while one of them is live, and cancels it with the last', async () => {
    const scan = await longScan(3, 'shared');
    const file = await a.files.create({
      file: await toFile(Buffer.from(scan), 'shared.pdf'),
      purpose: 'classify',
    });
    const one = await a.classify.create({ file_input: file.id, configuration: { rules: RULES } });
    const two = await a.classify.create({ file_input: file.id, configuration: { rules: RULES } });
    expect(two.parse_job_id).toBe(one.parse_job_id);
    await a.classify.cancel(one.id);
    expect(await storedStatus(one.parse_job_id as string)).not.toBe('CANCELLED');
    const done = await a.classify.waitForCompletion(two.id, undefined, { ...POLL, timeout: 90 });
    expect(done.status).toBe('COMPLETED');
    expect(done.result?.type).toBe('invoice');
    expect((await a.classify.get(one.id)).status).toBe('CANCELLED');

    const other = await a.files.create({
      file: await toFile(Buffer.from(await longScan(12, 'both')), 'both.pdf'),
      purpose: 'classify',
    });
    const three = await a.classify.create({ file_input: other.id, configuration: { rules: RULES } });
    const four = await a.classify.create({ file_input: other.id, configuration: { rules: RULES } });
    expect(four.parse_job_id).toBe(three.parse_job_id);
    await a.classify.cancel(three.id);
    expect(await storedStatus(three.parse_job_id as string)).not.toBe('CANCELLED');
    await a.classify.cancel(four.id);
    expect(await storedStatus(three.parse_job_id as string)).toBe('CANCELLED');
  });
  // Last: it swaps the stack's classify worker for one that asks a (fake, slow) Claude.
  it('stops a classify job waiting on a slow model within a second of its cancel', async () => {
    fake = await startFakeMessagesServer({ apiKey: 'sk-ant-test-key' });
    fake.setFallback(fakeReply.slow(60_000));
    for (const app of stack.apps.filter((p) => p.name === 'classify-worker')) await stack.stopApp(app);
    const worker = await stack.startApp('classify-worker', {
      CLASSIFIER: 'anthropic',
      ANTHROPIC_API_KEY: 'sk-ant-test-key',
      ANTHROPIC_BASE_URL: fake.url,
    });
    const file = await a.files.create({
      file: await toFile(Buffer.from(INVOICE_TEXT), 'slow.txt'),
      purpose: 'classify',
    });
    const job = await a.classify.create({ file_input: file.id, configuration: { rules: RULES } });
    const server = fake;
    await until(
      async () => server.requests.length,
      (n) => n > 0,
      'the model call',
    );
    const logged = worker.output().length;
    const cancelledAt = Date.now();
    expect((await a.classify.cancel(job.id)).status).toBe('CANCELLED');
    await until(
      async () => worker.output().slice(logged),
      (log) => log.includes('classify cancelled; stopped'),
      'the classify stopping',
    );
    expect(Date.now() - cancelledAt).toBeLessThan(1000);
    expect((await a.classify.get(job.id)).status).toBe('CANCELLED');
  });
});
