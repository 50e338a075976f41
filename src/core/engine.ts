import type { Row, SqlDb } from './db';
import { ClvError } from './errors';
import { buildRejected, buildTransactions, customerDaysHoldEveryValidRow, DEFAULT_CLEANING, defaultDateWindow, REJECT_REASONS, removesDuplicates, stageRows, type CleaningOptions } from './clean/staging';
import { checkIntegralIds, type IntegralIdCheck } from './clean/customerIds';
import { foldEmailCase } from './clean/emailIds';
import { settleRepeatedTotals, type RepeatedTotals } from './clean/repeatedTotals';
import { currencySource, settleCurrencies, type CurrencyReport } from './clean/currencies';
import { kindShape } from './clean/ledger';
import { findAccountOwner, type AccountOwner } from './clean/accountOwner';
import { refuseCustomerSummary } from './clean/customerSummary';
import { refuseDatevDates } from './clean/datevDates';
import { refusePaymentCredits, refuseSignedLedger } from './clean/ledgerCredits';
import { wholeAmountRows } from './clean/wholeAmounts';
import { ordersWithIdenticalLines } from './clean/identicalLines';
import { refuseScientificIds } from './clean/spreadsheetIds';
import { zeroPaddedTwins } from './clean/zeroPaddedIds';
import { PLAIN_KINDS, type KindShape } from './mapping/transactionKinds';
import { surveyStatuses, type StatusSurvey } from './clean/statusSurvey';
import { excessRejections, tooManyRejects } from './clean/rejectionGuard';
import { ambiguousDates } from './mapping/ambiguousDates';
import { ambiguousDecimal } from './mapping/ambiguousDecimal';
import { settleFromWholeFile } from './mapping/wholeFileEvidence';
import { describeDateFormat } from './mapping/dateFormatWords';
import { qualityReport, type QualityReport } from './clean/qualityReport';
import { annotateQuality } from './clean/loadNotes';
import { guessMapping, type ColumnMapping, type ColumnSample } from './mapping/roles';
import { isNumericType } from './mapping/amountFormat';
import { detectFileKind, type FileKind } from './source/fileKind';
import { EXTRA_COLUMN, rawRelation, ROW_COLUMN, type RawRelation } from './source/rawRelation';
import { readFailure } from './source/readFailure';
import { extraFieldsNote } from './source/extraFields';
import { wideFileColumns } from './source/wideFile';
import { encodingName, type TextEncoding } from './source/textEncoding';
import type { TextLayout } from './source/textLayout';
import type { ByteSource } from './source/importedTable';
import { buildCustomerStats, CUSTOMER_LOG_SPEND, CUSTOMER_STATS, keepLogSpend, LOG_SPEND_COLUMNS } from './tables/customerStats';
import { buildFeatures, type FeatureTableInfo } from './tables/features';
import { defaultPeriod, validatePeriod, type Period, type TimeUnit } from './tables/period';
import { customerSequences, type CustomerSequences } from './tables/sequences';
import { checkSequenceHistory, engineSequenceLayout, sequenceHistoryDays, type SequenceLayout } from './tables/sequenceLayout';
import { buildRfm } from './tables/rfm';
import { buildVisitante, DEFAULT_VISITANTE, type VisitanteOptions } from './tables/visitante';
import { ident, num } from './sql';
import { TARGET_NAMES } from './featureNames';

/** A file as the engine sees it: a name DuckDB can read, and its first bytes for sniffing. */
export interface SourceFile {
  fileName: string;
  /** Path or registered name that DuckDB's readers accept. */
  path: string;
  head: Uint8Array;
  size: number;
  /** Random access to the bytes, needed for the formats read in JavaScript (Parquet, JSON). */
  bytes?: ByteSource;
}

export interface Inspection {
  fileName: string;
  format: string;
  layout: TextLayout | null;
  columns: { name: string; type: string }[];
  /** Columns in the file when it is too wide to offer them all (`columns` then lists those read). */
  totalColumns?: number;
  preview: Record<string, string | null>[];
  mapping: ColumnMapping;
}

