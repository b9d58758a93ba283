import type { JobStore } from '@classifyd/store';

export interface CancellationWatch {
  signal: AbortSignal;
  stop(): void;
}

/**
 * Polls a job's status while a worker runs it and aborts when someone cancels it, so
 * long work (many pages, OCR) stops soon after a cancel instead of running to the end.
 */
export function watchCancellation(store: JobStore, jobId: string, intervalMs = 500): CancellationWatch {
  const controller = new AbortController();
  const timer = setInterval(() => {
    store
      .get(jobId)
      .then((job) => {
        if (job?.status === 'CANCELLED') controller.abort(new Error(`job ${jobId} was cancelled`));
      })
      // A missed poll is harmless: the status compare-and-set still refuses late writes.
      .catch(() => {});
  }, intervalMs);
  timer.unref();
  return { signal: controller.signal, stop: () => clearInterval(timer) };
}
