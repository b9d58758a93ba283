import type { ExampleSet } from '@classifyd/shared';
import type { ExampleStore, StoredClassifyJob } from '@classifyd/store';

export type ExampleReader = Pick<ExampleStore, 'readyExamples' | 'loadReady'>;

/**
 * An ExampleSet's load() rejects with this when the configuration's READY examples changed
 * after its key was read: the set the key names can no longer be read, and loading the new
 * one under the old key would break "equal keys mean equal examples". A classifier remembers
 * no failed load, so the job classifies again with the key read anew.
 */
export class ExampleSetChangedError extends Error {
  override name = 'ExampleSetChangedError';
}

/**
 * How often one attempt reads the key again when the examples keep changing under it (a
 * bulk upload settling); past it the attempt fails as a transient error and is retried later.
 */
const EXAMPLE_SET_READS = 5;

/**
 * The READY examples of the job's saved configuration as they are now, when its classify
 * stage starts; none for an inline configuration. Only their count and version are read
 * here, on every job: a classifier loads the examples themselves when it has nothing built
 * for the key.
 */
export async function exampleSetOf(
  examples: ExampleReader,
  job: StoredClassifyJob,
): Promise<ExampleSet | undefined> {
  const configurationId = job.spec.configuration_id;
  if (!configurationId) return undefined;
  const { version, count } = await examples.readyExamples(job.projectId, configurationId);
  if (count === 0) return undefined;
  return {
    key: `${configurationId}:${version}`,
    count,
    load: async () => {
      const loaded = await examples.loadReady(job.projectId, configurationId, version);
      if (loaded === null) {
        throw new ExampleSetChangedError(
          `The examples of configuration ${configurationId} changed while this job read them`,
        );
      }
      return loaded;
    },
  };
}

/**
 * Runs `classify` with the job's example set, and again with a newly read one when the set
 * changed between reading its key and loading it: a change is not a failed attempt.
 */
export async function withExampleSet<T>(
  examples: ExampleReader,
  job: StoredClassifyJob,
  classify: (set: ExampleSet | undefined) => Promise<T>,
): Promise<{ set: ExampleSet | undefined; result: T }> {
  for (let read = 1; ; read++) {
    const set = await exampleSetOf(examples, job);
    try {
      return { set, result: await classify(set) };
    } catch (error) {
      if (!(error instanceof ExampleSetChangedError) || read >= EXAMPLE_SET_READS) throw error;
    }
  }
}
