import { type ServiceStack, spawnRedisServer, startServiceStack, type TestRedis } from '@classifyd/testkit';
import { toFile } from '@llamaindex/llama-cloud';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEYS, POLL, sdk } from './clients.js';
import { INVOICE_TEXT, RULES } from './documents.js';

// A Redis of its own: its maxmemory is turned down to what it holds, which the shared one
// (and the tests running beside this one) must never see.
describe('when Redis is full (maxmemory with noeviction)', () => {
  let redis: TestRedis;
  let admin: Redis;
  let stack: ServiceStack;

  beforeAll(async () => {
    const spawned = await spawnRedisServer();
    if (!spawned) throw new Error('this test needs redis-server on the PATH (apt-get install redis-server)');
    redis = spawned;
    admin = new Redis(redis.url);
    await admin.config('SET', 'maxmemory-policy', 'noeviction');
    stack = await startServiceStack({ redisUrl: redis.url, label: 'full', env: { API_KEYS } });
  });
  afterAll(async () => {
    await admin?.config('SET', 'maxmemory', '0').catch(() => {});
    await stack?.stop();
    admin?.disconnect();
    await redis?.stop();
  });

  it('the API answers 503 with Retry-After and stays up, and work goes on once there is room', async () => {
    const client = sdk(stack.baseUrl, 'key-a');
    const file = await client.files.create({
      file: await toFile(Buffer.from(INVOICE_TEXT), 'before-full.txt'),
      purpose: 'classify',
    });
    const used = Number(/used_memory:(\d+)/.exec(await admin.info('memory'))?.[1]);
    // Half of what it holds, not all of it: memory freed by the apps' own traffic in the
    // meantime must not make room again before the second write.
    await admin.config('SET', 'maxmemory', String(Math.floor(used / 2)));

    const create = await fetch(`${stack.baseUrl}/api/v2/classify`, {
      method: 'POST',
      headers: { authorization: 'Bearer key-a', 'content-type': 'application/json' },
      body: JSON.stringify({ file_input: file.id, configuration: { rules: RULES } }),
    });
    expect(create.status).toBe(503);
    expect(create.headers.get('retry-after')).toBeTruthy();
    expect(((await create.json()) as { detail: string }).detail).toMatch(/full/);
    const form = new FormData();
    form.append('file', new Blob([INVOICE_TEXT]), 'during-full.txt');
    form.append('purpose', 'classify');
    const upload = await fetch(`${stack.baseUrl}/api/v1/beta/files`, {
      method: 'POST',
      headers: { authorization: 'Bearer key-a' },
      body: form,
    });
    expect(upload.status).toBe(503);
    // Reads still work, and no app has died of it.
    expect((await client.files.retrieve(file.id)).id).toBe(file.id);
    expect((await fetch(`${stack.baseUrl}/health`)).status).toBe(200);
    for (const app of stack.apps) expect(app.child.exitCode, app.name).toBeNull();

    await admin.config('SET', 'maxmemory', '0');
    const done = await sdk(stack.baseUrl, 'key-a', 2).classify.run(
      { file_input: file.id, configuration: { rules: RULES } },
      POLL,
    );
    expect(done.status).toBe('COMPLETED');
    expect(done.result?.type).toBe('invoice');
  });
});
