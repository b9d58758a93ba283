import { crc32, deflateSync } from 'node:zlib';
import { type GrayImage, type TextImageOptions, textImage } from './bitmap-font.js';

export type ImageFileFormat = 'png' | 'jpeg' | 'tiff' | 'webp';

function chunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function pngHeader(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 0, 0, 0, 0], 8); // 8-bit grey, deflate, no filter, no interlace
  return chunk('IHDR', ihdr);
}

/** An 8-bit greyscale PNG, written by hand. */
export function encodePng(image: GrayImage): Uint8Array {
  const rows = Buffer.alloc((image.width + 1) * image.height);
  for (let y = 0; y < image.height; y++) {
    rows.set(image.data.subarray(y * image.width, (y + 1) * image.width), y * (image.width + 1) + 1);
  }
  return Buffer.concat([
    PNG_SIGNATURE,
    pngHeader(image.width, image.height),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', new Uint8Array()),
  ]);
}

interface TiffTag {
  tag: number;
  type: 3 | 4;
  value: number;
}

function tiffDirectory(tags: TiffTag[], next: number): Buffer {
  const out = Buffer.alloc(2 + tags.length * 12 + 4);
  out.writeUInt16LE(tags.length, 0);
  tags.forEach(({ tag, type, value }, i) => {
    const at = 2 + i * 12;
    out.writeUInt16LE(tag, at);
    out.writeUInt16LE(type, at + 2);
    out.writeUInt32LE(1, at + 4);
    if (type === 3) out.writeUInt16LE(value, at + 8);
    else out.writeUInt32LE(value, at + 8);
  });
  out.writeUInt32LE(next, out.length - 4);
  return out;
}

const SHORT = 3;
const LONG = 4;

function tiffTags(width: number, height: number, stripOffset: number, stripBytes: number): TiffTag[] {
  return [
    { tag: 256, type: LONG, value: width },
    { tag: 257, type: LONG, value: height },
    { tag: 258, type: SHORT, value: 8 },
    { tag: 259, type: SHORT, value: 1 }, // no compression
    { tag: 262, type: SHORT, value: 1 }, // black is zero
    { tag: 273, type: LONG, value: stripOffset },
    { tag: 277, type: SHORT, value: 1 },
    { tag: 278, type: LONG, value: height },
    { tag: 279, type: LONG, value: stripBytes },
  ];
}

/** An uncompressed greyscale TIFF with one page per image, written by hand. */
export function encodeTiff(pages: readonly GrayImage[]): Uint8Array {
  const parts: Buffer[] = [Buffer.from([0x49, 0x49, 0x2a, 0x00, 0x08, 0x00, 0x00, 0x00])];
  let offset = 8;
  pages.forEach((page, i) => {
    const directorySize = 2 + 9 * 12 + 4;
    const stripOffset = offset + directorySize;
    const stripBytes = page.width * page.height;
    const padded = stripBytes + (stripBytes % 2);
    const next = i === pages.length - 1 ? 0 : stripOffset + padded;
    parts.push(tiffDirectory(tiffTags(page.width, page.height, stripOffset, stripBytes), next));
    parts.push(Buffer.from(page.data), Buffer.alloc(padded - stripBytes));
    offset = stripOffset + padded;
  });
  return Buffer.concat(parts);
}

/**
 * JPEG and WebP come from Skia through @napi-rs/canvas, a prebuilt binary from npm,
 * loaded only when needed so that importing the testkit never loads a native module.
 */
async function encodeWithCanvas(
  image: GrayImage,
  format: 'jpeg' | 'webp',
  quality: number,
): Promise<Uint8Array> {
  const { createCanvas } = await import('@napi-rs/canvas');
  const canvas = createCanvas(image.width, image.height);
  const context = canvas.getContext('2d');
  const pixels = context.createImageData(image.width, image.height);
  for (let i = 0; i < image.data.length; i++) {
    const grey = image.data[i] ?? 255;
    pixels.data.set([grey, grey, grey, 255], i * 4);
  }
  context.putImageData(pixels, 0, 0);
  return new Uint8Array(
    format === 'jpeg' ? await canvas.encode('jpeg', quality) : await canvas.encode('webp', quality),
  );
}

export function encodeJpeg(image: GrayImage, quality = 90): Promise<Uint8Array> {
  return encodeWithCanvas(image, 'jpeg', quality);
}

export function encodeWebp(image: GrayImage, quality = 90): Promise<Uint8Array> {
  return encodeWithCanvas(image, 'webp', quality);
}

export async function encodeImage(image: GrayImage, format: ImageFileFormat): Promise<Uint8Array> {
  switch (format) {
    case 'png':
      return encodePng(image);
    case 'tiff':
      return encodeTiff([image]);
    case 'jpeg':
      return encodeJpeg(image);
    case 'webp':
      return encodeWebp(image);
  }
}

/** An image file of `lines` in black on white, clean enough for OCR to read every word. */
export function textImageFile(
  format: ImageFileFormat,
  lines: readonly string[],
  options?: TextImageOptions,
): Promise<Uint8Array> {
  return encodeImage(textImage(lines, options), format);
}

/**
 * A file whose header declares `width` x `height` pixels (20 000 x 20 000 by default,
 * 1.6 GB decoded) while the file itself is tiny: a decoder that trusts it runs out of memory.
 */
export function oversizedImageHeader(format: ImageFileFormat, width = 20_000, height = 20_000): Uint8Array {
  switch (format) {
    case 'png':
      return Buffer.concat([
        PNG_SIGNATURE,
        pngHeader(width, height),
        chunk('IDAT', deflateSync(Buffer.alloc(width + 1))),
        chunk('IEND', new Uint8Array()),
      ]);
    case 'jpeg': {
      const frame = Buffer.from([0xff, 0xc0, 0x00, 0x0b, 0x08, 0, 0, 0, 0, 0x01, 0x01, 0x11, 0x00]);
      frame.writeUInt16BE(height, 5);
      frame.writeUInt16BE(width, 7);
      return Buffer.concat([Buffer.from([0xff, 0xd8]), frame, Buffer.from([0xff, 0xd9])]);
    }
    case 'tiff': {
      const directory = tiffDirectory(tiffTags(width, height, 8 + 2 + 9 * 12 + 4, width * height), 0);
      return Buffer.concat([Buffer.from([0x49, 0x49, 0x2a, 0x00, 0x08, 0x00, 0x00, 0x00]), directory]);
    }
    case 'webp': {
      const vp8x = Buffer.alloc(10);
      vp8x.writeUIntLE(width - 1, 4, 3);
      vp8x.writeUIntLE(height - 1, 7, 3);
      const body = Buffer.concat([Buffer.from('WEBPVP8X', 'latin1'), Buffer.from([10, 0, 0, 0]), vp8x]);
      const size = Buffer.alloc(4);
      size.writeUInt32LE(body.length);
      return Buffer.concat([Buffer.from('RIFF', 'latin1'), size, body]);
    }
  }
}
