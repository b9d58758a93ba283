import type { Readable } from 'node:stream';
import type { StoredBlob } from './blob-meter.js';
import { LocalBlobStore } from './local-blob-store.js';
import { S3BlobStore, type S3BlobStoreOptions } from './s3-blob-store.js';

export type { StoredBlob } from './blob-meter.js';

/** A stored file's bytes as a stream, with their size, for a download. */
export interface BlobDownload {
  size: number;
  stream: Readable;
}

/**
 * Where uploaded bytes live, by file id. Ids are plain (`dfl-<uuid>`); any other id is
 * refused with an error.
 */
export interface BlobStore {
  /**
   * Streams `source` in while hashing and counting it. Past `maxBytes` it throws a
   * payload_too_large AppError and leaves nothing behind; a failed input fails it too.
   */
  put(id: string, source: Readable, maxBytes: number): Promise<StoredBlob>;
  /** The whole blob, or null when there is none. */
  read(id: string): Promise<Buffer | null>;
  /** The blob's size in bytes, or null when there is none. */
  size(id: string): Promise<number | null>;
  /** The blob as a stream, or null when there is none. The caller must consume or destroy it. */
  open(id: string): Promise<BlobDownload | null>;
  /** Removes the blob; removing one that is not there is not an error. */
  remove(id: string): Promise<void>;
}

/** BLOB_STORE and its settings: files under DATA_DIR, or objects in an S3 bucket. */
export type BlobStoreSettings = { kind: 'local'; root: string } | ({ kind: 's3' } & S3BlobStoreOptions);

/**
 * The configured store, ready to use: the local directory or the S3 bucket exists once
 * this resolves, so a store the app cannot use stops it at startup, not at the first upload.
 */
export async function createBlobStore(settings: BlobStoreSettings): Promise<BlobStore> {
  if (settings.kind === 'local') {
    const store = new LocalBlobStore(settings.root);
    await store.ensureRoot();
    return store;
  }
  const store = new S3BlobStore(settings);
  await store.ensureBucket();
  return store;
}
