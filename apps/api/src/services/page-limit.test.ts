import { AppError } from '@classifyd/shared';
import { describe, expect, it } from 'vitest';
import { assertPageLimit, type RequestedPages } from './page-limit.js';

const LOC = ['body', 'configuration', 'parsing_configuration'];

function issueOf(pages: RequestedPages | null, saved = false) {
  try {
    assertPageLimit(pages, 1000, saved ? ['body', 'configuration_id'] : LOC, { saved });
    return null;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return error.issues?.[0] ?? null;
  }
}

describe('pages per parse', () => {
  it.each([
    ['no selection', null],
    ['max_pages at the limit', { max_pages: 1000 }],
    ['a range of 1000 pages far into a document', { target_pages: '5001-6000' }],
    ['target_pages within the limit, whatever max_pages says', { target_pages: '1-10', max_pages: 5000 }],
  ])('accepts %s', (_, pages) => {
    expect(issueOf(pages)).toBeNull();
  });

  it.each([
    [
      'max_pages past the limit (the probe asked for 100000)',
      { max_pages: 100_000 },
      'max_pages',
      /is 100000; one parse reads at most 1000/,
    ],
    [
      'ranges adding up past the limit',
      { target_pages: '1-600,1001-1401' },
      'target_pages',
      /selects 1001 pages/,
    ],
    ['one range of every page', { target_pages: '1-1000000' }, 'target_pages', /selects 1000000 pages/],
  ])('refuses %s, naming the field', (_, pages, field, msg) => {
    expect(issueOf(pages)).toEqual({
      loc: [...LOC, field],
      msg: expect.stringMatching(msg),
      type: 'less_than_equal',
    });
  });

  it('names the saved configuration when the selection came from one', () => {
    expect(issueOf({ max_pages: 2000 }, true)).toEqual({
      loc: ['body', 'configuration_id'],
      msg: expect.stringMatching(/^the saved configuration's max_pages is 2000/),
      type: 'less_than_equal',
    });
  });
});
