import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { AppError, type Rule } from '@classifyd/shared';
import { CONFIDENCE, MAX_CONFIDENCE } from './calibration.js';
import { type Decision, decide, fuseChannels } from './decision.js';
import { profileDocument } from './document-profile.js';
import { evidenceWords } from './evidence.js';
import type { LruCache } from './lru-cache.js';
import { matchedReasoning, NO_TEXT_REASONING, nullReasoning } from './reasoning.js';
import { contrastWeights, profileRule, type RuleProfile } from './rule-profile.js';
import { RuleScorer } from './rule-scores.js';
import type { Classification, ClassifierInput } from './types.js';
import type { WordVectors } from './word-vectors.js';

/** What a loaded classifier holds between calls. */
export interface ClassifierModel {
  vectors: WordVectors;
  neutralRule: RuleProfile;
  /** Rule preparation memoised by rule text: clients tend to resend the same rules. */
  ruleCache: LruCache<string, RuleProfile>;
}

export interface DetailedClassification extends Classification {
  /** Fused score per rule, in input order; empty when the document has no words. */
  scores: number[];
  decision: Decision | null;
}

/** Rules are scored in batches, yielding in between so a long request cannot hog the event loop. */
const RULES_PER_SLICE = 10;
const EVIDENCE_WORDS = 5;

export async function classifyDocument(
  input: ClassifierInput,
  model: ClassifierModel,
  nullThreshold: number,
  signal?: AbortSignal,
): Promise<DetailedClassification> {
  signal?.throwIfAborted();
  if (input.rules.length === 0) throw new AppError('bad_request', 'give at least 1 rule');
  const document = profileDocument(input.pages, model.vectors);
  if (document.tokenCount === 0) {
    return { type: null, confidence: 0, reasoning: NO_TEXT_REASONING, scores: [], decision: null };
  }

  const scorer = new RuleScorer(document, model.vectors);
  const rules = input.rules.map((rule) => preparedRule(rule, model));
  const contrast = contrastWeights(rules);
  const scores: number[] = [];
  for (let start = 0; start < rules.length; start += RULES_PER_SLICE) {
    await yieldToEventLoop();
    signal?.throwIfAborted();
    for (const rule of rules.slice(start, start + RULES_PER_SLICE))
      scores.push(fuseChannels(scorer.channels(rule, contrast)));
  }

  const neutralScore = fuseChannels(scorer.channels(model.neutralRule));
  const meanRuleWords = rules.reduce((sum, rule) => sum + rule.terms.length, 0) / rules.length;
  const decision = decide(scores, neutralScore, CONFIDENCE, meanRuleWords);

  const best = rules[decision.best] as RuleProfile;
  const confidence = round(decision.confidence);
  const evidence = evidenceWords(best, document, scorer, EVIDENCE_WORDS, contrast);
  if (confidence < nullThreshold) {
    return {
      type: null,
      confidence,
      reasoning: nullReasoning(best.type, confidence, nullThreshold, evidence),
      scores,
      decision,
    };
  }
  const runnerUp = rules[decision.runnerUp];
  const comparison = runnerUp
    ? { type: runnerUp.type, score: scores[decision.runnerUp] as number }
    : { neutralScore };
  return {
    type: best.type,
    confidence,
    reasoning: matchedReasoning(best.type, scores[decision.best] as number, comparison, evidence),
    scores,
    decision,
  };
}

function preparedRule(rule: Rule, model: ClassifierModel): RuleProfile {
  const key = `${rule.type}\u0000${rule.description}`;
  let profile = model.ruleCache.get(key);
  if (!profile) {
    profile = profileRule(rule, model.vectors);
    model.ruleCache.set(key, profile);
  }
  return profile;
}

/** Three decimals are all a calibrated confidence can honestly claim. */
function round(confidence: number): number {
  return Math.min(MAX_CONFIDENCE, Math.max(0, Math.round(confidence * 1000) / 1000));
}
