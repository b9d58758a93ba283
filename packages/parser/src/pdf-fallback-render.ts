import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { PDFDocumentLoadingTask, PDFDocumentProxy, PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { formatLimit } from './ocr/format-limit.js';
import { deadline } from './ocr/race.js';
import { type CanvasFactoryClass, ocrScale, type PageImage, toPgm } from './pdf-render.js';

type PdfJsDist = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
/** pdfjs-dist types canvases as the DOM's; the @napi-rs/canvas ones it gets in Node match them in use. */
type RenderParameters = Parameters<PDFPageProxy['render']>[0];

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
    const factory = new CanvasFactory();
    try {
      const viewport = page.getViewport({ scale: ocrScale(page.getViewport({ scale: 1 })) });
      const surface = factory.create(
        Math.max(1, Math.ceil(viewport.width)),
        Math.max(1, Math.ceil(viewport.height)),
      );
      try {
        const task = page.render({
          canvas: surface.canvas as unknown as RenderParameters['canvas'],
          canvasContext: surface.context as unknown as RenderParameters['canvasContext'],
          viewport,
        });
        await deadline(task.promise, timeoutMs, () => {
          task.cancel();
          return new Error(`rendering took longer than ${formatLimit(timeoutMs)}`);
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
