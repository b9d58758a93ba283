import { formatLimit } from './format-limit.js';
import { OcrPageFailure, OcrUnavailable } from './ocr-errors.js';
import { type OcrLanguage, trainedDataDirectory } from './ocr-languages.js';
import { abortable, deadline } from './race.js';
import { OcrThreadEnded, TesseractThread } from './tesseract-thread.js';

export interface OcrText {
  text: string;
  /** Tesseract's mean word confidence, 0-100. */
  confidence: number;
}

/** Tesseract's "LSTM only" engine mode, the only one the best_int models support. */
const LSTM_ONLY = 1;

function readRecognition(data: unknown): OcrText {
  const result = (data ?? {}) as { text?: unknown; confidence?: unknown };
  return {
    text: typeof result.text === 'string' ? result.text : '',
    confidence: typeof result.confidence === 'number' ? result.confidence : 0,
  };
}

/**
 * A Tesseract thread loaded with one language. Any failure or time-out during a
 * recognition leaves the thread in an unknown state, so the caller must `terminate()` it
 * then and start a new one (the pool does).
 */
export class OcrWorker {
  private constructor(
    readonly language: OcrLanguage,
    private readonly thread: TesseractThread,
  ) {}

  get alive(): boolean {
    return !this.thread.ended;
  }

  /** Start a thread and load `language`; a failure here is OcrUnavailable, never the document's fault. */
  static async start(language: OcrLanguage, timeoutMs: number): Promise<OcrWorker> {
    const langPath = trainedDataDirectory(language);
    const thread = new TesseractThread();
    const boot = async () => {
      await thread.call('load', { options: { lstmOnly: true, logging: false } });
      await thread.call('loadLanguage', {
        langs: language,
        // Never a URL and never a cache: the data is read from the npm package, nothing is written.
        options: { langPath, gzip: true, cacheMethod: 'none', lstmOnly: true },
      });
      await thread.call('initialize', {
        langs: language,
        oem: LSTM_ONLY,
        config: { debug_file: '/dev/null' },
      });
    };
    try {
      await deadline(
        boot(),
        timeoutMs,
        () => new Error(`the OCR engine did not start within ${formatLimit(timeoutMs)}`),
      );
      return new OcrWorker(language, thread);
    } catch (error) {
      await thread.terminate();
      throw new OcrUnavailable(`Text recognition (OCR) could not start: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  /**
   * Recognise the text of one encoded image (PNG, JPEG, TIFF, WebP or PNM). Rejects with
   * OcrPageFailure, or with the signal's reason when `signal` aborts.
   */
  async recognize(image: Uint8Array, timeoutMs: number, signal?: AbortSignal): Promise<OcrText> {
    signal?.throwIfAborted();
    const recognition = this.thread.call('recognize', { image, options: {}, output: { text: true } });
    try {
      const timeout = () =>
        new OcrPageFailure(
          'timeout',
          `Text recognition (OCR) of this page took longer than ${formatLimit(timeoutMs)} and was stopped`,
        );
      const data = await abortable(deadline(recognition, timeoutMs, timeout), signal);
      return readRecognition(data);
    } catch (error) {
      if (signal?.aborted || error instanceof OcrPageFailure) throw error;
      if (error instanceof OcrThreadEnded) {
        throw new OcrPageFailure('crashed', 'Text recognition (OCR) of this page crashed', { cause: error });
      }
      throw new OcrPageFailure(
        'unreadable',
        'Text recognition (OCR) could not read the image of this page; it may be damaged',
        { cause: error },
      );
    }
  }

  terminate(): Promise<void> {
    return this.thread.terminate();
  }
}
