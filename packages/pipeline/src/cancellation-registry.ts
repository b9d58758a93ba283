import type { JobStore } from '@classifyd/store';
import type { Cluster, Redis } from 'ioredis';

interface RegistryLogger {
  warn: (obj: object, msg: string) => void;
}

/** How long a cancel heard for a job this process does not (yet) run is remembered. */
const RECENT_MS = 60_000;
const RECENT_KEPT = 10_000;

/**
 * The jobs this process is running, each with the controller that stops it, told of
 * cancels by the store's cancellation channel (the status write publishes the job id in
 * the same step). One subscriber connection per process, opened by `start` or the first watch.
 */
export class CancellationRegistry {
  private readonly watched = new Map<string, Set<AbortController>>();
  /** Cancels heard lately for jobs not watched then: a watch may begin just after its cancel. */
  private readonly recent = new Map<string, number>();
  private subscriber: Redis | Cluster | null = null;
  private subscribed: Promise<void> | null = null;
  /** Since when every cancel published has been heard (null: not subscribed, or lost since). */
  private heardSince: number | null = null;
  private closed = false;

  constructor(
    private readonly redis: Redis | Cluster,
    private readonly store: JobStore,
    private readonly logger: RegistryLogger,
  ) {}

  /** The registry's clock (monotonic ms), for a watch's `liveAt`. */
  now(): number {
    return performance.now();
  }

  /** Subscribes now, so that the watches of the first jobs need not read their status. */
  async start(): Promise<void> {
    await this.subscribe();
  }

  /**
   * Registers the job; `signal` aborts when it is cancelled, including just before this
   * call. `liveAt`: a time (`now()`) at which the caller knew the job was not cancelled
   * (taken before the status write or read that showed it). If every cancel since then has been
   * heard, none is missed without reading the status; otherwise it is read once.
   */
  watch(jobId: string, liveAt?: number): { signal: AbortSignal; stop(): void } {
    const controller = new AbortController();
    const controllers = this.watched.get(jobId) ?? new Set();
    controllers.add(controller);
    this.watched.set(jobId, controllers);
    if (liveAt !== undefined && this.heardSince !== null && this.heardSince <= liveAt) {
      if (this.recent.has(jobId)) this.abort(jobId);
    } else {
      // A cancel published before the subscription took hold was not heard: look once after.
      void this.subscribe()
        .then(() => this.recheck([jobId]))
        .catch((error: Error) =>
          this.logger.warn({ err: error.message, jobId }, 'cancellation watch not set'),
        );
    }
    return {
      signal: controller.signal,
      stop: () => {
        controllers.delete(controller);
        if (controllers.size === 0 && this.watched.get(jobId) === controllers) this.watched.delete(jobId);
      },
    };
  }

  /** Ids of the jobs watched now (for tests and diagnostics). */
  watchedIds(): string[] {
    return [...this.watched.keys()];
  }

  async close(): Promise<void> {
    this.closed = true;
    const subscriber = this.subscriber;
    this.subscriber = null;
    if (!subscriber || subscriber.status === 'end') return;
    try {
      await subscriber.quit();
    } catch {
      subscriber.disconnect();
    }
  }

  private subscribe(): Promise<void> {
    if (this.closed) return Promise.reject(new Error('cancellation registry is closed'));
    if (this.subscribed) return this.subscribed;
    const channel = this.store.keys.cancelled();
    const subscriber: Redis | Cluster =
      'isCluster' in this.redis && this.redis.isCluster
        ? (this.redis as Cluster).duplicate()
        : (this.redis as Redis).duplicate();
    this.subscriber = subscriber;
    subscriber.on('error', (error: Error) =>
      this.logger.warn({ err: error.message }, 'cancellation subscriber connection error'),
    );
    subscriber.on('message', (from: string, jobId: string) => {
      if (from === channel) this.heard(jobId);
    });
    // From the moment the connection drops, cancels may go unheard until it is back.
    subscriber.on('close', () => {
      this.heardSince = null;
    });
    let connectedOnce = false;
    subscriber.on('ready', () => {
      if (!connectedOnce) {
        connectedOnce = true;
        return;
      }
      // Back after an outage: notices published meanwhile were lost, so every watched job
      // is looked at once, after the subscription holds again (ioredis also resubscribes).
      subscriber
        .subscribe(channel)
        .then(() => {
          this.heardSince = this.now();
          return this.recheck(this.watchedIds());
        })
        .catch((error: Error) => this.logger.warn({ err: error.message }, 'cancellation resubscribe failed'));
    });
    const subscribed = subscriber.subscribe(channel).then(
      () => {
        // Redis ran the SUBSCRIBE before this reply: every publish after now is heard.
        this.heardSince = this.now();
      },
      (error: Error) => {
        // The next watch tries again with a fresh connection.
        this.subscribed = null;
        this.subscriber = null;
        subscriber.disconnect();
        throw error;
      },
    );
    this.subscribed = subscribed;
    return subscribed;
  }

  private async recheck(jobIds: string[]): Promise<void> {
    if (jobIds.length === 0) return;
    const jobs = await this.store.getMany(jobIds);
    for (const [id, job] of jobs) if (job.status === 'CANCELLED') this.abort(id);
  }

  private heard(jobId: string): void {
    if (!this.watched.has(jobId)) {
      const now = this.now();
      this.recent.delete(jobId);
      this.recent.set(jobId, now);
      for (const [id, at] of this.recent) {
        if (at > now - RECENT_MS && this.recent.size <= RECENT_KEPT) break;
        this.recent.delete(id);
      }
    }
    this.abort(jobId);
  }

  private abort(jobId: string): void {
    for (const controller of this.watched.get(jobId) ?? []) {
      if (!controller.signal.aborted) controller.abort(new Error(`job ${jobId} was cancelled`));
    }
  }
}
