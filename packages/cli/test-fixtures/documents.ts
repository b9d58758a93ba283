import { SAMPLE_RULES } from '@classifyd/testkit';

/**
 * Documents written for these tests (no third-party text), each clearly one kind, and the
 * rules a user would write for them.
 */
export const RULES = SAMPLE_RULES.map((rule) => ({ ...rule }));
export const INVOICE = RULES[0] as { type: string; description: string };

export const INVOICE_TEXT = `INVOICE
Invoice number: INV-2026-0877
Invoice date: 9 February 2026
Due date: 11 March 2026
Bill to: Quayside Florists, 3 Dock Road, Bristol
From: Bluebell Packaging Ltd, VAT number GB 123 4567 89
Item                      Qty   Unit price   Amount
Gift boxes (pack of 50)     4      18.00       72.00
Ribbon rolls                6       4.50       27.00
Subtotal                                       99.00
VAT 20%                                        19.80
Total amount due (GBP)                        118.80
Payment terms: 30 days. Please pay by bank transfer quoting the invoice number.`;

export const RECIPE_TEXT = `Carrot and Coriander Soup
Serves 4. Preparation 15 minutes, cooking time 30 minutes.
Ingredients
- 1 tbsp olive oil
- 1 onion, chopped
- 500 g carrots, peeled and sliced
- 1 litre vegetable stock
- a large bunch of fresh coriander
Method
1. Heat the oil in a large pan and soften the onion for 5 minutes.
2. Add the carrots and the stock, bring to the boil and simmer for 25 minutes.
3. Stir in the chopped coriander, blend until smooth and season to taste.
4. Serve hot with crusty bread.`;

export const CONTRACT_PAGES = [
  [
    'SERVICES AGREEMENT',
    'This Services Agreement is made between Harbour Analytics Ltd ("Provider")',
    'and Westfield Logistics plc ("Client"), together the parties.',
    '1. Services. The Provider shall deliver the services described in Schedule 1.',
    '2. Fees. The Client shall pay the fees set out in Schedule 2 within 30 days.',
  ],
  [
    '3. Term and Termination. This Agreement begins on the Effective Date and continues',
    'for twelve months. Either party may terminate it on 60 days written notice.',
    '4. Liability. Neither party shall be liable for indirect or consequential loss.',
    '5. Confidentiality. Each party shall keep the other party confidential information secret.',
  ],
  [
    '6. Governing Law. This Agreement is governed by the laws of England and Wales.',
    'IN WITNESS WHEREOF the parties have signed this Agreement on the date below.',
    'Signed for the Provider: ____________   Signed for the Client: ____________',
  ],
];

/** Fits none of RULES: a negative example. */
export const WEATHER_TEXT = `Weather outlook for the coast, Saturday
Morning fog clearing by ten, then sunny spells. Light westerly winds, 10 to 15 km/h.
Afternoon highs of 19 degrees, falling to 11 overnight under clear skies.
Sea state slight; visibility good after the fog lifts. Pollen count moderate.
Sunday: cloud thickening from the west with showers by evening.`;
