import { JOB_STATUSES } from '@classifyd/shared';
import type { Cluster, Redis } from 'ioredis';
import { MAX_SEQ, type StoreKeys } from './keys.js';

/**
 * Lua scripts: each runs atomically in Redis, so that status changes, idempotency and
 * index upkeep can never interleave with another writer. Scripts know no status rules:
 * the caller passes what the shared transition table allows.
 */

/*
 * Every key a script touches arrives through KEYS, none is built inside Lua: Redis Cluster
 * routes a script by its declared keys and refuses keys it was not told of, and all keys of
 * a deployment share the prefix's hash tag, so that they may go in one script. Keys named
 * by data (a job's index entries, the parse a cache entry points at, a waiting job) are
 * read by the caller first; the script checks that what it was given still holds and
 * answers {'retry'} when it does not, so that nothing is written on a stale guess.
 *
 * A job's index keys come as one block (see jobIndexKeys): the base index, one per status
 * in STATUS order, then for a job with a configuration the configuration's base index and
 * one per status again. Creating and status changes are told only the keys they may touch
 * (newJobIndexKeys, statusIndexKeys): fewer keys, fewer bytes per call.
 */
const STATUS_LUA = `{${JOB_STATUSES.map((status, i) => `${status}=${i + 1}`).join(', ')}}`;
const PRELUDE = `
local STATUS = ${STATUS_LUA}
local NSTATUS = ${JOB_STATUSES.length}
local function indexKeys(at, hasCfg, status)
  local keys = {KEYS[at], KEYS[at + STATUS[status]]}
  if hasCfg then
    table.insert(keys, KEYS[at + NSTATUS + 1])
    table.insert(keys, KEYS[at + NSTATUS + 1 + STATUS[status]])
  end
  return keys
end
local function indexRemove(at, hasCfg, status, member)
  for _, k in ipairs(indexKeys(at, hasCfg, status)) do redis.call('ZREM', k, member) end
end
-- A new job's index keys (see newJobIndexKeys): the base index and PENDING's, then the
-- configuration's two.
local function indexNew(at, hasCfg, member)
  redis.call('ZADD', KEYS[at], 0, member)
  redis.call('ZADD', KEYS[at + 1], 0, member)
  if hasCfg then
    redis.call('ZADD', KEYS[at + 2], 0, member)
    redis.call('ZADD', KEYS[at + 3], 0, member)
  end
end
-- An index member: inverted creation time (given), then the inverted sequence number, so
-- that ascending lex order is newest first even within one millisecond.
local function member(timePart, seq, id)
  return timePart .. string.format('%09d', ${MAX_SEQ} - (seq % ${MAX_SEQ})) .. ':' .. id
end
local function csvSet(csv)
  local set = {}
  for item in string.gmatch(csv, '[^,]+') do set[item] = true end
  return set
end
`;

/**
 * Create a classify job, honouring the project's transaction id, and find or create the
 * parse job it reads. KEYS: job, transaction (or the job again), parse job, waiters of the
 * parse job, cache entry (or the job again), expiry, the parse job the cache entry named
 * when read (or the job again), its waiters (or the job again), the new parse job's two
 * index keys, then the classify job's (two, or four with a configuration), then the file
 * read (or the job again), then the sequence, then the outbox. ARGV: now, id, project,
 * user, spec, cfg, inverted time, has transaction, parse mode, parse id, parse spec, cache
 * key, retention ms, the cached parse id read ('' = none), '1' when the file must still exist.
 * Returns {'dup', id} | {'parse_not_found', id} | {'file_not_found'} | {'retry'} |
 * {'created', id, parseJobId, parseCreated, parseStatus, member}.
 */
