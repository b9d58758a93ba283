import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodePathSegment, forgedId } from './arbitraries/ids.js';
import { encodeQuery, listQuery, listQueryWithoutToken, pageToken } from './arbitraries/queries.js';
import { longString, numberish, unicodeText } from './arbitraries/strings.js';
import type { Fixtures } from './fixtures.js';
import { AUTH, useFuzzSession } from './fuzz-file.js';
import { regressions } from './regressions.js';
import { LIST_ROUTES, ROUTES, routeLabel } from './routes.js';

const { session, timeout } = useFuzzSession('queries');

/** A list route's path as requested: the examples listed are the project's classify configuration's. */
const listPathOf = (route: (typeof LIST_ROUTES)[number], fixtures: Fixtures) =>
  ROUTES[route].path.replace('{id}', fixtures.own.classifyConfigurationId);

describe('query strings: what is valid is accepted', () => {
  it(`${routeLabel(ROUTES.exampleList)}: each filter, and the next page`, async () => {
    const fixtures = session().fixtures;
    const path = listPathOf('exampleList', fixtures);
    const token = fixtures.own.pageTokens[ROUTES.exampleList.path] ?? '';
    for (const [query, types] of [
      // Newest first: the negative example was added last.
      ['page_size=1', [null]],
      [`page_size=1&page_token=${encodeURIComponent(token)}`, ['invoice']],
      ['type=invoice&status=PENDING', ['invoice']],
      ['type=', [null]],
      ['status=READY&page_size=100', []],
    ] as const) {
      const res = await session().exchange(ROUTES.exampleList, {
        method: 'GET',
        path: `${path}?${query}`,
        headers: AUTH,
      });
      expect(res.status, `${query}: ${res.body}`).toBe(200);
      const { items } = JSON.parse(res.body.toString()) as { items: { type: string | null }[] };
      expect(items.map((e) => e.type)).toEqual(types);
    }
  });
});

