#!/usr/bin/env node
// Accuracy and calibration of a classifyd service on a labelled folder (default: the
// doctypes-dev set beside the repo). Runs the CLI's own library (classifyTasks) twice per
// rules file: every document with every rule, then each labelled document without its own
// rule (the right answer is then null). Writes report.md, report.json, reliability PNGs and
// the raw per-document results to eval/results/<timestamp>/, and prints a summary.
//
//   node packages/cli/scripts/eval.mjs [--base-url URL] [--dataset DIR] [--rules a.json,b.json] ...
// Without --base-url it starts the built api and workers itself (Redis at REDIS_URL or 127.0.0.1:6379).
// --examples k|all adds the learning curve: accuracy against labelled examples per type,
// cross-validated by document over 5 folds through saved configurations and their examples.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '../../..');
const USAGE = `usage: node packages/cli/scripts/eval.mjs [options]
  --dataset DIR        labelled folder with labels.csv and rules files (default ../shared/datasets/doctypes-dev from the repo)
  --rules LIST         comma-separated rules files in the data set (default rules.json,rules-terse.json)
  --base-url URL       a running service; without it the eval starts one (needs pnpm build and Redis)
  --api-key KEY        default $CLASSIFYD_API_KEY, else a placeholder for open dev mode
  --classifier NAME    CLASSIFIER for a service the eval starts (default: $CLASSIFIER, else auto)
  --concurrency N      documents in flight (default 4)
  --timeout SECONDS    per document (default 600)
  --limit N            only the first N documents of labels.csv (a quick check)
  --examples K|all     also measure accuracy against examples per type, 5-fold cross-validated by
                       document: k = 0 and K, or 0,1,3,5,10,all with "all" (adds a table and a plot)
  --out DIR            report folder (default eval/results/<timestamp>)`;

function fail(message, code = 2) {
  console.error(`eval: ${message}`);
  process.exit(code);
}

let args;
try {
  args = parseArgs({
    options: {
      dataset: { type: 'string' },
      rules: { type: 'string' },
      'base-url': { type: 'string' },
      'api-key': { type: 'string' },
      classifier: { type: 'string' },
      concurrency: { type: 'string' },
      timeout: { type: 'string' },
      limit: { type: 'string' },
      examples: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  }).values;
} catch (error) {
  fail(`${error.message}\n${USAGE}`);
}
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}

const distEntry = join(HERE, '../dist/index.js');
if (!existsSync(distEntry))
  fail('the CLI is not built; run `pnpm build` (or pnpm --filter @classifyd/cli... build) first');
const cli = await import(pathToFileURL(distEntry).href);
const ev = await import(pathToFileURL(join(HERE, '../dist/eval/index.js')).href);

const dataset = resolve(args.dataset ?? join(REPO, '../shared/datasets/doctypes-dev'));
if (!existsSync(join(dataset, 'labels.csv'))) fail(`no labels.csv in ${dataset}; give --dataset DIR`);
const rulesFiles = (args.rules ?? 'rules.json,rules-terse.json')
  .split(',')
  .map((f) => f.trim())
  .filter(Boolean);
const concurrency = Number(args.concurrency ?? 4);
const timeoutMs = Number(args.timeout ?? 600) * 1000;
if (!Number.isInteger(concurrency) || concurrency < 1) fail('--concurrency must be a whole number from 1');
if (!(timeoutMs > 0)) fail('--timeout must be a positive number of seconds');

let exampleKs;
if (args.examples !== undefined) {
  try {
    exampleKs = ev.examplesCounts(ev.parseExampleCount(args.examples));
  } catch (error) {
    fail(error.message);
  }
}

let documents = ev.parseLabels(readFileSync(join(dataset, 'labels.csv'), 'utf8'));
if (args.limit) documents = documents.slice(0, Number(args.limit));
const rulesSets = [];
for (const file of rulesFiles) {
  try {
    rulesSets.push({
      name: file,
      rules: await cli.loadRules({ rulesFile: join(dataset, file), ruleFlags: [] }),
    });
  } catch (error) {
    fail(error.message);
  }
}

/** The classifier's own time per job, from the classify worker's "classified" log lines. */
const classifierMs = new Map();
function readClassifierTimes(worker) {
  let pending = '';
  worker?.child.stdout?.on('data', (chunk) => {
    const lines = (pending + chunk.toString()).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.includes('"classified"')) continue;
      try {
        const entry = JSON.parse(line);
        if (entry.msg === 'classified' && typeof entry.ms === 'number')
          classifierMs.set(entry.jobId, entry.ms);
      } catch {
        // Not a JSON log line.
      }
    }
  });
}

