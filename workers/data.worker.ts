import * as Comlink from 'comlink';
import { DuckDBDataProtocol, type DuckDBBindings } from 'duckdb-browser-blocking';
import { toCsv } from '../src/core/csv';
import type { SqlDb } from '../src/core/db';
import { DataEngine, type EngineTable, type ModelInputs } from '../src/core/engine';
import type { CustomerSequences } from '../src/core/tables/sequences';
import { engineSequenceLayoutAt } from '../src/core/tables/sequenceLayout';
import { ClvError, toErrorInfo } from '../src/core/errors';
import { segmentByQuantile } from '../src/core/eval/segments';
import { daysBetween } from '../src/core/tables/period';
import { trackingCounts } from '../src/core/tables/trackingCounts';
import { ident } from '../src/core/sql';
import type { DataWorkerApi, FeatureArrays, ForecastWindows, IntervalColumns, PredictionColumns, TrainingInputs, ViewTable } from './contracts';
import * as views from './dataViews';
import { parquetKind, writeParquet } from '../src/core/parquetWriter';
import { startEngine } from './engineStartup';

let bindings: DuckDBBindings | null = null;
let db: SqlDb | null = null;
let registered: string | null = null;

const startup = startEngine((connection) => connection);

/** The engine once DuckDB is up and the start-up warm-up has stopped (see workers/engineStartup.ts). */
async function ready(): Promise<DataEngine> {
  const started = await startup.ready();
  bindings = started.bindings;
  db = started.db;
  return started.engine;
}

async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toErrorInfo(error);
  }
}

function safeName(name: string): string {
  return `upload_${Date.now()}_${name.replace(/[^\w.-]/g, '_')}`;
}

/** The customers of the last training inputs, in their order: predictions arrive aligned with them. */
let aligned: { customerIds: string[]; holdoutSpend: Float64Array | null } | null = null;

function alignedCustomers(): NonNullable<typeof aligned> {
  if (!aligned) throw new ClvError('NO_DATA_LOADED', 'There are no training inputs yet. Build the tables and train (or score) first.');
  return aligned;
}

/** The per-customer model outputs, aligned with the last training inputs, as typed columns. */
function predictionColumns(columns: PredictionColumns): views.RawColumn[] {
  const { customerIds, holdoutSpend } = alignedCustomers();
  const n = customerIds.length;
  const primary = columns.models[columns.primary];
  if (!primary) throw new ClvError('BAD_ARGUMENT', `No predictions from "${columns.primary}" to store.`);
  for (const [model, values] of Object.entries(columns.models)) {
    if (values.length !== n) throw new ClvError('BAD_ARGUMENT', `${model} predicted ${values.length} customers but ${n} were given.`);
  }
  const inTest = new Array<boolean>(n).fill(false);
  for (const i of columns.testIndices ?? []) inTest[i] = true;
  const raw: views.RawColumn[] = [
    { name: 'customer_id', type: 'VARCHAR', values: customerIds },
    { name: 'value_segment', type: 'VARCHAR', values: segmentByQuantile(primary).labels },
    { name: 'predicted_clv', type: 'DOUBLE', values: primary },
  ];
  if (holdoutSpend && columns.testIndices) raw.push({ name: 'actual_spend', type: 'DOUBLE', values: holdoutSpend });
  if (columns.pAlive) raw.push({ name: 'p_alive', type: 'DOUBLE', values: columns.pAlive });
  // The one churn definition, P(no purchase in the horizon); p_alive above is the other reading.
  if (columns.churn) raw.push({ name: 'churn', type: 'DOUBLE', values: columns.churn });
  if (columns.expectedPurchases) raw.push({ name: 'expected_purchases', type: 'DOUBLE', values: columns.expectedPurchases });
  if (columns.discountedClv) raw.push({ name: 'discounted_clv', type: 'DOUBLE', values: columns.discountedClv });
  // Each interval beside the column it bounds.
  const bounds: [string, IntervalColumns | null | undefined][] = [['clv', columns.intervals?.clv], ['purchases', columns.intervals?.purchases], ['discounted_clv', columns.intervals?.discountedClv]];
  for (const [name, interval] of bounds) {
    if (!interval || interval.low.length !== n || interval.high.length !== n) continue;
    raw.push({ name: `${name}_low`, type: 'DOUBLE', values: interval.low }, { name: `${name}_high`, type: 'DOUBLE', values: interval.high });
  }
  for (const [model, values] of Object.entries(columns.models)) raw.push({ name: `${views.MODEL_COLUMN_PREFIX}${model}`, type: 'DOUBLE', values });
  raw.push({ name: 'in_test', type: 'BOOLEAN', values: inTest });
  return raw;
}

