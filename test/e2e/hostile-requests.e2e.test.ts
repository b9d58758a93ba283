import { type ServiceStack, sendRaw, startServiceStack } from '@classifyd/testkit';
import { toFile } from '@llamaindex/llama-cloud';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { API_KEYS, sdk, statusError } from './clients.js';
import { RULES } from './documents.js';

const BOUNDARY = 'B';

/** A multipart upload as raw bytes; a reset announces more than it sends, so the server is still reading. */
function sendUpload(baseUrl: string, path: string, body: string, how: 'end' | 'reset'): Promise<string> {
  const length = Buffer.byteLength(body) + (how === 'reset' ? 1000 : 0);
  return sendRaw({
    port: Number(new URL(baseUrl).port),
    payload:
      `POST ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer key-a\r\n` +
      `Content-Type: multipart/form-data; boundary=${BOUNDARY}\r\nContent-Length: ${length}\r\n\r\n${body}`,
    close: how,
  });
}

describe('one request cannot take the API down', () => {
  let stack: ServiceStack;
  let a: ReturnType<typeof sdk>;

  beforeAll(async () => {
    // The API alone: every request here is refused or only queued.
    stack = await startServiceStack({
      redisUrl: inject('redisUrl'),
      label: 'hostile-req',
      env: { API_KEYS },
      workers: [],
    });
    a = sdk(stack.baseUrl, 'key-a');
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const api = () => stack.apps.find((app) => app.name === 'api');

  // The probe's reproducer: a file part under a field name the route does not read, then the end.
  const cutShort = (name: string) =>
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"; filename="a"\r\n\r\nhi`;

  it.each([
    ['/api/v1/beta/files', 'other'],
    ['/api/v1/beta/files', 'file'],
    ['/api/v1/files', 'other'],
    ['/api/v1/files', 'upload_file'],
    ['/api/v2/parse/upload', 'other'],
    ['/api/v2/parse/upload', 'file'],
  ])(
    '%s: a part named %s that ends early is a 400, and a reset mid-part is nothing; the API lives on',
    async (path, name) => {
      const answer = await sendUpload(stack.baseUrl, path, cutShort(name), 'end');
      expect(answer).toMatch(/^HTTP\/1\.1 400 /);
      expect(answer).toMatch(/"detail":"The multipart body could not be read"/);
      await sendUpload(stack.baseUrl, path, cutShort(name), 'reset');
      expect(api()?.child.exitCode).toBeNull();
      const file = await a.files.create({
        file: await toFile(Buffer.from('still serving'), 'ok.txt'),
        purpose: 'classify',
      });
      expect(file.id).toMatch(/^dfl-/);
    },
  );

  it.each(['bnVsbA', 'MTIz', 'W10', 'e30', 'eyJxIjoxLCJtIjpbXX0', '!!!', 'A'.repeat(600)])(
    'answers the forged page_token %s with a 400 on every list',
    async (token) => {
      // One at a time: a list called before the previous one is awaited would reject unheard.
      const lists = [
        () => a.files.list({ page_token: token }),
        () => a.classify.list({ page_token: token }),
        () => a.parsing.list({ page_token: token }),
        () => a.configurations.list({ page_token: token }),
      ];
      for (const list of lists) {
        const { status, body } = await statusError(list());
        expect(status === 400 || status === 422, JSON.stringify(body)).toBe(true);
        expect(JSON.stringify(body)).toMatch(/page_token/);
      }
    },
  );

  it('refuses more pages than one parse may read, at create, naming the field', async () => {
    const file = await a.files.create({
      file: await toFile(Buffer.from('a document'), 'd.txt'),
      purpose: 'classify',
    });
    const tooMany = { max_pages: 100_000 };
    const classify = await statusError(
      a.classify.create({
        file_input: file.id,
        configuration: { rules: RULES, parsing_configuration: tooMany },
      }),
    );
    expect(classify.status).toBe(422);
    expect(classify.body).toEqual({
      detail: [
        {
          loc: ['body', 'configuration', 'parsing_configuration', 'max_pages'],
          msg: expect.stringMatching(/max_pages is 100000; one parse reads at most 1000 pages/),
          type: 'less_than_equal',
        },
      ],
    });
    const parse = await statusError(
      a.parsing.create({
        tier: 'fast',
        version: 'latest',
        file_id: file.id,
        page_ranges: { target_pages: '1-100000' },
      }),
    );
    expect(parse.status).toBe(422);
    expect(JSON.stringify(parse.body)).toMatch(/"loc":\["body","page_ranges","target_pages"\]/);
    const saved = await statusError(
      a.configurations.create({
        name: 'too many pages',
        parameters: { product_type: 'classify_v2', rules: RULES, parsing_configuration: tooMany },
      } as never),
    );
    expect(saved.status).toBe(422);
    expect(JSON.stringify(saved.body)).toMatch(
      /"loc":\["body","parameters","parsing_configuration","max_pages"\]/,
    );
    // Nothing was queued for any of them.
    expect((await a.classify.list({})).items).toEqual([]);
    expect((await a.parsing.list({})).items).toEqual([]);
  });
});
