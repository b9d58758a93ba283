import type { IncomingMessage } from 'node:http';
import { guardedRequest } from './guarded-request.js';
import { assertPublicUrl, OutboundError } from './url-guard.js';

export interface FetchLimits {
  maxBytes: number;
  timeoutMs: number;
  maxRedirects: number;
  allowPrivate: boolean;
}

/** Types that can never be a document classifyd reads; anything else is left to content detection. */
const REFUSED_TYPES =
  /^(audio|video|font|model)\/|^application\/(javascript|json|x-msdownload|x-executable|wasm)\b/i;

/**
 * Fetches a document by URL with limits on size, time (the whole exchange, body included),
 * redirects and content type, checking every hop's address when the socket connects.
 */
export async function fetchDocument(source: string, limits: FetchLimits): Promise<Uint8Array> {
  const signal = AbortSignal.timeout(limits.timeoutMs);
  try {
    return await follow(new URL(source), limits, signal);
  } catch (error) {
    if (error instanceof OutboundError) throw error;
    if (signal.aborted) {
      throw new OutboundError(`Fetching the document URL took longer than ${limits.timeoutMs} ms`, false);
    }
    throw new OutboundError(`Fetching the document URL failed: ${(error as Error).message}`, false);
  }
}

async function follow(start: URL, limits: FetchLimits, signal: AbortSignal): Promise<Uint8Array> {
  let url = start;
  for (let hop = 0; hop <= limits.maxRedirects; hop++) {
    await assertPublicUrl(url, limits.allowPrivate);
    const response = await guardedRequest(url, { method: 'GET', allowPrivate: limits.allowPrivate, signal });
    const status = response.statusCode ?? 0;
    const location = response.headers.location;
    if (status >= 300 && status < 400 && location) {
      response.resume();
      url = new URL(location, url);
      continue;
    }
    if (status < 200 || status >= 300) {
      response.resume();
      throw new OutboundError(`The document URL answered HTTP ${status}`, !(status >= 500 || status === 429));
    }
    const type = response.headers['content-type'] ?? '';
    if (REFUSED_TYPES.test(type)) {
      response.destroy();
      throw new OutboundError(`The document URL serves ${type.split(';')[0]}, which is not a document`, true);
    }
    return readBody(response, limits.maxBytes);
  }
  throw new OutboundError(`The document URL redirected more than ${limits.maxRedirects} times`, true);
}

async function readBody(response: IncomingMessage, maxBytes: number): Promise<Uint8Array> {
  const tooLarge = () => new OutboundError(`The document at the URL is larger than ${maxBytes} bytes`, true);
  const declared = Number(response.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    response.destroy();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      response.destroy();
      throw tooLarge();
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
