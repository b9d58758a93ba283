import type { TextBlockParam, Tool } from '@anthropic-ai/sdk/resources/messages';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MAX_REASONING_CHARS } from './classification-tool.js';
import { createClaudeClassifier, DEFAULT_CLAUDE_MODEL, NO_TEXT_REASONING } from './claude-classifier.js';
import { INVOICE_AND_CONTRACT_RULES, type ToolSchema } from './test-fixtures.js';
import {
  type FakeMessagesServer,
  fakeReply,
  type RecordedBody,
  startFakeMessagesServer,
} from './test-support/index.js';
import { estimateTokens } from './token-estimate.js';

const API_KEY = 'sk-ant-test-0123456789';
const rules = [
  ...INVOICE_AND_CONTRACT_RULES,
  { type: 'resume', description: 'A CV describing a person and their work experience.' },
];
const invoicePages = [
  { page_number: 1, text: 'ACME GmbH\nRechnung Nr. 2026-117\nInvoice total: 1,200.00 EUR' },
  { page_number: 2, text: 'Payment due within 30 days.' },
];

let fake: FakeMessagesServer;
beforeAll(async () => {
  fake = await startFakeMessagesServer({ apiKey: API_KEY });
});
afterEach(() => fake.reset());
afterAll(() => fake.close());

const classifier = (model?: string, maxDocumentTokens?: number) =>
  createClaudeClassifier({
    apiKey: API_KEY,
    baseURL: fake.url,
    timeoutMs: 5000,
    ...(model ? { model } : {}),
    ...(maxDocumentTokens ? { maxDocumentTokens } : {}),
  });
const body = (index = 0) => fake.requests[index]?.body as RecordedBody;
const tool = (request: RecordedBody) => request.tools?.[0] as Tool;
const systemText = (request: RecordedBody) => (request.system as TextBlockParam[])[0];
const userText = (request: RecordedBody) => request.messages[0]?.content as string;

