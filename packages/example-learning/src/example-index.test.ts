import type { LabelledExample } from '@classifyd/shared';
import { describe, expect, it } from 'vitest';
import { ExampleIndex } from './example-index.js';
import { textFeatures } from './text-features.js';

const doc = (id: string, type: string | null, text: string): LabelledExample => ({
  id,
  type,
  name: `${id}.pdf`,
  pages: [{ page_number: 1, text }],
});

const EXAMPLES = [
  doc('inv-1', 'invoice', 'Invoice number 1001. Total due 250 EUR. Payment terms 30 days. VAT 19%.'),
  doc('inv-2', 'invoice', 'Rechnung / invoice 1002, amount due 99 EUR, VAT included, pay within 14 days.'),
  doc(
    'cv-1',
    'resume',
    'Curriculum vitae. Experience: software engineer 2019-2024. Education: BSc. Skills: Go, SQL.',
  ),
  doc(
    'cv-2',
    'resume',
    'Resume. Work experience: nurse 2015-2023. Education: nursing diploma. Skills: triage.',
  ),
  doc('neg-1', null, 'Banana bread recipe: mash bananas, add flour and sugar, bake for an hour.'),
];

describe('ExampleIndex', () => {
  const index = ExampleIndex.build(EXAMPLES);

  it('finds a document closest to the examples of its own type', () => {
    const { byType, nearest } = index.compare([
      { text: 'Invoice 2001: total due 80 EUR incl. VAT, payment in 30 days.' },
    ]);
    const invoice = byType.find((s) => s.type === 'invoice');
    const resume = byType.find((s) => s.type === 'resume');
    expect(invoice?.words).toBeGreaterThan(resume?.words ?? 1);
    expect(invoice?.chars).toBeGreaterThan(resume?.chars ?? 1);
    expect(nearest[0]?.type).toBe('invoice');
    expect(nearest[0]?.name).toMatch(/^inv-\d\.pdf$/);
  });

  it('keeps negative examples as their own group', () => {
    const { byType, nearest } = index.compare([
      { text: 'Lemon cake recipe: mix flour, sugar and eggs, then bake.' },
    ]);
    expect(byType.find((s) => s.type === null)?.examples).toBe(1);
    expect(nearest[0]?.id).toBe('neg-1');
  });

  it('lists nearest examples only among the types asked for, and at most so many per type', () => {
    const among = new Set<string | null>(['resume']);
    const { nearest } = index.compare([{ text: 'Invoice, total due.' }], 5, among);
    expect(nearest.map((e) => e.type)).toEqual(['resume', 'resume']);
    const perType = index.nearestPerType([{ text: 'Invoice and resume and recipe' }], 1);
    expect(perType.map((e) => e.type).sort()).toEqual(['invoice', 'resume', null].sort());
  });

  it('compares OCR-damaged words through their character n-grams', () => {
    const damaged = index.compare([{ text: 'lnvoice numbcr 1003 tota1 duc 40 EUR VAT' }]);
    const invoice = damaged.byType.find((s) => s.type === 'invoice');
    const resume = damaged.byType.find((s) => s.type === 'resume');
    expect(invoice?.chars).toBeGreaterThan(resume?.chars ?? 1);
  });
});

describe('textFeatures', () => {
  it('counts the same features for the same text, and reads only the leading characters', () => {
    const a = textFeatures([{ text: 'Total due 250 EUR' }]);
    const b = textFeatures([{ text: 'Total due 250 EUR' }]);
    expect([...a.ids]).toEqual([...b.ids]);
    const long = textFeatures([{ text: 'word '.repeat(2000) }, { text: 'tail-only-marker' }]);
    const marker = textFeatures([{ text: 'tail-only-marker' }]);
    expect([...marker.ids].some((id) => long.ids.includes(id))).toBe(false);
  });
});
