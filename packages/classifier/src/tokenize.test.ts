import { describe, expect, it } from 'vitest';
import { affirmedTokens, contentTokens, typeNameTokens } from './tokenize.js';

describe('contentTokens', () => {
  it('lowercases words and drops stop words, numbers and single letters', () => {
    expect(contentTokens('The TOTAL due is 445.20 GBP, a VAT of 20%.')).toEqual([
      'total',
      'due',
      'gbp',
      'vat',
    ]);
  });

  it('keeps letters of any script and drops common function words of other languages', () => {
    expect(contentTokens('Die Rechnung für Müller und Straße')).toEqual([
      'die',
      'rechnung',
      'müller',
      'straße',
    ]);
    expect(contentTokens('Facture pour le client')).toEqual(['facture', 'pour', 'client']);
  });

  it('leaves out the pieces of e-mail addresses and web links', () => {
    expect(contentTokens('Write to jane.doe@example.com or see https://shop.example.org/help today')).toEqual(
      ['write', 'see', 'today'],
    );
  });
});

describe('typeNameTokens', () => {
  it.each([
    ['medical_report', ['medical', 'report']],
    ['news-article', ['news', 'article']],
    ['PurchaseOrder', ['purchase', 'order']],
    ['Bill of Lading', ['bill', 'lading']],
    ['invoice', ['invoice']],
    ['other', ['other']],
    ['x', ['x']],
  ])('splits %j into %j', (type, words) => {
    expect(typeNameTokens(type)).toEqual(words);
  });
});

describe('affirmedTokens', () => {
  it('drops clauses that say what the type is not', () => {
    expect(affirmedTokens('A personal CV listing jobs; a cover letter is not a resume.')).toEqual([
      'personal',
      'cv',
      'listing',
      'jobs',
    ]);
  });

  it('keeps what comes before "rather than"', () => {
    expect(affirmedTokens('written in short fragments rather than letter prose')).toEqual([
      'written',
      'short',
      'fragments',
    ]);
  });
});
