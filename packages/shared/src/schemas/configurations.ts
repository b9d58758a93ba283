import { z } from 'zod';
import { classifyConfigurationSchema, parsingConfigurationSchema } from './classify.js';
import { isoDateTimeSchema, listQuerySchema } from './common.js';

export const classifyV2ParametersSchema = classifyConfigurationSchema
  .extend({ product_type: z.literal('classify_v2') })
  .meta({ id: 'ClassifyV2Parameters' });
export type ClassifyV2Parameters = z.infer<typeof classifyV2ParametersSchema>;

export const parseV2ParametersSchema = z
  .looseObject({
    product_type: z.literal('parse_v2'),
    tier: z.literal('fast', { error: 'classifyd runs the "fast" parse tier only' }),
    version: z.string().min(1).max(50).default('latest'),
    // Checked as a parse request checks them, so that a saved preset cannot fail every parse made from it.
    page_ranges: z
      .object({
        max_pages: parsingConfigurationSchema.shape.max_pages,
        target_pages: parsingConfigurationSchema.shape.target_pages,
      })
      .nullish(),
  })
  .meta({ id: 'ParseV2Parameters' });

export const SUPPORTED_PRODUCT_TYPES = ['classify_v2', 'parse_v2'] as const;
export type ProductType = (typeof SUPPORTED_PRODUCT_TYPES)[number];

export const configurationParametersSchema = z.discriminatedUnion(
  'product_type',
  [classifyV2ParametersSchema, parseV2ParametersSchema],
  { error: `parameters.product_type must be one of ${SUPPORTED_PRODUCT_TYPES.join(', ')}` },
);
export type ConfigurationParameters = z.infer<typeof configurationParametersSchema>;

export const configurationCreateSchema = z.object({
  name: z.string().min(1, 'name must not be empty').max(255, 'name must have at most 255 characters'),
  parameters: configurationParametersSchema,
});

export const configurationUpdateSchema = z.object({
  name: z.string().min(1).max(255).nullish(),
  parameters: configurationParametersSchema.nullish(),
});

export const configurationSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    product_type: z.enum(SUPPORTED_PRODUCT_TYPES),
    version: z.string(),
    parameters: configurationParametersSchema,
    created_at: isoDateTimeSchema,
    updated_at: isoDateTimeSchema,
  })
  .meta({ id: 'Configuration' });
export type Configuration = z.infer<typeof configurationSchema>;

export const configurationListQuerySchema = listQuerySchema.extend({
  product_type: z.preprocess(
    (v) => (v === undefined ? undefined : Array.isArray(v) ? v : [v]),
    z.array(z.string().max(50)).max(10).optional(),
  ),
  name: z.string().min(1).max(255).optional(),
  latest_only: z.enum(['true', 'false']).optional(),
});
export type ConfigurationListQuery = z.infer<typeof configurationListQuerySchema>;
