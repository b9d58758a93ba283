import { z } from 'zod';
import { isoDateTimeSchema, jobStatusSchema } from './common.js';

export const parseJobSchema = z
  .object({
    id: z.string(),
    project_id: z.string(),
    status: jobStatusSchema,
    name: z.string().nullable(),
    tier: z.literal('fast'),
    error_message: z.string().nullable(),
    user_metadata: z.record(z.string(), z.string()).nullish(),
    created_at: isoDateTimeSchema,
    updated_at: isoDateTimeSchema,
  })
  .meta({ id: 'ParseJob' });
export type ParseJob = z.infer<typeof parseJobSchema>;

/** One page as the parse stage leaves it for the classifier and the parse API. */
export const parsedPageSchema = z.object({
  page_number: z.number().int().min(1),
  text: z.string(),
  markdown: z.string(),
  success: z.boolean(),
  error: z.string().optional(),
});
export type ParsedPage = z.infer<typeof parsedPageSchema>;

export const parseOutputSchema = z.object({
  format: z.string(),
  page_count: z.number().int().min(0),
  pages: z.array(parsedPageSchema),
});
export type ParseOutput = z.infer<typeof parseOutputSchema>;
