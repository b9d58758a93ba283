import mammoth from 'mammoth';
import { DocumentError } from './document-error.js';
import { checkDocxArchive, type DocxLimits } from './docx-archive.js';
import { htmlSourcePage } from './html-page.js';
import type { PageContent } from './text-pages.js';

/**
 * A Word page break becomes an `<hr>`, which mammoth otherwise never writes, so the HTML
 * can be cut into pages there. Word's own pagination is not in the file, so a document
 * without explicit page breaks is one page.
 */
const PAGE_BREAK_STYLE = "br[type='page'] => hr";
const PAGE_BREAK_HTML = /<hr\s*\/?>/;

/** Images are never read: they are dropped from the text, and reading them would inflate them. */
const skipImage = mammoth.images.imgElement(async () => ({ src: '' }));

function dropTrailingEmptyPages(pages: PageContent[]): PageContent[] {
  let end = pages.length;
  while (end > 1 && (pages[end - 1]?.text.trim() ?? '') === '') end--;
  return pages.slice(0, end);
}

async function docxHtml(bytes: Uint8Array): Promise<string> {
  try {
    const result = await mammoth.convertToHtml(
      { buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) },
      {
        styleMap: [PAGE_BREAK_STYLE],
        convertImage: skipImage,
        externalFileAccess: false,
        ignoreEmptyParagraphs: true,
      },
    );
    return result.value;
  } catch (error) {
    throw new DocumentError(
      'corrupt',
      'The DOCX file could not be read: it is damaged or not a Word document; open it in Word or LibreOffice and save it again',
      { cause: error },
    );
  }
}

/** The pages of a DOCX: headings as Markdown headings, tables as aligned rows. */
export async function docxPages(bytes: Uint8Array, limits?: DocxLimits): Promise<PageContent[]> {
  checkDocxArchive(bytes, limits);
  const html = await docxHtml(bytes);
  return dropTrailingEmptyPages(html.split(PAGE_BREAK_HTML).map(htmlSourcePage));
}
