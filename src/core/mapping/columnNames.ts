/** Column names normalised for comparison: lower case, spaces, dashes, dots, parentheses and camelCase humps as underscores ("Net Sales" → net_sales, "Amount (converted)" → amount_converted, "displayFinancialStatus" → display_financial_status). */
export function normalisedName(name: string): string {
  // camelCase as APIs write it ("displayFinancialStatus", "CustomerID") splits at each capital that follows a small letter or digit.
  return name.trim().replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase().replace(/[\s.\-()]+/g, '_').replace(/^_+|_+$/g, '');
}
