import { type ApiUnderTest, KEY_A, KEY_B } from './api-under-test.js';
import { send } from './http-client.js';
import { encodeMultipart, multipartContentType } from './multipart-body.js';
import { type IdKind, LIST_ROUTES, ROUTES } from './routes.js';

/** Real resources of one project, made through the API itself, for the id generators. */
export interface ProjectFixtures {
  key: string;
  fileIds: string[];
  classifyJobIds: string[];
  parseJobIds: string[];
  /** A classify_v2 and a parse_v2 configuration. */
  classifyConfigurationId: string;
  parseConfigurationId: string;
  /** A saved webhook configuration. */
  webhookConfigIds: string[];
  /** A signed download link of the first file: path and query. */
  downloadPath: string;
  /** next_page_token of each list route with page_size=1, keyed by the list's path (as in ROUTES). */
  pageTokens: Record<string, string>;
}

export interface Fixtures {
  own: ProjectFixtures;
  /** The other project's: every request with the own key must answer 404 for them. */
  other: ProjectFixtures;
}

const DOCUMENT = 'INVOICE 2041\nBill to: Example Ltd\nTotal due: 1,250.00 EUR\nPayment within 30 days.\n';

export const SAMPLE_RULES = [
  { type: 'invoice', description: 'A bill with line items, totals and payment terms' },
  { type: 'contract', description: 'A legal agreement between parties with numbered clauses' },
];

async function call(
  api: ApiUnderTest,
  key: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<Record<string, unknown>> {
  const response = await send(api.baseUrl, {
    method,
    path,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (response.status < 200 || response.status >= 300) {
    throw new Error(`fixture ${method} ${path} answered ${response.status}: ${response.body.toString()}`);
  }
  return response.body.length > 0 ? (JSON.parse(response.body.toString()) as Record<string, unknown>) : {};
}

async function upload(api: ApiUnderTest, key: string, name: string): Promise<string> {
  const boundary = 'fixture-boundary';
  const response = await send(api.baseUrl, {
    method: 'POST',
    path: '/api/v1/beta/files',
    headers: { authorization: `Bearer ${key}`, 'content-type': multipartContentType(boundary) },
    body: encodeMultipart({
      boundary,
      ending: 'complete',
      parts: [
        { name: 'purpose', value: 'classify' },
        {
          name: 'file',
          filename: { value: name, form: 'plain' },
          contentType: 'text/plain',
          value: DOCUMENT,
        },
      ],
    }),
  });
  if (response.status !== 201) throw new Error(`fixture upload answered ${response.status}`);
  return (JSON.parse(response.body.toString()) as { id: string }).id;
}

async function seedProject(api: ApiUnderTest, key: string, label: string): Promise<ProjectFixtures> {
  const fileIds = [await upload(api, key, `${label}-invoice.txt`), await upload(api, key, `${label}-b.txt`)];
  const classifyConfigurationId = (
    await call(api, key, 'POST', '/api/v1/beta/configurations', {
      name: `${label} classify preset`,
      parameters: { product_type: 'classify_v2', rules: SAMPLE_RULES },
    })
  ).id as string;
  const parseConfigurationId = (
    await call(api, key, 'POST', '/api/v1/beta/configurations', {
      name: `${label} parse preset`,
      parameters: { product_type: 'parse_v2', tier: 'fast', version: 'latest' },
    })
  ).id as string;
  // An example of a type and a negative one, so that the example list has a second page and
  // each type filter a match (PENDING: no worker parses their files).
  const examplesPath = ROUTES.exampleList.path.replace('{id}', classifyConfigurationId);
  await call(api, key, 'POST', examplesPath, { file_input: fileIds[0], type: 'invoice' });
  await call(api, key, 'POST', examplesPath, { file_input: fileIds[1], type: null });
  const classify = await call(api, key, 'POST', '/api/v2/classify', {
    file_input: fileIds[0],
    configuration: { rules: SAMPLE_RULES },
  });
  const cancelled = await call(api, key, 'POST', '/api/v2/classify', {
    file_input: fileIds[1],
    configuration_id: classifyConfigurationId,
  });
  await call(api, key, 'POST', `/api/v2/classify/${cancelled.id}/cancel`);
  const parse = await call(api, key, 'POST', '/api/v2/parse', { file_id: fileIds[0], disable_cache: true });
  const webhookConfig = await call(api, key, 'POST', '/api/v1/beta/webhook-configs', {
    webhook_url: 'https://93.184.216.34/hook',
    webhook_signing_secret: `${label}-secret`,
  });
  const content = await call(api, key, 'GET', `/api/v1/beta/files/${fileIds[0]}/content`);
  const download = new URL(content.url as string);
  const pageTokens: Record<string, string> = {};
  for (const route of LIST_ROUTES) {
    const { path } = ROUTES[route];
    const page = await call(api, key, 'GET', `${path.replace('{id}', classifyConfigurationId)}?page_size=1`);
    if (typeof page.next_page_token === 'string') pageTokens[path] = page.next_page_token;
  }
  return {
    key,
    fileIds,
    classifyJobIds: [classify.id as string, cancelled.id as string],
    parseJobIds: [parse.id as string, classify.parse_job_id as string, cancelled.parse_job_id as string],
    classifyConfigurationId,
    parseConfigurationId,
    webhookConfigIds: [webhookConfig.id as string],
    downloadPath: `${download.pathname}${download.search}`,
    pageTokens,
  };
}

/**
 * Fresh real resources in both projects. Called before each property, since the fuzzer
 * deletes and cancels what it finds.
 */
export async function seedFixtures(api: ApiUnderTest): Promise<Fixtures> {
  return { own: await seedProject(api, KEY_A, 'own'), other: await seedProject(api, KEY_B, 'other') };
}

const SETTLED = ['COMPLETED', 'FAILED', 'CANCELLED'];

/**
 * A COMPLETED classify job of a classify configuration of its own, the kind of job a
 * correction is accepted for: classified by workers started for it, since the fuzzed API
 * runs none. Its configuration is in no fixture list, so that no fuzzed update changes it.
 */
export async function completedClassifyJob(api: ApiUnderTest, project: ProjectFixtures): Promise<string> {
  const configuration = await call(api, project.key, 'POST', '/api/v1/beta/configurations', {
    name: 'corrected classify preset',
    parameters: { product_type: 'classify_v2', rules: SAMPLE_RULES },
  });
  return api.withWorkers(async () => {
    const job = await call(api, project.key, 'POST', '/api/v2/classify', {
      file_input: project.fileIds[0],
      configuration_id: configuration.id,
    });
    const deadline = Date.now() + 30_000;
    for (;;) {
      const { status, error_message } = await call(api, project.key, 'GET', `/api/v2/classify/${job.id}`);
      if (status === 'COMPLETED') return job.id as string;
      if (SETTLED.includes(status as string) || Date.now() > deadline) {
        throw new Error(
          `fixture classify job ${job.id} is ${status}: ${error_message ?? 'not done in 30 s'}`,
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  });
}

export function idsOfKind(project: ProjectFixtures, kind: IdKind): string[] {
  switch (kind) {
    case 'file':
      return project.fileIds;
    case 'classify':
      return project.classifyJobIds;
    case 'parse':
      return project.parseJobIds;
    case 'configuration':
      return [project.classifyConfigurationId, project.parseConfigurationId];
    case 'webhookConfig':
      return project.webhookConfigIds;
  }
}

export function allIds(project: ProjectFixtures): string[] {
  return (['file', 'classify', 'parse', 'configuration', 'webhookConfig'] as const).flatMap((kind) =>
    idsOfKind(project, kind),
  );
}
