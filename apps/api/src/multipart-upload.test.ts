import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '@classifyd/shared';
import { LocalBlobStore } from '@classifyd/store';
import express from 'express';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorHandler } from './error-handler.js';
import { receiveUpload } from './multipart-upload.js';

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
    const blobs = new LocalBlobStore(root);
    let n = 0;
    const app = express();
    app.post('/upload', async (req, res) => {
      try {
        const upload = await receiveUpload(req, blobs, `blob-${++n}`, 'file', 2_000_000);
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
    // The file part after the refused field is not written, not even for a moment.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(filesOnDisk()).toEqual(before);
  });
});