const CREATE_CLASSIFY = `${PRELUDE}
local now, id, project, user, spec, cfg, timePart = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7]
local hasTx, parseMode, parseId, parseSpec, cacheKey = ARGV[8] == '1', ARGV[9], ARGV[10], ARGV[11], ARGV[12]
local retentionMs, cachedRead, fileMustExist = tonumber(ARGV[13]), ARGV[14], ARGV[15] == '1'
local seqKey = KEYS[#KEYS - 1]
local jobKey, txKey, parseKey, waitersKey, cacheEntry, expiryKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local cachedKey, cachedWaitersKey = KEYS[7], KEYS[8]
local parseIndexAt, classifyIndexAt = 9, 11

if hasTx then
  local existing = redis.call('GET', txKey)
  if existing then return {'dup', existing} end
end
-- The caller may have known the file from memory: deleted since, it is gone for this job too.
if fileMustExist and redis.call('EXISTS', KEYS[#KEYS - 2]) == 0 then return {'file_not_found'} end

local parseCreated = 0
local seq = redis.call('INCRBY', seqKey, 2)
if parseMode == 'existing' then
  if redis.call('HGET', parseKey, 'project_id') ~= project then return {'parse_not_found', parseId} end
else
  local reuse = false
  if cacheKey ~= '' then
    local cached = redis.call('GET', cacheEntry)
    if (cached or '') ~= cachedRead then return {'retry'} end
    if cached then
      local st = redis.call('HGET', cachedKey, 'status')
      if st and st ~= 'FAILED' and st ~= 'CANCELLED' then
        parseId, parseKey, waitersKey = cached, cachedKey, cachedWaitersKey
        reuse = true
        -- A reused parse must outlive the job that now reads it.
        redis.call('ZADD', expiryKey, 'XX', 'GT', tonumber(now) + retentionMs, cached)
      end
    end
  end
  if not reuse then
    redis.call('HSET', parseKey, 'kind', 'parse', 'project_id', project, 'user_id', user,
      'status', 'PENDING', 'created_at', now, 'updated_at', now, 'idx', member(timePart, seq - 1, parseId),
      'spec', parseSpec, 'cache_key', cacheKey, 'origin', id)
    indexNew(parseIndexAt, false, member(timePart, seq - 1, parseId))
    if cacheKey ~= '' then redis.call('SET', cacheEntry, parseId) end
    parseCreated = 1
  end
end

local jobMember = member(timePart, seq, id)
redis.call('HSET', jobKey, 'kind', 'classify', 'project_id', project, 'user_id', user,
  'status', 'PENDING', 'created_at', now, 'updated_at', now, 'idx', jobMember, 'spec', spec,
  'cfg', cfg, 'parse_job_id', parseId, 'tx_key', hasTx and txKey or '')
indexNew(classifyIndexAt, cfg ~= '', jobMember)
if hasTx then redis.call('SET', txKey, id) end

local parseStatus = parseCreated == 1 and 'PENDING' or redis.call('HGET', parseKey, 'status')
if parseStatus == 'PENDING' or parseStatus == 'RUNNING' then
  redis.call('SADD', waitersKey, id)
end
-- In the outbox (the last key) until its first stage moves it on from PENDING.
redis.call('ZADD', KEYS[#KEYS], now, id)
return {'created', id, parseId, parseCreated, parseStatus, jobMember}
`;

/**
 * Create a standalone parse job (the parse API). Its cache key is only remembered here: the
 * worker claims the cache when it starts (cdClaimParseCache). KEYS: job, then its two
 * index keys, then the sequence, then the outbox. ARGV: now, id, project, user, spec, inverted
 * time, cache key. Returns {'created', id, member}.
 */
const CREATE_PARSE = `${PRELUDE}
local now, id, project, user, spec, timePart, cacheKey = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7]
local jobMember = member(timePart, redis.call('INCR', KEYS[#KEYS - 1]), id)
redis.call('HSET', KEYS[1], 'kind', 'parse', 'project_id', project, 'user_id', user,
  'status', 'PENDING', 'created_at', now, 'updated_at', now, 'idx', jobMember, 'spec', spec,
  'cache_key', cacheKey, 'origin', 'api')
indexNew(2, false, jobMember)
redis.call('ZADD', KEYS[#KEYS], now, id)
return {'created', id, jobMember}
`;

