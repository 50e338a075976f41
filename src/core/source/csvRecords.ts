import type { Delimiter } from './textLayout';

/** A logical record of delimited text and the physical (non-blank) lines it spans. */
export interface TextRecord {
  text: string;
  lines: number;
  /** 1-based number of its first line among the lines given. */
  firstLine: number;
  /** Still inside a quoted field where the lines ran out. */
  open: boolean;
}

/**
 * Whether a record is still inside a quoted field at its end, reading fields as DuckDB does: a
 * quote opens a field only at its start, and "" inside a quoted field is a literal quote.
 */
function endsInsideQuotes(text: string, delimiter: Delimiter): boolean {
  let quoted = false;
  let fieldStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"' && fieldStart) {
      quoted = true;
      fieldStart = false;
    } else if (c === delimiter || c === '\n') fieldStart = true;
    else if (c !== ' ') fieldStart = false;
  }
  return quoted;
}

/** Most physical lines one record may span: a longer one is a quote that is never closed. */
export const MAX_LINES_PER_RECORD = 50;

/**
 * Joins physical lines into records where a quoted field holds line breaks (a note, an address).
 * Whitespace-separated text has no quoting.
 */
export function joinRecords(lines: readonly string[], delimiter: Delimiter): TextRecord[] {
  if (delimiter === 'whitespace') return lines.map((text, i) => ({ text, lines: 1, firstLine: i + 1, open: false }));
  const records: TextRecord[] = [];
  for (let i = 0; i < lines.length; i++) {
    const firstLine = i + 1;
    let text = lines[i];
    let span = 1;
    let open = endsInsideQuotes(text, delimiter);
    while (open && i + 1 < lines.length && span < MAX_LINES_PER_RECORD) {
      i++;
      span++;
      text += `\n${lines[i]}`;
      open = endsInsideQuotes(text, delimiter);
    }
    records.push({ text, lines: span, firstLine, open });
  }
  return records;
}

/**
 * Splits a whole decoded text into records of fields (RFC 4180 quoting, CRLF/LF/CR line ends,
 * blank lines skipped): the reader for text DuckDB cannot decode itself (UTF-16BE, UTF-32).
 */
export function parseDelimitedText(text: string, delimiter: Delimiter): string[][] {
  if (delimiter === 'whitespace') {
    return text
      .split(/\r\n|\n|\r/)
      .filter((l) => l.trim() !== '')
      .map((l) => l.trim().split(/\s+/));
  }
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let fieldStart = true;
  const endRecord = () => {
    record.push(field);
    if (record.length > 1 || record[0].trim() !== '') records.push(record);
    record = [];
    field = '';
    fieldStart = true;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && fieldStart && field.trim() === '') {
      quoted = true;
      field = '';
      fieldStart = false;
    } else if (c === delimiter) {
      record.push(field);
      field = '';
      fieldStart = true;
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRecord();
    } else {
      field += c;
      if (c !== ' ') fieldStart = false;
    }
  }
  if (field !== '' || record.length > 0) endRecord();
  return records;
}
