import { parseCliArgs } from './cliArgs';
import type { CommandName } from './cliOptions';
import type { CliArgs } from './cliArgs';
import { errorLine } from './cliErrorLine';
import { featuresCommand } from './commands/features';
import { fitCommand } from './commands/fit';
import { predictCommand } from './commands/predict';

const RUNNERS: Record<CommandName, (args: CliArgs) => Promise<Record<string, unknown>>> = {
  features: featuresCommand,
  fit: fitCommand,
  predict: predictCommand,
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
    const summary = await RUNNERS[request.args.command](request.args);
    return { code: 0, stdout: `${JSON.stringify(summary)}\n`, stderr: '' };
  } catch (error) {
    return { code: 1, stdout: '', stderr: `${errorLine(error)}\n` };
  }
}
