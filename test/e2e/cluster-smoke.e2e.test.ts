import { once } from 'node:events';
import {
  type ClusterTopology,
  makeTextPdf,
  type ServiceStack,
  startRedisCluster,
  startServiceStack,
} from '@classifyd/testkit';
import { toFile } from '@llamaindex/llama-cloud';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEYS, deleteJob, POLL, sdk } from './clients.js';
import { CONTRACT_PAGES, INVOICE_TEXT, RECIPE_TEXT, RULES } from './documents.js';

// What Redis Cluster answers when one command or script spans slots or nodes.
const SLOT_ERRORS = /CROSSSLOT|non local key|do not hash to the same slot|MOVED|ASK /;

describe('the apps on a three-primary Redis Cluster', () => {
  let cluster: ClusterTopology;
  let stack: ServiceStack;
  let a: ReturnType<typeof sdk>;

  beforeAll(async () => {
    cluster = await startRedisCluster();
    // A rate limit high enough never to refuse, so that its script runs on every POST here.
    stack = await startServiceStack({
      redis: cluster,
      label: 'cluster',
      env: { API_KEYS, RATE_LIMIT_PER_SECOND: '1000' },
    });
    a = sdk(stack.baseUrl, 'key-a');
  });
  afterAll(async () => {
    await stack?.stop();
    await cluster?.stop();
  });

  it('uploads and classifies to COMPLETED, shares a parse, honours a transaction id, lists and deletes', async () => {
    const file = await a.files.create({
      file: await toFile(Buffer.from(INVOICE_TEXT), 'march.txt'),
      purpose: 'classify',
    });
    const first = await a.classify.run({ file_input: file.id, configuration: { rules: RULES } }, POLL);
    expect(first.status).toBe('COMPLETED');
    expect(first.result?.type).toBe('invoice');
    // The same bytes again: the parse is found through the cache entry, not done twice.
    const again = await a.classify.run({ file_input: file.id, configuration: { rules: RULES } }, POLL);
    expect(again.status).toBe('COMPLETED');
    expect(again.parse_job_id).toBe(first.parse_job_id);

    const once = await a.classify.create({
      file_input: file.id,
      configuration: { rules: RULES },
      transaction_id: 'cluster-tx-1',
    });
    const twice = await a.classify.create({
      file_input: file.id,
      configuration: { rules: RULES },
      transaction_id: 'cluster-tx-1',
    });
    expect(twice.id).toBe(once.id);
    expect((await a.classify.waitForCompletion(once.id, undefined, POLL)).status).toBe('COMPLETED');

    const completed = await a.classify.list({ status: 'COMPLETED', page_size: 10 });
    expect(completed.items.map((job) => job.id)).toEqual([once.id, again.id, first.id]);

    await deleteJob(stack.baseUrl, 'key-a', first.id);
    const left = await a.classify.list({ page_size: 10 });
    expect(left.items.map((job) => job.id)).toEqual([once.id, again.id]);
  });

  it('saves, renames and uses a configuration', async () => {
    const saved = await a.configurations.create({
      name: 'cluster-before',
      parameters: { product_type: 'classify_v2', rules: RULES },
    });
    const renamed = await a.configurations.update(saved.id, { name: 'cluster-after' });
    expect(renamed.name).toBe('cluster-after');
    expect((await a.configurations.list({ name: 'cluster-after' })).items.map((c) => c.id)).toEqual([
      saved.id,
    ]);
    expect((await a.configurations.list({ name: 'cluster-before' })).items).toEqual([]);

    const file = await a.files.create({
      file: await toFile(Buffer.from(RECIPE_TEXT), 'soup.txt'),
      purpose: 'classify',
    });
    const done = await a.classify.run({ file_input: file.id, configuration_id: saved.id }, POLL);
    expect(done.status).toBe('COMPLETED');
    expect(done.result?.type).toBe('recipe');
    const listed = await a.classify.list({ configuration_id: saved.id });
    expect(listed.items.map((job) => job.id)).toEqual([done.id]);
  });

  it('parses a PDF through the parse API, page by page', async () => {
    const job = await a.parsing.create({
      tier: 'fast',
      version: 'latest',
      upload_file: await toFile(Buffer.from(await makeTextPdf(CONTRACT_PAGES)), 'agreement.pdf'),
    });
    const done = await a.parsing.waitForCompletion(job.id, { expand: ['text'] }, POLL);
    expect(done.job.status).toBe('COMPLETED');
    expect(done.text?.pages.map((p) => p.page_number)).toEqual([1, 2, 3]);
  });

  it('counts requests against the rate limit, answers ready and shows the queues in Bull Board', async () => {
    const upload = new FormData();
    upload.append('file', new Blob([INVOICE_TEXT]), 'counted.txt');
    upload.append('purpose', 'classify');
    const counted = await fetch(`${stack.baseUrl}/api/v1/beta/files`, {
      method: 'POST',
      headers: { authorization: 'Bearer key-a' },
      body: upload,
    });
    expect(counted.status).toBe(201);
    expect(counted.headers.get('x-ratelimit-limit')).toBe('1000');
    expect(Number(counted.headers.get('x-ratelimit-remaining'))).toBeLessThan(1000);
    expect((await fetch(`${stack.baseUrl}/ready`)).status).toBe(200);
    const board = await fetch(`${stack.baseUrl}/admin/queues/api/queues`);
    expect(board.status).toBe(200);
    const { queues } = (await board.json()) as { queues: { name: string }[] };
    expect(queues.map((q) => q.name)).toEqual(expect.arrayContaining(['parse', 'classify']));
  });

  it('keeps every key of the deployment under the prefix hash tag, in one slot', async () => {
    const client = cluster.connect();
    try {
      if (client.status !== 'ready') await once(client, 'ready');
      const keys: string[] = [];
      for (const node of client.nodes('master')) {
        let cursor = '0';
        do {
          const [next, found] = await node.scan(cursor, 'MATCH', `*${stack.prefix}*`, 'COUNT', 1000);
          cursor = next;
          keys.push(...found);
        } while (cursor !== '0');
      }
      expect(keys.length).toBeGreaterThan(10);
      expect(keys.filter((key) => !key.startsWith(`{${stack.prefix}}:`))).toEqual([]);
      const slots = new Set(await Promise.all(keys.map((key) => client.cluster('KEYSLOT', key))));
      expect(slots.size).toBe(1);
    } finally {
      client.disconnect();
    }
  });

  it('no app met a slot error on the way', () => {
    for (const app of stack.apps) {
      expect(app.output().match(SLOT_ERRORS)?.[0] ?? null, `${app.name} output`).toBeNull();
      expect(app.child.exitCode, `${app.name} still running`).toBeNull();
    }
  });
});