describe('Claude classifier against the fake Messages API', () => {
  it("returns Claude's answer with token usage and the model that gave it", async () => {
    fake.enqueue(
      fakeReply.classification('invoice', 0.93, 'Page 1 is headed "Rechnung Nr. 2026-117".', {
        input_tokens: 900,
        output_tokens: 60,
        cache_read_input_tokens: 0,
        cache_creation_input_tokens: 1400,
      }),
    );
    const result = await classifier().classify({ pages: invoicePages, rules, lang: 'de' });
    expect(result).toEqual({
      type: 'invoice',
      confidence: 0.93,
      reasoning: 'Page 1 is headed "Rechnung Nr. 2026-117".',
      usage: {
        input_tokens: 900,
        output_tokens: 60,
        cache_read_input_tokens: 0,
        cache_creation_input_tokens: 1400,
        model: DEFAULT_CLAUDE_MODEL,
      },
    });
    expect(fake.requests).toHaveLength(1);
  });

  it('asks through one strict tool whose type enum is the rules plus null, and forces that tool', async () => {
    await classifier().classify({ pages: invoicePages, rules, lang: 'de' });
    const request = body();
    expect(fake.requests[0]?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(request.model).toBe(DEFAULT_CLAUDE_MODEL);
    expect(request.tools).toHaveLength(1);
    const schema = tool(request).input_schema as unknown as ToolSchema;
    expect(tool(request).name).toBe('record_classification');
    expect(tool(request).strict).toBe(true);
    expect(schema.properties.type.enum).toEqual(['invoice', 'contract', 'resume', null]);
    expect(request.tool_choice).toMatchObject({ type: 'tool', name: 'record_classification' });
    // Forcing a tool is incompatible with thinking, which Claude Haiku 5.5 does by default.
    expect(request.thinking).toEqual({ type: 'disabled' });
    // Claude 5.x models reject sampling parameters.
    expect(request).not.toHaveProperty('temperature');
  });

  it('puts instructions and rules in one cached system block and the document after it', async () => {
    await classifier().classify({ pages: invoicePages, rules, lang: 'de' });
    await classifier().classify({ pages: [{ page_number: 1, text: 'Employment contract' }], rules });
    const [first, second] = [body(0), body(1)];
    const system = systemText(first);
    expect(system?.cache_control).toEqual({ type: 'ephemeral' });
    for (const rule of rules) {
      expect(system?.text).toContain(rule.type);
      expect(system?.text).toContain(rule.description);
    }
    expect(system?.text).not.toContain('Rechnung');
    // Same rules, different document: the cached prefix (tools + system) is byte-identical.
    expect(JSON.stringify([second.tools, second.system])).toBe(JSON.stringify([first.tools, first.system]));
    expect(userText(first)).toContain('Rechnung Nr. 2026-117');
    expect(userText(first)).toContain('"de"');
    expect(userText(second)).toContain('Employment contract');
  });

  it('reports cache reads when the same rules come again', async () => {
    const claude = classifier();
    const first = await claude.classify({ pages: invoicePages, rules });
    const second = await claude.classify({ pages: invoicePages, rules });
    expect(first.usage?.cache_creation_input_tokens).toBeGreaterThan(0);
    expect(first.usage?.cache_read_input_tokens).toBe(0);
    expect(second.usage?.cache_read_input_tokens).toBe(first.usage?.cache_creation_input_tokens);
  });

  it('passes a null answer through', async () => {
    fake.enqueue(fakeReply.classification(null, 0.8, 'A cooking recipe: "Preheat the oven" on page 1.'));
    const result = await classifier().classify({
      pages: [{ page_number: 1, text: 'Preheat the oven' }],
      rules,
    });
    expect(result).toMatchObject({ type: null, confidence: 0.8 });
  });

  it('asks for reasoning that quotes evidence, and trims what comes back to a sane length', async () => {
    fake.enqueue(
      fakeReply.classification('invoice', 0.9, `The heading\n\n  says ${'"Rechnung" '.repeat(300)}`),
    );
    const result = await classifier().classify({ pages: invoicePages, rules });
    expect(result.reasoning.length).toBeLessThanOrEqual(MAX_REASONING_CHARS);
    expect(result.reasoning.startsWith('The heading says "Rechnung"')).toBe(true);
    const reasoningField = (tool(body()).input_schema as unknown as ToolSchema).properties.reasoning;
    expect(reasoningField.description).toMatch(/quote/i);
    expect(systemText(body())?.text).toMatch(/quote/i);
  });

  it('sends a long document reduced page-aware within maxDocumentTokens, marking every cut', async () => {
    const pages = Array.from({ length: 60 }, (_, i) => ({
      page_number: i + 1,
      text: `Page ${i + 1} of the master services agreement. ${'The parties agree to the terms below. '.repeat(80)}`,
    }));
    await classifier(undefined, 3000).classify({ pages, rules });
    const text = userText(body());
    const document = text.slice(text.indexOf('<document'));
    expect(document).toContain('<document pages="60">');
    expect(estimateTokens(document)).toBeLessThanOrEqual(3000 + 20);
    expect(document).toContain(`<page number="1">\n${pages[0]?.text.trim()}\n</page>`);
    expect(document).toMatch(/\[page \d+: \d+ characters omitted\]/);
    expect(text).toMatch(/It was shortened to fit: \d+ characters were left out/);
  });

  it('answers a document without text itself, without calling Claude', async () => {
    const result = await classifier().classify({ pages: [{ page_number: 1, text: ' \n ' }], rules });
    expect(result).toEqual({ type: null, confidence: 0, reasoning: NO_TEXT_REASONING });
    expect(fake.requests).toHaveLength(0);
  });

  it("uses tool_choice auto with low effort for models that reject a forced tool (the fake's keyword answer)", async () => {
    const claude = classifier('claude-sonnet-5-5');
    expect(claude.model).toBe('claude-sonnet-5-5');
    const result = await claude.classify({
      pages: [{ page_number: 2, text: 'My resume, 2019-2026' }],
      rules,
    });
    expect(result).toMatchObject({ type: 'resume', usage: { model: 'claude-sonnet-5-5' } });
    const request = body();
    expect(request.tool_choice).toMatchObject({ type: 'auto' });
    expect(request.output_config).toEqual({ effort: 'low' });
    expect(request).not.toHaveProperty('thinking');
    expect(request.max_tokens).toBeGreaterThanOrEqual(4096);
  });

  it('refuses bad settings with a message that names them', () => {
    expect(() => createClaudeClassifier({ apiKey: '' })).toThrow(/ANTHROPIC_API_KEY/);
    expect(() => createClaudeClassifier({ apiKey: API_KEY, maxDocumentTokens: 10 })).toThrow(
      /maxDocumentTokens/,
    );
    expect(() => createClaudeClassifier({ apiKey: API_KEY, timeoutMs: 0 })).toThrow(/timeoutMs/);
    expect(() => createClaudeClassifier({ apiKey: API_KEY, baseURL: 'not a url' })).toThrow(/baseURL/);
  });

  it('rejects an empty rule list before calling Claude', async () => {
    await expect(classifier().classify({ pages: invoicePages, rules: [] })).rejects.toThrow(
      /at least 1 rule/,
    );
    expect(fake.requests).toHaveLength(0);
  });
});

describe('Claude classifier with a configuration’s examples', () => {
  const labelled = (id: string, type: string | null, text: string) => ({
    id,
    type,
    name: `${id}.pdf`,
    pages: [{ page_number: 1, text }],
  });
  const examples = [
    labelled('inv-a', 'invoice', 'Invoice 0042. Amount due 300 EUR. VAT 19%. Pay within 14 days.'),
    labelled('inv-b', 'invoice', 'Rechnung 0043, total due 120 EUR including VAT.'),
    labelled('inv-c', 'invoice', 'Invoice 0044, balance due 75 EUR.'),
    labelled(
      'con-a',
      'contract',
      'This agreement is made between the parties. Term and termination. Governing law.',
    ),
    labelled('neg-a', null, 'Banana bread recipe: bananas, flour, sugar; bake one hour.'),
    labelled('old-a', 'retired_type', 'Invoice 0045 total due 10 EUR.'),
  ];
  const exampleSet = { key: 'cfg-x:1', count: examples.length, load: async () => examples };

  it('puts a few of the nearest examples per type, with their type, before the document', async () => {
    fake.enqueue(fakeReply.classification('invoice', 0.9, 'Like the invoice examples.'));
    await classifier().classify({ pages: invoicePages, rules, examples: exampleSet });
    const text = userText(body());
    expect(text).toContain('<example type="invoice" file="inv-a.pdf">');
    expect(text).toContain('<example type="contract" file="con-a.pdf">');
    expect(text).toContain('<example type="none of the rules" file="neg-a.pdf">');
    // Two per type at most, none of a type the rules no longer have, and the document after them.
    expect(text.match(/<example type="invoice"/g)).toHaveLength(2);
    expect(text).not.toContain('old-a.pdf');
    expect(text.indexOf('</examples>')).toBeLessThan(text.indexOf('<document'));
    expect(systemText(body())?.text).toContain('<examples>');
  });

  it('keeps the examples within a quarter of the document budget', async () => {
    const long = Array.from({ length: 6 }, (_, i) =>
      labelled(`long-${i}`, 'invoice', `Invoice ${i}. ${'Line item 10 EUR. '.repeat(200)}`),
    );
    fake.enqueue(fakeReply.classification('invoice', 0.9, 'Invoice.'));
    await classifier(undefined, 2000).classify({
      pages: invoicePages,
      rules,
      examples: { key: 'cfg-y:1', count: long.length, load: async () => long },
    });
    const text = userText(body());
    const block = text.slice(text.indexOf('<examples>'), text.indexOf('</examples>') + 11);
    // One opening of about 370 tokens fits the 500 of a 2000-token budget; a second would not.
    expect(block.match(/<example type=/g)).toHaveLength(1);
    expect(estimateTokens(block)).toBeLessThanOrEqual(500);
  });

  it('sends no example block for a job without examples', async () => {
    fake.enqueue(fakeReply.classification('invoice', 0.9, 'Invoice.'));
    await classifier().classify({ pages: invoicePages, rules });
    expect(userText(body())).not.toContain('<examples>');
  });
});
