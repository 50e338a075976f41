import { toCsv } from '../../core/csv';
import { ClvError } from '../../core/errors';
import { forecastCustomers, forecastPastCutoff, type ForecastSource } from '../../core/forecast/customerForecast';
import { forecastActions, forecastColumns, forecastJson, forecastRows } from '../../core/forecast/forecastOutput';
import { forecastTerms } from '../../core/forecast/forecastTerms';
import { isModelName, MODEL_NAMES } from '../../core/evaluate/modelNames';
import { activateBackend } from '../../core/nets/backendChoice';
import type { NetTrainer } from '../../core/nets/netTrainer';
import { daysBetween, UNIT_DAYS } from '../../core/tables/period';
import { engineSequenceLayoutAt } from '../../core/tables/sequenceLayout';
import { choiceFlag, flagValue, hasFlag, requireFlag, wholeNumberFlag, type CliArgs } from '../cliArgs';
import { checkOutputPath, outputFolder } from '../outputFolder';
import { prepareEngine } from '../prepareEngine';
import { withTrainingThreads } from '../trainingThreadsFlag';
import { evaluationData } from './fitModels';

/** A share written as 0.1 or 10%. */
export function shareFlag(args: CliArgs, name: string): number | undefined {
  const v = flagValue(args, name);
  if (v === undefined) return undefined;
  const text = v.trim();
  const percent = text.endsWith('%');
  const n = Number(percent ? text.slice(0, -1) : text);
  if (text === '' || text === '%' || !Number.isFinite(n)) throw new ClvError('BAD_ARGUMENT', `--${name} must be a number such as 0.1 or 10%, not "${v}".`);
  return percent ? n / 100 : n;
}

/**
 * `forecast`: refits one model on everything up to the file's last day and writes each customer's
 * expected purchases, P(alive), spend and CLV over a calendar period after it (forecast.csv), and
 * what those numbers are (forecast.json).
 */
export async function forecastCommand(args: CliArgs): Promise<Record<string, unknown>> {
  // A learned model's nets (the ensemble's: two, then its stack's six) train side by side on threads; 1: on this thread.
  return withTrainingThreads(args, (trainer) => forecastWith(args, trainer));
}

async function forecastWith(args: CliArgs, netTrainer: NetTrainer | undefined): Promise<Record<string, unknown>> {
  const out = requireFlag(args, 'out');
  const modelName = requireFlag(args, 'model');
  checkOutputPath(out);
  if (!isModelName(modelName)) throw new ClvError('BAD_ARGUMENT', `Unknown model "${modelName}". Use one of: ${MODEL_NAMES.filter((m) => m !== 'visitante').join(', ')}.`);
  if (hasFlag(args, 'horizon-months') && hasFlag(args, 'horizon-end')) throw new ClvError('BAD_ARGUMENT', 'Give either --horizon-months or --horizon-end, not both.');
  const months = hasFlag(args, 'horizon-months') ? wholeNumberFlag(args, 'horizon-months', 12) : undefined;
  const seed = wholeNumberFlag(args, 'seed', 42);
  const maxEpochs = hasFlag(args, 'epochs') ? wholeNumberFlag(args, 'epochs', 50) : undefined;
  await activateBackend(choiceFlag<'wasm' | 'cpu'>(args, 'backend', 'wasm'));
  // The engine builds as of the file's last day with no horizon (predict's default period).
  const flags = new Map(args.flags);
  flags.delete('horizon-end');
  flags.delete('cutoff');
  const { engine, engineName, built, loaded } = await prepareEngine({ command: 'predict', file: args.file, flags });
  const lastDay = built.period.cutoff;
  const unit = built.unit;
  const defaultDays = loaded.period.horizonEnd ? daysBetween(loaded.period.cutoff, loaded.period.horizonEnd) : 365;
  const terms = forecastTerms({
    lastDay,
    months,
    end: flagValue(args, 'horizon-end'),
    defaultDays,
    annualDiscountRate: shareFlag(args, 'discount-rate'),
    margin: shareFlag(args, 'margin'),
    unit,
  });
  const needsSequences = modelName === 'lstm' || modelName === 'cnn';
  // The sequence net trains on the past window and scores the present one: both windows' sequences
  // are cut with the past window's layout (as many periods as it has history for).
  const layout = needsSequences ? engineSequenceLayoutAt(loaded.quality.first_date!, forecastPastCutoff(lastDay, terms.days)) : undefined;
  const inputs = await engine.modelInputs();
  const source: ForecastSource = {
    present: {
      customerIds: inputs.customerIds,
      featureNames: inputs.featureNames,
      X: inputs.X,
      btyd: inputs.btyd,
      unitDays: UNIT_DAYS[unit],
      lastDay,
      visitanteScore: inputs.visitanteScore,
      sequences: needsSequences ? await engine.sequences(layout) : undefined,
    },
    firstDay: loaded.quality.first_date!,
    past: async (cutoff) => {
      await engine.build({ period: { cutoff, horizonEnd: lastDay }, unit });
      return evaluationData(await engine.modelInputs(), terms.days, needsSequences ? await engine.sequences(layout) : undefined);
    },
  };
  const started = Date.now();
  const forecast = await forecastCustomers(source, {
    model: modelName,
    terms,
    seed,
    maxEpochs,
    intervals: flagValue(args, 'intervals') !== 'off',
    netTrainer,
    onProgress: (p) => {
      if (process.env.CLV_VERBOSE) process.stderr.write(`${p.model} ${p.stage} ${p.epoch}/${p.epochs}\n`);
    },
  });
  const folder = outputFolder(out);
  folder.write('forecast.csv', toCsv(forecastRows(forecast), forecastColumns(forecast)));
  // Segments and action lists come from the forecast, for the period it states.
  const actions = forecastActions(forecast);
  const period = { period_start: forecast.terms.start, period_end: forecast.terms.end };
  folder.write('segments.csv', toCsv(actions.segments.map((row) => ({ ...row, ...period }))));
  folder.write('retention.csv', toCsv(actions.retention.map((row) => ({ ...row, ...period })), ['customer_id', 'predicted_clv', 'p_alive', 'churn_risk', 'value_at_risk', 'period_start', 'period_end']));
  folder.write('upsell.csv', toCsv(actions.upsell.map((row) => ({ ...row, ...period })), ['customer_id', 'predicted_clv', 'p_alive', 'churn_risk', 'score', 'period_start', 'period_end']));
  const json = forecastJson(forecast);
  folder.json('forecast.json', json);
  return { command: 'forecast', engine: engineName, model: modelName, period: terms.description, customers: forecast.customerIds.length, totals: json.totals, seconds: (Date.now() - started) / 1000, warnings: forecast.warnings, out };
}
