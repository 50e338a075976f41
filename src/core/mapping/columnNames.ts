/** Column names normalised for comparison: lower case, spaces, dashes, dots and parentheses as underscores ("Net Sales" → net_sales, "Amount (converted)" → amount_converted). */
export function normalisedName(name: string): string {
  return name.trim().toLowerCase().replace(/[\s.\-()]+/g, '_').replace(/^_+|_+$/g, '');
}
