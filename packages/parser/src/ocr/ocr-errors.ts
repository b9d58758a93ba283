/**
 * Why the OCR of one page failed. The page is returned with `success: false`; the other
 * pages of the document are still read.
 */
export class OcrPageFailure extends Error {
  readonly kind: 'timeout' | 'unreadable' | 'crashed';

  constructor(kind: OcrPageFailure['kind'], message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'OcrPageFailure';
    this.kind = kind;
  }
}

/**
 * OCR could not run at all: the engine did not start, or the parser was closed. Nothing is
 * wrong with the document, so this is a transient failure for the caller to retry.
 */
export class OcrUnavailable extends Error {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'OcrUnavailable';
  }
}
