import { JobStore } from '@classifyd/store';
import { type ClusterTopology, startRedisCluster, uniquePrefix } from '@classifyd/testkit';
import type { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CancellationRegistry } from './cancellation-registry.js';
import { watchCancellation } from './cancellation-watch.js';

const spec = {
  source: { type: 'file' as const, file_id: 'dfl-x', sha256: 'h' },
  name: 'x',
  target_pages: null,
  max_pages: null,
  lang: 'en',
};

// The status script runs on the node of the prefix's slot; the subscriber may sit on any
// node: the notice reaches it because PUBLISH goes to every node of a Cluster.
describe('CancellationRegistry on a Redis Cluster', () => {
  const prefix = `{${uniquePrefix('cancelcluster')}}`;
  let cluster: ClusterTopology;
  let writer: Cluster;
  let worker: Cluster;
  let registry: CancellationRegistry;
  let store: JobStore;

  beforeAll(async () => {
    cluster = await startRedisCluster();
    writer = cluster.connect();
    worker = cluster.connect();
    store = new JobStore(writer, { queuePrefix: prefix, retentionSeconds: 60 });
    registry = new CancellationRegistry(
      worker,
      new JobStore(worker, { queuePrefix: prefix, retentionSeconds: 60 }),
      { warn: () => {} },
    );
  }, 60_000);
  afterAll(async () => {
    await registry?.close();
    writer?.disconnect();
    worker?.disconnect();
    await cluster?.stop();
  });

  it('aborts a watched job when it is cancelled, through whichever node the subscriber uses', async () => {
    const job = await store.createParseJob('p1', 'u1', spec);
    await store.transition(job.id, 'RUNNING');
    const watch = watchCancellation(registry, job.id);
    const channel = store.keys.cancelled();
    const subscribers = async () => {
      let total = 0;
      for (const node of writer.nodes('master')) {
        const [, count] = (await node.pubsub('NUMSUB', channel)) as [string, number];
        total += Number(count);
      }
      return total;
    };
    for (let i = 0; i < 200 && (await subscribers()) === 0; i++) await new Promise((r) => setTimeout(r, 25));
    expect(await subscribers()).toBe(1);
    // Past the one status look the watch makes after subscribing.
    await new Promise((r) => setTimeout(r, 200));
    expect(watch.signal.aborted).toBe(false);
    await store.transition(job.id, 'CANCELLED');
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('not aborted within 1000 ms')), 1000);
      watch.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    watch.stop();
  });
});
