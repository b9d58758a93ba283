import type { GroupScore, RulesReport, Spread } from './evaluate.js';
import { type ExamplesSection, renderExamplesSection } from './example-report.js';
import { mdTable } from './md-table.js';

export interface EvalRun {
  created_at: string;
  dataset: string;
  documents: number;
  service: { base_url: string; started_by_eval: boolean; classifier: string };
  concurrency: number;
  reports: RulesReport[];
  /** Reliability diagram file per rules file, relative to the report. */
  diagrams: Record<string, string>;
  /** With `--examples`: accuracy against the number of examples per type. */
  examples?: ExamplesSection;
  seconds: number;
}

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
const num = (v: number) => v.toFixed(3);
const ms = (v: number | null) => (v === null ? '-' : `${Math.round(v)}`);
const groupRow = (g: GroupScore) => [
  g.group,
  g.n,
  pct(g.accuracy),
  num(g.macroPrecision),
  num(g.macroRecall),
  num(g.macroF1),
];

function latencyRows(name: string, l: Record<string, Spread>) {
  return Object.entries(l).map(([what, s]) => [name, what, s.n, ms(s.p50), ms(s.p95)]);
}

function rulesSection(r: RulesReport, diagram: string | undefined): string {
  const s = r.summary;
  const n = r.nulls;
  return [
    `## ${r.rules}`,
    '',
    `Pass 1 (every document, every rule): top-1 accuracy **${pct(s.accuracy)}**, macro-F1 **${num(s.macroF1)}** ` +
      `(macro precision ${num(s.macroPrecision)}, recall ${num(s.macroRecall)}; ${s.completed}/${s.n} jobs completed).`,
    '',
    '### Per class (pass 1)',
    mdTable(
      ['label', 'support', 'predicted', 'precision', 'recall', 'F1'],
      r.perClass.map((c) => [c.label, c.support, c.predicted, num(c.precision), num(c.recall), num(c.f1)]),
    ),
    '',
    '### Per format (pass 1)',
    "By the data set's `format` column (extension, with scanned PDFs apart):",
    '',
    mdTable(['format', 'n', 'accuracy', 'macro-P', 'macro-R', 'macro-F1'], r.perFormat.map(groupRow)),
    '',
    'By the format the parse stage detected:',
    '',
    mdTable(
      ['detected', 'n', 'accuracy', 'macro-P', 'macro-R', 'macro-F1'],
      r.perDetectedFormat.map(groupRow),
    ),
    '',
    '### Confusion matrix (pass 1; rows: label, columns: answer)',
    mdTable(
      ['label \\ answer', ...r.confusion.columns],
      r.confusion.rows.map((row, i) => [r.confusion.labels[i] ?? '', ...row]),
    ),
    '',
    '### Null answers',
    mdTable(
      ['set', 'positives', 'null answers', 'precision', 'recall'],
      [
        [
          'pass 1: documents labelled none',
          n.labelledNone.support,
          n.labelledNone.predicted,
          num(n.labelledNone.precision),
          num(n.labelledNone.recall),
        ],
        [
          'pass 1 + pass 2 pooled',
          n.pooled.support,
          n.pooled.predicted,
          num(n.pooled.precision),
          num(n.pooled.recall),
        ],
      ],
    ),
    '',
    `Pass 2 (each of ${n.heldOut.n} labelled documents again, its own rule removed): null recall **${pct(n.heldOut.recall)}**; ` +
      `another type chosen ${pct(n.heldOut.wrongType)}; ${n.heldOut.failed} jobs did not complete.`,
    '',
    '### Calibration',
    `Expected calibration error (10 equal-width bins): pass 1 **${num(r.calibration.pass1.ece)}** over ${r.calibration.pass1.n} answers; ` +
      `both passes pooled ${num(r.calibration.pooled.ece)} over ${r.calibration.pooled.n}. ` +
      `A perfectly calibrated classifier giving the same pass-1 confidences would show ${num(r.calibration.pass1.ifCalibrated.median)} ` +
      `(90% of draws between ${num(r.calibration.pass1.ifCalibrated.p5)} and ${num(r.calibration.pass1.ifCalibrated.p95)}): ` +
      'a measured ECE in that range cannot be told from perfect calibration on this many answers.',
    '',
    mdTable(
      ['confidence', 'answers', 'mean confidence', 'accuracy'],
      r.calibration.pass1.bins.map((b) => [
        `${b.from.toFixed(1)}-${b.to.toFixed(1)}`,
        b.count,
        b.count ? num(b.meanConfidence) : '-',
        b.count ? num(b.accuracy) : '-',
      ]),
    ),
    '',
    diagram ? `![Reliability diagram, ${r.rules}, pass 1](${diagram})` : '',
    '',
    '### Latency (ms)',
    mdTable(
      ['pass', 'measure', 'n', 'p50', 'p95'],
      [...latencyRows('1', r.latency.pass1), ...latencyRows('2', r.latency.heldOut)],
    ),
    '',
    r.failures.length
      ? `### Jobs that did not complete\n${mdTable(
          ['path', 'passes', 'status', 'error_message'],
          r.failures.map((f) => [
            f.path,
            f.passes.join(', '),
            f.status,
            (f.error_message ?? '').replace(/\|/g, '\\|'),
          ]),
        )}`
      : 'Every job completed.',
    '',
  ].join('\n');
}

