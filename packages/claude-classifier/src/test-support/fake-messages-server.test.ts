import { describe, expect, it } from 'vitest';
import { startFakeMessagesServer } from './fake-messages-server.js';
import { fakeReply, keywordAnswer } from './fake-replies.js';

const request = (documentText: string, types: (string | null)[]) =>
  ({
    model: 'claude-haiku-5-5',
    max_tokens: 100,
    tools: [
      {
        name: 'record_classification',
        input_schema: { type: 'object', properties: { type: { enum: types } } },
      },
    ],
    messages: [
      {
        role: 'user',
        content: `Classify this document.\n<document pages="2">\n${documentText}\n</document>`,
      },
    ],
  }) as const;

describe('fake Messages API', () => {
  it('answers unknown routes with 404 and a non-JSON body with 400, recording both', async () => {
    const fake = await startFakeMessagesServer();
    try {
      const missing = await fetch(`${fake.url}/v1/complete`, { method: 'POST', body: '{}' });
      expect(missing.status).toBe(404);
      expect(await missing.json()).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
      const broken = await fetch(`${fake.url}/v1/messages`, { method: 'POST', body: '{oops' });
      expect(broken.status).toBe(400);
      expect(fake.requests.map((r) => r.path)).toEqual(['/v1/complete', '/v1/messages']);
    } finally {
      await fake.close();
    }
  });

  it('uses the fallback after the queue, and a function fallback sees the request', async () => {
    const fake = await startFakeMessagesServer({
      fallback: () => fakeReply.classification('b', 0.5, 'fallback'),
    });
    try {
      fake.enqueue(fakeReply.classification('a', 0.9, 'queued'));
      const post = () =>
        fetch(`${fake.url}/v1/messages`, {
          method: 'POST',
          body: JSON.stringify(request('x', ['a', 'b', null])),
        });
      const first = (await (await post()).json()) as { content: { input: { type: string } }[] };
      const second = (await (await post()).json()) as { content: { input: { type: string } }[] };
      expect(first.content[0]?.input.type).toBe('a');
      expect(second.content[0]?.input.type).toBe('b');
    } finally {
      await fake.close();
    }
  });

  it('closes promptly while a slow answer is still pending', async () => {
    const fake = await startFakeMessagesServer();
    fake.enqueue(fakeReply.slow(60_000));
    const pending = fetch(`${fake.url}/v1/messages`, {
      method: 'POST',
      body: JSON.stringify(request('x', [null])),
    });
    while (fake.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await fake.close();
    await expect(pending).rejects.toThrow();
  });
});

describe('keywordAnswer', () => {
  it('picks the first offered type named in the document, with the page it is on', () => {
    const body = request(
      '<page number="1">\nHello\n</page>\n<page number="2">\nEmployment Contract\n</page>',
      ['purchase_order', 'employment-contract', null],
    );
    expect(keywordAnswer(body)).toMatchObject({
      kind: 'tool',
      input: { type: 'employment-contract', reasoning: 'The document says "employment contract" on page 2.' },
    });
  });

  it('answers null when no type is named', () => {
    expect(keywordAnswer(request('<page number="1">\nHello\n</page>', ['invoice', null]))).toMatchObject({
      input: { type: null },
    });
  });
});
