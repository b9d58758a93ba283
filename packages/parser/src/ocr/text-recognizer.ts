import type { OcrLanguage } from './ocr-languages.js';
import type { OcrText } from './ocr-worker.js';

/**
 * What reads the text of one page image: the OcrPool in the thread that owns it, or a
 * proxy in a document thread that asks that thread.
 */
export interface TextRecognizer {
  /** Rejects with OcrPageFailure, OcrUnavailable, or the signal's reason. */
  recognize(
    image: Uint8Array,
    language: OcrLanguage,
    options?: { signal?: AbortSignal | undefined; timeoutMs?: number },
  ): Promise<OcrText>;
}
