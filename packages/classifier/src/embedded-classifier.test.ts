import type { Classifier, Rule } from '@classifyd/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import { createEmbeddedClassifier } from './embedded-classifier.js';

// Short documents written for these tests.
const INVOICE = `INVOICE No. 2024-0193
Date: 12 March 2024. Due date: 11 April 2024.
Bill to: Northwind Traders Ltd, 4 Harbour Road, Leeds.
From: Acme Office Supplies, 17 Mill Lane, York. VAT number GB 123 4567 89.
Description / Qty / Unit price / Amount
Printer paper A4, 10 boxes, 24.00, 240.00
Toner cartridge, 2, 65.50, 131.00
Subtotal 371.00. VAT 20% 74.20. Total due 445.20 GBP.
Payment terms: 30 days. Please pay by bank transfer and quote the invoice number.`;

const RECIPE = `Classic banana bread
Ingredients: 3 ripe bananas, 75 g melted butter, 150 g sugar, 1 egg, 1 teaspoon vanilla extract,
1 teaspoon baking soda, a pinch of salt, 190 g plain flour.
Method: Preheat the oven to 175 C. Mash the bananas in a bowl with a fork, stir in the melted butter,
then mix in the sugar, the beaten egg and the vanilla. Sprinkle the baking soda and salt over the
mixture and fold in the flour. Pour the batter into a greased loaf tin and bake for about 60 minutes,
until a skewer comes out clean. Leave to cool before slicing. Serves 8.`;

const CONTRACT = `SERVICES AGREEMENT
This Services Agreement is entered into as of 1 June 2024 by and between Bluebird Analytics Inc.
(the "Provider") and Harbor Logistics LLC (the "Client").
1. Services. The Provider shall perform the consulting services described in Exhibit A.
2. Term and Termination. This Agreement commences on the Effective Date and continues for twelve
months; either party may terminate it upon thirty days' written notice to the other party.
3. Fees. The Client shall pay the fees set out in Exhibit B within thirty days of receipt.
4. Confidentiality. Each party shall keep the confidential information of the other party secret.
5. Limitation of Liability. Neither party shall be liable for indirect or consequential damages.
6. Governing Law. This Agreement is governed by the laws of the State of Delaware.`;

const ASTRONOMY = `The space telescope observed a distant galaxy whose light left it more than thirteen billion
years ago. Astronomers measured its redshift with the spectrograph and found young stars forming
rapidly inside clouds of hydrogen and dust that glow in the infrared. The observatory orbits the
second Lagrange point, where a sunshield keeps its mirror and instruments cold enough to see faint
objects at the edge of the observable universe.`;

const GERMAN_INVOICE = `Rechnung Nr. 2024-117
Rechnungsdatum: 05.03.2024
Kunde: Müller GmbH, Hauptstraße 12, 10115 Berlin
Leistung: Webdesign und Hosting für das erste Quartal
Menge 1, Einzelpreis 800,00 EUR
Zwischensumme 800,00 EUR, Umsatzsteuer 19 % 152,00 EUR, Gesamtbetrag 952,00 EUR
Zahlbar innerhalb von 14 Tagen ohne Abzug auf das Konto IBAN DE89 3704 0044 0532 0130 00.
Vielen Dank für Ihren Auftrag!`;

const INVOICE_RULE: Rule = {
  type: 'invoice',
  description:
    'A bill from a seller asking the buyer to pay: invoice number, date, line items with quantities and prices, tax and the total amount due.',
};
const RECIPE_RULE: Rule = {
  type: 'recipe',
  description:
    'Cooking instructions for a dish: a list of ingredients with quantities and the steps to prepare, bake or cook it.',
};
const CONTRACT_RULE: Rule = {
  type: 'contract',
  description:
    'A legal agreement between parties that sets out obligations in numbered clauses, with term, termination, governing law and signatures.',
};
const RULES = [INVOICE_RULE, RECIPE_RULE, CONTRACT_RULE];

const page = (text: string) => [{ page_number: 1, text }];

let classifier: Classifier;
beforeAll(async () => {
  classifier = await createEmbeddedClassifier();
});

