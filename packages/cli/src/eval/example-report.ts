import type { ExamplePoint } from './example-curve.js';
import type { ExampleCount } from './example-plan.js';
import { mdTable } from './md-table.js';

/** The `--examples` part of an eval run. */
export interface ExamplesSection {
  folds: number;
  /** The k values measured, in order (0 always first). */
  ks: ExampleCount[];
  /** The k measured both with and without negative examples. */
  comparedK: ExampleCount;
  /** With negatives for every k; and without them for comparedK. */
  points: ExamplePoint[];
  /** The accuracy-against-k chart, relative to the report. */
  plot: string;
  configurations: number;
  examplesPosted: number;
}

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
const num = (v: number) => v.toFixed(3);
export const kLabel = (k: ExampleCount) => String(k);

/** The point for a rules file and k; at k = 0 there are no examples, so negatives do not matter. */
export const pointAt = (
  points: readonly ExamplePoint[],
  rules: string,
  k: ExampleCount,
  negatives: boolean,
) => points.find((p) => p.rules === rules && p.k === k && (p.negatives === negatives || p.k === 0));

export function renderExamplesSection(s: ExamplesSection): string {
  const rulesFiles = [...new Set(s.points.map((p) => p.rules))];
  const withNegatives = s.points.filter((p) => p.negatives || p.k === 0);
  const compared = rulesFiles.flatMap((rules) => {
    const rows: [ExamplePoint | undefined, string][] = [[pointAt(s.points, rules, 0, true), 'none (k = 0)']];
    if (s.comparedK !== 0)
      rows.push(
        [pointAt(s.points, rules, s.comparedK, true), `k = ${kLabel(s.comparedK)}, with negatives`],
        [pointAt(s.points, rules, s.comparedK, false), `k = ${kLabel(s.comparedK)}, without negatives`],
      );
    return rows.filter((row): row is [ExamplePoint, string] => row[0] !== undefined);
  });
  return [
    '## Accuracy against examples per type',
    '',
    `Cross-validated over ${s.folds} folds by document: every document is classified once per k, by a ` +
      'configuration whose READY examples come only from the other folds, so no document is ever an example ' +
      'in the configuration that classifies it. k examples per rule type are chosen by a hash of the document id ' +
      '(each k holds every smaller k), and as many negative examples (documents of the other folds that fit ' +
      `no rule, posted with type null). ${s.configurations} configurations, ${s.examplesPosted} examples posted.`,
    '',
    mdTable(
      ['examples per type', ...rulesFiles.map((r) => `${r} accuracy`)],
      s.ks.map((k) => [
        kLabel(k),
        ...rulesFiles.map((rules) => {
          const p = pointAt(s.points, rules, k, true);
          return p ? pct(p.accuracy) : '-';
        }),
      ]),
    ),
    '',
    `![Accuracy against examples per type](${s.plot})`,
    '',
    mdTable(
      [
        'rules',
        'k',
        'examples per type',
        'negatives per fold',
        'accuracy',
        'ECE',
        'null P / R',
        'jobs completed',
        'examples not READY',
      ],
      withNegatives.map((p) => [
        p.rules,
        kLabel(p.k),
        p.examplesPerType.toFixed(1),
        p.negativesPerFold.toFixed(1),
        pct(p.accuracy),
        num(p.ece),
        `${num(p.nulls.precision)} / ${num(p.nulls.recall)}`,
        `${p.completed}/${p.n}`,
        p.examplesNotReady,
      ]),
    ),
    '',
    '### Null answers with and without negative examples',
    'Positives are the documents no rule fits; precision counts null answers on labelled documents against it.',
    '',
    mdTable(
      ['rules', 'examples', 'positives', 'null answers', 'null precision', 'null recall', 'accuracy'],
      compared.map(([p, what]) => [
        p.rules,
        what,
        p.nulls.support,
        p.nulls.predicted,
        num(p.nulls.precision),
        num(p.nulls.recall),
        pct(p.accuracy),
      ]),
    ),
    '',
  ].join('\n');
}
