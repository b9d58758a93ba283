import { readFileSync } from 'node:fs';
import {
  deflatedZeros,
  handMadePdf,
  onePageObjects,
  type ServiceStack,
  startServiceStack,
} from '@classifyd/testkit';
import { toFile } from '@llamaindex/llama-cloud';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { API_KEYS, POLL, sdk } from './clients.js';
import { INVOICE_TEXT, RULES } from './documents.js';

/** Short, so that a document too long to read is stopped within the test's time. */
const PARSE_TIMEOUT_MS = 10_000;

/** Peak resident memory of a process, from /proc (Linux), in MiB. */
function peakMemoryMiB(pid: number): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1]) / 1024;
}

/**
 * A one-page PDF whose content stream inflates to 1 GiB of zeros from about 1 MB: the
 * deflate data is written byte for byte (latin1), which testkit's text-only writer cannot do.
 */
function flateBombPdf(): Uint8Array {
  const data = Buffer.concat([Buffer.from([0x78, 0x9c]), deflatedZeros(1024)]);
  const objects = onePageObjects('unused');
  let out = '%PDF-1.7\n';
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(out.length);
    const body =
      i === 3
        ? `<< /Filter /FlateDecode /Length ${data.length} >>\nstream\n${data.toString('latin1')}\nendstream`
        : object;
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) out += `${String(offset).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(out, 'latin1'));
}

/**
 * 100,000 pages in one flat page tree, all drawing one shared content stream of 300 lines:
 * 16 MB that pdf.js needs minutes to read a thousand pages of.
 */
function longPdf(): Uint8Array {
  const count = 100_000;
  const lines = Array.from(
    { length: 300 },
    (_, i) => `1 0 0 1 40 ${780 - (i % 70) * 11} Tm (Line ${i} of a page in a very long report) Tj`,
  ).join('\n');
  const content = `BT /F1 9 Tf\n${lines}\nET`;
  const kids = Array.from({ length: count }, (_, i) => `${i + 5} 0 R`).join(' ');
  const pageObject =
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R /Resources << /Font << /F1 4 0 R >> >> >>';
  return handMadePdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    `<< /Type /Pages /Kids [${kids}] /Count ${count} >>`,
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    ...Array.from({ length: count }, () => pageObject),
  ]);
}

describe('documents that would starve a parse worker fail alone, and the worker keeps serving', () => {
  let stack: ServiceStack;
  let a: ReturnType<typeof sdk>;

  beforeAll(async () => {
    stack = await startServiceStack({
      redisUrl: inject('redisUrl'),
      label: 'poison',
      env: { API_KEYS, PARSE_TIMEOUT_MS: String(PARSE_TIMEOUT_MS) },
    });
    a = sdk(stack.baseUrl, 'key-a');
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const parseWorker = () => {
    const workers = stack.apps.filter((app) => app.name === 'parse-worker');
    expect(workers).toHaveLength(1);
    const [worker] = workers;
    if (!worker?.child.pid) throw new Error('no parse worker');
    return { worker, pid: worker.child.pid };
  };

  const upload = async (bytes: Uint8Array, name: string) =>
    (await a.files.create({ file: await toFile(Buffer.from(bytes), name), purpose: 'classify' })).id;
  const create = async (bytes: Uint8Array, name: string, parsing: Record<string, unknown> = {}) =>
    a.classify.create({
      file_input: await upload(bytes, name),
      configuration: { rules: RULES, parsing_configuration: parsing },
    });
  /** The job once it has finished, whatever its status: the SDK's wait does not stop at FAILED. */
  const finished = async (id: string) => {
    let job = await a.classify.get(id);
    while (job.status === 'PENDING' || job.status === 'RUNNING') {
      await new Promise((resolve) => setTimeout(resolve, 200));
      job = await a.classify.get(id);
    }
    return job;
  };
  let ordinary = 0;
  /** An invoice with bytes of its own, so that no earlier parse can answer for it. */
  const invoice = () => new TextEncoder().encode(`${INVOICE_TEXT}\nReference ${++ordinary}`);

  it('fails a PDF whose content stream inflates to 1 GiB, saying why, with the parse worker under 1 GiB', async () => {
    const { worker, pid } = parseWorker();
    const bomb = flateBombPdf();
    expect(bomb.length).toBeLessThan(1.2 * 1024 * 1024);
    const done = await finished((await create(bomb, 'bomb.pdf')).id);
    expect(done.status).toBe('FAILED');
    expect(done.error_message).toMatch(
      /unpacks to more than 128 MiB.*decompression bomb.*save the PDF again/,
    );
    expect(worker.child.exitCode).toBeNull();
    expect(peakMemoryMiB(pid)).toBeLessThan(1024);

    const next = await a.classify.run(
      { file_input: await upload(invoice(), 'after-bomb.txt'), configuration: { rules: RULES } },
      POLL,
    );
    expect(next.status).toBe('COMPLETED');
    expect(next.result?.type).toBe('invoice');
    expect(parseWorker().pid).toBe(pid);
  });

  it('stops a PDF it cannot read in PARSE_TIMEOUT_MS, while a small job sent 5 s after it completes', async () => {
    const { pid } = parseWorker();
    const long = await create(longPdf(), 'long.pdf', { max_pages: 1000 });
    await new Promise((resolve) => setTimeout(resolve, 5000));
    // The default parse concurrency (2) leaves a slot free; the SDK's wait gives up after 60 s.
    const small = await a.classify.run(
      { file_input: await upload(invoice(), 'small.txt'), configuration: { rules: RULES } },
      { ...POLL, timeout: 60 },
    );
    expect(small.status).toBe('COMPLETED');
    expect(small.result?.type).toBe('invoice');

    const done = await finished(long.id);
    expect(['FAILED', 'COMPLETED']).toContain(done.status);
    if (done.status === 'FAILED') {
      expect(done.error_message).toMatch(
        /took longer than the 10 s limit for one document and was stopped; select fewer pages \(max_pages or target_pages\), or split the file/,
      );
    }
    expect(parseWorker().pid).toBe(pid);
  });
});
