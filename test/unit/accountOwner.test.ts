import { describe, expect, it } from 'vitest';
import { counterpartyColumn } from '../../src/core/clean/accountOwner';

describe("a customer column's partner in the other direction", () => {
  it('pairs from/to, sender/recipient, payer/payee and Absender/Empfänger, either way round', () => {
    expect(counterpartyColumn('From Email Address', ['Date', 'From Email Address', 'To Email Address'])).toBe('To Email Address');
    expect(counterpartyColumn('To Email Address', ['From Email Address', 'To Email Address'])).toBe('From Email Address');
    expect(counterpartyColumn('Absender E-Mail-Adresse', ['Absender E-Mail-Adresse', 'Empfänger E-Mail-Adresse'])).toBe('Empfänger E-Mail-Adresse');
    expect(counterpartyColumn('payer_email', ['payer_email', 'payee_email'])).toBe('payee_email');
    expect(counterpartyColumn('Sender', ['Sender', 'Recipient'])).toBe('Recipient');
  });
  it('finds none where no column is named for the other direction', () => {
    expect(counterpartyColumn('Customer Email', ['Customer Email', 'To Email Address'])).toBeNull();
    expect(counterpartyColumn('From Email Address', ['From Email Address', 'Reply-To'])).toBeNull();
    expect(counterpartyColumn('Name', ['Name', 'To'])).toBeNull();
  });
});