/** The engine's model inputs as the model worker takes them, with the buffers to transfer. */
function asTrainingInputs(inputs: ModelInputs, sequences: CustomerSequences | null = null): { result: TrainingInputs; buffers: ArrayBuffer[] } {
  if (sequences && sequences.customerIds.join('\n') !== inputs.customerIds.join('\n')) throw new Error('sequences and features are not aligned');
  const { period } = inputs;
  const targetNames = inputs.holdoutSpend && inputs.holdoutOrders ? ['holdout_spend', 'holdout_orders'] : [];
  const n = inputs.customerIds.length;
  const targets = new Float32Array(n * targetNames.length);
  if (inputs.holdoutSpend && inputs.holdoutOrders) {
    for (let i = 0; i < n; i++) {
      targets[2 * i] = inputs.holdoutSpend[i];
      targets[2 * i + 1] = inputs.holdoutOrders[i];
    }
  }
  const result: TrainingInputs = {
    data: { customerIds: inputs.customerIds, featureNames: inputs.featureNames, features: inputs.X, targetNames, targets },
    btyd: inputs.btyd,
    visitanteScore: inputs.visitanteScore,
    horizonDays: period.horizonEnd ? daysBetween(period.cutoff, period.horizonEnd) : null,
    unit: inputs.unit,
    sequences: sequences && { periods: sequences.periods, channels: sequences.channels, values: sequences.values },
  };
  const log = inputs.btyd.logSpend;
  const buffers = [inputs.X, targets, inputs.btyd.frequency, inputs.btyd.recency, inputs.btyd.T, inputs.btyd.monetary, log.days, log.mean, log.squares, inputs.visitanteScore, ...(sequences ? [sequences.values] : [])].map((a) => a.buffer as ArrayBuffer);
  return { result, buffers };
}

