/** What the two calibrated probabilities are logistic functions of. */
export interface DecisionFeatures {
  /** margin + lead - the lead the best of n rules has by chance alone. */
  statistic: number;
  /** The margin less the chance margin of the best of n rules. */
  margin: number;
  /** The best score minus the strongest alternative: the runner-up or the neutral rule, if higher. */
  lead: number;
  /** The best score minus the neutral rule's: how well it fits in absolute terms. */
  fit: number;
  /** The best rule's type-name channel: its own name (or near words) in the document, in [0, 1]. */
  typeName: number;
  /** ln of the mean number of distinct words per rule, clamped to the calibrated range. */
  ruleLength: number;
}

export type FeatureName = keyof DecisionFeatures;
