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
function solve(a, b) {
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

export function metrics(trials, confidenceOf, threshold) {
  const full = trials.filter((t) => t.kind === 'full');
  const labelled = full.filter((t) => t.label !== null);
  const predicted = (t) => (confidenceOf(t) >= threshold ? t.best : null);
  const classes = [...new Set(labelled.map((t) => t.label))].sort();

  const macro = (rows, pick) =>
    classes.reduce((sum, c) => {
      let tp = 0,
        fp = 0,
        fn = 0;
      for (const t of rows) {
        const p = pick(t);
        if (p === c && t.label === c) tp++;
        else if (p === c) fp++;
        else if (t.label === c) fn++;
      }
      return sum + f1(tp, fp, fn);
    }, 0) / classes.length;

  let nullTp = 0,
    predNull = 0,
    expNull = 0;
  for (const t of trials) {
    const p = predicted(t);
    if (p === null) predNull++;
    if (t.label === null) expNull++;
    if (p === null && t.label === null) nullTp++;
  }

  const bins = Array.from({ length: 10 }, () => ({ n: 0, conf: 0, right: 0 }));
  for (const t of trials) {
    const c = confidenceOf(t);
    const bin = bins[Math.min(9, Math.floor(c * 10))];
    bin.n++;
    bin.conf += c;
    bin.right += t.correct ? 1 : 0;
  }
  const ece = bins.reduce((s, b) => s + (b.n ? Math.abs(b.conf - b.right) : 0), 0) / trials.length;

  const perClass = classes
    .map((c) => {
      const rows = labelled.filter((t) => t.label === c);
      return `${c} ${rows.filter((t) => t.best === c).length}/${rows.length}`;
    })
    .join(', ');

  return {
    top1: labelled.filter((t) => t.best === t.label).length / labelled.length,
    decisionAccuracy: full.filter((t) => predicted(t) === t.label).length / full.length,
    macroF1: macro(full, predicted),
    closedMacroF1: macro(labelled, (t) => t.best),
    nullPrecision: nullTp / predNull,
    nullRecall: nullTp / expNull,
    ece,
    perClass,
  };
}
