import type { Readable } from 'node:stream';
import { AppError } from '@classifyd/shared';
import type { LocalBlobStore, StoredBlob } from '@classifyd/store';
import busboy from 'busboy';
import type { Request } from 'express';

/** Form fields besides the file: a few small ones (purpose, external_file_id, a configuration JSON). */
const MAX_FIELDS = 20;
const MAX_FIELD_BYTES = 1024 * 1024;

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
    let fileStream: Readable | undefined;
    let fileName = '';
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        limits: { files: 1, fields: MAX_FIELDS, fieldSize: MAX_FIELD_BYTES },
      });
    } catch {
      reject(new AppError('bad_request', 'The multipart body could not be read'));
      return;
    }
    let refused = false;
    const fail = (error: unknown) => {
      refused = true;
      req.unpipe(parser);
      parser.destroy();
      // Drain what the client still sends, so it reads our answer instead of a reset.
      req.resume();
      reject(error);
    };
    /** Ends the upload with `error`, leaving nothing on disk: a part being written stops, one written is removed. */
    const discard = (error: AppError) => {
      fileStream?.destroy(error);
      void stored?.then(
        () => blobs.remove(blobId),
        () => undefined,
      );
      fail(error);
    };
    const refuse = (field: string, msg: string, type: string) =>
      discard(AppError.validation([{ loc: ['body', field], msg, type }]));
    parser.on('field', (name, value, info) => {
      if (info.valueTruncated) {
        refuse(name, `${name} is longer than ${MAX_FIELD_BYTES} bytes`, 'string_too_long');
        return;
      }
      fields[name] = value;
    });
    parser.on('fieldsLimit', () => refuse('form', `the form has more than ${MAX_FIELDS} fields`, 'too_long'));
    parser.on('filesLimit', () =>
      refuse(fileField, 'send one file per upload; this form has more than one', 'too_long'),
    );
    parser.on('file', (name, stream, info) => {
      // The parser may still hold the start of a file part when the upload is refused.
      if (refused || name !== fileField || stored) {
        stream.resume();
        return;
      }
      fileName = info.filename || 'upload';
      fileStream = stream;
      // Its errors reach us through the blob store's pipeline; this only keeps one raised
      // after the store is done with the stream from going uncaught.
      stream.on('error', () => undefined);
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
    // A client that goes away mid-upload: without this the part's file stays open and its
    // .partial file on disk, since the parser waits for bytes that never come.
    req.once('close', () => {
      if (req.complete) return;
      discard(new AppError('bad_request', 'The upload was interrupted before the whole body arrived'));
    });
    req.pipe(parser);
  });
}
