import { holdsStatuses, type ColumnMapping, type ColumnSample } from './roles';
import { findKindColumn } from './transactionKinds';

/**
 * What a column the user took the customer off becomes (NetSuite's "Type" or a status column,
 * guessed as the customer by its position): the kind when its values are transaction kinds and no
 * kind is mapped (and there is money to read), else the status when they are statuses and none is
 * mapped; otherwise nothing. The guess would have read it so had it been free. Shared by the CLI's
 * flags and the app's mapping editor, so both read a freed column alike.
 */
export function freedColumnRole(mapping: Pick<ColumnMapping, 'kind' | 'status' | 'amount' | 'unitPrice'>, freed: ColumnSample): 'kind' | 'status' | null {
  if (!mapping.kind && (mapping.amount !== null || mapping.unitPrice !== null) && findKindColumn([freed])) return 'kind';
  if (!mapping.status && holdsStatuses(freed)) return 'status';
  return null;
}
