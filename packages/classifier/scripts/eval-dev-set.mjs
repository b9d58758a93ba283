#!/usr/bin/env node
// Measures the embedded classifier on a labelled document set laid out like doctypes-dev
// (labels.csv with path,label,...,format,language; rules.json; rules-terse.json; docs/).
// Nothing from the set is written into the repository: parsed text is cached under /tmp.
//
// Usage (from packages/classifier, after `pnpm --filter @classifyd/classifier... build` and
// building @classifyd/parser):
//   node scripts/eval-dev-set.mjs [--data DIR] [--ocr] [--folds 5] [--threshold T] [--sweep] [--fit] [--errors]
//
// --ocr     also score the documents that need OCR (scans, photos); by default they are
//           skipped, leaving the documents whose text comes from a text layer (PDF text,
//           HTML, plain text, DOCX). The parser OCRs them once; the text is cached.
// --threshold  null below this match confidence (default: DEFAULT_NULL_THRESHOLD, as shipped)
// --sweep   also print the null precision/recall trade-off for a range of thresholds
// --fit     print the calibration fitted on all documents (what calibration.ts ships).
// --errors  list the misclassified documents (ids and labels only).
// --match-features a,b / --null-features a,b  refit with other decision features (names as in decision.ts)
// --null-prior P  move held-out probabilities to this null prior instead of the shipped nullPrior(rule count)
//
// The first line per rules file gives the figures pnpm eval reports, held out: top-1 over pass 1
// (every document, every rule; a null answer on a labelled document is wrong), ECE over pass 1
// (a null answer's confidence is that no rule fits), and null precision/recall pooled over both
// passes. Held-out probabilities are moved from the fitted null share to the null prior as shipped.
//
// Trials per rules file: every document against all rules (the right answer is its label,
// or null for documents labelled `none`), and every labelled document again without its own
// rule (the right answer is then null). Both probabilities (best type right, no rule fits) are
// recomputed from each trial's decision features with logistics fitted on the other folds'
// documents (k-fold by document, both rule files pooled), so ECE and null precision/recall are
// held-out figures. ECE is given over typed answers, over all answers of both passes pooled
// (as pnpm eval computes it: a null answer's confidence is that no rule fits), and over pass 1.

import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { answerOf, fitLogistic, foldOf, logisticOf, metrics, percentile } from './eval-metrics.mjs';

const { values: args } = parseArgs({
  options: {
    data: {
      type: 'string',
      default: fileURLToPath(new URL('../../../../shared/datasets/doctypes-dev', import.meta.url)),
    },
    ocr: { type: 'boolean', default: false },
    folds: { type: 'string', default: '5' },
    threshold: { type: 'string' },
    sweep: { type: 'boolean', default: false },
    fit: { type: 'boolean', default: false },
    errors: { type: 'boolean', default: false },
    'match-features': { type: 'string' },
    'null-features': { type: 'string' },
    'null-prior': { type: 'string' },
  },
});

const here = new URL('.', import.meta.url);
const { classifyDocument } = await import(new URL('../dist/classify-document.js', here).href);
const { createEmbeddedClassifier } = await import(new URL('../dist/index.js', here).href);
const shippedFeatures = await import(new URL('../dist/calibration.js', here).href);
// Other feature sets can be tried without a rebuild (they are refitted per fold either way).
const MATCH_FEATURES = args['match-features']?.split(',') ?? shippedFeatures.MATCH_FEATURES;
const NO_RULE_FITS_FEATURES = args['null-features']?.split(',') ?? shippedFeatures.NO_RULE_FITS_FEATURES;
const { buildModel } = await import(new URL('../dist/embedded-classifier.js', here).href);
const { shiftNullPrior } = await import(new URL('../dist/decision.js', here).href);
const { nullPrior } = shippedFeatures;

const SCANNED_FORMATS = new Set(['pdf-scanned', 'image/jpeg', 'image/png', 'image/tiff']);
// Without --threshold, the classifier's default.
const threshold = args.threshold ? Number(args.threshold) : shippedFeatures.DEFAULT_NULL_THRESHOLD;
const folds = Number(args.folds);

