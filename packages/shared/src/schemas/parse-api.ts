import { z } from 'zod';
import { isId } from '../ids.js';
import { parsingConfigurationSchema } from './classify.js';
import { isoDateTimeSchema, jobStatusSchema, listQuerySchema, repeatedStringSchema } from './common.js';
import { parseJobSchema } from './parse.js';

/**
 * The one parser classifyd runs, named as the LlamaCloud "fast" tier version it answers for.
 * Any `version` is accepted at create and read by this same parser.
 */
export const FAST_PARSE_VERSION = '2026-06-15';

/** `GET /api/v2/parse/versions`, shaped as the SDK's listVersions reads it: the tiers classifyd does not run have none. */
export function parseVersions() {
  return {
    fast: [FAST_PARSE_VERSION],
    cost_effective: [] as string[],
    agentic: [] as string[],
    agentic_plus: [] as string[],
    latest: { fast: FAST_PARSE_VERSION, cost_effective: '', agentic: '', agentic_plus: '' },
  };
}

/** The parse options classifyd acts on; the SDK's other options are accepted and ignored. */
export const parseOptionsSchema = z.looseObject({
  tier: z.literal('fast', { error: 'classifyd runs the "fast" parse tier only' }).default('fast'),
  version: z.string().min(1).max(50).default('latest'),
  page_ranges: z
    .object({
      max_pages: parsingConfigurationSchema.shape.max_pages,
      target_pages: parsingConfigurationSchema.shape.target_pages,
    })
    .nullish(),
  /** classifyd's shorthand for processing_options.ocr_parameters.languages[0]. */
  lang: z
    .string()
    .regex(/^[A-Za-z]{2}$/, 'lang must be an ISO 639-1 code such as "en" or "de"')
    .transform((v) => v.toLowerCase())
    .optional(),
  processing_options: z
    .looseObject({
      ocr_parameters: z
        .looseObject({
          // The SDK's ParsingLanguages: ISO 639 codes, some with a script ("ch_sim", "rs_cyrillic").
          languages: z
            .array(
              z
                .string()
                .regex(
                  /^[A-Za-z]{2,3}(_[A-Za-z]{2,10})?$/,
                  'languages are codes such as "en", "de" or "ch_sim"',
                ),
            )
            .max(10)
            .nullish(),
        })
        .nullish(),
    })
    .nullish(),
  disable_cache: z.boolean().nullish(),
  user_metadata: z.record(z.string().max(100), z.string().max(1000)).nullish(),
});
export type ParseOptions = z.infer<typeof parseOptionsSchema>;

export const parseCreateRequestSchema = parseOptionsSchema
  .extend({
    file_id: z.string().min(1).max(200).nullish(),
    source_url: z.string().min(1).max(2048).nullish(),
    configuration_id: z.string().min(1).max(200).nullish(),
  })
  .superRefine((body, ctx) => {
    const given = (['file_id', 'source_url'] as const).filter((k) => body[k] != null);
    if (given.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: [given.length === 0 ? 'file_id' : 'source_url'],
        message: 'give exactly one of file_id (an uploaded dfl-... file) and source_url (an http(s) URL)',
      });
    }
    if (body.file_id != null && !isId('file', body.file_id)) {
      ctx.addIssue({
        code: 'custom',
        path: ['file_id'],
        message: 'file_id must be a file id such as dfl-<uuid>',
      });
    }
    if (body.source_url != null && !/^https?:\/\//i.test(body.source_url)) {
      ctx.addIssue({ code: 'custom', path: ['source_url'], message: 'source_url must be an http(s) URL' });
    }
  })
  .meta({ id: 'ParseCreateRequest' });
export type ParseCreateRequest = z.infer<typeof parseCreateRequestSchema>;

export const PARSE_EXPANSIONS = [
  'text',
  'markdown',
  'items',
  'metadata',
  'text_full',
  'markdown_full',
  'job_metadata',
] as const;
export type ParseExpansion = (typeof PARSE_EXPANSIONS)[number];

/**
 * Expansions the SDK documents that classifyd has nothing for (no forms, usage or
 * presigned content files): accepted and left out of the answer, as for a job that made
 * none, so that a request mixing them with `text` still works.
 */
const ABSENT_EXPANSIONS = new Set([
  'forms',
  'usage',
  'text_content_metadata',
  'markdown_content_metadata',
  'items_content_metadata',
  'metadata_content_metadata',
  'forms_content_metadata',
  'raw_words_content_metadata',
  'xlsx_content_metadata',
  'output_pdf_content_metadata',
  'images_content_metadata',
]);

const expansionSchema = z.enum(PARSE_EXPANSIONS, {
  error: `expand takes ${PARSE_EXPANSIONS.join(', ')}, and the SDK's other values, which classifyd leaves out`,
});

/** `expand` arrives repeated (`expand=text&expand=markdown`, as the SDK sends it) or comma-separated. */
export const parseGetQuerySchema = z.looseObject({
  expand: z.preprocess(
    (value) =>
      value === undefined
        ? []
        : (Array.isArray(value) ? value : [value])
            .flatMap((v) => String(v).split(','))
            .map((v) => v.trim())
            .filter((v) => v !== '' && !ABSENT_EXPANSIONS.has(v)),
    z.array(expansionSchema).max(20),
  ),
  project_id: z.string().optional(),
  organization_id: z.string().optional(),
});

export const parseListQuerySchema = listQuerySchema.extend({
  status: jobStatusSchema.optional(),
  job_ids: repeatedStringSchema,
  created_at_on_or_after: isoDateTimeSchema.optional(),
  created_at_on_or_before: isoDateTimeSchema.optional(),
});
export type ParseListQuery = z.infer<typeof parseListQuerySchema>;

const failedPageSchema = z.object({
  page_number: z.number().int(),
  success: z.literal(false),
  error: z.string(),
});

export const parseResultResponseSchema = z
  .object({
    job: parseJobSchema,
    text: z
      .object({ pages: z.array(z.object({ page_number: z.number().int(), text: z.string() })) })
      .nullish(),
    markdown: z
      .object({
        pages: z.array(
          z.union([
            z.object({ page_number: z.number().int(), markdown: z.string(), success: z.literal(true) }),
            failedPageSchema,
          ]),
        ),
      })
      .nullish(),
    items: z.object({ pages: z.array(z.unknown()) }).nullish(),
    metadata: z
      .object({ pages: z.array(z.object({ page_number: z.number().int() }).loose()), document: z.unknown() })
      .nullish(),
    text_full: z.string().nullish(),
    markdown_full: z.string().nullish(),
    job_metadata: z.record(z.string(), z.unknown()).nullish(),
  })
  .meta({ id: 'ParseResult' });
export type ParseResultResponse = z.infer<typeof parseResultResponseSchema>;
