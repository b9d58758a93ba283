#!/usr/bin/env node
// Fits the weights with which the embedded classifier fuses rule evidence with a
// configuration's examples (src/examples/example-fusion.ts, EXAMPLE_FUSION), and reports
// them held out. Reads the dev set's parsed text as cached by eval-dev-set.mjs --ocr (run
// that first); writes nothing into the repository.
//
//   node scripts/fit-example-fusion.mjs [--data DIR] [--cache FILE] [--l2 0.0001]
//
// Trials: for each rules file, each k in 1, 3, 5, 10 and all examples per type, and each of
// 5 folds by document, a model is built from the other folds' documents (k per type, chosen
// by a hash of the id, in --selections different ways; documents labelled `none` are
// negative examples, k of them as for a type) and every document of the fold is a trial whose right answer is its label (null for
// `none`). The weights are a conditional logit over the answers, fitted by Newton's method
// with a little L2; the figures printed are for each fold's trials with weights fitted on the
// other folds' trials.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { foldOf, solve } from './eval-metrics.mjs';

const { values: args } = parseArgs({
  options: {
    data: {
      type: 'string',
      default: fileURLToPath(new URL('../../../../shared/datasets/doctypes-dev', import.meta.url)),
    },
    cache: { type: 'string' },
    l2: { type: 'string', default: '0.0001' },
    selections: { type: 'string', default: '3' },
    'null-floor': { type: 'string', default: '0' },
  },
});
const here = new URL('.', import.meta.url);
const { classifyDocument } = await import(new URL('../dist/classify-document.js', here).href);
const { buildModel } = await import(new URL('../dist/embedded-classifier.js', here).href);
const { profileDocument } = await import(new URL('../dist/document-profile.js', here).href);
const { buildExampleModel, meaningSimilarity } = await import(
  new URL('../dist/examples/example-model.js', here).href
);
const { fusionEvidence } = await import(new URL('../dist/examples/example-fusion.js', here).href);

const cachePath = args.cache ?? newestCache();
const documents = JSON.parse(readFileSync(cachePath, 'utf8')).filter((d) => !d.error);
const model = await buildModel();
const FOLDS = 5;
const KS = [1, 3, 5, 10, 'all'];
// Which k documents of a type are the examples changes the answers by a few points: trials
// are drawn for several selections, so that the weights fit none of them in particular.
const SELECTIONS = Number(args.selections);
const order = (id, selection) => foldOf(`${id}:example:${selection}`, 2 ** 31);

const trials = [];
for (const rulesFile of ['rules.json', 'rules-terse.json']) {
  const rules = JSON.parse(readFileSync(`${args.data}/${rulesFile}`, 'utf8'));
  const types = rules.map((r) => r.type);
  const labelOf = (d) => (types.includes(d.label) ? d.label : null);
  const ruleResults = new Map();
  for (const d of documents)
    ruleResults.set(d.id, await classifyDocument({ pages: d.pages, rules }, model, 0.5));
  const means = new Map(documents.map((d) => [d.id, profileDocument(d.pages, model.vectors).meanVector]));
  for (const k of KS) {
    for (let selection = 0; selection < (k === 'all' ? 1 : SELECTIONS); selection++) {
      for (let fold = 0; fold < FOLDS; fold++) {
        const others = documents
          .filter((d) => foldOf(d.id, FOLDS) !== fold)
          .sort((a, b) => order(a.id, selection) - order(b.id, selection));
        const byType = new Map();
        for (const d of others) byType.set(labelOf(d), [...(byType.get(labelOf(d)) ?? []), d]);
        const chosen = k === 'all' ? others : [...byType.values()].flatMap((group) => group.slice(0, k));
        const exampleModel = buildExampleModel(
          chosen.map((d) => ({ id: d.id, type: labelOf(d), name: d.id, pages: d.pages })),
          model.vectors,
        );
        for (const d of documents.filter((x) => foldOf(x.id, FOLDS) === fold)) {
          const rule = ruleResults.get(d.id);
          if (rule.scores.length === 0) continue;
          const meaning = meaningSimilarity(exampleModel, means.get(d.id));
          const evidence = fusionEvidence({
            types,
            ruleScores: rule.scores,
            neutralScore: rule.neutralScore,
            ruleBest: rule.decision.best,
            ruleConfidence: rule.decision.confidence,
            ruleNullConfidence: rule.decision.nullConfidence,
            comparison: exampleModel.index.compare(d.pages),
            meaning: meaning.centroid,
            meaningNearest: meaning.nearest,
          });
          const truth = labelOf(d);
          trials.push({
            rulesFile,
            k,
            fold,
            id: d.id,
            truth: truth === null ? types.length : types.indexOf(truth),
            evidence,
          });
        }
      }
    }
  }
}

const TYPE_KEYS = Object.keys(trials[0].evidence.types[0]);
const NONE_KEYS = ['intercept', ...Object.keys(trials[0].evidence.none)];
const width = TYPE_KEYS.length + NONE_KEYS.length;
for (const t of trials) {
  t.options = [
    ...t.evidence.types.map((e) => [...TYPE_KEYS.map((key) => e[key]), ...NONE_KEYS.map(() => 0)]),
    [...TYPE_KEYS.map(() => 0), 1, ...NONE_KEYS.slice(1).map((key) => t.evidence.none[key])],
  ];
}
const l2 = Number(args.l2);

