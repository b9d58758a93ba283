import { z } from 'zod';
import { webhookConfigurationSchema } from './classify.js';

/**
 * `/api/v1/beta/webhook-configs`: a webhook saved once and named by id in classify creates
 * (`webhook_configuration_ids`), with the same fields and signing as an inline one. The
 * SDK's `project_id` and `organization_id` query and body fields are accepted and ignored:
 * the API key names the project.
 */
export const webhookConfigCreateSchema = webhookConfigurationSchema.extend({
  project_id: z.string().nullish(),
  organization_id: z.string().nullish(),
});

/** An update replaces the fields it gives; the URL cannot be unset. */
export const webhookConfigUpdateSchema = webhookConfigCreateSchema.partial().extend({
  webhook_url: webhookConfigurationSchema.shape.webhook_url.optional(),
});

/** As the SDK reads it: never the signing secret, only whether there is one. */
export const webhookConfigSchema = z
  .object({
    id: z.string(),
    has_secret: z.boolean(),
    tenant_id: z.string(),
    tenant_type: z.literal('project'),
    webhook_url: z.string(),
    created_at: z.string().nullable(),
    updated_at: z.string().nullable(),
    webhook_events: z.array(z.string()).nullable(),
    webhook_headers: z.record(z.string(), z.string()).nullable(),
    webhook_output_format: z.enum(['string', 'json']).nullable(),
  })
  .meta({ id: 'WebhookConfig' });
export type WebhookConfig = z.infer<typeof webhookConfigSchema>;