describe('query strings: no 5xx, FastAPI-shaped errors', () => {
  for (const route of LIST_ROUTES) {
    const spec = ROUTES[route];
    it(`${routeLabel(spec)}: filters, page sizes, repeated and unknown parameters`, {
      timeout: timeout(),
    }, async () => {
      await session().property(
        `${route} query`,
        (fixtures) => listQueryWithoutToken(fixtures, spec.path),
        async (query, fixtures) => {
          await session().exchange(spec, {
            method: 'GET',
            path: `${listPathOf(route, fixtures)}${encodeQuery(query)}`,
            headers: AUTH,
          });
        },
      );
    });
  }

  it('list routes: forged, tampered and replayed page_token values', { timeout: timeout() }, async () => {
    await session().property(
      'page_token',
      (fixtures) =>
        fc.constantFrom(...LIST_ROUTES).chain((route) =>
          fc.record({
            route: fc.constant(route),
            token: pageToken(fixtures, ROUTES[route].path),
            rest: listQuery(fixtures, ROUTES[route].path),
          }),
        ),
      async ({ route, token, rest }, fixtures) => {
        const spec = ROUTES[route];
        const query = encodeQuery({
          ...rest,
          pairs: [...rest.pairs.filter(([k]) => k !== 'page_token'), ['page_token', token]],
        });
        await session().exchange(spec, {
          method: 'GET',
          path: `${listPathOf(route, fixtures)}${query}`,
          headers: AUTH,
        });
      },
      { examples: regressions.pageToken },
    );
  });

  it(`${routeLabel(ROUTES.parseGet)}: expand values, repeated and comma-joined`, {
    timeout: timeout(),
  }, async () => {
    const expansion = fc.oneof(
      fc.constantFrom(
        'text',
        'markdown',
        'items',
        'metadata',
        'text_full',
        'markdown_full',
        'job_metadata',
        'forms',
      ),
      fc.constantFrom('usage', 'images_content_metadata', 'TEXT', ' text ', ',', ',,', 'text,', 'nope', ''),
      unicodeText(12),
    );
    await session().property(
      'parse get expand',
      (fixtures) =>
        fc.record({
          id: fc.oneof(fc.constantFrom(...fixtures.own.parseJobIds), forgedId),
          pairs: fc.array(
            fc.oneof(
              expansion.map((v): [string, string] => ['expand', v]),
              fc.array(expansion, { maxLength: 30 }).map((vs): [string, string] => ['expand', vs.join(',')]),
              fc.tuple(fc.constantFrom('project_id', 'organization_id', 'expand[]', 'x'), unicodeText(10)),
            ),
            { maxLength: 25 },
          ),
          encoding: fc.constantFrom<'component' | 'raw'>('component', 'raw'),
        }),
      async ({ id, pairs, encoding }) => {
        const path = ROUTES.parseGet.path.replace('{id}', encodePathSegment(id, 'component'));
        await session().exchange(ROUTES.parseGet, {
          method: 'GET',
          path: `${path}${encodeQuery({ pairs, encoding })}`,
          headers: AUTH,
        });
      },
    );
  });

  it(`${routeLabel(ROUTES.fileContent)}: expires_at_seconds, Host and X-Forwarded-Proto`, {
    timeout: timeout(),
  }, async () => {
    const header = fc.oneof(
      fc.constantFrom(
        '',
        'example.com',
        'example.com:8080',
        '[::1]:80',
        '[::1',
        'a b',
        'evil.com/x?',
        'x:99999',
      ),
      fc.constantFrom('https', 'http', 'ftp', 'javascript', 'https, http', ''),
      unicodeText(20).map((s) => s.replace(/[^\t\x20-\x7e\x80-\xff]/g, '')),
    );
    await session().property(
      'file content query',
      (fixtures) =>
        fc.record(
          {
            id: fc.oneof(fc.constantFrom(...fixtures.own.fileIds), forgedId),
            seconds: fc.oneof(
              numberish,
              fc.integer().map(String),
              fc.constantFrom('1', '604800', '604801', '0'),
            ),
            repeat: fc.boolean(),
            host: header,
            proto: header,
          },
          { requiredKeys: ['id'] },
        ),
      async ({ id, seconds, repeat, host, proto }) => {
        const pairs: Array<[string, string]> = seconds === undefined ? [] : [['expires_at_seconds', seconds]];
        if (repeat && seconds !== undefined) pairs.push(['expires_at_seconds', '60']);
        const headers: Record<string, string> = { ...AUTH };
        if (host !== undefined) headers.host = host;
        if (proto !== undefined) headers['x-forwarded-proto'] = proto;
        const path = ROUTES.fileContent.path.replace('{id}', encodePathSegment(id, 'component'));
        await session().exchange(ROUTES.fileContent, {
          method: 'GET',
          path: `${path}${encodeQuery({ pairs, encoding: 'component' })}`,
          headers,
        });
      },
    );
  });

  it(`${routeLabel(ROUTES.fileDownload)}: forged and tampered signatures and expiry times`, {
    timeout: timeout(),
  }, async () => {
    await session().property(
      'signed download',
      (fixtures) => {
        const real = new URL(fixtures.own.downloadPath, 'http://x');
        const realExpires = real.searchParams.get('expires') ?? '';
        const realSignature = real.searchParams.get('signature') ?? '';
        return fc.record({
          id: fc.oneof(
            fc.constant(real.pathname.split('/')[5] ?? ''),
            fc.constantFrom(...fixtures.own.fileIds, ...fixtures.other.fileIds),
            forgedId,
          ),
          expires: fc.oneof(
            fc.constant(realExpires),
            numberish,
            fc.integer().map(String),
            fc.constantFrom(
              `${realExpires}.0`,
              `${Number(realExpires) + 1}`,
              `0x${Number(realExpires).toString(16)}`,
            ),
          ),
          signature: fc.oneof(
            fc.constant(realSignature),
            fc.constantFrom(realSignature.toUpperCase(), realSignature.slice(1), `${realSignature}0`),
            unicodeText(70),
            longString(60, 70),
            fc.stringMatching(/^[0-9a-f]{64}$/),
          ),
          extra: fc.array(fc.tuple(fc.constantFrom('expires', 'signature', 'x'), unicodeText(10)), {
            maxLength: 2,
          }),
        });
      },
      async ({ id, expires, signature, extra }) => {
        const path = ROUTES.fileDownload.path.replace('{id}', encodePathSegment(id, 'component'));
        const query = encodeQuery({
          pairs: [['expires', expires], ['signature', signature], ...extra],
          encoding: 'component',
        });
        await session().exchange(ROUTES.fileDownload, { method: 'GET', path: `${path}${query}` });
      },
    );
  });
});
