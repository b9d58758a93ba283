/**
 * Why a document can never be read, whatever the number of retries. The caller turns this
 * into a permanent job failure and shows `message` to the end user, so every message is a
 * sentence a person can act on and never quotes document text.
 */
export type DocumentErrorReason =
  | 'empty'
  | 'unsupported'
  | 'corrupt'
  | 'encrypted'
  | 'no_pages_selected'
  /** Bigger than a limit: pages, pixels, unpacked size, or the memory one document may use. */
  | 'too_large'
  /** Reading the document took longer than the time one document may take; it was stopped. */
  | 'timeout'
  /** Text recognition failed or timed out on every selected page of a scan or image. */
  | 'ocr_failed';

export class DocumentError extends Error {
  readonly reason: DocumentErrorReason;
  /** Retrying cannot read it either: the stage fails the job at once (see the pipeline's failure policy). */
  readonly permanent = true;

  constructor(reason: DocumentErrorReason, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DocumentError';
    this.reason = reason;
  }
}

export function isDocumentError(error: unknown): error is DocumentError {
  return error instanceof DocumentError;
}
