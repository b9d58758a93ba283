/**
 * Every route of the API the suite drives, as data: the label it is counted under, and
 * what a 2xx answer carries. `{id}` is where a path id goes. The OpenAPI document must list
 * no route that is missing here (checked by service.fuzz.test.ts), so a new route cannot go
 * unfuzzed.
 */
export type Answer = 'json' | 'empty' | 'html' | 'javascript' | 'text' | 'file';

export interface RouteSpec {
  method: string;
  path: string;
  /** What a 2xx carries. */
  answer: Answer;
  /** Behind the API key check. */
  auth: boolean;
  /** The id in the path names a resource of this kind (for real and cross-project ids). */
  idKind?: IdKind;
}

export type IdKind = 'file' | 'classify' | 'parse' | 'configuration' | 'webhookConfig';

const route = (method: string, path: string, answer: Answer, idKind?: IdKind): RouteSpec => ({
  method,
  path,
  answer,
  auth: path.startsWith('/api/') && !path.endsWith('/download'),
  ...(idKind ? { idKind } : {}),
});

export const ROUTES = {
  classifyCreate: route('POST', '/api/v2/classify', 'json'),
  classifyList: route('GET', '/api/v2/classify', 'json'),
  classifyGet: route('GET', '/api/v2/classify/{id}', 'json', 'classify'),
  classifyCancel: route('POST', '/api/v2/classify/{id}/cancel', 'json', 'classify'),
  classifyDelete: route('DELETE', '/api/v2/classify/{id}', 'json', 'classify'),
  classifyCorrection: route('POST', '/api/v2/classify/{id}/correction', 'json', 'classify'),
  parseCreate: route('POST', '/api/v2/parse', 'json'),
  parseUpload: route('POST', '/api/v2/parse/upload', 'json'),
  parseList: route('GET', '/api/v2/parse', 'json'),
  parseGet: route('GET', '/api/v2/parse/{id}', 'json', 'parse'),
  parseCancel: route('POST', '/api/v2/parse/{id}/cancel', 'json', 'parse'),
  parseDelete: route('DELETE', '/api/v2/parse/{id}', 'json', 'parse'),
  parseVersions: route('GET', '/api/v2/parse/versions', 'json'),
  fileUpload: route('POST', '/api/v1/beta/files', 'json'),
  fileUploadLegacy: route('POST', '/api/v1/files', 'json'),
  fileList: route('GET', '/api/v1/beta/files', 'json'),
  fileQuery: route('POST', '/api/v1/beta/files/query', 'json'),
  fileGet: route('GET', '/api/v1/beta/files/{id}', 'json', 'file'),
  fileDelete: route('DELETE', '/api/v1/beta/files/{id}', 'empty', 'file'),
  fileContent: route('GET', '/api/v1/beta/files/{id}/content', 'json', 'file'),
  fileDownload: route('GET', '/api/v1/beta/files/{id}/download', 'file', 'file'),
  configurationCreate: route('POST', '/api/v1/beta/configurations', 'json'),
  configurationList: route('GET', '/api/v1/beta/configurations', 'json'),
  configurationGet: route('GET', '/api/v1/beta/configurations/{id}', 'json', 'configuration'),
  configurationUpdate: route('PUT', '/api/v1/beta/configurations/{id}', 'json', 'configuration'),
  configurationDelete: route('DELETE', '/api/v1/beta/configurations/{id}', 'empty', 'configuration'),
  // The example id stays '{id}' where the configuration's goes: the routes are fuzzed by configuration.
  exampleCreate: route('POST', '/api/v1/beta/configurations/{id}/examples', 'json', 'configuration'),
  exampleList: route('GET', '/api/v1/beta/configurations/{id}/examples', 'json', 'configuration'),
  exampleGet: route('GET', '/api/v1/beta/configurations/{id}/examples/{id}', 'json', 'configuration'),
  exampleDelete: route('DELETE', '/api/v1/beta/configurations/{id}/examples/{id}', 'empty', 'configuration'),
  webhookConfigCreate: route('POST', '/api/v1/beta/webhook-configs', 'json'),
  webhookConfigList: route('GET', '/api/v1/beta/webhook-configs', 'json'),
  webhookConfigGet: route('GET', '/api/v1/beta/webhook-configs/{id}', 'json', 'webhookConfig'),
  webhookConfigUpdate: route('PUT', '/api/v1/beta/webhook-configs/{id}', 'json', 'webhookConfig'),
  webhookConfigDelete: route('DELETE', '/api/v1/beta/webhook-configs/{id}', 'empty', 'webhookConfig'),
  health: route('GET', '/health', 'json'),
  ready: route('GET', '/ready', 'json'),
  metrics: route('GET', '/metrics', 'text'),
  openapi: route('GET', '/openapi.json', 'json'),
  docs: route('GET', '/docs', 'html'),
  docsInit: route('GET', '/docs/init.js', 'javascript'),
  docsAssets: route('GET', '/docs/assets/{id}', 'file'),
} as const satisfies Record<string, RouteSpec>;

export type RouteName = keyof typeof ROUTES;

export const ROUTE_NAMES = Object.keys(ROUTES) as RouteName[];

/** The label a request is counted under: `GET /api/v2/classify/{id}`. */
export function routeLabel(spec: RouteSpec): string {
  return `${spec.method} ${spec.path}`;
}

/** Routes with a `{id}` in the path that names one of the project's resources. */
export const ID_ROUTES = ROUTE_NAMES.filter((name) => {
  const spec: RouteSpec = ROUTES[name];
  return spec.idKind !== undefined && name !== 'fileDownload';
});

/** List routes: the cursor-paginated GETs (the examples of the project's classify configuration). */
export const LIST_ROUTES = [
  'classifyList',
  'parseList',
  'fileList',
  'configurationList',
  'exampleList',
] as const;

/** Routes whose body is JSON. */
export const JSON_BODY_ROUTES = [
  'classifyCreate',
  'parseCreate',
  'configurationCreate',
  'configurationUpdate',
  'exampleCreate',
  'classifyCorrection',
  'webhookConfigCreate',
  'webhookConfigUpdate',
  'fileQuery',
] as const;

/** Multipart upload routes. */
export const UPLOAD_ROUTES = ['fileUpload', 'fileUploadLegacy', 'parseUpload'] as const;
