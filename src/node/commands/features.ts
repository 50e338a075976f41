import { toCsv } from '../../core/csv';
import { FEATURE_NAMES } from '../../core/featureNames';
import { requireFlag, type CliArgs } from '../cliArgs';
import { checkOutputPath, outputFolder } from '../outputFolder';
import { prepareEngine } from '../prepareEngine';

/**
 * `features`: writes rfm.csv, features.csv, visitante.csv, quality.json (the quality report, the
 * mapping used with the engine's decisions, and the cleaning options) and rejected.csv when rows
 * were rejected; returns the one-line summary.
 */
export async function featuresCommand(args: CliArgs): Promise<Record<string, unknown>> {
  const out = requireFlag(args, 'out');
  requireFlag(args, 'cutoff');
  checkOutputPath(out);
  const { engine, loaded, built, mapping, cleaning } = await prepareEngine(args);
  const folder = outputFolder(out);
  folder.write('rfm.csv', toCsv(await engine.rows('rfm')));
  const featureCols = ['customer_id', ...built.features.featureColumns, ...built.features.targetColumns];
  folder.write('features.csv', toCsv(await engine.rows('features'), featureCols));
  folder.write('visitante.csv', toCsv(await engine.rows('visitante')));
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
