// parse-pdf's measuring process: @classifyd/parser's parseDocument here, one file at a time
// (one core), and pdftotext spawned from here, one process per file, so both are timed from
// the same small process. A first pass of ours over all files warms the module and pdf.js and
// is reported apart; the parent then asks for one file and one tool at a time.
import { readFile } from 'node:fs/promises';
import { parseDocument } from '@classifyd/parser';
import { report, runChild } from '../lib/child.js';
import { pdftotextFile } from '../lib/pdftotext.js';

export interface OursFile {
  path: string;
  pages: number;
  error?: string;
}

async function parseOne(path: string): Promise<OursFile & { seconds: number }> {
  const began = performance.now();
  try {
    // Every page: the service's default cap (100) would cut long files short of pdftotext.
    const parsed = await parseDocument(await readFile(path), { defaultMaxPages: 1_000_000 });
    const pages = parsed.pages.filter((p) => p.success).length;
    return { path, pages, seconds: (performance.now() - began) / 1000 };
  } catch (error) {
    return { path, pages: 0, error: (error as Error).message, seconds: (performance.now() - began) / 1000 };
  }
}

async function main(): Promise<void> {
  const files = JSON.parse(process.env.BENCH_PDF_FILES ?? '[]') as string[];
  const began = performance.now();
  const results: OursFile[] = [];
  for (const path of files) {
    const { seconds: _, ...result } = await parseOne(path);
    results.push(result);
  }
  report({ type: 'ready', coldSeconds: (performance.now() - began) / 1000, results });
  process.on('message', (message: { type?: string; path?: string; tool?: string }) => {
    if (message.type === 'file' && message.path) {
      const run = message.tool === 'pdftotext' ? pdftotextFile(message.path) : parseOne(message.path);
      run.then(
        (result) => report({ type: 'file', ...result }),
        (error: Error) => report({ type: 'error', message: error.message }),
      );
    }
  });
}

runChild(main);
