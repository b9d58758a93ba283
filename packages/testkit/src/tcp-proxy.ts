import { connect, createServer, type Server, type Socket } from 'node:net';
import { freePort } from './ports.js';

export interface TcpProxy {
  /** The Redis URL to hand to the apps: same database, through the proxy. */
  url: string;
  /** Drops every connection and refuses new ones: Redis is "down" for whoever uses the proxy. */
  cut(): Promise<void>;
  /** Accepts connections again on the same port. */
  restore(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A TCP proxy in front of a Redis, so a test can take Redis away from the apps and give
 * it back, whatever Redis the run uses (a shared server, a container, ...).
 */
export async function startTcpProxy(redisUrl: string): Promise<TcpProxy> {
  const target = new URL(redisUrl);
  const port = await freePort();
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  const listen = () =>
    new Promise<void>((resolve) => {
      if (server) return resolve();
      server = createServer((client) => {
        const upstream = connect(Number(target.port || 6379), target.hostname);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => {});
        }
        client.pipe(upstream).pipe(client);
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
      });
      server.listen(port, '127.0.0.1', resolve);
    });
  const cut = async () => {
    const closing = server
      ? new Promise<void>((resolve) => server?.close(() => resolve()))
      : Promise.resolve();
    for (const s of sockets) s.destroy();
    await closing;
    server = undefined;
  };
  await listen();
  const proxied = new URL(redisUrl);
  proxied.hostname = '127.0.0.1';
  proxied.port = String(port);
  return { url: proxied.toString().replace(/\/$/, ''), cut, restore: listen, close: cut };
}
