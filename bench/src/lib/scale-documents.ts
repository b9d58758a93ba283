import { SAMPLE_RULES, scannedPdf, textPdf } from '@classifyd/testkit';
import { invoiceText } from './sample-document.js';

/** The lines of the bench's invoice, with `reference` as its number so that every document's bytes differ. */
function invoiceLines(reference: string): string[] {
  return invoiceText(reference)
    .split('\n')
    .filter((line) => line.trim() !== '');
}

/** A one-page scan (A4 at 150 dpi, no text layer) of the bench invoice: OCR does all the work. */
export function scannedInvoice(reference: string): Promise<Uint8Array> {
  return scannedPdf([invoiceLines(reference)]);
}

/** A one-page PDF with a text layer, the same invoice: parsing is cheap, no OCR. */
export function textPdfInvoice(reference: string): Promise<Uint8Array> {
  return textPdf([invoiceLines(reference)]);
}

/**
 * About 10,000 characters of invoice text: as much as the embedded classifier reads of a
 * document (packages/classifier MAX_DOCUMENT_CHARS), so that classifying it costs the most a
 * document can cost.
 */
export function longInvoiceText(): string {
  const parts: string[] = [];
  let length = 0;
  for (let i = 0; length < 10_000; i++) {
    const part = invoiceText(`LONG-${i}`);
    parts.push(part);
    length += part.length + 2;
  }
  return parts.join('\n\n');
}

const OTHER_TYPES = [
  'purchase-order',
  'receipt',
  'bank-statement',
  'payslip',
  'tax-return',
  'insurance-policy',
  'insurance-claim',
  'lease',
  'employment-contract',
  'nda',
  'resume',
  'cover-letter',
  'medical-report',
  'prescription',
  'lab-result',
  'court-order',
  'power-of-attorney',
  'will',
  'birth-certificate',
  'passport',
  'driving-licence',
  'utility-bill',
  'credit-note',
  'delivery-note',
  'quotation',
  'price-list',
  'product-manual',
  'safety-data-sheet',
  'meeting-minutes',
  'press-release',
  'newsletter',
  'research-paper',
  'patent',
  'annual-report',
  'balance-sheet',
  'audit-report',
  'loan-agreement',
  'mortgage-offer',
  'shipping-manifest',
  'customs-declaration',
  'bill-of-lading',
  'timesheet',
  'expense-report',
  'travel-itinerary',
  'boarding-pass',
  'hotel-booking',
  'menu',
] as const;

/**
 * The API's maximum of 50 rules: the bench's three sample rules and 47 more, each with a
 * description of its own, so that the classifier scores the document against all of them.
 */
export function fiftyRules(): { type: string; description: string }[] {
  const more = OTHER_TYPES.map((type) => {
    const words = type.replaceAll('-', ' ');
    return {
      type,
      description: `A ${words}: the kind of document people file as a ${words}, with the headings, names, dates and figures a ${words} usually carries.`,
    };
  });
  return [...SAMPLE_RULES.map((rule) => ({ ...rule })), ...more];
}
