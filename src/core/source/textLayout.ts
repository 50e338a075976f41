/**
 * Delimiter and header detection for delimited text, from the first lines of the file.
 * Whitespace-padded files (like CDNOW) split on runs of spaces; everything else on one character.
 */
export type Delimiter = ',' | ';' | '\t' | '|' | 'whitespace';

export interface TextLayout {
  delimiter: Delimiter;
  header: boolean;
  fieldCount: number;
  /** Non-blank lines above the table (a title such as "Sales export,,,") that are skipped. */
  skip: number;
}

export const CHAR_DELIMITERS: Delimiter[] = ['\t', ';', ',', '|'];

export function splitLine(line: string, delimiter: Delimiter): string[] {
  if (delimiter === 'whitespace') {
    const t = line.trim();
    return t === '' ? [] : t.split(/\s+/);
  }
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"' && cur.trim() === '') {
      quoted = true;
      cur = '';
    } else if (c === delimiter) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

/** How consistently lines split into the same number (> 1) of fields. */
export function consistency(lines: string[], delimiter: Delimiter): { share: number; fields: number } {
  const counts = new Map<number, number>();
  for (const line of lines) {
    const n = splitLine(line, delimiter).length;
    counts.set(n, (counts.get(n) ?? 0) + 1);
  }
  let best = 0;
  let bestCount = 0;
  for (const [n, c] of counts) if (c > bestCount || (c === bestCount && n > best)) [best, bestCount] = [n, c];
  return { share: best > 1 ? bestCount / lines.length : 0, fields: best };
}

export function detectDelimiter(lines: string[]): { delimiter: Delimiter; fieldCount: number } {
  const nonEmpty = lines.filter((l) => l.trim() !== '');
  let best: { delimiter: Delimiter; share: number; fields: number } = { delimiter: ',', share: 0, fields: 1 };
  for (const d of CHAR_DELIMITERS) {
    const c = consistency(nonEmpty, d);
    if (c.share > best.share + 1e-9 || (Math.abs(c.share - best.share) < 1e-9 && c.fields > best.fields)) {
      best = { delimiter: d, ...c };
    }
  }
  // Whitespace wins only when no single character splits the lines consistently.
  if (best.share < 0.9) {
    const ws = consistency(nonEmpty, 'whitespace');
    if (ws.share > best.share) best = { delimiter: 'whitespace', ...ws };
  }
  return { delimiter: best.delimiter, fieldCount: Math.max(best.fields, 1) };
}

const NUMBER_LIKE = /^[\s(]*[-+]?[^\d\s,.-]{0,3}\s*[-+]?\d[\d\s.,']*\)?\s*[^\d\s]{0,3}$/;
const DATE_LIKE = /^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}([ T].*)?$/;

/** True when the cell looks like data (a number or a date) rather than a column name. */
export function looksLikeValue(cell: string): boolean {
  const t = cell.trim();
  return NUMBER_LIKE.test(t) || DATE_LIKE.test(t);
}

/**
 * A first line is a header when some column holds values below but a non-value on top, or when
 * every cell of the first line is a distinct name and the rest of the file disagrees with it somewhere.
 */
export function detectHeader(lines: string[], delimiter: Delimiter): boolean {
  const rows = lines.filter((l) => l.trim() !== '').map((l) => splitLine(l, delimiter));
  if (rows.length === 0) return false;
  const [first, ...rest] = rows;
  if (rest.length === 0) return first.every((c) => !looksLikeValue(c) && c.trim() !== '');
  for (let j = 0; j < first.length; j++) {
    const column = rest.map((r) => r[j] ?? '').filter((c) => c.trim() !== '');
    if (column.length === 0) continue;
    const valueShare = column.filter(looksLikeValue).length / column.length;
    if (!looksLikeValue(first[j] ?? '') && valueShare >= 0.8) return true;
  }
  const distinct = new Set(first.map((c) => c.trim().toLowerCase()));
  const allNames = first.every((c) => c.trim() !== '' && !looksLikeValue(c)) && distinct.size === first.length;
  if (!allNames) return false;
  // All-text files: a header repeats nowhere below it.
  return rest.every((r) => r.some((c, j) => c.trim().toLowerCase() !== (first[j] ?? '').trim().toLowerCase()))
    && first.some((c, j) => rest.every((r) => (r[j] ?? '').trim() !== c.trim()));
}

/** Cells up to the last non-empty one: spreadsheet exports pad every row to the widest row. */
function filledCells(line: string, delimiter: Delimiter): number {
  const cells = splitLine(line, delimiter);
  let n = cells.length;
  while (n > 0 && cells[n - 1].trim() === '') n--;
  return n;
}

const MAX_PREAMBLE_LINES = 10;

/**
 * Leading lines with at most one filled cell above a table of two or more columns that starts with
 * a header row: a report title, an export note ("Exported 2024-05-01", "Sales report,,,"). A header
 * line with several names is never skipped; nor is anything above a headerless table, where a
 * sparse first line ("a,,,") is a data row to report as rejected, not to drop.
 */
export function detectPreamble(lines: string[], delimiter: Delimiter): number {
  const rows = lines.filter((l) => l.trim() !== '');
  let skip = 0;
  while (skip < Math.min(MAX_PREAMBLE_LINES, rows.length - 1) && filledCells(rows[skip], delimiter) <= 1) skip++;
  if (skip === 0) return 0;
  const below = rows.slice(skip).map((l) => filledCells(l, delimiter));
  const tableLike = below.filter((n) => n >= 2).length / below.length >= 0.9;
  return tableLike && detectHeader(rows.slice(skip), delimiter) ? skip : 0;
}

export function detectTextLayout(lines: string[]): TextLayout {
  const rows = lines.filter((l) => l.trim() !== '');
  let { delimiter, fieldCount } = detectDelimiter(rows);
  const skip = detectPreamble(rows, delimiter);
  // The title line may have misled the delimiter vote on a short file: vote again without it.
  if (skip > 0) ({ delimiter, fieldCount } = detectDelimiter(rows.slice(skip)));
  return { delimiter, fieldCount, header: detectHeader(rows.slice(skip), delimiter), skip };
}