export interface LoadResult {
  quality: QualityReport;
  period: Period;
}

export interface BuildOptions {
  period: Period;
  unit: TimeUnit;
  visitante: VisitanteOptions;
}

export interface BuildResult {
  period: Period;
  unit: TimeUnit;
  rfmCustomers: number;
  features: FeatureTableInfo;
}

export interface ModelInputs {
  customerIds: string[];
  featureNames: string[];
  X: Float32Array;
  holdoutSpend: Float64Array | null;
  holdoutOrders: Float64Array | null;
  btyd: { frequency: Float64Array; recency: Float64Array; T: Float64Array; monetary: Float64Array; logSpend: { days: Float64Array; mean: Float64Array; squares: Float64Array } };
  visitanteScore: Float64Array;
  unit: TimeUnit;
  period: Period;
}

/** Where a long load or build is: reported before each step starts. */
export interface EngineStep {
  phase: 'load' | 'build';
  step: EngineStepName;
  /** 1-based position of the step in its phase. */
  index: number;
  total: number;
}

export const LOAD_STEPS = ['parse', 'purchases', 'quality', 'rejected'] as const;
export const BUILD_STEPS = ['customers', 'rfm', 'features', 'visitante'] as const;
export type EngineStepName = (typeof LOAD_STEPS)[number] | (typeof BUILD_STEPS)[number];

export type EngineStepListener = (step: EngineStep) => void;

export interface CustomerTableData {
  customerIds: string[];
  featureNames: string[];
  X: Float32Array;
  target: Float64Array;
}

export const ENGINE_TABLES = ['rfm', 'features', 'visitante', 'transactions', 'rejected'] as const;
export type EngineTable = (typeof ENGINE_TABLES)[number];

/** The tables are stored unsorted (sorting every row at build time costs more than sorting a page); this is the order readers see. */
export const NATURAL_ORDER: Record<EngineTable, string> = {
  rfm: 'customer_id',
  features: 'customer_id',
  visitante: 'score DESC, customer_id',
  transactions: 'row_id',
  rejected: 'line',
};

const SAMPLE_ROWS = 1000;
const PREVIEW_ROWS = 20;
const MIN_CUSTOMERS = 2;

function describeFormat(kind: FileKind, layout: TextLayout | null, encoding: TextEncoding, rowsField?: string): string {
  const charset = encoding === 'utf-8' ? '' : `, ${encodingName(encoding)}`;
  const inside = rowsField === undefined ? '' : `, the rows of "${rowsField}"`;
  if (kind.kind !== 'text') return `${kind.kind}${inside}${charset}`;
  // Compressed text whose content turned out to be JSON has no delimited layout.
  if (layout === null) return `json${inside}`;
  const names: Record<string, string> = { ',': 'CSV', ';': 'semicolon-separated', '\t': 'TSV', '|': 'pipe-separated', whitespace: 'whitespace-separated' };
  return `${names[layout.delimiter]}${kind.compression === 'gzip' ? ' (gzip)' : ''}${layout.header ? '' : ', no header'}${charset}`;
}

function asText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.toISOString();
  return String(v);
}

/** Turns DuckDB's own read errors into a sentence a user can act on (never the engine's text). */
function readError(fileName: string, error: unknown): ClvError {
  return readFailure(fileName, error);
}

/**
 * The data engine: one loaded file at a time, from sniffing to the rfm/features/visitante tables.
 * Holds no rows itself; everything lives in DuckDB.
 */
export class DataEngine {
  private raw: RawRelation | null = null;
  private inspection: Inspection | null = null;
  private samples: ColumnSample[] = [];
  private mapping: ColumnMapping | null = null;
  private loaded: LoadResult | null = null;
  private built: BuildResult | null = null;

  constructor(private readonly db: SqlDb) {}

  private announce(listener: EngineStepListener | undefined, phase: EngineStep['phase'], step: EngineStepName): void {
    const steps: readonly EngineStepName[] = phase === 'load' ? LOAD_STEPS : BUILD_STEPS;
    listener?.({ phase, step, index: steps.indexOf(step) + 1, total: steps.length });
  }

