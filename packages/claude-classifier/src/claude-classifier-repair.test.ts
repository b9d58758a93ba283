import type { MessageParam, ToolResultBlockParam } from '@anthropic-ai/sdk/resources/messages';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createClaudeClassifier } from './claude-classifier.js';
import {
  ClassifierInvalidOutputError,
  ClassifierPermanentError,
  ClassifierRefusalError,
  ClassifierTransientError,
} from './errors.js';
import { INVOICE_INPUT as input } from './test-fixtures.js';
import { type FakeMessagesServer, fakeReply, startFakeMessagesServer } from './test-support/index.js';

let fake: FakeMessagesServer;
beforeAll(async () => {
  fake = await startFakeMessagesServer();
});
afterEach(() => fake.reset());
afterAll(() => fake.close());

const classifier = () =>
  createClaudeClassifier({ apiKey: 'sk-ant-test', baseURL: fake.url, timeoutMs: 5000 });
const messagesOf = (index: number) => (fake.requests[index]?.body?.messages ?? []) as MessageParam[];
const toolResultOf = (index: number) => {
  const last = messagesOf(index).at(-1)?.content;
  return (Array.isArray(last) ? last[0] : undefined) as ToolResultBlockParam | undefined;
};

describe('one bounded repair turn', () => {
  it('repairs malformed tool input: the error goes back as a tool_result and the fixed answer wins', async () => {
    fake.enqueue(
      fakeReply.toolInput({ type: 'invoice', confidence: 'high', reasoning: 'Total due.' }),
      fakeReply.classification('invoice', 0.9, 'Says "Invoice 7".', { input_tokens: 100, output_tokens: 10 }),
    );
    const result = await classifier().classify(input);
    expect(result).toMatchObject({ type: 'invoice', confidence: 0.9, reasoning: 'Says "Invoice 7".' });
    expect(fake.requests).toHaveLength(2);
    const repair = messagesOf(1);
    expect(repair.map((message) => message.role)).toEqual(['user', 'assistant', 'user']);
    expect(repair[1]?.content).toEqual([
      expect.objectContaining({ type: 'tool_use', name: 'record_classification' }),
    ]);
    const toolResult = toolResultOf(1);
    expect(toolResult).toMatchObject({ type: 'tool_result', is_error: true });
    expect(toolResult?.content).toMatch(/confidence/);
    // Usage covers both calls.
    expect(result.usage?.input_tokens).toBeGreaterThan(100);
  });

  it('repairs a type outside the rules and never returns it', async () => {
    fake.enqueue(
      fakeReply.toolInput({ type: 'receipt', confidence: 0.9, reasoning: 'Looks like a receipt.' }),
      fakeReply.classification('invoice', 0.7, 'Says "Invoice 7".'),
    );
    const result = await classifier().classify(input);
    expect(result.type).toBe('invoice');
    expect(toolResultOf(1)?.content).toMatch(/"receipt" is not one of the rule types/);
  });

  it('fails with a transient error when the repaired answer is still outside the rules', async () => {
    fake.enqueue(
      fakeReply.toolInput({ type: 'receipt', confidence: 0.9, reasoning: 'x' }),
      fakeReply.toolInput({ type: 'receipt', confidence: 0.9, reasoning: 'x' }),
    );
    const error = await classifier()
      .classify(input)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClassifierInvalidOutputError);
    expect(error).toBeInstanceOf(ClassifierTransientError);
    expect((error as Error).message).toMatch(/no usable classification after one repair turn/);
    expect(fake.requests).toHaveLength(2);
  });

  it('fails the same way when the input stays malformed', async () => {
    fake.enqueue(fakeReply.toolInput({ confidence: 2 }), fakeReply.toolInput('invoice'));
    await expect(classifier().classify(input)).rejects.toBeInstanceOf(ClassifierInvalidOutputError);
    expect(fake.requests).toHaveLength(2);
  });

  it('reminds Claude to call the tool when it answered in prose', async () => {
    fake.enqueue(
      fakeReply.text('This is an invoice.'),
      fakeReply.classification('invoice', 0.8, 'Invoice 7.'),
    );
    const result = await classifier().classify(input);
    expect(result.type).toBe('invoice');
    const reminder = messagesOf(1).at(-1)?.content;
    expect(JSON.stringify(reminder)).toMatch(/calling the record_classification tool/);
  });

  it('answers every other tool call before the reminder', async () => {
    fake.enqueue(
      fakeReply.toolInput({ query: 'x' }, 'web_search'),
      fakeReply.classification('contract', 0.6, 'Terms.'),
    );
    expect((await classifier().classify(input)).type).toBe('contract');
    expect(toolResultOf(1)).toMatchObject({
      type: 'tool_result',
      is_error: true,
      content: expect.stringMatching(/web_search/),
    });
  });
});

describe('refusals', () => {
  it('are permanent, named as refusals, and not retried', async () => {
    fake.enqueue(fakeReply.refusal());
    const error = await classifier()
      .classify(input)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClassifierRefusalError);
    expect(error).toBeInstanceOf(ClassifierPermanentError);
    expect(error).toMatchObject({ reason: 'refused' });
    expect((error as Error).message).toMatch(/declined to classify/);
    expect(fake.requests).toHaveLength(1);
  });

  it('during the repair turn are permanent too', async () => {
    fake.enqueue(fakeReply.text('Hmm.'), fakeReply.refusal());
    await expect(classifier().classify(input)).rejects.toBeInstanceOf(ClassifierRefusalError);
  });
});
