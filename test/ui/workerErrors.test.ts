import * as Comlink from 'comlink';
import { afterEach, describe, expect, it } from 'vitest';
import { ClvError, toErrorInfo, type ClvErrorCode } from '../../src/core/errors';
import { asUiError } from '../../src/ui/dataClient';

/**
 * Errors thrown inside a worker reach the page through a real MessageChannel and Comlink, as in
 * the app: the worker side rethrows toErrorInfo(error) (workers/*.worker.ts), the page reads it
 * with asUiError.
 */
interface Thrower {
  fail(kind: string): Promise<never>;
}

const channels: MessageChannel[] = [];
afterEach(() => {
  for (const c of channels.splice(0)) {
    c.port1.close();
    c.port2.close();
  }
});

function throwingWorker(errors: Record<string, () => unknown>): Comlink.Remote<Thrower> {
  const channel = new MessageChannel();
  channels.push(channel);
  const api: Thrower = {
    async fail(kind) {
      try {
        throw errors[kind]();
      } catch (error) {
        throw toErrorInfo(error);
      }
    },
  };
  Comlink.expose(api, channel.port2 as unknown as Comlink.Endpoint);
  return Comlink.wrap<Thrower>(channel.port1 as unknown as Comlink.Endpoint);
}

async function receivedFrom(remote: Comlink.Remote<Thrower>, kind: string) {
  try {
    await remote.fail(kind);
  } catch (error) {
    return asUiError(error);
  }
  throw new Error(`${kind}: nothing was thrown`);
}

function bugInWorkerCode(): never {
  const missing = undefined as unknown as { x: number };
  return missing.x as never;
}

describe('errors crossing a thread', () => {
  it('keep an internal error’s name and stack, a user error’s code, message and details', async () => {
    let bug: TypeError | null = null;
    const remote = throwingWorker({
      bug: () => {
        try {
          bugInWorkerCode();
        } catch (error) {
          bug = error as TypeError;
        }
        return bug;
      },
      user: () => new ClvError('TOO_MANY_REJECTS', 'Too many rows were rejected. Pick another date format.', { rejected: 12, examples: ['31/02/2020'] }),
      relayed: () => ({ code: 'WORKER_HUNG', message: 'The engine stopped answering.' }),
      string: () => 'plain string',
    });

    const internal = await receivedFrom(remote, 'bug');
    expect(bug).toBeInstanceOf(TypeError);
    expect(internal.code).toBe('INTERNAL');
    expect(internal.name).toBe('TypeError');
    // The engine's own text stays out of the message (issue 16) and travels as `technical`.
    expect(internal.message).not.toContain(bug!.message);
    expect(internal.message).toContain('Something unexpected went wrong inside the engine');
    expect(internal.technical).toBe(bug!.message);
    // The stack is the worker's own: it names the function that failed, not the page's caller.
    expect(internal.stack).toBe(bug!.stack);
    expect(internal.stack).toContain('bugInWorkerCode');

    const user = await receivedFrom(remote, 'user');
    expect(user).toEqual({
      code: 'TOO_MANY_REJECTS',
      message: 'Too many rows were rejected. Pick another date format.',
      details: { rejected: 12, examples: ['31/02/2020'] },
    });
    // A user's mistake carries no stack: its sentence is the whole story.
    expect(user.stack).toBeUndefined();

    // An error relayed from another thread is passed on as it is, not wrapped again.
    expect(await receivedFrom(remote, 'relayed')).toEqual({ code: 'WORKER_HUNG', message: 'The engine stopped answering.' });
    expect(await receivedFrom(remote, 'string')).toMatchObject({ code: 'INTERNAL', technical: 'plain string' });
  });

  it('a wasm trap keeps the RuntimeError name and stack', async () => {
    // f() executes `unreachable`.
    const trapModule = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 7, 5, 1, 1, 102, 0, 0, 10, 5, 1, 3, 0, 0, 11]);
    const remote = throwingWorker({
      trap: () => {
        try {
          (new WebAssembly.Instance(new WebAssembly.Module(trapModule)).exports.f as () => void)();
        } catch (error) {
          return error;
        }
        return new Error('no trap');
      },
    });
    const trap = await receivedFrom(remote, 'trap');
    expect(trap.code).toBe('ENGINE_FAILED');
    expect(trap.name).toBe('RuntimeError');
    expect(trap.stack).toMatch(/unreachable/);
  });

  it('an error raised on the page itself keeps its name and stack too', () => {
    const error = new RangeError('Invalid array length');
    expect(asUiError(error)).toMatchObject({ code: 'INTERNAL', technical: 'Invalid array length', name: 'RangeError', stack: error.stack });
    expect(asUiError(error).message).not.toContain('Invalid array length');
  });
});

describe('error codes', () => {
  it('every code the app and the workers raise by name is a ClvErrorCode', async () => {
    const { readFileSync, readdirSync, statSync } = await import('node:fs');
    const { join } = await import('node:path');
    const errorsSource = readFileSync('src/core/errors.ts', 'utf8');
    const union = errorsSource.slice(errorsSource.indexOf('export type ClvErrorCode'), errorsSource.indexOf(';', errorsSource.indexOf('export type ClvErrorCode')));
    const known = new Set<string>([...union.matchAll(/'([A-Z_]+)'/g)].map((m) => m[1]));
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (/\.(ts|svelte)$/.test(name)) files.push(path);
      }
    };
    walk('src');
    walk('workers');
    const used = new Map<string, string>();
    // Codes written out where an error is made or tested: `code: 'X'`, `code === 'X'`, `new ClvError('X'`, `new BundleError('X'`.
    const pattern = /(?:code\s*(?::|===?|!==?)\s*|new (?:Clv|Bundle)Error\(\s*)'([A-Z][A-Z_]+)'/g;
    for (const file of files) for (const m of readFileSync(file, 'utf8').matchAll(pattern)) used.set(m[1], file);
    expect(used.size).toBeGreaterThan(10);
    const unknown = [...used].filter(([code]) => !known.has(code) && code !== 'INTERNAL' && code !== 'ENGINE_FAILED');
    expect(unknown).toEqual([]);
    // The union is what the compiler checks; this pins a few codes raised outside the core.
    for (const code of ['CANCELLED', 'WORKER_HUNG', 'BUNDLE_CORRUPT'] satisfies ClvErrorCode[]) expect(known.has(code)).toBe(true);
  });
});
