import { AppError, type ClassifyResult, type JobStatus, newId, type ParseOutput } from '@classifyd/shared';
import type { Cluster, Redis } from 'ioredis';
import { JobScripts } from './job-scripts.js';
import { type StoreKeys, storeKeys } from './keys.js';
import { type IdPage, type PageRequest, pageFromIndex, pageFromMembers } from './list-index.js';
import {
  type ClassifySpec,
  type JobOwner,
  jobFromHash,
  type ParseSpec,
  type StoredClassifyJob,
  type StoredCorrection,
  type StoredJob,
  type StoredParseJob,
} from './records.js';

export interface JobStoreOptions {
  queuePrefix: string;
  /** How long a finished job, its result and its parse output stay readable. */
  retentionSeconds: number;
}

export type ParsePlan =
  | { mode: 'existing'; parseJobId: string }
  | { mode: 'new'; spec: ParseSpec; cacheKey: string | null };

export interface NewClassifyJob {
  projectId: string;
  userId: string;
  spec: ClassifySpec;
  parse: ParsePlan;
}

export type CreateClassifyOutcome =
  | { outcome: 'duplicate'; job: StoredClassifyJob }
  | {
      outcome: 'created';
      job: StoredClassifyJob;
      parseJobId: string;
      parseCreated: boolean;
      parseStatus: JobStatus;
    };

/** Why a status write did not happen: already there, not allowed from here, no such job, or still needed. */
export type RefusedTransition = 'same' | 'refused' | 'not_found' | 'wanted';

export type TransitionResult =
  | { ok: true; previous: JobStatus; waiters: string[] }
  | { ok: false; reason: RefusedTransition; current: JobStatus | null };

export interface TransitionFields {
  /** A parse's pages, stored in the same step as its COMPLETED (so never for a cancelled one). */
  pages?: ParseOutput;
  result?: ClassifyResult;
  error_message?: string;
  usage?: Record<string, number | string>;
}

export interface JobListQuery extends PageRequest {
  status?: JobStatus | undefined;
  configurationId?: string | undefined;
  jobIds?: string[] | undefined;
}

export type DeleteOutcome =
  | { deleted: true }
  | { deleted: false; reason: 'not_found' }
  | { deleted: false; reason: 'not_terminal'; status: JobStatus };

export class JobStore {
  readonly keys: StoreKeys;
  private readonly scripts: JobScripts;

  constructor(
    private readonly redis: Redis | Cluster,
    options: JobStoreOptions,
  ) {
    this.keys = storeKeys(options.queuePrefix);
    this.scripts = new JobScripts(redis, this.keys, options.retentionSeconds * 1000);
  }

  async createClassifyJob(input: NewClassifyJob): Promise<CreateClassifyOutcome> {
    const now = Date.now();
    const id = newId('classifyJob');
    const parseId = input.parse.mode === 'existing' ? input.parse.parseJobId : newId('parseJob');
    const txId = input.spec.transaction_id;
    const reply = await this.scripts.createClassify({
      now,
      id,
      parseId,
      projectId: input.projectId,
      userId: input.userId,
      spec: input.spec,
      parse: input.parse,
    });
    const [kind, jobId, parseJobId = '', parseCreated, parseStatus, member = ''] = reply;
    if (kind === 'parse_not_found') throw AppError.notFound(`Parse job ${parseId}`);
    if (kind === 'file_not_found' && input.parse.mode === 'new' && input.parse.spec.source.type === 'file')
      throw AppError.notFound(`File ${input.parse.spec.source.file_id}`);
    if (kind === 'created') {
      // What the script wrote, made here rather than read back.
      const job: StoredClassifyJob = {
        id,
        kind: 'classify',
        projectId: input.projectId,
        userId: input.userId,
        status: 'PENDING',
        createdAtMs: now,
        updatedAtMs: now,
        errorMessage: null,
        member,
        spec: input.spec,
        parseJobId,
        result: null,
        usage: null,
        correction: null,
      };
      return {
        outcome: 'created',
        job,
        parseJobId,
        parseCreated: parseCreated === '1' || (parseCreated as unknown) === 1,
        parseStatus: parseStatus as JobStatus,
      };
    }
    const original = await this.get(jobId as string);
    if (original?.kind !== 'classify') {
      // The original of a duplicate was deleted between the two reads.
      throw new AppError('conflict', `transaction_id ${txId} refers to a job that no longer exists; retry`);
    }
    return { outcome: 'duplicate', job: original };
  }

  /** A parse job of the parse API; `cacheKey` (null: never shared) lets it reuse or share identical work. */
  async createParseJob(
    projectId: string,
    userId: string,
    spec: ParseSpec,
    cacheKey: string | null = null,
  ): Promise<StoredParseJob> {
    const now = Date.now();
    const id = newId('parseJob');
    const made = await this.scripts.createParse({ now, id, projectId, userId, spec, cacheKey });
    return {
      id,
      kind: 'parse',
      projectId,
      userId,
      status: 'PENDING',
      createdAtMs: now,
      updatedAtMs: now,
      errorMessage: null,
      member: made.member,
      spec,
      origin: 'api',
      cacheKey: made.cacheKey,
      copiedFrom: null,
    };
  }

