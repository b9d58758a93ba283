/**
 * Markdown is plain text with conventions, so it is told apart by how many distinct
 * conventions a document uses. One list or one quoted reply is common in plain e-mails;
 * a heading plus a list, or fenced code, or several headings, is Markdown.
 */

const STRONG: readonly RegExp[] = [
  /^#{1,6}[ \t]+\S/m, // ATX heading
  /^[ \t]{0,3}(?:```|~~~)/m, // code fence
  /!?\[[^\]\n]+\]\([^)\s]+(?:[ \t]+"[^"\n]*")?\)/, // inline link or image
  /^[ \t]{0,3}\[[^\]\n]+\]:[ \t]+\S+/m, // reference link definition
  /^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)+\|?[ \t]*$/m, // table separator row
];

const WEAK: readonly RegExp[] = [
  /^[ \t]{0,3}(?:[-*+]|\d{1,3}[.)])[ \t]+\S/m, // list item
  /(?:\*\*|__)[^*_\n]+(?:\*\*|__)/, // strong emphasis
  /^[ \t]{0,3}>[ \t]?\S/m, // blockquote
  /`[^`\n]+`/, // inline code
  /^\S.*\n={3,}[ \t]*$/m, // setext heading
];

const ATX_HEADING = /^#{1,6}[ \t]+\S/gm;

/** Scored on the first part of a document only; `sample` is expected to be a few KB. */
export function looksLikeMarkdown(sample: string): boolean {
  let score = 0;
  for (const pattern of STRONG) if (pattern.test(sample)) score += 2;
  for (const pattern of WEAK) if (pattern.test(sample)) score += 1;
  if ((sample.match(ATX_HEADING)?.length ?? 0) >= 2) score += 1;
  return score >= 3;
}
