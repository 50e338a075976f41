import { toCsv } from '../../core/csv';
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
  const { db, engine, engineName, loaded, built, mapping, cleaning } = await prepareEngine(args);
  const folder = outputFolder(out);
  const featureCols = ['customer_id', ...built.features.featureColumns, ...built.features.targetColumns];
  if (format === 'csv') {
    folder.write('rfm.csv', toCsv(await engine.rows('rfm')));
    folder.write('features.csv', toCsv(await engine.rows('features'), featureCols));
    folder.write('visitante.csv', toCsv(await engine.rows('visitante')));
  } else {
    for (const table of ['rfm', 'features', 'visitante'] as const) {
      await writeQuery(folder, table, db, `SELECT * FROM ${ident(table)} ORDER BY ${NATURAL_ORDER[table]}`, format, table === 'features' ? featureCols : undefined);
    }
  }
  folder.json('quality.json', {
    ...loaded.quality,
    customers_after_cutoff: built.features.customersAfterCutoff,
    mapping,
    cleaning,
    period: built.period,
    unit: built.unit,
  });
  const rejected = await engine.rows('rejected');
  if (rejected.length > 0) folder.write('rejected.csv', toCsv(rejected));
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
