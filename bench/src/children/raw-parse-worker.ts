// Stage 1 of the raw BullMQ baseline: read the document from disk and split it into pages
// with the same parser classifyd's parse worker uses; the pages are the job's return value.
import { readFile } from 'node:fs/promises';
import { parseDocument } from '@classifyd/parser';
import type { Job } from 'bullmq';
import { runChild } from '../lib/child.js';
import { RAW_PARSE_QUEUE, type RawPage, type RawParseData } from '../lib/raw-flow.js';
import { runRawWorker } from '../lib/raw-worker.js';

async function main(): Promise<void> {
  await runRawWorker<RawParseData, RawPage[]>(RAW_PARSE_QUEUE, async (job: Job<RawParseData>) => {
    const parsed = await parseDocument(await readFile(job.data.path));
    return parsed.pages.filter((p) => p.success).map((p) => ({ page_number: p.page_number, text: p.text }));
  });
}

runChild(main);
