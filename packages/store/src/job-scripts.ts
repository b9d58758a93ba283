import { AppError, allowedFrom, isTerminal, type JobStatus, TERMINAL_STATUSES } from '@classifyd/shared';
import type { Cluster, Redis } from 'ioredis';
import { invertedTime, type StoreKeys } from './keys.js';
import type { ClassifySpec, JobOwner, ParseSpec } from './records.js';
import {
  jobIndexKeys,
  newJobIndexKeys,
  registerScripts,
  type ScriptRunner,
  statusIndexKeys,
} from './scripts.js';

/** How often a script is re-run when the keys read for it changed in between (rare: a race). */
const RETRIES = 5;

/** How many parse cache entries a process remembers (cache key -> parse job id). */
const CACHE_ENTRIES_KEPT = 10_000;

const busy = () => new AppError('conflict', 'The job is being changed concurrently; retry');

/**
 * Calls the job scripts with every key they touch. Where a key is named by data in Redis
 * (a job's index entries, the parse a cache entry points at, the jobs waiting on a parse),
 * that data is read first and handed to the script with the keys; the script answers
 * 'retry' if it changed meanwhile, and the call is made again with a fresh read.
 */
export class JobScripts {
  private readonly run: ScriptRunner;
  private readonly cacheEntries = new Map<string, string>();

  constructor(
    private readonly redis: Redis | Cluster,
    private readonly keys: StoreKeys,
    private readonly retentionMs: number,
  ) {
    this.run = registerScripts(redis);
  }

  private async untilKeysHold<T>(call: () => Promise<T>, isRetry: (reply: T) => boolean): Promise<T> {
    for (let attempt = 0; attempt < RETRIES; attempt++) {
      const reply = await call();
      if (!isRetry(reply)) return reply;
    }
    throw busy();
  }

  /** Creates a classify job; a created job's reply ends with its index member. */
  async createClassify(input: {
    now: number;
    id: string;
    parseId: string;
    projectId: string;
    userId: string;
    spec: ClassifySpec;
    parse: { mode: 'existing' } | { mode: 'new'; spec: ParseSpec; cacheKey: string | null };
  }): Promise<string[]> {
    const { now, id, parseId, projectId, parse } = input;
    const cfg = input.spec.configuration_id ?? '';
    const txId = input.spec.transaction_id;
    const txKey = txId ? this.keys.transaction(projectId, txId) : '';
    const cacheKey =
      parse.mode === 'new' && parse.cacheKey ? this.keys.parseCache(projectId, parse.cacheKey) : '';
    const jobKey = this.keys.job(id);
    const fileId =
      parse.mode === 'new' && parse.spec.source.type === 'file' ? parse.spec.source.file_id : null;
    // The parse job the cache entry names must be among the script's keys. The first try
    // takes the entry as this process last saw it (none, for bytes it has not seen): right
    // but for a race or another process's write, when the script answers 'retry' and the
    // entry is read.
    let cached: string | null = cacheKey ? (this.cacheEntries.get(cacheKey) ?? '') : '';
    const reply = await this.untilKeysHold(
      async () => {
        if (cached === null) cached = cacheKey ? ((await this.redis.get(cacheKey)) ?? '') : '';
        const seen = cached;
        cached = null;
        return (await this.run(
          'cdCreateClassify',
          [
            jobKey,
            txKey || jobKey,
            this.keys.job(parseId),
            this.keys.waiters(parseId),
            cacheKey || jobKey,
            this.keys.expiry(),
            seen ? this.keys.job(seen) : jobKey,
            seen ? this.keys.waiters(seen) : jobKey,
            ...newJobIndexKeys(this.keys, 'parse', projectId, ''),
            ...newJobIndexKeys(this.keys, 'classify', projectId, cfg),
            fileId ? this.keys.file(fileId) : jobKey,
            this.keys.sequence(),
            this.keys.outbox(),
          ],
          [
            now,
            id,
            projectId,
            input.userId,
            JSON.stringify(input.spec),
            cfg,
            invertedTime(now),
            txKey ? '1' : '0',
            parse.mode,
            parseId,
            parse.mode === 'new' ? JSON.stringify(parse.spec) : '',
            cacheKey,
            this.retentionMs,
            seen,
            fileId ? '1' : '0',
          ],
        )) as string[];
      },
      (reply) => reply[0] === 'retry',
    );
    if (reply[0] === 'created' && cacheKey) this.rememberCacheEntry(cacheKey, reply[2] as string);
    return reply;
  }

  /** Bounded: the oldest entries go first; a forgotten or stale one costs one more read. */
  private rememberCacheEntry(cacheKey: string, parseJobId: string): void {
    this.cacheEntries.delete(cacheKey);
    this.cacheEntries.set(cacheKey, parseJobId);
    if (this.cacheEntries.size > CACHE_ENTRIES_KEPT) {
      const oldest = this.cacheEntries.keys().next().value;
      if (oldest !== undefined) this.cacheEntries.delete(oldest);
    }
  }

