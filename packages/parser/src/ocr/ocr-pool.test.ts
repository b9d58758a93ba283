import { textImageFile } from '@classifyd/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { DocumentError } from '../document-error.js';
import { createParser } from '../parser.js';
import { OcrPageFailure, OcrUnavailable } from './ocr-errors.js';
import { OcrPool } from './ocr-pool.js';
import { OcrThreadEnded, TesseractThread } from './tesseract-thread.js';

const settings = { concurrency: 1, pageTimeoutMs: 30_000, startTimeoutMs: 30_000, idleTimeoutMs: 60_000 };
const pools: OcrPool[] = [];
function pool(overrides: Partial<typeof settings> = {}): OcrPool {
  const made = new OcrPool({ ...settings, ...overrides });
  pools.push(made);
  return made;
}
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

const image = (line: string) => textImageFile('png', [line]);

describe('OcrPool', () => {
  it('ends a recognition past its time limit as a timed-out page, then serves the next with a new thread', async () => {
    const ocr = pool();
    const failure = await ocr.recognize(await image('Too slow'), 'eng', { timeoutMs: 1 }).catch((e) => e);
    expect(failure).toBeInstanceOf(OcrPageFailure);
    expect(failure.kind).toBe('timeout');
    expect(failure.message).toBe('Text recognition (OCR) of this page took longer than 1 ms and was stopped');
    await expect(ocr.recognize(await image('Back to work'), 'eng')).resolves.toMatchObject({
      text: 'Back to work\n',
    });
  });

  it('runs at most `concurrency` recognitions and serves the rest in order, in their languages', async () => {
    const ocr = pool({ concurrency: 1 });
    const results = await Promise.all([
      ocr.recognize(await image('First in line'), 'eng'),
      ocr.recognize(await image('Größe und Maße'), 'deu'),
      ocr.recognize(await image('Third in line'), 'eng'),
    ]);
    expect(results.map((r) => r.text.trim())).toEqual(['First in line', 'Größe und Maße', 'Third in line']);
  });

  it('lets a recognition waiting in line be cancelled without disturbing the running one', async () => {
    const ocr = pool({ concurrency: 1 });
    const running = ocr.recognize(await image('Still running'), 'eng');
    const controller = new AbortController();
    const waiting = ocr.recognize(await image('Never run'), 'eng', { signal: controller.signal });
    const reason = new Error('cancelled');
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);
    await expect(running).resolves.toMatchObject({ text: 'Still running\n' });
  });

  it('rejects running and later work once closed, and closes twice safely', async () => {
    const ocr = pool();
    const running = ocr.recognize(await image('Interrupted'), 'eng').catch((e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await ocr.close();
    await ocr.close();
    expect(await running).toBeInstanceOf(OcrUnavailable);
    await expect(ocr.recognize(await image('Late'), 'eng')).rejects.toThrow(/the parser was closed/);
  });
});

describe('TesseractThread', () => {
  it('rejects pending work when the thread ends, instead of hanging', async () => {
    const thread = new TesseractThread();
    const pending = thread
      .call('load', { options: { lstmOnly: true, logging: false } })
      .catch((e: unknown) => e);
    await thread.terminate();
    expect(await pending).toBeInstanceOf(OcrThreadEnded);
    expect(thread.ended).toBe(true);
  });
});

describe('createParser', () => {
  it('fails the document with the time limit in the message when OCR never finishes in time', async () => {
    const parser = createParser({ ocrPageTimeoutMs: 1 });
    try {
      const error = await parser.parse(await image('Slow scan')).catch((e) => e);
      expect(error).toBeInstanceOf(DocumentError);
      expect(error.reason).toBe('ocr_failed');
      expect(error.message).toBe(
        'Text recognition (OCR) did not finish on any selected page within the 1 ms limit per page; upload a smaller or clearer scan, or select fewer pages',
      );
    } finally {
      await parser.close();
    }
  });

  it('refuses to parse after close, and reads text formats without starting OCR', async () => {
    const parser = createParser();
    const parsed = await parser.parse(new TextEncoder().encode('plain words'));
    expect(parsed.ocr).toBeNull();
    await parser.close();
    await expect(parser.parse(new TextEncoder().encode('more words'))).rejects.toThrow(/parser was closed/);
  });

  it('refuses nonsensical settings as a caller bug', () => {
    expect(() => createParser({ ocrConcurrency: 0 })).toThrow(RangeError);
    expect(() => createParser({ ocrPageTimeoutMs: 1.5 })).toThrow(
      /ocrPageTimeoutMs must be a positive integer/,
    );
  });
});