  async inspect(file: SourceFile): Promise<Inspection> {
    this.reset();
    const kind = detectFileKind(file.fileName, file.head, file.size);
    let raw: RawRelation;
    let rows: Row[];
    let described: Row[];
    // A very wide file is read only in the columns it offers (see wideFileColumns).
    let offered: string[] | null = null;
    try {
      raw = await rawRelation(this.db, file.path, kind, file.fileName, file.bytes);
      const { params } = raw;
      offered = wideFileColumns(raw);
      const projection = offered ? [ROW_COLUMN, ...offered].map((n) => ident(n)).join(', ') : '*';
      const look = async (sql: string) =>
        [await this.db.query(`DESCRIBE SELECT ${projection} FROM (${sql})`, params), await this.db.query(`SELECT ${projection} FROM (${sql}) LIMIT ${SAMPLE_ROWS}`, params)] as const;
      // The small-buffer read fails on a line longer than its buffer; the full read then decides.
      [described, rows] = await look(raw.sampleSql).catch(() => look(raw.sql));
    } catch (error) {
      throw readError(file.fileName, error);
    }
    const columns = described
      .map((r) => ({ name: String(r.column_name), type: String(r.column_type) }))
      .filter((c) => c.name !== ROW_COLUMN && c.name !== EXTRA_COLUMN);
    if (rows.length === 0) {
      throw new ClvError(raw.layout?.header ? 'HEADER_ONLY' : 'EMPTY_FILE', `"${file.fileName}" has no transactions${raw.layout?.header ? ' below its header row' : ''}. Add the data rows and try again.`);
    }
    this.samples = columns.map((c) => ({
      name: c.name,
      type: c.type,
      values: rows.map((r) => asText(r[c.name])).filter((v): v is string => v !== null),
    }));
    this.raw = raw;
    try {
      this.mapping = await settleFromWholeFile(this.db, raw, this.samples, guessMapping(this.samples));
    } catch (error) {
      throw readError(file.fileName, error);
    }
    this.inspection = {
      fileName: file.fileName,
      format: describeFormat(kind, raw.layout, raw.encoding, raw.rowsField),
      layout: raw.layout,
      columns,
      ...(offered ? { totalColumns: raw.names.length } : {}),
      preview: rows.slice(0, PREVIEW_ROWS).map((r) => Object.fromEntries(columns.map((c) => [c.name, asText(r[c.name])]))),
      mapping: this.mapping,
    };
    return this.inspection;
  }

