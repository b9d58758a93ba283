/**
 * An estimate of how deeply an HTML document nests its elements, made in one linear pass.
 * htmlparser2 spends time quadratic in the nesting depth (it searches its open-element
 * stack on every tag): 200 000 unclosed `<font>` tags take over a minute, so such
 * documents are refused before they reach it.
 */

/** Elements that never have children. */
const VOID = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'source',
  'track',
  'wbr',
]);

/** Elements whose end tag is optional: a sibling closes them, so they do not pile up. */
const IMPLICITLY_CLOSED = new Set([
  'p',
  'li',
  'dt',
  'dd',
  'tr',
  'td',
  'th',
  'thead',
  'tbody',
  'tfoot',
  'option',
  'optgroup',
  'rt',
  'rp',
  'colgroup',
]);

/** How far down the open elements an end tag looks for its start tag, as a parser would. */
const CLOSE_SEARCH = 64;

const TAG = /<(\/?)([A-Za-z][A-Za-z0-9-]*)[^>]*?(\/?)>/g;

export function htmlNestingDepth(html: string): number {
  const open: string[] = [];
  let deepest = 0;
  for (const match of html.matchAll(TAG)) {
    const [, closing, rawName = '', selfClosing] = match;
    const name = rawName.toLowerCase();
    if (VOID.has(name) || IMPLICITLY_CLOSED.has(name)) continue;
    if (closing) {
      const floor = Math.max(0, open.length - CLOSE_SEARCH);
      const at = open.lastIndexOf(name);
      if (at >= floor) open.length = at;
      continue;
    }
    if (selfClosing) continue;
    open.push(name);
    if (open.length > deepest) deepest = open.length;
  }
  return deepest;
}
