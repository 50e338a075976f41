/**
 * Every flag of every CLI command, with its value, the values it accepts and one line of help.
 * The parser (cliArgs.ts) validates against this table and the usage texts are written from it,
 * so a flag cannot be accepted without being documented, or documented without being accepted.
 */

export const COMMAND_NAMES = ['features', 'fit', 'predict', 'stats', 'forecast'] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

export interface FlagSpec {
  name: string;
  /** A string flag takes a value; a boolean flag stands alone. */
  type: 'string' | 'boolean';
  /** What the value looks like in the usage ("YYYY-MM-DD", "COL"). */
  value?: string;
  /** The only values accepted, when the value is a choice. */
  choices?: readonly string[];
  help: string;
}

/** Readings of the date column the CLI accepts (the app's list). */
export const DATE_FORMAT_CHOICES = ['ymd', 'mdy', 'dmy', 'month_name', 'yyyymmdd', 'epoch_s', 'epoch_ms', 'epoch_us', 'excel_serial', 'iso', 'native'] as const;
export const DECIMAL_CHOICES = ['.', ','] as const;

/** Column roles and their flags, in the order the usage lists them. */
export const ROLE_FLAGS = {
  customer: 'customer',
  date: 'date',
  amount: 'amount',
  order: 'order',
  quantity: 'quantity',
  unitPrice: 'unit-price',
  category: 'category',
  channel: 'channel',
  region: 'region',
} as const;

const HELP: FlagSpec = { name: 'help', type: 'boolean', help: 'print this help and exit' };

const PERIOD: FlagSpec[] = [
  { name: 'cutoff', type: 'string', value: 'YYYY-MM-DD', help: 'last day of the calibration period (features use data up to it)' },
  { name: 'horizon-end', type: 'string', value: 'YYYY-MM-DD', help: 'last day of the holdout horizon (targets are spend after the cutoff up to it)' },
  { name: 'unit', type: 'string', value: 'UNIT', choices: ['day', 'week'], help: 'time unit of recency, T and the RFM tables (default day)' },
];

const ROLE_HELP: Record<keyof typeof ROLE_FLAGS, string> = {
  customer: 'the customer id column',
  date: 'the date or timestamp column',
  amount: 'the amount spent per row (a lone price or total column is the amount)',
  order: 'the order / invoice id column',
  quantity: 'the quantity column (amount = quantity × unit price when there is no amount)',
  unitPrice: 'the unit price column',
  category: 'a product category column (encoded as a feature)',
  channel: 'a sales channel column (encoded as a feature)',
  region: 'a region / country column (encoded as a feature)',
};

const MAPPING: FlagSpec[] = [
  ...Object.entries(ROLE_FLAGS).map(([role, name]) => ({
    name,
    type: 'string' as const,
    value: 'COL',
    help: ROLE_HELP[role as keyof typeof ROLE_FLAGS],
  })),
  { name: 'date-format', type: 'string', value: 'FORMAT', choices: DATE_FORMAT_CHOICES, help: 'how the dates are written (default: read from the whole column)' },
  { name: 'decimal', type: 'string', value: 'SEP', choices: DECIMAL_CHOICES, help: 'decimal separator of the amounts (default: read from the values)' },
  { name: 'status', type: 'string', value: 'COL', help: 'payment/order status column: failed, declined, voided, cancelled… rows are left out, refunded rows net to nothing (none to ignore)' },
  { name: 'refund', type: 'string', value: 'COL', help: 'amount refunded on each row, subtracted from its amount (none to ignore)' },
  { name: 'currency', type: 'string', value: 'COL', help: 'ISO currency code per row: amounts in minor units, and several currencies (see --keep-currency) (none to ignore)' },
  { name: 'kind', type: 'string', value: 'COL', help: 'transaction kind per row (Kind, Transaction Type): refunds and credit memos are returns whatever their sign; authorizations, voids, payouts and, in a ledger with invoices, payments are left out (none to ignore)' },
  { name: 'test-flag', type: 'string', value: 'COL', help: 'yes/no column marking test payments or card authorizations only (Test Mode, livemode, Pre-order authorization?): those rows are left out (none to ignore)' },
  { name: 'amount-unit', type: 'string', value: 'UNIT', choices: ['major', 'minor'], help: 'amounts written in major units (12.50) or minor units (1250 cents, as payment APIs write them); default: read from the file' },
];

