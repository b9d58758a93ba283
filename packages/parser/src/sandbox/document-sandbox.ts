import { DocumentError } from '../document-error.js';
import { formatLimit } from '../ocr/format-limit.js';
import type { TextRecognizer } from '../ocr/text-recognizer.js';
import type { ParsedDocument } from '../read-document.js';
import { DocumentThread, ThreadEnded } from './document-thread.js';
import type { ThreadParseOptions, ThreadSettings } from './thread-protocol.js';

export interface SandboxSettings {
  thread: ThreadSettings;
  /** V8 heap of one document thread; past it the thread dies and the document fails. */
  heapLimitMb: number;
  /** Time one document may take; past it its thread is stopped and the document fails. */
  timeoutMs: number;
  /** An idle thread is ended after this long, giving its memory back. */
  idleTimeoutMs: number;
}

const SMALLER = 'select fewer pages (max_pages or target_pages), or split the file into smaller documents';

const closedError = () => new Error('The parser was closed; create a new one');

interface Idle {
  thread: DocumentThread;
  timer: NodeJS.Timeout;
}

/**
 * Reads each document in a thread of its own, so that no document can stall the caller's
 * event loop (and with it BullMQ's lock renewal), and one that runs too long or needs too
 * much memory is stopped and fails alone. Threads are kept warm between documents: starting
 * one and loading pdf.js costs about 200 ms. There are never more threads than documents
 * being read at once.
 */
export class DocumentSandbox {
  private idle: Idle[] = [];
  private readonly busy = new Set<DocumentThread>();
  private started = 0;
  private closed = false;

  constructor(
    private readonly settings: SandboxSettings,
    private readonly recognizer: TextRecognizer,
  ) {}

  /** Threads started so far, replacements included. */
  get threadsStarted(): number {
    return this.started;
  }

  async parse(
    bytes: Uint8Array,
    options: ThreadParseOptions,
    signal?: AbortSignal,
    onPage?: (done: number, total: number) => void,
  ): Promise<ParsedDocument> {
    if (this.closed) throw closedError();
    signal?.throwIfAborted();
    const thread = this.take();
    let keep = false;
    try {
      const { document, heapBytes } = await this.supervise(
        thread,
        thread.parse(bytes, options, onPage),
        signal,
      );
      keep = this.modest(heapBytes);
      return document;
    } catch (error) {
      // The document's own error leaves its thread fit for the next one.
      keep = !thread.ended && !(error instanceof ThreadEnded);
      throw this.explain(error);
    } finally {
      this.release(thread, keep);
    }
  }

  /** End every thread; documents being read reject. Safe to call twice. */
  async close(): Promise<void> {
    this.closed = true;
    const threads = [...this.busy, ...this.idle.map((idle) => idle.thread)];
    for (const idle of this.idle) clearTimeout(idle.timer);
    this.idle = [];
    this.busy.clear();
    await Promise.all(threads.map((thread) => thread.terminate()));
  }

  private take(): DocumentThread {
    const idle = this.idle.pop();
    let thread: DocumentThread;
    if (idle) {
      clearTimeout(idle.timer);
      thread = idle.thread;
    } else {
      thread = new DocumentThread(this.settings.thread, this.settings.heapLimitMb, this.recognizer);
      this.started++;
    }
    this.busy.add(thread);
    return thread;
  }

  private release(thread: DocumentThread, keep: boolean): void {
    this.busy.delete(thread);
    if (this.closed || !keep || thread.ended) {
      void thread.terminate();
      return;
    }
    const timer = setTimeout(() => {
      this.idle = this.idle.filter((idle) => idle.thread !== thread);
      void thread.terminate();
    }, this.settings.idleTimeoutMs);
    timer.unref();
    this.idle.push({ thread, timer });
  }

  /** A thread left holding half its heap limit is ended rather than kept, giving the memory back. */
  private modest(heapBytes: number): boolean {
    return heapBytes < (this.settings.heapLimitMb * 1024 * 1024) / 2;
  }

  /**
   * `parsing`, unless the deadline passes or `signal` aborts first: then the thread is
   * stopped where it is, whatever it is doing, and the parse rejects at once.
   */
  private supervise<T>(thread: DocumentThread, parsing: Promise<T>, signal?: AbortSignal): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const stop = (error: unknown) => {
        settle();
        void thread.terminate();
        reject(error);
      };
      const timer = setTimeout(() => stop(this.timeoutError()), this.settings.timeoutMs);
      timer.unref();
      const onAbort = () => stop(signal?.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      const settle = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      parsing.then(
        (value) => {
          settle();
          resolve(value);
        },
        (error: unknown) => {
          settle();
          reject(error);
        },
      );
    });
  }

  private timeoutError(): DocumentError {
    return new DocumentError(
      'timeout',
      `Reading this document took longer than the ${formatLimit(this.settings.timeoutMs)} limit for one document and was stopped; ${SMALLER}`,
    );
  }

  private explain(error: unknown): unknown {
    if (!(error instanceof ThreadEnded)) return error;
    if (this.closed) return closedError();
    if (error.end.kind === 'out_of_memory') {
      return new DocumentError(
        'too_large',
        `Reading this document needed more memory than the ${this.settings.heapLimitMb} MiB limit for one document and was stopped; ${SMALLER}`,
      );
    }
    // Not the document's fault as far as anyone can tell: a transient failure, tried again.
    return new Error(`The document could not be read because ${error.message}`, { cause: error });
  }
}
