import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type AppName,
  makeTextPdf,
  type ServiceStack,
  startServiceStack,
  startTestS3,
  type TestS3,
} from '@classifyd/testkit';
import type LlamaCloud from '@llamaindex/llama-cloud';
import { toFile } from '@llamaindex/llama-cloud';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { API_KEYS, POLL, runToExit, sdk, statusError } from './clients.js';
import { CONTRACT_PAGES, RULES } from './documents.js';

const MAX_UPLOAD_BYTES = 6 * 1024 * 1024;

// The SDK's FileCreateResponse omits file_size, which the service returns.
type CreatedFile = LlamaCloud.FileCreateResponse & { file_size: number };

/** Every file (not directory) under `dir`, relative to it. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1));
}

describe('uploaded files in S3-compatible object storage', () => {
  let s3: TestS3;
  let stack: ServiceStack;
  let a: ReturnType<typeof sdk>;
  // A bucket that does not exist yet: the apps create it when they start.
  const bucket = `classifyd-e2e-${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    s3 = await startTestS3();
    stack = await startServiceStack({
      redisUrl: inject('redisUrl'),
      label: 's3',
      env: { API_KEYS, MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES), ...s3.env(bucket) },
      // As on separate machines: the API and the workers share Redis and the bucket, no disk.
      separateDataDirs: true,
    });
    a = sdk(stack.baseUrl, 'key-a');
  });
  afterAll(async () => {
    await stack?.stop();
    await s3?.stop();
  });

  it('keeps an upload in the bucket, classifies it, serves it through its signed link, and deletes it', async () => {
    const pdf = Buffer.from(await makeTextPdf(CONTRACT_PAGES));
    const file = (await a.files.create({
      file: await toFile(pdf, 'agreement.pdf'),
      purpose: 'classify',
    })) as CreatedFile;
    expect(file.file_size).toBe(pdf.length);
    expect(s3.objectKeys(bucket)).toEqual([`files/${file.id}`]);

    // The parse worker has its own DATA_DIR, so it can only have read the PDF from the bucket.
    const done = await a.classify.run({ file_input: file.id, configuration: { rules: RULES } }, POLL);
    expect(done.status).toBe('COMPLETED');
    expect(done.result?.type).toBe('contract');

    const link = await a.files.content(file.id);
    const download = await fetch(link.url);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toBe('attachment; filename=agreement.pdf');
    expect(download.headers.get('content-type')).toBe('application/octet-stream');
    expect(download.headers.get('content-length')).toBe(String(pdf.length));
    expect(Buffer.from(await download.arrayBuffer()).equals(pdf)).toBe(true);
    const tampered = await fetch(link.url.replace('signature=', 'signature=0'));
    expect(tampered.status).toBe(403);

    // No app wrote the file to its local disk.
    expect(filesUnder(stack.dataDir)).toEqual([]);

    await a.files.delete(file.id);
    expect(s3.objectKeys(bucket)).toEqual([]);
    expect((await statusError(a.files.retrieve(file.id))).status).toBe(404);
    expect((await fetch(link.url)).status).toBe(404);
    for (const app of stack.apps) expect(app.output()).not.toContain(s3.env(bucket).AWS_SECRET_ACCESS_KEY);
  });

  it('refuses an upload that streams past MAX_UPLOAD_BYTES with 413, leaving no object and no parts', async () => {
    // Chunked, with no Content-Length to refuse it by: the limit is met while streaming, after
    // the first 5 MiB part of the multipart upload has reached the bucket.
    const before = { objects: s3.objectKeys(bucket), files: (await a.files.list()).items };
    const boundary = 'classifyd-s3-boundary';
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="purpose"\r\n\r\nclassify\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\n\r\n`;
    const chunks = [Buffer.from(head)];
    for (let i = 0; i < 8; i++) chunks.push(randomBytes(1024 * 1024));
    chunks.push(Buffer.from(`\r\n--${boundary}--\r\n`));
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = chunks.shift();
        if (next) controller.enqueue(next);
        else controller.close();
      },
    });
    const response = await fetch(`${stack.baseUrl}/api/v1/beta/files`, {
      method: 'POST',
      headers: { authorization: 'Bearer key-a', 'content-type': `multipart/form-data; boundary=${boundary}` },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
    expect(((await response.json()) as { detail: string }).detail).toContain(String(MAX_UPLOAD_BYTES));
    expect(s3.objectKeys(bucket)).toEqual(before.objects);
    expect(s3.pendingUploads(bucket)).toEqual([]);
    expect((await a.files.list()).items).toEqual(before.files);
  });

  it.each<[AppName, Record<string, string>, string]>([
    ['api', { S3_BUCKET: '' }, 'S3_BUCKET: is required when BLOB_STORE=s3'],
    ['parse-worker', { S3_BUCKET: '' }, 'S3_BUCKET: is required when BLOB_STORE=s3'],
    ['api', { BLOB_STORE: 'gcs' }, 'BLOB_STORE: must be fs or s3'],
    ['parse-worker', { S3_ENDPOINT: 'minio:9000' }, 'S3_ENDPOINT: must be an http:// or https:// URL'],
  ])('%s refuses to start with a bad blob store setting %j, naming it', async (app, settings, message) => {
    const main = fileURLToPath(new URL(`../../apps/${app}/dist/main.js`, import.meta.url));
    const { code, output } = await runToExit(main, { ...process.env, ...stack.env, ...settings, PORT: '0' });
    expect(code).toBe(78);
    expect(output).toContain(message);
  });
});
