import { inflateRawSync } from 'node:zlib';
import { GLYPH_BITS, GLYPH_CHARS, GLYPH_HEIGHT, GLYPH_WIDTHS } from './bitmap-font-data.js';

/** An 8-bit grey image: one byte per pixel, 0 black to 255 white, row after row. */
export interface GrayImage {
  width: number;
  height: number;
  data: Uint8Array;
}

interface Glyph {
  width: number;
  /** Bit offset of the glyph's first row in the unpacked table. */
  offset: number;
}

let glyphs: { table: Map<string, Glyph>; bits: Uint8Array } | null = null;

/** The glyph table, unpacked once: a 40 px DejaVu Sans raster that needs no font installed. */
function font() {
  if (glyphs) return glyphs;
  const bits = inflateRawSync(Buffer.from(GLYPH_BITS, 'base64'));
  const table = new Map<string, Glyph>();
  let offset = 0;
  [...GLYPH_CHARS].forEach((char, i) => {
    const width = GLYPH_WIDTHS[i] ?? 0;
    table.set(char, { width, offset });
    offset += width * GLYPH_HEIGHT;
  });
  glyphs = { table, bits: new Uint8Array(bits) };
  return glyphs;
}

function glyphFor(char: string): Glyph {
  const glyph = font().table.get(char);
  if (!glyph) throw new Error(`The fixture font has no glyph for ${JSON.stringify(char)}`);
  return glyph;
}

function lineWidth(line: string): number {
  return [...line].reduce((sum, char) => sum + glyphFor(char).width, 0);
}

export interface TextImageOptions {
  /** Whole-number enlargement of the 40 px font. Default 1. */
  scale?: number;
  /** White border in pixels (before scaling). Default 40. */
  margin?: number;
  /** Extra pixels between lines (before scaling). Default 16. */
  lineGap?: number;
  /** Smallest canvas, for a page-sized image with text at the top. */
  minWidth?: number;
  minHeight?: number;
}

/** Black text on white, one line per entry: what a clean scan of a printed page looks like. */
export function textImage(lines: readonly string[], options: TextImageOptions = {}): GrayImage {
  const scale = options.scale ?? 1;
  const margin = options.margin ?? 40;
  const lineGap = options.lineGap ?? 16;
  const { bits } = font();
  const textWidth = Math.max(0, ...lines.map(lineWidth));
  const baseWidth = textWidth + 2 * margin;
  const baseHeight = lines.length * (GLYPH_HEIGHT + lineGap) - lineGap + 2 * margin;
  const width = Math.max(options.minWidth ?? 0, baseWidth * scale);
  const height = Math.max(options.minHeight ?? 0, baseHeight * scale);
  const data = new Uint8Array(width * height).fill(255);
  lines.forEach((line, row) => {
    let x = margin;
    const top = margin + row * (GLYPH_HEIGHT + lineGap);
    for (const char of line) {
      const glyph = glyphFor(char);
      for (let gy = 0; gy < GLYPH_HEIGHT; gy++) {
        for (let gx = 0; gx < glyph.width; gx++) {
          const bit = glyph.offset + gy * glyph.width + gx;
          if (((bits[bit >> 3] ?? 0) & (0x80 >> (bit & 7))) === 0) continue;
          for (let sy = 0; sy < scale; sy++) {
            const start = ((top + gy) * scale + sy) * width + (x + gx) * scale;
            data.fill(0, start, start + scale);
          }
        }
      }
      x += glyph.width;
    }
  });
  return { width, height, data };
}
