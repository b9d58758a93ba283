import type { OutputFormat } from './args.js';
import type { DocumentResult } from './classify-document.js';

const COLUMNS = [
  'path',
  'status',
  'type',
  'confidence',
  'reasoning',
  'job_id',
  'error_message',
  'upload_ms',
  'wait_ms',
  'job_ms',
  'file_id',
  'parse_job_id',
] as const;
const DETAIL_COLUMNS = ['format', 'page_count', 'parse_ms', 'classify_ms'] as const;
type Column = (typeof COLUMNS)[number] | (typeof DETAIL_COLUMNS)[number];

function columnsFor(results: DocumentResult[]): Column[] {
  const detailed = results.some((r) => r.format !== undefined || r.parse_ms !== undefined);
  return detailed ? [...COLUMNS, ...DETAIL_COLUMNS] : [...COLUMNS];
}

/** Every field in a fixed order, null where unknown: one object per document. */
export function formatJson(results: DocumentResult[]): string {
  const columns = columnsFor(results);
  const rows = results.map((r) => Object.fromEntries(columns.map((c) => [c, r[c] ?? null])));
  return `${JSON.stringify(rows, null, 2)}\n`;
}

export const csvCell = (value: unknown): string => {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/** RFC 4180: a header row, then one row per document; empty cells for null. */
export function formatCsv(results: DocumentResult[]): string {
  const columns = columnsFor(results);
  const lines = [columns.join(','), ...results.map((r) => columns.map((c) => csvCell(r[c])).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

export function clip(text: string, width: number, fromStart = false): string {
  if (text.length <= width) return text;
  if (width <= 1) return '…'.slice(0, width);
  return fromStart ? `…${text.slice(text.length - width + 1)}` : `${text.slice(0, width - 1)}…`;
}

const ms = (value: number | null) =>
  value === null ? '-' : value < 10_000 ? `${value}ms` : `${(value / 1000).toFixed(1)}s`;

/**
 * Aligned columns for a person; the last column (reasoning, or the error for a failed
 * document) is cut to fit `width` (at least 24 characters are kept), and long paths keep
 * their end, which names the file. Full values are in the json and csv formats.
 */
export function formatTable(results: DocumentResult[], width = 160): string {
  // With --parse-details, what the parse found and how long each stage took, as in json and csv.
  const detailed = columnsFor(results).length > COLUMNS.length;
  const header = [
    'PATH',
    'STATUS',
    'TYPE',
    'CONF',
    'UPLOAD',
    'WAIT',
    'JOB',
    ...(detailed ? ['FORMAT', 'PAGES', 'PARSE', 'CLASSIFY'] : []),
    'REASONING / ERROR',
  ];
  const rows = results.map((r) => [
    clip(r.path, 36, true),
    r.status,
    r.status === 'COMPLETED' ? (r.type ?? '(none)') : '-',
    r.confidence === null ? '-' : r.confidence.toFixed(2),
    ms(r.upload_ms),
    ms(r.wait_ms),
    r.job_id ?? '-',
    ...(detailed
      ? [
          r.format ?? '-',
          r.page_count == null ? '-' : String(r.page_count),
          ms(r.parse_ms ?? null),
          ms(r.classify_ms ?? null),
        ]
      : []),
    oneLine((r.status === 'COMPLETED' ? r.reasoning : r.error_message) ?? ''),
  ]);
  const fixed = header.length - 1;
  const widths = header
    .slice(0, fixed)
    .map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const used = widths.reduce((sum, w) => sum + w + 2, 0);
  const last = Math.max(24, width - used);
  const render = (cells: string[]) =>
    cells
      .map((cell, i) => (i < fixed ? cell.padEnd(widths[i] ?? 0) : clip(cell, last)))
      .join('  ')
      .trimEnd();
  return `${[render(header), ...rows.map(render)].join('\n')}\n`;
}

export function formatResults(results: DocumentResult[], format: OutputFormat, width?: number): string {
  if (format === 'json') return formatJson(results);
  if (format === 'csv') return formatCsv(results);
  return formatTable(results, width);
}

/** One line for stderr: how many documents ended how. */
export function summarize(results: DocumentResult[]): string {
  const counts = new Map<string, number>();
  for (const r of results) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
  const parts = [...counts].map(([status, n]) => `${n} ${status.toLowerCase()}`);
  return `${results.length} document${results.length === 1 ? '' : 's'}: ${parts.join(', ')}`;
}
