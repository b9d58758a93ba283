import type { ExampleStatus } from '@classifyd/shared';
import type { ExampleStore, JobStore, StoredExample } from '@classifyd/store';

export interface ExampleSettlementDeps {
  jobs: JobStore;
  examples: ExampleStore;
}

/**
 * Moves a PENDING example on once its parse job has ended: the parsed text is kept and the
 * example is READY, or it is FAILED saying why; while the parse runs it stays PENDING. The
 * API (for a parse that has already ended) and the example worker both decide here.
 * Returns the example's status afterwards, or 'gone' when it was deleted meanwhile.
 */
export async function settleExample(
  deps: ExampleSettlementDeps,
  example: StoredExample,
): Promise<ExampleStatus | 'gone'> {
  if (example.status !== 'PENDING') return example.status;
  // A false write means someone else settled or deleted it first: report what it is now.
  const current = async (written: boolean, target: ExampleStatus) =>
    written
      ? target
      : ((await deps.examples.getAnyConfiguration(example.projectId, example.id))?.status ?? 'gone');
  const fail = async (message: string) => current(await deps.examples.markFailed(example, message), 'FAILED');

  const parse = await deps.jobs.getParseJob(example.projectId, example.parseJobId);
  if (!parse) {
    return fail(
      `Parse job ${example.parseJobId} no longer exists, so the document was never read; add it again`,
    );
  }
  if (parse.status === 'PENDING' || parse.status === 'RUNNING') return 'PENDING';
  if (parse.status === 'FAILED') {
    return fail(`The document could not be parsed: ${parse.errorMessage ?? 'unknown error'}`);
  }
  if (parse.status === 'CANCELLED') {
    return fail(`Parse job ${parse.id} was cancelled before the document was read; add it again`);
  }
  const output = await deps.jobs.getParseOutput(parse.id);
  if (!output) {
    return fail(
      `The text of parse job ${parse.id} has expired before the example could keep it; add it again`,
    );
  }
  const read = output.pages.filter((page) => page.success);
  if (read.every((page) => page.text.trim() === '')) {
    return fail('The document has no text to learn from');
  }
  return current(await deps.examples.markReady(example, read), 'READY');
}
