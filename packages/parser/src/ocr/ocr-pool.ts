import { OcrUnavailable } from './ocr-errors.js';
import type { OcrLanguage } from './ocr-languages.js';
import { type OcrText, OcrWorker } from './ocr-worker.js';
import type { TextRecognizer } from './text-recognizer.js';

export interface OcrPoolSettings {
  /** Tesseract threads at most, each about 100-200 MB; recognitions beyond wait in line. */
  concurrency: number;
  /** A recognition running longer ends its thread, and the page fails. */
  pageTimeoutMs: number;
  /** Starting a thread and loading a language takes about 0.5 s; longer means something is broken. */
  startTimeoutMs: number;
  /** An idle thread is ended after this long, giving its memory back. */
  idleTimeoutMs: number;
}

interface Slot {
  language: OcrLanguage;
  ready: Promise<OcrWorker>;
  busy: boolean;
  idleTimer?: NodeJS.Timeout;
}

interface Waiter {
  language: OcrLanguage;
  grant: (slot: Slot) => void;
  refuse: (error: unknown) => void;
}

const closedError = () => new OcrUnavailable('Text recognition (OCR) is unavailable: the parser was closed');

function stop(slot: Slot): void {
  clearTimeout(slot.idleTimer);
  // A thread that failed to start has already been cleaned up by OcrWorker.start.
  void slot.ready.then(
    (worker) => worker.terminate(),
    () => undefined,
  );
}

/**
 * A bounded set of Tesseract threads shared by every parse of one parser. A thread that
 * times out, crashes or fails a recognition is ended and replaced on the next demand, so
 * one hostile page costs at most its time limit and never the process.
 */
export class OcrPool implements TextRecognizer {
  private readonly slots = new Set<Slot>();
  private waiters: Waiter[] = [];
  private closed = false;

  constructor(private readonly settings: OcrPoolSettings) {}

  /** Recognise one image. Rejects with OcrPageFailure, OcrUnavailable, or the signal's reason. */
  async recognize(
    image: Uint8Array,
    language: OcrLanguage,
    options: { signal?: AbortSignal | undefined; timeoutMs?: number } = {},
  ): Promise<OcrText> {
    const { signal } = options;
    const slot = await this.acquire(language, signal);
    let healthy = false;
    try {
      const worker = await slot.ready;
      const text = await worker.recognize(image, options.timeoutMs ?? this.settings.pageTimeoutMs, signal);
      healthy = true;
      return text;
    } catch (error) {
      if (this.closed) throw closedError();
      throw error;
    } finally {
      this.release(slot, healthy);
    }
  }

  /** End every thread and refuse further work; safe to call twice. */
  async close(): Promise<void> {
    this.closed = true;
    for (const waiter of this.waiters) waiter.refuse(closedError());
    this.waiters = [];
    const endings = [...this.slots].map(async (slot) => {
      clearTimeout(slot.idleTimer);
      const worker = await slot.ready.catch(() => null);
      await worker?.terminate();
    });
    this.slots.clear();
    await Promise.all(endings);
  }

  private acquire(language: OcrLanguage, signal?: AbortSignal): Promise<Slot> {
    if (this.closed) return Promise.reject(closedError());
    signal?.throwIfAborted();
    const slot = this.take(language);
    if (slot) return Promise.resolve(slot);
    return new Promise<Slot>((resolve, reject) => {
      const onAbort = () => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(signal?.reason);
      };
      const waiter: Waiter = {
        language,
        grant: (granted) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(granted);
        },
        refuse: (error) => {
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  /** An idle thread for `language`, a new one if there is room, or an idle thread switched over. */
  private take(language: OcrLanguage): Slot | null {
    const idle = [...this.slots].filter((slot) => !slot.busy);
    const same = idle.find((slot) => slot.language === language);
    if (same) {
      clearTimeout(same.idleTimer);
      same.busy = true;
      return same;
    }
    const other = idle[0];
    if (this.slots.size >= this.settings.concurrency && !other) return null;
    if (other) {
      this.slots.delete(other);
      stop(other);
    }
    return this.start(language);
  }

  private start(language: OcrLanguage): Slot {
    const slot: Slot = {
      language,
      busy: true,
      ready: OcrWorker.start(language, this.settings.startTimeoutMs),
    };
    this.slots.add(slot);
    return slot;
  }

  private release(slot: Slot, healthy: boolean): void {
    slot.busy = false;
    if (!this.slots.has(slot)) return;
    if (!healthy) {
      this.slots.delete(slot);
      stop(slot);
    } else {
      slot.idleTimer = setTimeout(() => {
        if (slot.busy || !this.slots.has(slot)) return;
        this.slots.delete(slot);
        stop(slot);
      }, this.settings.idleTimeoutMs);
      slot.idleTimer.unref();
    }
    this.dispatch();
  }

  private dispatch(): void {
    while (this.waiters.length > 0) {
      const next = this.waiters[0] as Waiter;
      const slot = this.take(next.language);
      if (!slot) return;
      this.waiters.shift();
      next.grant(slot);
    }
  }
}