/**
 * Compare-and-set a job's status. KEYS: job, expiry, waiters, the job's per-status index
 * keys of the statuses in ARGV[3] (then the configuration's, if it has one), then the keys
 * of the jobs that waited on it when read, then its pages, then the outbox. ARGV: id,
 * target, CSV of the target then the statuses it may be reached from, now,
 * terminal flag, retention ms, only-if-unwanted flag, the kind, project and configuration
 * read (the index block is theirs), how many waiter keys follow the block, the cancellation
 * channel, the parse output to store with the write ('' = none), then field/value pairs
 * to write with the status. A parse's pages are stored in the same step as its COMPLETED,
 * so a cancel that lands during parsing leaves no output behind. A job that becomes CANCELLED
 * is published on the channel in the same step as the write, so the worker running it
 * hears of it without reading its status, and no write goes unannounced.
 * Returns {'ok', previous, waiters...} | {'same', status} | {'refused', status} |
 * {'wanted', status} | {'not_found'} | {'retry'}.
 */
const TRANSITION = `${PRELUDE}
local id, target, now, terminal, retentionMs = ARGV[1], ARGV[2], ARGV[4], ARGV[5], tonumber(ARGV[6])
-- Where each status's index key is: the target first, then each status allowed before it.
local at, allowed, n = {}, {}, 0
for status in string.gmatch(ARGV[3], '[^,]+') do
  n = n + 1
  at[status] = 3 + n
  if n > 1 then allowed[status] = true end
end
local onlyIfUnwanted = ARGV[7] == '1'
local kindRead, projectRead, cfgRead, waiterCount = ARGV[8], ARGV[9], ARGV[10], tonumber(ARGV[11])
local cancelledChannel, output = ARGV[12], ARGV[13]
local key, expiryKey, waitersKey = KEYS[1], KEYS[2], KEYS[3]
local hasCfg = cfgRead ~= ''
local waiterKeysAt = 4 + (hasCfg and 2 * n or n)
local h = redis.call('HMGET', key, 'status', 'kind', 'project_id', 'cfg', 'idx', 'origin')
local current = h[1]
if not current then return {'not_found'} end
if h[2] ~= kindRead or h[3] ~= projectRead or (h[4] or '') ~= cfgRead then return {'retry'} end
if current == target then return {'same', current} end
if not allowed[current] then return {'refused', current} end
if onlyIfUnwanted then
  -- A parse the parse API made is its user's; one made for classify jobs is wanted while
  -- any job waiting on it is live. Checked here, in one step with the write, so that a job
  -- joining the parse cannot slip in between.
  if h[6] == 'api' then return {'wanted', current} end
  local waiters = redis.call('SMEMBERS', waitersKey)
  if #waiters ~= waiterCount then return {'retry'} end
  for i = 1, waiterCount do
    local st = redis.call('HGET', KEYS[waiterKeysAt + i - 1], 'status')
    if st == 'PENDING' or st == 'RUNNING' then return {'wanted', current} end
  end
end
redis.call('HSET', key, 'status', target, 'updated_at', now, unpack(ARGV, 14))
if output ~= '' then redis.call('SET', KEYS[#KEYS - 1], output) end
-- A status change moves the member between per-status indexes only: the base indexes
-- (all statuses) hold it from creation to deletion.
redis.call('ZREM', KEYS[at[current]], h[5])
redis.call('ZADD', KEYS[at[target]], 0, h[5])
if hasCfg then
  redis.call('ZREM', KEYS[at[current] + n], h[5])
  redis.call('ZADD', KEYS[at[target] + n], 0, h[5])
end
-- Past PENDING, its stage has certainly been enqueued: out of the outbox (the last key),
-- which holds the classify jobs and the parse API's parse jobs (not those made for a classify job).
if current == 'PENDING' and (h[2] == 'classify' or h[6] == 'api') then redis.call('ZREM', KEYS[#KEYS], id) end
local out = {'ok', current}
if target == 'CANCELLED' then redis.call('PUBLISH', cancelledChannel, id) end
if terminal == '1' then
  redis.call('ZADD', expiryKey, tonumber(now) + retentionMs, id)
  if h[2] == 'parse' then
    for _, w in ipairs(redis.call('SMEMBERS', waitersKey)) do table.insert(out, w) end
  end
end
return out
`;

