import { z } from 'zod';
import { isId } from '../ids.js';
import { MAX_PAGE_NUMBER, parseTargetPages } from '../page-selection.js';
import { isoDateTimeSchema, jobStatusSchema, listQuerySchema, repeatedStringSchema } from './common.js';
import { correctionSchema } from './examples.js';

export const ruleSchema = z.object({
  type: z
    .string()
    .min(1, 'type must have at least 1 character')
    .max(50, 'type must have at most 50 characters')
    .refine((v) => v.trim() !== '', 'type must not be blank'),
  description: z
    .string()
    .min(10, 'description must have at least 10 characters')
    .max(2000, 'description must have at most 2000 characters')
    // Spaces alone describe nothing, and would match nothing.
    .refine((v) => v.trim().length >= 10, 'description must have at least 10 characters besides spaces'),
});
export type Rule = z.infer<typeof ruleSchema>;

/**
 * The language a document is read in when the request names none (OCR's language). Being a
 * default, it says nothing about the document itself.
 */
export const DEFAULT_LANG = 'en';

export const parsingConfigurationSchema = z.object({
  lang: z
    .string()
    .regex(/^[A-Za-z]{2}$/, 'lang must be an ISO 639-1 code such as "en" or "de"')
    .transform((v) => v.toLowerCase())
    .default(DEFAULT_LANG),
  max_pages: z
    .number()
    .int('max_pages must be an integer')
    .min(1, 'max_pages must be at least 1')
    .max(MAX_PAGE_NUMBER, `max_pages must be at most ${MAX_PAGE_NUMBER}`)
    .nullish(),
  target_pages: z
    .string()
    .max(1000)
    .nullish()
    .superRefine((value, ctx) => {
      if (value == null) return;
      const parsed = parseTargetPages(value);
      if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.error });
    }),
});
export type ParsingConfiguration = z.infer<typeof parsingConfigurationSchema>;

export const classifyConfigurationSchema = z
  .object({
    rules: z.array(ruleSchema).min(1, 'give at least 1 rule').max(50, 'give at most 50 rules'),
    mode: z.literal('FAST', { error: 'mode must be "FAST"' }).default('FAST'),
    parsing_configuration: parsingConfigurationSchema.nullish(),
  })
  .meta({ id: 'ClassifyConfiguration' });
export type ClassifyConfiguration = z.infer<typeof classifyConfigurationSchema>;

