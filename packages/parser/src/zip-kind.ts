import { firstLocalEntryName, readZipDirectory, startsLikeEmptyZip, startsLikeZip } from './zip-directory.js';

/** What a ZIP-based upload is, judged by the names of its entries. */
export type ZipKind = 'docx' | 'xlsx' | 'pptx' | 'opendocument' | 'epub' | 'zip';

const DOCX_MAIN_PART = 'word/document.xml';
/** How far into a damaged archive to look for the DOCX part name in a local header. */
const NAME_SCAN_BYTES = 4 * 1024 * 1024;

function kindFromNames(names: readonly string[], bytes: Uint8Array): ZipKind {
  const has = (name: string) => names.includes(name);
  if (has(DOCX_MAIN_PART)) return 'docx';
  if (has('xl/workbook.xml')) return 'xlsx';
  if (has('ppt/presentation.xml')) return 'pptx';
  if (names[0] === 'mimetype' || has('mimetype')) {
    // Both formats store their media type uncompressed right after the first local header.
    const head = new TextDecoder('latin1').decode(bytes.subarray(0, 200));
    return head.includes('application/epub') ? 'epub' : 'opendocument';
  }
  return 'zip';
}

/**
 * The kind of a ZIP archive, or null when the bytes are not one. An archive whose
 * directory is missing (a cut-off upload) still counts as a DOCX when a local header
 * names the main document part, so that the user hears the DOCX is damaged.
 */
export function zipKind(bytes: Uint8Array): ZipKind | null {
  // Only an archive that starts like one: other files may end in bytes that look like a ZIP directory.
  if (!startsLikeZip(bytes) && !startsLikeEmptyZip(bytes)) return null;
  const directory = readZipDirectory(bytes);
  if (directory.ok)
    return kindFromNames(
      directory.entries.map((entry) => entry.name),
      bytes,
    );
  const first = firstLocalEntryName(bytes);
  const sample = new TextDecoder('latin1').decode(bytes.subarray(0, NAME_SCAN_BYTES));
  if (sample.includes(DOCX_MAIN_PART)) return 'docx';
  return first === null ? 'zip' : kindFromNames([first], bytes);
}

export const ZIP_KIND_DESCRIPTIONS: Readonly<Record<Exclude<ZipKind, 'docx'>, string>> = {
  xlsx: 'an Excel workbook (XLSX)',
  pptx: 'a PowerPoint presentation (PPTX)',
  opendocument: 'an OpenDocument file (ODT, ODS, ODP); save it as DOCX or PDF',
  epub: 'an EPUB e-book',
  zip: 'a ZIP archive; upload the documents inside it one by one',
};
