import {
  docxDocument,
  pdfDocument,
  type ServiceStack,
  scannedPdf,
  startServiceStack,
  textImageFile,
} from '@classifyd/testkit';
import { toFile } from '@llamaindex/llama-cloud';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { API_KEYS, POLL, sdk } from './clients.js';
import { RULES } from './documents.js';

/** Lines of an invoice, as a scan or a photo of one would show them. */
const INVOICE_LINES = [
  'INVOICE',
  'Invoice number 4711',
  'Invoice date 3 March 2026',
  'Total amount due 320.70 EUR',
  'VAT 19 percent, payment within 30 days',
];
const SLOW_POLL = { ...POLL, timeout: 120 };

describe('every document format through the official SDK', () => {
  let stack: ServiceStack;
  let a: ReturnType<typeof sdk>;

  beforeAll(async () => {
    stack = await startServiceStack({ redisUrl: inject('redisUrl'), label: 'formats', env: { API_KEYS } });
    a = sdk(stack.baseUrl, 'key-a');
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const parse = async (bytes: Uint8Array, name: string, extra: Record<string, unknown> = {}) => {
    const job = await a.parsing.create({
      tier: 'fast',
      version: 'latest',
      upload_file: await toFile(Buffer.from(bytes), name),
      ...extra,
    });
    return a.parsing.waitForCompletion(
      job.id,
      { expand: ['text', 'markdown', 'text_full', 'markdown_full', 'job_metadata'] },
      SLOW_POLL,
    );
  };
  const classify = async (bytes: Uint8Array, name: string) => {
    const file = await a.files.create({ file: await toFile(Buffer.from(bytes), name), purpose: 'classify' });
    return a.classify.run({ file_input: file.id, configuration: { rules: RULES } }, SLOW_POLL);
  };

  it.each(['png', 'jpeg', 'tiff', 'webp'] as const)(
    'reads a %s photo of an invoice by OCR and classifies it',
    async (format) => {
      const image = await textImageFile(format, INVOICE_LINES);
      const parsed = await parse(image, `scan.${format === 'jpeg' ? 'jpg' : format}`);
      expect(parsed.job_metadata).toMatchObject({ format });
      for (const words of ['Invoice number 4711', 'Total amount due', '320.70']) {
        expect(parsed.text_full).toContain(words);
      }
      const done = await classify(image, `photo.${format}`);
      expect(done.status).toBe('COMPLETED');
      expect(done.result?.type).toBe('invoice');
    },
  );

  it('reads a scanned PDF by OCR, and a PDF mixing text and scanned pages, page by page', async () => {
    const scan = await scannedPdf([INVOICE_LINES]);
    const scanned = await parse(scan, 'scan.pdf');
    expect(scanned.text?.pages[0]?.text).toContain('Invoice number 4711');
    expect((await classify(scan, 'scan.pdf')).result?.type).toBe('invoice');

    const mixed = await pdfDocument([
      { text: ['Cover letter for the enclosed invoice'] },
      { scan: ['Delivery note 1001', 'Packing list for order 77'] },
    ]);
    const both = await parse(mixed, 'mixed.pdf');
    expect(both.text?.pages.map((p) => p.page_number)).toEqual([1, 2]);
    expect(both.text?.pages[0]?.text).toContain('Cover letter');
    expect(both.text?.pages[1]?.text).toContain('Packing list for order 77');
  });

  it('reads OCR in the language asked for', async () => {
    const german = await textImageFile('png', ['Rechnung für die Größe', 'Grüße aus München']);
    const parsed = await parse(german, 'rechnung.png', {
      processing_options: { ocr_parameters: { languages: ['de'] } },
    });
    expect(parsed.text_full).toContain('Größe');
    expect(parsed.text_full).toContain('München');
  });

  it('reads a Word document with its headings and tables kept readable', async () => {
    const docx = docxDocument([
      { heading: 'Invoice 2026-0412', level: 1 },
      { paragraph: 'Bill to Harbour Street Bakery. Payment within 30 days of the invoice date.' },
      {
        table: [
          ['Item', 'Quantity', 'Unit price'],
          ['Printer paper', '10', '4.20 EUR'],
        ],
      },
      { paragraph: 'Total amount due: 42.00 EUR including VAT.' },
    ]);
    const parsed = await parse(docx, 'bill.docx');
    expect(parsed.job_metadata).toMatchObject({ format: 'docx' });
    expect(parsed.markdown_full).toMatch(/^# Invoice 2026-0412/m);
    expect(parsed.markdown_full).toMatch(/Item\s+Quantity\s+Unit price\nPrinter paper\s+10\s+4\.20 EUR/);
    expect(parsed.text_full).toContain('Printer paper');
    expect((await classify(docx, 'bill.docx')).result?.type).toBe('invoice');
  });

  it('reads HTML with its tables, Markdown and plain text, detected by content not by name', async () => {
    const html = Buffer.from(
      '<html><body><h1>Lemon cake</h1><table><tr><th>Ingredient</th><th>Amount</th></tr>' +
        '<tr><td>Caster sugar</td><td>225 g</td></tr></table><p>Bake for 45 minutes at 180 C.</p></body></html>',
    );
    const fromHtml = await parse(html, 'recipe.bin');
    expect(fromHtml.job_metadata).toMatchObject({ format: 'html' });
    expect(fromHtml.text_full).toMatch(/Caster sugar\s+225 g/);
    const markdown = Buffer.from(
      '# Lemon cake\n\n- 225 g caster sugar\n- 4 eggs\n\nBake for **45 minutes**.\n',
    );
    const fromMarkdown = await parse(markdown, 'recipe.txt');
    expect(fromMarkdown.job_metadata).toMatchObject({ format: 'markdown' });
    expect(fromMarkdown.text_full).toContain('Bake for 45 minutes');
    const plain = await parse(Buffer.from('Plain words on a plain page.'), 'notes.pdf');
    expect(plain.job_metadata).toMatchObject({ format: 'text' });
  });
});
