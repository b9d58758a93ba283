import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startTestRedis } from '@classifyd/testkit';
import { Redis } from 'ioredis';

export interface BenchRedis {
  url: string;
  /** Where it came from, for the results file. */
  source: 'env' | 'private' | 'shared';
  stop(): Promise<void>;
}

async function answers(url: string): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/**
 * The Redis of a bench run. REDIS_URL wins; otherwise a private redis-server (no persistence)
 * so that other users of a shared 127.0.0.1:6379 do not take part in the figures; otherwise
 * whatever the test kit finds.
 */
export async function startBenchRedis(): Promise<BenchRedis> {
  if (process.env.REDIS_URL) return { url: process.env.REDIS_URL, source: 'env', stop: async () => {} };
  if (spawnSync('redis-server', ['--version']).status === 0) {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'classifyd-bench-redis-'));
    const child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
      { stdio: 'ignore' },
    );
    const url = `redis://127.0.0.1:${port}`;
    const stop = async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    };
    for (let i = 0; i < 50; i++) {
      if (await answers(url)) return { url, source: 'private', stop };
      if (child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await stop();
  }
  const shared = await startTestRedis(process.env);
  return { url: shared.url, source: 'shared', stop: () => shared.stop() };
}
