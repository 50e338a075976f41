import { parseCliArgs } from './cliArgs';
import type { CommandName } from './cliOptions';
import type { CliArgs } from './cliArgs';
import { errorLine } from './cliErrorLine';

type Command = (args: CliArgs) => Promise<Record<string, unknown>>;

/** Loaded on use: a usage or an argument error answers at once, without loading DuckDB and TensorFlow.js. */
const COMMAND_MODULES: Record<CommandName, () => Promise<Command>> = {
  features: async () => (await import('./commands/features')).featuresCommand,
  fit: async () => (await import('./commands/fit')).fitCommand,
  predict: async () => (await import('./commands/predict')).predictCommand,
  forecast: async () => (await import('./commands/forecast')).forecastCommand,
  stats: async () => (await import('./commands/stats')).statsCommand,
};

/** What the process prints and returns: stdout text (a usage, or the one-line JSON summary), one stderr line, exit code. */
export interface CliOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs one command line to its outcome; never exits the process. */
export async function runCli(argv: readonly string[]): Promise<CliOutcome> {
  try {
    const request = parseCliArgs(argv);
    if (request.kind === 'help') return { code: 0, stdout: request.text, stderr: '' };
    const command = await COMMAND_MODULES[request.args.command]();
    const summary = await command(request.args);
    return { code: 0, stdout: `${JSON.stringify(summary)}\n`, stderr: '' };
  } catch (error) {
    return { code: 1, stdout: '', stderr: `${errorLine(error)}\n` };
  }
}
