import { inflateRawSync } from 'node:zlib';
import { DocumentError } from './document-error.js';
import { entryData, readZipDirectory, type ZipEntry } from './zip-directory.js';

/**
 * Limits that keep a DOCX from unpacking into more memory than the worker has: a ZIP can
 * declare any sizes and inflate to a thousand times its own size (a "zip bomb").
 */
export interface DocxLimits {
  /** Sum of the uncompressed sizes every entry declares. */
  maxTotalBytes: number;
  /** Sum of the XML parts mammoth parses into a DOM, which costs many times their size. */
  maxXmlBytes: number;
  maxEntries: number;
}

export const DEFAULT_DOCX_LIMITS: DocxLimits = {
  maxTotalBytes: 512 * 1024 * 1024,
  maxXmlBytes: 32 * 1024 * 1024,
  maxEntries: 10_000,
};

const STORED = 0;
const DEFLATED = 8;
const ENCRYPTED_ENTRY = 0x0001;

function mib(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round(bytes / 1024 / 1024)} MiB`;
  return bytes >= 1024 ? `${Math.round(bytes / 1024)} KiB` : `${bytes} bytes`;
}

function damaged(detail: string): DocumentError {
  return new DocumentError(
    'corrupt',
    `The DOCX file is damaged (${detail}); open it in Word or LibreOffice and save it again`,
  );
}

function tooLarge(detail: string): DocumentError {
  return new DocumentError(
    'too_large',
    `The DOCX file ${detail}; it is too large to read safely or it is a zip bomb. Save it again without embedded files, or as PDF`,
  );
}

/** The parts mammoth reads as text: document, styles, numbering, notes, comments, relationships. */
function isXmlPart(entry: ZipEntry): boolean {
  return /\.(xml|rels)$/i.test(entry.name);
}

/**
 * Inflate one part with its declared size as a hard limit, and check it matches, so that
 * jszip (inside mammoth) later inflates exactly that many bytes and no more. Every part is
 * checked, not only those named .xml: mammoth reads whichever part the relationships name
 * as the document, styles or notes, whatever its name.
 */
function checkPart(bytes: Uint8Array, entry: ZipEntry): void {
  const compressed = entryData(bytes, entry);
  if (compressed === null) throw damaged(`the part ${entry.name} lies outside the file`);
  if (entry.method === STORED) {
    if (entry.compressedSize !== entry.uncompressedSize) throw damaged(`the sizes of ${entry.name} disagree`);
    return;
  }
  let actual: number;
  try {
    actual = inflateRawSync(compressed, { maxOutputLength: Math.max(1, entry.uncompressedSize) }).length;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw tooLarge(
        `unpacks to more than the ${entry.uncompressedSize} bytes it declares for ${entry.name}`,
      );
    }
    throw damaged(`the part ${entry.name} cannot be unpacked`);
  }
  if (actual !== entry.uncompressedSize) throw damaged(`the part ${entry.name} is shorter than it declares`);
}

/**
 * Refuse a DOCX that is damaged, encrypted, or would unpack past the limits, before any
 * of it is inflated by mammoth.
 */
export function checkDocxArchive(bytes: Uint8Array, limits: DocxLimits = DEFAULT_DOCX_LIMITS): void {
  const directory = readZipDirectory(bytes);
  if (!directory.ok) {
    if (directory.reason === 'zip64')
      throw tooLarge('uses ZIP64 records, which only archives past 4 GiB need');
    throw damaged('its ZIP directory is missing or cut off; check that the upload finished');
  }
  const { entries } = directory;
  if (entries.length > limits.maxEntries) throw tooLarge(`holds more than ${limits.maxEntries} parts`);
  let total = 0;
  let xml = 0;
  for (const entry of entries) {
    if ((entry.flags & ENCRYPTED_ENTRY) !== 0) {
      throw new DocumentError('encrypted', 'The DOCX file is encrypted; upload a copy without a password');
    }
    if (entry.method !== STORED && entry.method !== DEFLATED) {
      throw damaged(`the part ${entry.name} uses an unknown compression method`);
    }
    total += entry.uncompressedSize;
    if (isXmlPart(entry)) xml += entry.uncompressedSize;
  }
  if (total > limits.maxTotalBytes) throw tooLarge(`would unpack to ${mib(total)}`);
  if (xml > limits.maxXmlBytes) {
    throw tooLarge(`holds ${mib(xml)} of XML, more than the ${mib(limits.maxXmlBytes)} limit`);
  }
  for (const entry of entries) checkPart(bytes, entry);
}
