import type { Classifier, ExampleSet, LabelledExample, Rule } from '@classifyd/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import { createEmbeddedClassifier } from '../embedded-classifier.js';

// Two kinds of internal memo that the rules below cannot tell apart: both are "notes".
// Only examples teach the difference between a shift handover and a purchase request.
const handover = (ward: string, n: number) =>
  `Shift handover ${ward} ward. Beds ${n} to ${n + 6} reviewed. Patient in bed ${n} stable overnight, ` +
  `observations every four hours, fluids charted. Night nurse to early shift: drip in bed ${n + 2} ` +
  `replaced, pain relief given at 03:00, family to call after rounds. Handover signed by charge nurse.`;
const purchase = (item: string, n: number) =>
  `Purchase request ${n}. Department asks procurement to order ${item}. Quantity ${(n % 7) + 2}, ` +
  `estimated cost ${n * 13} EUR, budget line 4410. Supplier quote attached, approval by cost centre ` +
  `manager required before the order is placed. Requested by the facilities team.`;
const recipe = (dish: string) =>
  `${dish}. Ingredients: flour, butter, sugar, two eggs, a pinch of salt. Method: preheat the oven, ` +
  `mix the butter and sugar, beat in the eggs, fold in the flour and bake for forty minutes until golden.`;

const RULES: Rule[] = [
  { type: 'handover', description: 'An internal note written by staff for colleagues at work.' },
  { type: 'purchase', description: 'An internal note written by staff for another team at work.' },
];

const example = (id: string, type: string | null, text: string): LabelledExample => ({
  id,
  type,
  name: `${id}.txt`,
  pages: [{ page_number: 1, text }],
});

const EXAMPLES: LabelledExample[] = [
  example('h1', 'handover', handover('Rose', 3)),
  example('h2', 'handover', handover('Oak', 11)),
  example('h3', 'handover', handover('Birch', 21)),
  example('p1', 'purchase', purchase('printer toner', 17)),
  example('p2', 'purchase', purchase('office chairs', 23)),
  example('p3', 'purchase', purchase('laptops', 31)),
  example('n1', null, recipe('Lemon cake')),
  example('n2', null, recipe('Apple crumble')),
];

/** An example set that counts how often the classifier read it. */
function exampleSet(key: string, examples: LabelledExample[]): ExampleSet & { loads: number } {
  return {
    key,
    count: examples.length,
    loads: 0,
    async load() {
      this.loads++;
      return examples;
    },
  };
}

describe('classifying with a configuration’s examples', () => {
  let classifier: Classifier;
  beforeAll(async () => {
    classifier = await createEmbeddedClassifier();
  });

  it('tells apart types that only the examples distinguish, and names the closest example', async () => {
    const examples = exampleSet('cfg-1:1', EXAMPLES);
    const asHandover = await classifier.classify({
      pages: [{ page_number: 1, text: handover('Maple', 40) }],
      rules: RULES,
      examples,
    });
    const asPurchase = await classifier.classify({
      pages: [{ page_number: 1, text: purchase('desk lamps', 41) }],
      rules: RULES,
      examples,
    });
    expect(asHandover.type).toBe('handover');
    expect(asPurchase.type).toBe('purchase');
    expect(asHandover.reasoning).toMatch(/examples? of "handover"/);
    expect(asHandover.reasoning).toMatch(/file "h\d\.txt"/);
    expect(asPurchase.confidence).toBeGreaterThan(0.5);
    expect(asPurchase.confidence).toBeLessThanOrEqual(0.99);
  });

  it('answers null for a document like the negative examples', async () => {
    const result = await classifier.classify({
      pages: [{ page_number: 1, text: recipe('Plum tart') }],
      rules: RULES,
      examples: exampleSet('cfg-1:1', EXAMPLES),
    });
    expect(result.type).toBeNull();
    expect(result.reasoning).toMatch(/fit none of the rules, e\.g\. file "n\d\.txt"/);
  });

  it('builds a model once per example-set version and again when the set changes', async () => {
    const fresh = await createEmbeddedClassifier();
    const first = exampleSet('cfg-2:1', EXAMPLES);
    const pages = [{ page_number: 1, text: handover('Elm', 5) }];
    await fresh.classify({ pages, rules: RULES, examples: first });
    await fresh.classify({ pages, rules: RULES, examples: first });
    expect(first.loads).toBe(1);
    // Corrections swapped the two types' examples: version 2 must be read, not the cached model.
    const swap: Record<string, string> = { handover: 'purchase', purchase: 'handover' };
    const relabelled = EXAMPLES.map((e) => (e.type ? { ...e, type: swap[e.type] ?? e.type } : e));
    const second = exampleSet('cfg-2:2', relabelled);
    const result = await fresh.classify({ pages, rules: RULES, examples: second });
    expect(second.loads).toBe(1);
    expect(result.type).toBe('purchase');
  });

  it('ignores examples of a type that is no longer among the rules', async () => {
    const withStale = [...EXAMPLES, example('x1', 'retired_type', handover('Ash', 50))];
    const result = await classifier.classify({
      pages: [{ page_number: 1, text: handover('Ash', 52) }],
      rules: RULES,
      examples: exampleSet('cfg-3:1', withStale),
    });
    expect(result.type).toBe('handover');
    expect(result.reasoning).not.toContain('x1.txt');
  });

  it('reads a failed example set again on the next job rather than remembering the failure', async () => {
    const fresh = await createEmbeddedClassifier();
    let attempts = 0;
    const flaky: ExampleSet = {
      key: 'cfg-4:1',
      count: EXAMPLES.length,
      async load() {
        attempts++;
        if (attempts === 1) throw new Error('connection reset');
        return EXAMPLES;
      },
    };
    const pages = [{ page_number: 1, text: purchase('monitors', 60) }];
    await expect(fresh.classify({ pages, rules: RULES, examples: flaky })).rejects.toThrow(
      'connection reset',
    );
    const result = await fresh.classify({ pages, rules: RULES, examples: flaky });
    expect(result.type).toBe('purchase');
  });
});
