import type { JobStore } from '@classifyd/store';
import type { Cluster, Redis } from 'ioredis';

interface RegistryLogger {
  warn: (obj: object, msg: string) => void;
}

/**
 * The jobs this process is running, each with the controller that stops it, told of
 * cancels by the store's cancellation channel (the status write publishes the job id in
 * the same step). One subscriber connection per process, opened with the first watch.
 */
export class CancellationRegistry {
  private readonly watched = new Map<string, Set<AbortController>>();
  private subscriber: Redis | Cluster | null = null;
  private subscribed: Promise<void> | null = null;
  private closed = false;

  constructor(
    private readonly redis: Redis | Cluster,
    private readonly store: JobStore,
    private readonly logger: RegistryLogger,
  ) {}

  /** Registers the job; `signal` aborts when it is cancelled, including just before this call. */
  watch(jobId: string): { signal: AbortSignal; stop(): void } {
    const controller = new AbortController();
    const controllers = this.watched.get(jobId) ?? new Set();
    controllers.add(controller);
    this.watched.set(jobId, controllers);
    // A cancel published before the subscription took hold was not heard: look once after.
    void this.subscribe()
      .then(() => this.recheck([jobId]))
      .catch((error: Error) => this.logger.warn({ err: error.message, jobId }, 'cancellation watch not set'));
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
      if (from === channel) this.abort(jobId);
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
        .then(() => this.recheck(this.watchedIds()))
        .catch((error: Error) => this.logger.warn({ err: error.message }, 'cancellation resubscribe failed'));
    });
    const subscribed = subscriber.subscribe(channel).then(
      () => undefined,
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

  private abort(jobId: string): void {
    for (const controller of this.watched.get(jobId) ?? []) {
      if (!controller.signal.aborted) controller.abort(new Error(`job ${jobId} was cancelled`));
    }
  }
}
