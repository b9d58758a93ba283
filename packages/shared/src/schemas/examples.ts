import { z } from 'zod';
import { isoDateTimeSchema, listQuerySchema } from './common.js';

/**
 * An example is PENDING while its document is parsed, then READY (its text is kept) or
 * FAILED (with the reason); it moves only out of PENDING, once, and the store's scripts
 * write each move as a compare-and-set from PENDING.
 */
export const EXAMPLE_STATUSES = ['PENDING', 'READY', 'FAILED'] as const;
export type ExampleStatus = (typeof EXAMPLE_STATUSES)[number];

/** How many examples one configuration may hold unless MAX_EXAMPLES_PER_CONFIGURATION says otherwise. */
export const DEFAULT_MAX_EXAMPLES_PER_CONFIGURATION = 10_000;

const exampleTypeSchema = z
  .string()
  .min(1, 'type must have at least 1 character')
  .max(50, 'type must have at most 50 characters')
  .nullable()
  .describe("One of the configuration's rule types, or null: the document fits none of its rules");

export const exampleCreateRequestSchema = z.object({
  file_input: z
    .string()
    .min(1)
    .max(200)
    .describe('A file id (dfl-...) or a parse job id (pjb-...) of this project'),
  type: exampleTypeSchema,
});
export type ExampleCreateRequest = z.infer<typeof exampleCreateRequestSchema>;

export const correctionRequestSchema = z.object({ type: exampleTypeSchema });
export type CorrectionRequest = z.infer<typeof correctionRequestSchema>;

export const exampleSchema = z
  .object({
    id: z.string(),
    configuration_id: z.string(),
    type: z.string().nullable(),
    file_input: z.string(),
    status: z.enum(EXAMPLE_STATUSES),
    error_message: z.string().nullable(),
    created_at: isoDateTimeSchema,
    updated_at: isoDateTimeSchema,
  })
  .meta({ id: 'Example' });
export type Example = z.infer<typeof exampleSchema>;

const lastOf = (value: unknown) => (Array.isArray(value) ? value.at(-1) : value);

export const exampleListQuerySchema = listQuerySchema.extend({
  type: z.preprocess(
    lastOf,
    z
      .string()
      .max(50)
      .optional()
      .describe('Only examples of this rule type; an empty value (type=) lists the negative examples'),
  ),
  status: z.preprocess(lastOf, z.enum(EXAMPLE_STATUSES).optional()),
});
export type ExampleListQuery = z.infer<typeof exampleListQuerySchema>;

export const correctionSchema = z
  .object({ type: z.string().nullable(), created_at: isoDateTimeSchema })
  .meta({ id: 'ClassifyCorrection' });
export type Correction = z.infer<typeof correctionSchema>;