const api: DataWorkerApi = {
  warmup: () => startup.warmupReport(),
  open: (file) =>
    guarded(async () => {
      const e = await ready();
      if (registered) bindings!.dropFile(registered);
      registered = safeName(file.name);
      bindings!.registerFileHandle(registered, file, DuckDBDataProtocol.BROWSER_FILEREADER, true);
      const head = new Uint8Array(await file.slice(0, 4096).arrayBuffer());
      // Parquet and JSON are read in JavaScript, slice by slice from the File (no full copy up front).
      const bytes = { byteLength: file.size, slice: (start: number, end?: number) => file.slice(start, end).arrayBuffer() };
      return e.inspect({ fileName: file.name, path: registered, head, size: file.size, bytes });
    }),
  // Step listeners are Comlink proxies: each call posts a message at once, which the page
  // receives while the next (blocking) statement runs here.
  load: (mapping, cleaning, onStep) => guarded(async () => (await ready()).load(mapping, cleaning, onStep)),
  build: (options, onStep) => guarded(async () => (await ready()).build(options, onStep)),
  page: (table, offset, limit, orderBy) => guarded(async () => (await ready()).page(table, offset, limit, orderBy)),
  exportCsv: (table: EngineTable) => guarded(async () => toCsv(await (await ready()).rows(table))),
  featureArrays: () =>
    guarded(async () => {
      const e = await ready();
      const built = e.state.built;
      if (!built) throw new ClvError('NO_DATA_LOADED', 'The tables are not built yet. Load a file and build the tables first.');
      const ids = await e.page('features', 0, Number.MAX_SAFE_INTEGER);
      const featureNames = built.features.featureColumns;
      const targetNames = built.features.targetColumns;
      const cols = await e.numericColumns('features', [...featureNames, ...targetNames]);
      const n = ids.rows.length;
      const features = new Float32Array(n * featureNames.length);
      featureNames.forEach((name, j) => cols[name].forEach((v, i) => (features[i * featureNames.length + j] = v)));
      const targets = new Float32Array(n * targetNames.length);
      targetNames.forEach((name, j) => cols[name].forEach((v, i) => (targets[i * targetNames.length + j] = v)));
      // The purchase summaries in the same (customer_id) order, for bundles of probabilistic models.
      const { btyd } = await e.modelInputs();
      const result: FeatureArrays = { customerIds: ids.rows.map((r) => String(r.customer_id)), featureNames, features, targetNames, targets, btyd, unit: built.unit };
      return Comlink.transfer(result, [features.buffer, targets.buffer, btyd.frequency.buffer, btyd.recency.buffer, btyd.T.buffer, btyd.monetary.buffer, btyd.logSpend.days.buffer, btyd.logSpend.mean.buffer, btyd.logSpend.squares.buffer] as ArrayBuffer[]);
    }),
  segmentSummary: () =>
    guarded(async () => {
      await ready();
      return db!.query(
        `SELECT segment, count(*) AS customers, avg(monetary_value) AS avg_monetary, avg(frequency) AS avg_frequency FROM rfm GROUP BY segment ORDER BY customers DESC`,
      );
    }),
  trainingInputs: (withSequences = false) =>
    guarded(async () => {
      const e = await ready();
      const inputs = await e.modelInputs();
      aligned = { customerIds: inputs.customerIds, holdoutSpend: inputs.holdoutSpend };
      const { result, buffers } = asTrainingInputs(inputs, withSequences ? await e.sequences(withSequences === true ? undefined : withSequences) : null);
      return Comlink.transfer(result, buffers);
    }),
  forecastWindows: (pastCutoff, withSequences = false) =>
    guarded(async () => {
      const e = await ready();
      const { built, loaded } = e.state;
      if (!built || !loaded) throw new ClvError('NO_DATA_LOADED', 'The tables are not built yet. Load a file and build the tables first.');
      const firstDay = loaded.quality.first_date!;
      const lastDay = loaded.quality.last_date!;
      const buffers: ArrayBuffer[] = [];
      // A model trained on the past window reads as many periods from the present one: both
      // windows' sequences are cut with the past window's layout.
      const layout = withSequences && pastCutoff ? engineSequenceLayoutAt(firstDay, pastCutoff) : undefined;
      const read = async () => {
        const converted = asTrainingInputs(await e.modelInputs(), withSequences ? await e.sequences(layout) : null);
        buffers.push(...converted.buffers);
        return converted.result;
      };
      try {
        let past: TrainingInputs | null = null;
        if (pastCutoff) {
          await e.build({ period: { cutoff: pastCutoff, horizonEnd: lastDay }, unit: built.unit });
          past = await read();
        }
        await e.build({ period: { cutoff: lastDay, horizonEnd: null }, unit: built.unit });
        const present = await read();
        const windows: ForecastWindows = { present, past, firstDay, lastDay };
        return Comlink.transfer(windows, buffers);
      } finally {
        // The page's tables stay those of its own period.
        await e.build({ period: built.period, unit: built.unit });
      }
    }),
  columnsOf: (table) => guarded(async () => (await ready(), views.columnsOf(db!, table))),
  pageWhere: (table, request) => guarded(async () => (await ready(), views.filteredPage(db!, table, request))),
  rfmSegments: () => guarded(async () => (await ready(), views.rfmSegmentShares(db!))),
  rfmHeatmap: () => guarded(async () => (await ready(), views.rfmHeatmap(db!))),
  storePredictions: (columns) =>
    guarded(async () => {
      await ready();
      const raw = predictionColumns(columns);
      // Handed to DuckDB as an in-memory CSV file that its own reader types column by column.
      const file = 'predictions_raw.csv';
      bindings!.registerFileBuffer(file, views.rawColumnsCsv(raw));
      try {
        await views.loadRawColumns(db!, file, raw);
      } finally {
        bindings!.dropFile(file);
      }
      return views.buildPredictions(db!);
    }),
  dropPredictions: () => guarded(async () => (await ready(), db!.exec('DROP TABLE IF EXISTS predictions'))),
  predictedVsActual: (model, maxPoints) => guarded(async () => (await ready(), views.predictedVsActual(db!, model, maxPoints))),
  gainCurves: (models) => guarded(async () => (await ready(), views.gainCurves(db!, models))),
  clvHistogram: (bins) => guarded(async () => (await ready(), views.clvHistogram(db!, bins))),
  valueShares: () => guarded(async () => (await ready(), views.valueShares(db!))),
  searchCustomers: (prefix, limit) => guarded(async () => (await ready(), views.searchCustomers(db!, prefix, limit))),
  customer: (customerId) => guarded(async () => (await ready(), views.customerProfile(db!, customerId))),
  customerHistory: (customerId) => guarded(async () => (await ready(), views.customerHistory(db!, customerId))),
  exportTable: (table: ViewTable, format) =>
    guarded(async () => {
      await ready();
      const rows = await db!.query(`SELECT * FROM ${ident(table)}`);
      let bytes: Uint8Array;
      if (format === 'csv') {
        bytes = new TextEncoder().encode(toCsv(rows));
      } else {
        // Encoded here: DuckDB-WASM would fetch its parquet extension from the internet to COPY … (FORMAT PARQUET).
        const columns = await views.columnsOf(db!, table);
        bytes = writeParquet(
          columns.map((c) => ({ name: c.name, kind: parquetKind(c.type), values: rows.map((r) => r[c.name]) })),
          rows.length,
        );
      }
      return Comlink.transfer(bytes, [bytes.buffer as ArrayBuffer]);
    }),
  trackingCounts: (periodDays) =>
    guarded(async () => {
      const built = (await ready()).state.built;
      if (!built) throw new ClvError('NO_DATA_LOADED', 'The tables are not built yet. Load a file and build the tables first.');
      const counts = await trackingCounts(db!, { cutoff: built.period.cutoff, horizonEnd: built.period.horizonEnd, periodDays });
      return Comlink.transfer(counts, [counts.repeatTransactions.buffer, counts.firstPurchaseDays.buffer, counts.customersAcquired.buffer] as ArrayBuffer[]);
    }),
};

Comlink.expose(api);