let stack;
let client;
let baseUrl = args['base-url'];
const classifier = args.classifier ?? process.env.CLASSIFIER ?? 'auto';
/** Configurations the examples run created: deleted at the end, also after a failure or Ctrl-C. */
const createdConfigurations = [];
async function deleteConfigurations() {
  const ids = createdConfigurations.splice(0);
  const failed = [];
  for (let i = 0; i < ids.length; i += 8)
    await Promise.all(
      ids.slice(i, i + 8).map((id) => client.configurations.delete(id).catch(() => failed.push(id))),
    );
  if (failed.length) console.error(`eval: could not delete configurations ${failed.join(', ')}`);
}
async function stopStack() {
  await deleteConfigurations().catch(() => {});
  const running = stack;
  stack = undefined;
  await running?.stop();
}
process.on('SIGINT', () => {
  console.error('\neval: interrupted; removing its configurations and stopping the service');
  void stopStack().finally(() => process.exit(130));
});

if (!baseUrl) {
  for (const app of ['api', 'parse-worker', 'classify-worker']) {
    if (!existsSync(join(REPO, 'apps', app, 'dist', 'main.js')))
      fail(`apps/${app} is not built; run \`pnpm build\` first`);
  }
  const { startServiceStack } = await import('@classifyd/testkit');
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  console.error(`eval: starting api and workers against ${redisUrl} (CLASSIFIER=${classifier})`);
  try {
    stack = await startServiceStack({
      redisUrl,
      label: 'eval',
      // The examples run sends thousands of requests; the eval is the only client.
      env: { CLASSIFIER: classifier, RATE_LIMIT_PER_SECOND: '0' },
    });
  } catch (error) {
    fail(`could not start the service: ${error.message.split('\n')[0]}`, 3);
  }
  baseUrl = stack.baseUrl;
  readClassifierTimes(stack.apps.find((app) => app.name === 'classify-worker'));
}

client = cli.createClient({
  baseUrl,
  apiKey: args['api-key'] ?? process.env.CLASSIFYD_API_KEY ?? 'classifyd-eval',
});
try {
  await cli.checkService(client);
} catch (error) {
  await stopStack();
  fail(`${baseUrl}: ${cli.describeError(error)}`, 3);
}

const outDir = resolve(
  args.out ?? join(REPO, 'eval', 'results', new Date().toISOString().replace(/[:.]/g, '-')),
);
mkdirSync(outDir, { recursive: true });
const started = performance.now();

function progress(label) {
  const tty = process.stderr.isTTY;
  return (_result, finished, total) => {
    if (tty) process.stderr.write(`\r\x1b[K${label}: ${finished}/${total}`);
    else if (finished % 25 === 0 || finished === total)
      process.stderr.write(`${label}: ${finished}/${total}\n`);
    if (tty && finished === total) process.stderr.write('\n');
  };
}

const toRecord = (doc, result, expected) => ({
  path: doc.path,
  label: doc.label,
  format: doc.format,
  detected_format: result.format ?? null,
  expected,
  predicted: result.status === 'COMPLETED' ? result.type : undefined,
  confidence: result.status === 'COMPLETED' ? result.confidence : null,
  status: result.status,
  error_message: result.error_message,
  job_id: result.job_id,
  upload_ms: result.upload_ms,
  wait_ms: result.wait_ms,
  job_ms: result.job_ms,
  parse_ms: result.parse_ms ?? null,
  classify_ms: result.classify_ms ?? null,
  classifier_ms: classifierMs.get(result.job_id) ?? null,
  reasoning: result.reasoning,
});

const reports = [];
const diagrams = {};
let examples;

