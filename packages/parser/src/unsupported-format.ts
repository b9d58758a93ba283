import { DocumentError } from './document-error.js';
import { ZIP_KIND_DESCRIPTIONS, zipKind } from './zip-kind.js';

const OLE_COMPOUND_FILE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1] as const;

/**
 * Well-known binary signatures, so that the user learns what the upload looks like
 * instead of only what it is not.
 */
const KNOWN_SIGNATURES: readonly { magic: readonly number[]; description: string }[] = [
  {
    magic: OLE_COMPOUND_FILE,
    description: 'a legacy Office document (DOC, XLS, PPT); save it as DOCX or PDF',
  },
  { magic: [0x7b, 0x5c, 0x72, 0x74, 0x66], description: 'an RTF document; save it as DOCX or PDF' },
  { magic: [0x47, 0x49, 0x46, 0x38], description: 'a GIF image; convert it to PNG' },
  { magic: [0x1f, 0x8b], description: 'a gzip archive' },
  { magic: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], description: 'a 7-Zip archive' },
  { magic: [0x52, 0x61, 0x72, 0x21, 0x1a, 0x07], description: 'a RAR archive' },
];

const SUPPORTED = 'only PDF, DOCX, HTML, Markdown, plain text and PNG, JPEG, TIFF or WebP images can be read';

function matches(bytes: Uint8Array, magic: readonly number[]): boolean {
  return bytes.length >= magic.length && magic.every((byte, i) => bytes[i] === byte);
}

/** A recognised binary or markup format that is not read, if the bytes carry one. */
export function knownUnsupportedFormat(bytes: Uint8Array): string | null {
  const zip = zipKind(bytes);
  if (zip !== null && zip !== 'docx') return ZIP_KIND_DESCRIPTIONS[zip];
  return KNOWN_SIGNATURES.find((s) => matches(bytes, s.magic))?.description ?? null;
}

/**
 * Word and Excel save a password-protected file as an OLE compound file holding an
 * "EncryptedPackage" stream, whatever its extension; its directory names it in UTF-16.
 */
function isEncryptedOfficeFile(bytes: Uint8Array): boolean {
  if (!matches(bytes, OLE_COMPOUND_FILE)) return false;
  const name = new TextDecoder('utf-16le').decode(bytes.subarray(0, 1024 * 1024));
  return name.includes('EncryptedPackage');
}

export function unsupportedFormatError(bytes: Uint8Array): DocumentError {
  if (isEncryptedOfficeFile(bytes)) {
    return new DocumentError(
      'encrypted',
      'The document is a password-protected Office file; remove the password (in Word: File > Info > Protect Document) and upload it again',
    );
  }
  const known = knownUnsupportedFormat(bytes);
  return new DocumentError(
    'unsupported',
    known === null
      ? `Unsupported document format: ${SUPPORTED}`
      : `Unsupported document format: the file looks like ${known}. Supported: ${SUPPORTED.replace('only ', '')}`,
  );
}
