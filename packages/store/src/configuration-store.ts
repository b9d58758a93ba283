import { createHash } from 'node:crypto';
import {
  AppError,
  type Configuration,
  type ConfigurationParameters,
  newId,
  SUPPORTED_PRODUCT_TYPES,
} from '@classifyd/shared';
import type { Cluster, Redis } from 'ioredis';
import { indexMember, type StoreKeys, storeKeys } from './keys.js';
import { type IdPage, type PageRequest, pageFromIndex } from './list-index.js';

export interface ConfigurationListQuery extends PageRequest {
  productTypes?: string[] | undefined;
  name?: string | undefined;
}

const digest = (value: string) => createHash('sha1').update(value).digest('hex');

// Both scripts take every key through KEYS (Redis Cluster routes a script by them and
// refuses others); the configuration a name key points at is read first and checked here.

// Create-or-update by (project, product type, name) in one step, so two concurrent
// creates with one name end as one configuration. KEYS: name key, new configuration,
// the configuration the name key named when read (or the new one again), index (all),
// index (type). ARGV: id, record, member, project, the id read ('' = none).
const UPSERT = `
local id, record, member, project, existingRead = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local nameKey, key, existingKey, idxAll, idxType = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local existing = redis.call('GET', nameKey)
if (existing or '') ~= existingRead then return {'retry'} end
if existing then
  local current = redis.call('HGET', existingKey, 'record')
  if current then return {'exists', existing, current} end
end
redis.call('SET', nameKey, id)
redis.call('HSET', key, 'project_id', project, 'record', record, 'idx', member, 'name_key', nameKey)
redis.call('ZADD', idxAll, 0, member)
redis.call('ZADD', idxType, 0, member)
return {'created', id, record}
`;

// Swap a configuration record if it is still the one read, keeping the name key and the
// product-type index in step. KEYS: configuration, old name key (or the configuration
// again when it had none), new name key, old type index, new type index. ARGV: expected
// record, new record, id, index member, whether there was an old name key.
const UPDATE = `
local expected, record, id, member, hadName = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5] == '1'
local key, oldName, newName, oldIdx, newIdx = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local current = redis.call('HGET', key, 'record')
if not current then return {'gone'} end
if current ~= expected then return {'changed'} end
if not hadName or newName ~= oldName then
  local holder = redis.call('GET', newName)
  if holder and holder ~= id then return {'name_taken'} end
  if hadName and redis.call('GET', oldName) == id then redis.call('DEL', oldName) end
  redis.call('SET', newName, id)
end
redis.call('ZREM', oldIdx, member)
redis.call('ZADD', newIdx, 0, member)
redis.call('HSET', key, 'record', record, 'name_key', newName)
return {'ok'}
`;

export class ConfigurationStore {
  private readonly keys: StoreKeys;

  constructor(
    private readonly redis: Redis | Cluster,
    queuePrefix: string,
  ) {
    this.keys = storeKeys(queuePrefix);
    for (const [name, lua] of Object.entries({
      cdUpsertConfiguration: UPSERT,
      cdUpdateConfiguration: UPDATE,
    })) {
      if (!(name in redis)) redis.defineCommand(name, { numberOfKeys: 5, lua });
    }
  }

  private script(
    name: 'cdUpsertConfiguration' | 'cdUpdateConfiguration',
  ): (...args: string[]) => Promise<string[]> {
    const redis = this.redis as unknown as Record<string, (...args: string[]) => Promise<string[]>>;
    return (...args) => (redis[name] as (...a: string[]) => Promise<string[]>).apply(this.redis, args);
  }

  private nameKey(projectId: string, productType: string, name: string): string {
    return this.keys.configurationName(projectId, productType, digest(name));
  }

  /** Creates, or updates the configuration of the same product type and name (upsert). */
  async upsert(projectId: string, name: string, parameters: ConfigurationParameters): Promise<Configuration> {
    const now = new Date();
    const id = newId('configuration');
    const record: Configuration = {
      id,
      name,
      product_type: parameters.product_type,
      version: now.toISOString(),
      parameters,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    };
    const nameKey = this.nameKey(projectId, parameters.product_type, name);
    const member = indexMember(now.getTime(), await this.redis.incr(this.keys.sequence()), id);
    let reply: string[] = ['retry'];
    for (let attempt = 0; attempt < 5 && reply[0] === 'retry'; attempt++) {
      const existingRead = (await this.redis.get(nameKey)) ?? '';
      reply = await this.script('cdUpsertConfiguration')(
        nameKey,
        this.keys.configuration(id),
        this.keys.configuration(existingRead || id),
        this.keys.index('cfg', projectId),
        this.keys.index('cfg', projectId, 'type', parameters.product_type),
        id,
        JSON.stringify(record),
        member,
        projectId,
        existingRead,
      );
    }
    const [outcome, existingId] = reply;
    if (outcome === 'retry') {
      throw new AppError('conflict', `A configuration named "${name}" is being changed concurrently; retry`);
    }
    if (outcome === 'created') return record;
    return this.update(projectId, existingId as string, { parameters });
  }

