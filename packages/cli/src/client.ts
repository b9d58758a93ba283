import LlamaCloud, { APIConnectionError, APIError } from '@llamaindex/llama-cloud';

export interface ServiceAddress {
  baseUrl: string;
  apiKey: string;
}

/** The official SDK, unmodified; its own logging is off because every error lands in a result row. */
export function createClient({ baseUrl, apiKey }: ServiceAddress): LlamaCloud {
  return new LlamaCloud({ apiKey, baseURL: baseUrl, maxRetries: 2, timeout: 120_000, logLevel: 'off' });
}

/** True when the failure is the service's (unreachable, key refused), not the document's. */
export function isServiceFailure(error: unknown): boolean {
  return (
    error instanceof APIConnectionError ||
    (error instanceof APIError && [401, 403].includes(error.status ?? 0))
  );
}

/** A one-line message a person can act on, from an SDK or file-system error. */
export function describeError(error: unknown): string {
  if (error instanceof APIConnectionError) {
    const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
    return `cannot reach the service: ${error.message}${cause}; is classifyd running at that --base-url?`;
  }
  if (error instanceof APIError) {
    const detail = (error.error as { detail?: unknown } | undefined)?.detail;
    const text =
      typeof detail === 'string'
        ? detail
        : Array.isArray(detail)
          ? detail
              .map((d: { loc?: unknown[]; msg?: string }) => `${(d.loc ?? []).join('.')}: ${d.msg ?? ''}`)
              .join('; ')
          : error.message;
    if (error.status === 401) return `the service refused the API key (401): ${text}`;
    if (error.status === 403) return `the API key may not do this (403): ${text}`;
    return `HTTP ${error.status}: ${text}`;
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * One cheap authenticated call before any upload, so that a wrong URL or key is one clear
 * message and exit code 3 rather than a failed row per document.
 */
export async function checkService(client: LlamaCloud): Promise<void> {
  await client.classify.list({ page_size: 1 }, { maxRetries: 1, timeout: 15_000 });
}
