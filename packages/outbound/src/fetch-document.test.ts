import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchDocument } from './fetch-document.js';
import { guardedRequest } from './guarded-request.js';
import { OutboundError } from './url-guard.js';

const limits = { maxBytes: 1000, timeoutMs: 2000, maxRedirects: 2, allowPrivate: true };

describe('fetchDocument against a loopback server', () => {
  let server: Server;
  let base = '';

  beforeAll(async () => {
    server = createServer((req, res) => {
      const url = req.url ?? '';
      if (url === '/doc') return res.end('hello document');
      if (url === '/big') return res.end('x'.repeat(5000));
      if (url === '/big-chunked') {
        res.write('x'.repeat(800));
        return res.end('y'.repeat(800));
      }
      if (url.startsWith('/hop/')) {
        const n = Number(url.slice(5));
        res.writeHead(302, { location: n > 0 ? `/hop/${n - 1}` : '/doc' });
        return res.end();
      }
      if (url === '/to-file') {
        res.writeHead(302, { location: 'file:///etc/passwd' });
        return res.end();
      }
      if (url === '/missing') return res.writeHead(404).end();
      if (url === '/video') return res.writeHead(200, { 'content-type': 'video/mp4' }).end('....');
      if (url === '/slow') {
        res.write('part');
        return setTimeout(() => res.end('rest'), 3000).unref();
      }
      if (url === '/busy') return res.writeHead(503).end();
      res.writeHead(500).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.close();
  });

  it('returns the bytes, following redirects', async () => {
    expect(Buffer.from(await fetchDocument(`${base}/doc`, limits)).toString()).toBe('hello document');
    expect(Buffer.from(await fetchDocument(`${base}/hop/1`, limits)).toString()).toBe('hello document');
  });

  it('checks every redirect, not only the URL it was given', async () => {
    await expect(fetchDocument(`${base}/to-file`, limits)).rejects.toThrow(/Only http\(s\) URLs/);
  });

  it('stops at too many redirects', async () => {
    await expect(fetchDocument(`${base}/hop/5`, limits)).rejects.toThrow(/redirected more than 2 times/);
  });

  it('refuses a body over the size limit, declared or streamed', async () => {
    await expect(fetchDocument(`${base}/big`, limits)).rejects.toThrow(/larger than 1000 bytes/);
    await expect(fetchDocument(`${base}/big-chunked`, limits)).rejects.toThrow(/larger than 1000 bytes/);
  });

  it('calls a 404 permanent and a 503 transient', async () => {
    const missing = (await fetchDocument(`${base}/missing`, limits).catch(
      (e: unknown) => e,
    )) as OutboundError;
    expect(missing.permanent).toBe(true);
    const busy = (await fetchDocument(`${base}/busy`, limits).catch((e: unknown) => e)) as OutboundError;
    expect(busy).toBeInstanceOf(OutboundError);
    expect(busy.permanent).toBe(false);
  });

  it('refuses the loopback server when private URLs are not allowed', async () => {
    await expect(fetchDocument(`${base}/doc`, { ...limits, allowPrivate: false })).rejects.toThrow(
      /private or local/,
    );
  });

  it('refuses content types that are never documents', async () => {
    await expect(fetchDocument(`${base}/video`, limits)).rejects.toThrow(
      /serves video\/mp4, which is not a document/,
    );
  });

  it('limits the time of the whole exchange, body included', async () => {
    const slow = (await fetchDocument(`${base}/slow`, { ...limits, timeoutMs: 300 }).catch(
      (e: unknown) => e,
    )) as OutboundError;
    expect(slow).toBeInstanceOf(OutboundError);
    expect(slow.message).toMatch(/longer than 300 ms/);
    expect(slow.permanent).toBe(false);
  });

  it('checks the address the socket connects to, not only the name checked before (DNS rebinding)', async () => {
    const byName = new URL(`${base.replace('127.0.0.1', 'localhost')}/doc`);
    const request = guardedRequest(byName, {
      method: 'GET',
      allowPrivate: false,
      signal: AbortSignal.timeout(2000),
    });
    await expect(request).rejects.toThrow(/private or local address/);
    const allowed = await guardedRequest(byName, {
      method: 'GET',
      allowPrivate: true,
      signal: AbortSignal.timeout(2000),
    });
    expect(allowed.statusCode).toBe(200);
    allowed.resume();
  });
});
