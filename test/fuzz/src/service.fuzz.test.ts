import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KEY_A, KEY_B, PROJECT_A, PROJECT_B } from './api-under-test.js';
import { encodePathSegment, forgedId, pathId } from './arbitraries/ids.js';
import { encodeQuery } from './arbitraries/queries.js';
import { longString, unicodeText } from './arbitraries/strings.js';
import { useFuzzSession } from './fuzz-file.js';
import { rawRequest, send, sendRaw } from './http-client.js';
import { describeExchange, FuzzFailure } from './response-checks.js';
import { ROUTE_NAMES, ROUTES, type RouteName } from './routes.js';

const { session, timeout } = useFuzzSession('service');

const SERVICE_ROUTES = ['health', 'ready', 'metrics', 'openapi', 'docs', 'docsInit', 'docsAssets'] as const;
const API_ROUTES = ROUTE_NAMES.filter((name) => ROUTES[name].auth);

/** Header values node:http will send (it refuses controls and characters past U+00FF). */
const headerText = (max = 40) => unicodeText(max).map((s) => s.replace(/[^\t\x20-\x7e\x80-\xff]/g, ''));

describe('service routes, auth and the transport: no 5xx, FastAPI-shaped errors', () => {
  it('the suite fuzzes every route the OpenAPI document lists', async () => {
    const res = await send(session().api.baseUrl, { method: 'GET', path: '/openapi.json' });
    const document = JSON.parse(res.body.toString()) as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((m) => `${m.toUpperCase()} ${path.replace(/\{[a-z_]+\}/g, '{id}')}`),
    );
    const fuzzed = new Set(ROUTE_NAMES.map((name) => `${ROUTES[name].method} ${ROUTES[name].path}`));
    expect(documented.filter((route) => !fuzzed.has(route))).toEqual([]);
  });

  it('health, ready, metrics, openapi and docs: any query, accept header and asset name', {
    timeout: timeout(),
  }, async () => {
    await session().property(
      'service routes',
      () =>
        fc.record({
          route: fc.constantFrom(...SERVICE_ROUTES),
          asset: fc.oneof(
            fc.constantFrom(
              'swagger-ui.css',
              'swagger-ui-bundle.js',
              'index.html',
              'package.json',
              '../package.json',
            ),
            fc.constantFrom('..%2f..%2fpackage.json', '%2e%2e/%2e%2e/etc/passwd', '.', '', 'a/', 'x.map'),
            forgedId,
          ),
          query: fc.array(fc.tuple(unicodeText(10), unicodeText(20)), { maxLength: 4 }),
          accept: fc.constantFrom('*/*', 'application/json', 'text/html', 'application/openmetrics-text', ''),
          method: fc.constantFrom('GET', 'GET', 'GET', 'HEAD'),
        }),
      async ({ route, asset, query, accept, method }) => {
        const spec = ROUTES[route];
        // Slashes stay: a path into the assets folder; each segment goes out as the request line allows.
        const encoded = asset.includes('/')
          ? asset
              .split('/')
              .map((segment) => encodePathSegment(segment, 'raw'))
              .join('/')
          : encodePathSegment(asset, 'component');
        const path = spec.path.replace('{id}', encoded);
        await session().exchange(spec, {
          method,
          path: `${path}${encodeQuery({ pairs: query, encoding: 'component' })}`,
          headers: { accept },
        });
      },
    );
  });

  it('the API key and project_id checks: missing, malformed and foreign keys', {
    timeout: timeout(),
  }, async () => {
    await session().property(
      'auth',
      (fixtures) =>
        fc.record(
          {
            route: fc.constantFrom(...API_ROUTES),
            id: pathId(fixtures),
            authorization: fc.oneof(
              fc.constantFrom(
                `Bearer ${KEY_A}`,
                `bearer ${KEY_A}`,
                `Bearer  ${KEY_A} `,
                `Bearer ${KEY_B}`,
                'Bearer',
                'Bearer ',
                `Basic ${Buffer.from('a:b').toString('base64')}`,
                KEY_A,
                `Token ${KEY_A}`,
                `Bearer ${KEY_A}${KEY_A}`,
                `Bearer ${KEY_A},Bearer ${KEY_B}`,
              ),
              headerText().map((s) => `Bearer ${s}`),
              longString(4000, 8000).map((s) => `Bearer ${s.replace(/[^\x20-\x7e]/g, 'a')}`),
            ),
            projectId: fc.oneof(fc.constantFrom(PROJECT_A, PROJECT_B, ''), headerText(20)),
            repeatProject: fc.boolean(),
          },
          { requiredKeys: ['route', 'id'] },
        ),
      async ({ route, id, authorization, projectId, repeatProject }) => {
        const spec = ROUTES[route as RouteName];
        const pairs: Array<[string, string]> = [];
        if (projectId !== undefined) pairs.push(['project_id', projectId]);
        if (projectId !== undefined && repeatProject) pairs.push(['project_id', PROJECT_A]);
        await session().exchange(spec, {
          method: spec.method,
          path: `${spec.path.replace('{id}', encodePathSegment(id.id, id.encoding))}${encodeQuery({ pairs, encoding: 'component' })}`,
          headers: authorization === undefined ? {} : { authorization },
        });
      },
    );
  });

  it('paths no route serves answer a FastAPI-shaped 404 (or 401 under /api)', {
    timeout: timeout(),
  }, async () => {
    await session().property(
      'unknown paths',
      () =>
        fc.record({
          segments: fc.array(
            fc.oneof(
              fc.constantFrom('api', 'v1', 'v2', 'beta', 'classify', 'files', '..', '.', ''),
              forgedId,
            ),
            { minLength: 1, maxLength: 6 },
          ),
          authorized: fc.boolean(),
        }),
      async ({ segments, authorized }) => {
        const path = `/${segments.map((s) => encodePathSegment(s, 'component')).join('/')}`;
        await session().exchange('unknown path', {
          method: 'GET',
          path,
          headers: authorized ? { authorization: `Bearer ${KEY_A}` } : {},
        });
      },
      { weight: 0.5 },
    );
  });

  it('request lines and headers node:http would not send: the API answers below 500 and keeps serving', {
    timeout: timeout(),
  }, async () => {
    const target = fc.oneof(
      fc.constantFrom(
        '/health',
        '/api/v2/classify',
        `/api/v2/classify/${'x'.repeat(20_000)}`,
        '*',
        '//',
        'health',
      ),
      fc.constantFrom(
        'http://127.0.0.1/health',
        '/%',
        '/%%',
        '/\u00e9',
        '/\u0000',
        '/a b',
        '/health#frag',
        '/health?a=%ZZ',
      ),
      unicodeText(30).map((s) => `/api/v2/classify/${s}`),
    );
    await session().property(
      'raw request lines',
      () =>
        fc.record({
          method: fc.constantFrom('GET', 'POST', 'get', 'G ET', 'CONNECT', 'X'.repeat(100)),
          target,
          version: fc.constantFrom('HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/1.1 junk'),
          header: fc.oneof(
            fc.constant(`Authorization: Bearer ${KEY_A}`),
            fc.constantFrom(
              'X-Bad Name: 1',
              'X-Empty:',
              ': no-name',
              `X-Long: ${'y'.repeat(20_000)}`,
              'Transfer-Encoding: chunked, identity',
            ),
            headerText().map((v) => `X-Fuzz: ${v}`),
          ),
        }),
      async ({ method, target: path, version, header }) => {
        const api = session().api;
        const head = `${method} ${path} ${version}\r\nHost: ${api.host}\r\n${header}\r\nConnection: close\r\n\r\n`;
        const res = await sendRaw(api.baseUrl, Buffer.from(head, 'utf8'), { endAfterWrite: true });
        session().tally.count('raw request line', res.status);
        const request = { method, path, headers: { header } };
        if (await api.exitedSoon(100)) {
          throw new FuzzFailure(
            `the API process exited on\n${describeExchange(request, res)}\n\n${api.crashOf().output}`,
          );
        }
        if (res.status >= 500) throw new FuzzFailure(`server error on\n${describeExchange(request, res)}`);
      },
      { weight: 0.5 },
    );
    // One request node:http can send, to show the raw ones left the server answering.
    expect(
      (
        await sendRaw(
          session().api.baseUrl,
          rawRequest({ method: 'GET', path: '/health' }, session().api.host),
        )
      ).status,
    ).toBe(200);
  });
});
