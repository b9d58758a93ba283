import type { ImageCodec } from './stream-filters.js';

/**
 * The pixels an image's own header declares, which is what its decoder allocates for
 * whatever size the PDF dictionary around it claims; null when the header cannot be read
 * or the codec is not measured here (JBIG2 and CCITT decoders are given the dictionary's
 * size, which pdf.js checks against maxImageSize itself).
 */
export function codecPixels(codec: ImageCodec, data: Uint8Array): number | null {
  if (codec === 'DCT') return jpegPixels(data);
  if (codec === 'JPX') return jpxPixels(data);
  return null;
}

const view = (data: Uint8Array) => new DataView(data.buffer, data.byteOffset, data.byteLength);

/** Start-of-frame markers, which carry the size; pdf.js skips any bytes before the start of image. */
const JPEG_SOF = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);
/** A frame of unknown height takes it from a later marker; it is counted as tall as a JPEG can be. */
const UNKNOWN_HEIGHT = 0xffff;

function jpegPixels(data: Uint8Array): number | null {
  let offset = -1;
  for (let i = 0; i + 1 < data.length; i++) {
    if (data[i] === 0xff && data[i + 1] === 0xd8) {
      offset = i + 2;
      break;
    }
  }
  if (offset < 0) return null;
  const bytes = view(data);
  while (offset + 4 <= data.length) {
    if (data[offset] !== 0xff) {
      offset++;
      continue;
    }
    const marker = data[offset + 1] ?? 0;
    if (marker === 0xff || marker === 0x00 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
      offset += marker === 0xff ? 1 : 2;
      continue;
    }
    if (JPEG_SOF.has(marker)) {
      if (offset + 9 > data.length) return null;
      const height = bytes.getUint16(offset + 5) || UNKNOWN_HEIGHT;
      return height * bytes.getUint16(offset + 7);
    }
    if (marker === 0xda || marker === 0xd9) return null;
    offset += 2 + bytes.getUint16(offset + 2);
  }
  return null;
}

const SIZ_AT_START = [0xff, 0x4f, 0xff, 0x51];

/** JPEG 2000: a bare codestream, or a JP2 file whose `jp2c` box holds one. */
function jpxPixels(data: Uint8Array): number | null {
  const codestream = SIZ_AT_START.every((byte, i) => data[i] === byte) ? 0 : jp2Codestream(data);
  if (codestream === null || codestream + 26 > data.length) return null;
  if (data[codestream + 2] !== 0xff || data[codestream + 3] !== 0x51) return null;
  const bytes = view(data);
  const width = bytes.getUint32(codestream + 8) - bytes.getUint32(codestream + 16);
  const height = bytes.getUint32(codestream + 12) - bytes.getUint32(codestream + 20);
  return width > 0 && height > 0 ? width * height : null;
}

function jp2Codestream(data: Uint8Array): number | null {
  const bytes = view(data);
  let offset = 0;
  while (offset + 8 <= data.length) {
    let length = bytes.getUint32(offset);
    let header = 8;
    if (length === 1) {
      if (offset + 16 > data.length) return null;
      length = Number(bytes.getBigUint64(offset + 8));
      header = 16;
    } else if (length === 0) {
      length = data.length - offset;
    }
    const type = String.fromCharCode(...data.subarray(offset + 4, offset + 8));
    if (type === 'jp2c') return offset + header;
    if (length < header) return null;
    offset += length;
  }
  return null;
}
