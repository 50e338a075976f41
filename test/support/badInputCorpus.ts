/**
 * A corpus of bad and odd input files, generated small in a temporary folder, each with the outcome
 * it must have: a correct load (the rows the file holds, from which a test computes the rows kept,
 * the customers and the total spend) or a specific error code with a fragment of its message.
 * Shared by the engine/CLI integration test and the browser test.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { ClvErrorCode } from '../../src/core/errors';

/** One transaction as the generator wrote it: customer, ISO day, amount. */
export type Tx = [customer: string, day: string, amount: number];

export type Outcome =
  | {
      kind: 'load';
      /** Every row the file holds that must be kept. */
      kept: Tx[];
      /** Rows that must be rejected, by reason. */
      rejected?: Record<string, number>;
      /** A fragment one of the quality warnings must contain. */
      warning?: RegExp;
    }
  | { kind: 'error'; code: ClvErrorCode; fragment: RegExp };

export interface CorpusCase {
  name: string;
  file: string;
  /** The bytes; a folder when null (a directory given as the file). */
  content: (() => Uint8Array | string | Promise<Uint8Array>) | null;
  outcome: Outcome;
  /**
   * The size the file claims (its bytes stay small): for limits that would need hundreds of MB on
   * disk. Only the engine test can run such a case.
   */
  claimedSize?: number;
  /** Also run through the real CLI (the slow path: one process each). */
  cli?: boolean;
}

/** A zip archive holding one file, stored (not deflated), as the zip format's local header, central directory and end record lay it out. */
export function storedZip(entry: string, text: string): Uint8Array {
  const name = new TextEncoder().encode(entry);
  const data = new TextEncoder().encode(text);
  const u16 = (v: number) => [v & 0xff, (v >> 8) & 0xff];
  const u32 = (v: number) => [...u16(v & 0xffff), ...u16(v >>> 16)];
  // CRC-32 (IEEE) of the data, bit by bit.
  let crc = 0xffffffff;
  for (const b of data) {
    crc ^= b;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  crc = (crc ^ 0xffffffff) >>> 0;
  const common = [...u16(20), ...u16(0x0800), ...u16(0), ...u16(0), ...u16(0x21), ...u32(crc), ...u32(data.length), ...u32(data.length), ...u16(name.length), ...u16(0)];
  const local = [0x50, 0x4b, 0x03, 0x04, ...common, ...name, ...data];
  const central = [0x50, 0x4b, 0x01, 0x02, ...u16(20), ...common, ...u16(0), ...u16(0), ...u16(0), ...u32(0), ...u32(0), ...name];
  const end = [0x50, 0x4b, 0x05, 0x06, ...u16(0), ...u16(0), ...u16(1), ...u16(1), ...u32(central.length), ...u32(local.length), ...u16(0)];
  return Uint8Array.from([...local, ...central, ...end]);
}

/** Cutoff for building tables from any corpus file: every generated day is on or before it. */
export const CORPUS_CUTOFF = '2024-06-30';

/** The base transactions: 4 customers, 12 rows, amounts with cents, one above a thousand. */
export const TX: Tx[] = [
  ['c001', '2024-01-05', 12.5],
  ['c002', '2024-01-06', 7],
  ['c001', '2024-01-20', 7.25],
  ['c003', '2024-02-01', 3.1],
  ['c002', '2024-02-10', 15],
  ['c004', '2024-02-29', 99.99],
  ['c001', '2024-03-15', 1234.5],
  ['c003', '2024-03-31', 10],
  ['c004', '2024-04-15', 5],
  ['c001', '2024-05-02', 20],
  ['c002', '2024-05-20', 42.42],
  ['c003', '2024-06-01', 8.8],
];

/** Engine text that must never reach a user. */
export const ENGINE_TEXT = /Error:|Invalid Input|\/tmp\/|[Dd]uck[Dd][Bb]|Binder|Parser|read_csv|upload_|EISDIR|Conversion Error|INTERNAL|Catalog Error|LINE \d/;

export function csvText(rows: readonly Tx[], { eol = '\n', header = 'customer_id,date,amount', extra }: { eol?: string; header?: string; extra?: (t: Tx, i: number) => string } = {}): string {
  const lines = rows.map((t, i) => `${t[0]},${t[1]},${t[2].toFixed(2)}${extra ? `,${extra(t, i)}` : ''}`);
  return [header, ...lines].join(eol) + eol;
}

/** Deterministic bytes (LCG): the same garbage on every run. */
export function pseudoRandomBytes(n: number, seed = 12345): Uint8Array {
  const out = new Uint8Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s >>> 24;
  }
  out[0] = 0x00;
  return out;
}

const PNG = Uint8Array.from([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06,
  0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
]);

function utf16(text: string, bigEndian: boolean, bom: boolean): Uint8Array {
  const body = Buffer.from(text, 'utf16le');
  if (bigEndian) body.swap16();
  const mark = bom ? (bigEndian ? [0xfe, 0xff] : [0xff, 0xfe]) : [];
  return Uint8Array.from([...mark, ...body]);
}

function utf32le(text: string): Uint8Array {
  const points = [...text].map((c) => c.codePointAt(0)!);
  const out = new Uint8Array(4 + points.length * 4);
  out.set([0xff, 0xfe, 0, 0]);
  const view = new DataView(out.buffer);
  points.forEach((p, i) => view.setUint32(4 + i * 4, p, true));
  return out;
}

/** A gzip of the base CSV made long enough (repeated customers) to cut in the middle. */
function longCsv(): { text: string; rows: Tx[] } {
  const rows: Tx[] = [];
  for (let i = 0; i < 3000; i++) rows.push([`k${String(i % 300).padStart(4, '0')}`, `2024-0${1 + (i % 6)}-${String(1 + (i % 28)).padStart(2, '0')}`, ((i * 37) % 1000) / 4 + 1]);
  return { text: csvText(rows), rows };
}

/** The base transactions with their days written as reports do: "Jan 5, 2024" and, every other row, "05-Jan-2024". */
function monthNameCsv(): string {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const lines = TX.map(([c, day, a], i) => {
    const [y, m, d] = day.split('-').map(Number);
    const written = i % 2 === 0 ? `"${months[m - 1]} ${d}, ${y}"` : `${String(d).padStart(2, '0')}-${months[m - 1]}-${y}`;
    return `${c},${written},${a.toFixed(2)}`;
  });
  return ['customer_id,date,amount', ...lines].join('\n') + '\n';
}

/** The long CSV with the date (field 1) or the amount (field 2) left empty on every `every`-th row. */
function blankCells(field: 1 | 2, every = 10): string {
  const [header, ...lines] = longCsv().text.trimEnd().split('\n');
  const out = lines.map((line, i) => {
    if (i % every !== 0) return line;
    const cells = line.split(',');
    cells[field] = '';
    return cells.join(',');
  });
  return [header, ...out].join('\n') + '\n';
}

/**
 * An order export as online shops write it (one line per item; the order's date and total only on
 * its first line, the item lines under it with the order's name and email but no date or total).
 */
function orderExport(): { text: string; kept: Tx[]; itemLines: number } {
  const lines = ['Name,Email,Paid at,Total,Lineitem quantity,Lineitem name'];
  const kept: Tx[] = [];
  let itemLines = 0;
  TX.forEach(([customer, day, amount], i) => {
    const email = `${customer}@example.com`;
    lines.push(`#${1001 + i},${email},${day} 10:15:00 -0500,${amount.toFixed(2)},1,Item A`);
    kept.push([email, day, amount]);
    for (let k = 0; k < i % 3; k++, itemLines++) lines.push(`#${1001 + i},${email},,,${k + 2},Item ${String.fromCharCode(66 + k)}`);
  });
  return { text: lines.join('\n') + '\n', kept, itemLines };
}

/** Each row's currency in a mixed-currency file: every third row EUR, every fifth (of the rest) GBP, else USD. */
function currencyOf(i: number): 'USD' | 'EUR' | 'GBP' {
  return i % 3 === 1 ? 'EUR' : i % 5 === 2 ? 'GBP' : 'USD';
}

/** The long CSV's amounts written with the row's currency mark ("$12.50", "12,50 €" as "€12.50" reads, "£12.50"); `only` writes every row in that one. */
function markedCurrencies(only?: 'USD' | 'EUR' | 'GBP'): { text: string; byCurrency: Record<string, Tx[]> } {
  const { rows } = longCsv();
  const byCurrency: Record<string, Tx[]> = { USD: [], EUR: [], GBP: [] };
  const lines = rows.map(([c, day, a], i) => {
    const currency = only ?? currencyOf(i);
    byCurrency[currency].push([c, day, a]);
    const written = currency === 'USD' ? `$${a.toFixed(2)}` : currency === 'EUR' ? `${a.toFixed(2)} €` : `£${a.toFixed(2)}`;
    return `${c},${day},${written}`;
  });
  return { text: ['customer_id,date,amount', ...lines].join('\n') + '\n', byCurrency };
}

/** A PayPal-style activity export: "Gross" beside a "Currency" code; USD but for every `every`-th row, in JPY (amounts ×150, no decimals). */
function currencyColumn(every: number): { text: string; usd: Tx[]; jpy: Tx[] } {
  const { rows } = longCsv();
  const usd: Tx[] = [];
  const jpy: Tx[] = [];
  const lines = rows.map(([c, day, a], i) => {
    const isJpy = i % every === 0;
    const amount = isJpy ? Math.round(a * 150) : a;
    (isJpy ? jpy : usd).push([`${c}@example.com`, day, amount]);
    const [y, m, d] = day.split('-');
    return `"${m}/${d}/${y}","${c}@example.com","Website Payment","Completed","${isJpy ? 'JPY' : 'USD'}","${isJpy ? amount.toLocaleString('en-US') : amount.toFixed(2)}"`;
  });
  return { text: ['"Date","From Email Address","Type","Status","Currency","Gross"', ...lines].join('\n') + '\n', usd, jpy };
}

/**
 * A payment processor's transactions with a kind per row, as Shopify's transactions export writes
 * them: every amount positive, the kind saying sale, refund, authorization (then its capture) or void.
 */
function kindTransactions(): { text: string; kept: Tx[]; notPurchases: number } {
  const lines = ['Customer Email,Created At,Kind,Status,Amount'];
  const kept: Tx[] = [];
  let notPurchases = 0;
  TX.forEach(([customer, day, amount], i) => {
    const email = `${customer}@example.com`;
    if (i % 3 === 0) {
      // Authorized, then captured: one purchase.
      lines.push(`${email},${day} 09:00:00 +0100,authorization,success,${amount.toFixed(2)}`, `${email},${day} 09:05:00 +0100,capture,success,${amount.toFixed(2)}`);
      notPurchases++;
    } else lines.push(`${email},${day} 10:00:00 +0100,sale,success,${amount.toFixed(2)}`);
    kept.push([email, day, amount]);
    if (i % 4 === 1) {
      // A refund of part of it a day later, written positive.
      const next = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
      lines.push(`${email},${next} 12:00:00 +0100,refund,success,${(amount / 2).toFixed(2)}`);
      kept.push([email, next, -Number((amount / 2).toFixed(2))]);
    }
    if (i % 5 === 2) {
      lines.push(`${email},${day} 11:00:00 +0100,void,success,${amount.toFixed(2)}`);
      notPurchases++;
    }
  });
  return { text: lines.join('\n') + '\n', kept, notPurchases };
}

/**
 * A customer ledger as accounting packages export it: invoices positive, credit memos and the
 * customers' payments negative. A payment settles an invoice already counted: it is not a return.
 */
function customerLedger(): { text: string; kept: Tx[]; payments: number } {
  const lines = ['Customer,Date,Transaction Type,Num,Amount'];
  const kept: Tx[] = [];
  let payments = 0;
  TX.forEach(([customer, day, amount], i) => {
    lines.push(`${customer},${day},Invoice,${1000 + i},${amount.toFixed(2)}`);
    kept.push([customer, day, amount]);
    if (i % 3 === 0) {
      lines.push(`${customer},${day},Credit Memo,${5000 + i},-5.00`);
      kept.push([customer, day, -5]);
    }
    lines.push(`${customer},${day},Payment,${9000 + i},${(-(amount - (i % 3 === 0 ? 5 : 0))).toFixed(2)}`);
    payments++;
  });
  return { text: lines.join('\n') + '\n', kept, payments };
}

/**
 * A point-of-sale sales history as Lightspeed Retail (X-Series) exports it: each receipt is a "Sale"
 * row with the receipt's total, then one "Sale Line" per item (each with its own total) and the
 * "Payment" that settled it, all with the customer. Only the sale is a purchase.
 */
function posSalesHistory(): { text: string; kept: Tx[]; parts: number } {
  const lines = ['Date,Receipt Number,Line Type,Customer Code,Quantity,Total,Paid'];
  const kept: Tx[] = [];
  let parts = 0;
  TX.forEach(([customer, day, amount], i) => {
    const first = Math.round(amount * 40) / 100;
    lines.push(`${day} 10:00:00,${2000 + i},Sale,${customer},2,${amount.toFixed(2)},${amount.toFixed(2)}`);
    lines.push(`${day} 10:00:00,${2000 + i},Sale Line,${customer},1,${first.toFixed(2)},`);
    lines.push(`${day} 10:00:00,${2000 + i},Sale Line,${customer},1,${(amount - first).toFixed(2)},`);
    lines.push(`${day} 10:00:00,${2000 + i},Payment,${customer},,${amount.toFixed(2)},${amount.toFixed(2)}`);
    kept.push([customer, day, amount]);
    parts += 3;
  });
  return { text: lines.join('\n') + '\n', kept, parts };
}

/**
 * A customer ledger as Business Central exports it: invoices and credit memos, the payments that
 * settle the invoices, and refunds that pay out a credit memo's balance (written positive) — the
 * credit memo was the return, so the refund is not one again. In German (`german`): Rechnung,
 * Gutschrift, Zahlung, Erstattung; semicolons and decimal commas.
 */
