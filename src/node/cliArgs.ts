import { parseArgs } from 'node:util';
import { ClvError } from '../core/errors';
import { COMMAND_NAMES, COMMANDS, commandUsage, topUsage, type CommandName, type FlagSpec } from './cliOptions';

/** A parsed command line: the command, its file and the flags given (a boolean flag holds true). */
export interface CliArgs {
  command: CommandName;
  file: string;
  flags: ReadonlyMap<string, string | true>;
}

/** What the command line asks for: run a command, or print a usage text and stop. */
export type CliRequest = { kind: 'run'; args: CliArgs } | { kind: 'help'; text: string };

const HELP_NAMES = new Set(['help', 'h']);

function isCommand(name: string): name is CommandName {
  return (COMMAND_NAMES as readonly string[]).includes(name);
}

/** Edit distance, to name the flag a typo meant. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}

function closestFlag(name: string, flags: readonly FlagSpec[]): string | null {
  let best: { name: string; d: number } | null = null;
  for (const f of flags) {
    const d = distance(name.toLowerCase(), f.name);
    if (!best || d < best.d) best = { name: f.name, d };
  }
  return best && best.d <= Math.max(1, Math.floor(best.name.length / 3)) ? best.name : null;
}

function badArgument(message: string, command: CommandName | null): ClvError {
  return new ClvError('BAD_ARGUMENT', `${message} ${command ? `Run "npm run clv -- ${command} --help"` : 'Run "npm run clv -- --help"'} for the usage.`);
}

/** A value that is really the next flag: "--cutoff --unit week" gave --cutoff no value. */
function looksLikeFlag(value: string): boolean {
  return /^--?[A-Za-z]/.test(value);
}

/**
 * Reads `npm run clv -- COMMAND FILE --flag value …` with node:util parseArgs, strictly: an
 * unknown flag, a flag without its value, a value outside the flag's choices, a flag given twice
 * and a stray argument are all errors that name the flag. `--help` / `-h` anywhere asks for the
 * usage of the command (or of the CLI when no command is given).
 */
export function parseCliArgs(argv: readonly string[]): CliRequest {
  const [command, ...rest] = argv;
  if (command === undefined) throw badArgument(`Missing command: use ${COMMAND_NAMES.join(', ')}.`, null);
  if (command === '--help' || command === '-h' || command === 'help') {
    const [topic] = rest;
    return { kind: 'help', text: topic && isCommand(topic) ? commandUsage(topic) : topUsage() };
  }
  if (!isCommand(command)) {
    throw badArgument(`Unknown command "${command}": use ${COMMAND_NAMES.join(', ')}.`, null);
  }
  const spec = COMMANDS[command];
  const options = Object.fromEntries(spec.flags.map((f) => [f.name, { type: f.type }]));
  const { tokens } = parseArgs({ args: [...rest], options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: false, allowPositionals: true, tokens: true });
  if (tokens.some((t) => t.kind === 'option' && HELP_NAMES.has(t.name))) return { kind: 'help', text: commandUsage(command) };

  const flags = new Map<string, string | true>();
  const positionals: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'positional') {
      positionals.push(token.value);
      continue;
    }
    if (token.kind !== 'option') continue; // the "--" terminator
    const flag = spec.flags.find((f) => f.name === token.name);
    if (!flag) {
      const near = closestFlag(token.name, spec.flags);
      const valid = spec.flags.map((f) => `--${f.name}`).join(', ');
      throw badArgument(`Unknown flag ${token.rawName} for "${command}"${near ? ` (did you mean --${near}?)` : ''}. Valid flags: ${valid}.`, command);
    }
    if (flags.has(flag.name)) throw badArgument(`--${flag.name} is given twice; give it once.`, command);
    if (flag.type === 'boolean') {
      if (token.value !== undefined) throw badArgument(`--${flag.name} takes no value (it is on when present), not "${token.value}".`, command);
      flags.set(flag.name, true);
      continue;
    }
    const value = token.value;
    if (value === undefined || (!token.inlineValue && looksLikeFlag(value))) {
      throw badArgument(`--${flag.name} needs a value (${flag.choices ? flag.choices.join(' | ') : flag.value}).`, command);
    }
    if (flag.choices && !flag.choices.includes(value)) {
      throw badArgument(`--${flag.name} must be ${flag.choices.join(', ')}, not "${value}".`, command);
    }
    flags.set(flag.name, value);
  }
  // features --from-stats reads the shards' files instead of a transaction file.
  if (positionals.length === 0 && command === 'features' && flags.has('from-stats')) return { kind: 'run', args: { command, file: '', flags } };
  if (positionals.length === 0) throw badArgument(`Missing FILE: "${command}" reads one file, e.g. npm run clv -- ${spec.synopsis[0]}.`, command);
  if (positionals.length > 1) throw badArgument(`Unexpected argument "${positionals[1]}": "${command}" reads one file, and flags look like --cutoff 1997-09-30.`, command);
  return { kind: 'run', args: { command, file: positionals[0], flags } };
}

/** A string flag's value, or undefined when it was not given. */
export function flagValue(args: CliArgs, name: string): string | undefined {
  const v = args.flags.get(name);
  return typeof v === 'string' ? v : undefined;
}

export function hasFlag(args: CliArgs, name: string): boolean {
  return args.flags.has(name);
}

export function requireFlag(args: CliArgs, name: string): string {
  const v = flagValue(args, name);
  if (v === undefined || v === '') throw new ClvError('BAD_ARGUMENT', `--${name} is required for "${args.command}". Run "npm run clv -- ${args.command} --help" for the usage.`);
  return v;
}

/** A flag whose value the parser already checked against `choices`. */
export function choiceFlag<T extends string>(args: CliArgs, name: string, fallback: T): T {
  return (flagValue(args, name) as T | undefined) ?? fallback;
}

export function wholeNumberFlag(args: CliArgs, name: string, fallback: number): number {
  const v = flagValue(args, name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (v.trim() === '' || !Number.isInteger(n) || n < 0) throw new ClvError('BAD_ARGUMENT', `--${name} must be a whole number, not "${v}".`);
  return n;
}
