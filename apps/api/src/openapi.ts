import { errorSchema, validationErrorSchema, WEBHOOK_DELIVERY_NOTE } from '@classifyd/shared';
import { z } from 'zod';
import { ROUTES } from './openapi-routes.js';

type Json = Record<string, unknown>;

/** Converts a zod schema, moving named parts into components and pointing refs there. */
function toSchema(schema: z.ZodType, io: 'input' | 'output', components: Json): Json {
  const suffix = io === 'input' ? 'Input' : '';
  const converted = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Json;
  const { $defs, $schema: _ignored, ...rest } = converted;
  const relink = (value: Json) =>
    JSON.parse(
      JSON.stringify(value).replace(/"#\/\$defs\/([A-Za-z0-9_]+)"/g, `"#/components/schemas/$1${suffix}"`),
    ) as Json;
  for (const [name, def] of Object.entries(($defs as Json | undefined) ?? {})) {
    components[`${name}${suffix}`] = relink(def as Json);
  }
  return relink(rest);
}

function queryParameters(query: z.ZodObject, components: Json): Json[] {
  const schema = toSchema(query, 'input', components) as { properties?: Record<string, Json> };
  return Object.entries(schema.properties ?? {}).map(([name, property]) => ({
    name,
    in: 'query',
    required: false,
    schema: property,
  }));
}

export function buildOpenApi(version: string): Json {
  const components: Json = {};
  const paths: Record<string, Json> = {};
  const errors = { $ref: '#/components/schemas/ErrorDetail' };
  components.ErrorDetail = toSchema(errorSchema, 'output', components);
  components.HTTPValidationError = toSchema(validationErrorSchema, 'output', components);
  for (const route of ROUTES) {
    const pathParams = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    const operation: Json = {
      summary: route.summary,
      ...(route.description ? { description: route.description } : {}),
      tags: [route.tag],
      security: [{ bearer: [] }],
      parameters: [...pathParams, ...(route.query ? queryParameters(route.query, components) : [])],
      responses: {
        [route.status]: route.response
          ? {
              description: 'OK',
              content: { 'application/json': { schema: toSchema(route.response, 'output', components) } },
            }
          : { description: 'No content' },
        '401': {
          description: 'Missing or invalid API key',
          content: { 'application/json': { schema: errors } },
        },
        '404': {
          description: 'Not found in this project',
          content: { 'application/json': { schema: errors } },
        },
        ...(route.conflict
          ? { '409': { description: route.conflict, content: { 'application/json': { schema: errors } } } }
          : {}),
        '422': {
          description: 'Validation error',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/HTTPValidationError' } } },
        },
      },
    };
    if (route.body) {
      operation.requestBody = {
        required: true,
        content: { 'application/json': { schema: toSchema(route.body, 'input', components) } },
      };
    }
    if (route.multipart) {
      const fields = toSchema(route.multipart, 'input', components) as {
        properties?: Json;
        required?: string[];
      };
      operation.requestBody = {
        required: true,
        content: {
          'multipart/form-data': {
            schema: {
              type: 'object',
              properties: { file: { type: 'string', format: 'binary' }, ...fields.properties },
              required: ['file', ...(fields.required ?? [])],
            },
          },
        },
      };
    }
    paths[route.path] = { ...(paths[route.path] ?? {}), [route.method]: operation };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'classifyd',
      version,
      description: `Self-hosted document classification speaking the LlamaCloud Classify v2 API.\n\n${WEBHOOK_DELIVERY_NOTE}`,
    },
    paths,
    components: { schemas: components, securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
  };
}