const probabilities = (w, t) => {
  const z = t.options.map((o) => o.reduce((s, x, j) => s + x * w[j], 0));
  const top = Math.max(...z);
  const e = z.map((x) => Math.exp(x - top));
  const total = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / total);
};
function logLikelihood(w, ts) {
  let sum = 0;
  for (const t of ts) sum += Math.log(Math.max(1e-300, probabilities(w, t)[t.truth]));
  return sum - (l2 * ts.length * w.reduce((a, x) => a + x * x, 0)) / 2;
}
function fit(ts) {
  let w = new Array(width).fill(0);
  let current = logLikelihood(w, ts);
  for (let iter = 0; iter < 100; iter++) {
    const g = w.map((x) => -l2 * ts.length * x);
    const h = Array.from({ length: width }, (_, i) =>
      Array.from({ length: width }, (_, j) => (i === j ? l2 * ts.length + 1e-9 : 0)),
    );
    for (const t of ts) {
      const p = probabilities(w, t);
      const mean = new Array(width).fill(0);
      t.options.forEach((o, i) => {
        o.forEach((x, j) => {
          mean[j] += p[i] * x;
        });
      });
      for (let j = 0; j < width; j++) g[j] += t.options[t.truth][j] - mean[j];
      t.options.forEach((o, i) => {
        for (let a = 0; a < width; a++)
          for (let b = 0; b < width; b++) h[a][b] += p[i] * (o[a] - mean[a]) * (o[b] - mean[b]);
      });
    }
    const step = solve(h, g);
    let scale = 1;
    let next = w.map((v, i) => v + step[i]);
    while (scale > 1e-6 && logLikelihood(next, ts) < current) {
      scale /= 2;
      next = w.map((v, i) => v + scale * step[i]);
    }
    const value = logLikelihood(next, ts);
    w = next;
    if (value - current < 1e-9) break;
    current = value;
  }
  return w;
}

const heldOut = Array.from({ length: FOLDS }, (_, fold) => fit(trials.filter((t) => t.fold !== fold)));
for (const rulesFile of ['rules.json', 'rules-terse.json']) {
  const cells = KS.map((k) => {
    const answers = trials
      .filter((t) => t.rulesFile === rulesFile && t.k === k)
      .map((t) => {
        const p = probabilities(heldOut[t.fold], t);
        const none = p.length - 1;
        let best = p.indexOf(Math.max(...p));
        // --null-floor: null only when at least this probable, else the likeliest type.
        if (best === none && p[none] < Number(args['null-floor'])) {
          const types = p.slice(0, none);
          best = types.indexOf(Math.max(...types));
        }
        return {
          p: p[best],
          right: best === t.truth,
          nullAnswer: best === t.options.length - 1,
          nullTruth: t.truth === t.options.length - 1,
        };
      });
    const accuracy = answers.filter((a) => a.right).length / answers.length;
    const nulls = answers.filter((a) => a.nullAnswer);
    const precision = nulls.filter((a) => a.nullTruth).length / Math.max(1, nulls.length);
    const recall =
      nulls.filter((a) => a.nullTruth).length / Math.max(1, answers.filter((a) => a.nullTruth).length);
    return `k=${k} top-1 ${accuracy.toFixed(3)} ECE ${ece(answers).toFixed(3)} null P/R ${precision.toFixed(2)}/${recall.toFixed(2)}`;
  });
  console.log(`${rulesFile} (held out): ${cells.join(' | ')}`);
  // The ceiling the null answer leaves: the likeliest type of each typed document. With every
  // document labelled `none` answered null too, top-1 could be no higher than
  // (right + nones) / trials.
  const closed = KS.map((k) => {
    const typed = trials.filter(
      (t) => t.rulesFile === rulesFile && t.k === k && t.truth < t.options.length - 1,
    );
    const right = typed.filter((t) => {
      const p = probabilities(heldOut[t.fold], t).slice(0, -1);
      return p.indexOf(Math.max(...p)) === t.truth;
    }).length;
    const all = trials.filter((t) => t.rulesFile === rulesFile && t.k === k).length;
    return `k=${k} ${(right / typed.length).toFixed(3)} (with every null right: ${((right + all - typed.length) / all).toFixed(3)})`;
  });
  console.log(`  closed set (typed documents, likeliest type): ${closed.join(' | ')}`);
}
const all = fit(trials);
const show = (keys, offset) =>
  Object.fromEntries(keys.map((key, i) => [key, Number(all[offset + i].toFixed(3))]));
console.log(`${trials.length} trials; fitted on all:`);
console.log(JSON.stringify({ type: show(TYPE_KEYS, 0), none: show(NONE_KEYS, TYPE_KEYS.length) }, null, 2));

function ece(answers) {
  const bins = Array.from({ length: 10 }, () => ({ n: 0, p: 0, right: 0 }));
  for (const a of answers) {
    const bin = bins[Math.min(9, Math.floor(a.p * 10))];
    bin.n++;
    bin.p += a.p;
    bin.right += a.right ? 1 : 0;
  }
  return bins.reduce((sum, b) => sum + Math.abs(b.p - b.right), 0) / answers.length;
}

function newestCache() {
  const found = readdirSync('/tmp')
    .filter((name) => name.startsWith('classifyd-devset-') && name.endsWith('.json'))
    .map((name) => `/tmp/${name}`)
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  if (found.length === 0) {
    console.error('no parsed dev set in /tmp: run `node scripts/eval-dev-set.mjs --ocr` first');
    process.exit(2);
  }
  return found[0];
}
