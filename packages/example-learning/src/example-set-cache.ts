import type { ExampleSet, LabelledExample } from '@classifyd/shared';

/**
 * What a classifier learned from the example sets it has seen lately, one entry per version
 * (ExampleSet.key): built the first time a version is asked for, reused by every later
 * classification of that version, and shared by requests that arrive while it is built. A
 * changed set has a new key, so a stale entry is never used again and ages out.
 */
export class ExampleSetCache<T> {
  private readonly entries = new Map<string, Promise<T | undefined>>();
  /** How many sets were read and built: a test sees from it whether a version was reused. */
  builds = 0;

  constructor(
    private readonly build: (examples: LabelledExample[]) => T,
    private readonly capacity = 8,
  ) {}

  get(set: ExampleSet): Promise<T | undefined> {
    const cached = this.entries.get(set.key);
    if (cached) {
      // Most recently used last, so the oldest is the first to go.
      this.entries.delete(set.key);
      this.entries.set(set.key, cached);
      return cached;
    }
    const building = this.load(set);
    this.entries.set(set.key, building);
    // A failed read (Redis gone for a moment) must not be remembered for this version.
    building.catch(() => this.entries.delete(set.key));
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    return building;
  }

  private async load(set: ExampleSet): Promise<T | undefined> {
    const examples = await set.load();
    this.builds++;
    return examples.length > 0 ? this.build(examples) : undefined;
  }
}