const documents = await parsedDocuments(args.data);
const chosen = documents.filter((d) => !d.error && (args.ocr || !SCANNED_FORMATS.has(d.format)));
const skipped = documents.length - chosen.length;
console.log(
  `${chosen.length} documents scored (${skipped} skipped: ${args.ocr ? 'unreadable' : 'need OCR or unreadable'})`,
);

const model = await buildModel();
const classifier = await createEmbeddedClassifier({ nullThreshold: threshold });
const runs = [];
for (const rulesFile of ['rules.json', 'rules-terse.json']) {
  const rules = JSON.parse(await readFile(`${args.data}/${rulesFile}`, 'utf8'));
  const trials = [];
  for (const doc of chosen) {
    const full = await classifyDocument({ pages: doc.pages, rules }, model, threshold);
    trials.push(trialOf(doc, rules, full, doc.label === 'none' ? null : doc.label, 'full'));
    if (doc.label === 'none') continue;
    const without = rules.filter((r) => r.type !== doc.label);
    const rest = await classifyDocument({ pages: doc.pages, rules: without }, model, threshold);
    trials.push(trialOf(doc, without, rest, null, 'without-own'));
  }
  runs.push({ rulesFile, rules, trials });
}

// Held-out confidences: both logistics are fitted on the trials of both rule files of the other
// folds' documents, so neither the document nor its rule style's answers for it are seen.
const allTrials = runs.flatMap((run) => run.trials);
const vector = (t, names) => names.map((name) => t.features[name]);
// As calibration.ts describes: "best is right" from the trials where the document's own rule
// was there; "no rule fits" from every trial.
const fitModels = (train) => ({
  match: fitLogistic(
    train
      .filter((t) => t.kind === 'full' && t.label !== null)
      .map((t) => [vector(t, MATCH_FEATURES), t.correct ? 1 : 0]),
  ),
  noRuleFits: fitLogistic(train.map((t) => [vector(t, NO_RULE_FITS_FEATURES), t.label === null ? 1 : 0])),
});
for (let fold = 0; fold < folds; fold++) {
  const fit = fitModels(allTrials.filter((t) => t.fold !== fold && t.features));
  for (const t of allTrials.filter((x) => x.fold === fold)) {
    if (!t.features) {
      t.pMatch = 0;
      t.pNull = 0;
      continue;
    }
    // Moved to the shipped null prior for this many rules, as the classifier does (decision.ts).
    const prior = args['null-prior'] ? Number(args['null-prior']) : nullPrior(t.ruleCount);
    t.pNull = shiftNullPrior(logisticOf(fit.noRuleFits, vector(t, NO_RULE_FITS_FEATURES)), prior);
    t.pMatch = (1 - t.pNull) * logisticOf(fit.match, vector(t, MATCH_FEATURES));
  }
}
const heldOutAnswer = (limit) => (t) => answerOf(t, t.pMatch, t.pNull, limit);

