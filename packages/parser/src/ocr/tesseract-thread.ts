import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';

const require = createRequire(import.meta.url);

/**
 * tesseract.js's own worker script, driven here directly rather than through
 * `createWorker`: that wrapper throws from its message handler when a job fails (an
 * uncaught exception in the caller's process), never settles when language data fails
 * to load, and hides the thread until it has started. Owning the thread lets a crash,
 * a hang or a shutdown end it at any moment. The protocol is that of tesseract.js 7.0.0,
 * pinned exactly in package.json.
 */
const WORKER_SCRIPT = join(
  dirname(require.resolve('tesseract.js/package.json')),
  'src/worker-script/node/index.js',
);

interface Reply {
  jobId: string;
  action: string;
  status: 'resolve' | 'reject' | 'progress';
  data: unknown;
}

interface Pending {
  resolve: (data: unknown) => void;
  reject: (error: Error) => void;
}

/** Raised when the thread ended (crashed, exited or was terminated) with work pending. */
export class OcrThreadEnded extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OcrThreadEnded';
  }
}

/** One Tesseract WebAssembly instance in its own worker thread. */
export class TesseractThread {
  private readonly worker: Worker;
  private readonly pending = new Map<string, Pending>();
  private jobs = 0;
  private endedWith: Error | null = null;

  constructor() {
    // Tesseract and Leptonica print diagnostics to stdout/stderr; they would land in the
    // service's log stream unstructured, so they are read here and dropped.
    this.worker = new Worker(WORKER_SCRIPT, { stdout: true, stderr: true });
    this.worker.stdout.resume();
    this.worker.stderr.resume();
    this.worker.on('message', (reply: Reply) => this.settle(reply));
    this.worker.on('error', (error: Error) => this.end(`the OCR thread crashed: ${error.message}`));
    this.worker.on('exit', (code: number) => this.end(`the OCR thread exited with code ${code}`));
    this.worker.unref();
  }

  get ended(): boolean {
    return this.endedWith !== null;
  }

  /** Run one action of the worker script; rejects with the script's error text or OcrThreadEnded. */
  call(action: string, payload: unknown): Promise<unknown> {
    if (this.endedWith) return Promise.reject(this.endedWith);
    const jobId = `job-${++this.jobs}`;
    return new Promise((resolve, reject) => {
      this.pending.set(`${action}-${jobId}`, { resolve, reject });
      // Only a thread with work in flight keeps the process alive; an idle one never blocks exit.
      this.worker.ref();
      this.worker.postMessage({ workerId: 'classifyd-ocr', jobId, action, payload });
    });
  }

  private settle(reply: Reply): void {
    if (reply.status === 'progress') return;
    const key = `${reply.action}-${reply.jobId}`;
    const pending = this.pending.get(key);
    if (!pending) return;
    this.pending.delete(key);
    if (this.pending.size === 0) this.worker.unref();
    if (reply.status === 'resolve') pending.resolve(reply.data);
    else pending.reject(new Error(String(reply.data)));
  }

  private end(reason: string): void {
    if (this.endedWith) return;
    this.endedWith = new OcrThreadEnded(reason);
    for (const pending of this.pending.values()) pending.reject(this.endedWith);
    this.pending.clear();
  }

  /** Stop the thread at once, even in the middle of a recognition; safe to call twice. */
  async terminate(): Promise<void> {
    this.end('the OCR thread was stopped');
    await this.worker.terminate();
  }
}
