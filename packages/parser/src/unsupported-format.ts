import { DocumentError } from './document-error.js';

/**
 * Well-known binary signatures, so that the user learns what the upload looks like
 * instead of only what it is not.
 */
const KNOWN_SIGNATURES: readonly { magic: readonly number[]; description: string }[] = [
  { magic: [0x50, 0x4b, 0x03, 0x04], description: 'a ZIP archive or an Office document (DOCX, XLSX, PPTX)' },
  {
    magic: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1],
    description: 'a legacy Office document (DOC, XLS, PPT)',
  },
  { magic: [0x7b, 0x5c, 0x72, 0x74, 0x66], description: 'an RTF document' },
  { magic: [0x89, 0x50, 0x4e, 0x47], description: 'a PNG image' },
  { magic: [0xff, 0xd8, 0xff], description: 'a JPEG image' },
  { magic: [0x47, 0x49, 0x46, 0x38], description: 'a GIF image' },
  { magic: [0x49, 0x49, 0x2a, 0x00], description: 'a TIFF image' },
  { magic: [0x4d, 0x4d, 0x00, 0x2a], description: 'a TIFF image' },
  { magic: [0x1f, 0x8b], description: 'a gzip archive' },
];

const SUPPORTED = 'only PDF, HTML, Markdown and plain text can be read';

function matches(bytes: Uint8Array, magic: readonly number[]): boolean {
  return bytes.length >= magic.length && magic.every((byte, i) => bytes[i] === byte);
}

/** A recognised binary or markup format that is not read (yet), if the bytes carry one. */
export function knownUnsupportedFormat(bytes: Uint8Array): string | null {
  return KNOWN_SIGNATURES.find((s) => matches(bytes, s.magic))?.description ?? null;
}

export function unsupportedFormatError(bytes: Uint8Array): DocumentError {
  const known = knownUnsupportedFormat(bytes);
  return new DocumentError(
    'unsupported',
    known === null
      ? `Unsupported document format: ${SUPPORTED}`
      : `Unsupported document format: the file looks like ${known}; ${SUPPORTED}`,
  );
}
