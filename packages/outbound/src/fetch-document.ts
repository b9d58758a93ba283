import { assertPublicUrl, OutboundError } from './url-guard.js';

export interface FetchLimits {
  maxBytes: number;
  timeoutMs: number;
  maxRedirects: number;
  allowPrivate: boolean;
}

/** Fetches a document by URL with limits on size, time and redirects, checking every hop's address. */
export async function fetchDocument(source: string, limits: FetchLimits): Promise<Uint8Array> {
  let url = new URL(source);
  for (let hop = 0; hop <= limits.maxRedirects; hop++) {
    await assertPublicUrl(url, limits.allowPrivate);
    let response: Response;
    try {
      response = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(limits.timeoutMs) });
    } catch (error) {
      throw new OutboundError(`Fetching the document URL failed: ${(error as Error).message}`, false);
    }
    if (response.status >= 300 && response.status < 400 && response.headers.get('location')) {
      url = new URL(response.headers.get('location') as string, url);
      continue;
    }
    if (!response.ok) {
      const message = `The document URL answered HTTP ${response.status}`;
      throw new OutboundError(message, !(response.status >= 500 || response.status === 429));
    }
    const declared = Number(response.headers.get('content-length'));
    if (Number.isFinite(declared) && declared > limits.maxBytes) {
      throw new OutboundError(`The document at the URL is larger than ${limits.maxBytes} bytes`, true);
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of response.body ?? []) {
      size += chunk.length;
      if (size > limits.maxBytes)
        throw new OutboundError(`The document at the URL is larger than ${limits.maxBytes} bytes`, true);
      chunks.push(chunk);
    }
    return Buffer.concat(chunks);
  }
  throw new OutboundError(`The document URL redirected more than ${limits.maxRedirects} times`, true);
}
