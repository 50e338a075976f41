import { ClvError } from '../errors';
import { decodeText, detectUnicodeEncoding, isValidUtf8, type TextEncoding } from './textEncoding';

/**
 * How a dropped file must be read, decided from its first bytes and its name. `encoding` is set
 * only for text that is not UTF-8.
 */
export type FileKind =
  | { kind: 'text'; compression: 'none' | 'gzip'; encoding?: Exclude<TextEncoding, 'utf-8'> }
  | { kind: 'parquet' }
  | { kind: 'json'; compression: 'none' | 'gzip'; encoding?: Exclude<TextEncoding, 'utf-8'> };

const startsWith = (head: Uint8Array, bytes: number[]) => bytes.every((b, i) => head[i] === b);

const IMAGE_SIGNATURES: { name: string; bytes: number[] }[] = [
  { name: 'PNG', bytes: [0x89, 0x50, 0x4e, 0x47] },
  { name: 'JPEG', bytes: [0xff, 0xd8, 0xff] },
  { name: 'GIF', bytes: [0x47, 0x49, 0x46, 0x38] },
  { name: 'WebP/RIFF', bytes: [0x52, 0x49, 0x46, 0x46] },
  { name: 'BMP', bytes: [0x42, 0x4d] },
];

/** Share of control bytes (other than tab/CR/LF) above which a file is not text. */
const BINARY_CONTROL_SHARE = 0.05;

export function detectFileKind(name: string, head: Uint8Array, size: number): FileKind {
  const lower = name.toLowerCase();
  if (size === 0 || head.length === 0) {
    throw new ClvError('EMPTY_FILE', `"${name}" is empty. Choose a file with a header row and at least one transaction.`);
  }
  if (startsWith(head, [0x50, 0x41, 0x52, 0x31])) return { kind: 'parquet' };
  if (startsWith(head, [0x1f, 0x8b])) {
    // Only the name tells compressed JSON from compressed CSV here; rawRelation also checks the
    // decompressed first line, so "data.gz" holding JSON lines is read as JSON as well.
    return /\.(json|ndjson|jsonl)\.gz$/.test(lower) ? { kind: 'json', compression: 'gzip' } : { kind: 'text', compression: 'gzip' };
  }
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) refuseZip(name, head);
  if (startsWith(head, [0xd0, 0xcf, 0x11, 0xe0])) {
    throw new ClvError('UNSUPPORTED_EXCEL', `"${name}" is an old Excel/Office file. Save it as CSV and drop that file.`);
  }
  for (const sig of IMAGE_SIGNATURES) {
    if (startsWith(head, sig.bytes)) {
      throw new ClvError('IMAGE_FILE', `"${name}" is a ${sig.name} image, not a table of transactions. Drop a CSV, TSV, Parquet or JSON file.`);
    }
  }
  if (startsWith(head, [0x25, 0x50, 0x44, 0x46])) {
    throw new ClvError('UNSUPPORTED_FORMAT', `"${name}" is a PDF. Export the transactions as CSV and drop that file.`);
  }
  const unicode = detectUnicodeEncoding(head);
  let encoding: TextEncoding = unicode ?? 'utf-8';
  if (unicode === null) {
    let control = 0;
    for (const b of head) if (b === 0 || (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d)) control++;
    if (control / head.length > BINARY_CONTROL_SHARE) {
      if (SPREADSHEET_NAME.test(lower)) throw workbookError(name);
      throw new ClvError('BINARY_FILE', `"${name}" looks like binary data, not text. Drop a CSV, TSV, Parquet or JSON file of transactions.`);
    }
    if (!isValidUtf8(head)) encoding = 'latin-1';
  }
  const start = decodeText(head.subarray(0, Math.min(head.length, 1024)), encoding).trimStart();
  rejectMarkup(name, start);
  const withEncoding = encoding === 'utf-8' ? {} : { encoding };
  if (start.startsWith('[') || start.startsWith('{') || /\.(json|ndjson|jsonl)$/.test(lower)) return { kind: 'json', compression: 'none', ...withEncoding };
  return { kind: 'text', compression: 'none', ...withEncoding };
}

/**
 * Spreadsheet names. Only a binary file under such a name is refused as a workbook: many web apps'
 * "Export to Excel" writes tab- or comma-separated text named .xls, which is read as the text it is.
 */
