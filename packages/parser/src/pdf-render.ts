import { createIsomorphicCanvasFactory, getResolvedPDFJS } from 'unpdf';
import { formatLimit } from './ocr/format-limit.js';
import { OcrPageFailure } from './ocr/ocr-errors.js';
import { deadline } from './ocr/race.js';

type PdfJs = Awaited<ReturnType<typeof getResolvedPDFJS>>;
export type PdfDocument = Awaited<ReturnType<PdfJs['getDocument']>['promise']>;
export type PdfPage = Awaited<ReturnType<PdfDocument['getPage']>>;
export type CanvasFactoryClass = Awaited<ReturnType<typeof createIsomorphicCanvasFactory>>;

/**
 * About 2.5 megapixels per page: an A4 page at 160 dpi. On the dev set's scans this read
 * as well as 300 dpi (same words, confidence within 1 point) in two thirds of the time;
 * small pages are scaled up, to at most 300 dpi.
 */
const TARGET_PIXELS = 2_500_000;
const MAX_SCALE = 300 / 72;
/** A page with less ink than this is blank, and is not worth an OCR run. */
const BLANK_INK_RATIO = 0.0005;

export interface PageImage {
  /** Binary PGM (P5), which Tesseract reads without any decoding work. */
  pgm: Uint8Array;
  width: number;
  height: number;
  /** Share of dark pixels. */
  ink: number;
}

let canvasFactory: Promise<CanvasFactoryClass | null> | null = null;

/**
 * pdf.js's canvas factory backed by @napi-rs/canvas (a prebuilt binary from npm), loaded
 * once; null when the binary cannot load on this platform, in which case scanned pages
 * fail and text pages are still read.
 */
export function loadCanvasFactory(): Promise<CanvasFactoryClass | null> {
  canvasFactory ??= createIsomorphicCanvasFactory(() => import('@napi-rs/canvas')).catch(() => null);
  return canvasFactory;
}

/** Grey levels composited over white, since a canvas starts transparent. */
function toPgm(rgba: Uint8ClampedArray, width: number, height: number): PageImage {
  const header = new TextEncoder().encode(`P5\n${width} ${height}\n255\n`);
  const pgm = new Uint8Array(header.length + width * height);
  pgm.set(header);
  let dark = 0;
  for (let i = 0, o = header.length; i < width * height; i++, o++) {
    const r = rgba[i * 4] ?? 255;
    const g = rgba[i * 4 + 1] ?? 255;
    const b = rgba[i * 4 + 2] ?? 255;
    const alpha = (rgba[i * 4 + 3] ?? 255) / 255;
    const luma = (r * 299 + g * 587 + b * 114) / 1000;
    const grey = Math.round(255 - alpha * (255 - luma));
    pgm[o] = grey;
    if (grey < 128) dark++;
  }
  return { pgm, width, height, ink: dark / (width * height) };
}

export function isBlank(image: PageImage): boolean {
  return image.ink < BLANK_INK_RATIO;
}

/**
 * The scale to draw a page of this size (in points) at for OCR. The pixel count is fixed
 * whatever the page size claims, so a page declaring a 5-metre MediaBox costs the same as
 * an A4 one.
 */
function ocrScale(size: { width: number; height: number }): number {
  return Math.min(MAX_SCALE, Math.sqrt(TARGET_PIXELS / Math.max(1, size.width * size.height)));
}

/** Draw a PDF page in grey for OCR, at `ocrScale`. */
export async function renderPage(
  page: PdfPage,
  CanvasFactory: CanvasFactoryClass,
  timeoutMs: number,
): Promise<PageImage> {
  const viewport = page.getViewport({ scale: ocrScale(page.getViewport({ scale: 1 })) });
  const factory = new CanvasFactory();
  const surface = factory.create(
    Math.max(1, Math.ceil(viewport.width)),
    Math.max(1, Math.ceil(viewport.height)),
  );
  try {
    const task = page.render({ canvas: surface.canvas, canvasContext: surface.context, viewport });
    const timeout = new OcrPageFailure('timeout', `rendering took longer than ${formatLimit(timeoutMs)}`);
    let timedOut = false;
    await deadline(task.promise, timeoutMs, () => {
      timedOut = true;
      // pdf.js draws in slices and yields between them, so cancelling stops it promptly.
      task.cancel();
      return timeout;
    }).catch((error: unknown) => {
      // Cancelling rejects the render at once, before the deadline's own rejection lands.
      throw timedOut ? timeout : error;
    });
    const { data, width, height } = surface.context.getImageData(
      0,
      0,
      surface.canvas.width,
      surface.canvas.height,
    );
    return toPgm(data, width, height);
  } finally {
    factory.destroy(surface);
  }
}

const IMAGE_OPERATORS = [
  'paintImageXObject',
  'paintInlineImageXObject',
  'paintImageXObjectRepeat',
  'paintInlineImageXObjectGroup',
  'paintImageMaskXObject',
  'paintImageMaskXObjectGroup',
  'paintImageMaskXObjectRepeat',
] as const;

/**
 * Whether the page paints any image. A page that paints one yet renders blank holds an
 * image pdf.js could not decode: the PDF.js build inside unpdf has no JBIG2 or JPEG 2000
 * decoder, two encodings common in scans.
 */
export async function paintsImages(page: PdfPage): Promise<boolean> {
  const { OPS } = await getResolvedPDFJS();
  const codes = new Set<number>(IMAGE_OPERATORS.map((name) => OPS[name]));
  const { fnArray } = await page.getOperatorList();
  return fnArray.some((code) => codes.has(code));
}
