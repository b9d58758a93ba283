/**
 * Layout and number cues: surface features of a document (dates, money amounts, labelled
 * fields, check boxes, greeting lines, citations, quotations, ...), each named by the plain
 * English words a person would use for it when writing a rule ("a date", "labelled fields",
 * "a salutation"). The cue words join the document's own words, so a rule that mentions
 * them, or words near them, finds them whatever language the document is in.
 */

const MONTH = '(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\\.?';

/** Patterns counted wherever they occur in the text; a pattern is tried only when its guard character occurs. */
const INLINE_CUES: readonly (readonly [RegExp, readonly string[], string?])[] = [
  // 31.12.2016, 2024-03-12, 12/03/24
  [/\b(?:\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}-\d{2}-\d{2})\b/g, ['date']],
  // 12 March 2024, March 12, 2024
  [
    new RegExp(`\\b(?:\\d{1,2}\\.?\\s+${MONTH}\\s+\\d{4}|${MONTH}\\s+\\d{1,2},?\\s+\\d{4})\\b`, 'gi'),
    ['date'],
  ],
  // March 2024, Jan. 2019 (not the tail of "12 March 2024", counted above)
  [new RegExp(`(?<!\\d\\.?\\s{1,3})\\b${MONTH}\\s+(?:19|20)\\d{2}\\b`, 'gi'), ['date']],
  // 2015 - 2019, 2018-present: periods, as in work histories
  [/\b(?:19|20)\d{2}\s?[–-]\s?(?:(?:19|20)\d{2}|present|current|now|today)\b/gi, ['date', 'period']],
  [/\b\d{1,2}:\d{2}(?::\d{2})?\s*(?:am|pm)?\b/gi, ['time']],
  // a currency sign or code next to a number
  [
    /(?:[$€£¥₹]|\b(?:usd|eur|gbp|chf|sgd|aud|cad|inr|rm)\b)\s?\d[\d,.' ]*\d|\d[\d,.' ]*\d\s?(?:[$€£¥₹]|\b(?:usd|eur|gbp|chf)\b)/gi,
    ['amount', 'price'],
  ],
  // 1,234.56 / 1.234,56 / 12.50: numbers with two decimals are nearly always money
  [/(?<![\d.,])\d{1,3}(?:[.,' ]\d{3})*[.,]\d{2}(?![\d.,])/g, ['amount']],
  [/\b\d+(?:[.,]\d+)?\s?%/g, ['percentage']],
  // E-mail addresses and phone numbers are what people call contact details.
  [/\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/g, ['address', 'contact'], '@'],
  [/\bhttps?:\/\/\S+|\bwww\.\S+/gi, ['web', 'link']],
  [/(?:\+\d{1,3}[\s-]?)?\(?\d{2,5}\)?[\s/-]\d{3,4}[\s-]?\d{3,5}\b/g, ['phone', 'contact']],
  [/[☐☑☒□■▢✓✔]|\[\s?[xX✓]?\s?\]/g, ['checkbox', 'box']],
  [/_{4,}|\.{6,}/g, ['blank', 'fill']],
  // [12], [3, 4], et al., (Smith, 2019)
  [
    /\[\d{1,3}(?:[,–-]\s?\d{1,3})*\]|\bet al\.|\(\p{Lu}\p{Ll}+(?: et al\.)?,? \d{4}[a-z]?\)/gu,
    ['citation', 'reference'],
  ],
  [/[“"][^”"\n]{20,300}[”"]/g, ['quote', 'quotation']],
];

/** Patterns that describe a whole line; the first that matches wins. */
const LINE_CUES: readonly (readonly [RegExp, readonly string[]])[] = [
  [/^\s*(?:signature|signed|sign here|\/s\/|by:\s*_+)/iu, ['signature']],
  // "Label:" with nothing (or a blank) after it is a field to fill in; "Label: value" is a
  // labelled value, which receipts, CVs and e-mails are full of, so it is not called a field.
  [/^\s*\p{L}[\p{L}\p{M} .#/()'-]{1,40}:\s*(?:_+|\.{3,})?\s*$/u, ['field', 'blank']],
  [/^\s*\p{L}[\p{L}\p{M} .#/()'-]{1,40}:\s+\S/u, ['label']],
  // 1. / 1.2 / (a) / iv) at the start of a line
  [
    /^\s*(?:\d{1,2}(?:\.\d{1,2})+\.?|\d{1,2}\.|\([a-z]{1,3}\)|[ivx]{1,4}\))\s+\p{L}/iu,
    ['numbered', 'section'],
  ],
  [/^\s*[•▪●◦‣∙·*–-]\s+\S/u, ['bullet', 'list']],
  // Greetings and closing formulas of correspondence, in the languages of the stop-word list.
  [
    /^\s*(?:dear|hello|hi|sehr geehrte[rs]?|liebe[rs]?|hallo|cher|chère|madame|monsieur|bonjour|estimad[oa]s?|geachte|beste)\b.{0,60}$/iu,
    ['salutation', 'greeting'],
  ],
  [
    /^\s*(?:sincerely|yours (?:sincerely|faithfully|truly)|(?:best|kind|warm)(?:est)? regards|regards|best wishes|cheers|thanks|thank you|mit freundlichen grüßen|viele grüße|beste grüße|cordialement|bien à vous|atentamente|saludos|met vriendelijke groet)\b.{0,30}$/iu,
    ['closing', 'signature'],
  ],
];

/** Cue counts are rates per this many non-empty lines once a document is longer. */
const CUE_DENSITY_LINES = 40;
/** Header lines ("Subject: ...") looked for at the top of the first page. */
const HEADER_ZONE_LINES = 12;
const MIN_HEADER_LINES = 3;
const MAX_HEADLINE_WORDS = 14;
const MIN_PROSE_WORDS = 25;
const MIN_NARROW_LINES = 8;
const MAX_NARROW_LINE = 32;

export interface LayoutCue {
  /** A pseudo-count: occurrences, scaled to a density for long documents. */
  count: number;
  /** Pages where it was seen, in order. */
  pages: number[];
}

export interface CuePage {
  page_number: number;
  text: string;
}

/** Running text: enough words and at least two sentence ends. */
function isProse(block: string): boolean {
  return (
    block.trim().split(/\s+/).length >= MIN_PROSE_WORDS &&
    (block.match(/[.!?]["”')]?(?:\s|$)/g)?.length ?? 0) >= 2
  );
}

export function layoutCues(pages: readonly CuePage[]): Map<string, LayoutCue> {
  const cues = new Map<string, LayoutCue>();
  const add = (words: readonly string[], page: number, n = 1) => {
    for (const word of words) {
      const cue = cues.get(word);
      if (!cue) cues.set(word, { count: n, pages: [page] });
      else {
        cue.count += n;
        if (cue.pages.at(-1) !== page) cue.pages.push(page);
      }
    }
  };

  let nonEmptyLines = 0;
  for (const { page_number: page, text } of pages) {
    for (const [pattern, words, guard] of INLINE_CUES) {
      if (guard && !text.includes(guard)) continue;
      const n = text.match(pattern)?.length ?? 0;
      if (n > 0) add(words, page, n);
    }
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      nonEmptyLines++;
      const cue = LINE_CUES.find(([pattern]) => pattern.test(line));
      if (cue) add(cue[1], page);
    }
    // Paragraphs are blocks between blank lines (PDF text wraps them into short lines).
    const prose = text.split(/\n\s*\n/).filter(isProse).length;
    if (prose > 0) add(['paragraph', 'prose'], page, prose);
  }

  const first = pages[0];
  if (first) {
    const lines = first.text.split('\n').filter((l) => l.trim() !== '');
    const headers = lines.slice(0, HEADER_ZONE_LINES).filter((l) => /^[A-Z][\w-]{1,30}:\s+\S/.test(l)).length;
    if (headers >= MIN_HEADER_LINES) add(['header', 'headers'], first.page_number, headers);
    // A short first line without closing punctuation, above a longer text: a headline or title.
    const top = lines[0]?.trim() ?? '';
    const words = top.split(/\s+/).length;
    if (words >= 2 && words <= MAX_HEADLINE_WORDS && !/[.:,;]$/.test(top) && first.text.length > 400)
      add(['headline', 'title'], first.page_number);
    // A column of short lines, as a till or card terminal prints: narrow, whatever its words.
    const lengths = lines.map((l) => l.trim().length).sort((x, y) => x - y);
    const median = lengths[Math.floor(lengths.length / 2)] ?? 0;
    if (lines.length >= MIN_NARROW_LINES && median <= MAX_NARROW_LINE)
      add(['narrow'], first.page_number, CUE_DENSITY_LINES / 4);
  }

  // Density, not presence: a contract with a few "Name:" lines is not a form.
  const scale = Math.min(1, CUE_DENSITY_LINES / Math.max(1, nonEmptyLines));
  for (const cue of cues.values()) cue.count *= scale;
  return cues;
}
