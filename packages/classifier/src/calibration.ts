import type { RuleChannels } from './rule-scores.js';

/**
 * The numbers fitted to labelled data. (A few design alternatives, such as how to fuse the
 * channels, were compared on the same data; no weight or word list was tuned to documents.)
 *
 * Data: the doctypes-dev set (shared/datasets/doctypes-dev, not shipped), the 125 of its 155
 * documents whose text could be read without OCR (plain text, crudely tag-stripped HTML,
 * pdftotext on PDFs, the DOCX XML): 117 labelled and 8 that fit no rule. Each was classified
 * against its long rules (rules.json) and its one-line rules (rules-terse.json) by a
 * throwaway script calling classifyDocument(), which returns the statistics used here.
 */

/**
 * Typical spread of each channel across the rules of one request (median over documents
 * and both rule sets of the per-document standard deviation). Dividing by it gives every
 * channel an equal say in the fused score, which is measured in "typical spreads".
 */
export const CHANNEL_SCALES: Readonly<RuleChannels> = {
  soft: 0.075,
  mean: 0.061,
  tfidf: 0.013,
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
  intercept: number;
}

/**
 * confidence = 1 / (1 + exp(-(slope * statistic + intercept))), the statistic being
 * margin + lead - chance lead (decision.ts). Fitted by maximum likelihood on 4,436 trials
 * pooled over both rule sets: every document against each rule alone; random subsets of 2, 3
 * and 5 rules with the true rule kept and with it removed; the full rule set; the full set
 * minus the true rule. The outcome is whether the best rule is the document's type (never,
 * when it was removed or the document fits no rule). Fitted on one rule set and tested on
 * the other, the expected calibration error was 0.03 (long -> terse) and 0.06 (terse -> long).
 */
export const CONFIDENCE: Logistic = { slope: 0.713, intercept: -2.146 };

/**
 * A word-vector matcher is never certain: the top reliability bin on the dev set (predicted
 * 0.97) was right 92% of the time, so confidences are capped here rather than shown as 1.
 */
export const MAX_CONFIDENCE = 0.99;

/**
 * Below this confidence the answer is a null type. With a calibrated confidence, 0.5 means
 * "answer only when more likely right than wrong"; on the dev set the share of right
 * decisions (a correct type, or null when no rule fits) was flat between 0.3 and 0.6.
 */
export const DEFAULT_NULL_THRESHOLD = 0.5;