/**
 * A classify job or an example whose parse is still running joins what waits on it, so
 * that the parse's end sends it on (as the classify jobs that joined at create); checked in
 * one step with the parse's status, so that a parse ending meanwhile cannot leave it
 * waiting forever. KEYS: the parse job, its waiters. ARGV: the waiting job's or example's id.
 * Returns 'waiting' | 'ready' (the parse has ended, or is gone: read it now).
 */
const JOIN_PARSE_WAITERS = `
local st = redis.call('HGET', KEYS[1], 'status')
if st == 'PENDING' or st == 'RUNNING' then
  redis.call('SADD', KEYS[2], ARGV[1])
  return 'waiting'
end
return 'ready'
`;

/**
 * Delete a terminal job and everything hanging off it. KEYS: job, expiry, pages, waiters,
 * transaction (or the job again), cache entry (or the job again), the job's index block.
 * ARGV: id, project ('' = any, for the retention sweeper), terminal CSV, kind ('' = any),
 * then the kind, project, configuration, transaction key and cache key read.
 * Returns 'deleted' | 'not_found' | 'not_terminal:<status>' | 'retry'.
 */
const DELETE_JOB = `${PRELUDE}
local id, project, terminal, kind = ARGV[1], ARGV[2], csvSet(ARGV[3]), ARGV[4]
local kindRead, projectRead, cfgRead, txRead, cacheRead = ARGV[5], ARGV[6], ARGV[7], ARGV[8], ARGV[9]
local key, expiryKey, pagesKey, waitersKey, txKey, cacheEntry = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local h = redis.call('HMGET', key, 'status', 'kind', 'project_id', 'cfg', 'idx', 'tx_key', 'cache_key')
if not h[1] then
  redis.call('ZREM', expiryKey, id)
  return 'not_found'
end
if h[2] ~= kindRead or h[3] ~= projectRead or (h[4] or '') ~= cfgRead
  or (h[6] or '') ~= txRead or (h[7] or '') ~= cacheRead then return 'retry' end
if project ~= '' and h[3] ~= project then return 'not_found' end
if kind ~= '' and h[2] ~= kind then return 'not_found' end
if not terminal[h[1]] then return 'not_terminal:' .. h[1] end
indexRemove(7, cfgRead ~= '', h[1], h[5])
redis.call('DEL', key, pagesKey, waitersKey)
redis.call('ZREM', expiryKey, id)
if txRead ~= '' and redis.call('GET', txKey) == id then redis.call('DEL', txKey) end
if cacheRead ~= '' and redis.call('GET', cacheEntry) == id then redis.call('DEL', cacheEntry) end
return 'deleted'
`;

/**
 * Decide whether a RUNNING parse job must parse, or can use another job's work for the same
 * bytes and options. KEYS: job, its pages, cache entry, the job the entry named when read
 * and its pages (both the job's own again when it named none). ARGV: id, the id read ('' =
 * none). Returns {'copied', from} when a COMPLETED job's pages were copied; {'wait', other}
 * while another job is parsing them; {'parse'} when this job now owns the cache entry and
 * must parse; {'gone'}; {'retry'} when the entry changed since it was read.
 */
