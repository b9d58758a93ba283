import type { ParsedPage } from '@classifyd/shared';
import { ConfigurationStore, ExampleStore, JobStore, type StoredParseJob } from '@classifyd/store';
import { removePrefix, uniquePrefix } from '@classifyd/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { settleExample } from './example-settlement.js';

const PROJECT = 'p-settle';
const page = (page_number: number, text: string, success = true): ParsedPage => ({
  page_number,
  text,
  markdown: text,
  success,
});

describe('settling an example against a real Redis', () => {
  const prefix = uniquePrefix('settle');
  let redis: Redis;
  let jobs: JobStore;
  let examples: ExampleStore;
  let configurationId: string;

  beforeAll(async () => {
    redis = new Redis(inject('redisUrl'));
    jobs = new JobStore(redis, { queuePrefix: prefix, retentionSeconds: 60 });
    examples = new ExampleStore(redis, prefix);
    const saved = await new ConfigurationStore(redis, prefix).upsert(PROJECT, 'settle', {
      product_type: 'classify_v2',
      rules: [{ type: 'invoice', description: 'A bill asking for payment' }],
      mode: 'FAST',
    });
    configurationId = saved.id;
  });
  afterAll(async () => {
    await removePrefix(redis, prefix);
    redis.disconnect();
  });

  const newParse = (): Promise<StoredParseJob> =>
    jobs.createParseJob(PROJECT, 'u1', {
      source: { type: 'file', file_id: 'dfl-x', sha256: 'h' },
      name: 'inv-0042.txt',
      target_pages: null,
      max_pages: null,
      lang: 'en',
    });
  const exampleOf = (parse: StoredParseJob) =>
    examples.create({
      projectId: PROJECT,
      configurationId,
      type: 'invoice',
      fileInput: parse.id,
      parseJobId: parse.id,
      name: 'inv-0042.txt',
      limit: 100,
    });
  const finish = async (parse: StoredParseJob, pages: ParsedPage[]) => {
    await jobs.transition(parse.id, 'RUNNING');
    await jobs.transition(parse.id, 'COMPLETED', {
      pages: { format: 'text', page_count: pages.length, pages },
    });
  };
  const deps = () => ({ jobs, examples });

  it('waits while the parse runs, then keeps the pages it read and is READY', async () => {
    const parse = await newParse();
    const example = await exampleOf(parse);
    expect(await settleExample(deps(), example)).toBe('PENDING');
    await finish(parse, [page(1, 'Invoice number 4711'), page(2, '', false)]);
    expect(await settleExample(deps(), example)).toBe('READY');
    const { version } = await examples.readyExamples(PROJECT, configurationId);
    const [loaded] = (await examples.loadReady(PROJECT, configurationId, version)) ?? [];
    expect(loaded?.pages).toEqual([{ page_number: 1, text: 'Invoice number 4711' }]);
    // Settling again (a retried job) changes nothing.
    expect(await settleExample(deps(), example)).toBe('READY');
  });

  it.each([
    [
      'the parse failed',
      async (id: string) => {
        await jobs.transition(id, 'RUNNING');
        await jobs.transition(id, 'FAILED', { error_message: 'The PDF is encrypted' });
      },
      /^The document could not be parsed: The PDF is encrypted$/,
    ],
    [
      'the parse was cancelled',
      async (id: string) => jobs.transition(id, 'CANCELLED'),
      /was cancelled before the document was read/,
    ],
    ['the parse job is gone', async (id: string) => redis.del(`${prefix}:s:job:${id}`), /no longer exists/],
    [
      'its text has expired',
      async (id: string) => {
        await finish({ id } as StoredParseJob, [page(1, 'x')]);
        await redis.del(`${prefix}:s:pages:${id}`);
      },
      /has expired/,
    ],
    [
      'the document has no text',
      async (id: string) => finish({ id } as StoredParseJob, [page(1, '   ')]),
      /no text to learn from/,
    ],
  ] as const)('fails saying why when %s', async (_name, end, message) => {
    const parse = await newParse();
    const example = await exampleOf(parse);
    await end(parse.id);
    expect(await settleExample(deps(), example)).toBe('FAILED');
    expect((await examples.get(PROJECT, configurationId, example.id))?.errorMessage).toMatch(message);
  });

  it("reports 'gone' for an example deleted while it waited", async () => {
    const parse = await newParse();
    const example = await exampleOf(parse);
    await examples.delete(example);
    await finish(parse, [page(1, 'text')]);
    expect(await settleExample(deps(), example)).toBe('gone');
  });
});
