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

/**
 * Expected calibration error with equal-width bins: the count-weighted mean gap between
 * confidence and accuracy. Only completed jobs have a confidence; the answer is "correct"
 * when it equals the expected one (a null answer is correct for a document no rule fits).
 */
export function calibration(
  outcomes: Outcome[],
  binCount = 10,
): { ece: number; n: number; bins: CalibrationBin[] } {
  const scored = outcomes.filter((o) => o.predicted !== undefined && typeof o.confidence === 'number');
  const bins = Array.from({ length: binCount }, (_, i) => ({
    from: i / binCount,
    to: (i + 1) / binCount,
    items: [] as Outcome[],
  }));
  for (const o of scored) {
    const c = Math.min(1, Math.max(0, o.confidence as number));
    bins[Math.min(binCount - 1, Math.floor(c * binCount))]?.items.push(o);
  }
  let ece = 0;
  const result = bins.map(({ from, to, items }) => {
    const meanConfidence = ratio(
      items.reduce((sum, o) => sum + (o.confidence as number), 0),
      items.length,
    );
    const acc = accuracy(items);
    ece += ratio(items.length, scored.length) * Math.abs(acc - meanConfidence);
    return { from, to, count: items.length, meanConfidence, accuracy: acc };
  });
  return { ece, n: scored.length, bins: result };
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
