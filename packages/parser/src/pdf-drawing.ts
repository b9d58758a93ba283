import { FallbackPdfRenderer } from './pdf-fallback-render.js';
import type { PdfDocument, PdfPage } from './pdf-render.js';

export interface Opened {
  document: PdfDocument;
  destroy: () => Promise<void>;
}

/**
 * Where OCR draws a page from. Text is read from a copy of the PDF whose image streams
 * cannot be decoded (see checkPdfStreams' 'text' scope), since measuring every image costs
 * far more than reading the text of most PDFs. The first page that needs drawing measures
 * the whole file, images and inline images included (which may refuse it), and opens that
 * checked copy; when it is the same as the text copy, the text document serves.
 */
export class PdfDrawing {
  private opened: Promise<Opened> | null = null;
  private fallbackRenderer: FallbackPdfRenderer | null = null;
  private checked: Uint8Array | null = null;

  constructor(
    private readonly textBytes: Uint8Array,
    private readonly textDocument: PdfDocument,
    private readonly checkAll: () => Uint8Array,
    private readonly open: (bytes: Uint8Array) => Promise<Opened>,
    private readonly maxImagePixels: number | undefined,
  ) {}

  /** Page `pageNumber` to draw; `textPage`, the same page of the text document, when that serves. */
  async page(pageNumber: number, textPage: PdfPage): Promise<{ page: PdfPage; release: () => void }> {
    const { document } = await this.drawingDocument();
    if (document === this.textDocument) return { page: textPage, release: () => undefined };
    const page = await document.getPage(pageNumber);
    return { page, release: () => page.cleanup() };
  }

  /** The renderer for pages the primary one draws blank; it reads the checked copy. */
  fallback(): FallbackPdfRenderer {
    this.fallbackRenderer ??= new FallbackPdfRenderer(this.checkedBytes(), this.maxImagePixels);
    return this.fallbackRenderer;
  }

  async close(): Promise<void> {
    await this.fallbackRenderer?.close();
    const opened = await this.opened?.catch(() => null);
    if (opened && opened.document !== this.textDocument) await opened.destroy();
  }

  private checkedBytes(): Uint8Array {
    this.checked ??= this.checkAll();
    return this.checked;
  }

  private drawingDocument(): Promise<Opened> {
    this.opened ??= (async () => {
      const checked = this.checkedBytes();
      if (bytesEqual(checked, this.textBytes))
        return { document: this.textDocument, destroy: async () => {} };
      return this.open(checked);
    })();
    return this.opened;
  }
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a === b || Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);
}
