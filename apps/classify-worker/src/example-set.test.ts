import type { ExampleSet, LabelledExample } from '@classifyd/shared';
import type { StoredClassifyJob } from '@classifyd/store';
import { describe, expect, it } from 'vitest';
import { type ExampleReader, ExampleSetChangedError, withExampleSet } from './example-set.js';

const job = (configurationId: string | null) =>
  ({ projectId: 'p-1', spec: { configuration_id: configurationId } }) as unknown as StoredClassifyJob;

const example = (id: string): LabelledExample => ({ id, type: 'invoice', name: `${id}.pdf`, pages: [] });

/** A configuration whose READY set moves to the next version each time `change` is called. */
function changingSet() {
  let version = 1;
  const reader: ExampleReader = {
    readyExamples: async () => ({ version, count: version }),
    loadReady: async (_project, _configuration, asked) =>
      asked === version ? Array.from({ length: version }, (_, i) => example(`exm-${i}`)) : null,
  };
  return { reader, change: () => void version++ };
}

/** What a classifier does with the set: loads it, and answers with the key and the examples it got. */
const loadAll = async (set: ExampleSet | undefined) => ({
  key: set?.key,
  ids: (await set?.load())?.map((e) => e.id),
});

describe('withExampleSet', () => {
  it('classifies with the set as it is, under its key', async () => {
    const { reader } = changingSet();
    const { set, result } = await withExampleSet(reader, job('cfg-1'), loadAll);
    expect(result).toEqual({ key: 'cfg-1:1', ids: ['exm-0'] });
    expect(set?.count).toBe(1);
  });

  it('classifies again under the new key when the set changes between the key and the load', async () => {
    const { reader, change } = changingSet();
    const keys: (string | undefined)[] = [];
    const { set, result } = await withExampleSet(reader, job('cfg-1'), async (set) => {
      keys.push(set?.key);
      if (keys.length === 1) change();
      return loadAll(set);
    });
    expect(keys).toEqual(['cfg-1:1', 'cfg-1:2']);
    expect(result).toEqual({ key: 'cfg-1:2', ids: ['exm-0', 'exm-1'] });
    expect(set?.count).toBe(2);
  });

  it('gives up after a few reads when the set keeps changing, as a retryable error', async () => {
    const { reader, change } = changingSet();
    let calls = 0;
    const outcome = withExampleSet(reader, job('cfg-1'), async (set) => {
      calls++;
      change();
      return loadAll(set);
    });
    await expect(outcome).rejects.toBeInstanceOf(ExampleSetChangedError);
    await expect(outcome).rejects.not.toHaveProperty('permanent', true);
    expect(calls).toBe(5);
  });

  it('passes any other error through at once', async () => {
    const { reader } = changingSet();
    let calls = 0;
    const failing = withExampleSet(reader, job('cfg-1'), async () => {
      calls++;
      throw new Error('model unavailable');
    });
    await expect(failing).rejects.toThrow('model unavailable');
    expect(calls).toBe(1);
  });

  it('has no set for an inline configuration or one without READY examples', async () => {
    const { reader } = changingSet();
    expect((await withExampleSet(reader, job(null), loadAll)).set).toBeUndefined();
    const empty: ExampleReader = { ...reader, readyExamples: async () => ({ version: 3, count: 0 }) };
    expect((await withExampleSet(empty, job('cfg-1'), loadAll)).set).toBeUndefined();
  });
});
