import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { jsonBody, templates } from './arbitraries/bodies.js';
import { encodePathSegment, type PathId, pathId } from './arbitraries/ids.js';
import { toJsonText } from './arbitraries/json.js';
import { gzipBomb, rawBody } from './arbitraries/raw-bodies.js';
import { completedClassifyJob, type Fixtures } from './fixtures.js';
import { AUTH, useFuzzSession } from './fuzz-file.js';
import { regressions } from './regressions.js';
import { JSON_BODY_ROUTES, ROUTES, routeLabel } from './routes.js';

const { session, timeout } = useFuzzSession('json-bodies');

type BodyRoute = (typeof JSON_BODY_ROUTES)[number];

/** A JSON body, and the resource its path names (mostly the one its templates are valid for). */
interface BodyCase {
  body: unknown;
  id: PathId;
}

const NO_ID: PathId = { id: '', encoding: 'component' };

/** The COMPLETED classify job corrections name; the fuzzed API runs no workers to finish one. */
let correctedJobId = '';
beforeAll(async () => {
  correctedJobId = await completedClassifyJob(session().api, session().fixtures.own);
});

/** The ids a route's templates are valid with; none for a route without an id in its path. */
function templateIds(route: BodyRoute, fixtures: Fixtures): string[] {
  switch (route) {
    case 'configurationUpdate':
      return [fixtures.own.classifyConfigurationId, fixtures.own.parseConfigurationId];
    case 'exampleCreate':
      return [fixtures.own.classifyConfigurationId];
    case 'classifyCorrection':
      return [correctedJobId];
    case 'webhookConfigUpdate':
      return fixtures.own.webhookConfigIds;
    default:
      return [];
  }
}

function pathIdOf(route: BodyRoute, fixtures: Fixtures): fc.Arbitrary<PathId> {
  const valid = templateIds(route, fixtures);
  if (valid.length === 0) return fc.constant(NO_ID);
  return fc.oneof(
    {
      weight: 4,
      arbitrary: fc.constantFrom(...valid).map((id): PathId => ({ id, encoding: 'component' })),
    },
    { weight: 1, arbitrary: pathId(fixtures) },
  );
}

function pathOf(route: BodyRoute, id: PathId) {
  const spec = ROUTES[route];
  return spec.path.replace('{id}', encodePathSegment(id.id, id.encoding));
}

const post = (route: BodyRoute, id: PathId, body: unknown) =>
  session().exchange(ROUTES[route], {
    method: ROUTES[route].method,
    path: pathOf(route, id),
    headers: { ...AUTH, 'content-type': 'application/json' },
    body: toJsonText(body),
  });

describe('JSON bodies: what is valid is accepted', () => {
  it('the example and correction routes accept each of their templates', async () => {
    const fixtures = session().fixtures;
    const valid = templates(fixtures);
    for (const route of ['exampleCreate', 'classifyCorrection'] as const) {
      const [id = ''] = templateIds(route, fixtures);
      for (const body of valid[route]) {
        const res = await post(route, { id, encoding: 'component' }, body);
        expect([200, 201], `${routeLabel(ROUTES[route])} ${JSON.stringify(body)}: ${res.body}`).toContain(
          res.status,
        );
        expect(JSON.parse(res.body.toString())).toMatchObject(
          route === 'exampleCreate' ? { type: body.type } : { correction: { type: body.type } },
        );
      }
    }
  });
});

describe('JSON bodies: no 5xx, FastAPI-shaped errors', () => {
  for (const route of JSON_BODY_ROUTES) {
    it(`${routeLabel(ROUTES[route])}: the schema's fields mutated one by one and all at once`, {
      timeout: timeout({ weight: 2 }),
    }, async () => {
      await session().property<BodyCase>(
        `${route} schema-shaped`,
        (fixtures) => fc.record({ body: jsonBody(fixtures, route), id: pathIdOf(route, fixtures) }),
        async ({ body, id }) => {
          await post(route, id, body);
        },
        { weight: 2, examples: regressions[route] },
      );
    });
  }

  it('raw bodies: not JSON, not an object, wrong content types and encodings', {
    timeout: timeout(),
  }, async () => {
    await session().property(
      'raw bodies',
      (fixtures) =>
        fc.record({
          route: fc.constantFrom(...JSON_BODY_ROUTES, 'classifyCancel', 'parseCancel'),
          id: pathId(fixtures),
          raw: rawBody,
        }),
      async ({ route, id, raw }) => {
        const spec = ROUTES[route];
        const headers: Record<string, string> = { ...AUTH };
        if (raw.contentType !== undefined) headers['content-type'] = raw.contentType;
        if (raw.contentEncoding !== undefined) headers['content-encoding'] = raw.contentEncoding;
        await session().exchange(spec, {
          method: spec.method,
          path: spec.path.replace('{id}', encodePathSegment(id.id, id.encoding)),
          headers,
          body: raw.bytes,
        });
      },
    );
  });

  it('a gzip bomb (50 MB of JSON in 50 KB) is refused, not inflated', { timeout: timeout() }, async () => {
    const bomb = gzipBomb();
    for (const route of JSON_BODY_ROUTES.filter((r) => !ROUTES[r].path.includes('{id}'))) {
      const spec = ROUTES[route];
      await session().exchange(spec, {
        method: spec.method,
        path: spec.path,
        headers: {
          ...AUTH,
          'content-type': bomb.contentType ?? '',
          'content-encoding': bomb.contentEncoding ?? '',
        },
        body: bomb.bytes,
      });
    }
    await session().assertAlive('gzip bomb');
  });
});
