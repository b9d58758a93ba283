import type { CancellationRegistry } from './cancellation-registry.js';

export interface CancellationWatch {
  signal: AbortSignal;
  stop(): void;
}

/**
 * Aborts while a worker runs a job when someone cancels it, so long work (many pages, OCR,
 * a slow model) stops soon after a cancel instead of running to the end. The cancel is
 * pushed to the registry (Redis pub/sub); the job's status is read at most once, not in a
 * loop, and not at all when the caller saw it live (`liveAt`) after the subscription held.
 */
export function watchCancellation(
  registry: CancellationRegistry,
  jobId: string,
  liveAt?: number,
): CancellationWatch {
  return registry.watch(jobId, liveAt);
}
