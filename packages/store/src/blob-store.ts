import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '@classifyd/shared';

export interface StoredBlob {
  size: number;
  sha256: string;
}

/**
 * Uploaded bytes on local disk under DATA_DIR. Every process that reads them (API and
 * parse workers) must see the same directory: one machine, or a shared volume.
 */
export class LocalBlobStore {
  constructor(private readonly root: string) {}

  private path(id: string): string {
    if (!/^[A-Za-z0-9-]+$/.test(id)) throw new Error(`invalid blob id ${id}`);
    return join(this.root, 'files', id.slice(-2), id);
  }

  /**
   * Streams to a temporary file while hashing and counting; past `maxBytes` it stops
   * and throws a payload_too_large AppError, leaving nothing behind.
   */
  async put(id: string, source: Readable, maxBytes: number): Promise<StoredBlob> {
    const target = this.path(id);
    const temp = `${target}.partial`;
    await mkdir(join(target, '..'), { recursive: true });
    const hash = createHash('sha256');
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.length;
        if (size > maxBytes) {
          done(new AppError('payload_too_large', `The upload is larger than the limit of ${maxBytes} bytes`));
          return;
        }
        hash.update(chunk);
        done(null, chunk);
      },
    });
    try {
      await pipeline(source, meter, createWriteStream(temp));
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    return { size, sha256: hash.digest('hex') };
  }

  async read(id: string): Promise<Buffer | null> {
    try {
      return await readFile(this.path(id));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async size(id: string): Promise<number | null> {
    try {
      return (await stat(this.path(id))).size;
    } catch {
      return null;
    }
  }

  filePath(id: string): string {
    return this.path(id);
  }

  async remove(id: string): Promise<void> {
    await rm(this.path(id), { force: true });
  }
}
