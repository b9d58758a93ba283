/**
 * Every store key lives under `<QUEUE_PREFIX>:s:`, beside BullMQ's `<QUEUE_PREFIX>:<queue>:`
 * keys, so that one prefix isolates a whole deployment or test run in a shared Redis. On
 * Redis Cluster the prefix carries a hash tag (`{classifyd}`, added by readRedisSettings), so
 * every key of a deployment hashes to one slot and the store's scripts and transactions,
 * which touch several keys at once, run on one node.
 */
export type IndexKind = 'classify' | 'parse' | 'file' | 'cfg' | 'exm';

export function storeKeys(queuePrefix: string) {
  const p = `${queuePrefix}:s`;
  return {
    prefix: p,
    job: (id: string) => `${p}:job:${id}`,
    pages: (parseJobId: string) => `${p}:pages:${parseJobId}`,
    waiters: (parseJobId: string) => `${p}:waiters:${parseJobId}`,
    /** A pub/sub channel, not a key: the id of every job that becomes CANCELLED is published on it. */
    cancelled: () => `${p}:cancelled`,
    transaction: (projectId: string, transactionId: string) => `${p}:tx:${projectId}:${transactionId}`,
    parseCache: (projectId: string, cacheKey: string) => `${p}:pcache:${projectId}:${cacheKey}`,
    expiry: () => `${p}:expiry`,
    /**
     * Jobs stored whose first stage may not be on its queue yet (score: when stored): the
     * create script adds them, the write that moves them on from PENDING takes them out, and
     * a reconciler enqueues those still here after a while (the API died in between).
     */
    outbox: () => `${p}:outbox`,
    sequence: () => `${p}:seq`,
    file: (id: string) => `${p}:file:${id}`,
    configuration: (id: string) => `${p}:cfg:${id}`,
    webhookConfig: (id: string) => `${p}:whc:${id}`,
    /** A project's saved webhook configurations (score: when made). */
    webhookConfigs: (projectId: string) => `${p}:whcs:${projectId}`,
    example: (id: string) => `${p}:exm:${id}`,
    /** An example's kept text: no TTL, so that it outlives its file and its parse job. */
    exampleText: (id: string) => `${p}:exmtext:${id}`,
    /** Bumped whenever the set of a configuration's READY examples changes. */
    exampleVersion: (configurationId: string) => `${p}:exmver:${configurationId}`,
    configurationName: (projectId: string, productType: string, nameHash: string) =>
      `${p}:cfgname:${projectId}:${productType}:${nameHash}`,
    /** A lexicographic index: members sort newest first, scores are all 0. */
    index: (kind: IndexKind, projectId: string, ...facets: string[]) =>
      [`${p}:idx:${kind}:${projectId}`, ...facets].join(':'),
  };
}
export type StoreKeys = ReturnType<typeof storeKeys>;

export const MAX_MS = 9_999_999_999_999;

export const MAX_SEQ = 999_999_999;

/**
 * `<inverted creation time><inverted sequence>:<id>`: ascending lex order is newest
 * first, and the per-deployment sequence orders jobs created in the same millisecond.
 */
export function indexMember(createdAtMs: number, sequence: number, id: string): string {
  return `${invertedTime(createdAtMs)}${String(MAX_SEQ - (sequence % MAX_SEQ)).padStart(9, '0')}:${id}`;
}

export function invertedTime(ms: number): string {
  return String(MAX_MS - ms).padStart(13, '0');
}

export function idFromMember(member: string): string {
  return member.slice(member.indexOf(':') + 1);
}