  /** Creates a standalone parse job; answers its index member and the cache entry key it keeps. */
  async createParse(input: {
    now: number;
    id: string;
    projectId: string;
    userId: string;
    spec: ParseSpec;
    cacheKey: string | null;
  }): Promise<{ member: string; cacheKey: string }> {
    const { now, id, projectId } = input;
    const spec = JSON.stringify(input.spec);
    const cacheKey = input.cacheKey ? this.keys.parseCache(projectId, input.cacheKey) : '';
    const [, , member = ''] = (await this.run(
      'cdCreateParse',
      [
        this.keys.job(id),
        ...newJobIndexKeys(this.keys, 'parse', projectId, ''),
        this.keys.sequence(),
        this.keys.outbox(),
      ],
      [now, id, projectId, input.userId, spec, invertedTime(now), cacheKey],
    )) as string[];
    return { member, cacheKey };
  }

  /**
   * The raw reply of cdTransition: {'ok', previous, waiters...} or {reason, status}. `owner`:
   * the job's kind, project and configuration when the caller holds the job already, which
   * saves reading them; the script checks them, and a 'retry' reads them afresh.
   */
  async transition(
    id: string,
    to: JobStatus,
    pairs: string[],
    onlyIfUnwanted: boolean,
    owner?: JobOwner,
    output = '',
  ): Promise<string[]> {
    const key = this.keys.job(id);
    const indexed = [to, ...allowedFrom(to)];
    let given = owner;
    return this.untilKeysHold(
      async () => {
        // The job's kind, project and configuration name its index keys; they never change.
        const [kind, projectId, cfg] = given
          ? [given.kind, given.projectId, given.cfg]
          : await this.redis.hmget(key, 'kind', 'project_id', 'cfg');
        given = undefined;
        if (kind !== 'classify' && kind !== 'parse') return ['not_found'];
        const waiters = onlyIfUnwanted ? await this.redis.smembers(this.keys.waiters(id)) : [];
        return (await this.run(
          'cdTransition',
          [
            key,
            this.keys.expiry(),
            this.keys.waiters(id),
            ...statusIndexKeys(this.keys, kind, projectId ?? '', cfg ?? '', indexed),
            ...waiters.map((waiter) => this.keys.job(waiter)),
            this.keys.pages(id),
            this.keys.outbox(),
          ],
          [
            id,
            to,
            indexed.join(','),
            Date.now(),
            isTerminal(to) ? '1' : '0',
            this.retentionMs,
            onlyIfUnwanted ? '1' : '0',
            kind,
            projectId ?? '',
            cfg ?? '',
            waiters.length,
            this.keys.cancelled(),
            output,
            ...pairs,
          ],
        )) as string[];
      },
      (reply) => reply[0] === 'retry',
    );
  }

  /** 'waiting' (now among the parse's waiters) or 'ready' (the parse has ended or is gone). */
  async joinParseWaiters(waiterId: string, parseJobId: string): Promise<'waiting' | 'ready'> {
    return (await this.run(
      'cdJoinParseWaiters',
      [this.keys.job(parseJobId), this.keys.waiters(parseJobId)],
      [waiterId],
    )) as 'waiting' | 'ready';
  }

  /** 'deleted' | 'not_found' | 'not_terminal:<status>'; project and kind '' mean any. */
  async deleteJob(id: string, projectId: string, kind: '' | 'classify' | 'parse'): Promise<string> {
    const key = this.keys.job(id);
    return this.untilKeysHold(
      async () => {
        const [kindRead, projectRead, cfg, txKey, cacheKey] = await this.redis.hmget(
          key,
          'kind',
          'project_id',
          'cfg',
          'tx_key',
          'cache_key',
        );
        const jobKind = kindRead === 'classify' ? 'classify' : 'parse';
        return (await this.run(
          'cdDeleteJob',
          [
            key,
            this.keys.expiry(),
            this.keys.pages(id),
            this.keys.waiters(id),
            txKey || key,
            cacheKey || key,
            ...jobIndexKeys(this.keys, jobKind, projectRead ?? '', cfg ?? ''),
          ],
          [
            id,
            projectId,
            TERMINAL_STATUSES.join(','),
            kind,
            kindRead ?? '',
            projectRead ?? '',
            cfg ?? '',
            txKey ?? '',
            cacheKey ?? '',
          ],
        )) as string;
      },
      (reply) => reply === 'retry',
    );
  }

  /** The raw reply of cdClaimParseCache for a job whose cache entry is `cacheKey` (a full key). */
  /** `guess`: what the cache entry likely names; right, it saves reading the entry first. */
  async claimParseCache(id: string, cacheKey: string, guess?: string): Promise<string[]> {
    let known = guess;
    return this.untilKeysHold(
      async () => {
        const cached = known ?? (await this.redis.get(cacheKey)) ?? '';
        known = undefined;
        return (await this.run(
          'cdClaimParseCache',
          [
            this.keys.job(id),
            this.keys.pages(id),
            cacheKey,
            this.keys.job(cached || id),
            this.keys.pages(cached || id),
          ],
          [id, cached],
        )) as string[];
      },
      (reply) => reply[0] === 'retry',
    );
  }

  async setCorrection(jobId: string, projectId: string, correctionJson: string): Promise<unknown> {
    return this.run('cdSetCorrection', [this.keys.job(jobId)], [projectId, correctionJson]);
  }
}
