/**
 * The command line: `npm run clv -- COMMAND FILE --flag value …` (see `npm run clv -- --help`).
 * Prints a usage or a one-line JSON summary on stdout, or one line on stderr, and sets the exit code.
 */
import { runCli } from './node/cliMain';

const outcome = await runCli(process.argv.slice(2));
process.stdout.write(outcome.stdout);
process.stderr.write(outcome.stderr);
process.exit(outcome.code);
