import { describe, expect, it } from 'vitest';
import { ClvError } from '../../src/core/errors';
import { detectFileKind } from '../../src/core/source/fileKind';
import { storedZip } from '../support/badInputCorpus';

const bytes = (...b: number[]) => Uint8Array.from(b);
const text = (s: string) => new TextEncoder().encode(s);

function code(name: string, head: Uint8Array, size = head.length): string {
  try {
    detectFileKind(name, head, size);
  } catch (e) {
    expect(e).toBeInstanceOf(ClvError);
    return (e as ClvError).code;
  }
  return 'accepted';
}

describe('detectFileKind', () => {
  it('text, gzip, parquet and JSON by their first bytes', () => {
    expect(detectFileKind('a.csv', text('customer_id,date,amount\n'), 100)).toEqual({ kind: 'text', compression: 'none' });
    expect(detectFileKind('a.csv.gz', bytes(0x1f, 0x8b, 8, 0), 100)).toEqual({ kind: 'text', compression: 'gzip' });
    expect(detectFileKind('whatever', text('PAR1....'), 100)).toEqual({ kind: 'parquet' });
    expect(detectFileKind('data.txt', text('  [{"a":1}]'), 100)).toEqual({ kind: 'json', compression: 'none' });
    expect(detectFileKind('data.txt', text('{"a":1}\n{"a":2}\n'), 100)).toEqual({ kind: 'json', compression: 'none' });
    expect(detectFileKind('data.txt', Uint8Array.from([0xef, 0xbb, 0xbf, ...text('[{"a":1}]')]), 100)).toEqual({ kind: 'json', compression: 'none' });
  });

  it('gzip-compressed JSON by its name', () => {
    for (const name of ['a.json.gz', 'a.ndjson.gz', 'A.JSONL.GZ']) {
      expect(detectFileKind(name, bytes(0x1f, 0x8b, 8, 0), 100)).toEqual({ kind: 'json', compression: 'gzip' });
    }
  });

  it('a whitespace-padded file with a BOM is text', () => {
    expect(detectFileKind('cdnow.txt', Uint8Array.from([0xef, 0xbb, 0xbf, ...text('   00001 19970101  1  11.77\r\n')]), 100)).toEqual({ kind: 'text', compression: 'none' });
  });

  it('refuses what is not a table, with a code each', () => {
    expect(code('empty.csv', new Uint8Array(0), 0)).toBe('EMPTY_FILE');
    expect(code('a.csv', bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a))).toBe('IMAGE_FILE');
    expect(code('a.csv', bytes(0xff, 0xd8, 0xff, 0xe0))).toBe('IMAGE_FILE');
    expect(code('a.csv', text('GIF89a....'))).toBe('IMAGE_FILE');
    expect(code('book.xlsx', bytes(0x50, 0x4b, 0x03, 0x04))).toBe('UNSUPPORTED_EXCEL');
    expect(code('book.csv', bytes(0x50, 0x4b, 0x03, 0x04))).toBe('UNSUPPORTED_EXCEL');
    expect(code('book.xls', bytes(0xd0, 0xcf, 0x11, 0xe0))).toBe('UNSUPPORTED_EXCEL');
    expect(code('doc.csv', text('%PDF-1.7'))).toBe('UNSUPPORTED_FORMAT');
    expect(code('blob.csv', Uint8Array.from({ length: 512 }, (_, i) => (i * 37) % 32))).toBe('BINARY_FILE');
  });

  it('a zip archive is told from a workbook or a document, and its message names the file inside', () => {
    const message = (name: string, head: Uint8Array) => {
      try {
        detectFileKind(name, head, head.length);
      } catch (e) {
        return `${(e as ClvError).code}: ${(e as ClvError).message}`;
      }
      return 'accepted';
    };
    const csv = storedZip('export/orders 2024.csv', 'customer,date,amount\nc1,2024-01-01,5\n');
    expect(message('orders.zip', csv)).toBe('UNSUPPORTED_FORMAT: "orders.zip" is a zip archive (it holds "export/orders 2024.csv"). Unzip it, then drop the file "export/orders 2024.csv".');
    expect(message('orders.csv', csv)).toMatch(/^UNSUPPORTED_FORMAT: "orders.csv" is a zip archive/);
    expect(message('bundle.zip', storedZip('readme.pdf', '%PDF'))).toMatch(/it holds "readme\.pdf"\)\. Unzip it, then drop the CSV, TSV, Parquet or JSON file inside\.$/);
    // Office Open XML and OpenDocument name their parts in the first bytes.
    expect(message('book.zip', storedZip('[Content_Types].xml', '<Types/>'))).toMatch(/^UNSUPPORTED_EXCEL: .*spreadsheet workbook/);
    expect(message('sheet.csv', storedZip('mimetype', 'application/vnd.oasis.opendocument.spreadsheet'))).toMatch(/^UNSUPPORTED_EXCEL/);
    expect(message('book.xlsx', storedZip('xl/workbook.xml', '<workbook/>'))).toMatch(/^UNSUPPORTED_EXCEL/);
    expect(message('letter.docx', storedZip('[Content_Types].xml', '<Types/>'))).toMatch(/^UNSUPPORTED_FORMAT: .*document or a presentation/);
    expect(message('notes.zip', storedZip('word/document.xml', '<w/>'))).toMatch(/^UNSUPPORTED_FORMAT: .*document or a presentation/);
    // A header cut short: still refused, as a workbook.
    expect(code('book.csv', bytes(0x50, 0x4b, 0x03, 0x04))).toBe('UNSUPPORTED_EXCEL');
  });

  it('text under a spreadsheet name is read as text; binary under one is a workbook', () => {
    expect(detectFileKind('orders.xls', text('customer\tdate\tamount\nc1\t2024-01-01\t5\n'), 100)).toEqual({ kind: 'text', compression: 'none' });
    expect(detectFileKind('book.xlsx', text('a,b\n1,2\n'), 100)).toEqual({ kind: 'text', compression: 'none' });
    expect(code('book.xlsx', Uint8Array.from({ length: 512 }, (_, i) => (i * 37) % 32))).toBe('UNSUPPORTED_EXCEL');
    expect(code('book.numbers', Uint8Array.from({ length: 512 }, (_, i) => (i * 37) % 32))).toBe('UNSUPPORTED_EXCEL');
  });

  it("Excel's markup exports are told from web pages and XML documents", () => {
    const message = (name: string, content: string) => {
      try {
        detectFileKind(name, text(content), content.length);
      } catch (e) {
        return `${(e as ClvError).code}: ${(e as ClvError).message}`;
      }
      return 'accepted';
    };
    const table = '<tr><th>Customer</th><th>Date</th><th>Amount</th></tr><tr><td>C1</td><td>2023-01-05</td><td>12.50</td></tr>';
    expect(message('orders.xls', `<table border="1">${table}</table>`)).toMatch(/^UNSUPPORTED_FORMAT: "orders.xls" is an HTML table .*save it as CSV/);
    expect(message('orders.csv', `<html xmlns:x="urn:schemas-microsoft-com:office:excel"><body><table>${table}</table></body></html>`)).toMatch(/is an HTML table/);
    expect(message('orders.xls', `<!DOCTYPE html><html><body><table>${table}</table></body></html>`)).toMatch(/is an HTML table/);
    expect(message('book.xml', '<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"/>')).toMatch(/^UNSUPPORTED_EXCEL: "book.xml" is an Excel XML workbook/);
    // Near misses: a login page (even with a layout table) named .csv, and XML that is not Excel's.
    expect(message('orders.csv', '<!DOCTYPE html><html><body><table><tr><td>Sign in</td></tr></table></body></html>')).toMatch(/is a web page \(HTML\)/);
    expect(message('orders.xls', '<!DOCTYPE html><html><body><form>Sign in</form></body></html>')).toMatch(/is a web page \(HTML\)/);
    expect(message('feed.xml', '<?xml version="1.0"?><rss/>')).toMatch(/^UNSUPPORTED_FORMAT: .*is an XML document/);
  });
});
