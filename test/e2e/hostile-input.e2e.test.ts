import { readFileSync } from 'node:fs';
import {
  docxZipBomb,
  encryptedPdf,
  oversizedImageHeader,
  type ServiceStack,
  startServiceStack,
  truncatedPdf,
  zipArchive,
} from '@classifyd/testkit';
import { toFile } from '@llamaindex/llama-cloud';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { API_KEYS, POLL, sdk, statusError } from './clients.js';
import { INVOICE_TEXT, RULES } from './documents.js';

const MAX_UPLOAD = 4 * 1024 * 1024;

/** Peak resident memory of a process, from /proc (Linux), in MiB. */
function peakMemoryMiB(pid: number): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1]) / 1024;
}

describe('hostile and broken input fails cleanly, and the next job still completes', () => {
  let stack: ServiceStack;
  let a: ReturnType<typeof sdk>;

  beforeAll(async () => {
    stack = await startServiceStack({
      redisUrl: inject('redisUrl'),
      label: 'hostile',
      env: { API_KEYS, MAX_UPLOAD_BYTES: String(MAX_UPLOAD) },
    });
    a = sdk(stack.baseUrl, 'key-a');
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const classifyBytes = async (bytes: Uint8Array, name: string) => {
    const file = await a.files.create({ file: await toFile(Buffer.from(bytes), name), purpose: 'classify' });
    const job = await a.classify.create({ file_input: file.id, configuration: { rules: RULES } });
    let done = await a.classify.get(job.id);
    while (done.status === 'PENDING' || done.status === 'RUNNING') {
      await new Promise((r) => setTimeout(r, 100));
      done = await a.classify.get(job.id);
    }
    return done;
  };
  let ordinary = 0;
  /**
   * An ordinary invoice right after a hostile input completes on the same parse worker. Its
   * bytes are new each time, so that the parse cache cannot answer for the worker.
   */
  const expectNextJobCompletes = async (pid: number | undefined) => {
    const done = await a.classify.run(
      {
        file_input: (
          await a.files.create({
            file: await toFile(Buffer.from(`${INVOICE_TEXT}\nReference ${++ordinary}`), 'next.txt'),
            purpose: 'classify',
          })
        ).id,
        configuration: { rules: RULES },
      },
      POLL,
    );
    expect(done.status).toBe('COMPLETED');
    expect(done.result?.type).toBe('invoice');
    expect(parseWorker().child.pid).toBe(pid);
  };
  const parseWorker = () => {
    const worker = stack.apps.find((app) => app.name === 'parse-worker');
    if (!worker?.child.pid) throw new Error('no parse worker');
    return worker;
  };

  it.each([
    ['an empty file', () => new Uint8Array(), 'empty.pdf', /file is empty/i],
    ['a truncated PDF', () => truncatedPdf(0.5), 'cut.pdf', /PDF/],
    ['a password-protected PDF', () => encryptedPdf(), 'locked.pdf', /password|encrypted/i],
    [
      'random bytes named .pdf',
      () => Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251),
      'noise.pdf',
      /not a|unsupported|format|recognis/i,
    ],
    ['a DOCX zip bomb', () => docxZipBomb('declared'), 'bomb.docx', /large|limit|bomb|expand/i],
    [
      'a DOCX zip bomb that understates its size',
      () => docxZipBomb('understated'),
      'sly.docx',
      /large|limit|bomb|expand/i,
    ],
    ['a 20,000 x 20,000 pixel image', () => oversizedImageHeader('png'), 'huge.png', /pixels|too large/i],
    [
      'a zip that is not a document',
      () => zipArchive([{ name: 'a.txt', data: 'hello' }]),
      'files.pdf',
      /zip|not a|unsupported/i,
    ],
  ] as const)(
    '%s: a FAILED job with an error_message a person can act on',
    async (_label, make, name, reason) => {
      const worker = parseWorker();
      const done = await classifyBytes(await make(), name);
      expect(done.status).toBe('FAILED');
      expect(done.error_message).toMatch(reason);
      expect(done.error_message?.length).toBeGreaterThan(20);
      expect(done.error_message).not.toMatch(/\n\s+at /);
      expect(worker.child.exitCode).toBeNull();
      await expectNextJobCompletes(worker.child.pid);
    },
  );

  it('refuses an upload over MAX_UPLOAD_BYTES with 413 before storing it', async () => {
    const failed = await statusError(
      a.files.create({
        file: await toFile(Buffer.alloc(MAX_UPLOAD + 100_000, 0x41), 'big.txt'),
        purpose: 'classify',
      }),
    );
    expect(failed.status).toBe(413);
    expect((await a.files.list()).items.some((f) => f.name === 'big.txt')).toBe(false);
    await expectNextJobCompletes(parseWorker().child.pid);
  });

  it('keeps one parse worker through all of the above, its memory bounded', async () => {
    const worker = parseWorker();
    await expectNextJobCompletes(worker.child.pid);
    expect(stack.apps.filter((app) => app.name === 'parse-worker')).toHaveLength(1);
    // A decoded 20,000 x 20,000 image or an inflated bomb would need gigabytes.
    expect(peakMemoryMiB(worker.child.pid as number)).toBeLessThan(1024);
  });
});
