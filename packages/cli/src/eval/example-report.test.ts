import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { accuracyPlot, LINE_COLOURS, PLOT } from './accuracy-plot.js';
import { examplePoint } from './example-curve.js';
import { planFolds } from './example-plan.js';
import { type ExamplesSection, renderExamplesSection } from './example-report.js';
import type { LabelledDocument } from './labels.js';
import type { Outcome } from './metrics.js';
import { renderMarkdown } from './report-markdown.js';

const doc = (i: number, label: string): LabelledDocument => ({
  path: `docs/d${i}.txt`,
  label,
  format: 'text',
  language: 'en',
});
const DOCS = [
  ...Array.from({ length: 10 }, (_, i) => doc(i, i % 2 ? 'invoice' : 'receipt')),
  doc(10, 'none'),
];
const o = (expected: string | null, predicted: string | null | undefined, confidence = 0.9): Outcome => ({
  expected,
  predicted,
  confidence: predicted === undefined ? null : confidence,
});

describe('a point of the learning curve', () => {
  it('scores top-1 with null answers wrong on labelled documents and types wrong on none documents', () => {
    const plans = planFolds(DOCS, ['invoice', 'receipt'], 1, true);
    const point = examplePoint(
      'rules.json',
      1,
      true,
      ['invoice', 'receipt'],
      plans,
      [
        o('invoice', 'invoice'),
        o('invoice', null),
        o(null, 'receipt'),
        o(null, null),
        o('receipt', undefined),
      ],
      2,
    );
    expect(point).toMatchObject({ n: 5, completed: 4, accuracy: 0.4, examplesNotReady: 2 });
    expect(point.nulls).toEqual({ precision: 0.5, recall: 0.5, support: 2, predicted: 2 });
    // One example per type in each fold whose other folds have one.
    expect(point.examplesPerType).toBe(1);
    expect(point.negativesPerFold).toBeGreaterThan(0);
  });
});

const point = (rules: string, k: 0 | 5, negatives: boolean, accuracy: number, nullRecall: number) => ({
  rules,
  k,
  negatives,
  examplesPerType: k,
  negativesPerFold: negatives ? k : 0,
  examplesNotReady: 0,
  n: 20,
  completed: 20,
  accuracy,
  ece: 0.05,
  nulls: { precision: 0.5, recall: nullRecall, support: 4, predicted: 8 * nullRecall },
});

const SECTION: ExamplesSection = {
  folds: 5,
  ks: [0, 5],
  comparedK: 5,
  points: [
    point('rules.json', 0, true, 0.6, 0.25),
    point('rules.json', 5, true, 0.8, 0.75),
    point('rules.json', 5, false, 0.7, 0.5),
    point('terse.json', 0, true, 0.5, 0),
    point('terse.json', 5, true, 0.65, 0.5),
    point('terse.json', 5, false, 0.6, 0.25),
  ],
  plot: 'examples-accuracy.png',
  configurations: 30,
  examplesPosted: 400,
};

describe('the examples section of the report', () => {
  const md = renderExamplesSection(SECTION);

  it('tabulates accuracy against examples per type, one column per rules file, with the plot', () => {
    expect(md).toContain('| examples per type | rules.json accuracy | terse.json accuracy |');
    expect(md).toContain('| 0 | 60.0% | 50.0% |');
    expect(md).toContain('| 5 | 80.0% | 65.0% |');
    expect(md).toContain('![Accuracy against examples per type](examples-accuracy.png)');
    expect(md).toContain('| rules.json | 5 | 5.0 | 5.0 | 80.0% | 0.050 | 0.500 / 0.750 | 20/20 | 0 |');
  });

  it('gives null precision and recall with and without negatives at the compared k', () => {
    expect(md).toContain('| rules.json | none (k = 0) | 4 | 2 | 0.500 | 0.250 | 60.0% |');
    expect(md).toContain('| rules.json | k = 5, with negatives | 4 | 6 | 0.500 | 0.750 | 80.0% |');
    expect(md).toContain('| rules.json | k = 5, without negatives | 4 | 4 | 0.500 | 0.500 | 70.0% |');
    expect(md).toContain('| terse.json | k = 5, without negatives | 4 | 2 | 0.500 | 0.250 | 60.0% |');
  });

  it('is in report.md only when the run measured examples', () => {
    const run = {
      created_at: '2026-01-01T00:00:00.000Z',
      dataset: 'set',
      documents: 20,
      service: { base_url: 'http://127.0.0.1:1', started_by_eval: true, classifier: 'embedded' },
      concurrency: 4,
      reports: [],
      diagrams: {},
      seconds: 1,
    };
    expect(renderMarkdown(run)).not.toContain('## Accuracy against examples per type');
    expect(renderMarkdown({ ...run, examples: SECTION })).toContain('## Accuracy against examples per type');
  });
});

describe('the accuracy plot', () => {
  it('is a PNG with a dot per measured k in each rules file colour, at its accuracy', () => {
    const png = PNG.sync.read(
      accuracyPlot(
        'Accuracy',
        'EXAMPLES PER TYPE',
        ['0', '5', 'ALL'],
        [
          { label: 'rules.json', values: [0.6, 0.8, null] },
          { label: 'terse.json', values: [0.2, 0.4, 0.5] },
        ],
      ),
    );
    expect([png.width, png.height]).toEqual([PLOT.width, PLOT.height]);
    const pixel = (i: number, value: number) => {
      const x = PLOT.left + (i * PLOT.plotWidth) / 2;
      const y = Math.round(PLOT.top + PLOT.plotHeight - value * PLOT.plotHeight);
      const at = (y * png.width + x) * 4;
      return [png.data[at], png.data[at + 1], png.data[at + 2]];
    };
    const [first, second] = LINE_COLOURS;
    expect(pixel(0, 0.6)).toEqual(first);
    expect(pixel(1, 0.8)).toEqual(first);
    expect(pixel(2, 0.5)).toEqual(second);
    // The line between two measured k values, and none on past a k that was not measured.
    expect(pixel(0.5, 0.7)).toEqual(first);
    expect(pixel(1.5, 0.7)).toEqual([255, 255, 255]);
  });
});
