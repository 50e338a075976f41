import { describe, expect, it } from 'vitest';
import { joinRecords, parseDelimitedText } from '../../src/core/source/csvRecords';
import { splitNumberColumn } from '../../src/core/source/extraFields';
import { detectFileKind } from '../../src/core/source/fileKind';
import { decodeText, decodeWindows1252, detectUnicodeEncoding, isValidUtf8 } from '../../src/core/source/textEncoding';

const TEXT = 'customer_id,date,amount\nMüller,2024-01-05,12.50\n';

function utf16(text: string, bigEndian: boolean): Uint8Array {
  const out = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    const u = text.charCodeAt(i);
    out[2 * i + (bigEndian ? 1 : 0)] = u & 0xff;
    out[2 * i + (bigEndian ? 0 : 1)] = u >> 8;
  }
  return out;
}

describe('text encodings', () => {
  it('tells UTF-16/32 by byte-order mark and UTF-16 by its NUL bytes', () => {
    expect(detectUnicodeEncoding(Uint8Array.from([0xff, 0xfe, ...utf16(TEXT, false)]))).toBe('utf-16le');
    expect(detectUnicodeEncoding(Uint8Array.from([0xfe, 0xff, ...utf16(TEXT, true)]))).toBe('utf-16be');
    expect(detectUnicodeEncoding(utf16(TEXT, false))).toBe('utf-16le');
    expect(detectUnicodeEncoding(utf16(TEXT, true))).toBe('utf-16be');
    expect(detectUnicodeEncoding(Uint8Array.from([0xff, 0xfe, 0, 0, 0x41, 0, 0, 0]))).toBe('utf-32le');
    expect(detectUnicodeEncoding(new TextEncoder().encode(TEXT))).toBeNull();
  });

  it('reads 8-bit text as Windows-1252: € and curly quotes at 0x80–0x9F, Latin-1 elsewhere', () => {
    // The code chart of Windows-1252 (0x80 €, 0x84 „, 0x85 …, 0x8C Œ, 0x93 “, 0x94 ”, 0x96 –, 0x99 ™, 0x9F Ÿ; 0x81 unassigned).
    const bytes = Uint8Array.from([0x80, 0x84, 0x85, 0x8c, 0x93, 0x94, 0x96, 0x99, 0x9f, 0x81, 0xa0, 0xe9, 0xfc, 0x41]);
    expect(decodeWindows1252(bytes)).toBe('\u20ac\u201e\u2026\u0152\u201c\u201d\u2013\u2122\u0178\u0081\u00a0\u00e9\u00fc\u0041');
    expect(decodeText(bytes, 'latin-1')).toBe(decodeWindows1252(bytes));
    // Longer than one chunk.
    const long = new Uint8Array(20_000).fill(0x80);
    expect(decodeWindows1252(long)).toBe('\u20ac'.repeat(20_000));
  });

  it('decodes each back to the same text', () => {
    expect(decodeText(Uint8Array.from([0xfe, 0xff, ...utf16(TEXT, true)]), 'utf-16be')).toBe(TEXT);
    const points = [...TEXT].map((c) => c.codePointAt(0)!);
    const utf32 = new Uint8Array(4 + points.length * 4);
    utf32.set([0xff, 0xfe, 0, 0]);
    points.forEach((p, i) => new DataView(utf32.buffer).setUint32(4 + 4 * i, p, true));
    expect(decodeText(utf32, 'utf-32le')).toBe(TEXT);
    const latin1 = Uint8Array.from([...TEXT].map((c) => c.charCodeAt(0)));
    expect(isValidUtf8(latin1)).toBe(false);
    expect(decodeText(latin1, 'latin-1')).toBe(TEXT);
  });

  it('a character cut by the end of the sample is still valid UTF-8', () => {
    const bytes = new TextEncoder().encode('ab€');
    expect(isValidUtf8(bytes.subarray(0, bytes.length - 1))).toBe(true);
  });

  it('file kinds: UTF-16 is text (not binary), Latin-1 is text, HTML and XML are refused by name', () => {
    expect(detectFileKind('a.csv', utf16(TEXT, false), 100)).toEqual({ kind: 'text', compression: 'none', encoding: 'utf-16le' });
    expect(detectFileKind('a.csv', Uint8Array.from([...TEXT].map((c) => c.charCodeAt(0))), 100)).toEqual({ kind: 'text', compression: 'none', encoding: 'latin-1' });
    expect(() => detectFileKind('a.csv', new TextEncoder().encode('<!DOCTYPE html><html><body>Sign in</body></html>'), 100)).toThrow(/web page/);
    expect(() => detectFileKind('a.csv', new TextEncoder().encode('<?xml version="1.0"?><a/>'), 100)).toThrow(/XML/);
  });
});

describe('records of delimited text', () => {
  it('joins the lines of a quoted field that holds line breaks', () => {
    const lines = ['id,note,amount', '1,"first', 'second, with comma",3', '2,plain,4'];
    const records = joinRecords(lines, ',');
    expect(records.map((r) => [r.text, r.lines, r.firstLine, r.open])).toEqual([
      ['id,note,amount', 1, 1, false],
      ['1,"first\nsecond, with comma",3', 2, 2, false],
      ['2,plain,4', 1, 4, false],
    ]);
  });

  it('a quote inside an unquoted field opens nothing; an unclosed one stays open', () => {
    expect(joinRecords(['a,5" screen,3', 'b,x,4'], ',').map((r) => r.lines)).toEqual([1, 1]);
    expect(joinRecords(['a,"never closed,3', 'b,x,4'], ',').at(-1)!.open).toBe(true);
  });

  it('parses quotes, doubled quotes, CRLF, CR and blank lines', () => {
    expect(parseDelimitedText('a;b\r\n"x;1";"say ""hi"""\r\n\r\n2;"multi\nline"\r3;4', ';')).toEqual([
      ['a', 'b'],
      ['x;1', 'say "hi"'],
      ['2', 'multi\nline'],
      ['3', '4'],
    ]);
  });
});

describe('rows with more fields than the header', () => {
  it('every row splitting the same column at a thousands separator is recognised', () => {
    const rows = [
      ['c005', '2023-04-14', '2', '233.79'],
      ['c009', '2023-05-01', '-1', '000'],
    ];
    expect(splitNumberColumn(rows, ',')).toEqual({ column: 2, example: '2,233.79' });
  });

  it('rows that split differently, or not like a number, are not', () => {
    expect(splitNumberColumn([['c1', '2023-04-14', '2', '233.79'], ['c2', '1', '234', '2023-01-01']], ',')).toBeNull();
    expect(splitNumberColumn([['c1', '2023-04-14', '12.5', 'gift']], ',')).toBeNull();
  });
});
