import {
  type Calibration,
  CHANNEL_SCALES,
  CHANNEL_WEIGHTS,
  FITTED_NULL_SHARE,
  type Logistic,
  nullPrior,
  RULE_LENGTH_RANGE,
  SPREAD_PRIOR,
} from './calibration.js';
import type { DecisionFeatures, FeatureName } from './decision-features.js';
import type { RuleChannels } from './rule-scores.js';

const CHANNELS = Object.keys(CHANNEL_SCALES) as (keyof RuleChannels)[];
const TOTAL_WEIGHT = CHANNELS.reduce((sum, name) => sum + CHANNEL_WEIGHTS[name], 0);

/** One score per rule: the weighted mean of its channels, each divided by its typical spread. */
export function fuseChannels(channels: RuleChannels): number {
  let sum = 0;
  for (const name of CHANNELS) sum += (CHANNEL_WEIGHTS[name] * channels[name]) / CHANNEL_SCALES[name];
  return sum / TOTAL_WEIGHT;
}

export interface Decision {
  best: number;
  /** Index of the strongest competitor, or -1 with a single rule. */
  runnerUp: number;
  /** The best score's lead over the mean of the other rules, in units of their spread (0 for one rule). */
  margin: number;
  lead: number;
  statistic: number;
  ruleLength: number;
  features: DecisionFeatures;
  /** Calibrated probability that the best rule is the right answer. */
  confidence: number;
  /** Calibrated probability that no rule fits, i.e. that null is the right answer. */
  nullConfidence: number;
}

/**
 * Picks the best rule and says how sure that is. The statistic has two parts, both in
 * typical-spread units:
 * - margin: the best score's lead over the mean of the others, divided by their spread. The
 *   spread is shrunk towards a prior, so two or three rules still give a usable value, and
 *   being standardised it does not grow with the number of rules or their length;
 * - lead: how far the best score is ahead of its strongest alternative, where "a neutral rule
 *   of common words" counts as an alternative. This is all there is with a single rule; with
 *   several, it keeps a document that fits none of them (one leads only by chance) or two of
 *   them equally from looking like a clear match.
 * The best of n rules leads by chance alone, and more so the more rules there are; the
 * expected lead of the largest of n standard normal draws is subtracted so that a 10-rule
 * request is not more confident than a 2-rule one on the same evidence.
 *
 * Three things can be true: no rule fits (probability `nullConfidence`), the best rule is
 * right (`confidence`), or a rule fits but another one scored higher. The first is a logistic
 * function of the features moved to the request's prior (nullPrior); the second is the chance
 * that some rule fits times a logistic estimate that the best is the one that does, so the
 * two never add up to more than 1.
 */
export function decide(
  scores: number[],
  neutralScore: number,
  calibration: Calibration,
  meanRuleWords = Math.exp(RULE_LENGTH_RANGE.max),
  typeNameScores: readonly number[] = [],
): Decision {
  const ruleLength = Math.min(
    RULE_LENGTH_RANGE.max,
    Math.max(RULE_LENGTH_RANGE.min, Math.log(Math.max(1, meanRuleWords))),
  );
  let best = 0;
  for (let i = 1; i < scores.length; i++) if ((scores[i] as number) > (scores[best] as number)) best = i;
  const bestScore = scores[best] as number;
  let runnerUp = -1;
  let margin = 0;
  let lead = bestScore - neutralScore;
  let statistic = lead;
  if (scores.length > 1) {
    let sum = 0;
    for (let i = 0; i < scores.length; i++) {
      if (i === best) continue;
      sum += scores[i] as number;
      if (runnerUp < 0 || (scores[i] as number) > (scores[runnerUp] as number)) runnerUp = i;
    }
    const others = scores.length - 1;
    const mean = sum / others;
    let squares = 0;
    for (let i = 0; i < scores.length; i++) if (i !== best) squares += ((scores[i] as number) - mean) ** 2;
    const spread = Math.sqrt(
      (squares + SPREAD_PRIOR.weight * SPREAD_PRIOR.spread ** 2) / (others - 1 + SPREAD_PRIOR.weight),
    );
    margin = (bestScore - mean) / spread;
    lead = bestScore - Math.max(scores[runnerUp] as number, neutralScore);
    statistic = margin + lead - expectedMaximum(scores.length);
  }
  const chance = expectedMaximum(scores.length);
  const features: DecisionFeatures = {
    statistic,
    // A single rule is measured against the neutral rule as its one competitor, at the prior
    // spread: the dev set has no single-rule requests to fit this case on.
    margin: scores.length > 1 ? margin - chance : lead / SPREAD_PRIOR.spread - expectedMaximum(2),
    lead,
    fit: bestScore - neutralScore,
    typeName: typeNameScores[best] ?? 0,
    ruleLength,
  };
  const nullConfidence = shiftNullPrior(logistic(features, calibration.noRuleFits), nullPrior(scores.length));
  const confidence = (1 - nullConfidence) * logistic(features, calibration.match);
  return { best, runnerUp, margin, lead, statistic, ruleLength, features, confidence, nullConfidence };
}

/**
 * The fitting trials were half "no rule fits" (each document again without its own rule);
 * in use, that share depends on the request (calibration.ts, nullPrior). Bayes' rule moves
 * the probability from the fitted share to the prior by the ratio of their odds.
 */
export function shiftNullPrior(nullConfidence: number, prior: number): number {
  if (nullConfidence >= 1) return 1;
  const odds =
    (nullConfidence / (1 - nullConfidence)) *
    (prior / (1 - prior) / (FITTED_NULL_SHARE / (1 - FITTED_NULL_SHARE)));
  return odds / (1 + odds);
}

/**
 * Expected largest of n independent standard normal draws, by Blom's plotting position
 * (n - 0.375) / (n + 0.25) and Tukey's lambda approximation of the normal quantile
 * (within 0.01 of the exact values for n up to 50).
 */
export function expectedMaximum(n: number): number {
  if (n <= 1) return 0;
  const p = (n - 0.375) / (n + 0.25);
  return 4.91 * (p ** 0.14 - (1 - p) ** 0.14);
}

export function logistic(features: DecisionFeatures, { intercept, weights }: Logistic): number {
  let z = intercept;
  for (const [name, weight] of Object.entries(weights) as [FeatureName, number][])
    z += weight * features[name];
  const value = 1 / (1 + Math.exp(-z));
  return Number.isFinite(value) ? value : 0;
}
