import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { PDFDocumentLoadingTask, PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { type CanvasFactoryClass, type PageImage, type PdfPage, renderPage } from './pdf-render.js';

type PdfJsDist = typeof import('pdfjs-dist/legacy/build/pdf.mjs');

interface FallbackPdfJs {
  pdfjs: PdfJsDist;
  /** pdfjs-dist's own worker code, which its fake (in-thread) worker must run. */
  workerHandler: unknown;
  /** Folder of pdfjs-dist's decoders (jbig2.wasm, openjpeg.wasm), read from disk. */
  wasmDir: string;
  standardFontDir: string;
}

type PdfJsWorkerGlobal = { pdfjsWorker?: { WorkerMessageHandler: unknown } | undefined };
const workerGlobal = globalThis as PdfJsWorkerGlobal;

let loaded: Promise<FallbackPdfJs> | null = null;

/**
 * Load the pdfjs-dist legacy build once. Both it and unpdf's PDF.js run their worker in this
 * thread, finding its code in `globalThis.pdfjsWorker`; importing pdfjs-dist's worker
 * overwrites unpdf's there, so unpdf's is put back at once. (unpdf only reads it when it
 * sets up its first document, which has always happened by the time a page falls back here.)
 */
function loadFallbackPdfJs(): Promise<FallbackPdfJs> {
  if (loaded) return loaded;
  loaded = (async () => {
    const unpdfWorker = workerGlobal.pdfjsWorker;
    // A variable specifier: the worker module has no type declarations, and needs none here.
    const workerModule = 'pdfjs-dist/legacy/build/pdf.worker.mjs';
    let workerHandler: unknown;
    try {
      workerHandler = ((await import(workerModule)) as { WorkerMessageHandler: unknown })
        .WorkerMessageHandler;
    } finally {
      workerGlobal.pdfjsWorker = unpdfWorker;
    }
    const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
    const root = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
    return {
      pdfjs,
      workerHandler,
      // pdf.js joins file names onto these as strings, so they need their trailing separator.
      wasmDir: join(root, 'wasm', '/'),
      standardFontDir: join(root, 'standard_fonts', '/'),
    };
  })();
  // A failed load is tried again by the next page rather than remembered.
  loaded.catch(() => {
    loaded = null;
  });
  return loaded;
}

/**
 * Draws pages for OCR with the pdfjs-dist legacy build, for pages that unpdf's PDF.js draws
 * blank: its build has the JBIG2 and JPEG 2000 decoders stubbed out, while pdfjs-dist ships
 * them as WebAssembly files that it reads from its own package folder, never the network.
 * The document is opened on the first page that needs it and kept until `close`.
 */
export class FallbackPdfRenderer {
  private opened: Promise<{ document: PDFDocumentProxy; task: PDFDocumentLoadingTask }> | null = null;
  private closed = false;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly maxImagePixels: number | undefined,
  ) {}

  /** Draw page `pageNumber` (from 1) in grey at the same size as the primary renderer. */
  async render(pageNumber: number, CanvasFactory: CanvasFactoryClass, timeoutMs: number): Promise<PageImage> {
    if (this.closed) throw new Error('The fallback renderer is closed');
    const { document } = await this.open();
    const page = await document.getPage(pageNumber);
    try {
      // The same pdf.js page API as unpdf's build, so the primary renderer's drawing code serves.
      return await renderPage(page as unknown as PdfPage, CanvasFactory, timeoutMs);
    } finally {
      page.cleanup();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const opened = this.opened;
    this.opened = null;
    if (!opened) return;
    try {
      const { task } = await opened;
      await task.destroy();
    } catch {
      // It failed to open, so there is nothing to release.
    }
  }

  private open() {
    this.opened ??= (async () => {
      const { pdfjs, workerHandler, wasmDir, standardFontDir } = await loadFallbackPdfJs();
      // Creating the worker reads `globalThis.pdfjsWorker` synchronously, and pdfjs-dist keeps
      // what it found, so pointing it at pdfjs-dist's worker for this one call is enough.
      const unpdfWorker = workerGlobal.pdfjsWorker;
      workerGlobal.pdfjsWorker = { WorkerMessageHandler: workerHandler };
      let task: PDFDocumentLoadingTask;
      try {
        task = pdfjs.getDocument({
          // A copy: pdf.js transfers the buffer it is given, detaching it.
          data: new Uint8Array(this.bytes),
          verbosity: pdfjs.VerbosityLevel.ERRORS,
          useSystemFonts: false,
          disableFontFace: true,
          isEvalSupported: false,
          enableXfa: false,
          maxImageSize: this.maxImagePixels ?? -1,
          wasmUrl: wasmDir,
          standardFontDataUrl: standardFontDir,
        });
      } finally {
        workerGlobal.pdfjsWorker = unpdfWorker;
      }
      return { document: await task.promise, task };
    })();
    return this.opened;
  }
}
