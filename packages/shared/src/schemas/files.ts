import { z } from 'zod';
import { isoDateTimeSchema, listQuerySchema, repeatedStringSchema } from './common.js';

export const FILE_PURPOSES = [
  'user_data',
  'parse',
  'extract',
  'split',
  'classify',
  'sheet',
  'agent_app',
] as const;

/** The non-file fields of a multipart upload. */
export const fileUploadFieldsSchema = z.object({
  purpose: z.enum(FILE_PURPOSES, { error: `purpose must be one of ${FILE_PURPOSES.join(', ')}` }),
  external_file_id: z.string().min(1).max(3000).nullish(),
});

/** The legacy upload (`POST /api/v1/files`) has no purpose field. */
export const legacyUploadFieldsSchema = z.object({
  external_file_id: z.string().min(1).max(3000).nullish(),
});

export const presignedUrlSchema = z
  .object({
    url: z.string(),
    expires_at: isoDateTimeSchema,
    form_fields: z.record(z.string(), z.string()).nullable(),
  })
  .meta({ id: 'PresignedURL' });
export type PresignedUrl = z.infer<typeof presignedUrlSchema>;

export const fileSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    project_id: z.string(),
    external_file_id: z.string().nullable(),
    file_type: z.string().nullable(),
    file_size: z.number().int(),
    purpose: z.string().nullable(),
    created_at: isoDateTimeSchema,
    updated_at: isoDateTimeSchema,
    last_modified_at: isoDateTimeSchema,
    expires_at: isoDateTimeSchema.nullable(),
    data_source_id: z.null(),
  })
  .meta({ id: 'File' });
export type FileRecord = z.infer<typeof fileSchema>;

/** files.list orders, as LlamaCloud: created_at newest first, name and id ascending; nothing else. */
export const FILE_LIST_ORDERS = ['created_at', 'name', 'id'] as const;
export type FileListOrder = (typeof FILE_LIST_ORDERS)[number];

export const fileListQuerySchema = listQuerySchema.extend({
  file_ids: repeatedStringSchema,
  file_name: z.string().min(1).max(3000).optional(),
  external_file_id: z.string().min(1).max(3000).optional(),
  order_by: z
    .enum(FILE_LIST_ORDERS, {
      error: "order_by is one of 'name' (ascending), 'id' (ascending) or 'created_at' (newest first)",
    })
    .optional(),
});
export type FileListQuery = z.infer<typeof fileListQuerySchema>;

/**
 * `POST /api/v1/beta/files/query` (the SDK's deprecated files.query): the list query as a
 * JSON body, its filters under `filter`. classifyd has no data sources: a `data_source_id`
 * filter matches no file. Every file is uploaded by hand, so `only_manually_uploaded` filters nothing.
 */
export const fileQueryBodySchema = z.object({
  filter: z
    .object({
      file_ids: z.array(z.string().min(1).max(200)).max(100).nullish(),
      file_name: z.string().min(1).max(3000).nullish(),
      external_file_id: z.string().min(1).max(3000).nullish(),
      data_source_id: z.string().min(1).max(200).nullish(),
      only_manually_uploaded: z.boolean().nullish(),
      project_id: z.string().nullish(),
    })
    .nullish(),
  order_by: fileListQuerySchema.shape.order_by.nullish(),
  page_size: z.number().int().min(1).max(100).nullish(),
  page_token: z.string().min(1).max(512).nullish(),
  project_id: z.string().nullish(),
  organization_id: z.string().nullish(),
});

export const fileContentQuerySchema = z.object({
  expires_at_seconds: z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 3600)
    .optional(),
  project_id: z.string().optional(),
  organization_id: z.string().optional(),
});
