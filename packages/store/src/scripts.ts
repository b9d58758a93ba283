import type { Redis } from 'ioredis';

/**
 * Lua scripts: each runs atomically in Redis, so that status changes, idempotency and
 * index upkeep can never interleave with another writer. Scripts know no status rules:
 * the caller passes what the shared transition table allows.
 */

// Shared helpers prepended to every script. P is `<prefix>:s`.
const PRELUDE = `
local P = ARGV[1]
local function jobKey(id) return P .. ':job:' .. id end
local function idxBase(kind, project) return P .. ':idx:' .. kind .. ':' .. project end
local function indexKeys(kind, project, cfg, status)
  local base = idxBase(kind, project)
  local keys = {base, base .. ':status:' .. status}
  if cfg and cfg ~= '' then
    table.insert(keys, base .. ':cfg:' .. cfg)
    table.insert(keys, base .. ':cfg:' .. cfg .. ':status:' .. status)
  end
  return keys
end
local function indexAdd(kind, project, cfg, status, member)
  for _, k in ipairs(indexKeys(kind, project, cfg, status)) do redis.call('ZADD', k, 0, member) end
end
local function indexRemove(kind, project, cfg, status, member)
  for _, k in ipairs(indexKeys(kind, project, cfg, status)) do redis.call('ZREM', k, member) end
end
local function csvSet(csv)
  local set = {}
  for item in string.gmatch(csv, '[^,]+') do set[item] = true end
  return set
end
`;

/**
 * Create a classify job, honouring the project's transaction id, and find or create the
 * parse job it reads. Returns {'dup', id} or {'parse_not_found', id} or
 * {'created', id, parseJobId, parseCreated, parseStatus}.
 */
const CREATE_CLASSIFY = `${PRELUDE}
local now, id, project, user = ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local spec, cfg, member, txKey = ARGV[6], ARGV[7], ARGV[8], ARGV[9]
local parseMode, parseId, parseSpec, cacheKey, parseMember = ARGV[10], ARGV[11], ARGV[12], ARGV[13], ARGV[14]
local retentionMs = tonumber(ARGV[15])

if txKey ~= '' then
  local existing = redis.call('GET', txKey)
  if existing then return {'dup', existing} end
end

local parseCreated = 0
if parseMode == 'existing' then
  if redis.call('HGET', jobKey(parseId), 'project_id') ~= project then return {'parse_not_found', parseId} end
else
  local reuse = false
  if cacheKey ~= '' then
    local cached = redis.call('GET', cacheKey)
    if cached then
      local st = redis.call('HGET', jobKey(cached), 'status')
      if st and st ~= 'FAILED' and st ~= 'CANCELLED' then
        parseId = cached
        reuse = true
        -- A reused parse must outlive the job that now reads it.
        redis.call('ZADD', P .. ':expiry', 'XX', 'GT', tonumber(now) + retentionMs, cached)
      end
    end
  end
  if not reuse then
    redis.call('HSET', jobKey(parseId), 'kind', 'parse', 'project_id', project, 'user_id', user,
      'status', 'PENDING', 'created_at', now, 'updated_at', now, 'idx', parseMember, 'spec', parseSpec,
      'cache_key', cacheKey, 'origin', id)
    indexAdd('parse', project, '', 'PENDING', parseMember)
    if cacheKey ~= '' then redis.call('SET', cacheKey, parseId) end
    parseCreated = 1
  end
end

redis.call('HSET', jobKey(id), 'kind', 'classify', 'project_id', project, 'user_id', user,
  'status', 'PENDING', 'created_at', now, 'updated_at', now, 'idx', member, 'spec', spec,
  'cfg', cfg, 'parse_job_id', parseId, 'tx_key', txKey)
indexAdd('classify', project, cfg, 'PENDING', member)
if txKey ~= '' then redis.call('SET', txKey, id) end

local parseStatus = redis.call('HGET', jobKey(parseId), 'status')
if parseStatus == 'PENDING' or parseStatus == 'RUNNING' then
  redis.call('SADD', P .. ':waiters:' .. parseId, id)
end
return {'created', id, parseId, parseCreated, parseStatus}
`;

/**
 * Create a standalone parse job (the parse API). Its cache key is only remembered here: the
 * worker claims the cache when it starts (cdClaimParseCache). Returns {'created', id}.
 */
const CREATE_PARSE = `${PRELUDE}
local now, id, project, user, spec, member, cacheKey = ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7], ARGV[8]
redis.call('HSET', jobKey(id), 'kind', 'parse', 'project_id', project, 'user_id', user,
  'status', 'PENDING', 'created_at', now, 'updated_at', now, 'idx', member, 'spec', spec,
  'cache_key', cacheKey, 'origin', 'api')
indexAdd('parse', project, '', 'PENDING', member)
return {'created', id}
`;

/**
 * Compare-and-set a job's status. ARGV: id, target, allowed-from CSV, now, terminal
 * flag, retention ms, then field/value pairs to write with the status.
 * Returns {'ok', previous, waiters...} | {'same', status} | {'refused', status} | {'not_found'}.
 */
