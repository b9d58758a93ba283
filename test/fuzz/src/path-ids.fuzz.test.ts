import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KEY_B, PROJECT_B } from './api-under-test.js';
import { encodePathSegment, pathId } from './arbitraries/ids.js';
import { allIds, SAMPLE_RULES } from './fixtures.js';
import { AUTH, useFuzzSession } from './fuzz-file.js';
import { send } from './http-client.js';
import { FuzzFailure } from './response-checks.js';
import { ID_ROUTES, ROUTES, routeLabel } from './routes.js';

const { session, timeout } = useFuzzSession('path-ids');

/** A body the route accepts, so that only the id decides the answer. */
function bodyFor(route: (typeof ID_ROUTES)[number]): string | undefined {
  if (route === 'configurationUpdate') return JSON.stringify({ name: 'fuzz renamed by id' });
  if (route === 'exampleCreate')
    return JSON.stringify({ file_input: 'dfl-00000000-0000-4000-8000-000000000000', type: null });
  if (route === 'classifyCorrection') return JSON.stringify({ type: null });
  if (route === 'webhookConfigUpdate') return JSON.stringify({ webhook_events: ['classify.success'] });
  return undefined;
}

describe('path ids: no 5xx, FastAPI-shaped errors', () => {
  it('every {id} route: real, cross-project and forged ids, encoded every way', {
    timeout: timeout({ weight: 3 }),
  }, async () => {
    await session().property(
      'path ids',
      (fixtures) => fc.record({ route: fc.constantFrom(...ID_ROUTES), id: pathId(fixtures) }),
      async ({ route, id }) => {
        const spec = ROUTES[route];
        const body = bodyFor(route);
        await session().exchange(spec, {
          method: spec.method,
          path: spec.path.replace('{id}', encodePathSegment(id.id, id.encoding)),
          headers: { ...AUTH, ...(body ? { 'content-type': 'application/json' } : {}) },
          ...(body ? { body } : {}),
        });
      },
      { weight: 3 },
    );
  });

  it("another project's ids answer 404 on every {id} route, and stay untouched", {
    timeout: timeout(),
  }, async () => {
    await session().property(
      'cross-project ids',
      (fixtures) =>
        fc.record({ route: fc.constantFrom(...ID_ROUTES), id: fc.constantFrom(...allIds(fixtures.other)) }),
      async ({ route, id }) => {
        const spec = ROUTES[route];
        const body = bodyFor(route);
        const res = await session().exchange(spec, {
          method: spec.method,
          path: spec.path.replace('{id}', id),
          headers: { ...AUTH, ...(body ? { 'content-type': 'application/json' } : {}) },
          ...(body ? { body } : {}),
        });
        if (res.status !== 404 || res.body.includes(PROJECT_B)) {
          throw new FuzzFailure(
            `${routeLabel(spec)} with project B's ${id} answered ${res.status}: ${res.body}`,
          );
        }
      },
    );
    // Nothing the other key did reached project B: its resources are all still there.
    const other = session().fixtures.other;
    for (const [path, ids] of [
      ['/api/v1/beta/files/', other.fileIds],
      ['/api/v2/classify/', other.classifyJobIds],
      ['/api/v2/parse/', other.parseJobIds],
      ['/api/v1/beta/configurations/', [other.classifyConfigurationId, other.parseConfigurationId]],
      ['/api/v1/beta/webhook-configs/', other.webhookConfigIds],
    ] as const) {
      for (const id of ids) {
        const res = await send(session().api.baseUrl, {
          method: 'GET',
          path: `${path}${id}`,
          headers: { authorization: `Bearer ${KEY_B}` },
        });
        expect(res.status, `${path}${id} for its own project`).toBe(200);
      }
    }
  });

  it("bodies naming another project's files, parse jobs and configurations answer 404", {
    timeout: timeout(),
  }, async () => {
    await session().property(
      'cross-project references',
      (fixtures) => {
        const other = fixtures.other;
        const rules = { rules: SAMPLE_RULES };
        return fc.constantFrom(
          { route: 'classifyCreate' as const, body: { configuration: rules, file_input: other.fileIds[0] } },
          {
            route: 'classifyCreate' as const,
            body: { configuration: rules, file_input: other.parseJobIds[0] },
          },
          { route: 'classifyCreate' as const, body: { configuration: rules, file_id: other.fileIds[1] } },
          {
            route: 'classifyCreate' as const,
            body: { configuration: rules, parse_job_id: other.parseJobIds[1] },
          },
          {
            route: 'classifyCreate' as const,
            body: { configuration_id: other.classifyConfigurationId, file_input: fixtures.own.fileIds[0] },
          },
          { route: 'parseCreate' as const, body: { file_id: other.fileIds[0] } },
          {
            route: 'parseCreate' as const,
            body: { configuration_id: other.parseConfigurationId, file_id: fixtures.own.fileIds[0] },
          },
        );
      },
      async ({ route, body }) => {
        const spec = ROUTES[route];
        const res = await session().exchange(spec, {
          method: spec.method,
          path: spec.path,
          headers: { ...AUTH, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        if (res.status !== 404)
          throw new FuzzFailure(`${JSON.stringify(body)} answered ${res.status}: ${res.body}`);
      },
      { weight: 0.5 },
    );
  });

  it('methods a route does not have answer a FastAPI-shaped 404', { timeout: timeout() }, async () => {
    await session().property(
      'wrong methods',
      (fixtures) =>
        fc.record({
          route: fc.constantFrom(...(Object.keys(ROUTES) as Array<keyof typeof ROUTES>)),
          method: fc.constantFrom(
            'GET',
            'POST',
            'PUT',
            'PATCH',
            'DELETE',
            'HEAD',
            'OPTIONS',
            'PROPFIND',
            'TRACE',
          ),
          id: pathId(fixtures),
        }),
      async ({ route, method, id }) => {
        const spec = ROUTES[route];
        // The route's own method is judged as that route; any other as a route that is not there.
        await session().exchange(method === spec.method ? spec : 'wrong method (any route)', {
          method,
          path: spec.path.replace('{id}', encodePathSegment(id.id, id.encoding)),
          headers: AUTH,
        });
      },
      { weight: 0.5 },
    );
  });
});
