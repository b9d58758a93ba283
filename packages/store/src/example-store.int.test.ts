import { AppError, EXAMPLE_TEXT_CHARS, type ParsedPage } from '@classifyd/shared';
import { removePrefix, uniquePrefix } from '@classifyd/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ConfigurationStore } from './configuration-store.js';
import type { StoredExample } from './example-record.js';
import { ExampleStore, type NewExample } from './example-store.js';

const PROJECT = 'p-examples';
const page = (page_number: number, text: string, success = true): ParsedPage => ({
  page_number,
  text,
  markdown: text,
  success,
});

/**
 * The client, except that `act` runs (once) just before its first pipeline is sent: where
 * loadReady, having read the ids, reads their records and texts.
 */
function beforeFirstPipeline(redis: Redis, act: () => Promise<unknown>): Redis {
  let pending = true;
  return new Proxy(redis, {
    get(target, property) {
      const value = Reflect.get(target, property, target);
      if (property !== 'pipeline') return typeof value === 'function' ? value.bind(target) : value;
      return () => {
        const pipeline = target.pipeline();
        const exec = pipeline.exec.bind(pipeline);
        pipeline.exec = (async () => {
          if (pending) {
            pending = false;
            await act();
          }
          return exec();
        }) as typeof pipeline.exec;
        return pipeline;
      };
    },
  });
}

