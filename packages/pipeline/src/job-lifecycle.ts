import { isId, isTerminal, type JobStatus, type ParseOutput } from '@classifyd/shared';
import {
  type CreateClassifyOutcome,
  type JobStore,
  type NewClassifyJob,
  ownerOf,
  type ParseSpec,
  type StoredClassifyJob,
  type StoredParseJob,
  type TransitionFields,
  type TransitionResult,
} from '@classifyd/store';
import type { Queues } from './queues.js';
import { addJobs, enqueueClassify, enqueueParse } from './stage-jobs.js';
import { enqueueWebhooks } from './webhook-events.js';

/** Test-only points in the handoff (fault-injection tests kill the process there). */
export interface LifecycleHooks {
  /** Between a new job's store write and its enqueue. */
  afterStore?: () => void;
  /** Between a new job's enqueue and its first webhooks. */
  afterEnqueue?: () => void;
  /** Between a status write and what follows it (webhooks, waiters started or handed on). */
  afterStatusWrite?: (kind: 'classify' | 'parse', status: JobStatus) => void;
}

/**
 * The hooks CLASSIFYD_FAULT asks for (see faultEnv in @classifyd/runtime): the process
 * kills itself with SIGKILL at that step, as a crash there would.
 */
export function faultHooks(fault: string | undefined): LifecycleHooks {
  if (fault === undefined) return {};
  const die = () => process.kill(process.pid, 'SIGKILL');
  if (fault === 'after-store-write') return { afterStore: die };
  if (fault === 'after-enqueue') return { afterEnqueue: die };
  const [, kind, status] = fault.split(':');
  return {
    afterStatusWrite: (wroteKind, wroteStatus) => {
      if (wroteKind === kind && wroteStatus === status) die();
    },
  };
}

/**
 * Every status write of a classify or parse job, with what must go with it (webhooks, the
 * stage enqueued, the jobs waiting on a parse handed on): the one place that decides them,
 * whichever app calls. The store only checks each write against the shared transition table.
 */
export class JobLifecycle {
  constructor(
    private readonly store: JobStore,
    private readonly queues: Queues,
    private readonly hooks: LifecycleHooks = {},
  ) {}

  async submit(input: NewClassifyJob): Promise<CreateClassifyOutcome> {
    const outcome = await this.store.createClassifyJob(input);
    if (outcome.outcome === 'created') {
      this.hooks.afterStore?.();
      // The create script already says where the parse stands: no need to read it again.
      await this.enqueueStage(outcome.job, outcome.parseJobId, outcome.parseStatus);
      this.hooks.afterEnqueue?.();
      await enqueueWebhooks(this.queues, outcome.job, 'PENDING');
      // A parse a worker has already picked up started before this job joined it, so the
      // job is RUNNING now; the create answer still shows it as it was made.
      if (outcome.parseStatus === 'RUNNING') await this.transition(outcome.job, 'RUNNING');
    } else if (outcome.job.status === 'PENDING') {
      // The first request may have died between storing and enqueueing; finish its work.
      await this.ensureEnqueued(outcome.job);
    }
    return outcome;
  }

  /** A parse job of the parse API or for an example: stored, then put on the parse queue. */
  async submitParse(
    projectId: string,
    userId: string,
    spec: ParseSpec,
    cacheKey: string | null,
  ): Promise<StoredParseJob> {
    const job = await this.store.createParseJob(projectId, userId, spec, cacheKey);
    this.hooks.afterStore?.();
    await enqueueParse(this.queues, job.id, job.projectId, spec.trace);
    return job;
  }

  /** The parse stage begins: the parse, and the classify jobs waiting on it, are RUNNING. */
  async startParse(parse: StoredParseJob): Promise<TransitionResult> {
    const started = await this.store.transition(parse.id, 'RUNNING', {}, { owner: ownerOf(parse) });
    if (started.ok) this.hooks.afterStatusWrite?.('parse', 'RUNNING');
    if (started.ok || started.reason === 'same') await this.startWaiters(parse.id);
    return started;
  }

