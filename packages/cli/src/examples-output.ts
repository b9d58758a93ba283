import type { ExampleResult } from './add-examples.js';
import type { Example } from './examples-api.js';
import type { OutputFormat } from './flags.js';
import { clip, csvCell } from './format-results.js';

type Row = Record<string, string | number | null>;

const NEGATIVE = '(none)';

/**
 * Rows in the chosen format: JSON objects with every key, RFC 4180 CSV, or an aligned table
 * of `tableColumns` whose last column is cut to `width` (at least 24 characters kept).
 */
function render(
  rows: Row[],
  allColumns: string[],
  tableColumns: string[],
  format: OutputFormat,
  width: number,
): string {
  if (format === 'json') return `${JSON.stringify(rows, null, 2)}\n`;
  if (format === 'csv')
    return `${[allColumns.join(','), ...rows.map((r) => allColumns.map((c) => csvCell(r[c])).join(','))].join('\r\n')}\r\n`;
  const columns = tableColumns;
  const cells = [
    columns.map((c) => c.toUpperCase()),
    ...rows.map((r) => columns.map((c) => String(r[c] ?? '-'))),
  ];
  const fixed = columns.length - 1;
  const widths = columns
    .slice(0, fixed)
    .map((_, i) => Math.max(...cells.map((row) => (row[i] ?? '').length)));
  const last = Math.max(24, width - widths.reduce((sum, w) => sum + w + 2, 0));
  return `${cells
    .map((row) =>
      row
        .map((cell, i) => (i < fixed ? cell.padEnd(widths[i] ?? 0) : clip(cell.replace(/\s+/g, ' '), last)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')}\n`;
}

/**
 * One row per file given to `examples add`; type null (a negative example) shows as (none) in
 * a table, which leaves out the file id so that the reason a file was refused has room.
 */
export function formatAddResults(results: ExampleResult[], format: OutputFormat, width = 160): string {
  const columns = ['path', 'type', 'status', 'example_id', 'file_id', 'error_message'];
  const rows = results.map((r) => ({
    path: r.path,
    type: format === 'table' ? (r.type ?? NEGATIVE) : r.type,
    status: r.status,
    example_id: r.example_id,
    file_id: r.file_id,
    error_message: r.error_message,
  }));
  return render(
    rows,
    columns,
    columns.filter((c) => c !== 'file_id'),
    format,
    width,
  );
}

/** The examples of a configuration, in the order the service lists them. */
export function formatExampleList(examples: Example[], format: OutputFormat, width = 160): string {
  const columns = ['id', 'type', 'status', 'file_input', 'created_at', 'error_message'];
  const rows = examples.map((e) => ({
    id: e.id,
    type: format === 'table' ? (e.type ?? NEGATIVE) : e.type,
    status: e.status,
    file_input: e.file_input,
    created_at: e.created_at,
    error_message: e.error_message,
  }));
  return render(rows, columns, columns, format, width);
}

/**
 * For stderr: a total line, then one line per type (negatives last, as `(none)`), e.g.
 * `12 examples: 11 ready, 1 error` / `  invoice: 4 ready, 1 error`.
 */
export function summarizeByType(results: ExampleResult[]): string {
  const counts = (rows: ExampleResult[]) => {
    const byStatus = new Map<string, number>();
    for (const r of rows) byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
    return [...byStatus].map(([status, n]) => `${n} ${status.toLowerCase()}`).join(', ');
  };
  const types = [...new Set(results.map((r) => r.type))].sort((a, b) =>
    a === null ? 1 : b === null ? -1 : a.localeCompare(b),
  );
  const lines = [`${results.length} example${results.length === 1 ? '' : 's'}: ${counts(results)}`];
  for (const type of types)
    lines.push(`  ${type ?? NEGATIVE}: ${counts(results.filter((r) => r.type === type))}`);
  return `${lines.join('\n')}\n`;
}
