import fc from 'fast-check';
import { describe, it } from 'vitest';
import { jsonBody } from './arbitraries/bodies.js';
import { encodePathSegment, type PathId, pathId } from './arbitraries/ids.js';
import { toJsonText } from './arbitraries/json.js';
import { gzipBomb, rawBody } from './arbitraries/raw-bodies.js';
import { AUTH, useFuzzSession } from './fuzz-file.js';
import { regressions } from './regressions.js';
import { JSON_BODY_ROUTES, ROUTES, routeLabel } from './routes.js';

const { session, timeout } = useFuzzSession('json-bodies');

/** A JSON body, and the configuration a PUT names (mostly the project's own). */
interface BodyCase {
  body: unknown;
  id: PathId;
}

function pathOf(route: (typeof JSON_BODY_ROUTES)[number], id: PathId) {
  const spec = ROUTES[route];
  return spec.path.replace('{id}', encodePathSegment(id.id, id.encoding));
}

describe('JSON bodies: no 5xx, FastAPI-shaped errors', () => {
  for (const route of JSON_BODY_ROUTES) {
    it(`${routeLabel(ROUTES[route])}: the schema's fields mutated one by one and all at once`, {
      timeout: timeout({ weight: 2 }),
    }, async () => {
      await session().property<BodyCase>(
        `${route} schema-shaped`,
        (fixtures) =>
          fc.record({
            body: jsonBody(fixtures, route),
            id:
              route !== 'configurationUpdate'
                ? fc.constant<PathId>({ id: '', encoding: 'component' })
                : fc.oneof(
                    {
                      weight: 4,
                      arbitrary: fc
                        .constantFrom(fixtures.own.classifyConfigurationId, fixtures.own.parseConfigurationId)
                        .map((id): PathId => ({ id, encoding: 'component' })),
                    },
                    { weight: 1, arbitrary: pathId(fixtures) },
                  ),
          }),
        async ({ body, id }) => {
          await session().exchange(ROUTES[route], {
            method: ROUTES[route].method,
            path: pathOf(route, id),
            headers: { ...AUTH, 'content-type': 'application/json' },
            body: toJsonText(body),
          });
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
