import { ruleSchema } from '@classifyd/shared';
import { UsageError } from './exit-codes.js';

export interface Rule {
  type: string;
  description: string;
}

const MAX_RULES = 50;

/**
 * Rules from the text of a rules file: a plain array of `{type, description}` (the shape of
 * the dev set's rules.json) or an object with a `rules` array (a classify configuration).
 * `source` names the file in error messages.
 */
export function parseRulesJson(text: string, source: string): Rule[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${source} is not valid JSON: ${(error as Error).message}`);
  }
  const list = Array.isArray(data) ? data : (data as { rules?: unknown } | null)?.rules;
  if (!Array.isArray(list)) {
    throw new UsageError(
      `${source} must hold an array of {"type", "description"} objects, or an object with a "rules" array`,
    );
  }
  if (list.length === 0) {
    throw new UsageError(`${source} holds no rules; give at least one {"type", "description"}`);
  }
  return list.map((item, index) => checkRule(item, `${source}: rule ${index + 1}`));
}

/** One `--rule 'type=description'` flag. */
export function parseRuleFlag(flag: string): Rule {
  const at = flag.indexOf('=');
  if (at < 0) {
    throw new UsageError(
      `--rule "${flag}" needs the form type=description, e.g. --rule 'invoice=A bill ...'`,
    );
  }
  return checkRule(
    { type: flag.slice(0, at).trim(), description: flag.slice(at + 1).trim() },
    `--rule "${flag.slice(0, 40)}${flag.length > 40 ? '...' : ''}"`,
  );
}

function checkRule(item: unknown, where: string): Rule {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    throw new UsageError(`${where} must be an object with "type" and "description"`);
  }
  const { type, description } = item as Record<string, unknown>;
  for (const [key, value] of [
    ['type', type],
    ['description', description],
  ] as const) {
    if (typeof value !== 'string') throw new UsageError(`${where} needs a "${key}" string`);
  }
  const parsed = ruleSchema.safeParse({ type, description });
  if (!parsed.success) {
    const named = typeof type === 'string' && type !== '' ? ` ("${type}")` : '';
    throw new UsageError(`${where}${named}: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  }
  return { type: parsed.data.type, description: parsed.data.description };
}

/** The whole set as the service will see it: 1 to 50 rules, each type once. */
export function checkRuleSet(rules: Rule[]): Rule[] {
  if (rules.length === 0) {
    throw new UsageError('give rules with --rules FILE or at least one --rule type=description');
  }
  if (rules.length > MAX_RULES) {
    throw new UsageError(`${rules.length} rules given; the service accepts at most ${MAX_RULES}`);
  }
  const seen = new Set<string>();
  for (const rule of rules) {
    if (seen.has(rule.type))
      throw new UsageError(`rule type "${rule.type}" is given twice; types must be unique`);
    seen.add(rule.type);
  }
  return rules;
}