function ledgerWithRefunds(german: boolean): { text: string; kept: Tx[]; settlements: number } {
  const [invoice, memo, payment, refund] = german ? ['Rechnung', 'Gutschrift', 'Zahlung', 'Refund'] : ['Invoice', 'Credit Memo', 'Payment', 'Refund'];
  const sep = german ? ';' : ',';
  const money = (v: number) => (german ? v.toFixed(2).replace('.', ',') : v.toFixed(2));
  const lines = [[german ? 'Buchungsdatum' : 'Posting Date', german ? 'Belegart' : 'Document Type', german ? 'Debitorennr.' : 'Customer No.', german ? 'Betrag' : 'Amount'].join(sep)];
  const kept: Tx[] = [];
  let settlements = 0;
  TX.forEach(([customer, day, amount], i) => {
    lines.push([day, invoice, customer, money(amount)].join(sep));
    kept.push([customer, day, amount]);
    lines.push([day, payment, customer, money(-amount)].join(sep));
    settlements++;
    if (i % 4 === 0) {
      lines.push([day, memo, customer, money(-3)].join(sep));
      kept.push([customer, day, -3]);
      lines.push([day, refund, customer, money(3)].join(sep));
      settlements++;
    }
  });
  return { text: lines.join('\n') + '\n', kept, settlements };
}

const ukDay = (day: string) => `${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}`;

/**
 * Sage 50 Accounts' audit trail (File > Reports > Audit Trail, saved as CSV): two-letter types (SI
 * sales invoice, SR its receipt, SC a sales credit, PI a supplier's invoice, BR a bank receipt), Net
 * and Tax apart, and "Amount Paid", the part of the invoice paid so far (0 while unpaid). The sales
 * are the SI net less the SC net.
 */
function sageAuditTrail(): { text: string; kept: Tx[]; notPurchases: number } {
  const lines = ['No,Type,Account,Nominal,Dept,Details,Date,Ref,Net,Tax,T/C,Paid,Amount Paid'];
  const kept: Tx[] = [];
  let notPurchases = 0;
  let no = 0;
  const row = (type: string, account: string, nominal: number, day: string, ref: string, net: number, paid: number) =>
    lines.push([++no, type, account, nominal, 0, `${account} ${type}`, ukDay(day), ref, net.toFixed(2), (net * 0.2).toFixed(2), 'T1', paid > 0 ? 'Y' : 'N', paid.toFixed(2)].join(','));
  TX.forEach(([customer, day, amount], i) => {
    const paid = i % 3 === 0 ? 0 : +(amount * 1.2).toFixed(2);
    row('SI', customer, 4000, day, `INV${i}`, amount, paid);
    kept.push([customer, day, amount]);
    if (paid > 0) {
      row('SR', customer, 1200, day, `INV${i}`, amount, paid);
      notPurchases++;
    }
    if (i % 4 === 0) {
      row('SC', customer, 4000, day, `CRN${i}`, 3, 0);
      kept.push([customer, day, -3]);
      row('PI', 'SUPP01', 5000, day, `PINV${i}`, 40, 0);
      row('BR', 'BANK', 1200, day, `DEP${i}`, 55, 55);
      notPurchases += 2;
    }
  });
  return { text: lines.join('\n') + '\n', kept, notPurchases };
}

/**
 * A customer ledger with debit and credit columns, as Business Central's Customer Ledger Entries
 * export them (Debit Amount, Credit Amount: each row fills one, a zero invoice neither): invoices
 * debit, credit memos credit; with `payments`, each invoice's payment credits it and a refund
 * debits what a credit memo gave back. `kind`: with the Document Type column.
 */
function debitCreditLedger(kind: boolean, payments: boolean): { text: string; kept: Tx[]; settlements: number } {
  const lines = [['Posting Date', ...(kind ? ['Document Type'] : []), 'Document No.', 'Customer No.', 'Debit Amount', 'Credit Amount'].join(',')];
  const kept: Tx[] = [];
  let settlements = 0;
  const row = (day: string, type: string, no: string, customer: string, debit: number | null, credit: number | null) =>
    lines.push([day, ...(kind ? [type] : []), no, customer, debit === null ? '' : debit.toFixed(2), credit === null ? '' : credit.toFixed(2)].join(','));
  TX.forEach(([customer, day, amount], i) => {
    row(day, 'Invoice', `INV${i}`, customer, amount, null);
    kept.push([customer, day, amount]);
    if (payments) {
      row(day, 'Payment', `PAY${i}`, customer, null, amount);
      settlements++;
    }
    if (i % 4 === 0) {
      row(day, 'Credit Memo', `CM${i}`, customer, null, 3);
      kept.push([customer, day, -3]);
      if (payments) {
        row(day, 'Refund', `REF${i}`, customer, 3, null);
        settlements++;
      }
    }
  });
  // A zero invoice (a free replacement): both sides blank, a purchase of nothing.
  row('2024-06-10', 'Invoice', 'INV-ZERO', 'c004', null, null);
  kept.push(['c004', '2024-06-10', 0]);
  return { text: lines.join('\n') + '\n', kept, settlements };
}

/** A ledger with an unsigned amount and a D/C flag beside it (D an invoice, C a credit note). */
function flaggedLedger(payments: boolean): { text: string; kept: Tx[] } {
  const lines = ['Date,Customer Account,Reference,Description,Amount,D/C'];
  const kept: Tx[] = [];
  TX.forEach(([customer, day, amount], i) => {
    lines.push(`${ukDay(day)},${customer},INV${i},Invoice ${i},${amount.toFixed(2)},D`);
    kept.push([customer, day, amount]);
    if (payments) lines.push(`${ukDay(day)},${customer},PAY${i},Payment ${i},${amount.toFixed(2)},C`);
    if (i % 4 === 0) {
      lines.push(`${ukDay(day)},${customer},CN${i},Credit note ${i},3.00,C`);
      kept.push([customer, day, -3]);
    }
  });
  return { text: lines.join('\n') + '\n', kept };
}

/**
 * Wave's account transactions export (Accounting → Transactions → Export): one row per account a
 * transaction touches, the amount signed in "Amount (One column)" and again in "Debit Amount (Two
 * Column Approach)" / "Credit Amount (Two Column Approach)". Each invoice debits Accounts Receivable
 * its gross and credits Sales (net) and the sales tax; its payment, days later, debits Cash and
 * credits Accounts Receivable. `accounts` keeps one account's rows (a report filtered to it) or all.
 * `kept`: the invoices, gross (the receivable side) or net (the sales side).
 */
export function waveTransactions(accounts: 'receivable' | 'sales' | 'all', oneColumn = true): { text: string; invoicesGross: Tx[]; invoicesNet: Tx[] } {
  const header = ['Transaction ID', 'Transaction Date', 'Account Name', 'Transaction Description', ...(oneColumn ? ['Amount (One column)'] : []), 'Debit Amount (Two Column Approach)', 'Credit Amount (Two Column Approach)', 'Customer', 'Invoice Number', 'Account Group'];
  const lines = [header.join(',')];
  const invoicesGross: Tx[] = [];
  const invoicesNet: Tx[] = [];
  let id = 5000;
  const row = (day: string, account: string, description: string, signed: number, customer: string, invoice: string, group: string) => {
    if (accounts === 'receivable' && account !== 'Accounts Receivable') return;
    if (accounts === 'sales' && account !== 'Sales') return;
    const money = (v: number) => (v > 0 ? v.toFixed(2) : '');
    lines.push([String(id), day, account, description, ...(oneColumn ? [signed.toFixed(2)] : []), money(signed), money(-signed), customer, invoice, group].join(','));
  };
  TX.forEach(([customer, day, amount], i) => {
    const net = Math.round((amount / 1.13) * 100) / 100;
    const tax = Math.round((amount - net) * 100) / 100;
    id++;
    row(day, 'Accounts Receivable', `Invoice ${100 + i}`, amount, customer, String(100 + i), 'Assets');
    row(day, 'Sales', `Invoice ${100 + i}`, -net, customer, String(100 + i), 'Income');
    row(day, 'HST', `Invoice ${100 + i}`, -tax, customer, String(100 + i), 'Liabilities');
    invoicesGross.push([customer, day, amount]);
    invoicesNet.push([customer, day, net]);
    // Three of four invoices paid, a week later.
    if (i % 4 !== 3) {
      const paid = new Date(Date.parse(day) + 7 * 86_400_000).toISOString().slice(0, 10);
      id++;
      row(paid, 'Cash on Hand', `Invoice Payment ${100 + i}`, amount, customer, String(100 + i), 'Assets');
      row(paid, 'Accounts Receivable', `Invoice Payment ${100 + i}`, -amount, customer, String(100 + i), 'Assets');
    }
  });
  return { text: lines.join('\n') + '\n', invoicesGross, invoicesNet };
}

/**
 * Adyen's Settlement details report, written from the merchant's side: a settled payment under
 * "Gross Credit (GC)", a refund under "Gross Debit (GC)", the record's Type beside them, an
 * "Exchange Rate" of 1 on every row.
 */
function settlementDetails(): { text: string; kept: Tx[] } {
  const lines = ['Merchant Account,Psp Reference,Creation Date,Type,Gross Currency,Gross Debit (GC),Gross Credit (GC),Exchange Rate,Net Debit (NC),Net Credit (NC),Commission (NC),Shopper Reference'];
  const kept: Tx[] = [];
  TX.forEach(([customer, day, amount], i) => {
    const commission = Math.round(amount * 2) / 100;
    lines.push(`ShopEU,${8800 + i},${day} 10:15:00,Settled,EUR,,${amount.toFixed(2)},1,,${(amount - commission).toFixed(2)},${commission.toFixed(2)},${customer}`);
    kept.push([customer, day, amount]);
    if (i % 5 === 1) {
      const back = Math.round(amount * 50) / 100;
      lines.push(`ShopEU,${9900 + i},${day} 18:40:00,Refunded,EUR,${back.toFixed(2)},,1,${back.toFixed(2)},,,${customer}`);
      kept.push([customer, day, -back]);
    }
  });
  return { text: lines.join('\n') + '\n', kept };
}

/**
 * Shopify's "Customers" report (Analytics → Reports): one row per customer with their order count,
 * lifetime sales and, with `dates`, their first and last order dates.
 */
function shopifyCustomersReport(dates: boolean): string {
  const lines = [['Customer ID', 'Customer name', ...(dates ? ['Customer first order date', 'Customer last order date'] : []), 'Orders', 'Gross sales', 'Discounts', 'Returns', 'Net sales', 'Total sales'].join(',')];
  for (const c of ['c001', 'c002', 'c003', 'c004']) {
    const own = TX.filter((t) => t[0] === c);
    const total = own.reduce((sum, t) => sum + t[2], 0).toFixed(2);
    lines.push([c, `Name ${c}`, ...(dates ? [own[0][1], own[own.length - 1][1]] : []), String(own.length), total, '-0.00', '-0.00', total, total].join(','));
  }
  for (let i = 5; i <= 8; i++) lines.push([`c00${i}`, `Name ${i}`, ...(dates ? ['2024-03-01', '2024-03-01'] : []), '1', '10.00', '-0.00', '-0.00', '10.00', '10.00'].join(','));
  return lines.join('\n') + '\n';
}

/** First orders only: every customer once, with an "Orders" column of 1s (each row one order). */
function firstOrders(): { text: string; kept: Tx[] } {
  const kept: Tx[] = TX.map(([, day, amount], i) => [`n${i}`, day, amount]);
  return { text: csvText(kept, { header: 'customer_id,date,amount,Orders', extra: () => '1' }), kept };
}

/**
 * MYOB's sales register (Reports → Sales → Register, exported as tab-separated text): invoices open
 * (awaiting payment) or closed (paid), credits, and sales orders and quotes written as documents of
 * their own, amounts with a dollar sign.
 */
function myobRegister(): { text: string; kept: Tx[] } {
  const lines = ['Date\tInvoice #\tCo./Last Name\tType\tStatus\tAmount\tTax\tInc-Tax Amount\tAmount Applied\tBalance Due'];
  const kept: Tx[] = [];
  const dmy = (day: string) => `${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}`;
  const money = (v: number) => `${v < 0 ? '-' : ''}$${Math.abs(v).toFixed(2)}`;
  TX.forEach(([customer, day, amount], i) => {
    const open = i % 3 === 0;
    const tax = Math.round(amount * 9.0909) / 100;
    lines.push([dmy(day), String(257 + i).padStart(8, '0'), `Co ${customer}`, 'Invoice', open ? 'Open' : 'Closed', money(amount - tax), money(tax), money(amount), money(open ? 0 : amount), money(open ? amount : 0)].join('\t'));
    kept.push([`Co ${customer}`, day, amount]);
    if (i % 4 === 1) lines.push([dmy(day), String(900 + i).padStart(8, '0'), `Co ${customer}`, 'Order', 'Open', money(50), money(5), money(55), money(0), money(55)].join('\t'));
    if (i % 5 === 2) lines.push([dmy(day), String(700 + i).padStart(8, '0'), `Co ${customer}`, 'Quote', 'Open', money(80), money(8), money(88), money(0), money(88)].join('\t'));
    if (i % 6 === 4) {
      lines.push([dmy(day), String(500 + i).padStart(8, '0'), `Co ${customer}`, 'Credit', 'Closed', money(-2), money(-0.2), money(-2.2), money(-2.2), money(0)].join('\t'));
      kept.push([`Co ${customer}`, day, -2.2]);
    }
  });
  return { text: lines.join('\r\n') + '\r\n', kept };
}

/**
 * SAP Business One's A/R documents as a Query Manager export of OINV and ORIN together (the
 * documents' header fields as SAP's data dictionary names them): ObjType 13 an A/R invoice, 14 an A/R
 * credit memo (its DocTotal positive, as SAP stores every document's), 17 a sales order and 15 a
 * delivery; CANCELED Y on a cancelled invoice and C on the cancellation document SAP adds for it (an
 * invoice of the same total); dates as SQL Server writes a datetime.
 */
