import { describe, expect, it } from 'vitest';
import { CALIBRATION, DEFAULT_NULL_THRESHOLD } from './calibration.js';
import { decide, expectedMaximum } from './decision.js';

// A toy calibration: the better the best rule stands out, the likelier it is right and the
// less likely that no rule fits.
const calibration = {
  match: { intercept: 0, weights: { statistic: 1 } },
  noRuleFits: { intercept: 0, weights: { statistic: -1 } },
};

describe('expectedMaximum', () => {
  it.each([
    [1, 0],
    [2, 0.564],
    [3, 0.846],
    [10, 1.539],
    [50, 2.249],
  ])('is close to the exact expected largest of %i standard normals', (n, exact) => {
    expect(expectedMaximum(n)).toBeCloseTo(exact, 1);
  });
});

describe('decide', () => {
  it('picks the highest score and names the runner-up', () => {
    const decision = decide([1, 5, 3, 2], 0, calibration);
    expect(decision.best).toBe(1);
    expect(decision.runnerUp).toBe(2);
  });

  it('judges a single rule by its lead over the neutral rule', () => {
    const above = decide([4], 1, calibration);
    const below = decide([1], 4, calibration);
    expect(above).toMatchObject({ best: 0, runnerUp: -1, margin: 0, lead: 3 });
    expect(above.confidence).toBeGreaterThan(0.5);
    expect(below.confidence).toBeLessThan(0.5);
  });

  it('does not change when every score and the neutral score shift together', () => {
    const base = decide([2, 6, 3], 1, calibration);
    const shifted = decide([12, 16, 13], 11, calibration);
    expect(shifted.confidence).toBeCloseTo(base.confidence, 12);
  });

  it('is unsure when two rules tie, however well they fit', () => {
    const tie = decide([9, 9, 1], 0, calibration);
    const clear = decide([9, 2, 1], 0, calibration);
    expect(tie.lead).toBe(0);
    expect(tie.confidence).toBeLessThan(clear.confidence);
  });

  // Noise is the case no rule fits; with ten or more rules the prior says that is rare (one
  // document in ten), so some noise gets through the threshold: 17% with ten rules, 11% with
  // fifty, under 2% with two (as shipped).
  it.each([2, 10, 50])('rarely answers when %i rules of 12 words differ only by noise', (n) => {
    let state = n;
    const uniform = () => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return (state + 1) / 2147483649;
    };
    // Noise at the typical spread of fused scores across rules (0.83 on the dev set).
    const normal = () => 0.83 * Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
    const trials = 500;
    let answered = 0;
    for (let trial = 0; trial < trials; trial++) {
      const scores = Array.from({ length: n }, normal);
      const mean = scores.reduce((a, b) => a + b, 0) / n;
      const { confidence } = decide(scores, mean, CALIBRATION, 12);
      if (confidence >= DEFAULT_NULL_THRESHOLD) answered++;
    }
    expect(answered / trials).toBeLessThan(0.2);
  });

  it('is more confident with paragraph-long rules than with one-liners on the same scores', () => {
    const terse = decide([6, 2, 1], 0, CALIBRATION, 6);
    const long = decide([6, 2, 1], 0, CALIBRATION, 35);
    expect(long.statistic).toBe(terse.statistic);
    expect(long.confidence).toBeGreaterThan(terse.confidence);
    // Beyond the calibrated range the length stops counting.
    expect(decide([6, 2, 1], 0, CALIBRATION, 400).confidence).toBe(
      decide([6, 2, 1], 0, CALIBRATION, 40).confidence,
    );
  });

  it('keeps confidence within [0, 1] for extreme scores', () => {
    for (const scores of [
      [1e6, 0],
      [0, -1e6],
      [0, 0],
    ]) {
      const { confidence, nullConfidence } = decide(scores, 0, CALIBRATION);
      expect(confidence).toBeGreaterThanOrEqual(0);
      expect(nullConfidence).toBeGreaterThanOrEqual(0);
      expect(confidence + nullConfidence).toBeLessThanOrEqual(1);
    }
  });

  it('says null is likely right when no rule stands out, and unlikely when one clearly does', () => {
    const flat = decide([1, 1.1, 0.9, 1, 1.05], 1, CALIBRATION, 12);
    const clear = decide([9, 1.1, 0.9, 1, 1.05], 1, CALIBRATION, 12);
    expect(flat.nullConfidence).toBeGreaterThan(flat.confidence);
    expect(clear.confidence).toBeGreaterThan(clear.nullConfidence);
    expect(clear.nullConfidence).toBeLessThan(flat.nullConfidence);
  });
});