/** The learning curve (--examples): its report section, plot and per-document results. */
async function runExamples() {
  const result = await ev.runExampleEval(client, {
    dataset,
    documents,
    rulesSets,
    ks: exampleKs,
    folds: ev.FOLDS,
    concurrency,
    timeoutMs,
    // Configurations are upserted by name: a fresh id per run, so that none left by an
    // interrupted run (with its examples) is ever reused.
    runId: randomUUID().slice(0, 8),
    created: createdConfigurations,
    warn: (line) => console.error(`eval: ${line}`),
    progress,
  });
  const plot = 'examples-accuracy.png';
  writeFileSync(
    join(outDir, plot),
    ev.accuracyPlot(
      'Accuracy against examples per type',
      'EXAMPLES PER TYPE',
      exampleKs.map(ev.kLabel),
      rulesSets.map(({ name }) => ({
        label: name,
        values: exampleKs.map((k) => ev.pointAt(result.points, name, k, true)?.accuracy ?? null),
      })),
    ),
  );
  for (const { name } of rulesSets)
    writeFileSync(
      join(outDir, `results-examples-${basename(name, '.json')}.json`),
      `${JSON.stringify(
        result.records.filter((r) => r.rules === name),
        null,
        2,
      )}\n`,
    );
  return {
    folds: ev.FOLDS,
    ks: exampleKs,
    comparedK: exampleKs.at(-1),
    points: result.points,
    plot,
    configurations: createdConfigurations.length,
    examplesPosted: result.examplesPosted,
  };
}
try {
  for (const { name, rules } of rulesSets) {
    const classes = rules.map((r) => r.type);
    const unknown = [...new Set(documents.map((d) => d.label))].filter(
      (l) => l !== ev.NONE && !classes.includes(l),
    );
    if (unknown.length)
      console.error(`eval: ${name} has no rule for labels ${unknown.join(', ')}; they count as wrong`);
    const settings = { concurrency, timeoutMs, parseDetails: true, parsing: undefined };
    const pass1Results = await cli.classifyTasks(
      client,
      documents.map((d) => ({ path: join(dataset, d.path), rules })),
      { ...settings, onResult: progress(`${name} pass 1`) },
    );
    const pass1 = documents.map((d, i) => toRecord(d, pass1Results[i], d.label === ev.NONE ? null : d.label));
    const labelled = documents.filter((d) => classes.includes(d.label));
    const heldOutResults = await cli.classifyTasks(
      client,
      labelled.map((d) => ({ path: join(dataset, d.path), rules: rules.filter((r) => r.type !== d.label) })),
      { ...settings, onResult: progress(`${name} pass 2 (own rule removed)`) },
    );
    const heldOut = labelled.map((d, i) => toRecord(d, heldOutResults[i], null));
    const report = ev.evaluateRules(name, classes, pass1, heldOut);
    reports.push(report);
    const stem = basename(name, '.json');
    diagrams[name] = `reliability-${stem}.png`;
    const { ece, n, bins } = report.calibration.pass1;
    writeFileSync(
      join(outDir, diagrams[name]),
      ev.reliabilityDiagram(bins, { title: `Reliability: ${name}`, ece, n }),
    );
    writeFileSync(join(outDir, `results-${stem}.json`), `${JSON.stringify({ pass1, heldOut }, null, 2)}\n`);
  }
  if (exampleKs) examples = await runExamples();
} finally {
  await stopStack();
}

const run = {
  created_at: new Date().toISOString(),
  dataset: relative(REPO, dataset) || '.',
  documents: documents.length,
  service: {
    base_url: baseUrl,
    started_by_eval: !args['base-url'],
    classifier: args['base-url'] ? 'as configured' : classifier,
  },
  concurrency,
  reports,
  diagrams,
  ...(examples ? { examples } : {}),
  seconds: (performance.now() - started) / 1000,
};
writeFileSync(join(outDir, 'report.json'), `${JSON.stringify(run, null, 2)}\n`);
writeFileSync(join(outDir, 'report.md'), ev.renderMarkdown(run));

const pct = (v) => `${(v * 100).toFixed(1)}%`;
console.log(
  `classifyd eval: ${documents.length} documents from ${run.dataset}, ${Math.round(run.seconds)} s`,
);
for (const r of reports) {
  const lat = r.latency.pass1.job_ms;
  const own = r.latency.pass1.classifier_ms;
  console.log(
    `  ${r.rules.padEnd(18)} accuracy ${pct(r.summary.accuracy)}  macro-F1 ${r.summary.macroF1.toFixed(3)}  ` +
      `null P/R ${r.nulls.labelledNone.precision.toFixed(2)}/${r.nulls.labelledNone.recall.toFixed(2)}  ` +
      `null recall without own rule ${pct(r.nulls.heldOut.recall)}  ECE ${r.calibration.pass1.ece.toFixed(3)} ` +
      `(if calibrated ${r.calibration.pass1.ifCalibrated.median.toFixed(3)})  ` +
      `job p50/p95 ${Math.round(lat.p50 ?? 0)}/${Math.round(lat.p95 ?? 0)} ms  ` +
      (own.n ? `classifier p50/p95 ${own.p50.toFixed(1)}/${own.p95.toFixed(1)} ms  ` : '') +
      `not completed ${r.summary.n - r.summary.completed}/${r.summary.n}`,
  );
}
if (examples) {
  console.log(`  accuracy against examples per type (${examples.folds}-fold, held out by document):`);
  console.log(`    ${'k'.padEnd(6)}${rulesSets.map(({ name }) => name.padEnd(20)).join('')}`);
  for (const k of examples.ks)
    console.log(
      `    ${ev.kLabel(k).padEnd(6)}${rulesSets
        .map(({ name }) => {
          const p = ev.pointAt(examples.points, name, k, true);
          return (p ? `${pct(p.accuracy)} (ECE ${p.ece.toFixed(3)})` : '-').padEnd(20);
        })
        .join('')}`,
    );
  for (const p of examples.points.filter((x) => x.k === examples.comparedK && x.k !== 0))
    console.log(
      `  ${p.rules.padEnd(18)} k=${ev.kLabel(p.k)} ${p.negatives ? 'with   ' : 'without'} negatives: ` +
        `null P/R ${p.nulls.precision.toFixed(2)}/${p.nulls.recall.toFixed(2)}  accuracy ${pct(p.accuracy)}  ` +
        `not completed ${p.n - p.completed}/${p.n}  examples not READY ${p.examplesNotReady}`,
    );
}
console.log(`report: ${relative(process.cwd(), join(outDir, 'report.md')) || join(outDir, 'report.md')}`);
