import { compile, type FormatCallback, type HtmlToTextOptions, type SelectorDefinition } from 'html-to-text';
import { decodeText } from './decode-text.js';
import { DocumentError } from './document-error.js';
import { htmlNestingDepth } from './html-nesting.js';
import { readableTable } from './html-table.js';
import type { PageContent } from './text-pages.js';

/** html-to-text silently truncates past this many characters; we refuse instead. */
const MAX_HTML_CHARS = 16 * 1024 * 1024;
/** Elements nested deeper than this are rendered as an ellipsis; no real page gets there. */
const MAX_DEPTH = 500;
/** Past this estimated depth, parsing alone would take seconds (see html-nesting.ts). */
const MAX_NESTING = 20_000;

const DROPPED = [
  'script',
  'style',
  'noscript',
  'template',
  'nav',
  '[role=navigation]',
  'svg',
  'canvas',
  'iframe',
  'object',
  'embed',
  'img',
  'picture',
  'button',
  'select',
  'input',
  'textarea',
];

const HEADINGS = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'] as const;

const sharedSelectors: SelectorDefinition[] = [
  ...DROPPED.map((selector) => ({ selector, format: 'skip' })),
  { selector: 'a', format: 'separatedAnchor' },
  { selector: 'table', format: 'readableTable' },
  { selector: 'ul', options: { itemPrefix: '- ' } },
];

/**
 * Link text without its URL. Menus put links side by side with no whitespace between them
 * (`<a>Login</a><a>Contact</a>`) and rely on CSS to space them, so a link that directly
 * follows another element starts a new word.
 */
const separatedAnchor: FormatCallback = (elem, walk, builder) => {
  const siblings = elem.parent?.children ?? [];
  const previous = siblings[siblings.indexOf(elem) - 1];
  if (previous?.type === 'tag') builder.addInline(' ');
  walk(elem.children, builder);
};

const markdownHeading: FormatCallback = (elem, walk, builder, formatOptions) => {
  const level = Number(elem.name?.slice(1)) || 1;
  builder.openBlock({ leadingLineBreaks: formatOptions.leadingLineBreaks ?? 2 });
  builder.addLiteral(`${'#'.repeat(level)} `);
  walk(elem.children, builder);
  builder.closeBlock({ trailingLineBreaks: formatOptions.trailingLineBreaks ?? 2 });
};

const baseOptions: HtmlToTextOptions = {
  wordwrap: false,
  formatters: { separatedAnchor, readableTable },
  limits: { maxDepth: MAX_DEPTH, maxInputLength: MAX_HTML_CHARS },
};

const toText = compile({
  ...baseOptions,
  selectors: [
    ...sharedSelectors,
    ...HEADINGS.map((selector) => ({ selector, options: { uppercase: false } })),
  ],
});

const toMarkdown = compile({
  ...baseOptions,
  formatters: { separatedAnchor, readableTable, markdownHeading },
  selectors: [...sharedSelectors, ...HEADINGS.map((selector) => ({ selector, format: 'markdownHeading' }))],
});

const META_CHARSET = /<meta\b[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)/i;

/** The charset an HTML document declares in its first bytes, as a browser would find it. */
function declaredCharset(bytes: Uint8Array): string | null {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 2048));
  return META_CHARSET.exec(head)?.[1] ?? null;
}

function tidy(rendered: string): string {
  return rendered
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** An HTML document is one page: its visible text, without scripts, styles or navigation. */
export function htmlPage(bytes: Uint8Array): PageContent {
  return htmlSourcePage(decodeText(bytes, declaredCharset(bytes)));
}

/** The page of already decoded HTML (also the output of the DOCX converter). */
export function htmlSourcePage(html: string): PageContent {
  if (html.length > MAX_HTML_CHARS) {
    throw new DocumentError(
      'too_large',
      `The HTML document is too large to read (more than ${MAX_HTML_CHARS / 1024 / 1024} MiB of text)`,
    );
  }
  if (htmlNestingDepth(html) > MAX_NESTING) {
    throw new DocumentError(
      'too_large',
      `The HTML document nests its elements more than ${MAX_NESTING} levels deep, too deep to read; save it again with an HTML editor or browser`,
    );
  }
  return { text: tidy(toText(html)), markdown: tidy(toMarkdown(html)) };
}
