#!/usr/bin/env node
// Starts the whole service in the foreground: the API and one parse and one classify
// worker, as separate processes sharing one Redis and one DATA_DIR. If nothing answers
// at REDIS_URL and `redis-server` is on the PATH, it starts a private Redis under
// DATA_DIR. Ctrl-C (or SIGTERM) stops everything gracefully.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const env = { ...process.env };
env.REDIS_URL ??= 'redis://127.0.0.1:6379';
env.DATA_DIR = isAbsolute(env.DATA_DIR ?? '') ? env.DATA_DIR : resolve(root, env.DATA_DIR ?? '.data');
const say = (line) => process.stdout.write(`[classifyd] ${line}\n`);
/** REDIS_URL as it may be printed: a password in it is a secret. */
function shownUrl(url) {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(not a URL)';
  }
}

function ping(url) {
  const { hostname, port } = new URL(url);
  return new Promise((done) => {
    const socket = connect({ host: hostname || '127.0.0.1', port: Number(port || 6379) });
    const finish = (ok) => {
      socket.destroy();
      done(ok);
    };
    socket.setTimeout(1000, () => finish(false));
    socket.once('error', () => finish(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    // +PONG, or -NOAUTH when a password is needed: either way a Redis answers there.
    socket.once('data', (data) => finish(/^(\+PONG|-NOAUTH)/.test(data.toString())));
  });
}

async function ensureRedis() {
  if (await ping(env.REDIS_URL)) return null;
  const { hostname, port } = new URL(env.REDIS_URL);
  const local = ['127.0.0.1', 'localhost'].includes(hostname);
  const hasBinary = spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
  if (!local || !hasBinary) {
    say(`Nothing answers at REDIS_URL=${shownUrl(env.REDIS_URL)}.`);
    say(
      'Start Redis 7 (e.g. `apt-get install redis-server` or `docker run -p 6379:6379 redis:7`), or set REDIS_URL to one.',
    );
    process.exit(1);
  }
  const dir = join(env.DATA_DIR, 'redis');
  mkdirSync(dir, { recursive: true });
  say(
    `Nothing answers at ${shownUrl(env.REDIS_URL)}; starting a private redis-server with its data in ${dir}`,
  );
  const child = spawn(
    'redis-server',
    [
      '--port',
      port || '6379',
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--appendonly',
      'yes',
      '--maxmemory-policy',
      'noeviction',
    ],
    { stdio: 'ignore' },
  );
  for (let i = 0; i < 50 && !(await ping(env.REDIS_URL)); i++) await new Promise((r) => setTimeout(r, 100));
  return child;
}

const apps = ['api', 'parse-worker', 'classify-worker'];
for (const app of apps) {
  if (!existsSync(join(root, 'apps', app, 'dist', 'main.js'))) {
    say(`apps/${app} is not built; run \`pnpm build\` first.`);
    process.exit(1);
  }
}

const redis = await ensureRedis();
const children = apps.map((app) =>
  spawn(process.execPath, [join(root, 'apps', app, 'dist', 'main.js')], { env, stdio: 'inherit' }),
);
let stopping = false;
function stopAll(code) {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  void Promise.all(
    children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : null)),
  ).then(() => {
    redis?.kill('SIGTERM');
    process.exit(code);
  });
}
children.forEach((child, i) => {
  child.once('exit', (code) => {
    if (!stopping) {
      say(`${apps[i]} exited with code ${code}; stopping the others`);
      stopAll(code || 1);
    }
  });
});
process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));
say(
  `starting API on http://${env.HOST ?? '127.0.0.1'}:${env.PORT ?? 8080} with a parse worker and a classify worker`,
);
