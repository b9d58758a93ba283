// Parses every document of a folder with the built parser and prints, per format, how many
// completed or failed (with reasons), how many pages were read, and the time per page for
// text and for OCR separately. Build first: pnpm --filter @classifyd/parser... build
//   node packages/parser/scripts/parse-dev-set.mjs [folder]
// The folder defaults to the dev set beside the repo (../shared/datasets/doctypes-dev/docs);
// tests never use this script.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createParser, detectFormat, isDocumentError } from '../dist/index.js';

const folder =
  process.argv[2] ?? fileURLToPath(new URL('../../../../shared/datasets/doctypes-dev/docs', import.meta.url));
const files = (await readdir(folder)).sort();
const parser = createParser();
const byFormat = new Map();

function stats(format) {
  if (!byFormat.has(format)) {
    byFormat.set(format, {
      count: 0,
      completed: 0,
      failed: [],
      pages: 0,
      failedPages: 0,
      textPages: 0,
      textMs: 0,
      ocrPages: 0,
      ocrMs: 0,
    });
  }
  return byFormat.get(format);
}

const started = performance.now();
for (const name of files) {
  const bytes = await readFile(join(folder, name));
  const entry = stats(detectFormat(bytes) ?? 'unsupported');
  entry.count++;
  const t0 = performance.now();
  try {
    const parsed = await parser.parse(bytes);
    const ms = performance.now() - t0;
    const ocrPages = parsed.ocr?.pages.length ?? 0;
    const ocrMs = parsed.ocr?.ms ?? 0;
    entry.completed++;
    entry.pages += parsed.pages.length;
    entry.failedPages += parsed.pages.filter((page) => !page.success).length;
    entry.ocrPages += ocrPages;
    entry.ocrMs += ocrMs;
    entry.textPages += parsed.pages.length - ocrPages;
    entry.textMs += ms - ocrMs;
  } catch (error) {
    const reason = isDocumentError(error)
      ? `${error.reason}: ${error.message}`
      : `transient: ${error.message}`;
    entry.failed.push(`${name} (${reason})`);
  }
}
await parser.close();

const perPage = (ms, pages) => (pages === 0 ? '-' : (ms / pages).toFixed(1));
console.log(
  `Parsed ${files.length} documents from ${folder} in ${((performance.now() - started) / 1000).toFixed(1)} s`,
);
console.log(
  'format       count  completed  failed  pages  failed-pages  text-pages  text-ms/page  ocr-pages  ocr-ms/page',
);
for (const [format, s] of [...byFormat].sort()) {
  console.log(
    [
      format.padEnd(11),
      String(s.count).padStart(6),
      String(s.completed).padStart(10),
      String(s.failed.length).padStart(7),
      String(s.pages).padStart(6),
      String(s.failedPages).padStart(13),
      String(s.textPages).padStart(11),
      perPage(s.textMs, s.textPages).padStart(13),
      String(s.ocrPages).padStart(10),
      perPage(s.ocrMs, s.ocrPages).padStart(12),
    ].join(' '),
  );
}
for (const [format, s] of byFormat)
  for (const failure of s.failed) console.log(`failed ${format}: ${failure}`);
