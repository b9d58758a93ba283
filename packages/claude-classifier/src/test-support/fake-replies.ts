/** What the fake Messages API answers to one request. Build them with `fakeReply`. */
export type FakeReply =
  | { kind: 'tool'; input: unknown; toolName?: string; usage?: FakeUsage }
  | { kind: 'text'; text: string; stopReason: 'end_turn' | 'refusal' | 'max_tokens'; usage?: FakeUsage }
  | { kind: 'error'; status: number; errorType: string; message: string; headers?: Record<string, string> }
  | { kind: 'slow'; delayMs: number; then: FakeReply }
  | { kind: 'keyword' };

export interface FakeUsage {
  input_tokens?: number;
  output_tokens?: number;
  cache_read_input_tokens?: number;
  cache_creation_input_tokens?: number;
}

export const fakeReply = {
  /** A well-formed record_classification call. */
  classification(
    type: string | null,
    confidence = 0.9,
    reasoning = 'The heading names it.',
    usage?: FakeUsage,
  ) {
    return { kind: 'tool', input: { type, confidence, reasoning }, ...(usage ? { usage } : {}) } as FakeReply;
  },
  /** A record_classification call with any input at all (malformed answers, types outside the rules). */
  toolInput(input: unknown, toolName?: string): FakeReply {
    return { kind: 'tool', input, ...(toolName ? { toolName } : {}) };
  },
  /** A plain-text answer with no tool call. */
  text(text: string, stopReason: 'end_turn' | 'max_tokens' = 'end_turn'): FakeReply {
    return { kind: 'text', text, stopReason };
  },
  refusal(): FakeReply {
    return { kind: 'text', text: '', stopReason: 'refusal' };
  },
  error(status: number, errorType: string, message: string, headers?: Record<string, string>): FakeReply {
    return { kind: 'error', status, errorType, message, ...(headers ? { headers } : {}) };
  },
  /** 429 with `retry-after` (seconds) and/or `retry-after-ms`, or neither. */
  rateLimited(retry: { seconds?: number; ms?: number } = {}): FakeReply {
    const headers: Record<string, string> = {};
    if (retry.seconds !== undefined) headers['retry-after'] = String(retry.seconds);
    if (retry.ms !== undefined) headers['retry-after-ms'] = String(retry.ms);
    return fakeReply.error(
      429,
      'rate_limit_error',
      'Number of request tokens has exceeded your rate limit.',
      headers,
    );
  },
  overloaded(retryAfterSeconds?: number): FakeReply {
    const headers =
      retryAfterSeconds === undefined ? undefined : { 'retry-after': String(retryAfterSeconds) };
    return fakeReply.error(529, 'overloaded_error', 'Overloaded', headers);
  },
  /** Answers `then` after `delayMs` (or never, if the client gives up first). */
  slow(delayMs: number, then: FakeReply = fakeReply.keyword()): FakeReply {
    return { kind: 'slow', delayMs, then };
  },
  /**
   * The default: picks the first rule type whose name (with `_`/`-` read as spaces) occurs in the
   * document, or null when none does. Deterministic, so end-to-end tests can predict the result.
   */
  keyword(): FakeReply {
    return { kind: 'keyword' };
  },
};

/** The rule types a request offers (the tool's enum), without the null. */
export function offeredTypes(body: unknown): string[] {
  const tools = (body as { tools?: { input_schema?: { properties?: { type?: { enum?: unknown[] } } } }[] })
    .tools;
  const values = tools?.[0]?.input_schema?.properties?.type?.enum ?? [];
  return values.filter((value): value is string => typeof value === 'string');
}

/** The text of the first user message (the document turn). */
export function documentText(body: unknown): string {
  const messages = (body as { messages?: { role: string; content: unknown }[] }).messages ?? [];
  const first = messages.find((message) => message.role === 'user');
  if (!first) return '';
  if (typeof first.content === 'string') return first.content;
  if (!Array.isArray(first.content)) return '';
  return first.content
    .map((block: { type?: string; text?: string }) => (block.type === 'text' ? (block.text ?? '') : ''))
    .join('\n');
}

export function keywordAnswer(body: unknown): FakeReply {
  const text = documentText(body);
  const document = text.slice(text.indexOf('<document')).toLowerCase();
  for (const type of offeredTypes(body)) {
    const words = type.toLowerCase().replace(/[_-]+/g, ' ').trim();
    const at = document.indexOf(words);
    if (words && at >= 0) {
      const before = document.lastIndexOf('<page number="', at);
      const page = before >= 0 ? Number.parseInt(document.slice(before + 14), 10) : 1;
      return fakeReply.classification(type, 0.9, `The document says "${words}" on page ${page}.`);
    }
  }
  return fakeReply.classification(null, 0.6, 'No rule type is named in the document.');
}
