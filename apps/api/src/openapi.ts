import {
  classifyCreateRequestSchema,
  classifyJobSchema,
  classifyListQuerySchema,
  configurationCreateSchema,
  configurationListQuerySchema,
  configurationSchema,
  configurationUpdateSchema,
  correctionRequestSchema,
  deleteJobResponseSchema,
  errorSchema,
  exampleCreateRequestSchema,
  exampleListQuerySchema,
  exampleSchema,
  fileListQuerySchema,
  fileQueryBodySchema,
  fileSchema,
  fileUploadFieldsSchema,
  listResponseSchema,
  parseCreateRequestSchema,
  parseGetQuerySchema,
  parseJobSchema,
  parseListQuerySchema,
  parseResultResponseSchema,
  presignedUrlSchema,
  validationErrorSchema,
  WEBHOOK_DELIVERY_NOTE,
  webhookConfigCreateSchema,
  webhookConfigSchema,
  webhookConfigUpdateSchema,
} from '@classifyd/shared';
import { z } from 'zod';

interface RouteDoc {
  method: 'get' | 'post' | 'put' | 'delete';
  path: string;
  summary: string;
  description?: string;
  /** When the route answers 409, and why. */
  conflict?: string;
  tag: string;
  body?: z.ZodType;
  multipart?: z.ZodObject;
  query?: z.ZodObject;
  status: number;
  response?: z.ZodType;
}