  private async startWaiters(parseJobId: string): Promise<void> {
    const waiting = await this.store.getMany(await this.store.waiters(parseJobId));
    for (const job of waiting.values()) {
      if (job.kind !== 'classify') continue;
      if (job.status === 'PENDING') await this.transition(job, 'RUNNING');
      // Started by an earlier run of this parse that died: its webhooks may not have been sent.
      else await this.catchUpWebhooks(job);
    }
  }

  /**
   * The parse has its pages: COMPLETED with them (or, copied from an identical parse, with
   * those already in place), and whoever waits on it moves to its stage. Refused if it left
   * RUNNING meanwhile (a cancel): then nothing is stored.
   */
  async completeParse(parse: StoredParseJob, pages?: ParseOutput): Promise<TransitionResult> {
    const done = await this.store.transition(parse.id, 'COMPLETED', pages ? { pages } : {}, {
      owner: ownerOf(parse),
    });
    if (!done.ok) return done;
    this.hooks.afterStatusWrite?.('parse', 'COMPLETED');
    await this.releaseWaiters(parse.projectId, done.waiters);
    return done;
  }

  /** Cancelled by its user: the jobs waiting on it move on, to fail saying why. */
  async cancelParse(parse: StoredParseJob, message: string): Promise<TransitionResult> {
    const cancelled = await this.store.transition(
      parse.id,
      'CANCELLED',
      { error_message: message },
      { owner: ownerOf(parse) },
    );
    if (!cancelled.ok) return cancelled;
    this.hooks.afterStatusWrite?.('parse', 'CANCELLED');
    await this.releaseWaiters(parse.projectId, cancelled.waiters);
    return cancelled;
  }

  /** Sends on the waiters of a parse that ended another way (idempotent). */
  async handOnWaiters(projectId: string, parseJobId: string): Promise<void> {
    await this.releaseWaiters(projectId, await this.store.waiters(parseJobId));
  }

  /** Puts whichever stage the job waits for on its queue; idempotent by job id. */
  async ensureEnqueued(job: StoredClassifyJob): Promise<void> {
    if (isTerminal(job.status) || !job.parseJobId) return;
    const parse = await this.store.getParseJob(job.projectId, job.parseJobId);
    await this.enqueueStage(job, job.parseJobId, parse?.status ?? null);
  }

  /** A parse still to finish goes on the parse queue; otherwise the classify stage can start. */
  private async enqueueStage(job: StoredClassifyJob, parseJobId: string, parseStatus: JobStatus | null) {
    const trace = job.spec.trace;
    if (parseStatus !== null && !isTerminal(parseStatus)) {
      await enqueueParse(this.queues, parseJobId, job.projectId, trace);
    } else {
      await enqueueClassify(this.queues, [{ classifyJobId: job.id, projectId: job.projectId, trace }]);
    }
  }

  /** A status write plus its webhooks; refused writes change nothing and notify no one. */
  async transition(
    job: StoredClassifyJob,
    to: JobStatus,
    fields: TransitionFields = {},
  ): Promise<TransitionResult> {
    // The job is held: its owner need not be read again before the write.
    const result = await this.store.transition(job.id, to, fields, { owner: ownerOf(job) });
    if (!result.ok) return result;
    this.hooks.afterStatusWrite?.('classify', to);
    // Its creator may have died before the PENDING webhooks went out; delivery ids make a
    // second enqueue a no-op, so they are enqueued again as the job leaves PENDING.
    if (result.previous === 'PENDING') await enqueueWebhooks(this.queues, job, 'PENDING');
    await enqueueWebhooks(this.queues, job, to);
    return result;
  }

  /**
   * Enqueues again the webhooks of every status the job has certainly passed through, up to
   * the one it has now. A status write and its webhook enqueue are two steps: a worker killed
   * between them leaves the write without its webhooks, and the stage's BullMQ job, run again
   * after the stall, finds the status already written. Delivery ids are derived from job,
   * event and endpoint, so what was enqueued before is not enqueued twice.
   */
  async catchUpWebhooks(job: StoredClassifyJob): Promise<void> {
    if (job.spec.webhooks.length === 0) return;
    const passed: JobStatus[] = ['PENDING'];
    if (job.status === 'RUNNING' || job.status === 'COMPLETED') passed.push('RUNNING');
    if (job.status !== 'PENDING' && job.status !== 'RUNNING') passed.push(job.status);
    for (const status of passed) await enqueueWebhooks(this.queues, job, status);
  }

