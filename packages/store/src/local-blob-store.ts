import { createWriteStream } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { checkBlobId } from './blob-id.js';
import { meterUpload, type StoredBlob } from './blob-meter.js';

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';

/**
 * Uploaded bytes on local disk under DATA_DIR. Every process that reads them (API and
 * parse workers) must see the same directory: one machine, or a shared volume.
 */
export class LocalBlobStore {
  constructor(private readonly root: string) {}

  private path(id: string): string {
    checkBlobId(id);
    return join(this.root, 'files', id.slice(-2), id);
  }

  /** Creates the store's directory, so that a root that cannot be written stops the app at startup. */
  async ensureRoot(): Promise<void> {
    await mkdir(join(this.root, 'files'), { recursive: true });
  }

  /**
   * Streams to a temporary file while hashing and counting; past `maxBytes` it stops
   * and throws a payload_too_large AppError, leaving nothing behind.
   */
  async put(id: string, source: Readable, maxBytes: number): Promise<StoredBlob> {
    const target = this.path(id);
    const temp = `${target}.partial`;
    await mkdir(join(target, '..'), { recursive: true });
    const meter = meterUpload(maxBytes);
    try {
      await pipeline(source, meter.stream, createWriteStream(temp));
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    return meter.result();
  }

  async read(id: string): Promise<Buffer | null> {
    try {
      return await readFile(this.path(id));
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async size(id: string): Promise<number | null> {
    try {
      return (await stat(this.path(id))).size;
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  /** The bytes as a stream, with their size; the file stays readable even if removed meanwhile. */
  async open(id: string): Promise<{ size: number; stream: Readable } | null> {
    const path = this.path(id);
    let handle: Awaited<ReturnType<typeof open>>;
    try {
      handle = await open(path, 'r');
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
    try {
      const { size } = await handle.stat();
      return { size, stream: handle.createReadStream() };
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  async remove(id: string): Promise<void> {
    await rm(this.path(id), { force: true });
  }
}