  async get(projectId: string, id: string): Promise<Configuration | null> {
    const h = await this.redis.hgetall(this.keys.configuration(id));
    if (!h.record || h.project_id !== projectId) return null;
    return JSON.parse(h.record) as Configuration;
  }

  async update(
    projectId: string,
    id: string,
    patch: { name?: string | null | undefined; parameters?: ConfigurationParameters | null | undefined },
  ): Promise<Configuration> {
    const key = this.keys.configuration(id);
    // Optimistic: compute the new record, then swap it in only if nobody changed it meanwhile.
    for (let attempt = 0; attempt < 5; attempt++) {
      const h = await this.redis.hgetall(key);
      if (!h.record || h.project_id !== projectId) throw AppError.notFound(`Configuration ${id}`);
      const current = JSON.parse(h.record) as Configuration;
      const parameters = patch.parameters ?? current.parameters;
      const name = patch.name ?? current.name;
      const now = new Date().toISOString();
      const next: Configuration = {
        ...current,
        name,
        parameters,
        product_type: parameters.product_type,
        version: now,
        updated_at: now,
      };
      const [outcome] = await this.script('cdUpdateConfiguration')(
        key,
        h.name_key || key,
        this.nameKey(projectId, next.product_type, name),
        this.keys.index('cfg', projectId, 'type', current.product_type),
        this.keys.index('cfg', projectId, 'type', next.product_type),
        h.record,
        JSON.stringify(next),
        id,
        h.idx ?? '',
        h.name_key ? '1' : '0',
      );
      if (outcome === 'ok') return next;
      if (outcome === 'name_taken') {
        throw new AppError('conflict', `A ${next.product_type} configuration named "${name}" already exists`);
      }
      if (outcome === 'gone') throw AppError.notFound(`Configuration ${id}`);
    }
    throw new AppError('conflict', `Configuration ${id} is being changed concurrently; retry`);
  }

  async delete(projectId: string, id: string): Promise<boolean> {
    const key = this.keys.configuration(id);
    const h = await this.redis.hgetall(key);
    if (!h.record || h.project_id !== projectId) return false;
    const record = JSON.parse(h.record) as Configuration;
    const tx = this.redis.multi();
    tx.del(key);
    if (h.name_key && (await this.redis.get(h.name_key)) === id) tx.del(h.name_key);
    tx.zrem(this.keys.index('cfg', projectId), h.idx ?? '');
    tx.zrem(this.keys.index('cfg', projectId, 'type', record.product_type), h.idx ?? '');
    await tx.exec();
    return true;
  }

  async list(
    projectId: string,
    query: ConfigurationListQuery,
  ): Promise<{ items: Configuration[]; page: IdPage }> {
    // Only stored product types can match; the index must then hold exactly the answer,
    // or the page sizes, cursor and total would count what a filter afterwards drops.
    const types =
      query.productTypes && query.productTypes.length > 0
        ? SUPPORTED_PRODUCT_TYPES.filter((t) => query.productTypes?.includes(t))
        : undefined;
    const fingerprint = JSON.stringify(['cfg', projectId, types, query.name]);
    if (types?.length === 0) return { items: [], page: { ids: [], nextPageToken: null, totalSize: 0 } };
    const indexKey =
      types?.length === 1
        ? this.keys.index('cfg', projectId, 'type', types[0] as string)
        : this.keys.index('cfg', projectId);
    if (query.name) {
      // A name selects at most one configuration per product type.
      const ids = await Promise.all(
        (types ?? SUPPORTED_PRODUCT_TYPES).map((t) =>
          this.redis.get(this.nameKey(projectId, t, query.name as string)),
        ),
      );
      const items = (
        await Promise.all(ids.filter((i): i is string => !!i).map((i) => this.get(projectId, i)))
      ).filter((c): c is Configuration => c !== null);
      return { items, page: { ids: items.map((c) => c.id), nextPageToken: null, totalSize: items.length } };
    }
    const page = await pageFromIndex(this.redis, indexKey, fingerprint, query);
    const items = (await Promise.all(page.ids.map((id) => this.get(projectId, id)))).filter(
      (c): c is Configuration => c !== null,
    );
    return { items, page };
  }
}
