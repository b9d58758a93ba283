import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cluster, Redis } from 'ioredis';
import { freePort } from './ports.js';
import { removePrefix } from './prefix.js';

/** A Redis the service stack can be pointed at through env vars instead of REDIS_URL. */
export interface RedisTarget {
  /** What every app gets instead of REDIS_URL (REDIS_SENTINELS, REDIS_CLUSTER_NODES, REDIS_PASSWORD...). */
  env: Record<string, string>;
  /** Removes every key a stack made under `prefix`, wherever the topology keeps it. */
  removePrefix(prefix: string): Promise<void>;
}

export interface RedisServerProcess {
  port: number;
  child: ChildProcess;
  output(): string;
}

export interface SentinelTopology extends RedisTarget {
  name: string;
  password: string;
  primary: RedisServerProcess;
  replica: RedisServerProcess;
  sentinels: RedisServerProcess[];
  /** The primary's port as the sentinels name it now. */
  primaryPort(): Promise<number>;
  /** Waits until the sentinels name a primary other than `formerPort` and it takes writes. */
  waitForFailover(formerPort: number, timeoutMs?: number): Promise<number>;
  stop(): Promise<void>;
}

export interface ClusterTopology extends RedisTarget {
  password: string;
  nodes: RedisServerProcess[];
  /** A client of the cluster, for tests that look at the keys; the caller quits it. */
  connect(): Cluster;
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';
const PASSWORD = 'topology-test-password';

/** CI installs redis-server; a machine without it fails these tests saying so, never skips them. */
function requireRedisServer(): void {
  const probe = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      'redis-server is not on the PATH: the Sentinel and Cluster tests start real Redis processes ' +
        '(Debian/Ubuntu: apt-get install redis-server; it also runs sentinels with --sentinel)',
    );
  }
}

