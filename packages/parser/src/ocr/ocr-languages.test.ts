import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ocrLanguageFor, trainedDataDirectory } from './ocr-languages.js';

describe('ocrLanguageFor', () => {
  it.each([
    ['en', 'eng'],
    ['fr', 'fra'],
    ['de', 'deu'],
    ['es', 'spa'],
    ['DE', 'deu'],
    ['fr-CA', 'fra'],
    ['es_MX', 'spa'],
    ['deu', 'deu'],
  ])('maps %s to %s', (lang, expected) => {
    expect(ocrLanguageFor(lang)).toBe(expected);
  });

  it.each([[undefined], [null], [''], ['it'], ['zh'], ['not a language']])(
    'falls back to English for %s',
    (lang) => {
      expect(ocrLanguageFor(lang)).toBe('eng');
    },
  );
});

describe('trainedDataDirectory', () => {
  it.each(['eng', 'fra', 'deu', 'spa'] as const)('finds the %s model in its npm package', (language) => {
    expect(existsSync(join(trainedDataDirectory(language), `${language}.traineddata.gz`))).toBe(true);
  });
});
