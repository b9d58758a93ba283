import type { RuleChannels } from './rule-scores.js';

/**
 * The numbers fitted to labelled data. (Design alternatives, such as how to fuse the channels
 * and the soft-match floor, were compared on the same data; no word list was tuned to it.)
 *
 * Data: the doctypes-dev set (shared/datasets/doctypes-dev, not shipped), the 125 of its 155
 * documents with a text layer (plain text, HTML, PDF text, DOCX) as read by @classifyd/parser:
 * 117 labelled and 8 that fit no rule. scripts/eval-dev-set.mjs classifies each against its
 * long rules (rules.json) and its one-line rules (rules-terse.json) and refits these numbers.
 */

/**
 * Typical spread of each channel across the rules of one request (median over documents
 * and both rule sets of the per-document standard deviation; measured before layout cues
 * and stems were added, and kept: re-measured values did not change accuracy). Dividing by it gives every
 * channel an equal say in the fused score, which is measured in "typical spreads".
 */
export const CHANNEL_SCALES: Readonly<RuleChannels> = {
  soft: 0.075,
  mean: 0.061,
  lexical: 0.041,
  typeName: 0.184,
};

/**
 * Prior for the spread of fused scores among competing rules, as pseudo-observations: with
 * few rules the spread cannot be estimated from them alone. Fused scores are in typical-spread
 * units, so the prior spread is 1 by construction; 2 pseudo-observations is a mild prior.
 */
export const SPREAD_PRIOR = { spread: 1, weight: 2 } as const;

export interface Logistic {
  slope: number;
  /** Weight of the rules' length: ln of the mean number of distinct words per rule. */
  lengthSlope: number;
  intercept: number;
}

/**
 * Rule length enters the confidence clamped to the range it was fitted on (about 5 to 40
 * distinct words per rule): one-line rules are matched less reliably than paragraphs, but how
 * that continues beyond the range is unknown.
 */
export const RULE_LENGTH_RANGE = { min: Math.log(5), max: Math.log(40) } as const;

/**
 * confidence = 1 / (1 + exp(-(slope * statistic + lengthSlope * ruleLength + intercept))), the
 * statistic being margin + lead - chance lead (decision.ts) and ruleLength the clamped ln of the
 * mean number of distinct words per rule. The same statistic means more with long rules than
 * with one-liners, which is why length is a term. Fitted by maximum likelihood with
 * scripts/eval-dev-set.mjs --fit on 484 trials of the 125 text-layer documents: each document
 * against all rules of rules.json and of rules-terse.json, and each labelled document again
 * without its own rule; the outcome is whether the best rule is the document's type (never
 * when it was removed or the document fits no rule). Fitted on 4 of 5 document folds and
 * tested on the fifth, the expected calibration error was 0.05 on either rule file.
 */
export const CONFIDENCE: Logistic = { slope: 0.619, lengthSlope: 0.775, intercept: -4.05 };

/**
 * A word-vector matcher is never certain: the top reliability bin on the dev set (predicted
 * 0.97) was right 92% of the time, so confidences are capped here rather than shown as 1.
 */
export const MAX_CONFIDENCE = 0.99;

/**
 * Below this confidence the answer is a null type. With a calibrated confidence, 0.5 means
 * "answer only when more likely right than wrong". It trades null precision for null recall:
 * on the dev set (held-out, long rules) 0.3 gave null precision 0.73 at recall 0.62, 0.5 gave
 * 0.64 at 0.91 (scripts/eval-dev-set.mjs --threshold).
 */
export const DEFAULT_NULL_THRESHOLD = 0.5;
