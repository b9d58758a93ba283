import { afterEach, describe, expect, it, vi } from 'vitest';
import { DocumentError } from './document-error.js';
import { parseDocument } from './parse-document.js';
import {
  encryptedPdf,
  handMadePdf,
  numberedPageText,
  numberedPdf,
  onePageObjects,
  pdfWithBrokenSecondPage,
  pdfWithMissingFont,
  pdfWithNoReadablePage,
  pdfWithoutPages,
  pdfWithoutTextLayer,
  pdfWithPages,
  pseudoRandomBytes,
} from './test-support/pdf-fixtures.js';

async function rejection(promise: Promise<unknown>): Promise<DocumentError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DocumentError);
  return error as DocumentError;
}

const pageNumbers = (pages: { page_number: number }[]) => pages.map((p) => p.page_number);

describe('parseDocument on PDFs', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('gives the text of each page of a multi-page PDF, in page order', async () => {
    const pdf = await pdfWithPages([
      ['Invoice 1001', 'Total due: 250 EUR'],
      ['Terms and conditions apply'],
      ['Bank details', 'IBAN DE00 1234'],
    ]);
    const parsed = await parseDocument(pdf);
    expect(parsed.format).toBe('pdf');
    expect(parsed.pageCount).toBe(3);
    expect(parsed.pages).toEqual([
      {
        page_number: 1,
        text: 'Invoice 1001\nTotal due: 250 EUR',
        markdown: 'Invoice 1001\nTotal due: 250 EUR',
        success: true,
      },
      {
        page_number: 2,
        text: 'Terms and conditions apply',
        markdown: 'Terms and conditions apply',
        success: true,
      },
      {
        page_number: 3,
        text: 'Bank details\nIBAN DE00 1234',
        markdown: 'Bank details\nIBAN DE00 1234',
        success: true,
      },
    ]);
  });

  it('reads a PDF with junk bytes before its header', async () => {
    const pdf = await pdfWithPages([['After the junk bytes the PDF begins']]);
    const parsed = await parseDocument(new Uint8Array([0x0d, 0x0a, 0x00, 0xff, ...pdf]));
    expect(parsed.pages[0]?.text).toBe('After the junk bytes the PDF begins');
  });

  it('accepts a Node Buffer and leaves it readable', async () => {
    const buffer = Buffer.from(await pdfWithPages([['Read straight from a Node buffer']]));
    const parsed = await parseDocument(buffer);
    expect(parsed.pages[0]?.text).toBe('Read straight from a Node buffer');
    expect(buffer.byteLength).toBeGreaterThan(0);
    expect(buffer.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  it('reads only the pages target_pages selects', async () => {
    const parsed = await parseDocument(await numberedPdf(8), { targetPages: '1,3,5-7' });
    expect(parsed.pageCount).toBe(8);
    expect(pageNumbers(parsed.pages)).toEqual([1, 3, 5, 6, 7]);
    expect(parsed.pages.map((p) => p.text)).toEqual([1, 3, 5, 6, 7].map(numberedPageText));
  });

  it('reads the first max_pages pages', async () => {
    const parsed = await parseDocument(await numberedPdf(5), { maxPages: 2 });
    expect(pageNumbers(parsed.pages)).toEqual([1, 2]);
    expect(parsed.pageCount).toBe(5);
  });

  it('lets target_pages win over max_pages', async () => {
    const parsed = await parseDocument(await numberedPdf(5), { targetPages: '4-5', maxPages: 1 });
    expect(parsed.pages.map((p) => p.text)).toEqual([4, 5].map(numberedPageText));
  });

  it('caps an unrestricted read at defaultMaxPages, and at 100 pages when none is given', async () => {
    const pdf = await numberedPdf(103);
    const capped = await parseDocument(pdf, { defaultMaxPages: 3 });
    expect(pageNumbers(capped.pages)).toEqual([1, 2, 3]);
    const byDefault = await parseDocument(pdf);
    expect(byDefault.pageCount).toBe(103);
    expect(byDefault.pages).toHaveLength(100);
    expect(byDefault.pages.at(-1)?.text).toBe(numberedPageText(100));
    const explicit = await parseDocument(pdf, { maxPages: 102 });
    expect(explicit.pages).toHaveLength(102);
  });

  it('ignores selected pages past the end, and refuses a selection with no page in the document', async () => {
    const pdf = await numberedPdf(3);
    const clamped = await parseDocument(pdf, { targetPages: '2-9' });
    expect(pageNumbers(clamped.pages)).toEqual([2, 3]);
    const error = await rejection(parseDocument(pdf, { targetPages: '4,7-9' }));
    expect(error.reason).toBe('no_pages_selected');
    expect(error.message).toBe('target_pages "4,7-9" selects no page of this 3-page document');
  });

  it('refuses a malformed target_pages as a problem the user can fix', async () => {
    const error = await rejection(parseDocument(await numberedPdf(3), { targetPages: '3-1' }));
    expect(error.reason).toBe('no_pages_selected');
    expect(error.message).toContain('reversed');
  });

  it('keeps a page without a text layer as a successful page with no text', async () => {
    const parsed = await parseDocument(await pdfWithoutTextLayer());
    expect(parsed.pages).toEqual([{ page_number: 1, text: '', markdown: '', success: true }]);
  });

  it('reports an encrypted PDF without revealing its text', async () => {
    const error = await rejection(parseDocument(encryptedPdf('Top secret salary list')));
    expect(error.reason).toBe('encrypted');
    expect(error.message).toBe('The PDF is encrypted; upload a copy without a password');
  });

  it('reports a truncated PDF as corrupt', async () => {
    const pdf = await numberedPdf(4);
    for (const length of [64, Math.floor(pdf.length / 2), pdf.length - 40]) {
      const error = await rejection(parseDocument(pdf.slice(0, length)));
      expect(error.reason).toBe('corrupt');
      expect(error.message).toMatch(/damaged or incomplete/);
    }
  });

  it('reports random bytes behind a PDF header as corrupt', async () => {
    const garbage = new Uint8Array([...new TextEncoder().encode('%PDF-1.7\n'), ...pseudoRandomBytes(8192)]);
    const error = await rejection(parseDocument(garbage));
    expect(error.reason).toBe('corrupt');
  });

  it('marks a page that cannot be read as failed and still returns the others', async () => {
    const parsed = await parseDocument(pdfWithBrokenSecondPage('Readable first page of the file'));
    expect(parsed.pageCount).toBe(2);
    expect(parsed.pages[0]).toEqual({
      page_number: 1,
      text: 'Readable first page of the file',
      markdown: 'Readable first page of the file',
      success: true,
    });
    expect(parsed.pages[1]).toMatchObject({ page_number: 2, text: '', markdown: '', success: false });
    expect(parsed.pages[1]?.error).toMatch(/could not be read/);
  });

  it('reports a PDF whose selected pages all fail as corrupt', async () => {
    const error = await rejection(parseDocument(pdfWithNoReadablePage()));
    expect(error.reason).toBe('corrupt');
  });

  it('reports a PDF without pages as empty', async () => {
    const error = await rejection(parseDocument(pdfWithoutPages()));
    expect(error.reason).toBe('empty');
  });

  it('prints nothing when pdf.js meets a font it cannot load', async () => {
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((method) =>
      vi.spyOn(console, method).mockImplementation(() => undefined),
    );
    const parsed = await parseDocument(pdfWithMissingFont('Fallback font text for page one'));
    expect(parsed.pages[0]?.text).toBe('Fallback font text for page one');
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
  });

  it('stops between pages when the signal aborts, rejecting with its reason', async () => {
    const pdf = await numberedPdf(40);
    const controller = new AbortController();
    const reason = new Error('job cancelled');
    const parsing = parseDocument(pdf, { signal: controller.signal });
    setImmediate(() => controller.abort(reason));
    await expect(parsing).rejects.toBe(reason);
    // The same document reads in full without an abort, so the rejection came from the signal.
    await expect(parseDocument(pdf)).resolves.toMatchObject({ pageCount: 40 });
  });

  it('reads a hand-written PDF with an uncompressed content stream', async () => {
    const parsed = await parseDocument(handMadePdf(onePageObjects('Plain content stream drawn by hand')));
    expect(parsed.pages[0]?.text).toBe('Plain content stream drawn by hand');
  });
});
