import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';
import { AppError } from '@classifyd/shared';

export interface StoredBlob {
  size: number;
  sha256: string;
}

export interface BlobMeter {
  /** Passes the bytes on while counting and hashing them; past the limit it fails with payload_too_large. */
  stream: Transform;
  /** Size and hash of everything that went through; read it once the stream has ended. */
  result(): StoredBlob;
}

/** Counts and hashes an upload on its way to a store, so that every store enforces the limit alike. */
export function meterUpload(maxBytes: number): BlobMeter {
  const hash = createHash('sha256');
  let size = 0;
  const stream = new Transform({
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
  return { stream, result: () => ({ size, sha256: hash.digest('hex') }) };
}
