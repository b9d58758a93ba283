import { z } from 'zod';
import { JOB_STATUSES } from '../job-status.js';

export const jobStatusSchema = z.enum(JOB_STATUSES);

/** A single-valued query parameter given more than once counts with its last value, as in FastAPI. */
const lastOf = (value: unknown) => (Array.isArray(value) ? value.at(-1) : value);

/** Query strings carry numbers as text; lists of ids arrive repeated (`a=1&a=2`) or once. */
export const pageSizeSchema = z.preprocess(
  lastOf,
  z.coerce
    .number()
    .int('page_size must be an integer')
    .min(1, 'page_size must be at least 1')
    .max(100, 'page_size must be at most 100')
    .default(50),
);

export const repeatedStringSchema = z.preprocess(
  (value) => (value === undefined ? undefined : Array.isArray(value) ? value : [value]),
  z.array(z.string().min(1).max(200)).max(100, 'at most 100 ids per request').optional(),
);

export const listQuerySchema = z.object({
  page_size: pageSizeSchema,
  page_token: z.preprocess(lastOf, z.string().min(1).max(512).optional()),
  project_id: z.string().optional(),
  organization_id: z.string().optional(),
});

export const scopeQuerySchema = z.object({
  project_id: z.string().optional(),
  organization_id: z.string().optional(),
});

export function listResponseSchema<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    next_page_token: z.string().nullable(),
    total_size: z.number().int().nullable(),
  });
}

export interface ListPage<T> {
  items: T[];
  next_page_token: string | null;
  total_size: number | null;
}

export const validationErrorSchema = z
  .object({
    detail: z.array(
      z.object({
        loc: z.array(z.union([z.string(), z.number()])),
        msg: z.string(),
        type: z.string(),
      }),
    ),
  })
  .meta({ id: 'HTTPValidationError' });

export const errorSchema = z.object({ detail: z.string() }).meta({ id: 'ErrorDetail' });

export const isoDateTimeSchema = z.iso.datetime({ offset: true });
