import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '@classifyd/shared';
import { createBlobStore } from '@classifyd/store';
import { sendRaw as sendRawBytes } from '@classifyd/testkit';
import express from 'express';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorHandler } from './error-handler.js';
import { receiveUpload, uploadBodyOf } from './multipart-upload.js';

const BOUNDARY = 'classifyd-test-boundary';
const part = (name: string, value: string, fileName?: string) =>
  `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"${fileName ? `; filename="${fileName}"` : ''}\r\n\r\n${value}\r\n`;
const body = (...parts: string[]) => `${parts.join('')}--${BOUNDARY}--\r\n`;

describe('receiveUpload', () => {
  let server: Server;
  let base = '';
  let root = '';
  const outcomes: (string | AppError)[] = [];

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'classifyd-upload-'));
    const blobs = await createBlobStore({ kind: 'local', root });
    let n = 0;
    const app = express();
    app.post('/upload', async (req, res) => {
      try {
        const upload = await receiveUpload(uploadBodyOf(req), blobs, `blob-${++n}`, 'file', 2_000_000);
        outcomes.push(upload.fileName);
        res.json({ size: upload.blob.size, fields: upload.fields });
      } catch (error) {
        outcomes.push(error as AppError);
        throw error;
      }
    });
    app.use(errorHandler(pino({ level: 'silent' })));
    server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.close();
    rmSync(root, { recursive: true, force: true });
  });

  const post = (payload: string) =>
    fetch(`${base}/upload`, {
      method: 'POST',
      headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
      body: payload,
    });
  const filesOnDisk = () =>
    readdirSync(join(root, 'files'), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => entry.name);

  it('stores the file part and returns the fields', async () => {
    const response = await post(body(part('purpose', 'classify'), part('file', 'hello', 'a.txt')));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ size: 5, fields: { purpose: 'classify' } });
  });

  it('leaves nothing open or on disk when the client goes away mid-file', async () => {
    const before = filesOnDisk();
    const { port } = new URL(base);
    const socket = connect(Number(port), '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    const head = part('file', 'the first bytes of a long file', 'cut.txt').replace(/\r\n$/, '');
    socket.write(
      `POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=${BOUNDARY}\r\nContent-Length: 900\r\n\r\n${head}`,
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    socket.destroy();
    await expect.poll(() => outcomes.at(-1)).toBeInstanceOf(AppError);
    expect((outcomes.at(-1) as AppError).message).toMatch(/interrupted/);
    await expect.poll(() => filesOnDisk().filter((name) => name.endsWith('.partial'))).toEqual([]);
    expect(filesOnDisk()).toEqual(before);
  });

  it('refuses a second file part instead of dropping it, and keeps neither', async () => {
    const before = filesOnDisk();
    const response = await post(body(part('file', 'one', 'a.txt'), part('file', 'two', 'b.txt')));
    expect(response.status).toBe(422);
    expect(JSON.stringify(await response.json())).toMatch(/one file per upload/);
    await expect.poll(filesOnDisk).toEqual(before);
  });

  it('refuses a field cut short by the size limit instead of reading what is left of it', async () => {
    const before = filesOnDisk();
    const response = await post(
      body(part('configuration', 'x'.repeat(1024 * 1024 + 10)), part('file', 'hello', 'a.txt')),
    );
    const answer = await response.json();
    expect(response.status, JSON.stringify(answer)).toBe(422);
    expect(JSON.stringify(answer)).toMatch(/configuration is longer than 1048576 bytes/);
    // The file part after the refused field is not written, not even for a moment. (An
    // earlier test's .partial file may still be on its way out: only new files count.)
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(filesOnDisk().filter((name) => !before.includes(name))).toEqual([]);
  });

  /** Sends a multipart body as raw bytes, then ends or resets the connection; resolves with the answer. */
  const sendRaw = (payload: string, how: 'end' | 'reset', contentLength?: number) =>
    sendRawBytes({
      port: Number(new URL(base).port),
      payload: `POST /upload HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: multipart/form-data; boundary=${BOUNDARY}\r\nContent-Length: ${contentLength ?? Buffer.byteLength(payload)}\r\n\r\n${payload}`,
      close: how,
    });

  const unterminated = (name: string, fileName?: string) => part(name, 'hi', fileName).replace(/\r\n$/, '');
  // The probe's reproducer first: a file part under another field name, then the body stops.
  const shapes: [string, string][] = [
    ['a file part under another name, cut short', unterminated('other', 'a')],
    ['the file part, cut short', unterminated('file', 'a.txt')],
    ['a field, cut short', unterminated('purpose')],
    [
      'a file part under another name, then the file, cut short',
      part('other', 'x', 'o') + unterminated('file', 'a'),
    ],
    ['only a boundary', `--${BOUNDARY}\r\n`],
    ['a part with no headers', `--${BOUNDARY}\r\n\r\nhi\r\n--${BOUNDARY}--\r\n`],
    [
      'a part header with no end',
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a"`,
    ],
    ['garbage instead of parts', 'this is not a multipart body at all'],
  ];

  it.each(shapes)(
    'answers %s with a 4xx, or nothing once the client is gone, and keeps serving',
    async (_, payload) => {
      const before = filesOnDisk();
      // The body as sent, ending where it ends; and the same body cut off mid-way by a reset.
      const ended = await sendRaw(payload, 'end');
      expect(ended).toMatch(/^HTTP\/1\.1 4\d\d /);
      await sendRaw(payload, 'reset', payload.length + 500);
      const after = await post(body(part('file', 'still here', 'ok.txt')));
      expect(after.status).toBe(200);
      await expect.poll(() => filesOnDisk().filter((name) => name.endsWith('.partial'))).toEqual([]);
      // The one upload that completed, and nothing else new.
      expect(filesOnDisk().filter((name) => !before.includes(name))).toHaveLength(1);
    },
  );

  it('refuses a body without a boundary, or of another type, with a 400', async () => {
    for (const contentType of ['multipart/form-data', 'multipart/form-data; boundary=', 'text/plain']) {
      const response = await fetch(`${base}/upload`, {
        method: 'POST',
        headers: { 'content-type': contentType },
        body: 'hello',
      });
      expect(response.status, contentType).toBe(400);
    }
  });
});
