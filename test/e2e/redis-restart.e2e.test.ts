import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, type ServiceStack, startServiceStack } from '@classifyd/testkit';
import { toFile } from '@llamaindex/llama-cloud';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEYS, POLL, sdk } from './clients.js';
import { INVOICE_TEXT, RULES } from './documents.js';

/**
 * A Redis of its own that keeps an AOF, fsynced on every write as a production Redis would
 * be set for this guarantee, so that it can be killed and started again on the same port
 * and folder: what it acknowledged before the kill is still there.
 */
class AofRedis {
  private child: ChildProcess | null = null;
  private constructor(
    readonly port: number,
    readonly dir: string,
  ) {}

  static async start(): Promise<AofRedis> {
    const redis = new AofRedis(await freePort(), mkdtempSync(join(tmpdir(), 'classifyd-aof-')));
    await redis.up();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async up(): Promise<void> {
    const child = spawn(
      'redis-server',
      [
        ...['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--save', ''],
        ...['--appendonly', 'yes', '--appendfsync', 'always'],
      ],
      { stdio: 'ignore' },
    );
    child.once('error', () => {});
    this.child = child;
    for (let i = 0; i < 100; i++) {
      const probe = new Redis(this.url, {
        lazyConnect: true,
        retryStrategy: () => null,
        maxRetriesPerRequest: 0,
      });
      probe.on('error', () => {});
      try {
        await probe.connect();
        if ((await probe.ping()) === 'PONG') return;
      } catch {
        // not up yet
      } finally {
        probe.disconnect();
      }
      if (child.exitCode !== null) throw new Error('this test needs redis-server on the PATH');
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('redis-server did not answer');
  }

  /** A crash, not a shutdown: nothing is saved on the way out. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  async remove(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

describe('when Redis restarts (with its AOF)', () => {
  let redis: AofRedis;
  let stack: ServiceStack;

  beforeAll(async () => {
    redis = await AofRedis.start();
    stack = await startServiceStack({ redisUrl: redis.url, label: 'aof', env: { API_KEYS } });
  });
  afterAll(async () => {
    await stack?.stop().catch(() => {});
    await redis?.remove();
  });

  it('the apps carry on without a restart and no accepted job is lost', async () => {
    const a = sdk(stack.baseUrl, 'key-a', 5);
    const files = await Promise.all(
      Array.from({ length: 40 }, async (_, i) =>
        a.files.create({
          file: await toFile(Buffer.from(`${INVOICE_TEXT}\n${i}`), `inv-${i}.txt`),
          purpose: 'classify',
        }),
      ),
    );
    // Created at once, so that the kill below lands while most of them are still on their way.
    const accepted = (
      await Promise.all(
        files.map((f) => a.classify.create({ file_input: f.id, configuration: { rules: RULES } })),
      )
    ).map((job) => job.id);
    const open = await a.classify.list({ status: 'PENDING', page_size: 100 });
    expect(open.items.length).toBeGreaterThan(0);
    await redis.kill();
    await new Promise((r) => setTimeout(r, 500));
    await redis.up();

    for (const id of accepted) {
      const done = await a.classify.waitForCompletion(id, undefined, { ...POLL, timeout: 120 });
      expect(done.status, id).toBe('COMPLETED');
      expect(done.result?.type, id).toBe('invoice');
    }
    const after = await a.classify.run(
      { file_input: files[0]?.id as string, configuration: { rules: RULES } },
      POLL,
    );
    expect(after.result?.type).toBe('invoice');
    for (const app of stack.apps) expect(app.child.exitCode, app.name).toBeNull();
  });
});
