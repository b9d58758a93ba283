import { describe, expect, it } from 'vitest';
import {
  accuracy,
  calibratedEceRange,
  calibration,
  classScores,
  confusionMatrix,
  nullDetection,
  type Outcome,
  percentile,
  summarize,
} from './metrics.js';

const o = (
  expected: string | null,
  predicted: string | null | undefined,
  confidence: number | null = 0.5,
): Outcome => ({
  expected,
  predicted,
  confidence,
});

// 3 invoices (2 right, 1 called receipt), 2 receipts (1 right, 1 failed), 2 none (1 null, 1 called invoice).
const OUTCOMES = [
  o('invoice', 'invoice', 0.9),
  o('invoice', 'invoice', 0.8),
  o('invoice', 'receipt', 0.6),
  o('receipt', 'receipt', 0.7),
  o('receipt', undefined, null),
  o(null, null, 0.3),
  o(null, 'invoice', 0.4),
];

describe('classification metrics', () => {
  it('top-1 accuracy counts a failed job as wrong and a null answer right for a none document', () => {
    expect(accuracy(OUTCOMES)).toBeCloseTo(4 / 7);
  });

  it('precision, recall and F1 per label, with none for null answers', () => {
    const [invoice, receipt, none] = classScores(OUTCOMES, ['invoice', 'receipt', 'none']);
    expect(invoice).toMatchObject({ support: 3, predicted: 3, precision: 2 / 3, recall: 2 / 3 });
    expect(invoice?.f1).toBeCloseTo(2 / 3);
    expect(receipt).toMatchObject({ support: 2, predicted: 2, precision: 0.5, recall: 0.5 });
    expect(none).toMatchObject({ support: 2, predicted: 1, precision: 1, recall: 0.5 });
    expect(none?.f1).toBeCloseTo(2 / 3);
  });

  it('macro averages over the labels present', () => {
    const s = summarize(OUTCOMES);
    expect(s).toMatchObject({ n: 7, completed: 6 });
    expect(s.macroF1).toBeCloseTo((2 / 3 + 0.5 + 2 / 3) / 3);
    expect(s.macroRecall).toBeCloseTo((2 / 3 + 0.5 + 0.5) / 3);
  });

  it('a confusion matrix with a (failed) column when some job did not complete', () => {
    const m = confusionMatrix(OUTCOMES, ['invoice', 'receipt', 'none']);
    expect(m.columns).toEqual(['invoice', 'receipt', 'none', '(failed)']);
    expect(m.rows).toEqual([
      [2, 1, 0, 0],
      [0, 1, 0, 1],
      [1, 0, 1, 0],
    ]);
    expect(confusionMatrix(OUTCOMES.slice(0, 2), ['invoice']).columns).toEqual(['invoice']);
  });

  it('null detection: precision among null answers, recall among documents that need one', () => {
    expect(nullDetection(OUTCOMES)).toEqual({ precision: 1, recall: 0.5, support: 2, predicted: 1 });
    expect(nullDetection([o('invoice', null), o(null, null), o(null, 'x')])).toEqual({
      precision: 0.5,
      recall: 0.5,
      support: 2,
      predicted: 2,
    });
  });
});

describe('calibration', () => {
  it('is 0 when each bin is as accurate as it is confident', () => {
    const perfect = [o('a', 'a', 0.75), o('a', 'a', 0.75), o('a', 'a', 0.75), o('a', 'b', 0.75)];
    expect(calibration(perfect).ece).toBeCloseTo(0);
  });

  it('weights each bin gap by its share of answers, and leaves failed jobs out', () => {
    const result = calibration([
      o('a', 'a', 0.95),
      o('a', 'b', 0.95),
      o('a', 'a', 0.15),
      o('a', undefined, null),
    ]);
    expect(result.n).toBe(3);
    // bin 0.9-1.0: accuracy 0.5 vs 0.95 (2 of 3); bin 0.1-0.2: accuracy 1 vs 0.15 (1 of 3).
    expect(result.ece).toBeCloseTo((2 / 3) * 0.45 + (1 / 3) * 0.85);
    expect(result.bins).toHaveLength(10);
    expect(result.bins[9]).toMatchObject({ count: 2, accuracy: 0.5 });
    expect(result.bins[9]?.meanConfidence).toBeCloseTo(0.95);
    expect(result.bins[1]).toMatchObject({ count: 1, accuracy: 1 });
  });

  it('puts a confidence of exactly 1 in the last bin', () => {
    expect(calibration([o('a', 'a', 1)]).bins[9]?.count).toBe(1);
  });
});

describe('calibratedEceRange', () => {
  it('is the ECE sampling noise: well above 0 for few answers, smaller for many', () => {
    const few = calibratedEceRange(Array.from({ length: 100 }, () => 0.7));
    const many = calibratedEceRange(Array.from({ length: 10_000 }, () => 0.7));
    // One bin of 100 answers at 0.7: |accuracy - 0.7| has mean sqrt(0.21 / 100) * sqrt(2 / pi) = 0.037.
    expect(few.median).toBeGreaterThan(0.02);
    expect(few.median).toBeLessThan(0.05);
    expect(few.p5).toBeLessThan(few.median);
    expect(few.p95).toBeGreaterThan(few.median);
    expect(many.median).toBeLessThan(0.01);
  });

  it('gives the same range every time', () => {
    const confidences = [0.2, 0.5, 0.9, 0.95, 0.6];
    expect(calibratedEceRange(confidences)).toEqual(calibratedEceRange(confidences));
  });
});

describe('percentiles', () => {
  it('interpolates between ranks, and is null for no values', () => {
    expect(percentile([10, 20, 30, 40, 50], 50)).toBe(30);
    expect(percentile([40, 10, 30, 20], 50)).toBe(25);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21], 95)).toBe(
      20,
    );
    expect(percentile([], 50)).toBeNull();
  });
});
