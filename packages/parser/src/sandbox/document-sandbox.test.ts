import { afterEach, describe, expect, it } from 'vitest';
import { DocumentError } from '../document-error.js';
import { createParser, type ParserSettings, type ThreadedParser } from '../parser.js';
import { pdfWithManyPages, pdfWithPages } from '../test-support/pdf-fixtures.js';

const utf8 = (text: string) => new TextEncoder().encode(text);
/** Read in full, 20,000 pages take minutes: far past any deadline set below. */
const endless = pdfWithManyPages(20_000);
const everyPage = { maxPages: 20_000 };

const parsers: ThreadedParser[] = [];
function parser(settings: ParserSettings = {}): ThreadedParser {
  const made = createParser(settings);
  parsers.push(made);
  return made;
}
afterEach(async () => {
  await Promise.all(parsers.splice(0).map((p) => p.close()));
});

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the parse to fail');
    },
    (error: unknown) => error,
  );
}

describe('document threads', () => {
  it('stops a document past its deadline with a message saying what to do, then reads the next one', async () => {
    const p = parser({ documentTimeoutMs: 5000 });
    const error = await rejection(p.parse(endless, everyPage));
    expect(error).toBeInstanceOf(DocumentError);
    expect((error as DocumentError).reason).toBe('timeout');
    expect((error as DocumentError).message).toBe(
      'Reading this document took longer than the 5 s limit for one document and was stopped; select fewer pages (max_pages or target_pages), or split the file into smaller documents',
    );
    await expect(p.parse(utf8('the next document'))).resolves.toMatchObject({
      pages: [{ text: 'the next document' }],
    });
  });

  it('stops a document that needs more heap than allowed, then reads the next one', async () => {
    const p = parser({ maxDocumentHeapMb: 96 });
    // Five million form feeds: five million pages, held at once before any is chosen.
    const error = await rejection(p.parse(utf8('a\f'.repeat(5_000_000)), { maxPages: 1 }));
    expect(error).toBeInstanceOf(DocumentError);
    expect((error as DocumentError).reason).toBe('too_large');
    expect((error as DocumentError).message).toMatch(
      /^Reading this document needed more memory than the 96 MiB limit for one document and was stopped; select fewer pages/,
    );
    await expect(p.parse(utf8('the next document'))).resolves.toMatchObject({
      pages: [{ text: 'the next document' }],
    });
  });

  it('stops a document being read when its signal aborts, rejecting with the reason', async () => {
    const p = parser();
    const controller = new AbortController();
    const reason = new Error('job cancelled');
    const parsing = rejection(p.parse(endless, { ...everyPage, signal: controller.signal }));
    setTimeout(() => controller.abort(reason), 200);
    expect(await parsing).toBe(reason);
    await expect(p.parse(utf8('after the cancel'))).resolves.toMatchObject({
      pages: [{ text: 'after the cancel' }],
    });
  });

  it('reads one document after another in the same thread', async () => {
    const p = parser();
    const pdf = await pdfWithPages([['A short letter about an order']]);
    for (let i = 0; i < 6; i++) {
      const parsed = await p.parse(i % 2 === 0 ? pdf : utf8(`note ${i}`));
      expect(parsed.pages[0]?.text).toBe(i % 2 === 0 ? 'A short letter about an order' : `note ${i}`);
    }
    expect(p.threadsStarted).toBe(1);
  });

  it('starts no more threads than documents read at once, and keeps them for later ones', async () => {
    const p = parser();
    const texts = ['first', 'second', 'third'];
    const parsed = await Promise.all(texts.map((text) => p.parse(utf8(text))));
    expect(parsed.map((d) => d.pages[0]?.text)).toEqual(texts);
    expect(p.threadsStarted).toBeLessThanOrEqual(3);
    const started = p.threadsStarted;
    await Promise.all(texts.map((text) => p.parse(utf8(text))));
    expect(p.threadsStarted).toBe(started);
  });
});