  /** Parses and cleans with the given mapping; returns the quality report and a default period. */
  async load(mapping: ColumnMapping, cleaning: CleaningOptions = DEFAULT_CLEANING, onStep?: EngineStepListener): Promise<LoadResult> {
    if (!this.raw || !this.inspection) throw new ClvError('NO_DATA_LOADED', 'No file is open. Open a transaction file first.');
    this.loaded = null;
    this.built = null;
    if (mapping.dateFormatAmbiguous) throw ambiguousDates(mapping);
    if (this.raw.layout?.datev) refuseDatevDates(this.raw.layout.datev, mapping, this.samples);
    if (mapping.decimalSeparatorAmbiguous) throw ambiguousDecimal(mapping);
    this.announce(onStep, 'load', 'parse');
    const dateWindow = cleaning.dateWindow ?? defaultDateWindow();
    let ids: IntegralIdCheck;
    let currencies: CurrencyReport | null;
    let kinds: KindShape = PLAIN_KINDS;
    let wholeAmounts = 0;
    let statuses: StatusSurvey | null = null;
    let emailsMerged = 0;
    let paddingTwins = 0;
    let totals: RepeatedTotals | null = null;
    let accountOwner: AccountOwner | null = null;
    try {
      await refuseScientificIds(this.db, this.raw, this.samples.find((c) => c.name === mapping.customer));
      await refuseCustomerSummary(this.db, this.raw, this.samples, mapping);
      ids = await checkIntegralIds(this.db, this.raw, this.samples.find((c) => c.name === mapping.customer));
      kinds = await kindShape(this.db, this.raw, mapping, this.samples);
      statuses = await surveyStatuses(this.db, this.raw, mapping, this.samples);
      accountOwner = await findAccountOwner(this.db, this.raw, mapping, this.samples);
      await stageRows(this.db, this.raw, this.samples, mapping, { integralIds: ids.integralIds, dateWindow, kinds, wonOnly: statuses?.wonOnly ?? false, quotations: statuses?.salesOrders ?? false, invoices: statuses?.invoices ?? null, ledgerDigits: this.raw.layout?.datev?.ledgerDigits ?? null, accountOwner });
      await refusePaymentCredits(this.db, mapping, kinds);
      await refuseSignedLedger(this.db, mapping, cleaning.returns, this.samples.map((c) => c.name));
      emailsMerged = ids.integralIds ? 0 : await foldEmailCase(this.db);
      // One pass more only when the sampled ids include a zero-padded number (ERP ids like "00000936").
      const idSample = this.samples.find((c) => c.name === mapping.customer);
      paddingTwins = idSample?.values.some((v) => /^\s*0\d+\s*$/.test(v)) ? await zeroPaddedTwins(this.db) : 0;
      currencies = await settleCurrencies(this.db, currencySource(mapping, this.samples), cleaning.currency);
      wholeAmounts = await wholeAmountRows(this.db, currencySource(mapping, this.samples)?.kind === 'column', mapping.amountMinorUnits === true);
      totals = await settleRepeatedTotals(this.db, mapping.order !== null, mapping.amount);
    } catch (error) {
      if (error instanceof ClvError) throw error;
      throw readError(this.inspection.fileName, error);
    }
    const dedupe = removesDuplicates(cleaning, mapping);
    // The automatic policy removes exact duplicates by the order id; where orders hold identical lines beside single ones, that is said.
    const identicalLines = dedupe && cleaning.duplicates === 'auto' ? await ordersWithIdenticalLines(this.db) : 0;
    this.announce(onStep, 'load', 'purchases');
    await buildTransactions(this.db, cleaning, dedupe, mapping);
    this.announce(onStep, 'load', 'quality');
    const quality = await qualityReport(this.db, this.inspection.fileName, this.inspection.format, cleaning, customerDaysHoldEveryValidRow(cleaning, dedupe));
    const splitNumbers = await extraFieldsNote(this.db, this.raw, quality.rejected_by_reason[REJECT_REASONS.extraFields] ?? 0);
    if (splitNumbers) quality.warnings.push(splitNumbers);
    annotateQuality(quality, { accountOwner, ledgerDigits: this.raw.layout?.datev?.ledgerDigits ?? null, mapping, dateWindow, ids, emailsMerged, paddingTwins, wholeAmounts, statuses, kinds, totals, currencies, identicalLines, nestedRows: this.raw.nestedRows ?? 0, columns: this.samples.map((c) => c.name) });
    this.announce(onStep, 'load', 'rejected');
    await buildRejected(this.db, this.raw, this.samples, quality.rows_rejected > 0);
    await this.db.exec('DROP VIEW IF EXISTS transactions_all');
    if (quality.rows_kept === 0) {
      const reasons = quality.rejected_by_reason;
      const top = Object.keys(reasons)[0];
      // Every row rejected: the same review as the guard (examples, the readings that parse them), under the code that names the column's problem.
      const excess = top === REJECT_REASONS.badDate || top === REJECT_REASONS.dateOutOfRange || top === REJECT_REASONS.badAmount
        ? await excessRejections(this.db, this.raw, this.samples, mapping, quality, dateWindow)
        : null;
      const fix = excess?.groups.find((g) => g.reason === top)?.fixes[0];
      const fixWords = fix?.dateFormat ? ` Reading it as ${describeDateFormat(fix.dateFormat)} parses ${fix.parses.toLocaleString('en-US')} rows.` : fix?.decimalSeparator ? ` Reading "${fix.decimalSeparator}" as the decimal separator parses ${fix.parses.toLocaleString('en-US')} rows.` : '';
      const details = excess ? (excess as unknown as Record<string, unknown>) : undefined;
      if (top === REJECT_REASONS.badDate || top === REJECT_REASONS.dateOutOfRange) {
        const what = top === REJECT_REASONS.badDate ? 'could be read as a date' : `is a date between ${dateWindow.first} and ${dateWindow.last}`;
        throw new ClvError('NO_PARSEABLE_DATES', `No value in column "${mapping.date}" ${what}.${fixWords} Pick the right date column or date format.`, details);
      }
      if (top === REJECT_REASONS.badAmount) {
        throw new ClvError('NO_NUMERIC_AMOUNTS', `No value in column "${mapping.amount ?? mapping.unitPrice}" is a number.${fixWords} Pick the column that holds the amount spent.`, details);
      }
      const noCustomer = reasons[REJECT_REASONS.missingCustomer] ?? 0;
      if (noCustomer >= 0.5 * quality.rows_read) {
        // A report grouped by customer (QuickBooks' "Sales by Customer Detail"): the name on a heading row, its transactions below with the column blank.
        throw new ClvError(
          'NO_VALID_ROWS',
          `No row has a customer id, a date and an amount: "${mapping.customer}" is blank on ${noCustomer.toLocaleString('en-US')} of ${quality.rows_read.toLocaleString('en-US')} rows. If the file is a report grouped by customer (each name on a heading row above its transactions, as QuickBooks' "Sales by Customer Detail" writes it), export a transaction list with the customer on every row instead; otherwise choose the column that holds the customer.`,
        );
      }
      throw new ClvError('NO_VALID_ROWS', `No row has a customer id, a date and an amount. Check the column mapping.`);
    }
    if (!cleaning.allowRejects) {
      const excess = await excessRejections(this.db, this.raw, this.samples, mapping, quality, dateWindow, splitNumbers);
      if (excess) throw tooManyRejects(excess, mapping);
    }
    // The checks above read the rejected rows from `staged`. With de-duplication `transactions` is
    // its own table and the staging copy can go (room for the tables of large files); without,
    // `transactions` is a view over it.
    if (dedupe) await this.db.exec('DROP TABLE IF EXISTS staged');
    if (quality.customers < MIN_CUSTOMERS) {
      throw new ClvError('TOO_FEW_CUSTOMERS', `The file has only ${quality.customers} customer in "${mapping.customer}". If that column is not the customer (a merchant account, the shop's own e-mail), choose the one that is; otherwise customer lifetime value needs a file with at least ${MIN_CUSTOMERS} customers (ideally hundreds).`);
    }
    this.mapping = mapping;
    this.loaded = { quality, period: defaultPeriod(quality.first_date!, quality.last_date!) };
    return this.loaded;
  }

