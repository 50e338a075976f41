import { datevHeader, type DatevHeader } from './datevHeader';

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
  /**
   * Where a group header row ("Net,,Gross," merged cells over "Amount,Tax,Amount,Tax") sits above
   * the header: each header column's group, a blank cell taking the group on its left. The group
   * row is counted in `skip`; the names tell apart header names that repeat.
   */
  groups?: string[];
  /** The first line is DATEV's export header (datevHeader.ts), skipped: its period, where the postings' day-and-month dates get their year. */
  datev?: DatevHeader;
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
 * Leading lines with at most one filled cell (two above a table of six columns or more: a
 * "Start date,Jan 01, 2022" note) above a table of two or more columns that starts with
 * a header row, or a group header row (detectGroupRow): a report title, an export note ("Exported
 * 2024-05-01", "Sales report,,,"). A header line with several names is never skipped here; nor is
 * anything above a headerless table, where a sparse first line ("a,,,") is a data row to report as
 * rejected, not to drop.
 */
export function detectPreamble(lines: string[], delimiter: Delimiter): number {
  const rows = lines.filter((l) => l.trim() !== '');
  // A title (one cell), or a "Start date,Jan 01, 2022" note (two) above a table at least three times as wide (eBay's Transaction report).
  const widest = Math.max(...rows.slice(0, MAX_PREAMBLE_LINES + 5).map((l) => filledCells(l, delimiter)));
  const note = (line: string) => filledCells(line, delimiter) <= (widest >= 6 ? 2 : 1);
  let skip = 0;
  while (skip < Math.min(MAX_PREAMBLE_LINES, rows.length - 1) && note(rows[skip])) skip++;
  if (skip === 0) return 0;
  const below = rows.slice(skip).map((l) => filledCells(l, delimiter));
  // Most lines below are the table's: a report grouped by customer (Xero's Receivable Invoice Detail, QuickBooks'
  // Sales by Customer Detail) writes each group's name alone on a heading line, at most one line in three.
  const tableLike = below.filter((n) => n >= 2).length / below.length >= 2 / 3;
  const table = rows.slice(skip);
  return tableLike && (detectHeader(table, delimiter) || detectGroupRow(table, delimiter) !== null) ? skip : 0;
}

/** What a data row holds where a value is missing: never a column's name. */
const MISSING_LIKE = /^(n\/?a|#n\/a|null|none|nil|nan|unknown|tbd|-+|\?+)$/i;

/**
 * A group header row: a spreadsheet report's merged cells above its header, exported as one filled
 * cell and blanks ("Customer,,Invoice,,Amounts,"). Taken as the header, it names the wrong columns
 * and turns the real header into a rejected row. Recognised at the top of the lines: names only,
 * a blank within the header's width, directly above a line of names without blanks that heads a
 * column of values below. A header with a blank name above a first data row of text is not one:
 * such a row repeats in its column below (a repeat customer's id), holds a placeholder ("n/a") over
 * a column of values, or names a column twice in a group. Returns each header column's group
 * (blanks carry the name on their left; blank before the first group), or null.
 */
export function detectGroupRow(lines: string[], delimiter: Delimiter): string[] | null {
  // Whitespace splitting drops blank cells, so cells no longer line up with columns.
  if (delimiter === 'whitespace') return null;
  const nonBlank = lines.filter((l) => l.trim() !== '');
  if (nonBlank.length < 3) return null;
  const [top, header, ...data] = nonBlank.map((l) => splitLine(l, delimiter).map((c) => c.trim()));
  const width = filledCells(nonBlank[1], delimiter);
  const names = header.slice(0, width);
  if (width < 2 || filledCells(nonBlank[0], delimiter) > width || names.some((c) => c === '' || looksLikeValue(c))) return null;
  const cells = names.map((_, j) => top[j] ?? '');
  if (cells.every((c) => c === '') || !cells.some((c) => c === '') || cells.some((c) => c !== '' && looksLikeValue(c))) return null;
  const valueColumns = names.flatMap((_, j) => {
    const column = data.map((r) => r[j] ?? '').filter((c) => c !== '');
    return column.length > 0 && column.filter(looksLikeValue).length / column.length >= 0.8 ? [j] : [];
  });
  if (valueColumns.length === 0 || valueColumns.some((j) => MISSING_LIKE.test(names[j]))) return null;
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  // A report repeats its heading on every page: those rows are no data.
  const heading = (r: string[]) => names.every((c, j) => same(r[j] ?? '', c)) || cells.every((c, j) => same(r[j] ?? '', c));
  if (data.some((r) => !heading(r) && names.some((c, j) => same(r[j] ?? '', c)))) return null;
  const groups: string[] = [];
  for (const c of cells) groups.push(c !== '' ? c : (groups.at(-1) ?? ''));
  const keys = new Set(names.map((c, j) => `${groups[j].toLowerCase()}\u0000${c.toLowerCase()}`));
  return keys.size === width ? groups : null;
}

export function detectTextLayout(lines: string[]): TextLayout {
  const datev = lines.length > 1 ? datevHeader(lines.find((l) => l.trim() !== '') ?? '') : null;
  if (datev) {
    // Below DATEV's header line, the column names and the postings: a table of its own.
    const below = detectTextLayout(lines.slice(lines.findIndex((l) => l.trim() !== '') + 1));
    return { ...below, skip: below.skip + 1, datev };
  }
  const rows = lines.filter((l) => l.trim() !== '');
  let { delimiter, fieldCount } = detectDelimiter(rows);
  const preamble = detectPreamble(rows, delimiter);
  // The title line may have misled the delimiter vote on a short file: vote again without it.
  if (preamble > 0) ({ delimiter, fieldCount } = detectDelimiter(rows.slice(preamble)));
  const groups = detectGroupRow(rows.slice(preamble), delimiter);
  const skip = preamble + (groups ? 1 : 0);
  return { delimiter, fieldCount, header: detectHeader(rows.slice(skip), delimiter), skip, ...(groups && { groups }) };
}
