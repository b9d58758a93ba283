import type { TraceContext } from '@classifyd/shared';
import { type ConnectionOptions, type DefaultJobOptions, type Job, Queue, UnrecoverableError } from 'bullmq';
import type { Logger } from 'pino';
import { JOB_CATALOG, type JobPayload, QUEUE_NAMES, type QueueName } from './job-catalog.js';

export interface QueueSettings {
  /** An ioredis connection (direct, through Sentinel, or a Cluster); BullMQ duplicates it as it needs. */
  connection: ConnectionOptions;
  prefix: string;
}

/**
 * On Redis Cluster, BullMQ's scripts touch several keys of a queue at once, so they must
 * share one slot: the prefix needs a `{...}` hash tag (readRedisSettings adds it).
 */
export function assertClusterPrefix(settings: QueueSettings): void {
  const isCluster = (settings.connection as { isCluster?: boolean }).isCluster === true;
  if (isCluster && !/\{[^{}]+\}/.test(settings.prefix)) {
    throw new Error(`queue prefix "${settings.prefix}" needs a {hash tag} on Redis Cluster`);
  }
}

/**
 * Finished BullMQ jobs are trimmed: the store keeps what users read, so Redis stays bounded.
 * Completed ones by count alone: trimming by age too costs a Redis command at every completion.
 */
export function defaultJobOptions(name: QueueName): DefaultJobOptions {
  const entry = JOB_CATALOG[name];
  return {
    attempts: entry.attempts,
    backoff: { ...entry.backoff },
    removeOnComplete: { count: 1000 },
    removeOnFail: { age: 7 * 24 * 3600, count: 5000 },
  };
}

export type Queues = { [Q in QueueName]: Queue<JobPayload<Q>> };

export function createQueues(settings: QueueSettings): Queues {
  assertClusterPrefix(settings);
  const entries = QUEUE_NAMES.map((name) => [
    name,
    new Queue(name, {
      connection: settings.connection,
      prefix: settings.prefix,
      defaultJobOptions: defaultJobOptions(name),
    }),
  ]);
  return Object.fromEntries(entries) as Queues;
}

export async function closeQueues(queues: Queues): Promise<void> {
  await Promise.allSettled(Object.values(queues).map((q) => q.close()));
}

/** The validated payload of a job; a malformed one can never succeed, so it is not retried. */
export function payloadOf<Q extends QueueName>(name: Q, job: Job): JobPayload<Q> {
  const parsed = JOB_CATALOG[name].payload.safeParse(job.data);
  if (!parsed.success) throw new UnrecoverableError(`malformed ${name} job payload: ${parsed.error.message}`);
  return parsed.data as JobPayload<Q>;
}

/** True when a failure now is the job's last chance: only then may a worker write FAILED. */
export function isFinalAttempt(job: Job): boolean {
  return job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
}

/** A stage job's log context: the record it works on, its queue, project and attempt. */
export function stageLog(
  logger: Logger,
  queue: QueueName,
  job: Job,
  recordId: string,
  projectId: string,
): Logger {
  return logger.child({ jobId: recordId, queue, projectId, attempt: job.attemptsMade + 1 });
}

/**
 * A stage job's span: a consumer of its queue, continuing the trace of the request that made
 * the record (`parent`), with the same ids as its log lines.
 */
export function stageSpan(
  queue: QueueName,
  job: Job,
  recordId: string,
  projectId: string,
  parent: TraceContext | undefined,
) {
  return {
    kind: 'consumer' as const,
    parent,
    attributes: {
      'messaging.system': 'bullmq',
      'messaging.destination.name': queue,
      'messaging.message.id': job.id ?? '',
      'classifyd.job_id': recordId,
      'classifyd.project_id': projectId,
      'classifyd.attempt': job.attemptsMade + 1,
    },
  };
}
