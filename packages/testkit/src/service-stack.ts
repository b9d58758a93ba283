import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { freePort } from './ports.js';
import { removePrefix, uniquePrefix } from './prefix.js';
import type { RedisTarget } from './redis-topology.js';

export type AppName = 'api' | 'parse-worker' | 'classify-worker';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface StackOptions {
  /** The Redis every app shares; or `redis`, a Sentinel group or Cluster given through env vars. */
  redisUrl?: string;
  redis?: RedisTarget;
  label: string;
  /** Extra environment for every app (API_KEYS, LOCK_DURATION_MS, ...). */
  env?: Record<string, string>;
  /** Which workers to start with the API (default: one of each). */
  workers?: AppName[];
  /**
   * A folder made by infra/build-bundle.sh: each app is started from it the way the image
   * starts it (`docker-entrypoint.sh <app>`, working directory the folder). Default: the
   * repo's apps/<app>/dist/main.js.
   */
  bundleDir?: string;
  /** Give each app process a DATA_DIR of its own, as on separate machines (default: one shared). */
  separateDataDirs?: boolean;
}

export interface AppProcess {
  name: AppName;
  child: ChildProcess;
  output: () => string;
}

export interface ServiceStack {
  baseUrl: string;
  prefix: string;
  dataDir: string;
  env: Record<string, string>;
  apps: AppProcess[];
  /** Starts another process of an app against the same Redis, prefix and data directory. */
  startApp(name: AppName, extraEnv?: Record<string, string>): Promise<AppProcess>;
  stopApp(app: AppProcess, signal?: NodeJS.Signals): Promise<number | null>;
  stop(): Promise<void>;
}

function launch(name: AppName, env: Record<string, string>, bundleDir?: string): AppProcess {
  const entry: { command: string; args: string[]; cwd?: string } = bundleDir
    ? { command: '/bin/sh', args: [join(bundleDir, 'docker-entrypoint.sh'), name], cwd: bundleDir }
    : { command: process.execPath, args: [join(REPO_ROOT, 'apps', name, 'dist', 'main.js')] };
  const child = spawn(entry.command, entry.args, {
    cwd: entry.cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-200_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return { name, child, output: () => log };
}

async function waitFor(
  check: () => Promise<boolean>,
  what: string,
  app: AppProcess,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (app.child.exitCode !== null)
      throw new Error(`${app.name} exited (${app.child.exitCode}) before ${what}:\n${app.output()}`);
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${app.name} not ${what} after ${timeoutMs} ms:\n${app.output()}`);
}

function waitForLog(app: AppProcess, pattern: RegExp): Promise<void> {
  return waitFor(async () => pattern.test(app.output()), 'started', app);
}

function requiredUrl(options: StackOptions): string {
  if (options.redisUrl === undefined) throw new Error('startServiceStack needs redisUrl or redis');
  return options.redisUrl;
}

/**
 * The three real apps as separate processes (built dist/), on a free port, a private
 * queue prefix and data directory; stop() kills them and removes every key they made.
 */
export async function startServiceStack(options: StackOptions): Promise<ServiceStack> {
  const prefix = uniquePrefix(options.label);
  const dataDir = mkdtempSync(join(tmpdir(), `classifyd-${options.label}-`));
  const port = await freePort();
  const env: Record<string, string> = {
    ...(options.redis ? options.redis.env : { REDIS_URL: requiredUrl(options) }),
    QUEUE_PREFIX: prefix,
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    ALLOW_PRIVATE_URLS: 'true',
    // Tests create jobs faster than a production limit allows; the limit has its own test.
    RATE_LIMIT_PER_SECOND: '0',
    ...options.env,
  };
  const apps: AppProcess[] = [];
  const stack: ServiceStack = {
    baseUrl: `http://127.0.0.1:${port}`,
    prefix,
    dataDir,
    env,
    apps,
    async startApp(name, extraEnv = {}) {
      // Inside the stack's directory, so that stop() removes them with it.
      const ownDataDir: Record<string, string> = options.separateDataDirs
        ? { DATA_DIR: mkdtempSync(join(dataDir, `${name}-`)) }
        : {};
      const app = launch(name, { ...env, ...ownDataDir, ...extraEnv }, options.bundleDir);
      apps.push(app);
      if (name === 'api') {
        await waitFor(async () => (await fetch(`${stack.baseUrl}/ready`)).ok, 'ready', app);
      } else {
        await waitForLog(app, /worker started/);
      }
      return app;
    },
    async stopApp(app, signal = 'SIGTERM') {
      if (app.child.exitCode !== null || app.child.signalCode !== null) return app.child.exitCode;
      const exited = new Promise<number | null>((resolve) => app.child.once('exit', (code) => resolve(code)));
      app.child.kill(signal);
      return exited;
    },
    async stop() {
      await Promise.all(apps.map((app) => stack.stopApp(app, 'SIGTERM')));
      if (options.redis) {
        await options.redis.removePrefix(prefix);
      } else {
        const redis = new Redis(requiredUrl(options));
        await removePrefix(redis, prefix);
        redis.disconnect();
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  try {
    await stack.startApp('api');
    for (const worker of options.workers ?? ['parse-worker', 'classify-worker']) await stack.startApp(worker);
  } catch (error) {
    await stack.stop();
    throw error;
  }
  return stack;
}
