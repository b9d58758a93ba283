import type { Example, ExampleStatus } from '@classifyd/shared';
import type LlamaCloud from '@llamaindex/llama-cloud';
import { PaginatedCursor } from '@llamaindex/llama-cloud/core/pagination';

export type { Example } from '@classifyd/shared';

export interface ExampleFilter {
  /** null: the negative examples only. */
  type?: string | null;
  status?: ExampleStatus;
}

/*
 * The SDK has no methods for these routes, so they go through its generic request methods:
 * the same base URL, API key, retries and error classes as every other call the CLI makes,
 * so describeError and the service-failure exit code treat them alike.
 */
const examplesPath = (configurationId: string) =>
  `/api/v1/beta/configurations/${encodeURIComponent(configurationId)}/examples`;

export function createExample(
  client: LlamaCloud,
  configurationId: string,
  body: { file_input: string; type: string | null },
): Promise<Example> {
  return client.post<Example>(examplesPath(configurationId), { body });
}

export function getExample(client: LlamaCloud, configurationId: string, id: string): Promise<Example> {
  return client.get<Example>(`${examplesPath(configurationId)}/${encodeURIComponent(id)}`);
}

export async function deleteExample(client: LlamaCloud, configurationId: string, id: string): Promise<void> {
  await client.delete(`${examplesPath(configurationId)}/${encodeURIComponent(id)}`);
}

/** Every example of the configuration that passes the filter, following the pages. */
export async function listExamples(
  client: LlamaCloud,
  configurationId: string,
  filter: ExampleFilter = {},
): Promise<Example[]> {
  const examples: Example[] = [];
  const pages = client.getAPIList<Example, PaginatedCursor<Example>>(
    examplesPath(configurationId),
    PaginatedCursor<Example>,
    {
      query: {
        page_size: 100,
        // The service reads an empty type= as "the negative examples".
        ...(filter.type !== undefined ? { type: filter.type ?? '' } : {}),
        ...(filter.status !== undefined ? { status: filter.status } : {}),
      },
    },
  );
  for await (const example of pages) examples.push(example);
  return examples;
}
