export { type EvalRecord, evaluateRules, type RulesReport } from './evaluate.js';
export { type LabelledDocument, parseLabels } from './labels.js';
export * from './metrics.js';
export { reliabilityDiagram } from './reliability-diagram.js';
export { type EvalRun, renderMarkdown } from './report-markdown.js';
