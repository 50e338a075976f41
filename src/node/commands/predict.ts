import { readFileSync } from 'node:fs';
import { ClvError } from '../../core/errors';
import { bundleSequenceLayout, predictFromBundle } from '../../core/evaluate/modelBundle';
import { activateBackend } from '../../core/nets/backendChoice';
import { choiceFlag, requireFlag, type CliArgs } from '../cliArgs';
import { writeRows, type OutputFormat } from '../tableOutput';
import { checkOutputPath, outputFolder } from '../outputFolder';
import { prepareEngine } from '../prepareEngine';

/** `predict`: scores a file's customers with a saved bundle, as of --cutoff (default the last date). */
export async function predictCommand(args: CliArgs): Promise<Record<string, unknown>> {
  const out = requireFlag(args, 'out');
  const bundlePath = requireFlag(args, 'bundle');
  checkOutputPath(out);
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(bundlePath));
  } catch {
    throw new ClvError('BAD_ARGUMENT', `The bundle "${bundlePath}" cannot be read. Check the path.`);
  }
  await activateBackend('wasm');
  const { engine, engineName, built } = await prepareEngine(args);
  const inputs = await engine.modelInputs();
  // A sequence model (LSTM, CNN) reads each customer's per-period purchases, cut as the bundle says.
  const layout = bundleSequenceLayout(bytes);
  const sequences = layout ? await engine.sequences(layout) : undefined;
  if (sequences && sequences.customerIds.join('\n') !== inputs.customerIds.join('\n')) throw new Error('sequences and features are not aligned');
  const predictions = await predictFromBundle(bytes, { ...inputs, sequences });
  const rows = inputs.customerIds.map((id, i) => ({ customer_id: id, predicted_clv: predictions.values[i] }));
  writeRows(outputFolder(out), 'predictions', rows, ['customer_id', 'predicted_clv'], choiceFlag<OutputFormat>(args, 'format', 'csv'));
  return { command: 'predict', engine: engineName, customers: rows.length, model: predictions.model, cutoff: built.period.cutoff, out };
}