describe('ExampleStore against a real Redis', () => {
  const prefix = uniquePrefix('examples');
  let redis: Redis;
  let examples: ExampleStore;
  let configurations: ConfigurationStore;

  beforeAll(() => {
    redis = new Redis(inject('redisUrl'));
    examples = new ExampleStore(redis, prefix);
    configurations = new ConfigurationStore(redis, prefix);
  });
  afterAll(async () => {
    await removePrefix(redis, prefix);
    redis.disconnect();
  });

  async function newConfiguration(name: string): Promise<string> {
    const saved = await configurations.upsert(PROJECT, name, {
      product_type: 'classify_v2',
      rules: [
        { type: 'invoice', description: 'A bill asking for payment' },
        { type: 'receipt', description: 'Proof that a payment was made' },
      ],
      mode: 'FAST',
    });
    return saved.id;
  }

  const add = (configurationId: string, overrides: Partial<NewExample> = {}) =>
    examples.create({
      projectId: PROJECT,
      configurationId,
      type: 'invoice',
      fileInput: 'dfl-00000000-0000-4000-8000-000000000001',
      parseJobId: 'pjb-00000000-0000-4000-8000-000000000001',
      name: 'inv-0042.pdf',
      limit: 10_000,
      ...overrides,
    });

  it('adds PENDING examples, and keeps the text of a READY one cut to EXAMPLE_TEXT_CHARS', async () => {
    const cfg = await newConfiguration('text');
    const example = await add(cfg);
    expect(example).toMatchObject({ status: 'PENDING', type: 'invoice', configurationId: cfg });
    expect(example.id).toMatch(/^exm-/);
    expect(await examples.markReady(example, [page(1, 'x'.repeat(20_000)), page(2, 'gone', false)])).toBe(
      true,
    );
    const ready = (await examples.get(PROJECT, cfg, example.id)) as StoredExample;
    expect(ready.status).toBe('READY');
    const { version } = await examples.readyExamples(PROJECT, cfg);
    const [loaded] = (await examples.loadReady(PROJECT, cfg, version)) ?? [];
    expect(loaded).toMatchObject({ id: example.id, type: 'invoice', name: 'inv-0042.pdf' });
    expect(loaded?.pages).toEqual([{ page_number: 1, text: 'x'.repeat(EXAMPLE_TEXT_CHARS) }]);
    // Settled once: a late second settle changes nothing.
    expect(await examples.markFailed(example, 'too late')).toBe(false);
    expect((await examples.get(PROJECT, cfg, example.id))?.status).toBe('READY');
  });

  it('keeps what it needs with no expiry', async () => {
    const cfg = await newConfiguration('ttl');
    const example = await add(cfg);
    await examples.markReady(example, [page(1, 'kept')]);
    expect(await redis.ttl(`${prefix}:s:exm:${example.id}`)).toBe(-1);
    expect(await redis.ttl(`${prefix}:s:exmtext:${example.id}`)).toBe(-1);
  });

  it('is not found from another project or another configuration', async () => {
    const cfg = await newConfiguration('scope');
    const other = await newConfiguration('scope-other');
    const example = await add(cfg);
    expect(await examples.get('another-project', cfg, example.id)).toBeNull();
    expect(await examples.get(PROJECT, other, example.id)).toBeNull();
    await expect(add(cfg, { projectId: 'another-project' })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('moves the version only when the set of READY examples changes', async () => {
    const cfg = await newConfiguration('version');
    expect(await examples.readyExamples(PROJECT, cfg)).toEqual({ version: 0, count: 0 });
    const first = await add(cfg);
    const failing = await add(cfg, { type: null });
    expect((await examples.readyExamples(PROJECT, cfg)).version).toBe(0);
    await examples.markReady(first, [page(1, 'one')]);
    const afterReady = await examples.readyExamples(PROJECT, cfg);
    expect(afterReady.count).toBe(1);
    expect(afterReady.version).toBeGreaterThan(0);
    await examples.markFailed(failing, 'The document could not be parsed: broken');
    expect(await examples.readyExamples(PROJECT, cfg)).toEqual(afterReady);
    await examples.delete(failing);
    expect(await examples.readyExamples(PROJECT, cfg)).toEqual(afterReady);
    expect(await examples.delete(first)).toBe(true);
    const afterDelete = await examples.readyExamples(PROJECT, cfg);
    expect(afterDelete.count).toBe(0);
    expect(afterDelete.version).toBeGreaterThan(afterReady.version);
    expect(await examples.delete(first)).toBe(false);
  });

  it('loads exactly the set its version names: one settled after the version was read is not in it', async () => {
    const cfg = await newConfiguration('race-add');
    const first = await add(cfg);
    await examples.markReady(first, [page(1, 'first')]);
    const read = await examples.readyExamples(PROJECT, cfg);
    // Another example becomes READY between the job's read of the key and the classifier's load.
    const second = await add(cfg, { type: 'receipt' });
    await examples.markReady(second, [page(1, 'second')]);
    expect(await examples.loadReady(PROJECT, cfg, read.version)).toBeNull();
    const again = await examples.readyExamples(PROJECT, cfg);
    expect(again).toEqual({ version: again.version, count: 2 });
    expect(again.version).toBeGreaterThan(read.version);
    const loaded = await examples.loadReady(PROJECT, cfg, again.version);
    expect(loaded?.map((e) => e.id)).toEqual([second.id, first.id]);
    // Examples that are not READY are no part of the set: adding or failing one keeps its version.
    await examples.markFailed(await add(cfg), 'broken');
    await add(cfg);
    expect(await examples.loadReady(PROJECT, cfg, again.version)).toHaveLength(2);
  });

  it('loads the set of its version when one is added while the texts are read, and none when one goes', async () => {
    const cfg = await newConfiguration('race-texts');
    const kept = await add(cfg);
    await examples.markReady(kept, [page(1, 'kept')]);
    const doomed = await add(cfg, { type: null });
    await examples.markReady(doomed, [page(1, 'doomed')]);

    const read = await examples.readyExamples(PROJECT, cfg);
    const late = await add(cfg, { type: 'receipt' });
    const addedWhileReading = new ExampleStore(
      beforeFirstPipeline(redis, () => examples.markReady(late, [page(1, 'late')])),
      prefix,
    );
    const loaded = await addedWhileReading.loadReady(PROJECT, cfg, read.version);
    expect(loaded?.map((e) => e.id).sort()).toEqual([kept.id, doomed.id].sort());

    const current = await examples.readyExamples(PROJECT, cfg);
    expect(current.count).toBe(3);
    const deletedWhileReading = new ExampleStore(
      beforeFirstPipeline(redis, () => examples.delete(doomed)),
      prefix,
    );
    // Its version's set can no longer be read whole: null, never the set short of one.
    expect(await deletedWhileReading.loadReady(PROJECT, cfg, current.version)).toBeNull();
    const after = await examples.readyExamples(PROJECT, cfg);
    expect(after.version).toBeGreaterThan(current.version);
    const left = await examples.loadReady(PROJECT, cfg, after.version);
    expect(left?.map((e) => e.id).sort()).toEqual([kept.id, late.id].sort());
  });

  it('pages newest first and filters by type (null: the negative examples) and status', async () => {
    const cfg = await newConfiguration('paging');
    const made: StoredExample[] = [];
    for (const type of ['invoice', 'receipt', null, 'invoice', null]) made.push(await add(cfg, { type }));
    await examples.markReady(made[0] as StoredExample, [page(1, 'a')]);
    await examples.markReady(made[2] as StoredExample, [page(1, 'b')]);
    await examples.markFailed(made[3] as StoredExample, 'broken');

    const first = await examples.list(PROJECT, cfg, { pageSize: 2 });
    expect(first.page.totalSize).toBe(5);
    expect(first.examples.map((e) => e.id)).toEqual([made[4]?.id, made[3]?.id]);
    const second = await examples.list(PROJECT, cfg, {
      pageSize: 2,
      pageToken: first.page.nextPageToken ?? '',
    });
    const third = await examples.list(PROJECT, cfg, {
      pageSize: 2,
      pageToken: second.page.nextPageToken ?? '',
    });
    expect([...second.examples, ...third.examples].map((e) => e.id)).toEqual(
      [made[2], made[1], made[0]].map((e) => e?.id),
    );
    expect(third.page.nextPageToken).toBeNull();

    const ids = async (query: Parameters<ExampleStore['list']>[2]) =>
      (await examples.list(PROJECT, cfg, query)).examples.map((e) => e.id);
    expect(await ids({ pageSize: 50, type: 'invoice' })).toEqual([made[3]?.id, made[0]?.id]);
    expect(await ids({ pageSize: 50, type: null })).toEqual([made[4]?.id, made[2]?.id]);
    expect(await ids({ pageSize: 50, status: 'READY' })).toEqual([made[2]?.id, made[0]?.id]);
    expect(await ids({ pageSize: 50, status: 'PENDING', type: null })).toEqual([made[4]?.id]);
    expect(await ids({ pageSize: 50, status: 'FAILED', type: 'invoice' })).toEqual([made[3]?.id]);
    // A token of one filter is refused on another.
    await expect(
      examples.list(PROJECT, cfg, {
        pageSize: 2,
        type: 'receipt',
        pageToken: first.page.nextPageToken ?? '',
      }),
    ).rejects.toBeInstanceOf(AppError);
  });

  it('refuses the example over the limit, even when adds race', async () => {
    const cfg = await newConfiguration('limit');
    const outcomes = await Promise.allSettled(Array.from({ length: 12 }, () => add(cfg, { limit: 5 })));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(5);
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(refused).toHaveLength(7);
    expect(refused[0]?.reason).toMatchObject({ code: 'conflict' });
    expect(String(refused[0]?.reason.message)).toMatch(/already has 5 examples/);
    expect((await examples.list(PROJECT, cfg, { pageSize: 50 })).page.totalSize).toBe(5);
  });

  it('deletes every example of a configuration, and adds none to a deleted one', async () => {
    const cfg = await newConfiguration('cascade');
    const keep = await newConfiguration('cascade-keep');
    const kept = await add(keep);
    const doomed: string[] = [];
    for (let i = 0; i < 7; i++) {
      const example = await add(cfg, { type: i % 2 ? null : 'receipt' });
      doomed.push(example.id);
      if (i % 3 === 0) await examples.markReady(example, [page(1, `text ${i}`)]);
    }
    expect(await configurations.delete(PROJECT, cfg)).toBe(true);
    await expect(add(cfg)).rejects.toMatchObject({ code: 'not_found' });
    expect(await examples.deleteAllOf(PROJECT, cfg)).toBe(7);
    expect(await redis.keys(`${prefix}:s:*${cfg}*`)).toEqual([]);
    const records = doomed.flatMap((id) => [`${prefix}:s:exm:${id}`, `${prefix}:s:exmtext:${id}`]);
    expect(await redis.exists(...records)).toBe(0);
    expect((await examples.list(PROJECT, cfg, { pageSize: 50 })).page.totalSize).toBe(0);
    expect(await examples.get(PROJECT, keep, kept.id)).not.toBeNull();
  });
});
