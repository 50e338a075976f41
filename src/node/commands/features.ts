import type { SqlDb } from '../../core/db';
import { FEATURE_NAMES } from '../../core/featureNames';
import { NATURAL_ORDER } from '../../core/engine';
import { ident } from '../../core/sql';
import { choiceFlag, hasFlag, requireFlag, type CliArgs } from '../cliArgs';
import { checkOutputPath, outputFolder } from '../outputFolder';
import { prepareEngine } from '../prepareEngine';
import { writeQuery, type OutputFormat } from '../tableOutput';
import { featuresFromStatsCommand } from './featuresFromStats';

/**
 * `features`: writes rfm.csv, features.csv, visitante.csv, quality.json (the quality report, the
 * mapping used with the engine's decisions, and the cleaning options) and rejected.csv when rows
 * were rejected; returns the one-line summary.
 */
export async function featuresCommand(args: CliArgs): Promise<Record<string, unknown>> {
  if (hasFlag(args, 'from-stats')) return featuresFromStatsCommand(args);
  const out = requireFlag(args, 'out');
  requireFlag(args, 'cutoff');
  checkOutputPath(out);
  const format = choiceFlag<OutputFormat>(args, 'format', 'csv');
  const { db, engineName, loaded, built, mapping, cleaning } = await prepareEngine(args);
  try {
    return await writeFeatures(db, out, format, { engineName, loaded, built, mapping, cleaning });
  } finally {
    db.close();
  }
}

type Prepared = Pick<Awaited<ReturnType<typeof prepareEngine>>, 'engineName' | 'loaded' | 'built' | 'mapping' | 'cleaning'>;

/** The tables as files (written by native DuckDB itself, or from JavaScript on DuckDB-WASM: see writeQuery) and the summary. */
async function writeFeatures(db: SqlDb, out: string, format: OutputFormat, { engineName, loaded, built, mapping, cleaning }: Prepared): Promise<Record<string, unknown>> {
  const folder = outputFolder(out);
  const featureCols = ['customer_id', ...built.features.featureColumns, ...built.features.targetColumns];
  for (const table of ['rfm', 'features', 'visitante'] as const) {
    await writeQuery(folder, table, db, `SELECT * FROM ${ident(table)} ORDER BY ${NATURAL_ORDER[table]}`, format, table === 'features' ? featureCols : undefined);
  }
  folder.json('quality.json', {
    ...loaded.quality,
    customers_after_cutoff: built.features.customersAfterCutoff,
    mapping,
    cleaning,
    period: built.period,
    unit: built.unit,
  });
  const [rejected] = await db.query('SELECT count(*) AS n FROM rejected');
  if (Number(rejected.n) > 0) await writeQuery(folder, 'rejected', db, `SELECT * FROM rejected ORDER BY ${NATURAL_ORDER.rejected}`, 'csv');
  return {
    command: 'features',
    engine: engineName,
    rows_read: loaded.quality.rows_read,
    rows_rejected: loaded.quality.rows_rejected,
    customers: built.features.customers,
    customers_after_cutoff: built.features.customersAfterCutoff,
    features: FEATURE_NAMES.length,
    cutoff: built.period.cutoff,
    horizon_end: built.period.horizonEnd,
    unit: built.unit,
    out,
  };
}
