import { AppError, newId, type WebhookConfiguration } from '@classifyd/shared';
import type { Cluster, Redis } from 'ioredis';
import { type StoreKeys, storeKeys } from './keys.js';

/** A saved webhook configuration as stored: the inline fields, its secret included, and its owner. */
export interface StoredWebhookConfig extends WebhookConfiguration {
  id: string;
  project_id: string;
  created_at: string;
  updated_at: string;
}

/** Saved webhook configurations one project may hold. */
export const MAX_WEBHOOK_CONFIGS = 100;

// Counted and added in one step, so that concurrent creates cannot pass the limit.
// KEYS: the configuration, the project's index. ARGV: id, project, record, now ms, limit.
const CREATE = `
if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[5]) then return 0 end
redis.call('HSET', KEYS[1], 'project_id', ARGV[2], 'record', ARGV[3])
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[1])
return 1
`;

// Written only while it still exists (a concurrent delete wins). KEYS: the configuration. ARGV: record.
const UPDATE = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'record', ARGV[1])
return 1
`;

type Script = (...args: (string | number)[]) => Promise<number>;

/** Saved webhook configurations (`/api/v1/beta/webhook-configs`), per project. */
export class WebhookConfigStore {
  private readonly keys: StoreKeys;

  constructor(
    private readonly redis: Redis | Cluster,
    queuePrefix: string,
  ) {
    this.keys = storeKeys(queuePrefix);
    // As the other stores do: EVALSHA, the script body sent once per connection.
    const scripts = { cdCreateWebhookConfig: [CREATE, 2], cdUpdateWebhookConfig: [UPDATE, 1] } as const;
    for (const [name, [lua, numberOfKeys]] of Object.entries(scripts)) {
      if (!(name in redis)) redis.defineCommand(name, { numberOfKeys, lua });
    }
  }

  private script(name: 'cdCreateWebhookConfig' | 'cdUpdateWebhookConfig'): Script {
    const redis = this.redis as unknown as Record<string, Script>;
    return (...args) => (redis[name] as Script).apply(this.redis, args);
  }

  async create(projectId: string, fields: WebhookConfiguration): Promise<StoredWebhookConfig> {
    const now = new Date();
    const config: StoredWebhookConfig = {
      ...fields,
      id: newId('webhookConfig'),
      project_id: projectId,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    };
    const made = await this.script('cdCreateWebhookConfig')(
      this.keys.webhookConfig(config.id),
      this.keys.webhookConfigs(projectId),
      config.id,
      projectId,
      JSON.stringify(config),
      now.getTime(),
      MAX_WEBHOOK_CONFIGS,
    );
    if (made !== 1) {
      throw new AppError(
        'conflict',
        `This project has ${MAX_WEBHOOK_CONFIGS} saved webhook configurations; delete one first`,
      );
    }
    return config;
  }

  /** The project's configuration, or null: another project's is indistinguishable from none. */
  async get(projectId: string, id: string): Promise<StoredWebhookConfig | null> {
    const [owner, record] = await this.redis.hmget(this.keys.webhookConfig(id), 'project_id', 'record');
    return owner === projectId && record ? (JSON.parse(record) as StoredWebhookConfig) : null;
  }

  /** Oldest first. */
  async list(projectId: string): Promise<StoredWebhookConfig[]> {
    const ids = await this.redis.zrange(this.keys.webhookConfigs(projectId), '0', '-1');
    const found = await Promise.all(ids.map((id) => this.get(projectId, id)));
    return found.filter((config): config is StoredWebhookConfig => config !== null);
  }

  /** Replaces the fields given; null for the project's unknown ones. */
  async update(
    projectId: string,
    id: string,
    change: Partial<WebhookConfiguration>,
  ): Promise<StoredWebhookConfig | null> {
    const current = await this.get(projectId, id);
    if (!current) return null;
    const next: StoredWebhookConfig = { ...current, ...change, updated_at: new Date().toISOString() };
    const written = await this.script('cdUpdateWebhookConfig')(
      this.keys.webhookConfig(id),
      JSON.stringify(next),
    );
    return written === 1 ? next : null;
  }

  async delete(projectId: string, id: string): Promise<boolean> {
    if (!(await this.get(projectId, id))) return false;
    const replies = await this.redis
      .multi()
      .del(this.keys.webhookConfig(id))
      .zrem(this.keys.webhookConfigs(projectId), id)
      .exec();
    return replies?.[0]?.[1] === 1;
  }
}
