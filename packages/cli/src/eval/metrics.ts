/** What the service answered for one labelled document in one pass. */
export interface Outcome {
  /** The right answer: a rule type, or null when no rule fits. */
  expected: string | null;
  /** The answer: a type, null (no rule fits), or undefined when the job did not complete. */
  predicted: string | null | undefined;
  confidence: number | null;
}

export const NONE = 'none';
export const FAILED = '(failed)';
const labelOf = (value: string | null | undefined) => (value === undefined ? FAILED : (value ?? NONE));

export interface ClassScore {
  label: string;
  support: number;
  predicted: number;
  precision: number;
  recall: number;
  f1: number;
}

const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);
const f1 = (p: number, r: number) => (p + r === 0 ? 0 : (2 * p * r) / (p + r));

/** Precision, recall and F1 per label (null answers are the label `none`); a failed job is wrong. */
export function classScores(outcomes: Outcome[], labels: string[]): ClassScore[] {
  return labels.map((label) => {
    const support = outcomes.filter((o) => labelOf(o.expected) === label).length;
    const predicted = outcomes.filter((o) => labelOf(o.predicted) === label).length;
    const hits = outcomes.filter(
      (o) => labelOf(o.expected) === label && labelOf(o.predicted) === label,
    ).length;
    const precision = ratio(hits, predicted);
    const recall = ratio(hits, support);
    return { label, support, predicted, precision, recall, f1: f1(precision, recall) };
  });
}

export function accuracy(outcomes: Outcome[]): number {
  return ratio(outcomes.filter((o) => labelOf(o.expected) === labelOf(o.predicted)).length, outcomes.length);
}

export interface Summary {
  n: number;
  completed: number;
  accuracy: number;
  macroPrecision: number;
  macroRecall: number;
  macroF1: number;
}

/** Macro averages over the labels that occur in the expected answers. */
export function summarize(outcomes: Outcome[]): Summary {
  const present = [...new Set(outcomes.map((o) => labelOf(o.expected)))].sort();
  const scores = classScores(outcomes, present);
  const mean = (pick: (s: ClassScore) => number) =>
    ratio(
      scores.reduce((sum, s) => sum + pick(s), 0),
      scores.length,
    );
  return {
    n: outcomes.length,
    completed: outcomes.filter((o) => o.predicted !== undefined).length,
    accuracy: accuracy(outcomes),
    macroPrecision: mean((s) => s.precision),
    macroRecall: mean((s) => s.recall),
    macroF1: mean((s) => s.f1),
  };
}

/** Rows are expected labels, columns predicted labels (plus `(failed)` when a job did not complete). */
export function confusionMatrix(
  outcomes: Outcome[],
  labels: string[],
): { columns: string[]; rows: number[][] } {
  const columns = outcomes.some((o) => o.predicted === undefined) ? [...labels, FAILED] : [...labels];
  const rows = labels.map((expected) =>
    columns.map(
      (predicted) =>
        outcomes.filter((o) => labelOf(o.expected) === expected && labelOf(o.predicted) === predicted).length,
    ),
  );
  return { columns, rows };
}

/** "Null" as a detector: positives are documents whose right answer is null. */
export function nullDetection(outcomes: Outcome[]): {
  precision: number;
  recall: number;
  support: number;
  predicted: number;
} {
  const support = outcomes.filter((o) => o.expected === null).length;
  const predicted = outcomes.filter((o) => o.predicted === null).length;
  const hits = outcomes.filter((o) => o.expected === null && o.predicted === null).length;
  return { precision: ratio(hits, predicted), recall: ratio(hits, support), support, predicted };
}

export interface CalibrationBin {
  from: number;
  to: number;
  count: number;
  meanConfidence: number;
  accuracy: number;
}

/** The outcomes that have a confidence: those of completed jobs. */
export function scoredOutcomes(outcomes: Outcome[]): Outcome[] {
  return outcomes.filter((o) => o.predicted !== undefined && typeof o.confidence === 'number');
}

/** Equal-width bins of [confidence, right] pairs, and their expected calibration error. */
function binned(pairs: readonly (readonly [number, boolean])[], binCount: number) {
  const bins = Array.from({ length: binCount }, (_, i) => ({
    from: i / binCount,
    to: (i + 1) / binCount,
    n: 0,
    conf: 0,
    right: 0,
  }));
  for (const [confidence, right] of pairs) {
    const c = Math.min(1, Math.max(0, confidence));
    const bin = bins[Math.min(binCount - 1, Math.floor(c * binCount))] as (typeof bins)[number];
    bin.n++;
    bin.conf += confidence;
    bin.right += right ? 1 : 0;
  }
  let ece = 0;
  for (const bin of bins)
    ece += ratio(bin.n, pairs.length) * Math.abs(ratio(bin.right, bin.n) - ratio(bin.conf, bin.n));
  return { ece, bins };
}

/**
 * Expected calibration error with equal-width bins: the count-weighted mean gap between
 * confidence and accuracy. Only completed jobs have a confidence; the answer is "correct"
 * when it equals the expected one (a null answer is correct for a document no rule fits).
 */
export function calibration(
  outcomes: Outcome[],
  binCount = 10,
): { ece: number; n: number; bins: CalibrationBin[] } {
  const scored = scoredOutcomes(outcomes);
  const { ece, bins } = binned(
    scored.map((o) => [o.confidence as number, o.predicted === o.expected] as const),
    binCount,
  );
  return {
    ece,
    n: scored.length,
    bins: bins.map(({ from, to, n, conf, right }) => ({
      from,
      to,
      count: n,
      meanConfidence: ratio(conf, n),
      accuracy: ratio(right, n),
    })),
  };
}

/**
 * The ECE a perfectly calibrated classifier would show with these same confidences: each
 * answer drawn right with probability equal to its confidence, many times over (a fixed seed,
 * so reports are repeatable). On a few hundred answers it is well above 0, and a measured ECE
 * within its range cannot be told from perfect calibration.
 */
export function calibratedEceRange(
  confidences: readonly number[],
  binCount = 10,
  draws = 1000,
): { median: number; p5: number; p95: number } {
  let state = 0x9e3779b9;
  const uniform = () => {
    // mulberry32
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const eces: number[] = [];
  for (let draw = 0; draw < draws; draw++)
    eces.push(
      binned(
        confidences.map((c) => [c, uniform() < c] as const),
        binCount,
      ).ece,
    );
  return {
    median: percentile(eces, 50) ?? 0,
    p5: percentile(eces, 5) ?? 0,
    p95: percentile(eces, 95) ?? 0,
  };
}

/** Linear-interpolated percentile (p in 0..100) of the numbers given; null for none. */
export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  const a = sorted[low] as number;
  const b = sorted[high] as number;
  return a + (b - a) * (rank - low);
}
