import type { Tool } from '@anthropic-ai/sdk/resources/messages';
import type { Rule } from '@classifyd/shared';
import { z } from 'zod';

export const CLASSIFICATION_TOOL_NAME = 'record_classification';
/** Reasoning is shown to API clients; past this it is cut at a word boundary. */
export const MAX_REASONING_CHARS = 1000;

/** Rule types in order, once each: a repeated type would make a repeated enum value. */
export function ruleTypes(rules: Rule[]): string[] {
  return [...new Set(rules.map((rule) => rule.type))];
}

/**
 * The one tool Claude answers through. Written directly in the strict-mode subset of JSON Schema
 * (no numeric bounds, additionalProperties false, every property required) so the API can enforce it;
 * the 0..1 range is in the description and checked on our side.
 */
export function classificationTool(rules: Rule[]): Tool {
  return {
    name: CLASSIFICATION_TOOL_NAME,
    description:
      'Record which rule describes the document. Call it exactly once, with the type of the best-matching ' +
      'rule, or null when no rule fits.',
    strict: true,
    input_schema: {
      type: 'object',
      properties: {
        type: {
          description: 'The exact type of the matching rule, or null when the document matches no rule.',
          enum: [...ruleTypes(rules), null],
        },
        confidence: {
          type: 'number',
          description:
            'Probability from 0 to 1 that this answer is right (for null: that no rule fits). ' +
            'Use the whole range; 0.5 means a coin toss.',
        },
        reasoning: {
          type: 'string',
          description:
            'One to three sentences in English naming the evidence: quote the short phrases, headings or ' +
            'fields of the document (with page numbers) that decided the answer, and why close rules do not fit.',
        },
      },
      required: ['type', 'confidence', 'reasoning'],
      additionalProperties: false,
    },
  };
}

const toolInputSchema = z.object({
  type: z.string().nullable(),
  confidence: z.number().finite().min(0).max(1),
  reasoning: z.string().trim().min(1),
});

export type ToolVerdict =
  | { ok: true; type: string | null; confidence: number; reasoning: string }
  | { ok: false; problem: string };

/** One paragraph, cut at a word boundary when longer than `max`. */
export function trimReasoning(text: string, max = MAX_REASONING_CHARS): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  const lastSpace = cut.lastIndexOf(' ');
  return `${(lastSpace > max * 0.8 ? cut.slice(0, lastSpace) : cut).trimEnd()}…`;
}

/**
 * Checks a tool call's input against the schema and the rules. `problem` is written for the model
 * (it goes back in the repair turn), so it names the field and what was expected.
 */
export function readToolInput(input: unknown, types: readonly string[]): ToolVerdict {
  const parsed = toolInputSchema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .map((issue) => `${issue.path.join('.') || 'input'}: ${issue.message}`)
      .join('; ');
    return {
      ok: false,
      problem: `The ${CLASSIFICATION_TOOL_NAME} input did not match its schema (${issues}).`,
    };
  }
  const { type, confidence, reasoning } = parsed.data;
  if (type !== null && !types.includes(type)) {
    return {
      ok: false,
      problem: `"${type.slice(0, 60)}" is not one of the rule types. Use exactly one of ${JSON.stringify(types)}, or null.`,
    };
  }
  return { ok: true, type, confidence, reasoning: trimReasoning(reasoning) };
}
