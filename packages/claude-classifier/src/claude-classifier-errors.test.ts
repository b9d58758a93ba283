import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createClaudeClassifier } from './claude-classifier.js';
import {
  ClassifierPermanentError,
  ClassifierRateLimitedError,
  ClassifierTransientError,
  type PermanentReason,
} from './errors.js';
import { DEFAULT_OVERLOADED_RETRY_MS, DEFAULT_RATE_LIMIT_RETRY_MS } from './map-api-error.js';
import { INVOICE_INPUT as input } from './test-fixtures.js';
import { type FakeMessagesServer, fakeReply, startFakeMessagesServer } from './test-support/index.js';

const API_KEY = 'sk-ant-secret-key-42';

let fake: FakeMessagesServer;
beforeAll(async () => {
  fake = await startFakeMessagesServer({ apiKey: API_KEY });
});
afterEach(() => fake.reset());
afterAll(() => fake.close());

const classifier = (options: { apiKey?: string; timeoutMs?: number; baseURL?: string } = {}) =>
  createClaudeClassifier({ apiKey: API_KEY, baseURL: fake.url, timeoutMs: 5000, ...options });
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

describe('rate limits and overload', () => {
  it.each([
    ['retry-after seconds', fakeReply.rateLimited({ seconds: 7 }), 7000],
    ['retry-after-ms', fakeReply.rateLimited({ ms: 1500 }), 1500],
    ['no header: the default', fakeReply.rateLimited(), DEFAULT_RATE_LIMIT_RETRY_MS],
  ])('a 429 with %s becomes ClassifierRateLimitedError, with no retry by the SDK', async (_, reply, wait) => {
    fake.enqueue(reply);
    const error = await failure(classifier().classify(input));
    expect(error).toBeInstanceOf(ClassifierRateLimitedError);
    expect(error).toMatchObject({ retryAfterMs: wait, reason: 'rate_limited', status: 429 });
    expect((error as Error).message).toMatch(/rate limit/);
    expect(fake.requests).toHaveLength(1);
  });

  it('a 429 storm costs one request per classification, and the next one after it succeeds', async () => {
    fake.enqueue(...Array.from({ length: 4 }, () => fakeReply.rateLimited({ seconds: 2 })));
    const claude = classifier();
    for (let attempt = 0; attempt < 4; attempt++) {
      await expect(claude.classify(input)).rejects.toMatchObject({ retryAfterMs: 2000 });
    }
    expect(fake.requests).toHaveLength(4);
    await expect(claude.classify(input)).resolves.toMatchObject({ type: 'invoice' });
    expect(fake.requests.every((request) => request.headers['x-stainless-retry-count'] === '0')).toBe(true);
  });

  it.each([
    ['with retry-after', fakeReply.overloaded(3), 3000],
    ['without', fakeReply.overloaded(), DEFAULT_OVERLOADED_RETRY_MS],
  ])('529 overloaded %s is a rate limit too', async (_, reply, wait) => {
    fake.enqueue(reply);
    const error = await failure(classifier().classify(input));
    expect(error).toBeInstanceOf(ClassifierRateLimitedError);
    expect(error).toMatchObject({ retryAfterMs: wait, reason: 'overloaded', status: 529 });
    expect(fake.requests).toHaveLength(1);
  });
});

describe('permanent errors', () => {
  it.each<[number, string, string, PermanentReason, RegExp]>([
    [
      400,
      'invalid_request_error',
      'tool_choice: forced tool use is not supported',
      'invalid_request',
      /rejected/,
    ],
    [403, 'permission_error', 'Not allowed', 'permission', /may not use model "claude-haiku-5-5"/],
    [404, 'not_found_error', 'model: claude-haiku-5-5', 'not_found', /ANTHROPIC_MODEL/],
  ])(
    '%i %s becomes ClassifierPermanentError with an actionable message',
    async (status, type, message, reason, advice) => {
      fake.enqueue(fakeReply.error(status, type, message));
      const error = await failure(classifier().classify(input));
      expect(error).toBeInstanceOf(ClassifierPermanentError);
      expect(error).toMatchObject({ status, reason });
      expect((error as Error).message).toMatch(advice);
      expect((error as Error).message).toContain(message);
      expect(fake.requests).toHaveLength(1);
    },
  );

  it('401 for a wrong key says to check ANTHROPIC_API_KEY and never shows the key', async () => {
    const wrongKey = 'sk-ant-wrong-key-9999';
    const error = await failure(classifier({ apiKey: wrongKey }).classify(input));
    expect(error).toBeInstanceOf(ClassifierPermanentError);
    expect(error).toMatchObject({ status: 401, reason: 'authentication' });
    expect((error as Error).message).toMatch(/check ANTHROPIC_API_KEY/);
    expect(JSON.stringify(error)).not.toContain(wrongKey);
    expect(String(error)).not.toContain(wrongKey);
  });

  it('redacts the key even when the server echoes it back', async () => {
    fake.enqueue(fakeReply.error(401, 'authentication_error', `invalid x-api-key: ${API_KEY}`));
    const error = await failure(classifier().classify(input));
    expect((error as Error).message).toContain('[redacted]');
    expect((error as Error).message).not.toContain(API_KEY);
    expect((error as Error).cause).toBeUndefined();
  });
});

describe('transient errors', () => {
  it('a 500 is a plain transient error with its status and request id', async () => {
    fake.enqueue(fakeReply.error(500, 'api_error', 'Internal server error'));
    const error = await failure(classifier().classify(input));
    expect(error).toBeInstanceOf(ClassifierTransientError);
    expect(error).not.toBeInstanceOf(ClassifierPermanentError);
    expect(error).toMatchObject({ status: 500, requestId: expect.stringMatching(/^req_fake_/) });
    expect(fake.requests).toHaveLength(1);
  });

  it('a response slower than timeoutMs is a transient timeout, not retried', async () => {
    fake.enqueue(fakeReply.slow(3000));
    const error = await failure(classifier({ timeoutMs: 200 }).classify(input));
    expect(error).toBeInstanceOf(ClassifierTransientError);
    expect((error as Error).message).toMatch(/did not answer within 200 ms/);
    expect(fake.requests).toHaveLength(1);
  });

  it('an unreachable API is a transient connection error naming the base URL', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await failure(classifier({ baseURL: url }).classify(input));
    expect(error).toBeInstanceOf(ClassifierTransientError);
    expect((error as Error).message).toContain(`Could not reach the Anthropic API at ${url}`);
  });
});

describe('cancellation', () => {
  it("the caller's AbortSignal cancels the request in flight and rejects with its reason", async () => {
    fake.enqueue(fakeReply.slow(3000));
    const controller = new AbortController();
    const pending = failure(classifier().classify(input, controller.signal));
    while (fake.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const reason = new Error('job cancelled');
    controller.abort(reason);
    expect(await pending).toBe(reason);
  });

  it('an already aborted signal sends nothing', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await failure(classifier().classify(input, controller.signal));
    expect((error as Error).name).toBe('AbortError');
    expect(fake.requests).toHaveLength(0);
  });
});
