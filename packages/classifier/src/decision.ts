import { CHANNEL_SCALES, type Logistic, RULE_LENGTH_RANGE, SPREAD_PRIOR } from './calibration.js';
import type { RuleChannels } from './rule-scores.js';

const CHANNELS = Object.keys(CHANNEL_SCALES) as (keyof RuleChannels)[];

/** One score per rule: the mean of its channels, each divided by its typical spread. */
export function fuseChannels(channels: RuleChannels): number {
  let sum = 0;
  for (const name of CHANNELS) sum += channels[name] / CHANNEL_SCALES[name];
  return sum / CHANNELS.length;
}

export interface Decision {
  best: number;
  /** Index of the strongest competitor, or -1 with a single rule. */
  runnerUp: number;
  /** The best score's lead over the mean of the other rules, in units of their spread (0 for one rule). */
  margin: number;
  /** The best score minus the strongest alternative: the runner-up or the neutral rule, if higher. */
  lead: number;
  /** What the confidence is a logistic function of, with ruleLength. */
  statistic: number;
  /** ln of the mean number of distinct words per rule, clamped to the calibrated range. */
  ruleLength: number;
  confidence: number;
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
 * request is not more confident than a 2-rule one on the same evidence. The confidence is
 * a logistic function of margin + lead - that chance lead, and of the rules' length: the same
 * statistic is worth more with paragraph-long rules than with one-liners.
 */
export function decide(
  scores: number[],
  neutralScore: number,
  calibration: Logistic,
  meanRuleWords = Math.exp(RULE_LENGTH_RANGE.max),
): Decision {
  const ruleLength = Math.min(
    RULE_LENGTH_RANGE.max,
    Math.max(RULE_LENGTH_RANGE.min, Math.log(Math.max(1, meanRuleWords))),
  );
  let best = 0;
  for (let i = 1; i < scores.length; i++) if ((scores[i] as number) > (scores[best] as number)) best = i;
  const bestScore = scores[best] as number;
  if (scores.length === 1) {
    const lead = bestScore - neutralScore;
    const confidence = logistic(lead, ruleLength, calibration);
    return { best, runnerUp: -1, margin: 0, lead, statistic: lead, ruleLength, confidence };
  }

  let runnerUp = -1;
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
  const margin = (bestScore - mean) / spread;
  const lead = bestScore - Math.max(scores[runnerUp] as number, neutralScore);
  const statistic = margin + lead - expectedMaximum(scores.length);
  const confidence = logistic(statistic, ruleLength, calibration);
  return { best, runnerUp, margin, lead, statistic, ruleLength, confidence };
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

export function logistic(x: number, ruleLength: number, { slope, lengthSlope, intercept }: Logistic): number {
  const value = 1 / (1 + Math.exp(-(slope * x + lengthSlope * ruleLength + intercept)));
  return Number.isFinite(value) ? value : 0;
}
