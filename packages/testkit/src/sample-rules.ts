/** Rules a user would write for the repo's sample documents (invoices, recipes, contracts); shared by tests and benchmarks. */
export const SAMPLE_RULES = [
  {
    type: 'invoice',
    description:
      'A bill from a seller asking the buyer to pay: invoice number, issue date, line items with quantities and unit prices, VAT or tax, total amount due and payment terms.',
  },
  {
    type: 'recipe',
    description:
      'Cooking instructions for a dish: a list of ingredients with amounts, preparation steps, oven temperature, baking or cooking time and servings.',
  },
  {
    type: 'contract',
    description:
      'A legal agreement between named parties with numbered clauses: obligations, term and termination, liability, governing law and signatures.',
  },
] as const satisfies readonly { type: string; description: string }[];