const SPREADSHEET_NAME = /\.(xlsx|xlsm|xls|ods|numbers)$/;

const workbookError = (name: string) =>
  new ClvError('UNSUPPORTED_EXCEL', `"${name}" is a spreadsheet workbook, which can't be read here. Save the sheet as CSV (File → Save As → CSV) and drop that file.`);

/** The name of a zip archive's first entry, from its local file header (null when the header is cut short or garbled). */
function firstZipEntry(head: Uint8Array): string | null {
  if (head.length < 30) return null;
  const length = head[26] | (head[27] << 8);
  if (length === 0 || 30 + length > head.length) return null;
  const utf8 = (head[7] & 0x08) !== 0;
  const entry = decodeText(head.subarray(30, 30 + length), utf8 || isValidUtf8(head.subarray(30, 30 + length)) ? 'utf-8' : 'latin-1');
  return /^[^\u0000-\u001f]+$/.test(entry) ? entry : null;
}

/**
 * A zip file: an Office or OpenDocument workbook or document (their parts are named in the first
 * bytes), or an archive of other files, such as the zipped CSV many platforms mail as an export.
 * Each is refused with what to do instead; the archive's message names the file it holds.
 */
function refuseZip(name: string, head: Uint8Array): never {
  const lower = name.toLowerCase();
  const parts = decodeText(head, 'latin-1');
  const first = firstZipEntry(head);
  if (/\.(docx|pptx|odt|odp)$/.test(lower) || /word\/|ppt\/|opendocument\.(text|presentation)/.test(parts)) {
    throw new ClvError('UNSUPPORTED_FORMAT', `"${name}" is a document or a presentation, not a table of transactions. Export the transactions as CSV and drop that file.`);
  }
  if (SPREADSHEET_NAME.test(lower) || /\[Content_Types\]\.xml|xl\/|opendocument\.spreadsheet|Index\/Document\.iwa/.test(parts) || first === null) throw workbookError(name);
  const inside = /\.(csv|tsv|txt|tab|json|jsonl|ndjson|parquet)(\.gz)?$/i.test(first) ? `the file "${first}"` : 'the CSV, TSV, Parquet or JSON file inside';
  throw new ClvError('UNSUPPORTED_FORMAT', `"${name}" is a zip archive (it holds "${first}"). Unzip it, then drop ${inside}.`);
}

/**
 * Markup under a table's name: an Excel 2003 XML workbook or an HTML table (what many web apps'
 * "Export to Excel" writes, often named .xls), or a web page or XML document (often a login or error
 * page a download link returned).
 */
function rejectMarkup(name: string, start: string): void {
  const lower = start.slice(0, 1024).toLowerCase();
  if (lower.startsWith('<?xml') && /urn:schemas-microsoft-com:office:spreadsheet|progid="excel\.sheet"/.test(lower)) {
    throw new ClvError('UNSUPPORTED_EXCEL', `"${name}" is an Excel XML workbook, which can't be read here. Open it in Excel, save the sheet as CSV (File → Save As → CSV) and drop that file.`);
  }
  const page = /^<!doctype html|^<html[\s>]|^<head[\s>]|^<body[\s>]/.test(lower) || (lower.startsWith('<') && /<html[\s>]/.test(lower));
  if (/^<(table|tr|thead|tbody)[\s>]/.test(lower) || (page && (/urn:schemas-microsoft-com:office:excel/.test(lower) || (SPREADSHEET_NAME.test(name.toLowerCase()) && /<table[\s>]/.test(lower))))) {
    throw new ClvError(
      'UNSUPPORTED_FORMAT',
      `"${name}" is an HTML table (what some "Export to Excel" buttons write), which can't be read here. Open it in a spreadsheet, save it as CSV and drop that file, or export the transactions as CSV.`,
    );
  }
  if (page) {
    throw new ClvError(
      'UNSUPPORTED_FORMAT',
      `"${name}" is a web page (HTML), not a transaction file: a download link often returns a login or error page. Download or export the transactions again as CSV.`,
    );
  }
  if (lower.startsWith('<?xml')) {
    throw new ClvError('UNSUPPORTED_FORMAT', `"${name}" is an XML document, not a table of transactions. Export the transactions as CSV and drop that file.`);
  }
}