for (const { rulesFile, rules, trials } of runs) {
  const latencies = [];
  for (let round = 0; round < 3; round++) {
    for (const doc of chosen) {
      const start = performance.now();
      await classifier.classify({ pages: doc.pages, rules });
      if (round > 0) latencies.push(performance.now() - start);
    }
  }
  const shipped = metrics(trials, (t) => t.shipped);
  const held = metrics(trials, heldOutAnswer(threshold));
  console.log(`\n== ${rulesFile} (${rules.length} rules, null below ${threshold})`);
  console.log(
    `AS PNPM EVAL (held-out): top-1 ${pct(held.pass1Accuracy)}  ECE ${held.ecePass1.toFixed(3)}  ` +
      `pooled null P/R ${held.nullPrecision.toFixed(2)}/${held.nullRecall.toFixed(2)}`,
  );
  console.log(
    `top-1 (closed set) ${pct(held.top1)}  pass-1 accuracy (nulls counted, as pnpm eval's top-1) ${pct(held.pass1Accuracy)}  ` +
      `macro-F1 ${pct(held.macroF1)} (closed set ${pct(held.closedMacroF1)})`,
  );
  console.log(
    `held-out: null P ${pct(held.nullPrecision)} R ${pct(held.nullRecall)}  ECE typed ${held.eceTyped.toFixed(3)} ` +
      `pooled ${held.ecePooled.toFixed(3)} pass-1 ${held.ecePass1.toFixed(3)}`,
  );
  console.log(
    `shipped calibration (in-sample): null P ${pct(shipped.nullPrecision)} R ${pct(shipped.nullRecall)}  ` +
      `ECE typed ${shipped.eceTyped.toFixed(3)} pooled ${shipped.ecePooled.toFixed(3)} pass-1 ${shipped.ecePass1.toFixed(3)}`,
  );
  console.log(
    `latency ms: p50 ${percentile(latencies, 0.5).toFixed(2)} p95 ${percentile(latencies, 0.95).toFixed(2)} ` +
      `max ${Math.max(...latencies).toFixed(2)}`,
  );
  console.log(`per class (closed-set right/total): ${held.perClass}`);
  if (args.sweep) {
    for (const limit of [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]) {
      const m = metrics(trials, heldOutAnswer(limit));
      console.log(
        `  threshold ${limit}: pass-1 accuracy ${pct(m.pass1Accuracy)}  null P ${pct(m.nullPrecision)} ` +
          `R ${pct(m.nullRecall)}  ECE pooled ${m.ecePooled.toFixed(3)}`,
      );
    }
  }
  if (args.errors) {
    for (const t of trials.filter((x) => x.kind === 'full' && x.label && x.best !== x.label)) {
      console.log(`  ${t.id} ${t.label} -> ${t.best} (runner-up ${t.runnerUp})`);
    }
  }
  await writeFile(`/tmp/classifyd-eval-${rulesFile}.trials.json`, JSON.stringify(trials));
}
if (args.fit) {
  const fit = fitModels(allTrials.filter((t) => t.features));
  const show = ([intercept, ...weights], names) =>
    `{ intercept: ${intercept.toFixed(3)}, weights: { ${names.map((n, i) => `${n}: ${weights[i].toFixed(3)}`).join(', ')} } }`;
  console.log(`\nfit on all trials of both rule files:`);
  console.log(`  match: ${show(fit.match, MATCH_FEATURES)}`);
  console.log(`  noRuleFits: ${show(fit.noRuleFits, NO_RULE_FITS_FEATURES)}`);
}

function trialOf(doc, rules, result, expected, kind) {
  const d = result.decision;
  const best = d ? rules[d.best].type : null;
  return {
    id: doc.id,
    label: expected,
    kind,
    fold: foldOf(doc.id, folds),
    ruleCount: rules.length,
    best,
    runnerUp: d && d.runnerUp >= 0 ? rules[d.runnerUp].type : null,
    features: d ? d.features : null,
    correct: best !== null && best === expected,
    shipped: { type: result.type, confidence: result.confidence },
  };
}

function pct(x) {
  return Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : 'n/a';
}

/** Parses every listed document once with @classifyd/parser and caches the pages under /tmp. */
async function parsedDocuments(dataDir) {
  const labels = await readFile(`${dataDir}/labels.csv`, 'utf8');
  const key = createHash('sha256').update(dataDir).update(labels).digest('hex').slice(0, 12);
  const cachePath = `/tmp/classifyd-devset-${key}.json`;
  if (existsSync(cachePath)) return JSON.parse(await readFile(cachePath, 'utf8'));
  const { createParser } = await import(new URL('../../parser/dist/index.js', here).href);
  const parser = createParser();
  const out = [];
  for (const line of labels.trim().split('\n').slice(1)) {
    const [path, label, , , , format, language] = line.split(',');
    const id = path.replace(/^.*\//, '').replace(/\.[^.]+$/, '');
    try {
      await stat(`${dataDir}/${path}`);
      const doc = await parser.parse(await readFile(`${dataDir}/${path}`), { lang: language });
      const pages = doc.pages.map((p) => ({ page_number: p.page_number, text: p.text }));
      out.push({ id, label, format, language, ocr: doc.ocr !== null, pages });
    } catch (error) {
      out.push({ id, label, format, language, error: String(error?.message ?? error) });
    }
  }
  await parser.close();
  await writeFile(cachePath, JSON.stringify(out));
  return out;
}