function sapB1Documents(): { text: string; kept: Tx[]; cancelled: number; notPurchases: number } {
  const lines = ['DocEntry,DocNum,ObjType,DocDate,CardCode,CardName,DocCur,DocTotal,VatSum,DocStatus,CANCELED'];
  const kept: Tx[] = [];
  let entry = 0;
  let cancelled = 0;
  let notPurchases = 0;
  const row = (type: number, day: string, customer: string, total: number, status: string, flag: string) => {
    entry++;
    lines.push([entry, 1000 + entry, type, `${day} 00:00:00.000`, `C${customer}`, `Firm ${customer}`, 'EUR', total.toFixed(6), (total * 0.16).toFixed(6), status, flag].join(','));
  };
  TX.forEach(([customer, day, amount], i) => {
    row(13, day, customer, amount, i % 2 ? 'C' : 'O', 'N');
    kept.push([`C${customer}`, day, amount]);
    if (i % 4 === 1) {
      // Cancelled, and the cancellation document SAP adds for it: neither is a sale.
      row(13, day, customer, 300, 'C', 'Y');
      row(13, day, customer, 300, 'C', 'C');
      cancelled += 2;
    }
    if (i % 5 === 2) {
      row(14, day, customer, 2.5, 'C', 'N');
      kept.push([`C${customer}`, day, -2.5]);
    }
    if (i % 3 === 0) {
      row(17, day, customer, 77, 'O', 'N');
      row(15, day, customer, 77, 'C', 'N');
      notPurchases += 2;
    }
  });
  return { text: lines.join('\r\n') + '\r\n', kept, cancelled, notPurchases };
}

/**
 * sevDesk's invoices (Rechnungen) exported as CSV: semicolons, every cell quoted, dates as 03.01.2022,
 * decimal commas; Status Bezahlt (paid), Offen (issued, open), Entwurf (a draft) or Storniert (a
 * cancelled invoice), and for each cancelled one the Stornorechnung that reverses it (its amounts
 * negative, paid). Each cancellation must come off once: the cancelled invoice is left out by its
 * status, so its Stornorechnung is not taken off again.
 */
