import { pdfDocument, type ServiceStack, scannedPdf, startServiceStack } from '@classifyd/testkit';
import { toFile } from '@llamaindex/llama-cloud';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { API_KEYS, POLL, sdk } from './clients.js';
import { RULES } from './documents.js';

type Page = { page_number: number; success?: boolean; error?: string; markdown?: string };

describe('a page that cannot be read fails alone', () => {
  let stack: ServiceStack;
  let a: ReturnType<typeof sdk>;

  beforeAll(async () => {
    // No OCR page can finish in 1 ms, so every scanned page fails while text pages read.
    stack = await startServiceStack({
      redisUrl: inject('redisUrl'),
      label: 'page-failures',
      env: { API_KEYS, OCR_PAGE_TIMEOUT_MS: '1' },
    });
    a = sdk(stack.baseUrl, 'key-a');
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const parseJob = async (bytes: Uint8Array, name: string) => {
    const job = await a.parsing.create({
      tier: 'fast',
      version: 'latest',
      upload_file: await toFile(Buffer.from(bytes), name),
    });
    let done = await a.parsing.get(job.id);
    while (done.job.status === 'PENDING' || done.job.status === 'RUNNING') {
      await new Promise((r) => setTimeout(r, 100));
      done = await a.parsing.get(job.id);
    }
    return a.parsing.get(job.id, { expand: ['text', 'markdown', 'text_full'] });
  };

  it('completes a document with one unreadable page, marking that page success: false with its reason', async () => {
    const mixed = await pdfDocument([
      { text: ['Invoice number 4711', 'Total amount due 320.70 EUR, payment within 30 days'] },
      { scan: ['Delivery note 1001'] },
    ]);
    const done = await parseJob(mixed, 'mixed.pdf');
    expect(done.job.status).toBe('COMPLETED');
    const pages = done.markdown?.pages as Page[];
    expect(pages.map((p) => [p.page_number, p.success])).toEqual([
      [1, true],
      [2, false],
    ]);
    expect(pages[1]?.error).toMatch(/took longer than the 1 ms limit per page/);
    expect(done.text_full).toContain('Invoice number 4711');
    expect(done.text_full).not.toContain('Delivery note');

    const file = await a.files.create({
      file: await toFile(Buffer.from(mixed), 'mixed.pdf'),
      purpose: 'classify',
    });
    const classified = await a.classify.run({ file_input: file.id, configuration: { rules: RULES } }, POLL);
    expect(classified.status).toBe('COMPLETED');
    expect(classified.result?.type).toBe('invoice');
  });

  it('fails the job when every page fails, saying why', async () => {
    const done = await parseJob(await scannedPdf([['Delivery note 1001']]), 'scan.pdf');
    expect(done.job.status).toBe('FAILED');
    expect(done.job.error_message).toMatch(/did not finish on any selected page within the 1 ms limit/);
    expect(done.job.error_message).not.toMatch(/\n\s+at /);
  });
});
