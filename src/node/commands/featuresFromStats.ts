import { FEATURE_NAMES, TARGET_NAMES } from '../../core/featureNames';
import { ident } from '../../core/sql';
import { CUSTOMER_STATS } from '../../core/tables/customerStats';
import { restoreShards } from '../../core/tables/customerShards';
import { buildFeatures } from '../../core/tables/features';
import type { TimeUnit } from '../../core/tables/period';
import { buildRfm } from '../../core/tables/rfm';
import { buildVisitante, DEFAULT_VISITANTE } from '../../core/tables/visitante';
import { ClvError } from '../../core/errors';
import { choiceFlag, hasFlag, requireFlag, type CliArgs } from '../cliArgs';
import { engineSettings, openEngineDb } from '../engineChoice';
import { outputFolder } from '../outputFolder';
import { loadShardFiles, shardFileList } from '../shardFiles';
import { writeQuery, type OutputFormat } from '../tableOutput';

/** Flags that describe reading a transaction file: they were the shards' to take. */
const FILE_FLAGS = ['cutoff', 'horizon-end', 'customer', 'date', 'amount', 'order', 'quantity', 'unit-price', 'category', 'channel', 'region', 'date-format', 'decimal', 'status', 'refund', 'currency', 'kind', 'test-flag', 'amount-unit', 'returns', 'duplicates', 'date-window', 'allow-rejects', 'keep-currency'];

/**
 * `features --from-stats 'DIR/*.parquet'`: every shard's per-customer statistics combined, the
 * population statistics computed over all of them (quintile scores, the visitante gap distribution
 * and normalisation), and rfm, features and visitante written as the unsharded run writes them.
 */
export async function featuresFromStatsCommand(args: CliArgs): Promise<Record<string, unknown>> {
  const out = requireFlag(args, 'out');
  const given = FILE_FLAGS.find((f) => hasFlag(args, f));
  if (given) throw new ClvError('BAD_ARGUMENT', `--${given} belongs to "clv stats" (each shard reads the file with it); --from-stats takes the period and mapping from the shard files.`);
  if (args.file !== '') throw new ClvError('BAD_ARGUMENT', `--from-stats builds the tables from the shard files; leave out the file "${args.file}".`);
  const files = shardFileList(requireFlag(args, 'from-stats'));
  const unit = choiceFlag<TimeUnit>(args, 'unit', 'day');
  const format = choiceFlag<OutputFormat>(args, 'format', 'csv');
  const settings = engineSettings(args);
  const started = Date.now();
  const db = await openEngineDb(settings);
  try {
    await loadShardFiles(db, files, 'shard_rows');
    const shards = await restoreShards(db, 'shard_rows', files.length);
    const period = { cutoff: shards.cutoff, horizonEnd: shards.horizonEnd };
    await buildRfm(db, period.cutoff, unit);
    // The line features come from the shards; the rest from customer_stats and the population.
    const none = { order: null, quantity: null, category: null, channel: null, region: null };
    const info = await buildFeatures(db, period, none, DEFAULT_VISITANTE);
    const extras = shards.lineFeatures.filter((f) => f !== 'n_orders');
    const targets = info.targetColumns;
    const featureColumns = [...FEATURE_NAMES, ...extras];
    await db.exec(
      `CREATE OR REPLACE TABLE features AS SELECT f.customer_id, ${FEATURE_NAMES.map((n) => (n === 'n_orders' ? 'x.n_orders' : `f.${ident(n)}`)).join(', ')}
              ${extras.map((e) => `, x.${ident(e)}`).join('')}${targets.map((t) => `, f.${ident(t)}`).join('')}
       FROM features f JOIN shard_features x USING (customer_id)`,
    );
    await buildVisitante(db, period.cutoff, DEFAULT_VISITANTE);
    const folder = outputFolder(out);
    await writeQuery(folder, 'rfm', db, 'SELECT * FROM rfm ORDER BY customer_id', format);
    await writeQuery(folder, 'features', db, 'SELECT * FROM features ORDER BY customer_id', format, ['customer_id', ...featureColumns, ...targets]);
    await writeQuery(folder, 'visitante', db, 'SELECT * FROM visitante ORDER BY score DESC, customer_id', format);
    await db.exec(`DROP TABLE IF EXISTS ${CUSTOMER_STATS}`);
    folder.json('quality.json', {
      shards: shards.shards,
      shard_files: files.length,
      customers: shards.customers,
      customers_calibration: info.customers,
      customers_after_cutoff: info.customersAfterCutoff,
      customers_without_purchase: info.customersWithoutPurchase,
      extreme_amounts: shards.extremeAmounts,
      period,
      unit,
    });
    return {
      command: 'features',
      engine: settings.engine,
      from_stats: files.length,
      shards: shards.shards,
      customers: info.customers,
      customers_after_cutoff: info.customersAfterCutoff,
      features: FEATURE_NAMES.length,
      cutoff: period.cutoff,
      horizon_end: period.horizonEnd,
      unit,
      seconds: (Date.now() - started) / 1000,
      out,
    };
  } finally {
    db.close();
  }
}
