import { spawn } from 'node:child_process';
import { once } from 'node:events';
import LlamaCloud from '@llamaindex/llama-cloud';

export const PROJECT_A = '11111111-1111-4111-8111-111111111111';
export const PROJECT_B = '22222222-2222-4222-8222-222222222222';
export const API_KEYS = `key-a:${PROJECT_A}:user-a,key-b:${PROJECT_B}:user-b`;

/** The official SDK, unmodified, pointed at the stack. Retries off so that tests see each answer. */
export function sdk(baseURL: string, apiKey: string, maxRetries = 0): LlamaCloud {
  return new LlamaCloud({ apiKey, baseURL, maxRetries, timeout: 30_000 });
}

/** Fast polling for tests; the SDK's defaults poll every 1-5 s. */
export const POLL = { pollingInterval: 0.1, maxInterval: 0.3, timeout: 45 };

export async function statusError(promise: Promise<unknown>): Promise<{ status: number; body: unknown }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { status?: number; error?: unknown };
    if (typeof e.status === 'number') return { status: e.status, body: e.error };
    throw error;
  }
  throw new Error('expected the request to fail');
}

/**
 * DELETE /api/v2/classify/{id}: documented by LlamaCloud, but the TypeScript SDK (2.16)
 * has no method for it, so tests call it as a user of the REST API would.
 */
export async function deleteJob(baseUrl: string, apiKey: string, id: string): Promise<unknown> {
  const response = await fetch(`${baseUrl}/api/v2/classify/${id}`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${apiKey}` },
  });
  const body = await response.json();
  if (!response.ok)
    throw Object.assign(new Error(`HTTP ${response.status}`), { status: response.status, error: body });
  return body;
}

/** Runs a Node script until it exits: its exit code and everything it printed, both streams. */
export async function runToExit(
  script: string,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => {
    output += d;
  });
  child.stderr.on('data', (d) => {
    output += d;
  });
  // 'close', not 'exit': it comes once the output streams are read to the end.
  const [code] = await once(child, 'close');
  return { code, output };
}
