import { describe, expect, it } from 'vitest';
import { type ExampleCount, examplesCounts, parseExampleCount, planFolds } from './example-plan.js';
import { documentId, FOLDS, foldOf } from './folds.js';
import type { LabelledDocument } from './labels.js';

const CLASSES = ['invoice', 'receipt', 'letter'];
// 14 of each class, 6 labelled none, 4 with a label no rule has (they fit none as well).
const LABELS = [
  ...CLASSES.flatMap((c) => Array<string>(14).fill(c)),
  ...Array<string>(6).fill('none'),
  ...Array<string>(4).fill('memo'),
];
const DOCUMENTS: LabelledDocument[] = LABELS.map((label, i) => ({
  path: `docs/doc_${String(i).padStart(3, '0')}.${i % 2 ? 'pdf' : 'txt'}`,
  label,
  format: 'text',
  language: 'en',
}));
const fitsNone = (d: LabelledDocument) => !CLASSES.includes(d.label);

describe('folds', () => {
  it('folds by file name without extension, the same split as the classifier evaluation', () => {
    expect(documentId('docs/dev_0001.html')).toBe('dev_0001');
    // Pinned: sha256(id), first four bytes big-endian, modulo 5 (packages/classifier/scripts/eval-metrics.mjs).
    expect(['dev_0001', 'dev_0002', 'dev_0003', 'dev_0150'].map((id) => foldOf(id, 5))).toEqual([0, 1, 0, 4]);
  });
});

describe('held-out example plans', () => {
  const ks: ExampleCount[] = [0, 1, 3, 10, 'all'];

  it.each(ks)(
    'k = %s: no document is an example for its own fold; every document is classified once',
    (k) => {
      const plans = planFolds(DOCUMENTS, CLASSES, k, true);
      expect(plans).toHaveLength(FOLDS);
      expect(plans.flatMap((p) => p.classified.map((d) => d.path)).sort()).toEqual(
        DOCUMENTS.map((d) => d.path).sort(),
      );
      for (const plan of plans) {
        const own = new Set(plan.classified.map((d) => d.path));
        for (const d of plan.classified) expect(foldOf(documentId(d.path))).toBe(plan.fold);
        for (const e of plan.examples) expect(own.has(e.document.path)).toBe(false);
      }
    },
  );

  it.each(ks)(
    'k = %s: k per type (or all the other folds have), negatives are the documents no rule fits',
    (k) => {
      for (const plan of planFolds(DOCUMENTS, CLASSES, k, true)) {
        const others = DOCUMENTS.filter((d) => foldOf(documentId(d.path)) !== plan.fold);
        for (const type of CLASSES) {
          const chosen = plan.examples.filter((e) => e.type === type);
          const available = others.filter((d) => d.label === type).length;
          expect(chosen).toHaveLength(k === 'all' ? available : Math.min(k, available));
          for (const e of chosen) expect(e.document.label).toBe(type);
        }
        const negatives = plan.examples.filter((e) => e.type === null);
        const available = others.filter(fitsNone).length;
        expect(negatives).toHaveLength(k === 'all' ? available : Math.min(k, available));
        for (const e of negatives) expect(fitsNone(e.document)).toBe(true);
      }
    },
  );

  it('posts no negative examples without negatives, and the same typed ones', () => {
    const withNegatives = planFolds(DOCUMENTS, CLASSES, 3, true);
    const without = planFolds(DOCUMENTS, CLASSES, 3, false);
    for (const [i, plan] of without.entries()) {
      expect(plan.examples.some((e) => e.type === null)).toBe(false);
      expect(plan.examples).toEqual(withNegatives[i]?.examples.filter((e) => e.type !== null));
    }
  });

  it('is deterministic whatever the order of labels.csv, and each k holds every smaller k', () => {
    const paths = (plans: ReturnType<typeof planFolds>) =>
      plans.map((p) => p.examples.map((e) => `${e.type}:${e.document.path}`).sort());
    const once = planFolds(DOCUMENTS, CLASSES, 3, true);
    expect(paths(planFolds([...DOCUMENTS].reverse(), CLASSES, 3, true))).toEqual(paths(once));
    const one = paths(planFolds(DOCUMENTS, CLASSES, 1, true));
    const three = paths(once);
    for (const [fold, examples] of one.entries()) for (const e of examples) expect(three[fold]).toContain(e);
  });
});

describe('--examples', () => {
  it('measures 0 and k, or the whole curve for all', () => {
    expect(examplesCounts(parseExampleCount('5'))).toEqual([0, 5]);
    expect(examplesCounts(parseExampleCount('0'))).toEqual([0]);
    expect(examplesCounts(parseExampleCount('all'))).toEqual([0, 1, 3, 5, 10, 'all']);
    expect(() => parseExampleCount('-1')).toThrow(/whole number from 0, or all/);
    expect(() => parseExampleCount('three')).toThrow(/whole number from 0, or all/);
  });
});
