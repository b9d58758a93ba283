import { describe, expect, it } from 'vitest';
import { UsageError } from './exit-codes.js';
import { checkRuleSet, parseRuleFlag, parseRulesJson } from './rules.js';

const INVOICE = { type: 'invoice', description: 'A bill asking the buyer to pay an amount due.' };
const RECEIPT = { type: 'receipt', description: 'Proof that a payment has already been made.' };

describe('rules files', () => {
  it('accepts a plain array of {type, description}, as in the dev set rules.json', () => {
    expect(parseRulesJson(JSON.stringify([INVOICE, RECEIPT]), 'rules.json')).toEqual([INVOICE, RECEIPT]);
  });

  it('accepts an object with a rules array, and drops keys the service does not take', () => {
    const text = JSON.stringify({ rules: [{ ...INVOICE, note: 'ignored' }], mode: 'FAST' });
    expect(parseRulesJson(text, 'config.json')).toEqual([INVOICE]);
  });

  it.each([
    ['{not json', /rules\.json is not valid JSON/],
    ['{"invoice": "a bill"}', /must hold an array of \{"type", "description"\} objects/],
    ['[42]', /rule 1 must be an object/],
    [JSON.stringify([INVOICE, { type: 'receipt' }]), /rule 2 needs a "description" string/],
    [
      JSON.stringify([{ type: 'memo', description: 'short' }]),
      /rule 1 \("memo"\): description must have at least 10/,
    ],
    [
      JSON.stringify([{ type: '', description: 'long enough text' }]),
      /rule 1: type must have at least 1 character/,
    ],
    [JSON.stringify([{ type: 'x'.repeat(51), description: 'long enough text' }]), /at most 50 characters/],
  ])('names the file, the rule and the problem: %s', (text, message) => {
    expect(() => parseRulesJson(text, 'rules.json')).toThrow(UsageError);
    expect(() => parseRulesJson(text, 'rules.json')).toThrow(message);
  });
});

describe('--rule flags', () => {
  it('says a rules file with an empty list holds no rules, naming it', () => {
    expect(() => parseRulesJson('[]', 'rules.json')).toThrow(/rules\.json holds no rules/);
    expect(() => parseRulesJson('{"rules": []}', 'cfg.json')).toThrow(/cfg\.json holds no rules/);
  });

  it('splits at the first "=", so a description may contain "=" itself', () => {
    expect(parseRuleFlag(' ticket = A travel ticket where price = fare plus fees ')).toEqual({
      type: 'ticket',
      description: 'A travel ticket where price = fare plus fees',
    });
  });

  it('says which form it wants when "=" is missing', () => {
    expect(() => parseRuleFlag('invoice')).toThrow(/needs the form type=description/);
  });

  it('applies the service limits to the flag, naming it', () => {
    expect(() => parseRuleFlag('memo=too short')).toThrow(/--rule "memo=too short" \("memo"\): description/);
  });
});

describe('the rule set', () => {
  it('needs at least one rule, at most 50, and unique types', () => {
    expect(() => checkRuleSet([])).toThrow(/give rules with --rules FILE or at least one --rule/);
    const many = Array.from({ length: 51 }, (_, i) => ({ ...INVOICE, type: `t${i}` }));
    expect(() => checkRuleSet(many)).toThrow(/51 rules given; the service accepts at most 50/);
    expect(() => checkRuleSet([INVOICE, RECEIPT, INVOICE])).toThrow(/"invoice" is given twice/);
    expect(checkRuleSet([INVOICE, RECEIPT])).toHaveLength(2);
  });
});
