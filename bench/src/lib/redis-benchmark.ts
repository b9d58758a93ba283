import { spawn } from 'node:child_process';

export interface RedisBenchmarkResult {
  /** requests/s by test name (SET, GET, ...), as redis-benchmark prints them. */
  requestsPerSecond: Record<string, number>;
  command: string;
}

const TESTS = 'set,get,incr,lpush,lpop,zadd,hset';

/**
 * Debian's redis-benchmark (redis-tools) against the bench's Redis: plain commands, 50
 * clients, no pipelining. It runs on the same cores as the server, so the figures are a
 * lower bound for a Redis with a core to itself. Null when it is not installed.
 */
export function runRedisBenchmark(url: string, requests: number): Promise<RedisBenchmarkResult | null> {
  const { hostname, port } = new URL(url);
  const args = ['-h', hostname, '-p', port || '6379', '-q', '-n', String(requests), '-c', '50', '-t', TESTS];
  return new Promise((resolve) => {
    const child = spawn('redis-benchmark', args, { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.once('error', () => resolve(null));
    child.once('close', (code) => {
      if (code !== 0) return resolve(null);
      const requestsPerSecond: Record<string, number> = {};
      // Lines end in "\r" progress updates; the last "NAME: N requests per second" of each test counts.
      for (const match of out.matchAll(/([A-Z_]+)[^:\r\n]*: ([\d.]+) requests per second/g)) {
        requestsPerSecond[match[1] as string] = Number(match[2]);
      }
      resolve({ requestsPerSecond, command: `redis-benchmark ${args.join(' ')}` });
    });
  });
}
