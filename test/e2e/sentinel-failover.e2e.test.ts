import {
  type SentinelTopology,
  type ServiceStack,
  startSentinelTopology,
  startServiceStack,
} from '@classifyd/testkit';
import { toFile } from '@llamaindex/llama-cloud';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEYS, POLL, sdk } from './clients.js';
import { INVOICE_TEXT, RECIPE_TEXT, RULES } from './documents.js';

const JOBS = 40;

type Outcome = 'COMPLETED' | 'FAILED' | 'lost' | 'stuck';

describe('the apps through Sentinel, when the primary dies', () => {
  let topology: SentinelTopology;
  let stack: ServiceStack;

  beforeAll(async () => {
    topology = await startSentinelTopology();
    // Short locks, so that a job whose worker lost its connection mid-job is taken up again in seconds.
    stack = await startServiceStack({
      redis: topology,
      label: 'sentinel',
      env: { API_KEYS, LOCK_DURATION_MS: '3000', STALLED_INTERVAL_MS: '1000' },
    });
  });
  afterAll(async () => {
    await stack?.stop();
    await topology?.stop();
  });

  it('carries on after a failover without a restart: no job lost or stuck, new jobs complete', async () => {
    // The SDK retries 5xx answers (the API's 503 while Redis is away) with backoff.
    const a = sdk(stack.baseUrl, 'key-a', 8);
    const files = await Promise.all(
      [INVOICE_TEXT, RECIPE_TEXT].map(async (text, i) =>
        a.files.create({ file: await toFile(Buffer.from(text), `doc-${i}.txt`), purpose: 'classify' }),
      ),
    );
    const ids: string[] = [];
    const create = async (i: number) => {
      const file = files[i % files.length] as (typeof files)[number];
      // Each job its own parse (max_pages differs), so that the workers have work in flight.
      const job = await a.classify.create({
        file_input: file.id,
        configuration: { rules: RULES, parsing_configuration: { max_pages: 100 + i } },
      });
      ids.push(job.id);
    };
    for (let i = 0; i < JOBS / 2; i++) await create(i);

    const formerPrimary = await topology.primaryPort();
    expect(formerPrimary).toBe(topology.primary.port);
    // Mid-run: the kill lands once the workers have finished some jobs and not all.
    const settled = async () =>
      (await Promise.all(ids.map((id) => a.classify.get(id)))).filter(
        (job) => job.status === 'COMPLETED' || job.status === 'FAILED',
      ).length;
    let settledBeforeKill = await settled();
    for (let i = 0; i < 200 && settledBeforeKill === 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
      settledBeforeKill = await settled();
    }
    expect(settledBeforeKill).toBeGreaterThan(0);
    expect(settledBeforeKill).toBeLessThan(ids.length);
    topology.primary.child.kill('SIGKILL');
    // The second half is created while the sentinels fail over: the SDK retries the 503s.
    for (let i = JOBS / 2; i < JOBS; i++) await create(i);
    const newPrimary = await topology.waitForFailover(formerPrimary);
    expect(newPrimary).toBe(topology.replica.port);

    const outcomes = new Map<string, Outcome>();
    const deadline = Date.now() + 40_000;
    while (outcomes.size < ids.length && Date.now() < deadline) {
      for (const id of ids.filter((jobId) => !outcomes.has(jobId))) {
        const job = await a.classify.get(id).catch((error: { status?: number }) => {
          if (error.status === 404) return null;
          throw error;
        });
        if (job === null) outcomes.set(id, 'lost');
        else if (job.status === 'COMPLETED') outcomes.set(id, 'COMPLETED');
        else if (job.status === 'FAILED') {
          expect(job.error_message, `FAILED job ${id} says why`).toBeTruthy();
          outcomes.set(id, 'FAILED');
        }
      }
      if (outcomes.size < ids.length) await new Promise((r) => setTimeout(r, 250));
    }
    for (const id of ids) if (!outcomes.has(id)) outcomes.set(id, 'stuck');
    const count = (outcome: Outcome) => [...outcomes.values()].filter((o) => o === outcome).length;
    console.log(
      `sentinel failover: ${ids.length} jobs (${settledBeforeKill} settled before the kill); completed ${count('COMPLETED')}, failed ${count('FAILED')}, ` +
        `lost ${count('lost')}, stuck ${count('stuck')}`,
    );
    if (count('stuck') > 0) {
      // What the apps said, to tell a worker that never came back from one that came back slowly.
      for (const app of stack.apps)
        console.log(`--- ${app.name}:\n${app.output().split('\n').slice(-40).join('\n')}`);
    }
    expect({ lost: count('lost'), stuck: count('stuck') }).toEqual({ lost: 0, stuck: 0 });

    // The same processes, never restarted, serve and work on the new primary.
    for (const app of stack.apps) expect(app.child.exitCode, `${app.name} still running`).toBeNull();
    expect((await fetch(`${stack.baseUrl}/ready`)).status).toBe(200);
    const after = await Promise.all(
      files.map((file) => a.classify.run({ file_input: file.id, configuration: { rules: RULES } }, POLL)),
    );
    expect(after.map((job) => [job.status, job.result?.type])).toEqual([
      ['COMPLETED', 'invoice'],
      ['COMPLETED', 'recipe'],
    ]);
  });
});