  async build(options: Partial<BuildOptions> = {}, onStep?: EngineStepListener): Promise<BuildResult> {
    if (!this.loaded || !this.mapping) throw new ClvError('NO_DATA_LOADED', 'No data is loaded yet. Open a file and confirm the column mapping first.');
    const period = options.period ?? this.loaded.period;
    const unit = options.unit ?? 'day';
    validatePeriod(period, this.loaded.quality.first_date, this.loaded.quality.last_date);
    const visitante = options.visitante ?? DEFAULT_VISITANTE;
    this.announce(onStep, 'build', 'customers');
    await buildCustomerStats(this.db, period, visitante.r);
    this.announce(onStep, 'build', 'rfm');
    await buildRfm(this.db, period.cutoff, unit);
    this.announce(onStep, 'build', 'features');
    const features = await buildFeatures(this.db, period, this.mapping, visitante);
    this.announce(onStep, 'build', 'visitante');
    await buildVisitante(this.db, period.cutoff, visitante);
    const [rfm] = await this.db.query('SELECT count(*) AS n FROM rfm');
    await keepLogSpend(this.db);
    await this.db.exec(`DROP TABLE IF EXISTS ${CUSTOMER_STATS}`);
    if (features.customers === 0) {
      if (features.customersAfterCutoff === 0) {
        // No purchase day anywhere: a later cutoff would not help.
        throw new ClvError(
          'NO_VALID_ROWS',
          `The file holds no purchase: every customer-day is a return or cancellation, or nets to nothing. Check that the amount column holds what customers paid (purchases positive), or that this is the right file.`,
        );
      }
      throw new ClvError('BAD_PERIOD', `No customer bought anything up to the cutoff ${period.cutoff}. Choose a later cutoff.`);
    }
    this.built = { period, unit, rfmCustomers: Number(rfm.n), features };
    return this.built;
  }

