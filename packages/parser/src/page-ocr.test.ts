import { encodeTiff, textImage } from '@classifyd/testkit';
import { describe, expect, it } from 'vitest';
import { DocumentError } from './document-error.js';
import { readImagePages } from './image-pages.js';
import { OcrPageFailure } from './ocr/ocr-errors.js';
import type { OcrPool } from './ocr/ocr-pool.js';
import { PageOcr } from './page-ocr.js';
import type { CanvasFactoryClass, PdfPage } from './pdf-render.js';

/** A pool that answers from a script instead of running Tesseract: one outcome per call. */
function scriptedPool(outcomes: ('ok' | 'timeout' | 'unreadable')[]): OcrPool {
  let call = 0;
  const fake = {
    async recognize() {
      const outcome = outcomes[call++] ?? 'ok';
      if (outcome === 'ok') return { text: `  text of call ${call}  \n\n\n\nmore  \n`, confidence: 90 };
      throw new OcrPageFailure(outcome, `OCR ${outcome} on call ${call}`);
    },
  };
  return fake as unknown as OcrPool;
}

const threePages = encodeTiff([textImage(['a']), textImage(['b']), textImage(['c'])]);
const all = (count: number) => Array.from({ length: count }, (_, i) => i + 1);

describe('PageOcr', () => {
  it('returns a timed-out page as failed with empty text and keeps the pages around it', async () => {
    const ocr = new PageOcr(scriptedPool(['ok', 'timeout', 'ok']), 'eng', 60_000);
    const { pages } = await readImagePages(threePages, 'tiff', all, ocr, 1e9);
    expect(pages.map((p) => p.success)).toEqual([true, false, true]);
    expect(pages[1]).toEqual({
      page_number: 2,
      text: '',
      markdown: '',
      success: false,
      error:
        'Reading this page by text recognition (OCR) took longer than the 60 s limit per page and was stopped',
    });
    expect(pages[0]?.text).toBe('text of call 1\n\nmore');
    expect(ocr.summary()).toMatchObject({ language: 'eng', pages: [1, 2, 3] });
  });

  it('fails the document when every page times out, naming the limit', async () => {
    const ocr = new PageOcr(scriptedPool(['timeout', 'timeout', 'timeout']), 'eng', 45_000);
    const error = await readImagePages(threePages, 'tiff', all, ocr, 1e9).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DocumentError);
    expect((error as DocumentError).message).toMatch(
      /did not finish on any selected page within the 45 s limit/,
    );
  });

  it('fails the document when every page fails, for whatever mix of reasons', async () => {
    const ocr = new PageOcr(scriptedPool(['timeout', 'unreadable', 'timeout']), 'eng', 45_000);
    const error = await readImagePages(threePages, 'tiff', all, ocr, 1e9).catch((e: unknown) => e);
    expect((error as DocumentError).reason).toBe('ocr_failed');
    expect((error as DocumentError).message).toMatch(/failed on every selected page/);
  });

  it('spends one time limit per page: a page that runs out while being drawn fails as timed out', async () => {
    // Like pdf.js, cancelling rejects the render at once, with an error of its own.
    const neverDrawn = {
      getViewport: () => ({ width: 100, height: 100 }),
      render: () => {
        let cancel = () => {};
        const promise = new Promise((_, reject) => {
          cancel = () => reject(new Error('Rendering cancelled, page 3'));
        });
        return { promise, cancel: () => cancel() };
      },
    } as unknown as PdfPage;
    const canvas = class {
      create(width: number, height: number) {
        return { canvas: { width, height }, context: {} };
      }
      destroy() {}
    } as unknown as CanvasFactoryClass;
    const ocr = new PageOcr(scriptedPool([]), 'eng', 50);
    const page = await ocr.readPdfPage(neverDrawn, 3, canvas);
    expect(page).toMatchObject({ page_number: 3, success: false });
    expect(page.error).toMatch(/took longer than the 50 ms limit per page/);
    expect(ocr.failureError()?.message).toMatch(/did not finish on any selected page within the 50 ms limit/);
  });

  it('gives recognition only what is left of the page limit', async () => {
    const asked: number[] = [];
    const pool = {
      async recognize(_image: Uint8Array, _language: string, options: { timeoutMs?: number }) {
        asked.push(options.timeoutMs ?? Number.NaN);
        return { text: 'words', confidence: 90 };
      },
    } as unknown as OcrPool;
    const ocr = new PageOcr(pool, 'eng', 45_000);
    await readImagePages(threePages, 'tiff', all, ocr, 1e9);
    expect(asked).toHaveLength(3);
    for (const ms of asked) {
      expect(ms).toBeGreaterThan(40_000);
      expect(ms).toBeLessThanOrEqual(45_000);
    }
  });
});