const TRANSITION = `${PRELUDE}
local id, target, allowed, now, terminal, retentionMs = ARGV[2], ARGV[3], csvSet(ARGV[4]), ARGV[5], ARGV[6], tonumber(ARGV[7])
local onlyIfUnwanted = ARGV[8] == '1'
local key = jobKey(id)
local h = redis.call('HMGET', key, 'status', 'kind', 'project_id', 'cfg', 'idx', 'origin')
local current = h[1]
if not current then return {'not_found'} end
if current == target then return {'same', current} end
if not allowed[current] then return {'refused', current} end
if onlyIfUnwanted then
  -- A parse the parse API made is its user's; one made for classify jobs is wanted while
  -- any job waiting on it is live. Checked here, in one step with the write, so that a job
  -- joining the parse cannot slip in between.
  if h[6] == 'api' then return {'wanted', current} end
  for _, w in ipairs(redis.call('SMEMBERS', P .. ':waiters:' .. id)) do
    local st = redis.call('HGET', jobKey(w), 'status')
    if st == 'PENDING' or st == 'RUNNING' then return {'wanted', current} end
  end
end
redis.call('HSET', key, 'status', target, 'updated_at', now)
for i = 9, #ARGV, 2 do redis.call('HSET', key, ARGV[i], ARGV[i + 1]) end
indexRemove(h[2], h[3], h[4], current, h[5])
indexAdd(h[2], h[3], h[4], target, h[5])
local out = {'ok', current}
if terminal == '1' then
  redis.call('ZADD', P .. ':expiry', tonumber(now) + retentionMs, id)
  if h[2] == 'parse' then
    for _, w in ipairs(redis.call('SMEMBERS', P .. ':waiters:' .. id)) do table.insert(out, w) end
  end
end
return out
`;

/**
 * Delete a terminal job and everything hanging off it. ARGV: id, project ('' = any,
 * for the retention sweeper), terminal CSV, kind ('' = any). Returns 'deleted' | 'not_found' | 'not_terminal:<status>'.
 */
const DELETE_JOB = `${PRELUDE}
local id, project, terminal, kind = ARGV[2], ARGV[3], csvSet(ARGV[4]), ARGV[5]
local key = jobKey(id)
local h = redis.call('HMGET', key, 'status', 'kind', 'project_id', 'cfg', 'idx', 'tx_key', 'cache_key')
if not h[1] then
  redis.call('ZREM', P .. ':expiry', id)
  return 'not_found'
end
if project ~= '' and h[3] ~= project then return 'not_found' end
if kind ~= '' and h[2] ~= kind then return 'not_found' end
if not terminal[h[1]] then return 'not_terminal:' .. h[1] end
indexRemove(h[2], h[3], h[4], h[1], h[5])
redis.call('DEL', key, P .. ':pages:' .. id, P .. ':waiters:' .. id)
redis.call('ZREM', P .. ':expiry', id)
if h[6] and h[6] ~= '' and redis.call('GET', h[6]) == id then redis.call('DEL', h[6]) end
if h[7] and h[7] ~= '' and redis.call('GET', h[7]) == id then redis.call('DEL', h[7]) end
return 'deleted'
`;

/**
 * Store a parse job's pages only while it is RUNNING, so a cancel that lands during parsing
 * leaves no output behind. ARGV: id, output JSON. Returns 1 if stored, else 0.
 */
const SAVE_PARSE_OUTPUT = `${PRELUDE}
local id, output = ARGV[2], ARGV[3]
if redis.call('HGET', jobKey(id), 'status') ~= 'RUNNING' then return 0 end
redis.call('SET', P .. ':pages:' .. id, output)
return 1
`;

/**
 * Decide whether a RUNNING parse job must parse, or can use another job's work for the same
 * bytes and options. ARGV: id, cache key (full Redis key). Returns {'copied', from} when a
 * COMPLETED job's pages were copied; {'wait', other} while another job is parsing them;
 * {'parse'} when this job now owns the cache entry and must parse.
 */
const CLAIM_PARSE_CACHE = `${PRELUDE}
local id, cacheKey = ARGV[2], ARGV[3]
if redis.call('HGET', jobKey(id), 'status') ~= 'RUNNING' then return {'gone'} end
local cached = redis.call('GET', cacheKey)
if cached and cached ~= id then
  local st = redis.call('HGET', jobKey(cached), 'status')
  if st == 'COMPLETED' and redis.call('EXISTS', P .. ':pages:' .. cached) == 1 then
    redis.call('COPY', P .. ':pages:' .. cached, P .. ':pages:' .. id, 'REPLACE')
    redis.call('HSET', jobKey(id), 'copied_from', cached)
    return {'copied', cached}
  end
  if st == 'PENDING' or st == 'RUNNING' then return {'wait', cached} end
end
redis.call('SET', cacheKey, id)
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
  cdSaveParseOutput: SAVE_PARSE_OUTPUT,
  cdCreateClassify: CREATE_CLASSIFY,
  cdCreateParse: CREATE_PARSE,
  cdTransition: TRANSITION,
  cdDeleteJob: DELETE_JOB,
  cdSetCorrection: SET_CORRECTION,
} as const;

/** Scripts that declare their keys (the first arguments); the older ones take the prefix in ARGV. */
const DECLARED_KEYS: Partial<Record<keyof typeof SCRIPTS, number>> = { cdSetCorrection: 1 };

type ScriptName = keyof typeof SCRIPTS;
export type ScriptRunner = (name: ScriptName, args: (string | number)[]) => Promise<unknown>;

/** Registers the scripts on a connection (EVALSHA with a fallback to EVAL, via ioredis). */
export function registerScripts(redis: Redis): ScriptRunner {
  for (const [name, lua] of Object.entries(SCRIPTS)) {
    if (!(name in redis))
      redis.defineCommand(name, { numberOfKeys: DECLARED_KEYS[name as ScriptName] ?? 0, lua });
  }
  return (name, args) =>
    (redis as unknown as Record<ScriptName, (...a: (string | number)[]) => Promise<unknown>>)[name](...args);
}