/** Columns of payment exports beside the roles, and their flags. */
export const PAYMENT_FLAGS = { status: 'status', refund: 'refund', currency: 'currency', kind: 'kind', testFlag: 'test-flag' } as const;

const CLEANING: FlagSpec[] = [
  { name: 'returns', type: 'string', value: 'POLICY', choices: ['net', 'drop'], help: 'returns reduce spend (net, default) or are left out (drop)' },
  { name: 'duplicates', type: 'string', value: 'POLICY', choices: ['auto', 'remove', 'keep'], help: 'exact duplicate rows: removed when there is an order id (auto), always removed, or kept' },
  { name: 'date-window', type: 'string', value: 'FIRST..LAST', help: 'plausible purchase days, e.g. 1960-01-01..2030-12-31 (default 1970-01-01 to tomorrow); rows outside are rejected' },
  { name: 'allow-rejects', type: 'boolean', help: 'build the tables even when more than 1% of the rows cannot be read (they are counted and written to rejected.csv)' },
  { name: 'keep-currency', type: 'string', value: 'CODE', help: 'when the amounts are in several currencies (a currency column, or marks like $ and €): keep the rows of this one (e.g. EUR), or all to add every currency up as one; default: the most common, and a load that would leave out more than 1% of the rows stops' },
];

const ENGINE: FlagSpec[] = [
  { name: 'engine', type: 'string', value: 'NAME', choices: ['wasm', 'native'], help: 'DuckDB-WASM (default, nothing to install) or native DuckDB (npm install @duckdb/node-api): every core, spills to disk, FILE may be a glob or a folder of Parquet' },
  { name: 'threads', type: 'string', value: 'N', help: 'with --engine native: threads DuckDB uses (default: every core)' },
  { name: 'memory-limit', type: 'string', value: 'SIZE', help: 'with --engine native: memory of the whole process, e.g. 8GB; DuckDB spills past its share to --temp-dir (default: DuckDB holds up to 80% of RAM)' },
  { name: 'temp-dir', type: 'string', value: 'DIR', help: 'with --engine native: folder for the spilled data, each run in a folder of its own inside it (default: the working folder)' },
];

const FORMAT: FlagSpec = { name: 'format', type: 'string', value: 'FORMAT', choices: ['csv', 'parquet'], help: 'file format of the output tables (default csv)' };

const OUT: FlagSpec = { name: 'out', type: 'string', value: 'DIR', help: 'folder for the output files (created if missing)' };

const WORKERS: FlagSpec = { name: 'workers', type: 'string', value: 'N', help: 'train the nets (one per model and fold) on N threads side by side (default: every core, at most 5; 1: one after another on the main thread; results do not depend on it)' };

