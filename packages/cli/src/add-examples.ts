import type LlamaCloud from '@llamaindex/llama-cloud';
import { uploadFile } from './classify-document.js';
import { describeError, isServiceFailure } from './client.js';
import { mapConcurrent } from './concurrent.js';
import type { LabelledFile } from './example-folder.js';
import { createExample, type Example, getExample, listExamples } from './examples-api.js';

/**
 * READY or FAILED as the service says; TIMEOUT when it was still PENDING at the deadline;
 * ERROR when the file never became an example (unreadable, upload or example refused).
 */
export type ExampleOutcome = 'READY' | 'FAILED' | 'TIMEOUT' | 'ERROR';

export interface ExampleResult {
  path: string;
  type: string | null;
  status: ExampleOutcome;
  example_id: string | null;
  file_id: string | null;
  error_message: string | null;
  /** The service, not the file, was the problem (unreachable, key refused). */
  service_error?: boolean;
}

export interface AddSettings {
  concurrency: number;
  /** For the whole batch: uploads, creates and the wait for READY or FAILED. */
  timeoutMs: number;
  pollMs?: { min: number; max: number };
  /** Called as each file is posted (or refused), then as examples finish. */
  onProgress?: (stage: 'sent' | 'finished', done: number, total: number) => void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Upload each file (unless it has a file id already), post it as an example of the configuration, then wait until every
 * example is READY or FAILED. Never throws: each file ends as a result row, in input order.
 * A label the configuration has no rule for is refused by the service (4xx naming `type`):
 * that file's row says so and the others go on.
 */
export async function addExamples(
  client: LlamaCloud,
  configurationId: string,
  files: LabelledFile[],
  settings: AddSettings,
): Promise<ExampleResult[]> {
  const deadline = performance.now() + settings.timeoutMs;
  const results = await mapConcurrent(
    files,
    settings.concurrency,
    async (file): Promise<ExampleResult> => {
      const result: ExampleResult = {
        path: file.name,
        type: file.type,
        status: 'ERROR',
        example_id: null,
        file_id: null,
        error_message: null,
      };
      try {
        result.file_id = file.fileId ?? (await uploadFile(client, file.path)).id;
        settle(
          result,
          await createExample(client, configurationId, { file_input: result.file_id, type: file.type }),
        );
      } catch (error) {
        result.error_message = describeError(error);
        if (isServiceFailure(error)) result.service_error = true;
      }
      return result;
    },
    (_result, done, total) => settings.onProgress?.('sent', done, total),
  );
  await waitUntilSettled(client, configurationId, results, deadline, settings);
  return results;
}

function settle(result: ExampleResult, example: Example): void {
  result.example_id = example.id;
  result.status = example.status === 'PENDING' ? 'TIMEOUT' : example.status;
  result.error_message = example.status === 'FAILED' ? (example.error_message ?? 'failed') : null;
}

/**
 * One list call per round finds the examples still PENDING; the ones that left it are read
 * once each for their final status. Results still pending at the deadline stay TIMEOUT.
 */
async function waitUntilSettled(
  client: LlamaCloud,
  configurationId: string,
  results: ExampleResult[],
  deadline: number,
  settings: AddSettings,
): Promise<void> {
  const pending = () => results.filter((r) => r.status === 'TIMEOUT' && r.example_id !== null);
  const total = results.length;
  const report = () => settings.onProgress?.('finished', total - pending().length, total);
  const { min, max } = settings.pollMs ?? { min: 200, max: 2000 };
  let interval = min;
  report();
  while (pending().length > 0) {
    if (performance.now() + interval > deadline) {
      for (const r of pending())
        r.error_message = `still PENDING after ${Math.round(settings.timeoutMs / 1000)} s`;
      return;
    }
    await sleep(interval);
    interval = Math.min(max, Math.round(interval * 1.5));
    try {
      const listed = new Map(
        (await listExamples(client, configurationId, { status: 'PENDING' })).map((e) => [e.id, e]),
      );
      const left = pending().filter((r) => listed.get(r.example_id as string)?.status !== 'PENDING');
      await mapConcurrent(left, settings.concurrency, async (r) =>
        settle(r, await getExample(client, configurationId, r.example_id as string)),
      );
    } catch (error) {
      // The examples exist and may still finish; only a lost service ends the wait early.
      if (!isServiceFailure(error)) continue;
      for (const r of pending()) {
        r.error_message = describeError(error);
        r.service_error = true;
      }
      return;
    }
    report();
  }
}