describe('embedded classifier', () => {
  it.each([
    ['invoice', INVOICE],
    ['recipe', RECIPE],
    ['contract', CONTRACT],
  ])('picks %s for a clear %s document', async (expected, text) => {
    const result = await classifier.classify({ pages: page(text), rules: RULES });
    expect(result.type).toBe(expected);
    expect(result.confidence).toBeGreaterThanOrEqual(0.5);
  });

  it('answers null, confident that no rule fits, when none does', async () => {
    const result = await classifier.classify({ pages: page(ASTRONOMY), rules: RULES });
    expect(result.type).toBeNull();
    // The confidence of a null answer is the probability that null is right.
    expect(result.confidence).toBeGreaterThan(0.5);
    expect(result.reasoning).toMatch(
      /^No rule fits well enough: best was "\w+" at confidence 0\.\d+, below the threshold 0\.5; no rule fits with confidence 0\.\d+\.( For it, .+\.)?$/,
    );
  });

  it('applies a fixed null threshold when one is given', async () => {
    const strict = await createEmbeddedClassifier({ nullThreshold: 0.999 });
    const result = await strict.classify({ pages: page(INVOICE), rules: RULES });
    expect(result.type).toBeNull();
    expect(result.reasoning).toContain('below the threshold 0.999');
  });

  it('accepts a single rule that fits and rejects one that does not', async () => {
    const fits = await classifier.classify({ pages: page(INVOICE), rules: [INVOICE_RULE] });
    expect(fits.type).toBe('invoice');
    const doesNot = await classifier.classify({ pages: page(RECIPE), rules: [INVOICE_RULE] });
    expect(doesNot.type).toBeNull();
    expect(doesNot.confidence).toBeGreaterThan(0.5);
  });

  it('takes several rules of one type as variants of it, not as rivals', async () => {
    const alone = await classifier.classify({ pages: page(INVOICE), rules: RULES });
    const variant: Rule = {
      type: 'invoice',
      description: 'A pro-forma bill with the seller, the buyer, the goods and a total to pay.',
    };
    for (const rules of [
      [INVOICE_RULE, variant, RECIPE_RULE, CONTRACT_RULE],
      [variant, RECIPE_RULE, INVOICE_RULE, CONTRACT_RULE],
    ]) {
      const both = await classifier.classify({ pages: page(INVOICE), rules });
      expect(both.type).toBe('invoice');
      expect(both.confidence).toBeGreaterThanOrEqual(alone.confidence - 0.05);
      expect(both.reasoning).not.toMatch(/next "invoice"/);
    }
  });

  it('is less confident when the document fits two rules than when it fits one', async () => {
    const clear = await classifier.classify({ pages: page(INVOICE), rules: RULES });
    const mixed = await classifier.classify({ pages: page(`${RECIPE}\n${INVOICE}`), rules: RULES });
    for (const result of [clear, mixed]) {
      expect(result.confidence).toBeGreaterThanOrEqual(0);
      expect(result.confidence).toBeLessThanOrEqual(1);
    }
    expect(clear.confidence).toBeGreaterThan(mixed.confidence);
  });

  it('explains a match with words from the document, in bounded length', async () => {
    const result = await classifier.classify({ pages: page(INVOICE), rules: RULES });
    expect(result.reasoning).toMatch(/^Matched "invoice" \(score [\d.]+, next "(recipe|contract)" [\d.-]+\)/);
    expect(result.reasoning).toContain('"invoice"');
    expect(result.reasoning.length).toBeLessThanOrEqual(400);
  });

  it('keeps reasoning short even with long type names and long rules', async () => {
    const longType = (stem: string) => `${stem}_${'x'.repeat(50 - stem.length - 1)}`;
    const rules = RULES.map((rule) => ({
      type: longType(rule.type),
      description:
        `${rule.description} ${'Additional wording about the kind of document. '.repeat(30)}`.slice(0, 2000),
    }));
    const result = await classifier.classify({ pages: page(INVOICE.repeat(20)), rules });
    expect(result.reasoning.length).toBeLessThanOrEqual(400);
  });

  it('does not confidently mislabel a German invoice', async () => {
    const english = await classifier.classify({ pages: page(GERMAN_INVOICE), rules: RULES });
    expect([null, 'invoice']).toContain(english.type);

    const rechnung = { ...INVOICE_RULE, type: 'rechnung' };
    const german = await classifier.classify({
      pages: page(GERMAN_INVOICE),
      rules: [rechnung, RECIPE_RULE, CONTRACT_RULE],
    });
    expect(german.type).toBe('rechnung');
    expect(german.reasoning).toContain('"rechnung"');
  });

  it.each([
    ['empty', ''],
    ['blank', '  \n\t '],
    ['numbers only', '2024 12.50 0042-17'],
  ])('answers null for %s text and says there was no text', async (_, text) => {
    const result = await classifier.classify({ pages: page(text), rules: RULES });
    expect(result).toEqual({ type: null, confidence: 0, reasoning: expect.stringMatching(/no text/) });
  });

  it('reads every page', async () => {
    const pages = [
      { page_number: 1, text: 'Northwind Traders Ltd' },
      { page_number: 2, text: RECIPE },
    ];
    const result = await classifier.classify({ pages, rules: RULES });
    expect(result.type).toBe('recipe');
  });

  it('judges a long document by its beginning: what follows does not change the answer', async () => {
    // 40 pages of contract (about 36,000 characters) are more than is read.
    const contract = Array.from({ length: 40 }, (_, i) => ({ page_number: i + 1, text: CONTRACT }));
    const recipe = Array.from({ length: 160 }, (_, i) => ({ page_number: i + 41, text: RECIPE }));
    const alone = await classifier.classify({ pages: contract, rules: RULES });
    const followed = await classifier.classify({ pages: [...contract, ...recipe], rules: RULES });
    expect(alone.type).toBe('contract');
    expect(followed).toEqual(alone);
  });

  it('finds the right rule among 50', async () => {
    const topics = [
      'sports results and league tables of football matches',
      'weather forecast with temperatures, wind and rain for the coming days',
      'software release notes listing fixed bugs and new features',
      'a poem written in verses and stanzas',
      'travel guide describing hotels, beaches and sights of a city',
      'school timetable of lessons and teachers for each weekday',
      'a product manual explaining installation and safety warnings',
    ];
    const distractors = Array.from({ length: 47 }, (_, i) => ({
      type: `topic_${i}`,
      description: `A document about ${topics[i % topics.length]}, variant ${i}.`,
    }));
    const rules = [
      ...distractors.slice(0, 20),
      INVOICE_RULE,
      ...distractors.slice(20),
      RECIPE_RULE,
      CONTRACT_RULE,
    ];
    expect(rules).toHaveLength(50);
    const result = await classifier.classify({ pages: page(RECIPE), rules });
    expect(result.type).toBe('recipe');
  });

  it('refuses a request without rules', async () => {
    await expect(classifier.classify({ pages: page(INVOICE), rules: [] })).rejects.toMatchObject({
      code: 'bad_request',
    });
  });

  it('rejects when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      classifier.classify({ pages: page(INVOICE), rules: RULES }, controller.signal),
    ).rejects.toThrow(expect.objectContaining({ name: 'AbortError' }));
  });

  it('stops when the signal is aborted while it runs', async () => {
    const controller = new AbortController();
    const pending = classifier.classify({ pages: page(INVOICE), rules: RULES }, controller.signal);
    controller.abort();
    await expect(pending).rejects.toThrow(expect.objectContaining({ name: 'AbortError' }));
  });

  it('gives the same answer when the same rules come again', async () => {
    const first = await classifier.classify({ pages: page(CONTRACT), rules: RULES });
    const again = await classifier.classify({ pages: page(CONTRACT), rules: RULES.map((r) => ({ ...r })) });
    expect(again).toEqual(first);
  });

  it('honours nullThreshold', async () => {
    const eager = await createEmbeddedClassifier({ nullThreshold: 0 });
    const result = await eager.classify({ pages: page(ASTRONOMY), rules: RULES });
    expect(result.type).not.toBeNull();
    await expect(createEmbeddedClassifier({ nullThreshold: 1.5 })).rejects.toThrow(RangeError);
  });
});
