import { AppError } from '@classifyd/shared';
import type { LocalBlobStore, StoredBlob } from '@classifyd/store';
import busboy from 'busboy';
import type { Request } from 'express';

export interface ReceivedUpload {
  fileName: string;
  blob: StoredBlob;
  fields: Record<string, string>;
}

/**
 * Streams one multipart file part straight to the blob store (never whole into memory)
 * and collects the text fields, which may come before or after the file.
 */
export async function receiveUpload(
  req: Request,
  blobs: LocalBlobStore,
  blobId: string,
  fileField: string,
  maxBytes: number,
): Promise<ReceivedUpload> {
  if (!req.is('multipart/form-data')) {
    throw new AppError('bad_request', 'Send the file as multipart/form-data');
  }
  const declared = Number(req.get('content-length'));
  // Multipart framing adds a little; a body far past the limit is refused before reading it.
  if (Number.isFinite(declared) && declared > maxBytes + 64 * 1024) {
    throw new AppError('payload_too_large', `The upload is larger than the limit of ${maxBytes} bytes`);
  }
  return new Promise<ReceivedUpload>((resolve, reject) => {
    const fields: Record<string, string> = {};
    let stored: Promise<StoredBlob> | undefined;
    let fileName = '';
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { files: 1, fields: 20, fieldSize: 64 * 1024 } });
    } catch {
      reject(new AppError('bad_request', 'The multipart body could not be read'));
      return;
    }
    const fail = (error: unknown) => {
      req.unpipe(parser);
      // Drain what the client still sends, so it reads our answer instead of a reset.
      req.resume();
      reject(error);
    };
    parser.on('field', (name, value) => {
      fields[name] = value;
    });
    parser.on('file', (name, stream, info) => {
      if (name !== fileField || stored) {
        stream.resume();
        return;
      }
      fileName = info.filename || 'upload';
      stored = blobs.put(blobId, stream, maxBytes);
      // A refused part destroys its stream, which stalls the parser for good: answer now
      // rather than wait for a 'close' that never comes.
      stored.catch(fail);
    });
    parser.on('error', () => fail(new AppError('bad_request', 'The multipart body could not be read')));
    parser.on('close', () => {
      if (!stored) {
        reject(AppError.validation([{ loc: ['body', fileField], msg: 'Field required', type: 'missing' }]));
        return;
      }
      stored.then((blob) => resolve({ fileName, blob, fields }), fail);
    });
    req.pipe(parser);
  });
}
