/**
 * A plain-text rendering of Markdown for the `text` field: the words a reader sees, without
 * the markup. It is line-based and deliberately forgiving; the source stays available in
 * the `markdown` field for anyone who needs the structure.
 */

const FENCE = /^[ \t]{0,3}(`{3,}|~{3,})/;
const ATX_HEADING = /^[ \t]{0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/;
const EMPTY_ATX_HEADING = /^[ \t]{0,3}#{1,6}[ \t]*$/;
const SETEXT_UNDERLINE = /^[ \t]{0,3}(?:=+|-+)[ \t]*$/;
const THEMATIC_BREAK = /^[ \t]{0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const BLOCKQUOTE = /^[ \t]{0,3}(?:>[ \t]?)+/;
const BULLET = /^([ \t]*)[-*+][ \t]+(?:\[[ xX]\][ \t]+)?/;
const REFERENCE_DEFINITION = /^[ \t]{0,3}\[[^\]\n]+\]:[ \t]+\S+.*$/;
const TABLE_SEPARATOR = /^[ \t]*\|?(?:[ \t]*:?-+:?[ \t]*\|)+(?:[ \t]*:?-+:?[ \t]*)?$/;

const ENTITIES: Readonly<Record<string, string>> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
  '&nbsp;': ' ',
};

/**
 * Backslash-escaped characters are parked in the private use area while the markup rules
 * run, so that "\\*" is never taken for emphasis, and restored afterwards.
 */
const ESCAPED = /\\([\\`*_{}[\]()#+\-.!|>~<])/g;
const PARKED = /[\uE000-\uE07F]/g;
const park = (_: string, c: string) => String.fromCharCode(0xe000 + c.charCodeAt(0));
const unpark = (c: string) => String.fromCharCode(c.charCodeAt(0) - 0xe000);

function renderInline(line: string): string {
  return line
    .replace(ESCAPED, park)
    .replace(/!\[([^\]\n]*)\]\([^)\n]*\)/g, '$1')
    .replace(/\[([^\]\n]+)\]\([^)\n]*\)/g, '$1')
    .replace(/\[([^\]\n]+)\]\[[^\]\n]*\]/g, '$1')
    .replace(/<((?:https?|mailto):[^>\s]+)>/g, '$1')
    .replace(/<\/?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?\/?>/g, '')
    .replace(/(`+)([^`\n]+?)\1/g, '$2')
    .replace(/(\*\*|__)(?=\S)([^\n]*?\S)\1/g, '$2')
    .replace(/(^|[^\w*])\*(?=\S)([^*\n]*?\S)\*(?!\w)/g, '$1$2')
    .replace(/(^|[^\w])_(?=\S)([^_\n]*?\S)_(?!\w)/g, '$1$2')
    .replace(/~~(?=\S)([^~\n]*?\S)~~/g, '$1')
    .replace(/&(?:amp|lt|gt|quot|#39|nbsp);/g, (entity) => ENTITIES[entity] ?? entity)
    .replace(PARKED, unpark);
}

function tableRow(line: string): string | null {
  const trimmed = line.trim();
  if (!trimmed.includes('|') || !(trimmed.startsWith('|') || trimmed.endsWith('|'))) return null;
  const cells = trimmed
    .replace(/^\|/, '')
    .replace(/(?<!\\)\|$/, '')
    .split(/(?<!\\)\|/)
    .map((cell) => renderInline(cell.trim()));
  return cells.join('\t');
}

export function markdownToText(markdown: string): string {
  const out: string[] = [];
  let fence: string | null = null;
  for (const line of markdown.split(/\r\n?|\n/)) {
    const fenceMatch = FENCE.exec(line);
    if (fence !== null) {
      // Code is content: keep it verbatim until the matching closing fence.
      if (fenceMatch?.[1]?.startsWith(fence)) fence = null;
      else out.push(line);
      continue;
    }
    if (fenceMatch?.[1]) {
      fence = fenceMatch[1];
      continue;
    }
    if (REFERENCE_DEFINITION.test(line) || EMPTY_ATX_HEADING.test(line)) continue;
    if (THEMATIC_BREAK.test(line)) {
      out.push('');
      continue;
    }
    if (TABLE_SEPARATOR.test(line)) continue;
    // A setext underline belongs to the text line above it, which is already in `out`.
    if (SETEXT_UNDERLINE.test(line) && (out.at(-1) ?? '').trim() !== '') continue;
    const heading = ATX_HEADING.exec(line);
    if (heading) {
      out.push(renderInline(heading[1] ?? ''));
      continue;
    }
    const unquoted = line.replace(BLOCKQUOTE, '');
    const row = tableRow(unquoted);
    if (row !== null) {
      out.push(row);
      continue;
    }
    out.push(renderInline(unquoted.replace(BULLET, '$1- ')));
  }
  return out
    .map((l) => l.trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
