import { SAMPLE_RULES } from '@classifyd/testkit';

/** A small one-page text document written for the bench, and rules users would send for it. */
export const RULES = SAMPLE_RULES.map((rule) => ({ ...rule }));

export const EXPECTED_TYPE = 'invoice';

/** About 0.8 KB. `reference` makes the bytes unique (classifyd reuses the parse of identical bytes). */
export function invoiceText(reference = 'INV-2026-0917'): string {
  return `INVOICE
Invoice number: ${reference}
Invoice date: 14 September 2026
Due date: 14 October 2026

Bill to: Quayside Print Works, 3 Dock Road, Aberdeen
From: Fernhill Garden Supplies Ltd, VAT reg. GB 123 4567 89

Item                       Qty   Unit price   Amount
Terracotta pot, 30 cm       12       8.50      102.00
Compost, 50 l bag            6       7.25       43.50
Pruning shears               2      18.90       37.80

Subtotal                                       183.30
VAT 20%                                         36.66
Total amount due (GBP)                         219.96

Payment terms: 30 days net. Pay by bank transfer quoting the invoice number.`;
}
