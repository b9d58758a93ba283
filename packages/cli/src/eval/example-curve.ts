import type { ExampleCount, FoldPlan } from './example-plan.js';
import { accuracy, calibration, nullDetection, type Outcome } from './metrics.js';

/** Every document of the set classified once, each by its own fold's configuration. */
export interface ExamplePoint {
  rules: string;
  k: ExampleCount;
  /** Whether the configurations also held negative examples (type null). */
  negatives: boolean;
  /** Examples per rule type actually posted, averaged over folds and types (fewer than k where the other folds hold fewer). */
  examplesPerType: number;
  /** Negative examples per fold, averaged. */
  negativesPerFold: number;
  /** Examples that did not become READY (the configuration classified without them). */
  examplesNotReady: number;
  n: number;
  completed: number;
  /** Top-1: a null answer on a labelled document is wrong, and so is a type on a document no rule fits. */
  accuracy: number;
  ece: number;
  /** Null as a detector over the documents no rule fits. */
  nulls: ReturnType<typeof nullDetection>;
}

export function examplePoint(
  rules: string,
  k: ExampleCount,
  negatives: boolean,
  classes: readonly string[],
  plans: readonly FoldPlan[],
  outcomes: readonly Outcome[],
  examplesNotReady: number,
): ExamplePoint {
  const positives = plans.flatMap((p) => p.examples.filter((e) => e.type !== null));
  const negativeCount = plans.flatMap((p) => p.examples.filter((e) => e.type === null)).length;
  const perType = plans.length * classes.length;
  return {
    rules,
    k,
    negatives,
    examplesPerType: perType ? positives.length / perType : 0,
    negativesPerFold: plans.length ? negativeCount / plans.length : 0,
    examplesNotReady,
    n: outcomes.length,
    completed: outcomes.filter((o) => o.predicted !== undefined).length,
    accuracy: accuracy([...outcomes]),
    ece: calibration([...outcomes]).ece,
    nulls: nullDetection([...outcomes]),
  };
}