  get state() {
    return { inspection: this.inspection, mapping: this.mapping, loaded: this.loaded, built: this.built };
  }

  /** One page of a table for the UI, optionally sorted by a column. */
  async page(table: EngineTable, offset: number, limit: number, orderBy?: { column: string; descending: boolean }): Promise<{ rows: Row[]; total: number }> {
    const order = `ORDER BY ${orderBy ? `${ident(orderBy.column)} ${orderBy.descending ? 'DESC' : 'ASC'} NULLS LAST, ` : ''}${NATURAL_ORDER[table]}`;
    const rows = await this.db.query(`SELECT * FROM ${ident(table)} ${order} LIMIT ${num(Math.max(0, Math.floor(limit)))} OFFSET ${num(Math.max(0, Math.floor(offset)))}`);
    const [count] = await this.db.query(`SELECT count(*) AS n FROM ${ident(table)}`);
    return { rows, total: Number(count.n) };
  }

  async rows(table: EngineTable): Promise<Row[]> {
    return this.db.query(`SELECT * FROM ${ident(table)} ORDER BY ${NATURAL_ORDER[table]}`);
  }

  /** Numeric columns of a table as typed arrays, for handing to the model worker. */
  async numericColumns(table: EngineTable, names: readonly string[]): Promise<Record<string, Float64Array>> {
    const cols = await this.db.columns(`SELECT ${names.map((n) => `CAST(${ident(n)} AS DOUBLE) AS ${ident(n)}`).join(', ')} FROM ${ident(table)}`);
    return Object.fromEntries(names.map((n) => [n, Float64Array.from(cols[n] as ArrayLike<number>)]));
  }

  /**
   * Everything the models need, aligned row by row in customer_id order: the feature matrix,
   * the targets (when a horizon exists), the BTYD summaries from `rfm` and the visitante score.
   */
  async modelInputs(): Promise<ModelInputs> {
    const built = this.built;
    if (!built) throw new ClvError('NO_DATA_LOADED', 'The tables are not built yet. Load a file and build the tables first.');
    const names = built.features.featureColumns;
    const cols = await this.db.columns(
      `SELECT f.customer_id, ${names.map((n) => `CAST(f.${ident(n)} AS DOUBLE) AS ${ident(n)}`).join(', ')},
              ${built.features.targetColumns.map((n) => `CAST(f.${ident(n)} AS DOUBLE) AS ${ident(n)}`).join(', ')}${built.features.targetColumns.length ? ',' : ''}
              CAST(r.frequency AS DOUBLE) AS __frequency, r.recency AS __recency, r."T" AS __T, r.monetary_value AS __monetary,
              ${LOG_SPEND_COLUMNS.map((c) => `CAST(s.${ident(c)} AS DOUBLE) AS ${ident(`__${c}`)}, `).join('')}coalesce(v.score, 0) AS __visitante
       FROM features f JOIN rfm r USING (customer_id) JOIN ${CUSTOMER_LOG_SPEND} s USING (customer_id) LEFT JOIN visitante v USING (customer_id)
       ORDER BY f.customer_id`,
    );
    const customerIds = Array.from(cols.customer_id as ArrayLike<unknown>, String);
    const n = customerIds.length;
    const d = names.length;
    const X = new Float32Array(n * d);
    names.forEach((name, j) => {
      const c = cols[name] as ArrayLike<number>;
      for (let i = 0; i < n; i++) X[i * d + j] = c[i];
    });
    const f64 = (name: string) => Float64Array.from(cols[name] as ArrayLike<number>);
    const hasTargets = built.features.targetColumns.length > 0;
    return {
      customerIds,
      featureNames: names,
      X,
      holdoutSpend: hasTargets ? f64('holdout_spend') : null,
      holdoutOrders: hasTargets ? f64('holdout_orders') : null,
      btyd: {
        frequency: f64('__frequency'),
        recency: f64('__recency'),
        T: f64('__T'),
        monetary: f64('__monetary'),
        logSpend: { days: f64('__log_spend_days'), mean: f64('__log_spend_mean'), squares: f64('__log_spend_squares') },
      },
      visitanteScore: f64('__visitante'),
      unit: built.unit,
      period: built.period,
    };
  }

