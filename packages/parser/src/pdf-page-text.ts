/**
 * Rebuild the reading text of a PDF page from pdf.js text items. Items come in content
 * stream order, each a run of glyphs at a position; a line ends where pdf.js marks
 * `hasEOL` or where the baseline moves, and runs on one line are joined with a space
 * when there is a visible gap between them, so words are neither glued nor split.
 */

/** The part of pdf.js's `TextItem` this module relies on. */
export interface PdfTextItem {
  str: string;
  transform: number[];
  width: number;
  height: number;
  hasEOL: boolean;
}

/** A gap wider than this fraction of the font size reads as a word space. */
const WORD_GAP = 0.15;
/** A baseline shift larger than this fraction of the font size starts a new line. */
const LINE_SHIFT = 0.5;
/** A line more than this many font sizes below the previous one follows a blank line. */
const PARAGRAPH_GAP = 2;

function isTextItem(item: unknown): item is PdfTextItem {
  return typeof item === 'object' && item !== null && 'str' in item && 'transform' in item;
}

interface Run {
  x: number;
  y: number;
  end: number;
  size: number;
}

function runOf(item: PdfTextItem): Run {
  const [a = 1, b = 0, c = 0, d = 1, x = 0, y = 0] = item.transform;
  const size = item.height > 0 ? item.height : Math.hypot(c, d) || Math.hypot(a, b) || 1;
  return { x, y, end: x + item.width, size };
}

/** Control characters some PDFs map glyphs to; they are never part of the reading text. */
const CONTROL = /\p{Cc}/gu;
const dropControl = (c: string) => (c === '\t' ? c : '');

export function pageTextFromItems(items: readonly unknown[]): string {
  const lines: string[] = [];
  let line = '';
  let previous: Run | null = null;
  let lineEnded = false;

  const endLine = () => {
    lines.push(line);
    line = '';
    lineEnded = true;
  };

  for (const item of items) {
    if (!isTextItem(item)) continue;
    if (item.str !== '') {
      const run = runOf(item);
      if (previous !== null) {
        const size = Math.max(run.size, previous.size);
        const shift = Math.abs(run.y - previous.y);
        const sameLine = shift <= size * LINE_SHIFT;
        if (!sameLine && !lineEnded) endLine();
        if (!sameLine && previous.y - run.y > size * PARAGRAPH_GAP && (lines.at(-1) ?? '') !== '') {
          lines.push('');
        }
        if (sameLine && line !== '' && !/\s$/.test(line) && !/^\s/.test(item.str)) {
          const gap = run.x - previous.end;
          // A run that starts well left of the previous one's end is a new column or a
          // re-drawn line; either way it is a separate word.
          if (gap > size * WORD_GAP || gap < -size) line += ' ';
        }
      }
      line += item.str;
      previous = run;
      lineEnded = false;
    }
    if (item.hasEOL) endLine();
  }
  if (line !== '') lines.push(line);

  return lines
    .map((l) => l.replace(CONTROL, dropControl).trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
