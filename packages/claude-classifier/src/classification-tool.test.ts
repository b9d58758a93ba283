import { describe, expect, it } from 'vitest';
import {
  classificationTool,
  MAX_REASONING_CHARS,
  readToolInput,
  trimReasoning,
} from './classification-tool.js';
import { requestProfile } from './model-profile.js';
import type { ToolSchema } from './test-fixtures.js';

const rules = [
  { type: 'invoice', description: 'A bill asking for payment' },
  { type: 'contract', description: 'An agreement between parties' },
  { type: 'invoice', description: 'Listed twice by the client' },
];
const types = ['invoice', 'contract'];

describe('classificationTool', () => {
  it('offers each rule type once plus null, in a strict schema that requires every field', () => {
    const tool = classificationTool(rules);
    expect(tool.name).toBe('record_classification');
    expect(tool.strict).toBe(true);
    const schema = tool.input_schema as unknown as ToolSchema;
    expect(schema.properties.type.enum).toEqual(['invoice', 'contract', null]);
    expect(schema.properties.confidence.type).toBe('number');
    expect(schema.properties.reasoning.type).toBe('string');
    expect(schema.required).toEqual(['type', 'confidence', 'reasoning']);
    expect(schema.additionalProperties).toBe(false);
  });
});

describe('readToolInput', () => {
  it('accepts a rule type or null with a confidence in [0, 1]', () => {
    expect(
      readToolInput({ type: 'contract', confidence: 0.8, reasoning: 'Signed by both parties.' }, types),
    ).toEqual({ ok: true, type: 'contract', confidence: 0.8, reasoning: 'Signed by both parties.' });
    expect(readToolInput({ type: null, confidence: 0, reasoning: 'A recipe.' }, types)).toMatchObject({
      ok: true,
      type: null,
    });
  });

  it.each([
    [
      'a type outside the rules',
      { type: 'receipt', confidence: 0.9, reasoning: 'x' },
      /"receipt" is not one of/,
    ],
    ['a confidence above 1', { type: 'invoice', confidence: 85, reasoning: 'x' }, /confidence/],
    ['a confidence given as text', { type: 'invoice', confidence: '0.9', reasoning: 'x' }, /confidence/],
    ['an empty reasoning', { type: 'invoice', confidence: 0.9, reasoning: '  ' }, /reasoning/],
    ['a missing type', { confidence: 0.9, reasoning: 'x' }, /type/],
    ['no object at all', 'invoice', /did not match its schema/],
  ])('rejects %s with a problem the model can act on', (_, input, problem) => {
    const verdict = readToolInput(input, types);
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.problem).toMatch(problem);
  });
});

describe('trimReasoning', () => {
  it('flattens whitespace and cuts long text at a word boundary', () => {
    expect(trimReasoning('  Heading  "INVOICE"\n on page 1. ')).toBe('Heading "INVOICE" on page 1.');
    const long = trimReasoning('evidence '.repeat(400));
    expect(long.length).toBeLessThanOrEqual(MAX_REASONING_CHARS);
    expect(long.endsWith('evidence…')).toBe(true);
  });
});

describe('requestProfile', () => {
  it.each([
    ['claude-haiku-5-5', 'forced', true],
    ['claude-haiku-5-5-20261007', 'forced', true],
    ['claude-sonnet-5', 'forced', true],
    ['claude-haiku-4-5', 'forced', false],
    ['claude-sonnet-4-6', 'forced', false],
    ['claude-opus-4-8', 'forced', false],
    ['claude-sonnet-5-5', 'auto', false],
    ['claude-opus-5-5', 'auto', false],
    ['claude-fable-5-1', 'auto', false],
    ['some-future-model', 'auto', false],
  ])('%s: %s tool choice, thinking disabled: %s', (model, toolChoice, disableThinking) => {
    const profile = requestProfile(model);
    expect(profile.toolChoice).toBe(toolChoice);
    expect(profile.disableThinking).toBe(disableThinking);
    // Thinking counts toward max_tokens: models that think need the room.
    expect(profile.maxTokens).toBeGreaterThanOrEqual(toolChoice === 'auto' ? 4096 : 512);
  });
});