  /**
   * The open file read as a customer table with a CLV column (the seeds' setting): every other
   * numeric column is a feature; rows without a numeric target are left out and counted.
   */
  async customerTable(target: string, idColumn?: string): Promise<CustomerTableData> {
    if (!this.raw || !this.inspection) throw new ClvError('NO_DATA_LOADED', 'No file is open. Open a customer table first.');
    const names = this.samples.map((c) => c.name);
    if (!names.includes(target)) throw new ClvError('UNKNOWN_COLUMN', `There is no column called "${target}". Pick one of: ${names.join(', ')}.`);
    const id = idColumn ?? this.mapping?.customer ?? names[0];
    if (!names.includes(id)) throw new ClvError('UNKNOWN_COLUMN', `There is no column called "${id}". Pick one of: ${names.join(', ')}.`);
    // A features table written by `features` carries the horizon's outcomes: never features.
    const features = this.samples
      .filter((c) => c.name !== target && c.name !== id && !(TARGET_NAMES as readonly string[]).includes(c.name))
      .filter((c) => isNumericType(c.type) || (c.values.length > 0 && c.values.filter((v) => v.trim() !== '' && Number.isFinite(Number(v))).length / c.values.length >= 0.9))
      .map((c) => c.name);
    if (features.length === 0) throw new ClvError('MISSING_ROLE', 'The table has no numeric feature columns besides the target. Add the customer features as numeric columns.');
    const asDouble = (c: string) => `try_cast(CAST(${ident(c)} AS VARCHAR) AS DOUBLE)`;
    const cols = await this.db.columns(
      `SELECT CAST(${ident(id)} AS VARCHAR) AS __id, ${asDouble(target)} AS __target, ${features.map((f) => `coalesce(${asDouble(f)}, 0) AS ${ident(f)}`).join(', ')}
       FROM (${this.raw.sql}) WHERE ${asDouble(target)} IS NOT NULL`,
      this.raw.params,
    );
    const customerIds = Array.from(cols.__id as ArrayLike<unknown>, String);
    const n = customerIds.length;
    const X = new Float32Array(n * features.length);
    features.forEach((f, j) => {
      const c = cols[f] as ArrayLike<number>;
      for (let i = 0; i < n; i++) X[i * features.length + j] = c[i];
    });
    return { customerIds, featureNames: features, X, target: Float64Array.from(cols.__target as ArrayLike<number>) };
  }

  /**
   * Weekly spend and purchase days for the weeks before the cutoff (at most a year), aligned with
   * `modelInputs()`: the inputs of the LSTM and CNN models. With `layout` (a saved model's, see
   * tables/sequenceLayout.ts): cut as it says, and BUNDLE_HISTORY_SHORT when the file's history
   * before the cutoff is shorter than the layout.
   */
  async sequences(layout?: SequenceLayout): Promise<CustomerSequences> {
    if (!this.built || !this.loaded) throw new ClvError('NO_DATA_LOADED', 'The tables are not built yet. Load a file and build the tables first.');
    const cutoff = this.built.period.cutoff;
    const calibrationDays = sequenceHistoryDays(this.loaded.quality.first_date!, cutoff);
    if (layout) checkSequenceHistory(layout, calibrationDays, cutoff);
    const { period, periods } = layout ?? engineSequenceLayout(calibrationDays);
    return customerSequences(this.db, cutoff, { period, periods });
  }

  private reset(): void {
    this.raw = null;
    this.inspection = null;
    this.samples = [];
    this.mapping = null;
    this.loaded = null;
    this.built = null;
  }
}
