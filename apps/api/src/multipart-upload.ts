import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { AppError } from '@classifyd/shared';
import type { BlobStore, StoredBlob } from '@classifyd/store';
import busboy from 'busboy';

/** Form fields besides the file: a few small ones (purpose, external_file_id, a configuration JSON). */
const MAX_FIELDS = 20;
const MAX_FIELD_BYTES = 1024 * 1024;
/** Part headers (name, filename, type) are short; a longer one is an attack on the parser's memory. */
const MAX_PART_HEADER_PAIRS = 20;

/** A request body as the HTTP layer hands it over: its two headers and the byte stream. */
export interface UploadBody {
  contentType: string | undefined;
  contentLength: string | undefined;
  stream: Readable;
}

export interface ReceivedUpload {
  fileName: string;
  blob: StoredBlob;
  fields: Record<string, string>;
}

/** What a route hands a service: the body of `req` as plain values. */
export function uploadBodyOf(req: IncomingMessage): UploadBody {
  return {
    contentType: req.headers['content-type'],
    contentLength: req.headers['content-length'],
    stream: req,
  };
}

const unreadable = () => new AppError('bad_request', 'The multipart body could not be read');

/**
 * Streams one multipart file part straight to the blob store (never whole into memory)
 * and collects the text fields, which may come before or after the file. Every stream it
 * touches has an error listener: a malformed, truncated or abandoned body ends in an
 * AppError (or nothing, once the client is gone), never in an uncaught 'error' event.
 */
export async function receiveUpload(
  body: UploadBody,
  blobs: BlobStore,
  blobId: string,
  fileField: string,
  maxBytes: number,
): Promise<ReceivedUpload> {
  if (!/^multipart\/form-data\s*(;|$)/i.test(body.contentType ?? '')) {
    throw new AppError('bad_request', 'Send the file as multipart/form-data');
  }
  const declared = Number(body.contentLength);
  // Multipart framing adds a little; a body far past the limit is refused before reading it.
  if (Number.isFinite(declared) && declared > maxBytes + 64 * 1024) {
    throw new AppError('payload_too_large', `The upload is larger than the limit of ${maxBytes} bytes`);
  }
  const req = body.stream;
  return new Promise<ReceivedUpload>((resolve, reject) => {
    const fields: Record<string, string> = {};
    let stored: Promise<StoredBlob> | undefined;
    let fileStream: Readable | undefined;
    let fileName = '';
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: { 'content-type': body.contentType },
        // Browsers, fetch's FormData and the SDK send UTF-8 names in filename="..."; busboy
        // would read them as Latin-1 and store "rÃ©sumÃ©.txt" for "résumé.txt".
        defParamCharset: 'utf8',
        limits: {
          files: 1,
          fields: MAX_FIELDS,
          fieldSize: MAX_FIELD_BYTES,
          parts: MAX_FIELDS + 1,
          headerPairs: MAX_PART_HEADER_PAIRS,
        },
      });
    } catch {
      reject(unreadable());
      return;
    }
    let settled = false;
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
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
    parser.on('partsLimit', () =>
      refuse('form', `the form has more than ${MAX_FIELDS + 1} parts`, 'too_long'),
    );
    parser.on('filesLimit', () =>
      refuse(fileField, 'send one file per upload; this form has more than one', 'too_long'),
    );
    parser.on('file', (name, stream, info) => {
      // busboy ends a part's stream with an error when the body stops inside it ("Unexpected
      // end of form"); a part nobody reads must still have a listener, or the process dies.
      stream.on('error', () => undefined);
      // The parser may still hold the start of a file part when the upload is refused.
      if (settled || name !== fileField || stored) {
        stream.resume();
        return;
      }
      fileName = info.filename || 'upload';
      fileStream = stream;
      stored = blobs.put(blobId, stream, maxBytes);
      // A refused part destroys its stream, which stalls the parser for good: answer now
      // rather than wait for a 'close' that never comes.
      stored.catch(fail);
    });
    parser.on('error', () => discard(unreadable()));
    parser.on('close', () => {
      if (settled) return;
      if (!stored) {
        fail(AppError.validation([{ loc: ['body', fileField], msg: 'Field required', type: 'missing' }]));
        return;
      }
      stored.then((blob) => {
        settled = true;
        resolve({ fileName, blob, fields });
      }, fail);
    });
    // The client's connection failing mid-body; 'close' below decides what it means.
    req.on('error', () => undefined);
    // A client that goes away mid-upload: without this the part's upload stays open (a
    // .partial file on disk, a multipart upload in S3), since the parser waits for bytes that never come.
    req.once('close', () => {
      if (req.readableEnded) return;
      discard(new AppError('bad_request', 'The upload was interrupted before the whole body arrived'));
    });
    req.pipe(parser);
  });
}