export const WEBHOOK_EVENTS = [
  'classify.pending',
  'classify.running',
  'classify.success',
  'classify.error',
  'classify.cancelled',
  'classify.partial_success',
  'parse.pending',
  'parse.running',
  'parse.success',
  'parse.error',
  'parse.cancelled',
  'parse.partial_success',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/**
 * How webhooks arrive, for the OpenAPI document and the README alike: a receiver must be
 * ready for a second delivery, since a worker that dies after the POST and before it
 * records the delivery sends it again.
 */
export const WEBHOOK_DELIVERY_NOTE =
  'Webhooks are delivered at least once: each event is POSTed until the endpoint answers 2xx (8 attempts with exponential backoff), and a worker that stops between a delivery and its record sends it again. ' +
  'Every delivery of one event carries the same event_id: drop an event_id you have already handled. ' +
  'With webhook_signing_secret, LC-Signature is sha256=<hex HMAC-SHA256 of the raw body>.';

export const webhookConfigurationSchema = z
  .object({
    webhook_url: z
      .string()
      .max(2048)
      .regex(/^https?:\/\//i, 'webhook_url must be an http(s) URL'),
    webhook_headers: z
      .record(z.string().min(1).max(256), z.string().max(8192))
      .refine((headers) => Object.keys(headers).length <= 50, 'give at most 50 webhook_headers')
      .nullish(),
    webhook_events: z.array(z.string().max(64)).max(WEBHOOK_EVENTS.length).nullish(),
    webhook_output_format: z.enum(['string', 'json']).nullish(),
    webhook_signing_secret: z.string().min(1).max(512).nullish(),
  })
  .describe(WEBHOOK_DELIVERY_NOTE);
export type WebhookConfiguration = z.infer<typeof webhookConfigurationSchema>;

/** What a `file_input` names: an uploaded file, a parse job, or a URL to fetch. */
export type DocumentInputType = 'file_id' | 'parse_job_id' | 'url';

export function documentInputType(value: string): DocumentInputType | null {
  if (isId('file', value)) return 'file_id';
  if (isId('parseJob', value)) return 'parse_job_id';
  if (/^https?:\/\/[^\s]+$/i.test(value)) return 'url';
  return null;
}

const FILE_INPUT_HELP = 'must be a file id (dfl-...), a parse job id (pjb-...) or an http(s) URL';

export const classifyCreateRequestSchema = z
  .object({
    configuration: classifyConfigurationSchema.nullish(),
    configuration_id: z.string().min(1).max(200).nullish(),
    file_input: z.string().min(1).max(2048).nullish(),
    file_id: z.string().min(1).max(200).nullish(),
    parse_job_id: z.string().min(1).max(200).nullish(),
    transaction_id: z.string().min(1).max(256).nullish(),
    webhook_configurations: z.array(webhookConfigurationSchema).max(10).nullish(),
    webhook_configuration_ids: z.array(z.string().min(1).max(200)).max(10).nullish(),
  })
  .superRefine((body, ctx) => {
    const hasInline = body.configuration != null;
    const hasSaved = body.configuration_id != null;
    if (hasInline === hasSaved) {
      ctx.addIssue({
        code: 'custom',
        path: [hasInline ? 'configuration_id' : 'configuration'],
        message: 'give exactly one of configuration and configuration_id',
      });
    }
    const inputs = (['file_input', 'file_id', 'parse_job_id'] as const).filter((k) => body[k] != null);
    if (inputs.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['file_input'],
        message: `file_input is required and ${FILE_INPUT_HELP}`,
      });
    }
    const values = new Set(inputs.map((k) => body[k]));
    if (values.size > 1) {
      ctx.addIssue({
        code: 'custom',
        path: [inputs[1] as string],
        message: 'give the document once: file_input, or the deprecated file_id / parse_job_id',
      });
    }
    if (body.file_input != null && documentInputType(body.file_input) === null) {
      ctx.addIssue({ code: 'custom', path: ['file_input'], message: `file_input ${FILE_INPUT_HELP}` });
    }
    if (body.file_id != null && !isId('file', body.file_id)) {
      ctx.addIssue({ code: 'custom', path: ['file_id'], message: 'file_id must look like dfl-<uuid>' });
    }
    if (body.parse_job_id != null && !isId('parseJob', body.parse_job_id)) {
      ctx.addIssue({
        code: 'custom',
        path: ['parse_job_id'],
        message: 'parse_job_id must look like pjb-<uuid>',
      });
    }
  });
export type ClassifyCreateRequest = z.infer<typeof classifyCreateRequestSchema>;

export const classifyResultSchema = z
  .object({
    type: z.string().nullable(),
    confidence: z.number().min(0).max(1),
    reasoning: z.string(),
  })
  .meta({ id: 'ClassifyResult' });
export type ClassifyResult = z.infer<typeof classifyResultSchema>;

export const classifyJobSchema = z
  .object({
    id: z.string(),
    configuration: classifyConfigurationSchema,
    configuration_id: z.string().nullable(),
    document_input_type: z.enum(['url', 'file_id', 'parse_job_id']),
    file_input: z.string(),
    document_input_value: z.string(),
    project_id: z.string(),
    user_id: z.string(),
    status: jobStatusSchema,
    parse_job_id: z.string().nullable(),
    result: classifyResultSchema.nullable(),
    error_message: z.string().nullable(),
    transaction_id: z.string().nullable(),
    /** The type a user said the document is (POST .../correction); null until then. */
    correction: correctionSchema.nullable(),
    created_at: isoDateTimeSchema,
    updated_at: isoDateTimeSchema,
  })
  .meta({ id: 'ClassifyJob' });
export type ClassifyJob = z.infer<typeof classifyJobSchema>;

export const classifyListQuerySchema = listQuerySchema.extend({
  status: jobStatusSchema.optional(),
  job_ids: repeatedStringSchema,
  configuration_id: z.string().min(1).optional(),
  created_at_on_or_after: isoDateTimeSchema.optional(),
  created_at_on_or_before: isoDateTimeSchema.optional(),
});
export type ClassifyListQuery = z.infer<typeof classifyListQuerySchema>;

export const deleteJobResponseSchema = z.object({ id: z.string(), project_id: z.string() });
