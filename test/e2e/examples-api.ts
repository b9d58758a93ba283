import { expect } from 'vitest';

/**
 * The examples and correction routes, which the official SDK does not have, called as a
 * user of the REST API would: plain fetch beside the SDK.
 */
export interface Example {
  id: string;
  configuration_id: string;
  type: string | null;
  file_input: string;
  status: 'PENDING' | 'READY' | 'FAILED';
  error_message: string | null;
  created_at: string;
  updated_at: string;
}

export interface ExampleList {
  items: Example[];
  next_page_token: string | null;
  total_size: number | null;
}

export interface Answer<T = unknown> {
  status: number;
  body: T;
}

export type Detail = { detail: { loc: (string | number)[]; msg: string; type: string }[] };

export function examplesApi(baseUrl: string, apiKey: string) {
  async function call<T>(method: string, path: string, body?: unknown): Promise<Answer<T>> {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${apiKey}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
  }
  const base = (configurationId: string) => `/api/v1/beta/configurations/${configurationId}/examples`;
  const api = {
    call,
    add: (
      configurationId: string,
      body: { file_input: string; type: string | null } | Record<string, unknown>,
    ) => call<Example>('POST', base(configurationId), body),
    list: (configurationId: string, query = '') =>
      call<ExampleList>('GET', `${base(configurationId)}${query ? `?${query}` : ''}`),
    get: (configurationId: string, id: string) => call<Example>('GET', `${base(configurationId)}/${id}`),
    delete: (configurationId: string, id: string) => call<null>('DELETE', `${base(configurationId)}/${id}`),
    correct: (jobId: string, body: { type: string | null } | Record<string, unknown>) =>
      call<Record<string, unknown>>('POST', `/api/v2/classify/${jobId}/correction`, body),
    /** Adds an example and expects the 201. */
    async added(configurationId: string, fileInput: string, type: string | null): Promise<Example> {
      const answer = await api.add(configurationId, { file_input: fileInput, type });
      expect(answer.status, JSON.stringify(answer.body)).toBe(201);
      return answer.body;
    },
    /** The example once it has left PENDING. */
    async settled(configurationId: string, id: string, timeout = 45_000): Promise<Example> {
      await expect
        .poll(async () => (await api.get(configurationId, id)).body.status, { timeout, interval: 100 })
        .not.toBe('PENDING');
      return (await api.get(configurationId, id)).body;
    },
  };
  return api;
}
