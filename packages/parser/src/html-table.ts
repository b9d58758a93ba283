import type { DomNode, FormatCallback } from 'html-to-text';

/**
 * Tables rendered so that cells stay apart and rows stay on their own lines. html-to-text's
 * own `dataTable` format does this too, but lays tables out in time quadratic in the
 * number of rows (a 50 000-row export took over 20 s), so the layout here is linear.
 */

const COLUMN_GAP = '   ';
/** Wider cells overflow instead of pushing every later column to the right. */
const MAX_COLUMN_WIDTH = 40;
/** A cell with more lines or characters than this is page layout, not data. */
const LAYOUT_CELL_LINES = 3;
const LAYOUT_CELL_CHARS = 200;

/** A rendered cell as html-to-text hands it to a table printer. */
interface TablePrinterCell {
  text: string;
  colspan: number;
  rowspan: number;
}

interface Cell {
  lines: string[];
}

/** Cells of a row, with an empty cell after a spanning one for every extra column it spans. */
function rowCells(row: TablePrinterCell[]): Cell[] {
  return row.flatMap((cell) => [
    { lines: cell.text.split('\n').map((line) => line.trimEnd()) },
    ...Array.from({ length: Math.max(0, cell.colspan - 1) }, () => ({ lines: [] })),
  ]);
}

function isLayoutTable(rows: TablePrinterCell[][]): boolean {
  return rows.some((row) =>
    row.some(
      (cell) => cell.text.length > LAYOUT_CELL_CHARS || cell.text.split('\n').length > LAYOUT_CELL_LINES,
    ),
  );
}

/** A table used to position a page's blocks reads best as those blocks, one after another. */
function layoutToString(rows: TablePrinterCell[][]): string {
  return rows
    .map((row) =>
      row
        .map((cell) => cell.text.trim())
        .filter((text) => text !== '')
        .join('\n\n'),
    )
    .filter((text) => text !== '')
    .join('\n\n');
}

function dataToString(rows: TablePrinterCell[][]): string {
  const cellRows = rows.map(rowCells);
  const widths: number[] = [];
  for (const cells of cellRows) {
    cells.forEach((cell, i) => {
      const widest = Math.max(0, ...cell.lines.map((line) => line.length));
      widths[i] = Math.min(MAX_COLUMN_WIDTH, Math.max(widths[i] ?? 0, widest));
    });
  }
  const out: string[] = [];
  for (const cells of cellRows) {
    const height = Math.max(1, ...cells.map((cell) => cell.lines.length));
    for (let k = 0; k < height; k++) {
      const line = cells.map((cell, i) => (cell.lines[k] ?? '').padEnd(widths[i] ?? 0)).join(COLUMN_GAP);
      out.push(line.trimEnd());
    }
  }
  return out.join('\n');
}

export function tableToString(rows: TablePrinterCell[][]): string {
  return isLayoutTable(rows) ? layoutToString(rows) : dataToString(rows);
}

const SECTIONS = new Set(['thead', 'tbody', 'tfoot']);

/** The `readableTable` format: walks rows and cells like html-to-text's `dataTable`. */
export const readableTable: FormatCallback = (table, walk, builder, formatOptions) => {
  const walkRows = (node: DomNode): void => {
    if (node.type !== 'tag') return;
    if (node.name !== undefined && SECTIONS.has(node.name)) {
      node.children.forEach(walkRows);
      return;
    }
    if (node.name !== 'tr') return;
    builder.openTableRow();
    for (const cell of node.children) {
      if (cell.type !== 'tag' || (cell.name !== 'td' && cell.name !== 'th')) continue;
      builder.openTableCell();
      walk(cell.children, builder);
      builder.closeTableCell({ colspan: Number(cell.attribs?.colspan) || 1, rowspan: 1 });
    }
    builder.closeTableRow();
  };
  builder.openTable();
  table.children.forEach(walkRows);
  builder.closeTable({
    tableToString,
    leadingLineBreaks: formatOptions.leadingLineBreaks ?? 2,
    trailingLineBreaks: formatOptions.trailingLineBreaks ?? 2,
  });
};