const FIT_ONLY: FlagSpec[] = [
  { name: 'model', type: 'string', value: 'MODELS', help: 'bgnbd-gg, btyd (BG/NBD, Pareto/NBD, MBG/NBD), fnn, ziln, lstm, cnn, hybrid, default (BG/NBD + Gamma-Gamma, run rate, visitante, ZILN, ensemble), all, or a comma-separated list of model names, in which default, btyd and all stand for their models (default,hybrid)' },
  { name: 'seed', type: 'string', value: 'N', help: 'random seed for splits and training (default 42)' },
  { name: 'epochs', type: 'string', value: 'N', help: 'at most N training epochs per net' },
  { name: 'eval', type: 'string', value: 'cv|split', choices: ['cv', 'split'], help: 'cv (default): 5-fold cross-fitting, every customer scored by models that never saw them; split: one seeded 70/30 split (quicker on very large files)' },
  { name: 'seeds', type: 'string', value: 'N,N,...', help: 'repeat the whole evaluation with each seed; metrics.json adds the mean and standard deviation of each metric (files from the first seed)' },
  { name: 'discount-rate', type: 'string', value: 'R', help: 'annual discount rate of the CLV columns, e.g. 0.1 for 10% a year (default 0.1), converted for the model unit' },
  { name: 'backtest', type: 'string', value: 'on|off', choices: ['on', 'off'], help: 'the strict backtest one horizon before the cutoff (default on when the data reach that far back)' },
  { name: 'clusters', type: 'string', value: 'on', choices: ['on'], help: 'autoencoder clusters and anomaly scores (clusters.csv; always on with --model all)' },
  { name: 'backend', type: 'string', value: 'NAME', choices: ['wasm', 'cpu'], help: 'TensorFlow.js backend (default wasm)' },
  WORKERS,
  { name: 'target', type: 'string', value: 'COL', help: 'FILE is a customer table whose column COL is the CLV to learn (every other numeric column is a feature)' },
  { name: 'id', type: 'string', value: 'COL', help: 'with --target: the customer id column of the table' },
  { name: 'split', type: 'string', value: 'A/B/C', help: 'with --target: train/validation/test percentages (default 72/8/20)' },
  { name: 'kfold', type: 'string', value: 'K', help: 'with --target: K-fold cross-validation instead of one split' },
];

export interface CommandSpec {
  name: CommandName;
  summary: string;
  synopsis: string[];
  flags: FlagSpec[];
}

export const COMMANDS: Record<CommandName, CommandSpec> = {
  features: {
    name: 'features',
    summary: 'clean a transaction file and write rfm.csv, features.csv, visitante.csv, quality.json (and rejected.csv)',
    synopsis: ['features FILE --cutoff YYYY-MM-DD --out DIR [flags]', "features --from-stats 'DIR/*.parquet' --out DIR [--unit day|week] [--format csv|parquet]"],
    flags: [
      ...PERIOD,
      ...MAPPING,
      ...CLEANING,
      ...ENGINE,
      FORMAT,
      { name: 'from-stats', type: 'string', value: 'GLOB', help: "build every table from the per-customer statistics that `stats` wrote for all shards (a glob such as 'DIR/*.parquet', or the folder), instead of FILE" },
      OUT,
      HELP,
    ],
  },
  fit: {
    name: 'fit',
    summary: 'evaluate models on the holdout (and the strict backtest) and write params, predictions, metrics and a model bundle',
    synopsis: [
      'fit FILE --cutoff YYYY-MM-DD --horizon-end YYYY-MM-DD --model MODELS --out DIR [flags]',
      'fit TABLE --target COL [--split 72/8/20 | --kfold K] [--model fnn|ziln|all] --out DIR',
    ],
    flags: [...PERIOD, ...MAPPING, ...CLEANING, ...ENGINE, ...FIT_ONLY, OUT, HELP],
  },
  predict: {
    name: 'predict',
    summary: 'score the customers of a file with a saved model bundle (as of --cutoff, default the last date)',
    synopsis: ['predict FILE --bundle PATH --out DIR [flags]'],
    flags: [
      ...PERIOD,
      ...MAPPING,
      ...CLEANING,
      ...ENGINE,
      FORMAT,
      { name: 'bundle', type: 'string', value: 'PATH', help: 'the model-NAME.clvbundle written by fit' },
      OUT,
      HELP,
    ],
  },
  forecast: {
    name: 'forecast',
    summary: "refit one model on everything up to the file's last day and forecast each customer over a calendar period after it (forecast.csv, forecast.json)",
    synopsis: ['forecast FILE --model NAME [--horizon-months N | --horizon-end YYYY-MM-DD] [--discount-rate R] [--margin M] --out DIR [flags]'],
    flags: [
      { name: 'model', type: 'string', value: 'NAME', help: 'the model to forecast with: bgnbd-gg, pnbd-gg, mbgnbd-gg, naive, fnn-seed, fnn, ziln, hybrid, lstm, cnn or ensemble' },
      { name: 'horizon-months', type: 'string', value: 'N', help: "forecast the N calendar months after the file's last day (3, 6, 12, 24, …)" },
      { name: 'horizon-end', type: 'string', value: 'YYYY-MM-DD', help: 'forecast up to this day, inclusive (default: the length of the default backtest horizon)' },
      { name: 'discount-rate', type: 'string', value: 'R', help: 'yearly discount rate, 0.1 or 10% (default 0: not discounted); discounted monthly' },
      { name: 'margin', type: 'string', value: 'M', help: 'share of spend that is margin, 0.3 or 30% (default: CLV is revenue)' },
      { name: 'unit', type: 'string', value: 'UNIT', choices: ['day', 'week'], help: 'time unit of the probabilistic models (default day)' },
      { name: 'intervals', type: 'string', value: 'on|off', choices: ['on', 'off'], help: 'bootstrap 90% intervals of the probabilistic models (clv_low, clv_high; default on)' },
      { name: 'seed', type: 'string', value: 'N', help: 'random seed for training and intervals (default 42)' },
      { name: 'epochs', type: 'string', value: 'N', help: 'at most N training epochs per net' },
      { name: 'backend', type: 'string', value: 'NAME', choices: ['wasm', 'cpu'], help: 'TensorFlow.js backend (default wasm)' },
      WORKERS,
      ...MAPPING,
      ...CLEANING,
      ...ENGINE,
      OUT,
      HELP,
    ],
  },
  stats: {
    name: 'stats',
    summary: "one shard's per-customer statistics (customers whose id hashes to shard K of N) for `features --from-stats`",
    synopsis: ['stats FILE --shard K/N --cutoff YYYY-MM-DD --out DIR [flags]'],
    flags: [
      ...PERIOD,
      ...MAPPING,
      ...CLEANING,
      ...ENGINE,
      { name: 'shard', type: 'string', value: 'K/N', help: 'keep the customers of shard K of N (1 ≤ K ≤ N): 1 + (first 4 bytes of md5(customer id), big-endian) mod N' },
      OUT,
      HELP,
    ],
  },
};

