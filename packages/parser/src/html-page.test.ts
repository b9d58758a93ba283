import { describe, expect, it } from 'vitest';
import { DocumentError } from './document-error.js';
import { parseDocument } from './parse-document.js';

const utf8 = (text: string) => new TextEncoder().encode(text);

const invoicePage = `<!DOCTYPE html>
<html>
<head>
  <title>Invoice</title>
  <style>body { font-family: sans-serif } .total { color: red }</style>
  <script>window.analytics = "tracking-id-123";</script>
</head>
<body>
  <nav><a href="/">Home</a><a href="/account">My account</a></nav>
  <h1>Invoice 2024-17</h1>
  <p>Thank you for your <a href="https://shop.example.com/orders/17">order</a>.</p>
  <img src="logo.png" alt="Shop logo">
  <table>
    <tr><th>Item</th><th>Qty</th><th>Price</th></tr>
    <tr><td>Pen</td><td>2</td><td>3.00</td></tr>
    <tr><td>Paper</td><td>10</td><td>4.50</td></tr>
  </table>
  <script>document.write("injected")</script>
</body>
</html>`;

describe('parseDocument on HTML', () => {
  it('reads the visible text as one page', async () => {
    const parsed = await parseDocument(utf8(invoicePage));
    expect(parsed.format).toBe('html');
    expect(parsed.pageCount).toBe(1);
    expect(parsed.pages).toHaveLength(1);
    expect(parsed.pages[0]?.success).toBe(true);
    expect(parsed.pages[0]?.text).toContain('Invoice 2024-17');
    expect(parsed.pages[0]?.text).toContain('Thank you for your order.');
  });

  it('keeps table cells apart and rows on their own lines', async () => {
    const text = (await parseDocument(utf8(invoicePage))).pages[0]?.text ?? '';
    const lines = text.split('\n');
    expect(lines.find((l) => l.startsWith('Item'))).toMatch(/^Item\s+Qty\s+Price$/);
    expect(lines.find((l) => l.startsWith('Pen'))).toMatch(/^Pen\s+2\s+3\.00$/);
    expect(lines.find((l) => l.startsWith('Paper'))).toMatch(/^Paper\s+10\s+4\.50$/);
  });

  it('keeps the columns of a table with spanning and multi-line cells aligned', async () => {
    const html = `<html><body><table>
      <thead><tr><th colspan="2">Customer</th><th>Total</th></tr></thead>
      <tbody><tr><td>Ann</td><td>Lee</td><td>12.00</td></tr><tr><td>Bob</td><td>Ray</td><td>9.50<br>paid</td></tr></tbody>
    </table></body></html>`;
    expect((await parseDocument(utf8(html))).pages[0]?.text).toBe(
      [
        'Customer         Total',
        'Ann        Lee   12.00',
        'Bob        Ray   9.50',
        '                 paid',
      ].join('\n'),
    );
  });

  it('reads a table used for page layout as blocks of text, not side-by-side columns', async () => {
    const article = 'The council approved the new budget on Monday after a long debate. '.repeat(4);
    const html = `<html><body><table><tr>
      <td><a href="/">Home</a><br><a href="/news">News</a></td>
      <td><h2>Budget approved</h2><p>${article}</p><p>More to follow.</p></td>
    </tr></table></body></html>`;
    const text = (await parseDocument(utf8(html))).pages[0]?.text ?? '';
    expect(text).toBe(`Home\nNews\n\nBudget approved\n\n${article.trim()}\n\nMore to follow.`);
  });

  it('drops scripts, styles, navigation, link URLs and images', async () => {
    const text = (await parseDocument(utf8(invoicePage))).pages[0]?.text ?? '';
    for (const noise of [
      'tracking-id',
      'injected',
      'font-family',
      'My account',
      'shop.example.com',
      'logo',
    ]) {
      expect(text).not.toContain(noise);
    }
  });

  it('renders headings as Markdown headings in the markdown field only', async () => {
    const page = (await parseDocument(utf8(invoicePage))).pages[0];
    expect(page?.markdown).toContain('# Invoice 2024-17');
    expect(page?.text).not.toContain('#');
  });

  it('separates links that sit side by side without whitespace', async () => {
    const html =
      '<html><body><div><a href="/a">Directory</a><a href="/b">Login</a><a href="/c">Contact</a></div></body></html>';
    expect((await parseDocument(utf8(html))).pages[0]?.text).toBe('Directory Login Contact');
  });

  it('decodes the charset the page declares', async () => {
    const head = utf8('<html><head><meta charset="windows-1252"></head><body><p>Gr');
    const html = new Uint8Array([
      ...head,
      0xfc,
      0xdf,
      0x65,
      ...utf8(' 5 '),
      0x80,
      ...utf8('</p></body></html>'),
    ]);
    expect((await parseDocument(html)).pages[0]?.text).toBe('Grüße 5 €');
  });

  it('refuses a page with no visible text as empty', async () => {
    const html = '<html><head><script>var a = 1;</script></head><body><img src="x.png"></body></html>';
    const error = await parseDocument(utf8(html)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DocumentError);
    expect((error as DocumentError).reason).toBe('empty');
  });

  it('refuses absurdly deep nesting, which would take minutes to parse', async () => {
    const html = `<html><body>${'<font>'.repeat(30_000)}text</body></html>`;
    const error = await parseDocument(utf8(html)).catch((e: unknown) => e);
    expect((error as DocumentError).reason).toBe('too_large');
  });

  it('reads long lists whose items are never closed, as old generators write them', async () => {
    const html = `<html><body><ul>${'<li>item'.repeat(30_000)}</ul></body></html>`;
    const text = (await parseDocument(utf8(html))).pages[0]?.text ?? '';
    expect(text.split('\n')).toHaveLength(30_000);
    expect(text.split('\n').at(-1)).toBe('- item');
  });

  it('has one page only, so target_pages "2" selects nothing', async () => {
    const error = await parseDocument(utf8(invoicePage), { targetPages: '2' }).catch((e: unknown) => e);
    expect((error as DocumentError).reason).toBe('no_pages_selected');
  });
});
