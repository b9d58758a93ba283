import type { MessagePort } from 'node:worker_threads';
import type { OcrLanguage } from '../ocr/ocr-languages.js';
import type { OcrText } from '../ocr/ocr-worker.js';
import type { TextRecognizer } from '../ocr/text-recognizer.js';
import { type FromThread, fromWire, type ToThread } from './thread-protocol.js';

interface Pending {
  resolve: (text: OcrText) => void;
  reject: (error: Error) => void;
}

/**
 * OCR for a document thread: each page image goes to the owning thread, whose pool of
 * Tesseract threads is shared by every document, so OCR memory stays bounded per process
 * however many documents run at once. The page time limit is applied there.
 */
export class RecognizerProxy implements TextRecognizer {
  private readonly pending = new Map<number, Pending>();
  private lastId = 0;

  constructor(private readonly port: MessagePort) {}

  recognize(
    image: Uint8Array,
    language: OcrLanguage,
    options: { signal?: AbortSignal | undefined; timeoutMs?: number } = {},
  ): Promise<OcrText> {
    options.signal?.throwIfAborted();
    const id = ++this.lastId;
    // A copy of its own, handed over rather than cloned: `image` may be the document itself.
    const copy = image.slice();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      const message: FromThread = {
        type: 'recognize',
        id,
        image: copy,
        language,
        timeoutMs: options.timeoutMs,
      };
      this.port.postMessage(message, [copy.buffer]);
    });
  }

  /** The owner's answer to one request. */
  settle(message: Extract<ToThread, { type: 'recognized' | 'unrecognized' }>): void {
    const pending = this.pending.get(message.id);
    if (!pending) return;
    this.pending.delete(message.id);
    if (message.type === 'recognized') pending.resolve(message.text);
    else pending.reject(fromWire(message.error));
  }
}
