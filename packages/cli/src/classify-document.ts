import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type LlamaCloud from '@llamaindex/llama-cloud';
import { toFile } from '@llamaindex/llama-cloud';
import type { ClassifyGetResponse } from '@llamaindex/llama-cloud/resources/classify';
import { describeError, isServiceFailure } from './client.js';
import type { Rule } from './rules.js';

/** The job's own final status, or TIMEOUT / ERROR when the CLI could not get one. */
export type DocumentStatus = 'COMPLETED' | 'FAILED' | 'CANCELLED' | 'TIMEOUT' | 'ERROR';

export interface DocumentResult {
  path: string;
  status: DocumentStatus;
  type: string | null;
  confidence: number | null;
  reasoning: string | null;
  job_id: string | null;
  error_message: string | null;
  /** File upload, client side. */
  upload_ms: number | null;
  /** From the classify create call until a final status was seen, client side. */
  wait_ms: number | null;
  /** Server side: the job's created_at to its updated_at at the final status. */
  job_ms: number | null;
  file_id: string | null;
  parse_job_id: string | null;
  /** With parseDetails: the detected format, page count and the parse stage's own time (null when reused). */
  format?: string | null;
  page_count?: number | null;
  parse_ms?: number | null;
  /** With parseDetails: parse job finished -> classify job finished (queue wait + classify). */
  classify_ms?: number | null;
  /** Set when the service, not the document, was the problem (unreachable, key refused). */
  service_error?: boolean;
}

export interface ParsingSettings {
  target_pages?: string;
  max_pages?: number;
  lang?: string;
}

export interface DocumentSettings {
  parsing: ParsingSettings | undefined;
  timeoutMs: number;
  parseDetails: boolean;
  /** Poll interval: starts at min, grows by half each poll up to max. */
  pollMs?: { min: number; max: number };
}

const TERMINAL = new Set(['COMPLETED', 'FAILED', 'CANCELLED']);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const elapsed = (since: number) => Math.round(performance.now() - since);
const timeBetween = (from?: string | null, to?: string | null) =>
  from && to ? Math.max(0, Date.parse(to) - Date.parse(from)) : null;

function emptyResult(path: string): DocumentResult {
  return {
    path,
    status: 'ERROR',
    type: null,
    confidence: null,
    reasoning: null,
    job_id: null,
    error_message: null,
    upload_ms: null,
    wait_ms: null,
    job_ms: null,
    file_id: null,
    parse_job_id: null,
  };
}

/**
 * One document to classify: by inline rules (with the settings' parsing), or by a saved
 * configuration, whose own parsing settings and READY examples then apply.
 */
export type ClassifyTask = {
  path: string;
  /** Already uploaded (e.g. once for many jobs): the path is then only the row's name. */
  fileId?: string;
} & ({ rules: Rule[]; configurationId?: undefined } | { configurationId: string; rules?: undefined });

/** Upload one file for classification; throws with a message naming the problem. */
export async function uploadFile(client: LlamaCloud, path: string): Promise<{ id: string }> {
  const bytes = await readFile(path).catch((error: NodeJS.ErrnoException) => {
    throw new Error(`cannot read the file: ${error.code ?? error.message}`);
  });
  return client.files.create({ file: await toFile(bytes, basename(path)), purpose: 'classify' });
}

/**
 * Upload one file (unless the task has its file id), create its classify job and poll it to
 * a final status. Never throws: every failure becomes a row with status ERROR or TIMEOUT and
 * an error_message.
 * (The SDK's waitForCompletion treats only COMPLETED and FAILED as final, so a cancelled
 * job would poll until the timeout; this loop stops on CANCELLED too.)
 */
export async function classifyDocument(
  client: LlamaCloud,
  task: ClassifyTask,
  settings: DocumentSettings,
): Promise<DocumentResult> {
  const result = emptyResult(task.path);
  const deadline = performance.now() + settings.timeoutMs;
  try {
    if (task.fileId === undefined) {
      const uploadStart = performance.now();
      result.file_id = (await uploadFile(client, task.path)).id;
      result.upload_ms = elapsed(uploadStart);
    } else result.file_id = task.fileId;

    const waitStart = performance.now();
    let job = await client.classify.create({
      file_input: result.file_id,
      ...(task.configurationId !== undefined
        ? { configuration_id: task.configurationId }
        : {
            configuration: {
              rules: task.rules,
              ...(settings.parsing ? { parsing_configuration: settings.parsing } : {}),
            },
          }),
    });
    result.job_id = job.id;
    const { min, max } = settings.pollMs ?? { min: 200, max: 2000 };
    let interval = min;
    while (!TERMINAL.has(job.status)) {
      if (performance.now() + interval > deadline) {
        result.status = 'TIMEOUT';
        result.wait_ms = elapsed(waitStart);
        // Nobody will read the answer, so spare the service the work.
        const cancelled = await client.classify.cancel(job.id).then(
          () => 'the job was cancelled',
          () => 'the job could not be cancelled',
        );
        result.error_message = `no final status within ${settings.timeoutMs / 1000} s (last: ${job.status}); ${cancelled}`;
        return result;
      }
      await sleep(interval);
      interval = Math.min(max, Math.round(interval * 1.5));
      job = await client.classify.get(job.id);
    }
    result.wait_ms = elapsed(waitStart);
    result.status = job.status as DocumentStatus;
    result.type = job.result?.type ?? null;
    result.confidence = job.result?.confidence ?? null;
    result.reasoning = job.result?.reasoning ?? null;
    result.error_message = job.error_message ?? null;
    result.parse_job_id = job.parse_job_id ?? null;
    result.job_ms = timeBetween(job.created_at, job.updated_at);
    if (settings.parseDetails && result.parse_job_id) {
      await addParseDetails(client, result, job);
    }
  } catch (error) {
    result.status = 'ERROR';
    result.error_message = describeError(error);
    if (isServiceFailure(error)) result.service_error = true;
  }
  return result;
}

/**
 * Best effort: the classification stands even if the parse job cannot be read. A parse that
 * finished before this job was created was reused (content-hash cache): it cost this job
 * nothing, so parse_ms is null and the whole job time is the classify stage.
 */
async function addParseDetails(client: LlamaCloud, result: DocumentResult, job: ClassifyGetResponse) {
  const parse = await client.parsing
    .get(result.parse_job_id as string, { expand: ['job_metadata'] })
    .catch(() => null);
  if (!parse) return;
  const meta = parse.job_metadata ?? {};
  result.format = typeof meta.format === 'string' ? meta.format : null;
  result.page_count = typeof meta.page_count === 'number' ? meta.page_count : null;
  const parseEnd = parse.job.status === 'COMPLETED' ? parse.job.updated_at : null;
  if (!parseEnd || !job.created_at) return;
  const reused = Date.parse(parseEnd) <= Date.parse(job.created_at);
  result.parse_ms = reused ? null : timeBetween(parse.job.created_at, parseEnd);
  result.classify_ms = reused ? result.job_ms : timeBetween(parseEnd, job.updated_at);
}
