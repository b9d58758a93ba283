export { accuracyPlot, type PlotLine } from './accuracy-plot.js';
export { type EvalRecord, evaluateRules, type RulesReport } from './evaluate.js';
export { type ExamplePoint, examplePoint } from './example-curve.js';
export {
  type ExampleEvalOptions,
  type ExampleEvalResult,
  type ExampleRecord,
  runExampleEval,
} from './example-eval.js';
export {
  CURVE_KS,
  type ExampleCount,
  examplesCounts,
  expectedType,
  type FoldPlan,
  type PlannedExample,
  parseExampleCount,
  planFolds,
} from './example-plan.js';
export { type ExamplesSection, kLabel, pointAt, renderExamplesSection } from './example-report.js';
export { documentId, exampleRank, FOLDS, foldOf } from './folds.js';
export { type LabelledDocument, parseLabels } from './labels.js';
export * from './metrics.js';
export { reliabilityDiagram } from './reliability-diagram.js';
export { type EvalRun, renderMarkdown } from './report-markdown.js';
