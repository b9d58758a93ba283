import { type AppName, type ServiceStack, startServiceStack } from '@classifyd/testkit';
import LlamaCloud, { toFile } from '@llamaindex/llama-cloud';

export const API_KEY = 'bench-key';
export const PROJECT_ID = '33333333-3333-4333-8333-333333333333';

/**
 * The apps log at info, their deployed default (testkit also sees a worker start by its
 * info line). BENCH_API_LOG_LEVEL=warn measures the API without its per-request log lines.
 */
export const API_LOG_LEVEL = process.env.BENCH_API_LOG_LEVEL ?? 'info';

/** The built apps as processes (testkit's startServiceStack), with one API key. */
export async function startBenchStack(
  redisUrl: string,
  label: string,
  workers: AppName[] = ['parse-worker', 'classify-worker'],
): Promise<ServiceStack> {
  const stack = await startServiceStack({
    redisUrl,
    label,
    env: { API_KEYS: `${API_KEY}:${PROJECT_ID}:bench-user`, LOG_LEVEL: API_LOG_LEVEL },
    workers: [],
  });
  try {
    for (const worker of workers) await stack.startApp(worker, { LOG_LEVEL: 'info' });
  } catch (error) {
    await stack.stop();
    throw error;
  }
  return stack;
}

/** The official SDK, unmodified; retries off so that a failure shows in the figures. */
export function sdk(baseURL: string): LlamaCloud {
  return new LlamaCloud({ apiKey: API_KEY, baseURL, maxRetries: 0, timeout: 60_000 });
}

export async function uploadText(client: LlamaCloud, text: string, name: string): Promise<string> {
  const file = await client.files.create({
    file: await toFile(Buffer.from(text), name),
    purpose: 'classify',
  });
  return file.id;
}

/**
 * The error with what lies under it (the SDK's "Connection error." wraps the socket error)
 * and the end of the API's log, so that a failed run says why.
 */
export function withApiLog(error: unknown, stack: ServiceStack): Error {
  const api = stack.apps.find((a) => a.name === 'api');
  const message = error instanceof Error ? error.message : String(error);
  const cause = error instanceof Error && error.cause !== undefined ? ` (cause: ${String(error.cause)})` : '';
  const state = api?.child.exitCode != null || api?.child.signalCode != null ? 'exited' : 'running';
  return new Error(
    `${message}${cause}; the API is ${state}, its log ends:\n${api?.output().slice(-2000) ?? ''}`,
  );
}
