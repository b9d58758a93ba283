import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Classification, ClassifierInput } from '@classifyd/shared';
import { AppError, type Rule } from '@classifyd/shared';
import { CALIBRATION, DEFAULT_NULL_THRESHOLD, MAX_CONFIDENCE } from './calibration.js';
import { type Decision, decide, fuseChannels } from './decision.js';
import { profileDocument } from './document-profile.js';
import { evidenceWords } from './evidence.js';
import { decideWithExamples } from './examples/decide-with-examples.js';
import type { ExampleModel } from './examples/example-model.js';
import type { LruCache } from './lru-cache.js';
import { matchedReasoning, NO_TEXT_REASONING, nullReasoning } from './reasoning.js';
import { contrastWeights, profileRule, type RuleProfile } from './rule-profile.js';
import { type RuleChannels, RuleScorer } from './rule-scores.js';
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
  /** Channel scores per rule, in input order (for measuring; empty when the document has no words). */
  channels: RuleChannels[];
  neutralScore: number;
  vocabularyCoverage: number;
}

/** Rules are scored in batches, yielding in between so a long request cannot hog the event loop. */
const RULES_PER_SLICE = 10;
const EVIDENCE_WORDS = 5;

export async function classifyDocument(
  input: ClassifierInput,
  model: ClassifierModel,
  /** Null below this confidence. */
  nullThreshold: number = DEFAULT_NULL_THRESHOLD,
  signal?: AbortSignal,
  /** What was learned from the configuration's examples, when it has any. */
  examples?: ExampleModel,
): Promise<DetailedClassification> {
  signal?.throwIfAborted();
  if (input.rules.length === 0) throw new AppError('bad_request', 'give at least 1 rule');
  const document = profileDocument(input.pages, model.vectors, input.lang);
  if (document.tokenCount === 0) {
    return {
      type: null,
      confidence: 0,
      reasoning: NO_TEXT_REASONING,
      scores: [],
      decision: null,
      channels: [],
      neutralScore: 0,
      vocabularyCoverage: 0,
    };
  }

  const scorer = new RuleScorer(document, model.vectors);
  const rules = input.rules.map((rule) => preparedRule(rule, model));
  const contrast = contrastWeights(rules);
  const scores: number[] = [];
  const channels: RuleChannels[] = [];
  for (let start = 0; start < rules.length; start += RULES_PER_SLICE) {
    await yieldToEventLoop();
    signal?.throwIfAborted();
    for (const rule of rules.slice(start, start + RULES_PER_SLICE)) {
      const ruleChannels = scorer.channels(rule, contrast);
      channels.push(ruleChannels);
      scores.push(fuseChannels(ruleChannels));
    }
  }

  const neutralScore = fuseChannels(scorer.channels(model.neutralRule));
  const meanRuleWords = rules.reduce((sum, rule) => sum + rule.terms.length, 0) / rules.length;
  // Several rules may describe one type (its variants): the type is as good as its best
  // rule, and its rules do not compete with each other for the margin.
  const kept = bestRulePerType(rules, scores);
  const decided = decide(
    kept.map((i) => scores[i] as number),
    neutralScore,
    CALIBRATION,
    meanRuleWords,
    kept.map((i) => (channels[i] as RuleChannels).typeName),
  );
  const decision = {
    ...decided,
    best: kept[decided.best] as number,
    runnerUp: decided.runnerUp >= 0 ? (kept[decided.runnerUp] as number) : -1,
  };

  const best = rules[decision.best] as RuleProfile;
  if (examples) {
    const evidenceOf = (type: string) => {
      const i = kept.find((k) => (rules[k] as RuleProfile).type === type) as number;
      return evidenceWords(rules[i] as RuleProfile, document, scorer, EVIDENCE_WORDS, contrast);
    };
    const learned = decideWithExamples({
      pages: input.pages,
      document,
      types: kept.map((i) => (rules[i] as RuleProfile).type),
      ruleScores: kept.map((i) => scores[i] as number),
      neutralScore,
      ruleBest: decided.best,
      ruleConfidence: decided.confidence,
      ruleNullConfidence: decided.nullConfidence,
      model: examples,
      evidenceOf,
    });
    return {
      ...learned,
      confidence: round(learned.confidence),
      scores,
      decision,
      channels,
      neutralScore,
      vocabularyCoverage: document.vocabularyCoverage,
    };
  }
  const confidence = round(decision.confidence);
  const nullConfidence = round(decision.nullConfidence);
  const evidence = evidenceWords(best, document, scorer, EVIDENCE_WORDS, contrast);
  const measured = {
    scores,
    decision,
    channels,
    neutralScore,
    vocabularyCoverage: document.vocabularyCoverage,
  };
  if (confidence < nullThreshold) {
    return {
      type: null,
      confidence: nullConfidence,
      reasoning: nullReasoning(best.type, confidence, nullConfidence, nullThreshold, evidence),
      ...measured,
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
    ...measured,
  };
}

/** The index of each type's best-scoring rule, in the order the types first appear. */
function bestRulePerType(rules: RuleProfile[], scores: number[]): number[] {
  const bestOf = new Map<string, number>();
  rules.forEach((rule, i) => {
    const current = bestOf.get(rule.type);
    if (current === undefined || (scores[i] as number) > (scores[current] as number))
      bestOf.set(rule.type, i);
  });
  return [...bestOf.values()];
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
