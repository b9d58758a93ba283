import { describe, expect, it } from 'vitest';
import { AppError } from './errors.js';
import { configurationCreateSchema } from './schemas/configurations.js';
import { parseCreateRequestSchema, parseGetQuerySchema } from './schemas/parse-api.js';
import { parseOrThrow } from './validation.js';

const FILE = 'dfl-00000000-0000-4000-8000-000000000001';

function locsOf(
  schema: Parameters<typeof parseOrThrow>[0],
  input: unknown,
  source: 'body' | 'query',
): unknown[] {
  try {
    parseOrThrow(schema, input, source);
    return [];
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return (error.issues ?? []).map((issue) => issue.loc);
  }
}

describe('parse API requests as the SDK sends them', () => {
  it('accepts every expand value the SDK documents, answering those classifyd has none for by leaving them out', () => {
    const query = parseOrThrow(
      parseGetQuerySchema,
      { expand: ['text', 'text_content_metadata', 'forms', 'usage', 'images_content_metadata', 'markdown'] },
      'query',
    );
    expect(query.expand).toEqual(['text', 'markdown']);
  });

  it('still refuses an expand value nobody documents, naming it', () => {
    expect(locsOf(parseGetQuerySchema, { expand: ['text', 'bogus'] }, 'query')).toEqual([
      ['query', 'expand', 1],
    ]);
  });

  it.each(['en', 'ch_sim', 'rs_cyrillic', 'abq'])('accepts the SDK OCR language %s', (language) => {
    const body = { file_id: FILE, processing_options: { ocr_parameters: { languages: [language] } } };
    expect(locsOf(parseCreateRequestSchema, body, 'body')).toEqual([]);
  });

  it.each(['english', 'e', 'en-US', '../x'])('refuses the OCR language %j', (language) => {
    const body = { file_id: FILE, processing_options: { ocr_parameters: { languages: [language] } } };
    expect(locsOf(parseCreateRequestSchema, body, 'body')).toEqual([
      ['body', 'processing_options', 'ocr_parameters', 'languages', 0],
    ]);
  });
});

describe('saved parse_v2 configurations', () => {
  const parseConfig = (page_ranges: Record<string, unknown>) => ({
    name: 'pages',
    parameters: { product_type: 'parse_v2', tier: 'fast', version: 'latest', page_ranges },
  });

  it.each([
    [{ target_pages: 'zzz' }, 'target_pages'],
    [{ target_pages: '0' }, 'target_pages'],
    [{ target_pages: '5-2' }, 'target_pages'],
    [{ max_pages: 0 }, 'max_pages'],
  ])('refuses page_ranges %j when saved, as a parse request would', (page_ranges, field) => {
    expect(locsOf(configurationCreateSchema, parseConfig(page_ranges), 'body')).toEqual([
      ['body', 'parameters', 'page_ranges', field],
    ]);
  });

  it('keeps a valid page selection', () => {
    const saved = parseOrThrow(configurationCreateSchema, parseConfig({ target_pages: '1,3-4' }), 'body');
    expect(saved.parameters).toMatchObject({ page_ranges: { target_pages: '1,3-4' } });
  });
});