const CLAIM_PARSE_CACHE = `
local id, cachedRead = ARGV[1], ARGV[2]
local key, pagesKey, cacheEntry, cachedKey, cachedPagesKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
if redis.call('HGET', key, 'status') ~= 'RUNNING' then return {'gone'} end
local cached = redis.call('GET', cacheEntry)
if (cached or '') ~= cachedRead then return {'retry'} end
if cached and cached ~= id then
  local st = redis.call('HGET', cachedKey, 'status')
  if st == 'COMPLETED' and redis.call('EXISTS', cachedPagesKey) == 1 then
    redis.call('COPY', cachedPagesKey, pagesKey, 'REPLACE')
    redis.call('HSET', key, 'copied_from', cached)
    return {'copied', cached}
  end
  if st == 'PENDING' or st == 'RUNNING' then return {'wait', cached} end
end
redis.call('SET', cacheEntry, id)
return {'parse'}
`;

/**
 * Record a correction on a COMPLETED classify job, handing back the one it replaces, so
 * that of two corrections racing each sees the other and no replaced example is kept.
 * KEYS: the job. ARGV: project, correction JSON.
 * Returns {'ok', previous JSON or ''} | {'not_found'} | {'not_completed', status}.
 */
const SET_CORRECTION = `
local h = redis.call('HMGET', KEYS[1], 'kind', 'project_id', 'status', 'correction')
if h[1] ~= 'classify' or h[2] ~= ARGV[1] then return {'not_found'} end
if h[3] ~= 'COMPLETED' then return {'not_completed', h[3]} end
redis.call('HSET', KEYS[1], 'correction', ARGV[2])
return {'ok', h[4] or ''}
`;

const SCRIPTS = {
  cdClaimParseCache: CLAIM_PARSE_CACHE,
  cdCreateClassify: CREATE_CLASSIFY,
  cdCreateParse: CREATE_PARSE,
  cdTransition: TRANSITION,
  cdJoinParseWaiters: JOIN_PARSE_WAITERS,
  cdDeleteJob: DELETE_JOB,
  cdSetCorrection: SET_CORRECTION,
} as const;

type ScriptName = keyof typeof SCRIPTS;
export type ScriptRunner = (name: ScriptName, keys: string[], args: (string | number)[]) => Promise<unknown>;

/**
 * Registers the scripts on a connection (EVALSHA with a fallback to EVAL, via ioredis). The
 * key count varies per call (index blocks, waiters), so it is passed with each call.
 */
export function registerScripts(redis: Redis | Cluster): ScriptRunner {
  for (const [name, lua] of Object.entries(SCRIPTS)) {
    if (!(name in redis)) redis.defineCommand(name, { lua });
  }
  return (name, keys, args) =>
    (redis as unknown as Record<ScriptName, (...a: (string | number)[]) => Promise<unknown>>)[name](
      keys.length,
      ...keys,
      ...args,
    );
}

/** A new job's index keys: the base index and PENDING's, then the configuration's two. */
export function newJobIndexKeys(
  keys: StoreKeys,
  kind: 'classify' | 'parse',
  projectId: string,
  cfg: string,
): string[] {
  const pair = (...facets: string[]) => [
    keys.index(kind, projectId, ...facets),
    keys.index(kind, projectId, ...facets, 'status', 'PENDING'),
  ];
  return cfg === '' ? pair() : [...pair(), ...pair('cfg', cfg)];
}

/** The per-status index keys of `statuses`, in their order, then the configuration's. */
export function statusIndexKeys(
  keys: StoreKeys,
  kind: 'classify' | 'parse',
  projectId: string,
  cfg: string,
  statuses: readonly string[],
): string[] {
  const of = (...facets: string[]) =>
    statuses.map((status) => keys.index(kind, projectId, ...facets, 'status', status));
  return cfg === '' ? of() : [...of(), ...of('cfg', cfg)];
}

/** A job's index block, in the order the scripts' PRELUDE reads it. */
export function jobIndexKeys(
  keys: StoreKeys,
  kind: 'classify' | 'parse',
  projectId: string,
  cfg: string,
): string[] {
  const block = (...facets: string[]) => [
    keys.index(kind, projectId, ...facets),
    ...JOB_STATUSES.map((status) => keys.index(kind, projectId, ...facets, 'status', status)),
  ];
  return cfg === '' ? block() : [...block(), ...block('cfg', cfg)];
}