  async get(id: string): Promise<StoredJob | null> {
    const hash = await this.redis.hgetall(this.keys.job(id));
    return jobFromHash(id, hash);
  }

  async getMany(ids: string[]): Promise<Map<string, StoredJob>> {
    const found = new Map<string, StoredJob>();
    if (ids.length === 0) return found;
    const [only] = ids;
    if (ids.length === 1 && only) {
      // No pipeline for one: making one copies every script command of the connection.
      const job = await this.get(only);
      if (job) found.set(only, job);
      return found;
    }
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hgetall(this.keys.job(id));
    const replies = (await pipeline.exec()) ?? [];
    replies.forEach(([error, hash], i) => {
      const id = ids[i] as string;
      if (error) throw error;
      const job = jobFromHash(id, hash as Record<string, string>);
      if (job) found.set(id, job);
    });
    return found;
  }

  /** The classify job a project's transaction_id made, while it exists. */
  async findByTransaction(projectId: string, transactionId: string): Promise<StoredClassifyJob | null> {
    const id = await this.redis.get(this.keys.transaction(projectId, transactionId));
    return id ? this.getClassifyJob(projectId, id) : null;
  }

  /** A job of the project, or null: another project's job is indistinguishable from none. */
  async getClassifyJob(projectId: string, id: string): Promise<StoredClassifyJob | null> {
    const job = await this.get(id);
    return job?.kind === 'classify' && job.projectId === projectId ? job : null;
  }

  async getParseJob(projectId: string | null, id: string): Promise<StoredParseJob | null> {
    const job = await this.get(id);
    if (job?.kind !== 'parse') return null;
    return projectId === null || job.projectId === projectId ? job : null;
  }

  /**
   * A compare-and-set status write. With `onlyIfUnwanted`, a parse job is written only if
   * no live classify job waits on it and the parse API did not make it ('wanted' otherwise).
   */
  async transition(
    id: string,
    to: JobStatus,
    fields: TransitionFields = {},
    options: { onlyIfUnwanted?: boolean; owner?: JobOwner } = {},
  ): Promise<TransitionResult> {
    const pairs: string[] = [];
    if (fields.result) pairs.push('result', JSON.stringify(fields.result));
    if (fields.error_message !== undefined) pairs.push('error_message', fields.error_message);
    if (fields.usage) pairs.push('usage', JSON.stringify(fields.usage));
    const reply = await this.scripts.transition(
      id,
      to,
      pairs,
      options.onlyIfUnwanted === true,
      options.owner,
      fields.pages ? JSON.stringify(fields.pages) : '',
    );
    const [kind, status, ...waiters] = reply;
    if (kind === 'ok') return { ok: true, previous: status as JobStatus, waiters };
    return {
      ok: false,
      reason: kind as RefusedTransition,
      current: (status as JobStatus) ?? null,
    };
  }

  async delete(projectId: string, kind: 'classify' | 'parse', id: string): Promise<DeleteOutcome> {
    const reply = await this.scripts.deleteJob(id, projectId, kind);
    if (reply === 'deleted') return { deleted: true };
    if (reply.startsWith('not_terminal:')) {
      return {
        deleted: false,
        reason: 'not_terminal',
        status: reply.slice('not_terminal:'.length) as JobStatus,
      };
    }
    return { deleted: false, reason: 'not_found' };
  }

  /**
   * Puts a classify job or an example among those waiting on its parse while the parse runs
   * ('waiting': the parse's end sends it to its stage); 'ready' when the parse has ended.
   * The waiters of a parse are classify job ids and example ids (their prefixes tell them
   * apart); only classify jobs count when a parse is cancelled for want of live waiters.
   */
  async joinParseWaiters(waiterId: string, parseJobId: string): Promise<'waiting' | 'ready'> {
    return this.scripts.joinParseWaiters(waiterId, parseJobId);
  }

  /** Ids of jobs stored at least `olderThanMs` ago and still in the outbox: their stage may never have been enqueued. */
  async outboxOlderThan(olderThanMs: number, limit = 200): Promise<string[]> {
    return this.redis.zrangebyscore(this.keys.outbox(), '-inf', Date.now() - olderThanMs, 'LIMIT', 0, limit);
  }

  /** Takes a job out of the outbox once its stage is surely on its queue. */
  async leaveOutbox(id: string): Promise<void> {
    await this.redis.zrem(this.keys.outbox(), id);
  }

  async waiters(parseJobId: string): Promise<string[]> {
    return this.redis.smembers(this.keys.waiters(parseJobId));
  }

