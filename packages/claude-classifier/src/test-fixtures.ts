// Shared by this package's tests.

/** The tool input schema as the classifier writes it. */
export type ToolSchema = {
  properties: Record<
    'type' | 'confidence' | 'reasoning',
    { enum?: unknown[]; type?: string; description: string }
  >;
  required: string[];
  additionalProperties: boolean;
};

export const INVOICE_AND_CONTRACT_RULES = [
  { type: 'invoice', description: 'A bill that asks the recipient to pay for goods or services.' },
  { type: 'contract', description: 'An agreement between parties, with terms and signatures.' },
];

/** A one-line invoice against the two rules above. */
export const INVOICE_INPUT = {
  pages: [{ page_number: 1, text: 'Invoice 7, total 30 EUR' }],
  rules: INVOICE_AND_CONTRACT_RULES,
};
