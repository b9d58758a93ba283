import type { ParsedPage } from '@classifyd/shared';
import { DocumentError } from './document-error.js';
import { assertFrameSize, type ImageFormat, readImageFrames, tiffStartingAt } from './image-header.js';
import type { PageOcr } from './page-ocr.js';

export interface ImagePages {
  pageCount: number;
  pages: ParsedPage[];
}

/**
 * The pages of an image file, read by OCR: one page, or one per directory of a
 * multi-page TIFF. Sizes are checked from the headers before anything is decoded.
 */
export async function readImagePages(
  bytes: Uint8Array,
  format: ImageFormat,
  choosePages: (pageCount: number) => number[],
  ocr: PageOcr,
  maxPixels: number,
  onPage?: (done: number, total: number) => void,
): Promise<ImagePages> {
  const frames = readImageFrames(bytes, format);
  const selected = choosePages(frames.length);
  for (const pageNumber of selected)
    assertFrameSize(frames[pageNumber - 1] as (typeof frames)[0], format, maxPixels);
  const pages: ParsedPage[] = [];
  for (const pageNumber of selected) {
    const frame = frames[pageNumber - 1] as (typeof frames)[0];
    const image = format === 'tiff' && pageNumber > 1 ? tiffStartingAt(bytes, frame) : bytes;
    pages.push(await ocr.readImage(image, pageNumber));
    onPage?.(pages.length, selected.length);
  }
  if (pages.every((page) => !page.success)) {
    throw (
      ocr.failureError() ??
      new DocumentError('corrupt', 'The image could not be read; it may be damaged, export it again')
    );
  }
  return { pageCount: frames.length, pages };
}