function sevDeskInvoices(): { text: string; kept: Tx[]; notCompleted: number; cancellations: number } {
  const q = (cells: string[]) => cells.map((c) => `"${c}"`).join(';');
  const euro = (v: number) => v.toLocaleString('de-DE', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const dmy = (day: string) => `${day.slice(8, 10)}.${day.slice(5, 7)}.${day.slice(0, 4)}`;
  const lines = [q(['Rechnungsnummer', 'Rechnungsdatum', 'Kundennummer', 'Kunde', 'Rechnungsart', 'Status', 'Netto', 'Steuer', 'Brutto', 'Währung'])];
  const kept: Tx[] = [];
  let number = 0;
  let notCompleted = 0;
  let cancellations = 0;
  const row = (day: string, customer: string, kind: string, status: string, gross: number) => {
    number++;
    const net = Math.round((gross / 1.19) * 100) / 100;
    lines.push(q([status === 'Entwurf' ? '' : `RE-${String(number).padStart(4, '0')}`, dmy(day), customer, `Kunde ${customer}`, kind, status, euro(net), euro(gross - net), euro(gross), 'EUR']));
  };
  TX.forEach(([customer, day, amount], i) => {
    row(day, customer, i % 4 === 3 ? 'Abo-Rechnung' : 'Rechnung', i % 3 === 0 ? 'Offen' : 'Bezahlt', amount);
    kept.push([customer, day, amount]);
    if (i % 4 === 0) {
      row(day, customer, 'Rechnung', 'Storniert', 1500);
      row(`2024-06-${String(10 + i).padStart(2, '0')}`, customer, 'Stornorechnung', 'Bezahlt', -1500);
      notCompleted++;
      cancellations++;
    }
    if (i % 5 === 1) {
      row(day, customer, 'Rechnung', 'Entwurf', 640);
      notCompleted++;
    }
  });
  return { text: lines.join('\r\n') + '\r\n', kept, notCompleted, cancellations };
}

/** WooCommerce's orders and refunds as one list (Type: order or refund, the refund written positive): every order is the sale. */
function ordersAndRefunds(): { text: string; kept: Tx[] } {
  const lines = ['Order ID,Type,Customer Email,Date,Status,Total'];
  const kept: Tx[] = [];
  TX.forEach(([customer, day, amount], i) => {
    lines.push(`${4000 + i},order,${customer}@example.com,${day},completed,${amount.toFixed(2)}`);
    kept.push([`${customer}@example.com`, day, amount]);
    if (i % 4 === 2) {
      lines.push(`${5000 + i},refund,${customer}@example.com,${day},completed,1.00`);
      kept.push([`${customer}@example.com`, day, -1]);
    }
  });
  return { text: lines.join('\n') + '\n', kept };
}

/**
 * Xero's Receivable Invoice Detail report, exported to CSV: three title lines and a blank one above
 * the header, each contact's name alone on a heading line, its invoices (paid or awaiting payment,
 * a voided one and a credit note among them) with dates as "23 Jan 2022", and a "Total <contact>" line.
 */
function xeroReceivableDetail(): { text: string; kept: Tx[]; voided: number } {
  const q = (cells: (string | number)[]) => cells.map((c) => `"${c}"`).join(',');
  const long = (day: string) => new Date(`${day}T00:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
  const lines = ['"Receivable Invoice Detail"', '"Harbour Design Pty Ltd"', '"For the period 1 January 2024 to 30 June 2024"', '', q(['Contact', 'Invoice Date', 'Invoice Number', 'Reference', 'Source', 'Status', 'Due Date', 'Invoice Total', 'Paid', 'Credited', 'Due'])];
  const kept: Tx[] = [];
  let voided = 0;
  for (const customer of ['c001', 'c002', 'c003', 'c004']) {
    const name = `Client ${customer}`;
    lines.push(q([name, '', '', '', '', '', '', '', '', '', '']));
    let total = 0;
    TX.filter((t) => t[0] === customer).forEach(([, day, amount], i) => {
      const paid = i % 2 === 0;
      lines.push(q([name, long(day), `INV-${day.replaceAll('-', '')}`, `Job ${i}`, 'Receivable Invoice', paid ? 'Paid' : 'Awaiting Payment', long(day), amount.toFixed(2), paid ? amount.toFixed(2) : '0.00', '0.00', paid ? '0.00' : amount.toFixed(2)]));
      kept.push([name, day, amount]);
      total += amount;
    });
    lines.push(q([name, long('2024-03-03'), 'INV-VOID', '', 'Receivable Invoice', 'Voided', long('2024-04-02'), '50.00', '0.00', '0.00', '0.00']));
    voided++;
    if (customer === 'c002') {
      lines.push(q([name, long('2024-05-21'), 'CN-0001', 'Credit', 'Receivable Credit Note', 'Paid', '', '-2.00', '-2.00', '0.00', '0.00']));
      kept.push([name, '2024-05-21', -2]);
      total -= 2;
    }
    lines.push(q([`Total ${name}`, '', '', '', '', '', '', total.toFixed(2), '', '', '']));
  }
  return { text: lines.join('\r\n') + '\r\n', kept, voided };
}

/**
 * DATEV's Buchungsstapel (posting batch) as DATEV format files write it: the "EXTF" header line (its
 * fields 14–16: general-ledger account length 4, period 2024-01-01 to 2024-12-31), the column names,
 * then postings with an unsigned Umsatz and an S/H flag — an invoice on the debtor's account (Konto
 * 10001…, Gegenkonto 8400 revenue) S, a credit note H, a payment received on the bank (Konto 1200,
 * Gegenkonto the debtor) S. With `years`, Belegdatum as dd.mm.yyyy (the year added by hand);
 * without, as DATEV writes it, TTMM.
 */
function datevBatch(years: boolean): { text: string; kept: Tx[]; payments: number } {
  const header = '"EXTF";700;21;"Buchungsstapel";13;20240702093012345;;"RE";"";"";29098;55003;20240101;4;20240101;20241231;"Rechnungen 2024";"";1;0;0;"EUR";;"";;;"03";;;"";""';
  const lines = [header, 'Umsatz (ohne Soll/Haben-Kz);Soll/Haben-Kennzeichen;WKZ Umsatz;Konto;Gegenkonto (ohne BU-Schlüssel);BU-Schlüssel;Belegdatum;Belegfeld 1;Buchungstext'];
  const kept: Tx[] = [];
  let payments = 0;
  const debtor = (c: string) => String(10000 + Number(c.slice(1)));
  const date = (day: string) => (years ? `${day.slice(8, 10)}.${day.slice(5, 7)}.${day.slice(0, 4)}` : `${day.slice(8, 10)}${day.slice(5, 7)}`);
  const money = (v: number) => v.toFixed(2).replace('.', ',');
  TX.forEach(([customer, day, amount], i) => {
    lines.push(`${money(amount)};"S";"EUR";${debtor(customer)};8400;"";${date(day)};"RE${i}";"Rechnung ${customer}"`);
    kept.push([debtor(customer), day, amount]);
    if (i % 3 === 0) {
      lines.push(`${money(amount)};"S";"EUR";1200;${debtor(customer)};"";${date(day)};"RE${i}";"Zahlung ${customer}"`);
      payments++;
    }
    if (i % 5 === 1) {
      lines.push(`${money(1.5)};"H";"EUR";${debtor(customer)};8400;"";${date(day)};"GS${i}";"Gutschrift ${customer}"`);
      kept.push([debtor(customer), day, -1.5]);
    }
  });
  return { text: lines.join('\r\n') + '\r\n', kept, payments };
}

/**
 * QuickBooks Online's Sales by Product/Service Detail: invoices, sales receipts (cash sales) and
 * credit memos by Transaction Type, each line's Amount, day-first-free US dates.
 */
function qboSalesByProduct(): { text: string; kept: Tx[] } {
  const lines = ['Date,Transaction Type,Num,Customer,Product/Service,Qty,Sales Price,Amount'];
  const kept: Tx[] = [];
  const us = (day: string) => `${day.slice(5, 7)}/${day.slice(8, 10)}/${day.slice(0, 4)}`;
  TX.forEach(([customer, day, amount], i) => {
    const type = i % 3 === 1 ? 'Sales Receipt' : 'Invoice';
    lines.push(`${us(day)},${type},${1000 + i},${customer},Consulting,1,${amount.toFixed(2)},${amount.toFixed(2)}`);
    kept.push([customer, day, amount]);
    if (i % 5 === 4) {
      lines.push(`${us(day)},Credit Memo,${2000 + i},${customer},Consulting,-1,2.00,-2.00`);
      kept.push([customer, day, -2]);
    }
  });
  return { text: lines.join('\n') + '\n', kept };
}

/** A shop's signed sales list where returns come to about 45% of sales (mail-order fashion): still returns. */
function manyReturns(): { text: string; kept: Tx[] } {
  const kept: Tx[] = [];
  TX.forEach(([customer, day, amount], i) => {
    kept.push([customer, day, amount]);
    if (i % 2 === 0) kept.push([customer, day, -Math.round(amount * 50) / 100]);
  });
  return { text: csvText(kept), kept };
}

/**
 * Gumroad's sales export: what the buyer paid is "Sale Price ($)"; "Net Total ($)" is what the seller
 * kept after "Fees ($)"; a partial refund is an amount, a full one only "Fully Refunded?" = true; a
 * "Pre-order authorization?" row is a card authorized for a product not yet released (charged later,
 * on a row of its own).
 */
function gumroadSales(): { text: string; kept: Tx[]; notCharged: number } {
  const lines = ['Purchase ID,Item Name,Purchase Email,Purchase Date,Subtotal ($),Taxes ($),Sale Price ($),Fees ($),Net Total ($),Refunded?,Partial Refund ($),Fully Refunded?,Pre-order authorization?,Order Number,Quantity'];
  const kept: Tx[] = [];
  let notCharged = 0;
  TX.forEach(([customer, day, amount], i) => {
    const fee = +(amount * 0.1 + 0.5).toFixed(2);
    const full = i % 5 === 1;
    const partial = i % 5 === 3 ? +(amount / 2).toFixed(2) : 0;
    lines.push([`p${i}==`, 'Course', `${customer}@mail.example`, day, amount.toFixed(2), '0.00', amount.toFixed(2), fee.toFixed(2), (amount - fee).toFixed(2), String(full || partial > 0), partial ? partial.toFixed(2) : '', String(full), 'false', 1000 + i, 1].join(','));
    // A refund in full nets the sale to nothing (the row stays, at 0, as a return).
    kept.push([`${customer}@mail.example`, day, full ? 0 : +(amount - partial).toFixed(2)]);
    if (i % 6 === 2) {
      lines.push([`a${i}==`, 'Course', `${customer}@mail.example`, day, '15.00', '0.00', '15.00', '2.00', '13.00', 'false', '', 'false', 'true', 2000 + i, 1].join(','));
      notCharged++;
    }
  });
  return { text: lines.join('\n') + '\n', kept, notCharged };
}

/**
 * Orders in each customer's currency with every amount also converted to USD ("Total" beside
 * "Total (USD)", the row's "Currency" and rate), as exports of stores that sell in several currencies
 * write them; a partial refund on some rows, in USD when `usdRefunds` (else in the row's currency).
 * The sums mean something only in USD: kept in USD.
 */
function convertedOrders(usdRefunds: boolean): { text: string; kept: Tx[] } {
  const rates: Record<string, number> = { USD: 1, EUR: 1.09, GBP: 1.27 };
  const currencyOf = (customer: string) => ['USD', 'EUR', 'GBP'][Number(customer.slice(-1)) % 3];
  const lines = [`Order ID,Customer Email,Status,Currency,Currency Rate,Total,Total (USD),${usdRefunds ? 'Refunded Amount,Refunded Amount (USD)' : 'Refunded Amount'},Created At`];
  const kept: Tx[] = [];
  TX.forEach(([customer, day, amount], i) => {
    const currency = currencyOf(customer);
    const rate = rates[currency];
    const local = +(amount / rate).toFixed(2);
    const usd = +(local * rate).toFixed(2);
    const refundLocal = i % 4 === 3 ? +(local / 2).toFixed(2) : 0;
    const refundUsd = +(refundLocal * rate).toFixed(2);
    const refunds = usdRefunds ? [refundLocal.toFixed(2), refundUsd.toFixed(2)] : [refundLocal.toFixed(2)];
    lines.push([3000 + i, `${customer}@mail.example`, refundLocal ? 'partial_refund' : 'paid', currency, rate.toFixed(4), local.toFixed(2), usd.toFixed(2), ...refunds, `${day} 10:00:00`].join(','));
    // With refunds in USD: exact. In the row's currency: subtracted as written (the report says the doubt).
    kept.push([`${customer}@mail.example`, day, +(usd - (usdRefunds ? refundUsd : refundLocal)).toFixed(2)]);
  });
  return { text: lines.join('\n') + '\n', kept };
}

/**
 * Payment processors' transaction searches. Braintree: Transaction Type sale or credit (a refund),
 * Transaction Status settled, submitted_for_settlement, or refused (processor_declined,
 * gateway_rejected) and voided; "Amount Authorized" beside what was settled. Authorize.net: Transaction
 * Type "Authorization w/ Auto Capture" or "Prior Authorization Capture" (the sale), "Credit" (a refund),
 * Status "Settled Successfully", "Declined", "General Error"; the day it was submitted before the day
 * it settled. Refused rows are left out, credits taken off.
 */
function processorSearch(kind: 'braintree' | 'authorizenet'): { text: string; kept: Tx[]; refused: number } {
  const bt = kind === 'braintree';
  const lines = [bt ? 'Transaction ID,Transaction Type,Transaction Status,Created Datetime,Amount Authorized,Settlement Amount,Customer ID' : 'Transaction ID,Transaction Status,Settlement Amount,Settlement Date/Time,Submit Date/Time,Transaction Type,Customer ID'];
  const kept: Tx[] = [];
  let refused = 0;
  const us = (day: string) => `${day.slice(5, 7)}/${day.slice(8, 10)}/${day.slice(0, 4)}`;
  const next = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  TX.forEach(([customer, day, amount], i) => {
    const sale = bt ? ['sale', i % 2 ? 'settled' : 'submitted_for_settlement'] : [i % 2 ? 'Authorization w/ Auto Capture' : 'Prior Authorization Capture', 'Settled Successfully'];
    if (bt) lines.push(`t${i},${sale[0]},${sale[1]},${us(day)} 10:00:00,${(amount + 5).toFixed(2)},${amount.toFixed(2)},${customer}`);
    else lines.push(`${6000 + i},${sale[1]},${amount.toFixed(2)},${us(next(day))} 03:00:00 AM,${us(day)} 10:00:00 AM,${sale[0]},${customer}`);
    kept.push([customer, day, amount]);
    if (i % 4 === 1) {
      // A card refused the same day, in each processor's words.
      const status = bt ? ['processor_declined', 'gateway_rejected'][i % 2] : ['Declined', 'General Error'][i % 2];
      if (bt) lines.push(`r${i},sale,${status},${us(day)} 09:00:00,${amount.toFixed(2)},0.00,${customer}`);
      else lines.push(`${7000 + i},${status},0.00,,${us(day)} 09:00:00 AM,Authorization w/ Auto Capture,${customer}`);
      refused++;
    }
    if (i % 5 === 2) {
      // Half of it given back the same day.
      const half = +(amount / 2).toFixed(2);
      if (bt) lines.push(`c${i},credit,settled,${us(day)} 15:00:00,${half.toFixed(2)},${half.toFixed(2)},${customer}`);
      else lines.push(`${8000 + i},Refund Settled Successfully,${half.toFixed(2)},${us(next(day))} 03:00:00 AM,${us(day)} 03:00:00 PM,Credit,${customer}`);
      kept.push([customer, day, -half]);
    }
  });
  return { text: lines.join('\n') + '\n', kept, refused };
}

/**
 * PrestaShop's orders list in French: "Nouveau client" (Oui/Non) before the customer, "État" in
 * French (Paiement accepté, Livré; Annulé, Erreur de paiement and the orders awaiting a transfer or
 * a cheque left out; Remboursé netting to nothing), amounts as "36,80 €", dd/mm/yyyy hh:mm:ss.
 */
function prestashopFrench(): { text: string; kept: Tx[]; notCompleted: number } {
  const lines = ['"ID";"Référence";"Nouveau client";"Client";"Total";"État";"Date"'];
  const kept: Tx[] = [];
  let notCompleted = 0;
  const states = ['Paiement accepté', 'Livré', 'Expédié', 'Préparation en cours', 'Paiement à distance accepté'];
  const euro = (v: number) => `${v.toFixed(2).replace('.', ',')} €`;
  const fr = (day: string) => `${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)} 19:21:54`;
  TX.forEach(([customer, day, amount], i) => {
    const refunded = i % 6 === 4;
    lines.push(`"${300 + i}";"REF${i}";"${i < 4 ? 'Oui' : 'Non'}";"${customer}";"${euro(amount)}";"${refunded ? 'Remboursé' : states[i % states.length]}";"${fr(day)}"`);
    kept.push([customer, day, refunded ? 0 : amount]);
    if (i % 3 === 1) {
      const state = ['Annulé', 'Erreur de paiement', 'En attente du paiement par virement bancaire', 'En attente du paiement par chèque'][i % 4];
      lines.push(`"${900 + i}";"OPEN${i}";"Non";"${customer}";"${euro(50)}";"${state}";"${fr(day)}"`);
      notCompleted++;
    }
  });
  return { text: lines.join('\n') + '\n', kept, notCompleted };
}

/**
 * Ticket and shop orders whose fees sit beside what was paid (Eventbrite's "Total Paid", "Eventbrite
 * Fees", "Eventbrite Payment Processing"; its "Attendee Status" Attending, Checked In or Refunded),
 * and a shop whose payment is a column named "Payment" (Paid, Not Paid) beside a "Fulfillment
 * Status" (Wix): the money paid is the amount, and the payment's status decides.
 */
function ticketOrders(): { text: string; kept: Tx[] } {
  const lines = ['Order #,Order Date,Buyer Email,Quantity,Total Paid,Fees Paid,Eventbrite Fees,Eventbrite Payment Processing,Attendee Status'];
  const kept: Tx[] = [];
  TX.forEach(([customer, day, amount], i) => {
    const status = i % 5 === 3 ? 'Refunded' : ['Attending', 'Checked In'][i % 2];
    lines.push(`${4400 + i},${day} 09:50:16-05:00,${customer}@mail.example,1,${amount.toFixed(2)},${(amount * 0.1).toFixed(2)},${(amount * 0.07).toFixed(2)},${(amount * 0.03).toFixed(2)},${status}`);
    kept.push([`${customer}@mail.example`, day, status === 'Refunded' ? 0 : amount]);
  });
  return { text: lines.join('\n') + '\n', kept };
}

function paymentBesideFulfilment(): { text: string; kept: Tx[]; notPaid: number } {
  const lines = ['Order #,Date,Buyer\'s Email,Total,Currency,Payment,Fulfillment Status'];
  const kept: Tx[] = [];
  let notPaid = 0;
  TX.forEach(([customer, day, amount], i) => {
    lines.push(`${10001 + i},${day},${customer}@mail.example,${amount.toFixed(2)},USD,Paid,${i % 2 ? 'Fulfilled' : 'Not Fulfilled'}`);
    kept.push([`${customer}@mail.example`, day, amount]);
    if (i % 4 === 0) {
      lines.push(`${20001 + i},${day},${customer}@mail.example,60.00,USD,Not Paid,Not Fulfilled`);
      notPaid++;
    }
  });
  return { text: lines.join('\n') + '\n', kept, notPaid };
}

/** An order export with a "Test Mode" Yes/No column (Lemon Squeezy): test orders are no sales. */
function testModeOrders(): { text: string; tests: number } {
  const lines = ['Order Number,Customer Email,Status,Currency,Total,Test Mode,Created At'];
  let tests = 0;
  TX.forEach(([customer, day, amount], i) => {
    lines.push(`${1000 + i},${customer},paid,USD,${amount.toFixed(2)},No,${day} 10:00:00`);
    if (i % 4 === 1) {
      lines.push(`${5000 + i},${customer},paid,USD,99.00,Yes,${day} 11:00:00`);
      tests++;
    }
  });
  return { text: lines.join('\n') + '\n', tests };
}

/**
 * Square's item detail: one row per item line, the transaction id as the order; an item rung up
 * twice is two identical rows beside the order's other lines. The automatic policy removes the
 * repeats (the common reading) and says they may be real.
 */
function itemLinesRungTwice(): { text: string; kept: Tx[] } {
  const lines = ['Date,Item,Qty,Net Sales,Transaction ID,Customer ID'];
  const kept: Tx[] = [];
  TX.forEach(([customer, day, amount], i) => {
    lines.push(`${day},Muffin,1,${amount.toFixed(2)},t${i},${customer}`);
    kept.push([customer, day, amount]);
    if (i % 3 === 0) {
      lines.push(`${day},Espresso,1,3.00,t${i},${customer}`, `${day},Espresso,1,3.00,t${i},${customer}`);
      kept.push([customer, day, 3]);
    }
  });
  return { text: lines.join('\n') + '\n', kept };
}

/** A report with a subtotal line per month, dated with the month's last day, labelled where the customer goes. */
function monthlySubtotals(): { text: string; subtotals: number } {
  const lines = ['Customer,Invoice Date,Amount'];
  const byMonth = new Map<string, Tx[]>();
  for (const t of TX) byMonth.set(t[1].slice(0, 7), [...(byMonth.get(t[1].slice(0, 7)) ?? []), t]);
  for (const [month, rows] of [...byMonth].sort()) {
    for (const [customer, day, amount] of rows) lines.push(`${customer},${day},${amount.toFixed(2)}`);
    lines.push(`Subtotal ${month},${month}-28,${rows.reduce((a, r) => a + r[2], 0).toFixed(2)}`);
  }
  lines.push(`Grand Total,${TX[TX.length - 1][1]},${TX.reduce((a, r) => a + r[2], 0).toFixed(2)}`);
  return { text: lines.join('\n') + '\n', subtotals: byMonth.size + 1 };
}

/**
 * QuickBooks' "Sales by Customer Detail" report saved as CSV: title lines, then each customer's name
 * on a heading row of its own, its transactions below with the first column blank, and a "Total for"
 * row after them.
 */
function reportGroupedByCustomer(): string {
  const lines = ['"Sales by Customer Detail"', '"Acme Landscaping"', '"January 1, 2024 - June 30, 2024"', '', '"","Date","Transaction Type","Num","Amount"'];
  const byCustomer = new Map<string, Tx[]>();
  for (const t of TX) byCustomer.set(t[0], [...(byCustomer.get(t[0]) ?? []), t]);
  for (const [customer, rows] of byCustomer) {
    lines.push(`"${customer}","","","",""`);
    rows.forEach(([, day, amount], i) => lines.push(`"","${day.slice(5, 7)}/${day.slice(8)}/${day.slice(0, 4)}","Invoice","${1000 + i}","${amount.toFixed(2)}"`));
    lines.push(`"Total for ${customer}","","","","${rows.reduce((a, r) => a + r[2], 0).toFixed(2)}"`);
  }
  return lines.join('\n') + '\n';
}

/**
 * PayPal's activity download: a payment is the purchase, a refund is written negative; no invoices,
 * so payments count. The merchant's own movements (withdrawals to the bank, currency conversions,
 * holds for a dispute and their release) are written under the merchant's name and are not purchases.
 */
function paypalKinds(): { text: string; kept: Tx[]; merchantRows: number } {
  const lines = ['"Date","Name","Type","Status","Currency","Gross"'];
  const kept: Tx[] = [];
  let merchantRows = 0;
  TX.forEach(([customer, day, amount], i) => {
    const [y, m, d] = day.split('-');
    lines.push(`"${m}/${d}/${y}","${customer}","Website Payment","Completed","USD","${amount.toFixed(2)}"`);
    kept.push([customer, day, amount]);
    if (i % 4 === 3) {
      lines.push(`"${m}/${d}/${y}","${customer}","Payment Refund","Completed","USD","-2.00"`);
      kept.push([customer, day, -2]);
    }
    if (i % 3 === 2) {
      const kind = ['General Withdrawal', 'General Currency Conversion', 'Hold on Balance for Dispute Investigation', 'Reversal of General Account Hold'][i % 4];
      const gross = kind === 'General Withdrawal' ? '-500.00' : kind === 'Hold on Balance for Dispute Investigation' ? '-20.00' : '20.00';
      lines.push(`"${m}/${d}/${y}","Merchant Shop","${kind}","Completed","USD","${gross}"`);
      merchantRows++;
    }
  });
  return { text: lines.join('\n') + '\n', kept, merchantRows };
}

/**
 * PayPal's activity download for a German account ("Aktivitäten-Download"): dd.mm.yyyy, decimal
 * commas, German column names and types. Payments received ("Website-Zahlung", "Allgemeine Zahlung")
 * are from the buyer to the shop; a refund ("Rückzahlung") is from the shop to the buyer, Brutto
 * negative; a withdrawal to the bank ("Allgemeine Abbuchung") from the shop to no one; a declined
 * payment ("Abgelehnt") is no purchase.
 */
function paypalGerman(): { text: string; kept: Tx[]; notPurchases: number; declined: number } {
  const shop = 'info@kaffee-beispiel.de';
  const q = (cells: string[]) => cells.map((c) => `"${c}"`).join(',');
  const euro = (v: number) => v.toLocaleString('de-DE', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const dmy = (day: string) => `${day.slice(8, 10)}.${day.slice(5, 7)}.${day.slice(0, 4)}`;
  const lines = [q(['Datum', 'Uhrzeit', 'Zeitzone', 'Name', 'Typ', 'Status', 'Währung', 'Brutto', 'Gebühr', 'Netto', 'Absender E-Mail-Adresse', 'Empfänger E-Mail-Adresse', 'Transaktionscode', 'Guthaben', 'Auswirkung auf Guthaben'])];
  const kept: Tx[] = [];
  let notPurchases = 0;
  let declined = 0;
  const row = (day: string, name: string, type: string, status: string, gross: number, from: string, to: string, impact: string) =>
    lines.push(q([dmy(day), '12:00:00', 'Europe/Berlin', name, type, status, 'EUR', euro(gross), euro(0), euro(gross), from, to, `T${lines.length}`, euro(0), impact]));
  TX.forEach(([customer, day, amount], i) => {
    const email = `${customer}@beispiel.de`;
    row(day, `Kunde ${customer}`, i % 2 ? 'Website-Zahlung' : 'Allgemeine Zahlung', 'Abgeschlossen', amount, email, shop, 'Haben');
    kept.push([email, day, amount]);
    if (i % 3 === 1) {
      row(day, `Kunde ${customer}`, 'Rückzahlung', 'Abgeschlossen', -1, shop, email, 'Soll');
      kept.push([email, day, -1]);
    }
    if (i % 4 === 2) {
      row(day, 'Bankkonto', 'Allgemeine Abbuchung', 'Abgeschlossen', -900, shop, '', 'Soll');
      notPurchases++;
    }
    if (i % 5 === 3) {
      row(day, `Kunde ${customer}`, 'Website-Zahlung', 'Abgelehnt', 55, email, shop, 'Memo');
      declined++;
    }
  });
  return { text: '\ufeff' + lines.join('\n') + '\n', kept, notPurchases, declined };
}

/** A marketplace's payments log with From and To addresses but no one account on either side (buyers pay many sellers): read as written. */
function marketplaceFromTo(): { text: string; kept: Tx[] } {
  const lines = ['Date,From Email Address,To Email Address,Gross'];
  const kept: Tx[] = [];
  TX.forEach(([customer, day, amount], i) => {
    lines.push(`${day},${customer}@buyers.example,seller${i % 7}@sellers.example,${amount.toFixed(2)}`);
    kept.push([`${customer}@buyers.example`, day, amount]);
  });
  return { text: lines.join('\n') + '\n', kept };
}

/** The spreadsheet day number of an ISO day (Excel's 1900 date system: days since 1899-12-30), by JavaScript's own calendar. */
export function spreadsheetDay(day: string): number {
  return (Date.parse(`${day}T00:00:00Z`) - Date.UTC(1899, 11, 30)) / 86_400_000;
}

/**
 * A sheet saved as displayed (Excel, Google Sheets, an accounting package): the dates' cells lost
 * their date format and are day numbers, with the time of day as a fraction when `times`; the
 * amounts are in the Accounting format, padded, a return in parentheses after the mark
 * ("$ (15.00)"), a free order as a dash ("$ -"), thousands with commas.
 */
function spreadsheetAsDisplayed(times: boolean): { text: string; kept: Tx[] } {
  const rows: Tx[] = TX.map(([c, d, a], i) => [c, d, i === 4 ? -a : a]);
  rows.push(['c003', '2024-04-02', 0]);
  const money = (a: number) => {
    if (a === 0) return '" $ -   "';
    const written = Math.abs(a).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    return a < 0 ? `" $ (${written})"` : `" $ ${written} "`;
  };
  const lines = ['Customer,Order Date,Amount'];
  rows.forEach(([c, d, a], i) => lines.push(`${c},${spreadsheetDay(d) + (times && i % 2 === 0 ? (i + 1) / 26 : 0)},${money(a)}`));
  return { text: lines.join('\n') + '\n', kept: rows };
}

/** The base transactions with US dates and a 12-hour clock, as US sheets and reports write them ("1/5/2024 3:45:00 PM", "1/20/2024, 9:05 AM"). */
function twelveHourClock(): string {
  const lines = ['Customer,Date,Sales'];
  TX.forEach(([c, d, a], i) => {
    const [y, m, day] = d.split('-').map(Number);
    const hour = (i * 5) % 24;
    const clock = `${hour % 12 || 12}:${String((i * 7) % 60).padStart(2, '0')}${i % 3 === 0 ? `:${String(i).padStart(2, '0')}` : ''} ${hour < 12 ? 'AM' : 'PM'}`;
    lines.push(`${c},"${m}/${day}/${y}${i % 2 ? ',' : ''} ${clock}",${a.toFixed(2)}`);
  });
  return lines.join('\n') + '\n';
}

/**
 * Orders keyed by the shopper's e-mail as typed on each order: the base transactions with every
 * address written as on the order ("C001@Example.com", "c001@example.com", "C001@EXAMPLE.COM"), and
 * one address that never changes case ("Guest.Buyer@Shop.example") beside one id that is no address.
 */
function emailCases(): { text: string; kept: Tx[]; merged: number } {
  const writings = [(e: string) => e, (e: string) => e.toLowerCase(), (e: string) => e.toUpperCase()];
  const lines = ['Email,Created at,Total'];
  const kept: Tx[] = [];
  TX.forEach(([customer, day, amount], i) => {
    const written = writings[i % 3](`${customer.toUpperCase()}@Example.com`);
    lines.push(`${written},${day},${amount.toFixed(2)}`);
    kept.push([written.toLowerCase(), day, amount]);
  });
  lines.push('Guest.Buyer@Shop.example,2024-03-03,9.99', 'POS-Walk-In,2024-03-04,4.50');
  kept.push(['guest.buyer@shop.example', '2024-03-03', 9.99], ['POS-Walk-In', '2024-03-04', 4.5]);
  // Writings of an address beyond its first: the ids that merge into another.
  const written = new Set(lines.slice(1).map((l) => l.split(',')[0]).filter((id) => id.includes('@')));
  const merged = written.size - new Set([...written].map((id) => id.toLowerCase())).size;
  return { text: lines.join('\n') + '\n', kept, merged };
}

/**
 * 60 orders of one to three items, one row per item, as order-export plugins write them: the order's
 * fields repeated on each item's row, "Order Total" among them, beside the item's own name, quantity
 * and cost. `total`: the amount column is the order total (else each line's own price, with every
 * order of several lines being several units of one product, as marketplaces list them).
 */
function itemLines(total: boolean): { text: string; kept: Tx[] } {
  const lines = [total ? 'Order ID,Order Date,Customer Email,Item Name,Item Qty,Item Cost,Order Total' : 'order_id,order_date,customer_id,product_id,order_item_id,price'];
  const kept: Tx[] = [];
  for (let o = 0; o < 60; o++) {
    const customer = `k${String(o % 17).padStart(3, '0')}`;
    const day = `2024-0${1 + (o % 6)}-${String(1 + (o % 27)).padStart(2, '0')}`;
    const items = 1 + (o % 3);
    const costs = Array.from({ length: items }, (_, i) => 5 + ((o * 7 + i * 13) % 40) + 0.25 * i);
    const orderTotal = costs.reduce((a, c) => a + c, 0) + 4.99;
    for (let i = 0; i < items; i++) {
      if (total) {
        lines.push(`${5000 + o},${day},${customer}@shop.example,Item ${i},1,${costs[i].toFixed(2)},${orderTotal.toFixed(2)}`);
        // Counted once, on the order's first line; the other lines stay (for item counts) at 0.
        kept.push([`${customer}@shop.example`, day, i === 0 ? Number(orderTotal.toFixed(2)) : 0]);
      } else {
        lines.push(`${5000 + o},${day},${customer},P${o},${i + 1},${costs[0].toFixed(2)}`);
        kept.push([customer, day, Number(costs[0].toFixed(2))]);
      }
    }
  }
  return { text: lines.join('\n') + '\n', kept };
}

/** Rows whose amount, written with an unquoted thousands separator, splits into two fields. */
const THOUSANDS_AT = new Set([3, 9]);
function thousandsCsv(): string {
  const lines = TX.map((t, i) => (THOUSANDS_AT.has(i) ? `${t[0]},${t[1]},2,${(t[2] + 100).toFixed(2)}` : `${t[0]},${t[1]},${t[2].toFixed(2)}`));
  return ['customer_id,date,amount', ...lines].join('\n') + '\n';
}

/** Amounts as written by the wide-file generator. */
const WIDE_ROWS = TX;
function wideCsv(columns: number, rows: readonly Tx[]): string {
  const filler = (r: number, c: number) => String((r * 7 + c * 13) % 101);
  const header = ['customer_id', 'date', ...Array.from({ length: columns - 3 }, (_, c) => `attr_${c}`), 'amount'];
  const lines = rows.map((t, r) => [t[0], t[1], ...Array.from({ length: columns - 3 }, (_, c) => filler(r, c)), t[2].toFixed(2)].join(','));
  return [header.join(','), ...lines].join('\n') + '\n';
}

const NOTE = (_t: Tx, i: number) => `"line one of note ${i}\nline two, with a comma"`;

/** Latin-1 bytes for a text with characters below U+0100. */
const latin1 = (text: string) => Uint8Array.from(Buffer.from(text, 'latin1'));

const LATIN_TX: Tx[] = TX.map(([c, d, a], i) => [i % 3 === 0 ? `Müller-${c}` : `José-${c}`, d, a]);

/** Numeric ids zero-padded to eight digits, except on every third row. */
const ZERO_PADDED_TX: Tx[] = TX.map(([c, d, a], i) => {
  const number = String(900 + Number(c.replace(/\D/g, '') || 0));
  return [i % 3 === 0 ? number : number.padStart(8, '0'), d, a];
});

/** Names only Windows-1252 writes in 8 bits: an en dash, curly quotes, Œ and € (bytes 0x80–0x9F). */
const WINDOWS_1252_TX: Tx[] = TX.map(([c, d, a], i) => [[`Anne–Marie-${c}`, `“Chez Œ”-${c}`, `€-club ${c}`][i % 3], d, a]);
const WINDOWS_1252_HIGH: Record<string, number> = { '–': 0x96, '“': 0x93, '”': 0x94, Œ: 0x8c, '€': 0x80 };

/** Text as Windows-1252 bytes ("ANSI" on a Western European Windows). */
function windows1252(text: string): Uint8Array {
  return Uint8Array.from(text, (ch) => WINDOWS_1252_HIGH[ch] ?? ch.charCodeAt(0));
}

/** Shopify-style orders, one JSON object per line, the customer a nested object whose orders_count grows with every order. */
function nestedCustomerNdjson(): string {
  const seen = new Map<string, number>();
  return TX.map(([customer, date, amount], i) => {
    seen.set(customer, (seen.get(customer) ?? 0) + 1);
    const order = { id: 1000 + i, created_at: `${date}T10:00:00-05:00`, total_price: amount.toFixed(2), customer: { id: customer, email: `${customer}@example.com`, orders_count: seen.get(customer), total_spent: '999.00' } };
    return JSON.stringify(order);
  }).join('\n');
}

/** ASCII rows filling `before` bytes, then one Latin-1 row (José). */
function lateLatin1(before: number): { bytes: Uint8Array; rows: Tx[] } {
  const rows: Tx[] = [];
  let size = 24;
  for (let i = 0; size < before; i++) {
    const t: Tx = [`c${i % 500}`, `2024-01-${String(1 + (i % 28)).padStart(2, '0')}`, (i % 97) + 0.25];
    rows.push(t);
    size += `${t[0]},${t[1]},${t[2].toFixed(2)}\n`.length;
  }
  const late: Tx = ['Jos\xe9', '2024-02-01', 3];
  return { bytes: latin1(csvText([...rows, late])), rows: [...rows, late] };
}
const LATE_LATIN1 = lateLatin1(300 * 1024);

async function nestedParquet(file: string): Promise<Uint8Array> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  const con = await instance.connect();
  await con.run(
    `COPY (SELECT 'c001' AS customer, 'Ann' AS name, [{'date': DATE '2024-01-05', 'amount': 12.5}, {'date': DATE '2024-02-05', 'amount': 3.0}] AS orders
           UNION ALL SELECT 'c002', 'Bob', [{'date': DATE '2024-01-06', 'amount': 7.0}]) TO '${file.replaceAll("'", "''")}' (FORMAT parquet)`,
  );
  con.closeSync();
  const { readFileSync } = await import('node:fs');
  return new Uint8Array(readFileSync(file));
}

