import { DocumentError } from './document-error.js';

/**
 * Image sizes read from file headers alone, before anything is decoded, so that an image
 * declaring 20 000 x 20 000 pixels is refused without ever allocating its 1.6 GB.
 */

export type ImageFormat = 'png' | 'jpeg' | 'tiff' | 'webp';

export interface ImageFrame {
  width: number;
  height: number;
  /** TIFF only: where this page's directory starts. */
  ifdOffset?: number;
}

/** A TIFF with more pages than this is not a scan a person uploads. */
const MAX_TIFF_PAGES = 5000;

const NAMES: Record<ImageFormat, string> = { png: 'PNG', jpeg: 'JPEG', tiff: 'TIFF', webp: 'WebP' };

function unreadable(format: ImageFormat, detail: string): DocumentError {
  return new DocumentError(
    'corrupt',
    `The ${NAMES[format]} image is damaged or incomplete (${detail}); check that the upload finished, or export the image again`,
  );
}

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function ascii(bytes: Uint8Array, start: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(start, start + length));
}

function pngFrame(bytes: Uint8Array): ImageFrame {
  if (bytes.length < 24 || ascii(bytes, 12, 4) !== 'IHDR') throw unreadable('png', 'no IHDR header');
  const data = view(bytes);
  return { width: data.getUint32(16), height: data.getUint32(20) };
}

/** Start-of-frame markers (baseline, progressive, lossless, arithmetic), which carry the size. */
const JPEG_SOF = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);
const JPEG_START_OF_SCAN = 0xda;

function jpegFrame(bytes: Uint8Array): ImageFrame {
  const data = view(bytes);
  let offset = 2;
  while (offset + 4 <= bytes.length) {
    if (bytes[offset] !== 0xff) throw unreadable('jpeg', 'a marker is missing');
    const marker = bytes[offset + 1] ?? 0;
    if (marker === 0xff) {
      offset++; // fill byte
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
      offset += 2; // markers without a length
      continue;
    }
    const length = data.getUint16(offset + 2);
    if (JPEG_SOF.has(marker)) {
      if (offset + 9 > bytes.length) break;
      return { height: data.getUint16(offset + 5), width: data.getUint16(offset + 7) };
    }
    if (marker === JPEG_START_OF_SCAN) break;
    offset += 2 + length;
  }
  throw unreadable('jpeg', 'no frame header before the image data');
}

const TIFF_WIDTH = 256;
const TIFF_HEIGHT = 257;
const TIFF_SHORT = 3;

function tiffFrames(bytes: Uint8Array): ImageFrame[] {
  const data = view(bytes);
  const little = bytes[0] === 0x49;
  if (bytes.length < 8) throw unreadable('tiff', 'the header is cut off');
  if (data.getUint16(2, little) === 43) {
    throw new DocumentError(
      'unsupported',
      'BigTIFF images are not supported; save the scan as a regular TIFF, PNG or PDF',
    );
  }
  const frames: ImageFrame[] = [];
  const seen = new Set<number>();
  let offset = data.getUint32(4, little);
  while (offset !== 0) {
    if (seen.has(offset) || frames.length >= MAX_TIFF_PAGES) {
      throw unreadable('tiff', 'its page directories loop or never end');
    }
    seen.add(offset);
    if (offset + 2 > bytes.length) throw unreadable('tiff', 'a page directory lies past the end of the file');
    const count = data.getUint16(offset, little);
    const next = offset + 2 + count * 12;
    if (next + 4 > bytes.length) throw unreadable('tiff', 'a page directory is cut off');
    let width = 0;
    let height = 0;
    for (let entry = offset + 2; entry < next; entry += 12) {
      const tag = data.getUint16(entry, little);
      if (tag !== TIFF_WIDTH && tag !== TIFF_HEIGHT) continue;
      const short = data.getUint16(entry + 2, little) === TIFF_SHORT;
      const value = short ? data.getUint16(entry + 8, little) : data.getUint32(entry + 8, little);
      // libtiff keeps the first of a repeated tag and ignores the rest; so must the size check.
      if (tag === TIFF_WIDTH) width ||= value;
      else height ||= value;
    }
    frames.push({ width, height, ifdOffset: offset });
    offset = data.getUint32(next, little);
  }
  if (frames.length === 0) throw unreadable('tiff', 'it has no pages');
  return frames;
}

function webpFrame(bytes: Uint8Array): ImageFrame {
  if (bytes.length < 30) throw unreadable('webp', 'the header is cut off');
  const chunk = ascii(bytes, 12, 4);
  const data = view(bytes);
  const start = 20;
  if (chunk === 'VP8X') {
    const uint24 = (at: number) => data.getUint16(at, true) + ((bytes[at + 2] ?? 0) << 16);
    return { width: 1 + uint24(start + 4), height: 1 + uint24(start + 7) };
  }
  if (chunk === 'VP8L') {
    if (bytes[start] !== 0x2f) throw unreadable('webp', 'bad lossless signature');
    const bits = data.getUint32(start + 1, true);
    return { width: 1 + (bits & 0x3fff), height: 1 + ((bits >>> 14) & 0x3fff) };
  }
  if (chunk === 'VP8 ') {
    if (bytes[start + 3] !== 0x9d || bytes[start + 4] !== 0x01 || bytes[start + 5] !== 0x2a) {
      throw unreadable('webp', 'bad frame signature');
    }
    return {
      width: data.getUint16(start + 6, true) & 0x3fff,
      height: data.getUint16(start + 8, true) & 0x3fff,
    };
  }
  throw unreadable('webp', `unknown chunk ${JSON.stringify(chunk)}`);
}

/** The pages of an image file (several only for a multi-page TIFF), with their sizes. */
export function readImageFrames(bytes: Uint8Array, format: ImageFormat): ImageFrame[] {
  const frames =
    format === 'png'
      ? [pngFrame(bytes)]
      : format === 'jpeg'
        ? [jpegFrame(bytes)]
        : format === 'tiff'
          ? tiffFrames(bytes)
          : [webpFrame(bytes)];
  for (const frame of frames) {
    if (frame.width === 0 || frame.height === 0) throw unreadable(format, 'it declares no width or height');
  }
  return frames;
}

/** Refuse a page whose pixels would not fit the memory budget of one OCR run. */
export function assertFrameSize(frame: ImageFrame, format: ImageFormat, maxPixels: number): void {
  const pixels = frame.width * frame.height;
  if (pixels <= maxPixels) return;
  const megapixels = (n: number) => `${Math.round(n / 1e6)} megapixels`;
  throw new DocumentError(
    'too_large',
    `The ${NAMES[format]} image is ${frame.width} x ${frame.height} pixels (${megapixels(pixels)}), more than the ${megapixels(maxPixels)} that can be read; scale it down (300 dpi is enough for text) and upload it again`,
  );
}

/**
 * A TIFF whose first page is page `frame`: only the first-directory pointer changes, as
 * the OCR engine reads the first page of a TIFF only.
 */
export function tiffStartingAt(bytes: Uint8Array, frame: ImageFrame): Uint8Array {
  const copy = new Uint8Array(bytes);
  view(copy).setUint32(4, frame.ifdOffset ?? 8, copy[0] === 0x49);
  return copy;
}
