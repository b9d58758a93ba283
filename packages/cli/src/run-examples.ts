import type LlamaCloud from '@llamaindex/llama-cloud';
import { APIError } from '@llamaindex/llama-cloud';
import { addExamples, type ExampleResult } from './add-examples.js';
import { checkService, createClient, describeError, isServiceFailure } from './client.js';
import { mapConcurrent } from './concurrent.js';
import { readExampleFolder } from './example-folder.js';
import { deleteExample, listExamples } from './examples-api.js';
import type {
  ExamplesAddCommand,
  ExamplesCommand,
  ExamplesDeleteCommand,
  ExamplesListCommand,
} from './examples-args.js';
import { formatAddResults, formatExampleList, summarizeByType } from './examples-output.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { progressLine, type Terminal } from './output.js';

/** `classifyd examples add|list|delete`; usage errors are thrown for runCli to print. */
export async function runExamples(command: ExamplesCommand, terminal: Terminal): Promise<ExitCode> {
  // Read and check the folder before touching the service: a typo costs no upload.
  const files = command.kind === 'examples-add' ? await readExampleFolder(command.folder) : [];
  const client = createClient(command);
  const refused = await checkConfiguration(client, command, terminal);
  if (refused !== undefined) return refused;
  try {
    if (command.kind === 'examples-add') return await runAdd(client, command, files, terminal);
    if (command.kind === 'examples-list') return await runList(client, command, terminal);
    return await runDelete(client, command, terminal);
  } catch (error) {
    terminal.stderr.write(`classifyd: ${describeError(error)}\n`);
    return isServiceFailure(error) ? EXIT.service : EXIT.someFailed;
  }
}

const formatFor = (command: ExamplesCommand, terminal: Terminal) =>
  command.format ?? (terminal.stdout.isTTY === true ? 'table' : 'json');

/**
 * One call that proves the service answers, the key is good and the configuration exists,
 * so that each of those is one clear message (exit 3, 3, 2) rather than a failed row per file.
 */
async function checkConfiguration(
  client: LlamaCloud,
  command: ExamplesCommand,
  terminal: Terminal,
): Promise<ExitCode | undefined> {
  try {
    await checkService(client);
    await client.configurations.retrieve(command.configurationId, {}, { maxRetries: 1 });
    return undefined;
  } catch (error) {
    if (error instanceof APIError && error.status === 404) {
      terminal.stderr.write(
        `classifyd: configuration "${command.configurationId}" not found: give the id of a saved classify configuration (cfg-...)\n`,
      );
      return EXIT.usage;
    }
    terminal.stderr.write(`classifyd: ${command.baseUrl}: ${describeError(error)}\n`);
    return isServiceFailure(error) ? EXIT.service : EXIT.someFailed;
  }
}

async function runAdd(
  client: LlamaCloud,
  command: ExamplesAddCommand,
  files: Awaited<ReturnType<typeof readExampleFolder>>,
  terminal: Terminal,
): Promise<ExitCode> {
  const sent = progressLine(terminal.stderr, !command.quiet, 'sent');
  const ready = progressLine(terminal.stderr, !command.quiet, 'finished (READY or FAILED)');
  const results = await addExamples(client, command.configurationId, files, {
    concurrency: command.concurrency,
    timeoutMs: command.timeoutSeconds * 1000,
    onProgress: (stage, done, total) => (stage === 'sent' ? sent : ready).update(done, total),
  });
  ready.clear();
  const format = formatFor(command, terminal);
  terminal.stdout.write(formatAddResults(results, format, terminal.stdout.columns ?? 160));
  if (!command.quiet) terminal.stderr.write(summarizeByType(results));
  return addExitCode(results);
}

export function addExitCode(results: ExampleResult[]): ExitCode {
  if (results.some((r) => r.service_error)) return EXIT.service;
  if (results.some((r) => r.status !== 'READY')) return EXIT.someFailed;
  return EXIT.ok;
}

async function runList(
  client: LlamaCloud,
  command: ExamplesListCommand,
  terminal: Terminal,
): Promise<ExitCode> {
  const examples = await listExamples(client, command.configurationId, {
    ...(command.type !== undefined ? { type: command.type } : {}),
    ...(command.status !== undefined ? { status: command.status } : {}),
  });
  terminal.stdout.write(
    formatExampleList(examples, formatFor(command, terminal), terminal.stdout.columns ?? 160),
  );
  if (!command.quiet)
    terminal.stderr.write(`${examples.length} example${examples.length === 1 ? '' : 's'}\n`);
  return EXIT.ok;
}

/** Each id is deleted on its own: one that is gone already is reported and the rest go on. */
async function runDelete(
  client: LlamaCloud,
  command: ExamplesDeleteCommand,
  terminal: Terminal,
): Promise<ExitCode> {
  const ids = command.all
    ? (await listExamples(client, command.configurationId)).map((e) => e.id)
    : command.ids;
  const failures = (
    await mapConcurrent(ids, 4, (id) =>
      deleteExample(client, command.configurationId, id).then(
        () => null,
        (error: unknown) => ({ id, error }),
      ),
    )
  ).filter((f) => f !== null);
  for (const { id, error } of failures) terminal.stderr.write(`classifyd: ${id}: ${describeError(error)}\n`);
  if (!command.quiet)
    terminal.stderr.write(
      `${ids.length - failures.length} of ${ids.length} example${ids.length === 1 ? '' : 's'} deleted\n`,
    );
  if (failures.some((f) => isServiceFailure(f.error))) return EXIT.service;
  return failures.length > 0 ? EXIT.someFailed : EXIT.ok;
}