const DEFINITIONS = `## How this was measured
- Each document is uploaded and classified through the official SDK by the classifyd CLI library
  (\`classifyTasks\`), exactly as \`classifyd classify\` does.
- Pass 1 sends every rule; the right answer is the label, or a null type for documents labelled \`none\`.
  A job that did not complete counts as a wrong answer and has no confidence.
- Pass 2 sends each labelled document again without its own rule, so the right answer is null.
- Macro averages are over the labels present (the rule types and \`none\`).
- ECE: answers binned by confidence into 10 equal-width bins; the count-weighted mean of |accuracy - mean confidence|.
  "Correct" means the answer (type or null) equals the expected one.
- Latency: \`job_ms\` is the job's own created_at to updated_at at its final status (server clock: queueing,
  parse and classify); \`client_ms\` is upload plus create-and-poll as the CLI saw it (poll interval 200 ms growing to 2 s);
  \`parse_ms\` is the parse job's created_at to updated_at, only where this job's parse ran (not reused from the
  content-hash cache); \`classify_ms\` is parse finished to classify job finished (classify queue wait plus the
  classifier itself), or the whole job time when the parse was reused; \`classifier_ms\` is the classifier's own time
  on the parsed text, as the classify worker logs it (only when the eval started the service itself).
- Parses are cached by content and page selection: only the first pass that meets a file parses it (\`parse_ms\` known);
  every later pass, including the second rules file, reuses that parse, so its job times are classification only.
- Macro averages per format are over the labels present in that format; with a handful of documents per format
  they are indicative only.
`;

export function renderMarkdown(run: EvalRun): string {
  const head = mdTable(
    [
      'rules',
      'top-1 accuracy',
      'macro-F1',
      'null P / R (none docs)',
      'null recall (rule removed)',
      'null P / R (pooled)',
      'ECE',
      'job p50 / p95 ms',
    ],
    run.reports.map((r) => [
      r.rules,
      pct(r.summary.accuracy),
      num(r.summary.macroF1),
      `${num(r.nulls.labelledNone.precision)} / ${num(r.nulls.labelledNone.recall)}`,
      pct(r.nulls.heldOut.recall),
      `${num(r.nulls.pooled.precision)} / ${num(r.nulls.pooled.recall)}`,
      num(r.calibration.pass1.ece),
      `${ms(r.latency.pass1.job_ms.p50)} / ${ms(r.latency.pass1.job_ms.p95)}`,
    ]),
  );
  return [
    `# classifyd evaluation, ${run.created_at}`,
    '',
    `Data set \`${run.dataset}\` (${run.documents} documents); service ${run.service.base_url}` +
      `${run.service.started_by_eval ? ' (started by the eval)' : ''}, classifier ${run.service.classifier}; ` +
      `concurrency ${run.concurrency}; ${Math.round(run.seconds)} s in all.`,
    '',
    head,
    '',
    ...run.reports.map((r) => rulesSection(r, run.diagrams[r.rules])),
    ...(run.examples ? [renderExamplesSection(run.examples)] : []),
    DEFINITIONS,
  ].join('\n');
}
