import { describe, expect, it } from 'vitest';
import { ClvError } from '../../src/core/errors';
import { detectFileKind } from '../../src/core/source/fileKind';

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
    expect(code('book.xlsx', text('a,b\n1,2\n'))).toBe('UNSUPPORTED_EXCEL');
    expect(code('doc.csv', text('%PDF-1.7'))).toBe('UNSUPPORTED_FORMAT');
    expect(code('blob.csv', Uint8Array.from({ length: 512 }, (_, i) => (i * 37) % 32))).toBe('BINARY_FILE');
  });
});
