import { createEmbeddedClassifier } from '@classifyd/classifier';
import { createClaudeClassifier } from '@classifyd/claude-classifier';
import type { Classifier } from '@classifyd/shared';
import type { Logger } from 'pino';
import type { ClassifyWorkerEnv } from './env.js';

export type ClassifierKind = 'embedded' | 'anthropic';

/** `auto` means Claude when a key is there, else the offline classifier. */
export function classifierKind(
  env: Pick<ClassifyWorkerEnv, 'CLASSIFIER' | 'ANTHROPIC_API_KEY'>,
): ClassifierKind {
  if (env.CLASSIFIER === 'auto') return env.ANTHROPIC_API_KEY ? 'anthropic' : 'embedded';
  return env.CLASSIFIER;
}

export async function loadClassifier(env: ClassifyWorkerEnv, logger: Logger): Promise<Classifier> {
  if (classifierKind(env) === 'embedded') {
    return createEmbeddedClassifier({ nullThreshold: env.NULL_CONFIDENCE_THRESHOLD });
  }
  return createClaudeClassifier({
    apiKey: env.ANTHROPIC_API_KEY as string,
    model: env.ANTHROPIC_MODEL,
    baseURL: env.ANTHROPIC_BASE_URL,
    logger,
  });
}
