import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { AppError } from '@classifyd/shared';
import { freePort, startTestS3, type TestS3 } from '@classifyd/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BlobStore, type BlobStoreSettings, createBlobStore } from './blob-store.js';

const MB = 1024 * 1024;

/** `bytes` in 64 KiB chunks, as an upload arrives; with `fail`, the stream errors after `fail.after` bytes. */
function source(bytes: Buffer, fail?: { after: number; error: Error }): Readable {
  let offset = 0;
  return new Readable({
    read() {
      if (fail && offset >= fail.after) {
        this.destroy(fail.error);
        return;
      }
      if (offset >= bytes.length) {
        this.push(null);
        return;
      }
      this.push(bytes.subarray(offset, offset + 64 * 1024));
      offset += 64 * 1024;
    },
  });
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const newId = () => `dfl-${randomUUID()}`;

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

interface Subject {
  name: string;
  /** Settings for a store whose directory or bucket does not exist yet. */
  fresh(): BlobStoreSettings;
  /** Anything an unfinished upload left behind (partial files, multipart parts). */
  leftovers(settings: BlobStoreSettings): string[];
}

let s3: TestS3;
const dirs: string[] = [];

const subjects: Subject[] = [
  {
    name: 'local',
    fresh: () => {
      const parent = mkdtempSync(join(tmpdir(), 'classifyd-blobs-'));
      dirs.push(parent);
      return { kind: 'local', root: join(parent, 'data') };
    },
    leftovers: (settings) =>
      settings.kind === 'local'
        ? readdirSync(join(settings.root, 'files'), { recursive: true, encoding: 'utf8' }).filter((name) =>
            name.endsWith('.partial'),
          )
        : [],
  },
  {
    name: 's3',
    fresh: () => ({
      kind: 's3',
      bucket: `blobs-${randomBytes(6).toString('hex')}`,
      region: s3.region,
      endpoint: s3.endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    }),
    leftovers: (settings) => (settings.kind === 's3' ? s3.pendingUploads(settings.bucket) : []),
  },
];

beforeAll(async () => {
  s3 = await startTestS3();
});
afterAll(async () => {
  await s3?.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe.each(subjects)('$name blob store', (subject) => {
  let settings: BlobStoreSettings;
  let store: BlobStore;

  beforeAll(async () => {
    settings = subject.fresh();
    store = await createBlobStore(settings);
  });

  it('keeps what it was given: put, size, read, open, then remove', async () => {
    const id = newId();
    const bytes = Buffer.from('Invoice 2024-03: 1,200.00 EUR due in 30 days');
    expect(await store.put(id, source(bytes), 1 * MB)).toEqual({ size: bytes.length, sha256: sha256(bytes) });
    expect(await store.size(id)).toBe(bytes.length);
    expect(await store.read(id)).toEqual(bytes);
    const opened = await store.open(id);
    expect(opened?.size).toBe(bytes.length);
    expect(await readAll(opened?.stream as Readable)).toEqual(bytes);
    await store.remove(id);
    expect(await store.read(id)).toBeNull();
    expect(await store.size(id)).toBeNull();
    expect(await store.open(id)).toBeNull();
    // Removing twice is not an error: a retried delete must not fail.
    await store.remove(id);
  });

  it('hashes and counts a multi-megabyte stream exactly', async () => {
    const id = newId();
    // Past S3's 5 MiB part size, so the S3 store goes through a multipart upload.
    const bytes = randomBytes(12 * MB + 12_345);
    expect(await store.put(id, source(bytes), 20 * MB)).toEqual({
      size: bytes.length,
      sha256: sha256(bytes),
    });
    expect(await store.size(id)).toBe(bytes.length);
    expect(sha256((await store.read(id)) as Buffer)).toBe(sha256(bytes));
    await store.remove(id);
  });

  it.each([
    ['a small upload', 3000, 2000],
    ['a multi-megabyte upload', 12 * MB, 7 * MB],
  ])('refuses %s past the limit with payload_too_large and keeps none of it', async (_, size, limit) => {
    const id = newId();
    const refused = await store.put(id, source(randomBytes(size)), limit).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe('payload_too_large');
    expect((refused as AppError).message).toContain(String(limit));
    expect(await store.read(id)).toBeNull();
    expect(await store.size(id)).toBeNull();
    expect(subject.leftovers(settings)).toEqual([]);
  });

  it('fails with the input’s own error when the upload breaks off, and keeps none of it', async () => {
    const id = newId();
    const gone = new Error('the client went away');
    const input = source(randomBytes(8 * MB), { after: 6 * MB, error: gone });
    await expect(store.put(id, input, 20 * MB)).rejects.toBe(gone);
    expect(await store.read(id)).toBeNull();
    expect(subject.leftovers(settings)).toEqual([]);
  });

  it('answers null for an id it never stored', async () => {
    const id = newId();
    expect(await store.read(id)).toBeNull();
    expect(await store.size(id)).toBeNull();
    expect(await store.open(id)).toBeNull();
  });

  it('creates its directory or bucket when missing, and starts again on an existing one', async () => {
    const another = subject.fresh();
    const first = await createBlobStore(another);
    const id = newId();
    await first.put(id, source(Buffer.from('hello')), 100);
    // A second replica starting against the same directory or bucket sees what the first stored.
    const second = await createBlobStore(another);
    expect(await second.read(id)).toEqual(Buffer.from('hello'));
  });

  it.each(['../escape', 'a/b', 'files/x', '', ' ', 'x'.repeat(200), 'a\0b', '..'])(
    'refuses the id %j in every operation',
    async (id) => {
      await expect(store.put(id, source(Buffer.from('x')), 100)).rejects.toThrow(/invalid blob id/);
      await expect(store.read(id)).rejects.toThrow(/invalid blob id/);
      await expect(store.size(id)).rejects.toThrow(/invalid blob id/);
      await expect(store.open(id)).rejects.toThrow(/invalid blob id/);
      await expect(store.remove(id)).rejects.toThrow(/invalid blob id/);
    },
  );
});

describe('s3 blob store failures', () => {
  it('says the credentials were refused, without repeating them', async () => {
    const failure = await createBlobStore({
      kind: 's3',
      bucket: `blobs-${randomBytes(6).toString('hex')}`,
      region: s3.region,
      endpoint: s3.endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: 'AKIAUNKNOWN7Q2', secretAccessKey: 'not-the-secret-8f3a' },
    }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    const error = failure as Error;
    expect(error.message).toMatch(/^S3 HeadBucket on bucket "blobs-\w+" was refused \((\w+, )?HTTP 403\)/);
    for (const text of [error.message, JSON.stringify(error), String(error.stack)]) {
      expect(text).not.toContain('not-the-secret-8f3a');
      expect(text).not.toContain('AKIAUNKNOWN7Q2');
    }
  });

  it('says the store is unavailable when nothing answers at the endpoint', async () => {
    const closed = await freePort();
    const failure = await createBlobStore({
      kind: 's3',
      bucket: 'blobs-nowhere',
      region: s3.region,
      endpoint: `http://127.0.0.1:${closed}`,
      forcePathStyle: true,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AppError);
    expect((failure as AppError).code).toBe('unavailable');
    expect((failure as AppError).message).toMatch(/file store is unavailable.*ECONNREFUSED/);
  });
});
