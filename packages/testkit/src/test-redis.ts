import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from './ports.js';

export interface TestRedis {
  url: string;
  source: 'env' | 'testcontainers' | 'local-6379' | 'spawned';
  stop(): Promise<void>;
}

async function answers(url: string): Promise<boolean> {
  const client = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: 1000,
    retryStrategy: () => null,
  });
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

/** A private redis-server (no persistence) on a free port, or null when none can start. */
export async function spawnRedisServer(): Promise<TestRedis | null> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'classifyd-redis-'));
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    {
      stdio: 'ignore',
    },
  );
  const failed = new Promise<boolean>((resolve) => child.once('error', () => resolve(false)));
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 50; i++) {
    if (await Promise.race([answers(url), failed])) {
      return {
        url,
        source: 'spawned',
        stop: async () => {
          if (child.exitCode === null && child.signalCode === null) {
            const exited = new Promise((resolve) => child.once('exit', resolve));
            child.kill('SIGTERM');
            await exited;
          }
          rmSync(dir, { recursive: true, force: true });
        },
      };
    }
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
  return null;
}

/**
 * The Redis a test run uses: REDIS_URL if set; else a testcontainers Redis where a
 * Docker engine exists; else one answering on 127.0.0.1:6379; else a private
 * redis-server if the binary is on the PATH. Fails loudly when there is none.
 */
export async function startTestRedis(env: NodeJS.ProcessEnv): Promise<TestRedis> {
  if (env.REDIS_URL) return { url: env.REDIS_URL, source: 'env', stop: async () => {} };
  try {
    const { RedisContainer } = await import('@testcontainers/redis');
    const container = await new RedisContainer('redis:7.0').start();
    return {
      url: container.getConnectionUrl(),
      source: 'testcontainers',
      stop: async () => void (await container.stop()),
    };
  } catch {
    // No container runtime here; fall through to a local server.
  }
  const local = env.REDIS_FALLBACK_URL ?? 'redis://127.0.0.1:6379';
  if (await answers(local)) return { url: local, source: 'local-6379', stop: async () => {} };
  const spawned = await spawnRedisServer();
  if (spawned) return spawned;
  throw new Error(
    'No Redis for the tests: set REDIS_URL, run a Docker engine (testcontainers), or start redis-server on 127.0.0.1:6379',
  );
}