  /**
   * Called by the parse worker once the job is RUNNING: copy the output of a finished
   * identical parse, wait for a running one, or take the cache entry and parse.
   */
  async claimParseCache(
    job: StoredParseJob,
  ): Promise<{ action: 'copied' | 'wait'; from: string } | { action: 'parse' | 'gone' }> {
    if (!job.cacheKey) return { action: 'parse' };
    // A parse made for a classify job took the cache entry at its creation (unless one for
    // the same bytes was running); one of the parse API claims it only now.
    const guess = job.origin === 'api' ? '' : job.id;
    const reply = await this.scripts.claimParseCache(job.id, job.cacheKey, guess);
    const [action, from] = reply as ['copied' | 'wait' | 'parse' | 'gone', string | undefined];
    return action === 'copied' || action === 'wait' ? { action, from: from as string } : { action };
  }

  /** The parse job a project's content cache names for these bytes and options, if it still exists. */
  async findCachedParse(projectId: string, cacheKey: string): Promise<StoredParseJob | null> {
    const id = await this.redis.get(this.keys.parseCache(projectId, cacheKey));
    return id ? this.getParseJob(projectId, id) : null;
  }

  /** Whether a parse job's text is still kept (it goes with the job when its retention passes). */
  async hasParseOutput(parseJobId: string): Promise<boolean> {
    return (await this.redis.exists(this.keys.pages(parseJobId))) === 1;
  }

  /**
   * Records a correction on a COMPLETED classify job of the project and returns the one it
   * replaced (null if none); 'not_found' / the job's status when it cannot take one.
   */
  async setCorrection(
    projectId: string,
    jobId: string,
    correction: StoredCorrection,
  ): Promise<
    { ok: true; previous: StoredCorrection | null } | { ok: false; reason: 'not_found' | JobStatus }
  > {
    const [outcome, detail] = (await this.scripts.setCorrection(
      jobId,
      projectId,
      JSON.stringify(correction),
    )) as [string, string | undefined];
    if (outcome === 'ok') {
      return { ok: true, previous: detail ? (JSON.parse(detail) as StoredCorrection) : null };
    }
    return { ok: false, reason: outcome === 'not_found' ? 'not_found' : (detail as JobStatus) };
  }

  async getParseOutput(parseJobId: string): Promise<ParseOutput | null> {
    const raw = await this.redis.get(this.keys.pages(parseJobId));
    return raw ? (JSON.parse(raw) as ParseOutput) : null;
  }

  async listClassifyJobs(
    projectId: string,
    query: JobListQuery,
  ): Promise<{ jobs: StoredClassifyJob[]; page: IdPage }> {
    const { jobs, page } = await this.list('classify', projectId, query);
    return { jobs: jobs as StoredClassifyJob[], page };
  }

  async listParseJobs(
    projectId: string,
    query: JobListQuery,
  ): Promise<{ jobs: StoredParseJob[]; page: IdPage }> {
    const { jobs, page } = await this.list('parse', projectId, query);
    return { jobs: jobs as StoredParseJob[], page };
  }

  private async list(kind: 'classify' | 'parse', projectId: string, query: JobListQuery) {
    const facets: string[] = [];
    if (query.configurationId) facets.push('cfg', query.configurationId);
    if (query.status) facets.push('status', query.status);
    const fingerprint = JSON.stringify([
      kind,
      projectId,
      query.status,
      query.configurationId,
      query.jobIds,
      query.createdOnOrAfterMs,
      query.createdOnOrBeforeMs,
    ]);
    let page: IdPage;
    if (query.jobIds) {
      // An explicit id list is small (at most 100): read those jobs and filter them here.
      const candidates = await this.getMany([...new Set(query.jobIds)]);
      const members = [...candidates.values()]
        .filter(
          (job) =>
            job.kind === kind &&
            job.projectId === projectId &&
            (!query.status || job.status === query.status) &&
            (!query.configurationId ||
              (job.kind === 'classify' && job.spec.configuration_id === query.configurationId)),
        )
        .map((job) => job.member);
      page = pageFromMembers(members, fingerprint, query);
    } else {
      page = await pageFromIndex(this.redis, this.keys.index(kind, projectId, ...facets), fingerprint, query);
    }
    const found = await this.getMany(page.ids);
    // A job can vanish between the index read and the record read (deleted, expired); skip it.
    const jobs = page.ids.map((id) => found.get(id)).filter((job): job is StoredJob => job !== undefined);
    return { jobs, page };
  }

  /** Deletes jobs whose retention has passed; returns how many went. */
  async sweepExpired(limit = 200): Promise<number> {
    const due = await this.redis.zrangebyscore(this.keys.expiry(), '-inf', Date.now(), 'LIMIT', 0, limit);
    let removed = 0;
    for (const id of due) {
      if ((await this.scripts.deleteJob(id, '', '')) === 'deleted') removed++;
    }
    return removed;
  }
}
