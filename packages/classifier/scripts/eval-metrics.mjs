// Metrics and the logistic fit used by eval-dev-set.mjs.
import { createHash } from 'node:crypto';

/** A stable fold for a document id, so every run splits the same way. */
export function foldOf(id, folds) {
  return createHash('sha256').update(id).digest().readUInt32BE(0) % folds;
}

/**
 * Maximum-likelihood logistic regression of a 0/1 outcome on a few features: Newton's method
 * with step halving, so the log-likelihood never decreases (a plain Newton step can diverge).
 * rows: [features[], outcome]; returns [intercept, ...weights].
 */
export function fitLogistic(rows) {
  const k = rows[0][0].length + 1;
  const linear = (w, x) => x.reduce((sum, v, j) => sum + v * w[j + 1], w[0]);
  const logLikelihood = (w) =>
    rows.reduce((sum, [x, y]) => {
      const z = linear(w, x);
      return sum + y * z - (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z)));
    }, 0);
  let w = new Array(k).fill(0);
  let current = logLikelihood(w);
  for (let iter = 0; iter < 200; iter++) {
    const g = new Array(k).fill(0);
    const h = Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => (i === j ? 1e-6 : 0)));
    for (const [x, y] of rows) {
      const xs = [1, ...x];
      const p = 1 / (1 + Math.exp(-linear(w, x)));
      for (let a = 0; a < k; a++) {
        g[a] += (y - p) * xs[a];
        for (let b = 0; b < k; b++) h[a][b] += p * (1 - p) * xs[a] * xs[b];
      }
    }
    const step = solve(h, g);
    let scale = 1;
    let next = w.map((v, i) => v + step[i]);
    while (scale > 1e-6 && logLikelihood(next) < current) {
      scale /= 2;
      next = w.map((v, i) => v + scale * step[i]);
    }
    const value = logLikelihood(next);
    w = next;
    if (value - current < 1e-10) break;
    current = value;
  }
  return w;
}

/** Solves a x = b by Gaussian elimination with partial pivoting. */
export function solve(a, b) {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[pivot][c])) pivot = r;
    [m[c], m[pivot]] = [m[pivot], m[c]];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r][c] / m[c][c];
      for (let j = c; j <= n; j++) m[r][j] -= f * m[c][j];
    }
  }
  return m.map((row, i) => row[n] / row[i]);
}

export function logisticOf(w, x) {
  return 1 / (1 + Math.exp(-x.reduce((sum, v, j) => sum + v * w[j + 1], w[0])));
}

export function percentile(values, q) {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

const f1 = (tp, fp, fn) => (tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn));

/**
 * The answer a trial gets from its two probabilities: the best type when pMatch clears the
 * threshold (or, without one, when it is at least pNull), else null; with its confidence.
 */
export function answerOf(t, pMatch, pNull, threshold) {
  const typed = pMatch >= threshold;
  return typed ? { type: t.best, confidence: pMatch } : { type: null, confidence: pNull };
}

/** Expected calibration error over 10 equal-width bins; rows are [confidence, right]. */
export function ece(rows) {
  const bins = Array.from({ length: 10 }, () => ({ n: 0, conf: 0, right: 0 }));
  for (const [c, right] of rows) {
    const bin = bins[Math.min(9, Math.floor(c * 10))];
    bin.n++;
    bin.conf += c;
    bin.right += right ? 1 : 0;
  }
  return rows.length ? bins.reduce((s, b) => s + Math.abs(b.conf - b.right), 0) / rows.length : Number.NaN;
}

/** answer(t) -> { type, confidence }; trials carry label (null when no rule fits), best and kind. */
export function metrics(trials, answer) {
  const answers = trials.map((t) => ({ t, ...answer(t) }));
  const full = answers.filter((a) => a.t.kind === 'full');
  const labelled = full.filter((a) => a.t.label !== null);
  const classes = [...new Set(labelled.map((a) => a.t.label))].sort();
  const right = (a) => a.type === a.t.label;

  const macro = (rows, pick) =>
    classes.reduce((sum, c) => {
      let tp = 0,
        fp = 0,
        fn = 0;
      for (const a of rows) {
        const p = pick(a);
        if (p === c && a.t.label === c) tp++;
        else if (p === c) fp++;
        else if (a.t.label === c) fn++;
      }
      return sum + f1(tp, fp, fn);
    }, 0) / classes.length;

  const predictedNull = answers.filter((a) => a.type === null);
  const expectedNull = answers.filter((a) => a.t.label === null);
  const nullHits = predictedNull.filter((a) => a.t.label === null).length;
  const typed = answers.filter((a) => a.type !== null);

  const perClass = classes
    .map((c) => {
      const rows = labelled.filter((a) => a.t.label === c);
      return `${c} ${rows.filter((a) => a.t.best === c).length}/${rows.length}`;
    })
    .join(', ');

  return {
    top1: labelled.filter((a) => a.t.best === a.t.label).length / labelled.length,
    pass1Accuracy: full.filter(right).length / full.length,
    macroF1: macro(full, (a) => a.type),
    closedMacroF1: macro(labelled, (a) => a.t.best),
    nullPrecision: nullHits / predictedNull.length,
    nullRecall: nullHits / expectedNull.length,
    eceTyped: ece(typed.map((a) => [a.confidence, right(a)])),
    ecePooled: ece(answers.map((a) => [a.confidence, right(a)])),
    ecePass1: ece(full.map((a) => [a.confidence, right(a)])),
    perClass,
  };
}
