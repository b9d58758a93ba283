import { Worker } from 'node:worker_threads';
import type { TextRecognizer } from '../ocr/text-recognizer.js';
import type { ParsedDocument } from '../read-document.js';
import {
  type FromThread,
  fromWire,
  type ThreadParseOptions,
  type ThreadSettings,
  type ToThread,
  toWire,
} from './thread-protocol.js';

/**
 * Built, the entry sits beside this file as parse-thread.js. Under vitest the package runs
 * from its TypeScript sources, which a worker thread cannot load by itself, so the thread
 * registers tsx (the repo's dev dependency) first.
 */
function startWorker(options: ConstructorParameters<typeof Worker>[1]): Worker {
  if (!import.meta.url.endsWith('.ts'))
    return new Worker(new URL('./parse-thread.js', import.meta.url), options);
  const entry = JSON.stringify(new URL('./parse-thread.ts', import.meta.url).href);
  const boot = `import { register } from 'tsx/esm/api'; register(); await import(${entry});`;
  return new Worker(boot, { ...options, eval: true });
}

/** How a thread ended while it held a document. */
export type ThreadEnd = { kind: 'out_of_memory' } | { kind: 'crashed'; message: string };

export class ThreadEnded extends Error {
  constructor(readonly end: ThreadEnd) {
    super(end.kind === 'out_of_memory' ? 'the document thread ran out of memory' : end.message);
    this.name = 'ThreadEnded';
  }
}

interface Running {
  resolve: (outcome: { document: ParsedDocument; heapBytes: number }) => void;
  reject: (error: Error) => void;
  /** Ends the page recognitions this document asked for once it is over, however it ends. */
  recognitions: AbortController;
  onPage: ((done: number, total: number) => void) | undefined;
}

/**
 * One document thread: a worker with a V8 heap limit that reads documents one at a time and
 * can be stopped at any moment, even in a loop that never yields, by `terminate()`. Scanned
 * pages it meets are recognised by `recognizer`, in this thread.
 */
export class DocumentThread {
  private readonly worker: Worker;
  private running: Running | null = null;
  private endedWith: ThreadEnd | null = null;

  constructor(
    settings: ThreadSettings,
    heapLimitMb: number,
    private readonly recognizer: TextRecognizer,
  ) {
    this.worker = startWorker({
      workerData: settings,
      resourceLimits: { maxOldGenerationSizeMb: heapLimitMb },
      // pdf.js and the DOCX reader may print warnings; they would reach the service's log
      // stream unstructured, so they are read here and dropped.
      stdout: true,
      stderr: true,
    });
    this.worker.stdout.resume();
    this.worker.stderr.resume();
    this.worker.on('message', (message: FromThread) => this.receive(message));
    this.worker.on('error', (error: Error & { code?: string }) =>
      this.end(
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? { kind: 'out_of_memory' }
          : { kind: 'crashed', message: `the document thread crashed: ${error.message}` },
      ),
    );
    this.worker.on('exit', (code: number) =>
      this.end({ kind: 'crashed', message: `the document thread exited with code ${code}` }),
    );
    this.worker.unref();
  }

  get ended(): boolean {
    return this.endedWith !== null;
  }

  /** Read one document. Rejects with the document's own error, or ThreadEnded. */
  parse(
    bytes: Uint8Array,
    options: ThreadParseOptions,
    onPage?: (done: number, total: number) => void,
  ): Promise<{ document: ParsedDocument; heapBytes: number }> {
    if (this.endedWith) return Promise.reject(new ThreadEnded(this.endedWith));
    if (this.running) return Promise.reject(new Error('A document thread reads one document at a time'));
    // A copy the thread takes over: the caller's bytes stay usable, and are not cloned twice.
    const copy = new Uint8Array(bytes);
    return new Promise((resolve, reject) => {
      this.running = { resolve, reject, recognitions: new AbortController(), onPage };
      this.worker.ref();
      const message: ToThread = { type: 'parse', bytes: copy, options };
      this.worker.postMessage(message, [copy.buffer]);
    });
  }

  /** Stop the thread at once; a document it holds rejects with ThreadEnded. Safe to call twice. */
  async terminate(): Promise<void> {
    this.end({ kind: 'crashed', message: 'the document thread was stopped' });
    await this.worker.terminate();
  }

  private receive(message: FromThread): void {
    const running = this.running;
    if (!running) return;
    if (message.type === 'recognize') {
      void this.recognize(message, running.recognitions.signal);
      return;
    }
    if (message.type === 'progress') {
      running.onPage?.(message.done, message.total);
      return;
    }
    this.finish();
    if (message.type === 'parsed') running.resolve(message);
    else running.reject(fromWire(message.error));
  }

  private async recognize(
    request: Extract<FromThread, { type: 'recognize' }>,
    signal: AbortSignal,
  ): Promise<void> {
    let reply: ToThread;
    try {
      const options = request.timeoutMs === undefined ? { signal } : { signal, timeoutMs: request.timeoutMs };
      const text = await this.recognizer.recognize(request.image, request.language, options);
      reply = { type: 'recognized', id: request.id, text };
    } catch (error) {
      reply = { type: 'unrecognized', id: request.id, error: toWire(error) };
    }
    // A document that was stopped meanwhile no longer waits for its pages.
    if (!signal.aborted && !this.endedWith) this.worker.postMessage(reply);
  }

  private finish(): void {
    this.running?.recognitions.abort();
    this.running = null;
    this.worker.unref();
  }

  private end(how: ThreadEnd): void {
    if (this.endedWith) return;
    this.endedWith = how;
    const running = this.running;
    this.finish();
    running?.reject(new ThreadEnded(how));
  }
}
