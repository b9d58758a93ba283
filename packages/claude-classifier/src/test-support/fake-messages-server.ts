import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages';
import { type FakeReply, type FakeUsage, keywordAnswer } from './fake-replies.js';

/** A request body as the SDK sent it (parsed JSON; not validated). */
export type RecordedBody = MessageCreateParamsNonStreaming;

/** One request the fake received, for asserting on what the classifier sent. */
export interface RecordedRequest {
  method: string;
  path: string;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  /** The parsed JSON body (undefined when it was not JSON). */
  body: RecordedBody | undefined;
}

export interface FakeMessagesServerOptions {
  /** When set, any other key gets a 401 authentication_error, as the real API does. */
  apiKey?: string;
  /** Answer for requests when nothing is queued; defaults to `fakeReply.keyword()`. */
  fallback?: FakeReply | ((request: RecordedRequest) => FakeReply);
}

export interface FakeMessagesServer {
  /** Base URL to hand to the SDK (`baseURL`) or a worker (`ANTHROPIC_BASE_URL`). */
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Queue answers for the next requests, in order; after them the fallback answers. */
  enqueue(...replies: FakeReply[]): void;
  setFallback(fallback: FakeReply | ((request: RecordedRequest) => FakeReply)): void;
  /** Forget queued answers, recorded requests and the prompt cache. */
  reset(): void;
  close(): Promise<void>;
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  if (res.destroyed || res.writableEnded) return;
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

const estimate = (value: unknown) => Math.ceil(JSON.stringify(value ?? '').length / 4);

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function keyOf(headers: Record<string, string>): string | undefined {
  const bearer = headers.authorization?.match(/^Bearer\s+(.+)$/i)?.[1];
  return bearer ?? headers['x-api-key'];
}

/** The system blocks up to and including the last cache_control breakpoint: what the API would cache. */
function cachedPrefix(body: RecordedBody | undefined): string | undefined {
  const system = Array.isArray(body?.system) ? body.system : [];
  const last = system.findLastIndex((block) => block?.cache_control?.type === 'ephemeral');
  return last < 0 ? undefined : JSON.stringify([body?.tools, system.slice(0, last + 1)]);
}

/**
 * A local stand-in for the Anthropic Messages API (`POST /v1/messages`) on 127.0.0.1 and a random port.
 * Tests script its answers; it records every request. It imitates prompt caching well enough for usage
 * figures to move: the first request with a given cached prefix reports cache creation, later ones reads.
 */
export async function startFakeMessagesServer(
  options: FakeMessagesServerOptions = {},
): Promise<FakeMessagesServer> {
  const requests: RecordedRequest[] = [];
  const queue: FakeReply[] = [];
  const cache = new Set<string>();
  const timers = new Set<NodeJS.Timeout>();
  let fallback = options.fallback ?? ({ kind: 'keyword' } as FakeReply);
  let counter = 0;

  function usageFor(body: RecordedBody | undefined, given: FakeUsage | undefined, output: unknown) {
    const prefix = cachedPrefix(body);
    const prefixTokens = prefix ? estimate(prefix) : 0;
    const hit = prefix !== undefined && cache.has(prefix);
    if (prefix) cache.add(prefix);
    return {
      input_tokens: given?.input_tokens ?? estimate(body?.messages) + (prefix ? 0 : estimate(body?.system)),
      output_tokens: given?.output_tokens ?? estimate(output),
      cache_creation_input_tokens: given?.cache_creation_input_tokens ?? (hit ? 0 : prefixTokens),
      cache_read_input_tokens: given?.cache_read_input_tokens ?? (hit ? prefixTokens : 0),
      cache_creation: null,
      inference_geo: null,
      output_tokens_details: null,
      server_tool_use: null,
      service_tier: 'standard',
      speed: null,
    };
  }

  function answer(res: ServerResponse, request: RecordedRequest, reply: FakeReply): void {
    const id = `msg_fake_${++counter}`;
    const headers = { 'request-id': `req_fake_${counter}` };
    if (reply.kind === 'keyword') {
      answer(res, request, keywordAnswer(request.body));
      return;
    }
    if (reply.kind === 'slow') {
      const timer = setTimeout(() => {
        timers.delete(timer);
        answer(res, request, reply.then);
      }, reply.delayMs);
      timers.add(timer);
      res.on('close', () => {
        clearTimeout(timer);
        timers.delete(timer);
      });
      return;
    }
    if (reply.kind === 'error') {
      const body = {
        type: 'error',
        error: { type: reply.errorType, message: reply.message },
        request_id: id,
      };
      json(res, reply.status, body, { ...headers, ...reply.headers });
      return;
    }
    const content =
      reply.kind === 'tool'
        ? [
            {
              type: 'tool_use',
              id: `toolu_fake_${counter}`,
              name: reply.toolName ?? 'record_classification',
              input: reply.input,
            },
          ]
        : reply.text
          ? [{ type: 'text', text: reply.text, citations: null }]
          : [];
    json(
      res,
      200,
      {
        id,
        type: 'message',
        role: 'assistant',
        model: request.body?.model ?? 'unknown',
        content,
        stop_reason: reply.kind === 'tool' ? 'tool_use' : reply.stopReason,
        stop_sequence: null,
        container: null,
        usage: usageFor(request.body, reply.usage, content),
      },
      headers,
    );
  }

  function reject(
    res: ServerResponse,
    request: RecordedRequest,
    status: number,
    errorType: string,
    message: string,
  ) {
    answer(res, request, { kind: 'error', status, errorType, message });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const headers = Object.fromEntries(
      Object.entries(req.headers).map(([name, value]) => [
        name,
        Array.isArray(value) ? value.join(', ') : (value ?? ''),
      ]),
    );
    let body: RecordedBody | undefined;
    try {
      body = raw ? (JSON.parse(raw) as RecordedBody) : undefined;
    } catch {
      body = undefined;
    }
    const request: RecordedRequest = { method: req.method ?? '', path: req.url ?? '', headers, body };
    requests.push(request);
    const path = request.path.split('?')[0];
    if (request.method !== 'POST' || path !== '/v1/messages') {
      reject(res, request, 404, 'not_found_error', 'Not found');
    } else if (options.apiKey !== undefined && keyOf(headers) !== options.apiKey) {
      reject(res, request, 401, 'authentication_error', 'invalid x-api-key');
    } else if (body === undefined) {
      reject(res, request, 400, 'invalid_request_error', 'The request body is not valid JSON.');
    } else {
      answer(res, request, queue.shift() ?? (typeof fallback === 'function' ? fallback(request) : fallback));
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() =>
      json(res, 500, { type: 'error', error: { type: 'api_error', message: 'fake failed' } }),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    enqueue: (...replies) => {
      queue.push(...replies);
    },
    setFallback: (next) => {
      fallback = next;
    },
    reset: () => {
      queue.length = 0;
      requests.length = 0;
      cache.clear();
    },
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