const PREFIX = 'npm run clv --';
/** Flags with a longer label get their help on the next line. */
const LABEL_WIDTH = 30;

function flagLabel(f: FlagSpec): string {
  if (f.type === 'boolean') return f.name === 'help' ? '--help, -h' : `--${f.name}`;
  return `--${f.name} ${f.choices && f.value !== 'on|off' ? f.choices.join('|') : f.value}`;
}

/** The usage of one command: synopsis, then one line per flag. */
export function commandUsage(name: CommandName): string {
  const spec = COMMANDS[name];
  const labels = spec.flags.map(flagLabel);
  const width = LABEL_WIDTH + 2;
  const line = (label: string, help: string) => (label.length <= LABEL_WIDTH ? `  ${label.padEnd(width)}${help}` : `  ${label}\n  ${' '.repeat(width)}${help}`);
  return [
    `usage: ${spec.synopsis.map((s) => `${PREFIX} ${s}`).join('\n       ')}`,
    '',
    spec.summary,
    '',
    'flags:',
    ...spec.flags.map((f, i) => line(labels[i], f.help)),
    '',
    'A column given to a role leaves any role the guess had given it; "none" leaves a role empty.',
    'Without --allow-rejects, a mapping that cannot read more than 1% of the rows (dates, amounts)',
    'stops with TOO_MANY_REJECTS and names the flag that reads them.',
    '',
  ].join('\n');
}

/** The top-level usage: every command in one line, and where to find its flags. */
export function topUsage(): string {
  return [
    'usage:',
    ...COMMAND_NAMES.flatMap((n) => COMMANDS[n].synopsis.map((s) => `  ${PREFIX} ${s}`)),
    '',
    ...COMMAND_NAMES.map((n) => `  ${n.padEnd(10)}${COMMANDS[n].summary}`),
    '',
    `Run "${PREFIX} COMMAND --help" for every flag of a command.`,
    '',
  ].join('\n');
}
