import { PNG } from 'pngjs';
import { textPixels, textWidth } from './bitmap-font.js';

export type Rgb = readonly [number, number, number];

/** A small RGBA raster with the few primitives the report charts need. */
export class Canvas {
  readonly png: PNG;

  constructor(
    readonly width: number,
    readonly height: number,
    background: Rgb = [255, 255, 255],
  ) {
    this.png = new PNG({ width, height });
    this.fillRect(0, 0, width, height, background);
  }

  /** Paints one pixel; alpha < 1 blends over what is there. */
  dot(x: number, y: number, [r, g, b]: Rgb, alpha = 1): void {
    const px = Math.round(x);
    const py = Math.round(y);
    if (px < 0 || py < 0 || px >= this.width || py >= this.height) return;
    const i = (py * this.width + px) * 4;
    const data = this.png.data;
    data[i] = Math.round((data[i] ?? 0) * (1 - alpha) + r * alpha);
    data[i + 1] = Math.round((data[i + 1] ?? 0) * (1 - alpha) + g * alpha);
    data[i + 2] = Math.round((data[i + 2] ?? 0) * (1 - alpha) + b * alpha);
    data[i + 3] = 255;
  }

  fillRect(x: number, y: number, w: number, h: number, color: Rgb, alpha = 1): void {
    for (let py = Math.round(y); py < Math.round(y + h); py++)
      for (let px = Math.round(x); px < Math.round(x + w); px++) this.dot(px, py, color, alpha);
  }

  strokeRect(x: number, y: number, w: number, h: number, color: Rgb): void {
    this.line(x, y, x + w, y, color);
    this.line(x, y + h, x + w, y + h, color);
    this.line(x, y, x, y + h, color);
    this.line(x + w, y, x + w, y + h, color);
  }

  /** A straight line; `dash` > 0 draws dashes of that many pixels. */
  line(x0: number, y0: number, x1: number, y1: number, color: Rgb, width = 1, dash = 0): void {
    const steps = Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0), 1);
    // Thickness grows across the line: sideways for a steep line, downwards for a flat one.
    const steep = Math.abs(y1 - y0) > Math.abs(x1 - x0);
    for (let s = 0; s <= steps; s++) {
      if (dash > 0 && Math.floor(s / dash) % 2 === 1) continue;
      const x = x0 + ((x1 - x0) * s) / steps;
      const y = y0 + ((y1 - y0) * s) / steps;
      for (let t = 0; t < width; t++) this.dot(steep ? x + t : x, steep ? y : y + t, color);
    }
  }

  /** Text in the built-in 5x7 font; `align` places x at the left, centre or right of the text. */
  text(
    x: number,
    y: number,
    text: string,
    color: Rgb,
    scale = 1,
    align: 'left' | 'center' | 'right' = 'left',
  ): void {
    const width = textWidth(text, scale);
    const left = align === 'left' ? x : align === 'center' ? x - width / 2 : x - width;
    for (const [gx, gy] of textPixels(text))
      this.fillRect(left + gx * scale, y + gy * scale, scale, scale, color);
  }

  toBuffer(): Buffer {
    return PNG.sync.write(this.png);
  }
}
