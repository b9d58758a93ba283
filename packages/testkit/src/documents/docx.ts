import { deflatedZeros, zipArchive } from './zip.js';

/** One block of a generated Word document. */
export type DocxBlock =
  | { heading: string; level?: 1 | 2 | 3 }
  | { paragraph: string }
  | { table: readonly (readonly string[])[] }
  | { pageBreak: true };

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';

const CONTENT_TYPES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>
</Types>`;

const PACKAGE_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
</Relationships>`;

const DOCUMENT_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
</Relationships>`;

/** Word's built-in heading styles, by the names mammoth maps to h1-h3. */
const STYLES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="${W}">
${[1, 2, 3].map((n) => `<w:style w:type="paragraph" w:styleId="Heading${n}"><w:name w:val="heading ${n}"/></w:style>`).join('\n')}
</w:styles>`;

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const run = (text: string) => `<w:r><w:t xml:space="preserve">${escapeXml(text)}</w:t></w:r>`;
const paragraph = (text: string, style?: string) =>
  `<w:p>${style ? `<w:pPr><w:pStyle w:val="${style}"/></w:pPr>` : ''}${run(text)}</w:p>`;

function blockXml(block: DocxBlock): string {
  if ('heading' in block) return paragraph(block.heading, `Heading${block.level ?? 1}`);
  if ('paragraph' in block) return paragraph(block.paragraph);
  if ('table' in block) {
    const rows = block.table.map(
      (cells) => `<w:tr>${cells.map((c) => `<w:tc>${paragraph(c)}</w:tc>`).join('')}</w:tr>`,
    );
    return `<w:tbl>${rows.join('')}</w:tbl>`;
  }
  return '<w:p><w:r><w:br w:type="page"/></w:r></w:p>';
}

function documentXml(blocks: readonly DocxBlock[]): string {
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="${W}"><w:body>${blocks.map(blockXml).join('')}</w:body></w:document>`;
}

const packageParts = (document: string) => [
  { name: '[Content_Types].xml', data: CONTENT_TYPES },
  { name: '_rels/.rels', data: PACKAGE_RELS },
  { name: 'word/_rels/document.xml.rels', data: DOCUMENT_RELS },
  { name: 'word/styles.xml', data: STYLES },
  { name: 'word/document.xml', data: document },
];

/** A DOCX as Word lays it out: headings with Word's heading styles, tables, explicit page breaks. */
export function docxDocument(blocks: readonly DocxBlock[]): Uint8Array {
  return zipArchive(packageParts(documentXml(blocks)));
}

/**
 * A DOCX whose styles part inflates to `mebibytes` MiB of zeros (1 GiB by default) from
 * about 1 KB per MiB. `declared`: the directory states the true size. `understated`: the
 * directory claims 2 KB, so only a reader that limits what it inflates notices.
 */
export function docxZipBomb(kind: 'declared' | 'understated', mebibytes = 1024): Uint8Array {
  const parts = packageParts(documentXml([{ paragraph: 'Quarterly report' }])).filter(
    (part) => part.name !== 'word/styles.xml',
  );
  const bomb = {
    name: 'word/styles.xml',
    deflated: deflatedZeros(mebibytes),
    declaredSize: kind === 'declared' ? mebibytes * 1024 * 1024 : 2048,
  };
  return zipArchive([...parts, bomb]);
}
