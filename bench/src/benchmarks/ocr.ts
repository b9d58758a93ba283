import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createParser } from '@classifyd/parser';
import { textImageFile } from '@classifyd/testkit';
import type { Benchmark, BenchOutcome } from '../lib/benchmark.js';
import { datasetFiles } from '../lib/pdf-corpus.js';
import { printTable, ratio, round } from '../lib/stats.js';

const TESSERACT_INSTALL = 'apt-get update && apt-get install -y tesseract-ocr';
const IMAGE_FORMATS = ['image/jpeg', 'image/png', 'image/tiff'];

interface Corpus {
  source: string;
  images: string[];
  scans: string[];
  cleanup(): void;
}

/** The dev set's photos and scanned PDFs; or repo-made images of text when it is absent. */
async function loadCorpus(quick: boolean): Promise<Corpus> {
  const images = datasetFiles(IMAGE_FORMATS);
  const scans = datasetFiles(['pdf-scanned']) ?? [];
  if (images && images.length > 0) {
    return {
      source: 'doctypes-dev photos and scanned PDFs',
      images: quick ? images.slice(0, 4) : images,
      scans: quick ? scans.slice(0, 1) : scans,
      cleanup: () => {},
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'classifyd-bench-ocr-'));
  const generated: string[] = [];
  for (let i = 0; i < (quick ? 3 : 8); i++) {
    const path = join(dir, `page-${i}.png`);
    const lines = Array.from(
      { length: 25 },
      (_, l) => `Line ${l + 1} of page ${i + 1}: invoice total 42.${l} EUR`,
    );
    writeFileSync(path, await textImageFile('png', lines));
    generated.push(path);
  }
  return {
    source: 'generated text images (dataset absent)',
    images: generated,
    scans: [],
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

function tesseract(path: string): Promise<number | null> {
  return new Promise((resolve) => {
    const began = performance.now();
    const child = spawn('tesseract', [path, '-', '-l', 'eng'], {
      stdio: ['ignore', 'ignore', 'ignore'],
      env: { ...process.env, OMP_THREAD_LIMIT: '1' },
    });
    child.once('error', () => resolve(null));
    child.once('close', (code) => resolve(code === 0 ? (performance.now() - began) / 1000 : null));
  });
}

/**
 * OCR seconds per page with one OCR thread (one core), on photos and scanned PDFs, against
 * Debian's tesseract 5 CLI (one thread) on the same photos when it is installed.
 */
export const ocr: Benchmark = {
  name: 'ocr',
  summary: 'OCR seconds per page, one core: @classifyd/parser (tesseract.js) vs the tesseract CLI',
  async run(context): Promise<BenchOutcome> {
    const corpus = await loadCorpus(context.quick);
    const parser = createParser({ ocrConcurrency: 1 });
    try {
      // One untimed page starts the OCR thread and loads the language, as a worker does once.
      await parser.parse(readFileSync(corpus.images[0] as string));
      const measure = async (files: string[]) => {
        let seconds = 0;
        let pages = 0;
        let failed = 0;
        for (const path of files) {
          const began = performance.now();
          try {
            const parsed = await parser.parse(readFileSync(path));
            pages += parsed.ocr?.pages.length ?? 0;
            seconds += (performance.now() - began) / 1000;
          } catch {
            failed++;
          }
        }
        return {
          files: files.length,
          pages,
          failed,
          seconds: round(seconds, 2),
          secondsPerPage: round(seconds / pages, 3),
        };
      };
      const images = await measure(corpus.images);
      const scans = await measure(corpus.scans);
      let cli: { seconds: number; secondsPerPage: number } | null = null;
      let cliSeconds = 0;
      for (const path of corpus.images) {
        const seconds = await tesseract(path);
        if (seconds === null) break;
        cliSeconds += seconds;
      }
      if (cliSeconds > 0) {
        cli = { seconds: round(cliSeconds, 2), secondsPerPage: round(cliSeconds / images.pages, 3) };
      }
      const rows = [
        ['photos, ours', String(images.pages), String(images.secondsPerPage)],
        ['scanned PDFs, ours', String(scans.pages), String(scans.secondsPerPage)],
        [
          'photos, tesseract CLI',
          cli ? String(images.pages) : '-',
          cli ? String(cli.secondsPerPage) : 'not installed',
        ],
      ];
      printTable([['corpus', 'pages', 's/page'], ...rows]);
      const speedRatio = cli ? ratio(cli.secondsPerPage, images.secondsPerPage) : null;
      if (speedRatio !== null) console.log(`  ratio ours/tesseract CLI (speed): ${speedRatio}`);
      else console.log(`  tesseract CLI not found: ${TESSERACT_INSTALL}`);
      return { status: 'ok', source: corpus.source, images, scans, tesseractCli: cli, ratio: speedRatio };
    } finally {
      await parser.close();
      corpus.cleanup();
    }
  },
};