const JSON_ROWS = TX.map(([customer_id, date, amount]) => ({ customer_id, date, amount }));

export function corpusCases(dir: string): CorpusCase[] {
  const all: Outcome = { kind: 'load', kept: TX };
  const long = longCsv();
  return [
    // Already handled before: they must stay so.
    { name: 'empty file', file: 'empty.csv', content: () => '', outcome: { kind: 'error', code: 'EMPTY_FILE', fragment: /is empty/ }, cli: true },
    { name: 'spaces and blank lines only', file: 'blank.csv', content: () => '\n  \n\r\n', outcome: { kind: 'error', code: 'EMPTY_FILE', fragment: /no rows/ } },
    { name: 'header only', file: 'header_only.csv', content: () => 'customer_id,date,amount\n', outcome: { kind: 'error', code: 'HEADER_ONLY', fragment: /header row but no transactions/ } },
    { name: 'binary garbage', file: 'garbage.csv', content: () => pseudoRandomBytes(4096), outcome: { kind: 'error', code: 'BINARY_FILE', fragment: /binary data/ } },
    { name: 'a PNG named .csv', file: 'photo.csv', content: () => PNG, outcome: { kind: 'error', code: 'IMAGE_FILE', fragment: /PNG image/ }, cli: true },
    { name: 'a zipped CSV (as platforms mail exports)', file: 'orders_export.zip', content: () => storedZip('orders_export_1.csv', csvText(TX)), outcome: { kind: 'error', code: 'UNSUPPORTED_FORMAT', fragment: /zip archive \(it holds "orders_export_1\.csv"\)\. Unzip it, then (drop|use) the file "orders_export_1\.csv"/ }, cli: true },
    // "Export to Excel" in many web apps writes tab-separated text named .xls: read as the text it is.
    { name: 'tab-separated text named .xls', file: 'orders.xls', content: () => csvText(TX).replaceAll(',', '\t'), outcome: all, cli: true },
    { name: 'a PDF named .csv', file: 'statement.csv', content: () => '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n', outcome: { kind: 'error', code: 'UNSUPPORTED_FORMAT', fragment: /is a PDF/ } },
    { name: 'one column', file: 'one_column.csv', content: () => 'customer\nc1\nc2\nc3\n', outcome: { kind: 'error', code: 'MALFORMED_FILE', fragment: /only one column/ } },
    { name: 'UTF-8 byte-order mark and CRLF', file: 'bom_crlf.csv', content: () => `\uFEFF${csvText(TX, { eol: '\r\n' })}`, outcome: all },
    { name: 'CR line ends (old Mac)', file: 'cr.csv', content: () => csvText(TX, { eol: '\r' }), outcome: all },
    { name: 'CRLF line ends', file: 'crlf.csv', content: () => csvText(TX, { eol: '\r\n' }), outcome: all },
    {
      name: 'huge numeric ids kept exactly',
      file: 'huge_ids.csv',
      content: () => csvText(TX.map(([c, d, a]) => [`98765432109876543210${c.slice(1)}`, d, a])),
      outcome: { kind: 'load', kept: TX.map(([c, d, a]) => [`98765432109876543210${c.slice(1)}`, d, a]) },
    },
    {
      name: 'SQL injection in ids is just text',
      file: 'sql_ids.csv',
      content: () => csvText(TX.map(([c, d, a]) => [`${c}'); DROP TABLE staged; --`, d, a])),
      outcome: { kind: 'load', kept: TX.map(([c, d, a]) => [`${c}'); DROP TABLE staged; --`, d, a]) },
    },
    {
      name: 'formula payloads in a note column',
      file: 'formulas.csv',
      content: () => csvText(TX, { header: 'customer_id,date,amount,note', extra: (_t, i) => ['=HYPERLINK("http://x")', "+cmd|' /C calc'!A0", '@SUM(1+1)', '-2+3'][i % 4] }),
      outcome: all,
    },
    {
      name: 'XSS payloads in ids and notes',
      file: 'xss.csv',
      content: () => csvText(TX.map(([c, d, a]) => [`<script>alert('${c}')</script>`, d, a]), { header: 'customer_id,date,amount,note', extra: () => '<img src=x onerror=alert(1)>' }),
      outcome: { kind: 'load', kept: TX.map(([c, d, a]) => [`<script>alert('${c}')</script>`, d, a]) },
    },
    { name: 'corrupt Parquet', file: 'broken.parquet', content: () => Uint8Array.from([...Buffer.from('PAR1'), ...pseudoRandomBytes(300, 9), ...Buffer.from('PAR1')]), outcome: { kind: 'error', code: 'MALFORMED_FILE', fragment: /could not be read as Parquet/ } },
    {
      name: 'NDJSON cut in the middle of line 3',
      file: 'broken.ndjson',
      content: () => `${JSON.stringify(JSON_ROWS[0])}\n${JSON.stringify(JSON_ROWS[1])}\n{"customer_id": "c001", "date": "2024-0\n`,
      outcome: { kind: 'error', code: 'MALFORMED_FILE', fragment: /line 3 could not be read/ },
      cli: true,
    },
    { name: 'a JSON array cut off', file: 'broken.json', content: () => JSON.stringify(JSON_ROWS).slice(0, 200), outcome: { kind: 'error', code: 'MALFORMED_FILE', fragment: /not valid JSON/ } },
    { name: 'good NDJSON', file: 'good.ndjson', content: () => JSON_ROWS.map((r) => JSON.stringify(r)).join('\n'), outcome: all },
    { name: 'good gzip CSV', file: 'good.csv.gz', content: () => gzipSync(long.text), outcome: { kind: 'load', kept: long.rows } },
    { name: 'XML document', file: 'export.csv', content: () => '<?xml version="1.0"?>\n<orders><order id="1"/></orders>\n', outcome: { kind: 'error', code: 'UNSUPPORTED_FORMAT', fragment: /XML document/ } },

    // Silently wrong before: must be an error or a correct load now.
    {
      name: 'gzip cut in the middle',
      file: 'cut.csv.gz',
      content: () => {
        const gz = gzipSync(long.text);
        return gz.subarray(0, Math.floor(gz.length / 2));
      },
      outcome: { kind: 'error', code: 'INCOMPLETE_FILE', fragment: /"cut\.csv\.gz" is incomplete: the compressed stream ends early/ },
      cli: true,
    },
    {
      name: 'unquoted thousands separators',
      file: 'thousands.csv',
      content: thousandsCsv,
      // 2 of 12 rows, every one a number cut at a thousands separator: above 1%, so the reading is asked for.
      outcome: { kind: 'error', code: 'TOO_MANY_REJECTS', fragment: /more fields than the header.*"amount" looks like a number written with a thousands separator/ },
      cli: true,
    },
    {
      name: 'one unquoted thousands separator in 3,000 rows',
      file: 'thousands_rare.csv',
      content: () => longCsv().text.replace(/\n(k0007,2024-02-08,)([0-9.]+)\n/, (_m, head: string) => `\n${head}2,100.00\n`),
      outcome: {
        kind: 'load',
        kept: longCsv().rows.filter((r, i) => !(i === 7 && r[0] === 'k0007')),
        rejected: { 'more fields than the header': 1 },
        warning: /"amount" looks like a number written with a thousands separator/,
      },
    },
    {
      name: 'dates with month names ("Jan 5, 2024", "05-Feb-2024")',
      file: 'month_names.csv',
      content: () => monthNameCsv(),
      outcome: all,
      cli: true,
    },
    {
      name: 'blank dates on rows that hold an amount',
      file: 'blank_dates.csv',
      content: () => blankCells(1),
      // 300 of 3,000 purchases without their day: above 1%, so the load asks before leaving them out.
      outcome: { kind: 'error', code: 'TOO_MANY_REJECTS', fragment: /300 of 3,000 rows \(10\.0%\) have no date in "date" but an amount/ },
      cli: true,
    },
    {
      name: 'blank amounts on dated rows',
      file: 'blank_amounts.csv',
      content: () => blankCells(2),
      // A dated row without money is most often an item line or an event that is no purchase: left out and counted, not asked about.
      outcome: { kind: 'load', kept: longCsv().rows.filter((_, i) => i % 10 !== 0), rejected: { 'missing amount': 300 } },
    },
    {
      name: 'a few blank dates, under 1%',
      file: 'blank_dates_rare.csv',
      content: () => blankCells(1, 1000),
      outcome: { kind: 'load', kept: longCsv().rows.filter((_, i) => i % 1000 !== 0), rejected: { 'missing date': 3 } },
    },
    {
      name: 'order export with item lines under each order (no date, no total)',
      file: 'orders_export.csv',
      content: () => orderExport().text,
      // The item lines hold no purchase of their own (the order's total is on its first line): left out and counted, not asked about.
      outcome: { kind: 'load', kept: orderExport().kept, rejected: { 'missing date': orderExport().itemLines } },
      cli: true,
    },
    {
      name: 'amounts in three currencies by their marks ($, €, £)',
      file: 'three_currencies.csv',
      content: () => markedCurrencies().text,
      // Sums across currencies mean nothing: 1,400 of 3,000 rows are not in the most common ($) and would be lost.
      outcome: { kind: 'error', code: 'TOO_MANY_REJECTS', fragment: /1,400 of 3,000 rows \(46\.7%\) are in another currency than \$ in "amount" \(EUR 1,000, GBP 400\)/ },
      cli: true,
    },
    {
      name: 'a currency column with two currencies (PayPal activity)',
      file: 'paypal_two_currencies.csv',
      content: () => currencyColumn(10).text,
      outcome: { kind: 'error', code: 'TOO_MANY_REJECTS', fragment: /300 of 3,000 rows \(10\.0%\) are in another currency than USD in "Currency" \(JPY 300\)/ },
    },
    {
      name: 'a few rows in another currency, under 1%',
      file: 'paypal_rare_jpy.csv',
      content: () => currencyColumn(1000).text,
      outcome: { kind: 'load', kept: currencyColumn(1000).usd, rejected: { 'another currency': 3 }, warning: /only the USD rows were kept \(the most common\); 3 rows in other currencies were left out/ },
      cli: true,
    },
    {
      name: 'one currency written as a mark and as a code (12.50 €, EUR 5)',
      file: 'euro_two_ways.csv',
      content: () => markedCurrencies('EUR').text.replace(/\n(k\d+,[\d-]+,)([\d.]+) €\n/g, '\n$1EUR $2\n'),
      outcome: { kind: 'load', kept: markedCurrencies('EUR').byCurrency.EUR },
    },
    {
      name: 'transactions with a kind: refunds written positive, authorizations and voids',
      file: 'kind_transactions.csv',
      content: () => kindTransactions().text,
      // Refunds are returns whatever their sign; an authorization (then captured) and a void move no purchase money.
      outcome: { kind: 'load', kept: kindTransactions().kept, rejected: { 'not a purchase': kindTransactions().notPurchases }, warning: /row\(s\) whose "Kind" says they are not purchases were left out/ },
      cli: true,
    },
    {
      name: 'a customer ledger: invoices, credit memos and payments',
      file: 'customer_ledger.csv',
      content: () => customerLedger().text,
      // The payments settle the invoices: counted as returns they would net every customer to nothing.
      outcome: { kind: 'load', kept: customerLedger().kept, rejected: { 'not a purchase': customerLedger().payments }, warning: /in a ledger that holds invoices .*settle invoices already counted/ },
    },
    {
      name: 'a customer ledger whose refunds pay out credit memos (Business Central)',
      file: 'customer_ledger_entries.csv',
      content: () => ledgerWithRefunds(false).text,
      // Counted as returns, the refunds would take every credit memo off a second time.
      outcome: { kind: 'load', kept: ledgerWithRefunds(false).kept, rejected: { 'not a purchase': ledgerWithRefunds(false).settlements } },
      cli: true,
    },
    {
      name: 'a German customer ledger: Rechnung, Gutschrift, Zahlung (Business Central, Debitorennr.)',
      file: 'debitorenposten.csv',
      content: () => ledgerWithRefunds(true).text,
      outcome: { kind: 'load', kept: ledgerWithRefunds(true).kept, rejected: { 'not a purchase': ledgerWithRefunds(true).settlements } },
    },
    {
      name: 'a Sage 50 audit trail: SI, SR, SC, PI and BR codes, Net and Tax apart, Amount Paid',
      file: 'sage_audit_trail.csv',
      content: () => sageAuditTrail().text,
      // Counted as written, receipts doubled every paid invoice and the supplier's invoice became a customer; "Amount Paid" is not what was sold.
      outcome: { kind: 'load', kept: sageAuditTrail().kept, rejected: { 'not a purchase': sageAuditTrail().notPurchases }, warning: /Sage type codes other than SI and SC/ },
      cli: true,
    },
    {
      name: 'a customer ledger with Debit Amount and Credit Amount columns, payments and refunds (Business Central)',
      file: 'ledger_debit_credit.csv',
      content: () => debitCreditLedger(true, true).text,
      // Read from the debit alone, credit memos were rejected as rows without an amount.
      outcome: { kind: 'load', kept: debitCreditLedger(true, true).kept, rejected: { 'not a purchase': debitCreditLedger(true, true).settlements } },
      cli: true,
    },
    {
      name: 'debit and credit columns without a document type: invoices and credit notes',
      file: 'ledger_debit_credit_plain.csv',
      content: () => debitCreditLedger(false, false).text,
      outcome: { kind: 'load', kept: debitCreditLedger(false, false).kept },
    },
    {
      name: 'debit and credit columns without a document type, payments among the credits',
      file: 'ledger_debit_credit_payments.csv',
      content: () => debitCreditLedger(false, true).text,
      // Nothing tells a payment from a credit note: taking them off would leave every customer with almost nothing.
      outcome: { kind: 'error', code: 'LEDGER_PAYMENTS', fragment: /credits marked by "Credit Amount" add up to \d+% of the debits.*Export the invoices and credit notes only/ },
      cli: true,
    },
    {
      name: 'an unsigned amount with a D/C flag: invoices and credit notes',
      file: 'ledger_dc_flag.csv',
      content: () => flaggedLedger(false).text,
      // Read as written, every credit note was counted as a purchase.
      outcome: { kind: 'load', kept: flaggedLedger(false).kept },
    },
    {
      name: 'an unsigned amount with a D/C flag, payments among the credits',
      file: 'ledger_dc_flag_payments.csv',
      content: () => flaggedLedger(true).text,
      outcome: { kind: 'error', code: 'LEDGER_PAYMENTS', fragment: /credits marked by "D\/C" add up to/ },
    },
    {
      name: "Wave's transactions filtered to Accounts Receivable: invoices and their payments in one signed column",
      file: 'wave_receivable.csv',
      content: () => waveTransactions('receivable').text,
      // Before: payments netted as returns, every customer left with a quarter of what was invoiced, exit 0.
      outcome: { kind: 'error', code: 'LEDGER_PAYMENTS', fragment: /negative amounts in "Amount \(One column\)" add up to \d+% of the positive ones.*Choose "Debit Amount \(Two Column Approach\)" as the amount/ },
      cli: true,
    },
    {
      name: "Wave's Accounts Receivable rows, the two-column amounts only",
      file: 'wave_receivable_two_columns.csv',
      content: () => waveTransactions('receivable', false).text,
      // The debit and credit sides are read together: the payments among the credits stop the load, with the way on.
      outcome: { kind: 'error', code: 'LEDGER_PAYMENTS', fragment: /credits marked by "Credit Amount \(Two Column Approach\)" add up to \d+% of the debits.*choose no refunded amount/ },
    },
    {
      name: "Wave's transactions filtered to the Sales account: every sale a credit",
      file: 'wave_sales.csv',
      content: () => waveTransactions('sales').text,
      outcome: { kind: 'error', code: 'NO_VALID_ROWS', fragment: /Every amount in "Amount \(One column\)" is negative \(12 rows\).*choose "Credit Amount \(Two Column Approach\)" as the amount/ },
    },
    {
      name: "Wave's transactions, every account: a double-entry journal",
      file: 'wave_all_accounts.csv',
      content: () => waveTransactions('all').text,
      outcome: { kind: 'error', code: 'LEDGER_JOURNAL', fragment: /balance: 100% of the money.*double-entry journal.*sales \(income\) account/ },
      cli: true,
    },
    {
      name: "Adyen's settlement details: payments under Gross Credit, refunds under Gross Debit",
      file: 'adyen_settlement.csv',
      content: () => settlementDetails().text,
      // Before: Gross Debit was the amount (the refunds alone), the load found no purchase.
      outcome: { kind: 'load', kept: settlementDetails().kept },
      cli: true,
    },
    {
      name: "Shopify's Customers report with first and last order dates: one row per customer",
      file: 'shopify_customers.csv',
      content: () => shopifyCustomersReport(true),
      // Before: read as one purchase per customer on their first order's date, with their lifetime sales, exit 0.
      outcome: { kind: 'error', code: 'CUSTOMER_SUMMARY', fragment: /Each of the 8 customers appears on one row only, and the column "Orders" counts their orders \(up to 4\).*Export the orders/ },
      cli: true,
    },
    {
      name: "Shopify's Sales by customer report, without dates",
      file: 'shopify_sales_by_customer.csv',
      content: () => shopifyCustomersReport(false),
      // Before: NO_PARSEABLE_DATES, with no word that the file is a summary.
      outcome: { kind: 'error', code: 'CUSTOMER_SUMMARY', fragment: /summary per customer, not a list of purchases/ },
    },
    {
      name: 'a contact list with each customer\'s last order date and lifetime value, no order count',
      file: 'contacts_lifetime.csv',
      content: () => ['Email,Last Order Date,Lifetime Value', ...['a', 'b', 'c', 'd', 'e', 'f'].map((c, i) => `${c}@example.com,2024-0${1 + i}-15,${(40 + 7 * i).toFixed(2)}`)].join('\n') + '\n',
      outcome: { kind: 'error', code: 'CUSTOMER_SUMMARY', fragment: /Each of the 6 customers appears on one row only, and the column "Last Order Date" dates their first or last order/ },
    },
    {
      name: 'first orders only: every customer once, an Orders column of 1s',
      file: 'first_orders.csv',
      content: () => firstOrders().text,
      outcome: { kind: 'load', kept: firstOrders().kept },
    },
    {
      name: "MYOB's sales register: open and closed invoices, credits, sales orders and quotes",
      file: 'myob_sales_register.txt',
      content: () => myobRegister().text,
      // Before: open invoices left out as payments not made, sales orders counted (0.77× here as in the helpers' register).
      outcome: { kind: 'load', kept: myobRegister().kept, rejected: { 'not a purchase': 5 } },
      cli: true,
    },
    {
      name: "SAP Business One's A/R documents: object types 13/14/15/17, cancelled invoices with their cancellation documents",
      file: 'sap_b1_ar_documents.csv',
      content: () => sapB1Documents().text,
      // Before: credit memos (positive DocTotal) added as sales, sales orders and deliveries counted, each cancellation pair counted twice.
      outcome: { kind: 'load', kept: sapB1Documents().kept, rejected: { cancelled: sapB1Documents().cancelled, 'not a purchase': sapB1Documents().notPurchases }, warning: /"CANCELED" marks as cancelled/ },
      cli: true,
    },
    {
      name: "sevDesk's invoices: cancelled invoices beside the Stornorechnung that reverses each",
      file: 'sevdesk_rechnungen.csv',
      content: () => sevDeskInvoices().text,
      // Before: each Stornorechnung subtracted although its cancelled invoice was already left out (every cancellation taken off twice).
      outcome: { kind: 'load', kept: sevDeskInvoices().kept, rejected: { 'payment not completed': sevDeskInvoices().notCompleted, 'not a purchase': sevDeskInvoices().cancellations }, warning: /Cancellation documents are among them/ },
      cli: true,
    },
    {
      name: 'orders and refunds in one list, a Type column (WooCommerce): every order is a sale',
      file: 'woo_orders_refunds.csv',
      content: () => ordersAndRefunds().text,
      outcome: { kind: 'load', kept: ordersAndRefunds().kept },
    },
    {
      name: "Xero's Receivable Invoice Detail: title lines, contacts on heading lines, Total lines, invoices awaiting payment",
      file: 'xero_receivable_invoice_detail.csv',
      content: () => xeroReceivableDetail().text,
      // Before: the title was taken as the header (column1, column7…); without the title lines, the Total lines stopped the load.
      // Each heading line (a name, nothing else) is a row without a date.
      outcome: { kind: 'load', kept: xeroReceivableDetail().kept, rejected: { 'payment not completed': xeroReceivableDetail().voided, 'a total or subtotal line': 4, 'missing date': 4 } },
      cli: true,
    },
    {
      name: 'a customer named "Total Wine & More", every row dated',
      file: 'total_wine.csv',
      content: () => csvText(TX.map(([c, d, a]) => [c === 'c002' ? 'Total Wine & More' : c, d, a])),
      outcome: { kind: 'load', kept: TX.map(([c, d, a]) => [c === 'c002' ? 'Total Wine & More' : c, d, a]) },
    },
    {
      name: "DATEV's Buchungsstapel: the EXTF header line, Belegdatum as day and month only",
      file: 'datev_buchungsstapel.csv',
      content: () => datevBatch(false).text,
      // Before: the EXTF line was read as the header ("700", "EXTF"…), and the advice was to pick a date format, which none could satisfy.
      outcome: { kind: 'error', code: 'NO_PARSEABLE_DATES', fragment: /This is a DATEV export.*\(2024-01-01 to 2024-12-31\).*"Belegdatum" gives each date as day and month only.*keeping its first line/ },
      cli: true,
    },
    {
      name: "DATEV's Buchungsstapel with the year added to its dates, the header line kept",
      file: 'datev_buchungsstapel_years.csv',
      content: () => datevBatch(true).text,
      // The S/H flag takes credit notes off; payments received on the bank account (Konto 1200) are no customer's.
      outcome: { kind: 'load', kept: datevBatch(true).kept, rejected: { 'not a purchase': datevBatch(true).payments }, warning: /postings on a general-ledger account of 4 digits or fewer/ },
      cli: true,
    },
    {
      name: "QuickBooks Online's Sales by Product/Service Detail: sales receipts beside invoices and credit memos",
      file: 'qbo_sales_by_product.csv',
      content: () => qboSalesByProduct().text,
      // Before: every Sales Receipt (a cash sale) was left out as a payment.
      outcome: { kind: 'load', kept: qboSalesByProduct().kept },
    },
    {
      name: "Patreon's members export: one row per member with a lifetime amount and a last charge date",
      file: 'patreon_members.csv',
      content: () => ['Name,Email,Patron Status,Lifetime Amount,Pledge Amount,Patronage Since Date,Last Charge Date,Last Charge Status', ...['a', 'b', 'c', 'd', 'e', 'f'].map((c, i) => `Member ${c},${c}@example.com,Active patron,${(10 * (i + 1)).toFixed(2)},5.00,2023-0${1 + i}-06 00:00:00,2024-0${1 + i}-06 00:00:00,Paid`)].join('\n') + '\n',
      // Before: each member one purchase on the day they joined, worth their lifetime, exit 0.
      outcome: { kind: 'error', code: 'CUSTOMER_SUMMARY', fragment: /Each of the 6 customers appears on one row only/ },
    },
    {
      name: "Shopify Payments' transactions: no customer column, only payouts and checkouts",
      file: 'shopify_payments_transactions.csv',
      content: () => ['Transaction Date,Type,Order,Checkout,Payout Status,Payout Date,Payout ID,Amount,Fee,Net', ...TX.map(([, day, amount], i) => `${day} 10:00:00 +0000,charge,#${1001 + i},c${9000 + i},paid,${day},po_${200 + (i % 4)},${amount.toFixed(2)},0.50,${(amount - 0.5).toFixed(2)}`)].join('\n') + '\n',
      // Before: the payout dates were taken as the customers (12 rows, 12 "customers"), exit 0.
      outcome: { kind: 'error', code: 'MISSING_ROLE', fragment: /No column was chosen as the customer id/ },
    },
    {
      name: 'a signed sales list whose returns come to 45% of its sales',
      file: 'many_returns.csv',
      content: () => manyReturns().text,
      outcome: { kind: 'load', kept: manyReturns().kept },
    },
    {
      name: "Gumroad's sales export: Sale Price beside Net Total and Fees, full refunds as a yes/no, pre-order authorizations",
      file: 'gumroad_sales.csv',
      content: () => gumroadSales().text,
      // Before: Net Total (after Gumroad's fees) was the amount, full refunds and authorizations counted as sales.
      outcome: { kind: 'load', kept: gumroadSales().kept, rejected: { 'a test or an authorization only': gumroadSales().notCharged }, warning: /marks as a test payment or a card authorization only were left out/ },
      cli: true,
    },
    {
      name: 'orders in several currencies with each total also in USD, and refunds in USD',
      file: 'orders_total_usd.csv',
      content: () => convertedOrders(true).text,
      // Before: "Total" (each row's currency) was the amount, and the load stopped on the rows not in USD.
      outcome: { kind: 'load', kept: convertedOrders(true).kept },
      cli: true,
    },
    {
      name: 'orders in several currencies with each total also in USD, refunds not named for a currency',
      file: 'orders_total_usd_refunds.csv',
      content: () => convertedOrders(false).text,
      outcome: { kind: 'load', kept: convertedOrders(false).kept, warning: /"Refunded Amount" was subtracted from "Total \(USD\)" as written, .* each row's own in "Currency": if the refunds are in the row's currency/ },
    },
    {
      name: 'Braintree transaction search: declined and rejected cards, credits, authorized beside settled',
      file: 'braintree_transactions.csv',
      content: () => processorSearch('braintree').text,
      // Before: Amount Authorized was the amount, refused cards counted, credits counted as sales.
      outcome: { kind: 'load', kept: processorSearch('braintree').kept, rejected: { 'payment not completed': processorSearch('braintree').refused } },
      cli: true,
    },
    {
      name: 'Authorize.net transactions: captures, credits, declines and errors, submitted before settled',
      file: 'authorizenet_transactions.csv',
      content: () => processorSearch('authorizenet').text,
      // Before: the settlement day was the date (refused rows have none: the load stopped), credits counted as sales.
      outcome: { kind: 'load', kept: processorSearch('authorizenet').kept, rejected: { 'payment not completed': processorSearch('authorizenet').refused } },
    },
    {
      name: 'PrestaShop orders in French: a yes/no column before the customer, French order states',
      file: 'prestashop_commandes.csv',
      content: () => prestashopFrench().text,
      // Before: "Nouveau client" (Oui/Non) was the customer and the states were not read.
      outcome: { kind: 'load', kept: prestashopFrench().kept, rejected: { 'payment not completed': prestashopFrench().notCompleted } },
      cli: true,
    },
    {
      name: 'ticket orders: what was paid beside fee columns, attendee statuses',
      file: 'ticket_orders.csv',
      content: () => ticketOrders().text,
      // Before: "Eventbrite Payment Processing" (a fee) was the amount and refunded tickets counted.
      outcome: { kind: 'load', kept: ticketOrders().kept },
    },
    {
      name: 'a shop export whose payment status is "Payment" beside a fulfillment status',
      file: 'shop_payment_fulfillment.csv',
      content: () => paymentBesideFulfilment().text,
      // Before: the fulfillment status was read, and unpaid orders counted.
      outcome: { kind: 'load', kept: paymentBesideFulfilment().kept, rejected: { 'payment not completed': paymentBesideFulfilment().notPaid } },
    },
    {
      name: 'a hand-kept sheet: m/d/yyyy dates with a few written year first',
      file: 'sales_log_mixed_dates.csv',
      // Every fourth row ISO; the rest US month-first (a day above 12 settles the order).
      content: () => csvText(TX.map(([c, d, a], i) => [c, i % 4 === 2 ? d : `${+d.slice(5, 7)}/${+d.slice(8, 10)}/${d.slice(0, 4)}`, a] as Tx)),
      // Before: the ISO rows were rejected (TOO_MANY_REJECTS), and the suggested --date-format iso rejected the others.
      outcome: all,
      cli: true,
    },
    {
      name: 'dd.mm.yyyy dates with a few written year first',
      file: 'belege_mixed_dates.csv',
      content: () => csvText(TX.map(([c, d, a], i) => [c, i % 5 === 1 ? d : `${d.slice(8, 10)}.${d.slice(5, 7)}.${d.slice(0, 4)}`, a] as Tx)),
      outcome: all,
    },
    {
      name: 'orders with a Test Mode Yes/No column',
      file: 'orders_test_mode.csv',
      content: () => testModeOrders().text,
      outcome: { kind: 'load', kept: TX, rejected: { 'a test or an authorization only': testModeOrders().tests } },
    },
    {
      name: 'item lines rung up twice within orders (Square item detail)',
      file: 'square_item_detail.csv',
      content: () => itemLinesRungTwice().text,
      outcome: { kind: 'load', kept: itemLinesRungTwice().kept, warning: /row\(s\) that repeat another line of their order exactly were removed as duplicates, but 4 orders hold such a line beside lines that appear once/ },
    },
    {
      name: 'a report with dated monthly subtotal lines and a grand total',
      file: 'invoices_by_month.csv',
      content: () => monthlySubtotals().text,
      outcome: { kind: 'load', kept: TX, rejected: { 'a total or subtotal line': monthlySubtotals().subtotals } },
    },
    {
      name: 'customer ids a spreadsheet wrote in scientific notation (1.23457E+11)',
      file: 'customers_excel.csv',
      content: () => 'Customer Number,Date,Amount\n' + TX.map(([, day, amount], i) => `${(1.23457 + (i % 3) / 100000).toFixed(5)}E+11,${day},${amount.toFixed(2)}`).join('\n') + '\n',
      outcome: { kind: 'error', code: 'MANGLED_IDS', fragment: /customer ids in "Customer Number" are written in scientific notation \("1\.2345\d+E\+11"\).*formatted as text/ },
      cli: true,
    },
    {
      name: 'numeric ids written with and without leading zeros (00000936, 936)',
      file: 'zero_padded.csv',
      content: () => csvText(ZERO_PADDED_TX),
      // Kept apart, as written (ids keep their zeros), and said.
      outcome: { kind: 'load', kept: ZERO_PADDED_TX, warning: /customer id\(s\) in "customer_id" are the same number as another id written with a different count of leading zeros/ },
    },
    {
      name: 'an API page with its records and its links (Mailchimp: orders and _links)',
      file: 'orders_page.json',
      content: () => JSON.stringify({ orders: JSON_ROWS, total_items: JSON_ROWS.length, _links: [{ rel: 'self', href: 'https://example.invalid/3.0/orders', method: 'GET' }, { rel: 'parent', href: 'https://example.invalid/3.0/', method: 'GET' }] }),
      outcome: all,
    },
    {
      name: 'a report grouped by customer (the name on a heading row, QuickBooks)',
      file: 'sales_by_customer_detail.csv',
      content: reportGroupedByCustomer,
      outcome: { kind: 'error', code: 'NO_VALID_ROWS', fragment: /is blank on \d+ of \d+ rows\. If the file is a report grouped by customer/ },
    },
    {
      name: 'a point-of-sale history: each sale, its item lines and its payment as rows (Lightspeed)',
      file: 'sales_history.csv',
      content: () => posSalesHistory().text,
      // Counted as written, every receipt would be three times its total.
      outcome: { kind: 'load', kept: posSalesHistory().kept, rejected: { 'not a purchase': posSalesHistory().parts }, warning: /item lines, sales orders not yet invoiced, and payments/ },
      cli: true,
    },
    {
      name: "PayPal's German activity download: refunds sent from the shop's own address are the buyer's (the Empfänger), withdrawals none",
      file: 'paypal_aktivitaeten.csv',
      content: () => paypalGerman().text,
      // Before: LEDGER_PAYMENTS (the withdrawals read as a ledger's payments, Typ not read as the kind); with the kind, the refunds on the shop's own address.
      outcome: { kind: 'load', kept: paypalGerman().kept, rejected: { 'not a purchase': paypalGerman().notPurchases, 'payment not completed': paypalGerman().declined }, warning: /holds the account's own address \(info@kaffee-beispiel\.de\)/ },
      cli: true,
    },
    {
      name: 'From and To addresses with no one account on either side (a marketplace): the From column as written',
      file: 'marketplace_from_to.csv',
      content: () => marketplaceFromTo().text,
      outcome: { kind: 'load', kept: marketplaceFromTo().kept },
    },
    {
      name: 'PayPal activity: payments are the purchases, refunds negative, the merchant\'s withdrawals, conversions and holds none',
      file: 'paypal_kinds.csv',
      content: () => paypalKinds().text,
      outcome: { kind: 'load', kept: paypalKinds().kept, rejected: { 'not a purchase': paypalKinds().merchantRows } },
    },
    {
      name: 'US dates with a 12-hour clock (AM/PM), some with a comma before the time',
      file: 'us_twelve_hour.csv',
      content: twelveHourClock,
      outcome: { kind: 'load', kept: TX },
      cli: true,
    },
    {
      name: 'month-name dates with a 12-hour clock and a time zone (Amazon-style "Jan 5, 2024 3:45:12 PM PST")',
      file: 'month_clock_zone.csv',
      content: () =>
        csvText(TX, { header: 'date/time,customer,total', extra: undefined }).replace(/^(c\d+),(\d{4})-(\d{2})-(\d{2}),/gm, (_, c, y, m, d) => {
          const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][Number(m) - 1];
          return `"${month} ${Number(d)}, ${y} 11:${d}:07 PM ${Number(d) % 2 ? 'PST' : 'PDT'}",${c},`;
        }),
      outcome: { kind: 'load', kept: TX },
    },
    {
      name: 'returns written with a typographic minus (U+2212)',
      file: 'typographic_minus.csv',
      // Apple Numbers and typeset reports write "−12.50": read as a mark, the returns were added as purchases.
      content: () => csvText(TX.map(([c, d, a], i) => [c, d, i % 4 === 3 ? -a : a] as Tx)).replace(/,-(\d)/g, ',\u2212$1'),
      outcome: { kind: 'load', kept: TX.map(([c, d, a], i) => [c, d, i % 4 === 3 ? -a : a] as Tx) },
      cli: true,
    },
    {
      name: 'amounts in a column named in cents (amount_cents)',
      file: 'amount_cents.csv',
      // Read as written, every amount was 100 times too large, with exit 0.
      content: () => ['customer_id,created,amount_cents', ...TX.map(([c, d, a]) => `${c},${d},${Math.round(a * 100)}`)].join('\n') + '\n',
      outcome: { kind: 'load', kept: TX, warning: /Amounts in "amount_cents" are whole numbers of cents \(minor units\), as its name says/ },
      cli: true,
    },
    {
      name: 'a sheet saved as displayed: day numbers for dates, Accounting-format amounts',
      file: 'sheet_as_displayed.csv',
      content: () => spreadsheetAsDisplayed(false).text,
      outcome: { kind: 'load', kept: spreadsheetAsDisplayed(false).kept },
      cli: true,
    },
    {
      name: 'day numbers with the time of day as a fraction',
      file: 'sheet_day_fractions.csv',
      content: () => spreadsheetAsDisplayed(true).text,
      outcome: { kind: 'load', kept: spreadsheetAsDisplayed(true).kept },
    },
    {
      name: 'e-mail ids written in several letter cases',
      file: 'email_cases.csv',
      content: () => emailCases().text,
      // One shopper typing their address differently is one customer; an id that is no address stays as written.
      outcome: { kind: 'load', kept: emailCases().kept, warning: new RegExp(`^${emailCases().merged} customer id\\(s\\) in "Email" are e-mail addresses written in another letter case`, 'm') },
      cli: true,
    },
    {
      name: 'e-mail ids, each written one way',
      file: 'email_one_case.csv',
      content: () => csvText(TX.map(([c, d, a]) => [`${c.toUpperCase()}@Example.com`, d, a] as Tx)).replace('customer_id,', 'email,'),
      // Nothing to merge: ids stay exactly as written.
      outcome: { kind: 'load', kept: TX.map(([c, d, a]) => [`${c.toUpperCase()}@Example.com`, d, a] as Tx) },
    },
    {
      name: 'an order export repeating the order total on each item line',
      file: 'order_total_per_line.csv',
      content: () => itemLines(true).text,
      // Summed over its lines, a 3-item order's total counted three times.
      outcome: { kind: 'load', kept: itemLines(true).kept, warning: /"Order Total" is the same on every line of 40 of the 40 orders with several lines: it is the order's total, repeated on each line, so it was counted once per order \(60 repeated lines count 0\)/ },
      cli: true,
    },
    {
      name: 'item lines priced one by one, several units of one product per order',
      file: 'order_items.csv',
      content: () => itemLines(false).text,
      // The same evidence, but "price" is a line's own amount: kept as written, with a warning that says what to check.
      outcome: { kind: 'load', kept: itemLines(false).kept, warning: /"price" is the same on every line of 40 of the 40 orders with several lines\. If it is the order's total repeated/ },
    },

    // Unclear or misleading before.
    { name: 'quoted notes with line breaks', file: 'multiline.csv', content: () => csvText(TX, { header: 'customer_id,date,amount,note', extra: NOTE }), outcome: all, cli: true },
    { name: 'quoted line breaks in every row, CRLF', file: 'multiline_crlf.csv', content: () => csvText(TX, { header: 'customer_id,date,amount,note', extra: NOTE, eol: '\r\n' }).replaceAll('\nline two', '\r\nline two'), outcome: all },
    { name: 'UTF-16 LE with BOM', file: 'utf16le.csv', content: () => utf16(csvText(TX, { eol: '\r\n' }), false, true), outcome: all, cli: true },
    { name: 'UTF-16 BE with BOM', file: 'utf16be.csv', content: () => utf16(csvText(TX), true, true), outcome: all },
    { name: 'UTF-16 LE without BOM', file: 'utf16le_nobom.csv', content: () => utf16(csvText(TX), false, false), outcome: all },
    { name: 'UTF-32 LE with BOM', file: 'utf32.csv', content: () => utf32le(csvText(TX)), outcome: all },
    { name: 'Latin-1 text', file: 'latin1.csv', content: () => latin1(csvText(LATIN_TX)), outcome: { kind: 'load', kept: LATIN_TX }, cli: true },
    { name: 'Windows-1252 text (€, curly quotes, an en dash as single bytes 0x80–0x9F)', file: 'ansi.csv', content: () => windows1252(csvText(WINDOWS_1252_TX)), outcome: { kind: 'load', kept: WINDOWS_1252_TX }, cli: true },
    { name: 'NDJSON orders with a nested customer object', file: 'orders_nested.ndjson', content: nestedCustomerNdjson, outcome: { kind: 'load', kept: TX }, cli: true },
    { name: 'gzip of Latin-1 text', file: 'latin1.csv.gz', content: () => gzipSync(latin1(csvText(LATIN_TX))), outcome: { kind: 'load', kept: LATIN_TX } },
    { name: 'Latin-1 text first seen after 256 KiB', file: 'late_latin1.csv', content: () => LATE_LATIN1.bytes, outcome: { kind: 'load', kept: LATE_LATIN1.rows } },
    {
      name: 'Latin-1 text first seen after 3 MB',
      file: 'very_late_latin1.csv',
      content: () => lateLatin1(3 * 1024 * 1024).bytes,
      outcome: { kind: 'error', code: 'UNSUPPORTED_ENCODING', fragment: /"very_late_latin1\.csv" is not UTF-8 text.*Latin-1\/Windows-1252\)\. Save it as UTF-8 and try again\./ },
    },
    {
      name: 'an HTML error page saved as .csv',
      file: 'orders.csv',
      content: () => '<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body><form>…</form></body></html>\n',
      outcome: { kind: 'error', code: 'UNSUPPORTED_FORMAT', fragment: /is a web page \(HTML\), not a transaction file/ },
      cli: true,
    },
    // An API's reply saved as a file (Shopify's {"orders": [...]}, a paged {"data": [...], "has_more": false}):
    // the rows are the wrapper's one list of objects.
    { name: 'JSON wrapper object', file: 'wrapped.json', content: () => JSON.stringify({ count: TX.length, orders: JSON_ROWS }, null, 2), outcome: all, cli: true },
    { name: 'JSON wrapper two levels deep', file: 'deep.json', content: () => JSON.stringify({ meta: { page: 1 }, data: { orders: JSON_ROWS } }), outcome: all },
    {
      name: 'JSON wrapper with two lists of records',
      file: 'two_lists.json',
      content: () => JSON.stringify({ orders: JSON_ROWS, refunds: JSON_ROWS.slice(0, 3) }),
      outcome: { kind: 'error', code: 'NESTED_DATA', fragment: /holds several lists of records \("orders", "refunds"\)/ },
      cli: true,
    },
    { name: 'nested Parquet (orders per customer)', file: 'nested.parquet', content: () => nestedParquet(path.join(dir, 'nested.parquet')), outcome: { kind: 'error', code: 'NESTED_DATA', fragment: /inside the field "orders"/ } },
    {
      name: 'JSON larger than can be read in memory',
      file: 'huge.ndjson',
      content: () => JSON_ROWS.map((r) => JSON.stringify(r)).join('\n'),
      claimedSize: 630 * 1024 * 1024,
      outcome: { kind: 'error', code: 'FILE_TOO_LARGE', fragment: /too large to read as JSON in the browser \(630 MB\); save it as CSV or Parquet/ },
    },
    { name: 'a folder given as the file', file: 'a_folder', content: null, outcome: { kind: 'error', code: 'BAD_ARGUMENT', fragment: /is a folder/ }, cli: true },
    {
      name: 'an unclosed quote',
      file: 'unclosed.csv',
      content: () => csvText(TX.slice(0, 4)) + 'c009,"2024-03-01,5.00\n' + csvText(TX.slice(4)).split('\n').slice(1).join('\n'),
      outcome: { kind: 'error', code: 'MALFORMED_FILE', fragment: /has a quoted field that is never closed \(around line 6\)/ },
    },
    { name: '10,000 columns', file: 'wide.csv', content: () => wideCsv(10_000, WIDE_ROWS), outcome: { kind: 'load', kept: WIDE_ROWS }, cli: true },
    { name: 'more columns than can be read', file: 'too_wide.csv', content: () => wideCsv(20_001, WIDE_ROWS.slice(0, 3)), outcome: { kind: 'error', code: 'TOO_MANY_COLUMNS', fragment: /has 20,001 columns/ } },
  ];
}

/** Writes every case's file into `dir` (a folder for the folder case); returns the paths by case name. */
export async function writeCorpus(dir: string, cases: readonly CorpusCase[]): Promise<Map<string, string>> {
  const paths = new Map<string, string>();
  for (const c of cases) {
    const file = path.join(dir, c.file);
    if (c.content === null) mkdirSync(file, { recursive: true });
    else writeFileSync(file, await c.content());
    paths.set(c.name, file);
  }
  return paths;
}
