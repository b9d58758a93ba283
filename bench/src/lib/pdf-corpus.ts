import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTextPdf } from '@classifyd/testkit';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The dev dataset sits beside the repo (shared/ next to main/); BENCH_DATASET_DIR overrides. */
export const DATASET_DIR =
  process.env.BENCH_DATASET_DIR ?? join(REPO_ROOT, '..', 'shared', 'datasets', 'doctypes-dev');

export interface PdfCorpus {
  source: string;
  files: string[];
  cleanup(): void;
}

/** Splits one CSV line, honouring double-quoted fields ("" is a quote inside one). */
export function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else field += c;
  }
  fields.push(field);
  return fields;
}

/** Dev dataset files whose labels.csv format is one of `formats`, read in place; null without the dataset. */
export function datasetFiles(formats: readonly string[]): string[] | null {
  const labels = join(DATASET_DIR, 'labels.csv');
  if (!existsSync(labels)) return null;
  const [header, ...rows] = readFileSync(labels, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '');
  const columns = splitCsvLine(header ?? '');
  const pathAt = columns.indexOf('path');
  const formatAt = columns.indexOf('format');
  if (pathAt < 0 || formatAt < 0) throw new Error(`${labels} has no path or format column`);
  return rows
    .map(splitCsvLine)
    .filter((fields) => formats.includes(fields[formatAt] ?? ''))
    .map((fields) => join(DATASET_DIR, fields[pathAt] ?? ''));
}

const WORDS =
  'the supplier shall deliver goods within thirty days of the order date and the buyer shall pay each invoice by bank transfer quoting its number while either party may end this agreement on written notice'.split(
    ' ',
  );

/** Repo-made stand-ins when the dataset is absent: multi-page PDFs with a real text layer. */
async function generatedPdfs(dir: string, files: number, pages: number): Promise<string[]> {
  const paths: string[] = [];
  for (let f = 0; f < files; f++) {
    const content = Array.from({ length: pages }, (_, p) =>
      Array.from({ length: 45 }, (_, l) =>
        Array.from({ length: 12 }, (_, w) => WORDS[(f * 7 + p * 13 + l * 5 + w) % WORDS.length]).join(' '),
      ),
    );
    const path = join(dir, `generated-${f}.pdf`);
    writeFileSync(path, await makeTextPdf(content));
    paths.push(path);
  }
  return paths;
}

export async function loadPdfCorpus(): Promise<PdfCorpus> {
  // Text-layer PDFs only ("pdf", not "pdf-scanned").
  const dataset = datasetFiles(['pdf']);
  if (dataset && dataset.length > 0) {
    return { source: `doctypes-dev text-layer PDFs (${DATASET_DIR})`, files: dataset, cleanup: () => {} };
  }
  const dir = mkdtempSync(join(tmpdir(), 'classifyd-bench-pdf-'));
  const files = await generatedPdfs(dir, 24, 8);
  return {
    source: `generated: ${files.length} PDFs of 8 pages (dataset not found at ${DATASET_DIR})`,
    files,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