const ROUTES: RouteDoc[] = [
  {
    method: 'post',
    path: '/api/v2/classify',
    summary: 'Create a classify job',
    tag: 'classify',
    body: classifyCreateRequestSchema,
    status: 200,
    response: classifyJobSchema,
  },
  {
    method: 'get',
    path: '/api/v2/classify',
    summary: 'List classify jobs, newest first',
    tag: 'classify',
    query: classifyListQuerySchema,
    status: 200,
    response: listResponseSchema(classifyJobSchema),
  },
  {
    method: 'get',
    path: '/api/v2/classify/{job_id}',
    summary: 'Get a classify job and its result',
    tag: 'classify',
    status: 200,
    response: classifyJobSchema,
  },
  {
    method: 'post',
    path: '/api/v2/classify/{job_id}/cancel',
    summary: 'Cancel a pending or running job',
    tag: 'classify',
    status: 200,
    response: classifyJobSchema,
  },
  {
    method: 'delete',
    path: '/api/v2/classify/{job_id}',
    summary: 'Delete a finished job and its result',
    tag: 'classify',
    status: 200,
    response: deleteJobResponseSchema,
  },
  {
    method: 'post',
    path: '/api/v2/classify/{job_id}/correction',
    summary: 'Correct a finished job: its document becomes an example of its saved configuration',
    description:
      'For a COMPLETED job created with a configuration_id: adds the document as an example of the given type (null: it fits none of the rules) and records the correction on the job; correcting again replaces the earlier example. ' +
      "409 when the job is not COMPLETED or its document is no longer kept; 422 for a job with an inline configuration, or a type that is not one of the configuration's rule types.",
    conflict: 'The job is not COMPLETED, or its document is no longer kept',
    tag: 'classify',
    body: correctionRequestSchema,
    status: 200,
    response: classifyJobSchema,
  },
  {
    method: 'post',
    path: '/api/v2/parse',
    summary: 'Create a parse job from an uploaded file (file_id) or a URL (source_url)',
    tag: 'parse',
    body: parseCreateRequestSchema,
    status: 200,
    response: parseJobSchema,
  },
  {
    method: 'post',
    path: '/api/v2/parse/upload',
    summary: 'Upload a file and parse it: multipart file plus configuration (a JSON string)',
    tag: 'parse',
    multipart: z.object({ configuration: z.string().optional() }),
    status: 200,
    response: parseJobSchema,
  },
  {
    method: 'get',
    path: '/api/v2/parse',
    summary: 'List parse jobs, newest first',
    tag: 'parse',
    query: parseListQuerySchema,
    status: 200,
    response: listResponseSchema(parseJobSchema),
  },
  {
    method: 'get',
    path: '/api/v2/parse/{job_id}',
    summary: 'Get a parse job; expand=text,markdown,items,metadata,text_full,markdown_full,job_metadata',
    tag: 'parse',
    query: parseGetQuerySchema,
    status: 200,
    response: parseResultResponseSchema,
  },
  {
    method: 'post',
    path: '/api/v2/parse/{job_id}/cancel',
    summary: 'Cancel a pending or running parse job',
    tag: 'parse',
    status: 200,
    response: parseJobSchema,
  },
  {
    method: 'delete',
    path: '/api/v2/parse/{job_id}',
    summary: 'Delete a finished parse job and its output',
    tag: 'parse',
    status: 200,
    response: deleteJobResponseSchema,
  },
  {
    method: 'post',
    path: '/api/v1/beta/files',
    summary: 'Upload a file (multipart)',
    tag: 'files',
    multipart: fileUploadFieldsSchema,
    status: 201,
    response: fileSchema,
  },
  {
    method: 'post',
    path: '/api/v1/files',
    summary: 'Upload a file, legacy form (field upload_file)',
    tag: 'files',
    status: 200,
    response: fileSchema,
  },
  {
    method: 'get',
    path: '/api/v1/beta/files',
    summary: 'List files',
    tag: 'files',
    query: fileListQuerySchema,
    status: 200,
    response: listResponseSchema(fileSchema),
  },
  {
    method: 'post',
    path: '/api/v1/beta/files/query',
    summary: 'List files, the query as a JSON body (deprecated in the SDK: use GET /api/v1/beta/files)',
    tag: 'files',
    body: fileQueryBodySchema,
    status: 200,
    response: listResponseSchema(fileSchema),
  },
  {
    method: 'get',
    path: '/api/v1/beta/files/{file_id}',
    summary: 'Get a file record',
    tag: 'files',
    status: 200,
    response: fileSchema,
  },
  {
    method: 'delete',
    path: '/api/v1/beta/files/{file_id}',
    summary: 'Delete a file',
    tag: 'files',
    status: 204,
  },
  {
    method: 'get',
    path: '/api/v1/beta/files/{file_id}/content',
    summary: 'A signed, expiring download URL',
    tag: 'files',
    status: 200,
    response: presignedUrlSchema,
  },
  {
    method: 'post',
    path: '/api/v1/beta/webhook-configs',
    summary: 'Save a webhook configuration, for classify jobs to name in webhook_configuration_ids',
    tag: 'webhook-configs',
    body: webhookConfigCreateSchema,
    status: 200,
    response: webhookConfigSchema,
  },
  {
    method: 'get',
    path: '/api/v1/beta/webhook-configs',
    summary: "List the project's saved webhook configurations, oldest first",
    tag: 'webhook-configs',
    status: 200,
    response: z.array(webhookConfigSchema),
  },
  {
    method: 'get',
    path: '/api/v1/beta/webhook-configs/{config_id}',
    summary: 'Get a saved webhook configuration (never its signing secret)',
    tag: 'webhook-configs',
    status: 200,
    response: webhookConfigSchema,
  },
  {
    method: 'put',
    path: '/api/v1/beta/webhook-configs/{config_id}',
    summary: 'Update a saved webhook configuration; jobs already made keep the copy they took',
    tag: 'webhook-configs',
    body: webhookConfigUpdateSchema,
    status: 200,
    response: webhookConfigSchema,
  },
  {
    method: 'delete',
    path: '/api/v1/beta/webhook-configs/{config_id}',
    summary: 'Delete a saved webhook configuration',
    tag: 'webhook-configs',
    status: 204,
  },
  {
    method: 'get',
    path: '/api/v2/parse/versions',
    summary: 'The parse versions classifyd answers for, per tier',
    tag: 'parse',
    status: 200,
  },
  {
    method: 'post',
    path: '/api/v1/beta/configurations',
    summary: 'Create or update (by name) a configuration',
    tag: 'configurations',
    body: configurationCreateSchema,
    status: 201,
    response: configurationSchema,
  },
  {
    method: 'get',
    path: '/api/v1/beta/configurations',
    summary: 'List configurations',
    tag: 'configurations',
    query: configurationListQuerySchema,
    status: 200,
    response: listResponseSchema(configurationSchema),
  },
  {
    method: 'get',
    path: '/api/v1/beta/configurations/{config_id}',
    summary: 'Get a configuration',
    tag: 'configurations',
    status: 200,
    response: configurationSchema,
  },
  {
    method: 'put',
    path: '/api/v1/beta/configurations/{config_id}',
    summary: 'Update a configuration',
    tag: 'configurations',
    body: configurationUpdateSchema,
    status: 200,
    response: configurationSchema,
  },
  {
    method: 'delete',
    path: '/api/v1/beta/configurations/{config_id}',
    summary: 'Delete a configuration, and its examples',
    tag: 'configurations',
    status: 204,
  },
  {
    method: 'post',
    path: '/api/v1/beta/configurations/{configuration_id}/examples',
    summary: 'Add a labelled example document to a classify_v2 configuration',
    description:
      "file_input is a file or parse job of this project; type is one of the configuration's rule types, or null for a document that fits none of them. " +
      'The document is parsed (a finished parse of the same bytes is reused) and the example becomes READY, or FAILED with the reason. ' +
      'Classify jobs that name the configuration_id learn from its READY examples. At most MAX_EXAMPLES_PER_CONFIGURATION (10,000) per configuration: 409 beyond.',
    conflict: 'The configuration already holds MAX_EXAMPLES_PER_CONFIGURATION examples',
    tag: 'examples',
    body: exampleCreateRequestSchema,
    status: 201,
    response: exampleSchema,
  },
  {
    method: 'get',
    path: '/api/v1/beta/configurations/{configuration_id}/examples',
    summary: "List a configuration's examples, newest first",
    tag: 'examples',
    query: exampleListQuerySchema,
    status: 200,
    response: listResponseSchema(exampleSchema),
  },
  {
    method: 'get',
    path: '/api/v1/beta/configurations/{configuration_id}/examples/{example_id}',
    summary: 'Get an example',
    tag: 'examples',
    status: 200,
    response: exampleSchema,
  },
  {
    method: 'delete',
    path: '/api/v1/beta/configurations/{configuration_id}/examples/{example_id}',
    summary: 'Delete an example',
    tag: 'examples',
    status: 204,
  },
];

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
