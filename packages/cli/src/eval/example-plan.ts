import { documentId, exampleRank, FOLDS, foldOf } from './folds.js';
import type { LabelledDocument } from './labels.js';

/** Examples per type: a number, or every labelled document the other folds have. */
export type ExampleCount = number | 'all';

/** The k values a learning curve is drawn at; `--examples k` measures 0 and k only. */
export const CURVE_KS: readonly ExampleCount[] = [0, 1, 3, 5, 10, 'all'];

export interface PlannedExample {
  document: LabelledDocument;
  /** A rule type; null for a negative example. */
  type: string | null;
}

export interface FoldPlan {
  fold: number;
  /** The documents this fold's configuration classifies. */
  classified: LabelledDocument[];
  /** Its examples: only ever documents of the other folds. */
  examples: PlannedExample[];
}

/** The right answer for a document under these rules: its label, or null when no rule has it. */
export const expectedType = (document: LabelledDocument, classes: readonly string[]): string | null =>
  classes.includes(document.label) ? document.label : null;

/** The k values to measure for `--examples k|all`: always 0 (no examples) for the baseline. */
export function examplesCounts(given: ExampleCount): ExampleCount[] {
  return given === 'all' ? [...CURVE_KS] : given === 0 ? [0] : [0, given];
}

/** `--examples` as typed: a whole number from 0, or `all`. */
export function parseExampleCount(text: string): ExampleCount {
  if (text === 'all') return 'all';
  if (!/^\d+$/.test(text)) throw new Error(`--examples "${text}" must be a whole number from 0, or all`);
  return Number(text);
}

/**
 * Cross-validation by document: fold f is classified with examples drawn only from the other
 * folds, so no document is ever an example in the configuration that classifies it. Per rule
 * type the first k documents in exampleRank order are taken (all of them for `all`), so the
 * choice is repeatable and each k's examples include every smaller k's. With `negatives`, the
 * documents no rule fits (labelled `none`, or with a label that is not a rule type) are one
 * more group of k, posted with type null.
 */
export function planFolds(
  documents: readonly LabelledDocument[],
  classes: readonly string[],
  k: ExampleCount,
  negatives: boolean,
  folds = FOLDS,
): FoldPlan[] {
  const fold = new Map(documents.map((d) => [d, foldOf(documentId(d.path), folds)]));
  const ranked = [...documents].sort((a, b) =>
    exampleRank(documentId(a.path)).localeCompare(exampleRank(documentId(b.path))),
  );
  const take = <T>(items: T[]) => (k === 'all' ? items : items.slice(0, k));
  return Array.from({ length: folds }, (_, f) => {
    const others = ranked.filter((d) => fold.get(d) !== f);
    const examples: PlannedExample[] = [];
    for (const type of classes)
      for (const document of take(others.filter((d) => d.label === type))) examples.push({ document, type });
    if (negatives)
      for (const document of take(others.filter((d) => expectedType(d, classes) === null)))
        examples.push({ document, type: null });
    return { fold: f, classified: documents.filter((d) => fold.get(d) === f), examples };
  });
}