  /**
   * Cancels the job; its parse job goes too once no live job waits on it (unless the parse
   * API made it: that one is its user's), so cancelled work actually stops, whichever of
   * the jobs sharing a parse is cancelled last.
   */
  async cancel(job: StoredClassifyJob): Promise<TransitionResult> {
    const result = await this.transition(job, 'CANCELLED');
    if (!result.ok || !job.parseJobId) return result;
    // Refused ('wanted') while any waiting job is live; its classify waiters are all finished
    // otherwise, but an example may wait on it too: it is sent on to fail saying why.
    const parse = await this.store.transition(
      job.parseJobId,
      'CANCELLED',
      { error_message: 'Cancelled with the classify jobs that were waiting on it' },
      { onlyIfUnwanted: true },
    );
    if (parse.ok) {
      const examples = parse.waiters.filter((id) => isId('example', id));
      await this.releaseWaiters(job.projectId, examples);
    }
    return result;
  }

  /** Fails a classify job (with its webhooks); a job that already ended stays as it is. */
  async failClassify(projectId: string, classifyJobId: string, message: string): Promise<void> {
    const job = await this.store.getClassifyJob(projectId, classifyJobId);
    if (job) await this.transition(job, 'FAILED', { error_message: message });
  }

  /**
   * Fails a parse job and sends the jobs waiting on it on, where they fail saying why. A parse
   * that had already ended sends its waiters on again: whoever ended it may have died before
   * it did (releasing is idempotent).
   */
  async failParse(projectId: string, parseJobId: string, message: string): Promise<void> {
    const failed = await this.store.transition(parseJobId, 'FAILED', { error_message: message });
    if (failed.ok) this.hooks.afterStatusWrite?.('parse', 'FAILED');
    if (failed.ok) await this.releaseWaiters(projectId, failed.waiters);
    else if (failed.current !== null && isTerminal(failed.current))
      await this.handOnWaiters(projectId, parseJobId);
  }

  /** After a parse job ends (any way), every job and example waiting on it moves to its stage. */
  async releaseWaiters(projectId: string, waiters: string[]): Promise<void> {
    await releaseParseWaiters(this.queues, projectId, waiters);
  }
}

/**
 * Enqueues the classify jobs, examples and identical parse jobs that waited on a parse that has ended. Their
 * BullMQ ids carry a suffix: one that found its parse running in its stage joined the
 * waiters and its first BullMQ job (named by its id) completed, and BullMQ ignores a second
 * add under that id while it keeps the completed one. Releasing twice (the parse's end
 * seen by more than one path) adds once; should one run twice anyway, the store's
 * compare-and-set writes (status, example settlement) make the second run a no-op.
 */
export async function releaseParseWaiters(
  queues: Queues,
  projectId: string,
  waiters: string[],
): Promise<void> {
  const after = (id: string) => ({ jobId: `${id}-after-parse` });
  const of = (kind: 'classifyJob' | 'example' | 'parseJob') => waiters.filter((id) => isId(kind, id));
  // addJobs adds nothing for an empty list.
  await addJobs(
    queues.classify,
    of('classifyJob').map((classifyJobId) => ({
      name: 'classify',
      data: { classifyJobId, projectId },
      opts: after(classifyJobId),
    })),
  );
  await addJobs(
    queues.example,
    of('example').map((exampleId) => ({
      name: 'example',
      data: { exampleId, projectId },
      opts: after(exampleId),
    })),
  );
  // A parse job that found identical bytes being parsed waits for them, to copy the pages.
  await addJobs(
    queues.parse,
    of('parseJob').map((parseJobId) => ({
      name: 'parse',
      data: { parseJobId, projectId },
      opts: after(parseJobId),
    })),
  );
}
