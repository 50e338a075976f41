import { ClvError } from '../errors';

/**
 * A read error from DuckDB (or the file system) as a sentence a user can act on. The engine's own
 * text (its error class, internal upload names, /tmp paths, SQL) never reaches the message; only
 * a line number it reports is kept.
 */
export function readFailure(fileName: string, error: unknown): ClvError {
  if (error instanceof ClvError) return error;
  const text = error instanceof Error ? error.message : String(error);
  const line = /CSV Error on Line:\s*(\d+)/i.exec(text)?.[1];
  const where = line ? ` (around line ${line})` : '';
  if (/EISDIR|is a directory/i.test(text)) {
    return new ClvError('BAD_ARGUMENT', `"${fileName}" is a folder, not a file. Choose the transaction file inside it.`);
  }
  if (/No files found|Cannot open file|ENOENT|does not exist|could not be opened|Permission denied|EACCES/i.test(text)) {
    return new ClvError('BAD_ARGUMENT', `"${fileName}" could not be opened. Check that the file exists and can be read, and choose it again.`);
  }
  if (/not latin-1 encoded/i.test(text)) {
    return new ClvError(
      'UNSUPPORTED_ENCODING',
      `"${fileName}" is Windows-1252 text (€, curly quotes or dashes written as single bytes) too large or compressed to convert here. Save it as UTF-8 CSV and try again.`,
    );
  }
  if (/unicode|utf-?8|encoding/i.test(text)) {
    return new ClvError(
      'UNSUPPORTED_ENCODING',
      `"${fileName}" is not UTF-8 text${where} (it looks like Latin-1/Windows-1252). Save it as UTF-8 and try again.`,
    );
  }
  if (/out of memory|allocation fail|memory limit/i.test(text)) {
    return new ClvError('FILE_TOO_LARGE', `"${fileName}" is too large (or too wide) to read in the memory available here. Keep only the columns you need, or split the file, and try again.`);
  }
  if (/gzip|zlib|decompress|compressed/i.test(text)) {
    return new ClvError('INCOMPLETE_FILE', `"${fileName}" is incomplete: the compressed stream ends early (or is damaged). Download or copy the file again.`);
  }
  if (/maximum line size|line size/i.test(text)) {
    return new ClvError('MALFORMED_FILE', `"${fileName}" has a line too long to be a row of a table${where}, often a quote that is never closed. Check the file, or export it again as CSV.`);
  }
  if (/quote|unterminated/i.test(text)) {
    return new ClvError('MALFORMED_FILE', `"${fileName}" has a quoted field that is never closed${where}. Check the quotes in the file, or export it again as CSV.`);
  }
  return new ClvError('MALFORMED_FILE', `"${fileName}" could not be read as a table${where}. Check that it is a CSV, TSV, Parquet or JSON file of transactions, or export it again.`);
}
