import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { freePort } from './ports.js';

/** The part of a Koa context the abort handler reads. */
interface KoaContext {
  method: string;
  path: string;
  query: Record<string, unknown>;
  status: number;
}
type Middleware = (ctx: KoaContext, next: () => Promise<void>) => Promise<void>;

/** The part of s3rver (a Koa app that ships no types) that tests use. */
interface S3rverInstance {
  run(): Promise<unknown>;
  close(): Promise<void>;
  httpServer?: Server;
  middleware: Middleware[];
}
type S3rverClass = new (options: Record<string, unknown>) => S3rverInstance;

export interface TestS3 {
  /** `http://127.0.0.1:<port>`; clients must use path-style addressing. */
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** The keys of the objects in the bucket, as s3rver holds them on disk. */
  objectKeys(bucket: string): string[];
  /** Multipart uploads in the bucket that were neither completed nor aborted. */
  pendingUploads(bucket: string): string[];
  /** The env settings that point an app at this server (BLOB_STORE=s3 and credentials). */
  env(bucket: string): Record<string, string>;
  stop(): Promise<void>;
}

/** Where s3rver keeps the parts of unfinished multipart uploads, inside a bucket's directory. */
const UPLOADS_DIR = '._S3rver_uploads';
/** The suffix of an object's bytes on disk: key `files/x` is the file `files/x._S3rver_object`. */
const OBJECT_SUFFIX = '._S3rver_object';

/**
 * AbortMultipartUpload, which s3rver 3.7 answers with 405: without it a store's abort could
 * not be told from no abort at all. It removes the upload's parts, as S3 does.
 */
function abortMultipartUploads(directory: string): Middleware {
  return async (ctx, next) => {
    const uploadId = ctx.query.uploadId;
    const bucket = /^\/([^/]+)\/./.exec(ctx.path)?.[1];
    if (ctx.method !== 'DELETE' || typeof uploadId !== 'string' || !bucket) return next();
    if (!/^[0-9a-f]{1,64}$/.test(uploadId) || !/^[A-Za-z0-9._-]+$/.test(bucket)) return next();
    rmSync(join(directory, bucket, UPLOADS_DIR, uploadId), { recursive: true, force: true });
    ctx.status = 204;
  };
}

/**
 * A local S3-compatible server (s3rver) on 127.0.0.1 at a free port, keeping its objects in a
 * temporary directory that stop() removes. s3rver knows one access key id (its secret is
 * not checked for SigV4 requests); any other key id is refused with a 403.
 */
export async function startTestS3(): Promise<TestS3> {
  const S3rver = createRequire(import.meta.url)('s3rver') as S3rverClass;
  const directory = mkdtempSync(join(tmpdir(), 'classifyd-s3-'));
  const port = await freePort();
  const server = new S3rver({ address: '127.0.0.1', port, directory, silent: true });
  server.middleware.unshift(abortMultipartUploads(directory));
  try {
    await server.run();
  } catch (error) {
    rmSync(directory, { recursive: true, force: true });
    throw error;
  }
  const endpoint = `http://127.0.0.1:${port}`;
  // A secret of its own, so that a test can tell it apart from anything else in a log.
  const credentials = {
    accessKeyId: 'S3RVER',
    secretAccessKey: `s3rver-secret-${randomBytes(8).toString('hex')}`,
  };
  let stopped = false;
  return {
    endpoint,
    region: 'us-east-1',
    ...credentials,
    objectKeys: (bucket) => {
      const root = join(directory, bucket);
      if (!existsSync(root)) return [];
      return readdirSync(root, { recursive: true, encoding: 'utf8' })
        .filter((path) => path.endsWith(OBJECT_SUFFIX))
        .map((path) => path.slice(0, -OBJECT_SUFFIX.length).split(sep).join('/'))
        .sort();
    },
    pendingUploads: (bucket) => {
      const uploads = join(directory, bucket, UPLOADS_DIR);
      return existsSync(uploads) ? readdirSync(uploads) : [];
    },
    env: (bucket) => ({
      BLOB_STORE: 's3',
      S3_BUCKET: bucket,
      S3_REGION: 'us-east-1',
      S3_ENDPOINT: endpoint,
      S3_FORCE_PATH_STYLE: 'true',
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    }),
    async stop() {
      if (stopped) return;
      stopped = true;
      // Clients keep connections alive; close them, or close() waits for them to time out.
      server.httpServer?.closeAllConnections();
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
