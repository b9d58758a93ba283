import type { CancellationRegistry } from './cancellation-registry.js';

export interface CancellationWatch {
  signal: AbortSignal;
  stop(): void;
}

/**
 * Aborts while a worker runs a job when someone cancels it, so long work (many pages, OCR,
 * a slow model) stops soon after a cancel instead of running to the end. The cancel is
 * pushed to the registry (Redis pub/sub); the job's status is read once, not in a loop.
 */
export function watchCancellation(registry: CancellationRegistry, jobId: string): CancellationWatch {
  return registry.watch(jobId);
}
