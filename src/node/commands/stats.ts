import { FEATURE_NAMES } from '../../core/featureNames';
import { buildCustomerStats } from '../../core/tables/customerStats';
import { keepShard, parseShard, shardStatsSql } from '../../core/tables/customerShards';
import { buildFeatures } from '../../core/tables/features';
import { validatePeriod } from '../../core/tables/period';
import { DEFAULT_VISITANTE } from '../../core/tables/visitante';
import { flagValue, requireFlag, type CliArgs } from '../cliArgs';
import { checkOutputPath, outputFolder } from '../outputFolder';
import { loadEngine } from '../prepareEngine';
import { writeQuery } from '../tableOutput';

/**
 * `stats FILE --shard K/N`: the per-customer statistics of the customers in shard K of N (one
 * Parquet file, `customers-K-of-N.parquet`), for `features --from-stats` to combine. The whole file
 * is read and cleaned (the cleaning decisions are the file's, the same in every shard); only the
 * shard's customers are aggregated.
 */
export async function statsCommand(args: CliArgs): Promise<Record<string, unknown>> {
  const out = requireFlag(args, 'out');
  const shard = parseShard(requireFlag(args, 'shard'));
  const cutoff = requireFlag(args, 'cutoff');
  const horizonEnd = flagValue(args, 'horizon-end') ?? null;
  checkOutputPath(out);
  const started = Date.now();
  const { db, engineName, loaded, mapping } = await loadEngine(args);
  const period = { cutoff, horizonEnd };
  let info;
  let file;
  try {
    validatePeriod(period, loaded.quality.first_date, loaded.quality.last_date);
    await keepShard(db, shard);
    await buildCustomerStats(db, period, DEFAULT_VISITANTE.r);
    info = await buildFeatures(db, period, mapping, DEFAULT_VISITANTE);
    const lineFeatures = ['n_orders', ...info.featureColumns.filter((f) => !(FEATURE_NAMES as readonly string[]).includes(f))];
    const folder = outputFolder(out);
    file = await writeQuery(folder, `customers-${shard.index}-of-${shard.count}`, db, await shardStatsSql(db, shard, period, lineFeatures), 'parquet');
    folder.json(`quality-${shard.index}-of-${shard.count}.json`, { ...loaded.quality, mapping, period });
  } finally {
    db.close();
  }
  return {
    command: 'stats',
    engine: engineName,
    shard: `${shard.index}/${shard.count}`,
    rows_read: loaded.quality.rows_read,
    customers: info.customers + info.customersAfterCutoff + info.customersWithoutPurchase,
    customers_calibration: info.customers,
    cutoff,
    horizon_end: horizonEnd,
    seconds: (Date.now() - started) / 1000,
    file,
  };
}
