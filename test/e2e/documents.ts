import { SAMPLE_RULES } from '@classifyd/testkit';

/**
 * Test documents written for this repo (no third-party text), each clearly one kind,
 * and the rules users would write for them.
 */
export const RULES = SAMPLE_RULES.map((rule) => ({ ...rule }));

export const INVOICE_TEXT = `INVOICE
Invoice number: INV-2026-0412
Invoice date: 3 March 2026
Due date: 2 April 2026

Bill to: Harbour Street Bakery Ltd, 14 Harbour Street, Leith
From: Northwind Office Supplies GmbH, VAT ID DE123456789

Item                      Qty   Unit price   Amount
Printer paper A4 (box)     10      24.00      240.00
Toner cartridge black       2      61.50      123.00
Desk lamp                   1      39.90       39.90

Subtotal                                      402.90
VAT 19%                                        76.55
Total amount due (EUR)                        479.45

Payment terms: 30 days net. Please pay by bank transfer to IBAN DE89 3704 0044 0532 0130 00
quoting the invoice number.`;

/** The same kind of bill in German, for the rules above, which are in English. */
export const GERMAN_INVOICE_TEXT = `RECHNUNG
Rechnungsnummer: RE-2026-0087
Rechnungsdatum: 12.03.2026
Kunde: Bäckerei am Hafen GmbH, Hafenstraße 14, 20457 Hamburg
Lieferant: Nordwind Bürobedarf GmbH, USt-IdNr. DE123456789

Pos. Bezeichnung               Menge   Einzelpreis   Betrag
1    Druckerpapier A4 (Karton)    10        24,00     240,00
2    Tonerkartusche schwarz        2        61,50     123,00

Nettobetrag                                           363,00 EUR
Umsatzsteuer 19 %                                      68,97 EUR
Gesamtbetrag                                          431,97 EUR

Zahlbar innerhalb von 30 Tagen ohne Abzug auf das Konto IBAN DE89 3704 0044 0532 0130 00.`;

export const RECIPE_TEXT = `Lemon Drizzle Cake

Serves 8. Preparation 20 minutes, baking time 45 minutes.

Ingredients
- 225 g unsalted butter, softened
- 225 g caster sugar
- 4 eggs
- 275 g self-raising flour
- finely grated zest of 2 lemons
- juice of 1.5 lemons and 85 g icing sugar for the drizzle

Method
1. Heat the oven to 180 C. Grease and line a loaf tin.
2. Beat the butter and sugar until pale and fluffy, then add the eggs one at a time.
3. Fold in the flour and lemon zest, spoon into the tin and bake for 45 minutes.
4. Mix the lemon juice with the icing sugar and pour the drizzle over the warm cake.`;

/** A three-page agreement: clauses spread over pages, so page selection changes the text read. */
export const CONTRACT_PAGES: string[][] = [
  [
    'SERVICES AGREEMENT',
    'This Services Agreement is made between Alder Analytics Ltd ("Provider")',
    'and Birch Retail plc ("Client"), together the parties.',
    '1. Services. The Provider shall deliver the services described in Schedule 1.',
    '2. Term. This Agreement commences on the Effective Date and continues for two years.',
  ],
  [
    '3. Fees. The Client shall pay the fees set out in Schedule 2 within 30 days.',
    '4. Termination. Either party may terminate this Agreement on 90 days written notice,',
    'or immediately if the other party commits a material breach.',
    '5. Liability. Neither party limits liability for fraud or death or personal injury.',
  ],
  [
    '6. Governing law. This Agreement is governed by the laws of England and Wales.',
    'Signed for and on behalf of the Provider: ____________',
    'Signed for and on behalf of the Client: ____________',
  ],
];