function startServer(dir: string, port: number, lines: string[], sentinel = false): RedisServerProcess {
  mkdirSync(dir, { recursive: true });
  const conf = join(dir, sentinel ? 'sentinel.conf' : 'redis.conf');
  const common = [`port ${port}`, `bind ${HOST}`, `dir ${dir}`, 'daemonize no', 'logfile ""'];
  writeFileSync(conf, `${[...common, ...lines].join('\n')}\n`);
  const child = spawn('redis-server', sentinel ? [conf, '--sentinel'] : [conf], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-50_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return { port, child, output: () => log };
}

async function stopServer(server: RedisServerProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  const { child } = server;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  await exited;
}

function directClient(port: number, password?: string): Redis {
  return new Redis({
    host: HOST,
    port,
    password,
    lazyConnect: true,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
  });
}

/** Runs one command against a node on a fresh connection; throws if it does not answer. */
async function ask(port: number, password: string | undefined, ...command: string[]): Promise<unknown> {
  const client = directClient(port, password);
  client.on('error', () => {});
  try {
    await client.connect();
    const [name, ...args] = command;
    return await client.call(name as string, ...args);
  } finally {
    client.disconnect();
  }
}

async function until<T>(
  what: string,
  check: () => Promise<T | undefined>,
  servers: RedisServerProcess[],
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  while (Date.now() < deadline) {
    for (const server of servers) {
      if (server.child.exitCode !== null)
        throw new Error(`redis-server :${server.port} exited before ${what}:\n${server.output()}`);
    }
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = (error as Error).message;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const logs = servers.map((s) => `--- :${s.port}\n${s.output().slice(-3000)}`).join('\n');
  throw new Error(`Redis topology: ${what} not reached after ${timeoutMs} ms (${lastError})\n${logs}`);
}

function field(info: string, name: string): string | undefined {
  return new RegExp(`^${name}:(.*)$`, 'm').exec(info)?.[1]?.trim();
}

/** SENTINEL MASTER's flat [key, value, ...] reply as a map. */
function pairs(reply: unknown): Map<string, string> {
  const list = reply as string[];
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < list.length; i += 2) map.set(list[i] as string, list[i + 1] as string);
  return map;
}

/**
 * A primary, its replica and three sentinels on free loopback ports, in a temp dir, with a
 * password on the data nodes. Short sentinel timeouts, so that a failover takes seconds.
 */
export function startSentinelTopology(name = 'mymaster'): Promise<SentinelTopology> {
  return withFreshPortsOnClash(() => startSentinelTopologyOnce(name));
}

async function startSentinelTopologyOnce(name: string): Promise<SentinelTopology> {
  requireRedisServer();
  const root = mkdtempSync(join(tmpdir(), 'classifyd-sentinel-'));
  const servers: RedisServerProcess[] = [];
  const data = [`requirepass ${PASSWORD}`, `masterauth ${PASSWORD}`, 'save ""', 'appendonly no'];
  const stop = async () => {
    await Promise.all(servers.map((s) => stopServer(s)));
    rmSync(root, { recursive: true, force: true });
  };
  try {
    const [primaryPort, replicaPort] = [await freePort(), await freePort()];
    const primary = startServer(join(root, 'primary'), primaryPort, data);
    servers.push(primary);
    const replica = startServer(join(root, 'replica'), replicaPort, [
      ...data,
      `replicaof ${HOST} ${primaryPort}`,
    ]);
    servers.push(replica);
    await until(
      'the replica in sync',
      async () =>
        field(String(await ask(replicaPort, PASSWORD, 'INFO', 'replication')), 'master_link_status') === 'up'
          ? true
          : undefined,
      servers,
    );
    const sentinels: RedisServerProcess[] = [];
    for (let i = 0; i < 3; i++) {
      const port = await freePort();
      const sentinel = startServer(
        join(root, `sentinel-${i}`),
        port,
        [
          `sentinel monitor ${name} ${HOST} ${primaryPort} 2`,
          `sentinel auth-pass ${name} ${PASSWORD}`,
          `sentinel down-after-milliseconds ${name} 1000`,
          `sentinel failover-timeout ${name} 3000`,
          `sentinel parallel-syncs ${name} 1`,
        ],
        true,
      );
      servers.push(sentinel);
      sentinels.push(sentinel);
    }
    // A failover needs every sentinel to know the replica and the other sentinels first.
    await until(
      'the sentinels seeing the replica and each other',
      async () => {
        for (const sentinel of sentinels) {
          const master = pairs(await ask(sentinel.port, undefined, 'SENTINEL', 'MASTER', name));
          if (master.get('num-slaves') !== '1' || master.get('num-other-sentinels') !== '2') return undefined;
        }
        return true;
      },
      servers,
    );
    const askPrimaryPort = async () => {
      for (const sentinel of sentinels) {
        if (sentinel.child.exitCode !== null) continue;
        const reply = (await ask(sentinel.port, undefined, 'SENTINEL', 'GET-MASTER-ADDR-BY-NAME', name).catch(
          () => null,
        )) as string[] | null;
        if (reply?.[1]) return Number(reply[1]);
      }
      throw new Error('no sentinel names a primary');
    };
    return {
      name,
      password: PASSWORD,
      primary,
      replica,
      sentinels,
      env: {
        REDIS_SENTINELS: sentinels.map((s) => `${HOST}:${s.port}`).join(','),
        REDIS_SENTINEL_NAME: name,
        REDIS_PASSWORD: PASSWORD,
      },
      primaryPort: askPrimaryPort,
      waitForFailover: (formerPort, timeoutMs = 30_000) =>
        until(
          'a failover',
          async () => {
            const port = await askPrimaryPort();
            if (port === formerPort) return undefined;
            const role = (await ask(port, PASSWORD, 'ROLE')) as unknown[];
            return role[0] === 'master' ? port : undefined;
          },
          sentinels,
          timeoutMs,
        ),
      async removePrefix(prefix) {
        const client = directClient(await askPrimaryPort(), PASSWORD);
        try {
          await client.connect();
          await removePrefix(client, prefix);
        } finally {
          client.disconnect();
        }
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Three primaries (no replicas) holding all 16384 slots, on free loopback ports with their
 * bus ports chosen too, in a temp dir, with a password on every node.
 */
export function startRedisCluster(): Promise<ClusterTopology> {
  return withFreshPortsOnClash(startRedisClusterOnce);
}

/**
 * A free port can be taken by another process between being found and being bound (a
 * server then exits with "Failed listening on port"): the topology, stopped by then, is
 * started again on a fresh set of ports.
 */
async function withFreshPortsOnClash<T>(start: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (error) {
      if (attempt >= 3 || !/Failed listening on port/.test(String(error))) throw error;
    }
  }
}

async function startRedisClusterOnce(): Promise<ClusterTopology> {
  requireRedisServer();
  const root = mkdtempSync(join(tmpdir(), 'classifyd-cluster-'));
  const nodes: RedisServerProcess[] = [];
  const stop = async () => {
    await Promise.all(nodes.map((s) => stopServer(s)));
    rmSync(root, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < 3; i++) {
      const [port, busPort] = [await freePort(), await freePort()];
      nodes.push(
        startServer(join(root, `node-${i}`), port, [
          `cluster-port ${busPort}`,
          'cluster-enabled yes',
          'cluster-config-file nodes.conf',
          'cluster-node-timeout 5000',
          `requirepass ${PASSWORD}`,
          `masterauth ${PASSWORD}`,
          'save ""',
          'appendonly no',
        ]),
      );
    }
    await until(
      'every node answering',
      async () => {
        for (const node of nodes) await ask(node.port, PASSWORD, 'PING');
        return true;
      },
      nodes,
    );
    const create = spawnSync(
      'redis-cli',
      [
        '-a',
        PASSWORD,
        '--no-auth-warning',
        '--cluster',
        'create',
        ...nodes.map((n) => `${HOST}:${n.port}`),
        '--cluster-replicas',
        '0',
        '--cluster-yes',
      ],
      { encoding: 'utf8', timeout: 30_000 },
    );
    if (create.status !== 0)
      throw new Error(`redis-cli --cluster create failed:\n${create.stdout}\n${create.stderr}`);
    await until(
      'cluster_state:ok on every node',
      async () => {
        for (const node of nodes) {
          const info = String(await ask(node.port, PASSWORD, 'CLUSTER', 'INFO'));
          if (field(info, 'cluster_state') !== 'ok' || field(info, 'cluster_known_nodes') !== '3')
            return undefined;
        }
        return true;
      },
      nodes,
    );
    const connect = () =>
      new Cluster(
        nodes.map((n) => ({ host: HOST, port: n.port })),
        { redisOptions: { password: PASSWORD } },
      );
    return {
      password: PASSWORD,
      nodes,
      env: {
        REDIS_CLUSTER_NODES: nodes.map((n) => `${HOST}:${n.port}`).join(','),
        REDIS_PASSWORD: PASSWORD,
      },
      connect,
      async removePrefix(prefix) {
        // The apps wrap a prefix without a hash tag in braces on a Cluster; a SCAN sees one
        // node only, so every primary is asked.
        for (const node of nodes) {
          const client = directClient(node.port, PASSWORD);
          try {
            await client.connect();
            for (const pattern of [prefix, `{${prefix}}`]) await removeEachKey(client, pattern);
          } finally {
            client.disconnect();
          }
        }
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** One key per UNLINK: keys of different slots may not go in one command on a Cluster node. */
async function removeEachKey(node: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await node.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) {
      const pipeline = node.pipeline();
      for (const key of keys) pipeline.unlink(key);
      await pipeline.exec();
    }
  } while (cursor !== '0');
}
