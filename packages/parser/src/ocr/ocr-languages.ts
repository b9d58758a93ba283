import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** Tesseract's codes for the languages whose trained data ships with the parser. */
export type OcrLanguage = 'eng' | 'fra' | 'deu' | 'spa';

/** ISO 639-1 codes (the API's `lang`) of the languages OCR reads, with their Tesseract codes. */
export const OCR_LANGUAGES: Readonly<Record<string, OcrLanguage>> = {
  en: 'eng',
  fr: 'fra',
  de: 'deu',
  es: 'spa',
};

export const DEFAULT_OCR_LANGUAGE: OcrLanguage = 'eng';

const TESSERACT_CODES = new Set<string>(Object.values(OCR_LANGUAGES));

/**
 * The OCR language for the API's `lang`. An unknown or unsupported language falls back to
 * English instead of failing the job: `lang` is a hint that only matters for scans, most
 * documents have a text layer, and the English model still reads other Latin-script text,
 * only with more errors on accented letters. Region subtags ("en-GB") and Tesseract's own
 * codes ("deu") are accepted.
 */
export function ocrLanguageFor(lang: string | null | undefined): OcrLanguage {
  const code = (lang ?? '').trim().toLowerCase();
  if (TESSERACT_CODES.has(code)) return code as OcrLanguage;
  return OCR_LANGUAGES[code.split(/[-_]/)[0] ?? ''] ?? DEFAULT_OCR_LANGUAGE;
}

const require = createRequire(import.meta.url);

/**
 * The directory holding `<lang>.traineddata.gz`. The packages ship two models; the
 * LSTM-only "best_int" one is a quarter of the size, loads faster, and read the dev set's
 * scans as well as the full one (same mean confidence and word count).
 */
export function trainedDataDirectory(language: OcrLanguage): string {
  const packageJson = require.resolve(`@tesseract.js-data/${language}/package.json`);
  const directory = join(dirname(packageJson), '4.0.0_best_int');
  if (!existsSync(join(directory, `${language}.traineddata.gz`))) {
    // A broken install, not a problem with any document: fail loudly, never download.
    throw new Error(`OCR trained data for ${language} is missing from ${directory}; reinstall dependencies`);
  }
  return directory;
}
