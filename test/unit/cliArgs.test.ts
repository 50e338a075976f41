import { describe, expect, it } from 'vitest';
import { ClvError } from '../../src/core/errors';
import { parseCliArgs, wholeNumberFlag, type CliArgs } from '../../src/node/cliArgs';
import { COMMANDS, COMMAND_NAMES } from '../../src/node/cliOptions';

function run(argv: string[]): CliArgs {
  const request = parseCliArgs(argv);
  if (request.kind !== 'run') throw new Error('expected a command to run');
  return request.args;
}

function failure(argv: string[]): ClvError {
  try {
    parseCliArgs(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(ClvError);
    return error as ClvError;
  }
  throw new Error(`"${argv.join(' ')}" was accepted`);
}

describe('parseCliArgs', () => {
  it('reads the command, the file and every flag, a boolean flag as true', () => {
    const args = run(['features', 'data.csv', '--cutoff', '1997-09-30', '--unit', 'week', '--amount', 'Price', '--allow-rejects', '--decimal', ',', '--out', 'out']);
    expect(args.command).toBe('features');
    expect(args.file).toBe('data.csv');
    expect(Object.fromEntries(args.flags)).toEqual({ cutoff: '1997-09-30', unit: 'week', amount: 'Price', 'allow-rejects': true, decimal: ',', out: 'out' });
  });

  it('accepts --flag=value and a file after the flags', () => {
    const args = run(['fit', '--cutoff=1997-09-30', '--model', 'bgnbd-gg', 'data.csv']);
    expect(args.file).toBe('data.csv');
    expect(args.flags.get('cutoff')).toBe('1997-09-30');
  });

  it('keeps every flag the README documents working', () => {
    const common = ['--cutoff', '1997-09-30', '--horizon-end', '1998-06-30', '--unit', 'day', '--customer', 'c', '--date', 'd', '--amount', 'a', '--returns', 'drop', '--duplicates', 'keep', '--out', 'o'];
    expect(run(['features', 'f', ...common]).flags.size).toBe(9);
    const fit = run(['fit', 'f', ...common, '--model', 'all', '--seed', '7', '--epochs', '2', '--backtest', 'off', '--clusters', 'on', '--backend', 'cpu']);
    expect(fit.flags.get('backtest')).toBe('off');
    const table = run(['fit', 't', '--target', 'clv', '--split', '70/15/15', '--kfold', '3', '--id', 'customer_id', '--model', 'fnn', '--out', 'o']);
    expect(table.flags.get('kfold')).toBe('3');
    const roles = ['--order', 'o', '--quantity', 'q', '--unit-price', 'p', '--category', 'k', '--channel', 'h', '--region', 'r', '--date-format', 'mdy', '--date-window', '1960-01-01..2030-12-31'];
    expect(run(['predict', 'f', '--bundle', 'b', ...roles, '--out', 'o']).flags.get('unit-price')).toBe('p');
  });

  it('an unknown flag is an error naming it, the flag it was probably meant to be and the valid ones', () => {
    const e = failure(['features', 'data.csv', '--cutof', '1997-09-30']);
    expect(e.code).toBe('BAD_ARGUMENT');
    expect(e.message).toContain('Unknown flag --cutof');
    expect(e.message).toContain('did you mean --cutoff?');
    for (const f of COMMANDS.features.flags) expect(e.message).toContain(`--${f.name}`);
    expect(e.message.split('\n')).toHaveLength(1);
  });

  it('--engine takes wasm or native only', () => {
    const e = failure(['fit', 'data.csv', '--engine', 'duckdb', '--model', 'bgnbd-gg']);
    expect(e.message).toContain('--engine must be wasm, native, not "duckdb"');
  });

  it('a flag of another command is unknown to this one', () => {
    expect(failure(['features', 'data.csv', '--model', 'fnn']).message).toContain('Unknown flag --model');
    expect(failure(['predict', 'data.csv', '-x']).message).toContain('Unknown flag -x');
  });

  it('a flag without its value is an error, also when the next flag follows', () => {
    expect(failure(['features', 'data.csv', '--cutoff']).message).toMatch(/^--cutoff needs a value/);
    expect(failure(['features', 'data.csv', '--cutoff', '--unit', 'week']).message).toMatch(/^--cutoff needs a value/);
    expect(failure(['features', 'data.csv', '--unit']).message).toContain('--unit needs a value (day | week)');
  });

  it('a value outside the choices is an error that lists the valid ones', () => {
    const e = failure(['features', 'data.csv', '--date-format', 'dd/mm/yyyy']);
    expect(e.message).toContain('--date-format must be ymd, mdy, dmy, month_name, yyyymmdd, epoch_s, epoch_ms, epoch_us, excel_serial, iso, native, not "dd/mm/yyyy"');
    expect(failure(['features', 'data.csv', '--decimal', ';']).message).toContain('--decimal must be ., ,');
    expect(failure(['features', 'data.csv', '--unit', 'month']).message).toContain('--unit must be day, week');
    expect(failure(['fit', 'data.csv', '--backtest', 'no']).message).toContain('--backtest must be on, off');
  });

  it('every accepted --date-format value passes', () => {
    for (const f of ['ymd', 'mdy', 'dmy', 'yyyymmdd', 'epoch_s', 'epoch_ms', 'iso']) expect(run(['features', 'f', '--date-format', f]).flags.get('date-format')).toBe(f);
  });

  it('a boolean flag takes no value; a flag given twice and a stray argument are errors', () => {
    expect(failure(['features', 'f', '--allow-rejects=yes']).message).toContain('--allow-rejects takes no value');
    expect(failure(['features', 'f', '--cutoff', '2020-01-01', '--cutoff', '2021-01-01']).message).toContain('--cutoff is given twice');
    expect(failure(['features', 'f', 'g']).message).toContain('Unexpected argument "g"');
    expect(failure(['features', '--cutoff', '2020-01-01']).message).toContain('Missing FILE');
  });

  it('no command and an unknown command are errors', () => {
    expect(failure([]).message).toContain('Missing command');
    expect(failure(['train', 'f']).message).toContain('Unknown command "train": use features, fit, predict');
  });

  it('--help and -h print the usage of each command, listing every flag of it', () => {
    for (const name of COMMAND_NAMES) {
      for (const help of ['--help', '-h']) {
        const request = parseCliArgs([name, help]);
        expect(request.kind).toBe('help');
        if (request.kind !== 'help') continue;
        expect(request.text).toContain(`npm run clv -- ${name} `);
        for (const f of COMMANDS[name].flags) expect(request.text).toContain(`--${f.name}`);
      }
    }
    // Help wins over what else is on the line, a bad flag included.
    expect(parseCliArgs(['fit', 'data.csv', '--cutof', 'x', '--help']).kind).toBe('help');
  });

  it('the top-level help names every command', () => {
    for (const argv of [['--help'], ['-h'], ['help']]) {
      const request = parseCliArgs(argv);
      expect(request.kind).toBe('help');
      if (request.kind === 'help') for (const name of COMMAND_NAMES) expect(request.text).toContain(`npm run clv -- ${name} `);
    }
    const fitHelp = parseCliArgs(['help', 'fit']);
    expect(fitHelp.kind === 'help' && fitHelp.text.includes('--horizon-end')).toBe(true);
  });

  it('no usage text tells a command-line user to "drop" a file', () => {
    for (const name of COMMAND_NAMES) {
      const request = parseCliArgs([name, '--help']);
      const text = request.kind === 'help' ? request.text : '';
      expect(text).not.toMatch(/drop (a|the|your) file/i);
    }
  });
});

describe('wholeNumberFlag', () => {
  it('reads whole numbers and refuses the rest', () => {
    expect(wholeNumberFlag(run(['fit', 'f', '--seed', '7']), 'seed', 42)).toBe(7);
    expect(wholeNumberFlag(run(['fit', 'f']), 'seed', 42)).toBe(42);
    for (const bad of ['1.5', 'seven', '-1']) expect(() => wholeNumberFlag(run(['fit', 'f', `--seed=${bad}`]), 'seed', 42)).toThrow(/--seed must be a whole number/);
  });
});
