import {
  AppError,
  parseOrThrow,
  type WebhookConfig,
  type WebhookConfiguration,
  webhookConfigCreateSchema,
  webhookConfigUpdateSchema,
} from '@classifyd/shared';
import type { StoredWebhookConfig, WebhookConfigStore } from '@classifyd/store';
import type { Principal } from '../auth.js';
import { assertDeliverableWebhooks } from './webhook-targets.js';

/** The fields a job's webhook keeps: what an inline `webhook_configurations` entry holds. */
function deliveryFields(source: Partial<WebhookConfiguration>): Partial<WebhookConfiguration> {
  const fields: Partial<WebhookConfiguration> = {};
  for (const key of [
    'webhook_url',
    'webhook_events',
    'webhook_headers',
    'webhook_output_format',
    'webhook_signing_secret',
  ] as const) {
    if (source[key] !== undefined) Object.assign(fields, { [key]: source[key] });
  }
  return fields;
}

/** As the SDK reads it: whether there is a secret, never the secret. */
function toWebhookConfig(config: StoredWebhookConfig): WebhookConfig {
  return {
    id: config.id,
    has_secret: Boolean(config.webhook_signing_secret),
    tenant_id: config.project_id,
    tenant_type: 'project',
    webhook_url: config.webhook_url,
    created_at: config.created_at,
    updated_at: config.updated_at,
    webhook_events: config.webhook_events ?? null,
    webhook_headers: config.webhook_headers ?? null,
    webhook_output_format: config.webhook_output_format ?? null,
  };
}

const urlLoc = () => ['body', 'webhook_url'];

/** Saved webhook configurations, and what a classify job's `webhook_configuration_ids` name. */
export class WebhookConfigService {
  constructor(
    private readonly store: WebhookConfigStore,
    /** ALLOW_PRIVATE_URLS: webhooks may go to loopback and private addresses. */
    private readonly allowPrivateUrls: boolean,
  ) {}

  async create(principal: Principal, rawBody: unknown): Promise<WebhookConfig> {
    const body = parseOrThrow(webhookConfigCreateSchema, rawBody, 'body');
    await assertDeliverableWebhooks([body], this.allowPrivateUrls, urlLoc);
    const fields = deliveryFields(body) as WebhookConfiguration;
    return toWebhookConfig(await this.store.create(principal.projectId, fields));
  }

  async list(principal: Principal): Promise<WebhookConfig[]> {
    return (await this.store.list(principal.projectId)).map(toWebhookConfig);
  }

  async get(principal: Principal, id: string): Promise<WebhookConfig> {
    return toWebhookConfig(await this.find(principal.projectId, id));
  }

  async update(principal: Principal, id: string, rawBody: unknown): Promise<WebhookConfig> {
    const body = parseOrThrow(webhookConfigUpdateSchema, rawBody, 'body');
    if (body.webhook_url !== undefined)
      await assertDeliverableWebhooks([body as WebhookConfiguration], this.allowPrivateUrls, urlLoc);
    const updated = await this.store.update(principal.projectId, id, deliveryFields(body));
    if (!updated) throw AppError.notFound(`Webhook configuration ${id}`);
    return toWebhookConfig(updated);
  }

  async delete(principal: Principal, id: string): Promise<void> {
    if (!(await this.store.delete(principal.projectId, id)))
      throw AppError.notFound(`Webhook configuration ${id}`);
  }

  /**
   * The webhooks saved under these ids, as a job keeps them (a copy: a later change of the
   * saved configuration does not reach jobs already made). An unknown id is a 404 naming it.
   */
  async resolve(projectId: string, ids: string[]): Promise<WebhookConfiguration[]> {
    // Read at once, not one after another: up to 10 ids on a classify create.
    const found = await Promise.all(ids.map((id) => this.find(projectId, id)));
    return found.map((config) => deliveryFields(config) as WebhookConfiguration);
  }

  private async find(projectId: string, id: string): Promise<StoredWebhookConfig> {
    const config = await this.store.get(projectId, id);
    if (!config) throw AppError.notFound(`Webhook configuration ${id}`);
    return config;
  }
}
