import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * No import cycles in src/ and workers/ (what `npx madge --circular` checks), with the TypeScript
 * compiler's own scanner and module resolution, so the suite needs nothing from the network.
 * Every kind of import counts: type-only imports, re-exports and dynamic import() (a type-only
 * cycle still ties two modules together, and a lazy one still runs both on first use).
 */
const ROOT = resolve(__dirname, '../..');
const SOURCE_DIRS = ['src', 'workers'];

const config = ts.getParsedCommandLineOfConfigFile(join(ROOT, 'tsconfig.json'), {}, {
  ...ts.sys,
  onUnRecoverableConfigFileDiagnostic: (d) => {
    throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  },
})!;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|svelte)$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The script blocks of a Svelte component, or the whole file for TypeScript. */
function scriptOf(path: string): string {
  const text = readFileSync(path, 'utf8');
  if (!path.endsWith('.svelte')) return text;
  return [...text.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join('\n');
}

/** Project files `path` imports (packages and virtual modules left out). */
function importsOf(path: string): string[] {
  const { importedFiles } = ts.preProcessFile(scriptOf(path), true, true);
  const targets: string[] = [];
  for (const { fileName } of importedFiles) {
    if (!fileName.startsWith('.')) continue;
    const specifier = fileName.replace(/\?.*$/, '');
    if (specifier.endsWith('.svelte')) {
      targets.push(resolve(dirname(path), specifier));
      continue;
    }
    const resolved = ts.resolveModuleName(specifier, path, config.options, ts.sys).resolvedModule;
    if (resolved && !resolved.isExternalLibraryImport) targets.push(resolve(resolved.resolvedFileName));
    else if (existsSync(resolve(dirname(path), specifier))) targets.push(resolve(dirname(path), specifier));
    else throw new Error(`${relative(ROOT, path)}: cannot resolve ${fileName}`);
  }
  return targets;
}

/** Every elementary cycle's first appearance in a depth-first walk, as a list of files. */
function findCycles(graph: Map<string, string[]>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of [...graph.keys()].sort()) if (!state.has(file)) visit(file);
  return cycles;
}

describe('import graph', () => {
  it('finds a cycle when there is one', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a', 'd']],
      ['d', []],
      ['e', ['e']],
    ]);
    expect(findCycles(graph)).toEqual([['a', 'b', 'c', 'a'], ['e', 'e']]);
    expect(findCycles(new Map([['a', ['b']], ['b', []], ['c', ['a', 'b']]]))).toEqual([]);
  });

  it('reads type-only, re-exported, dynamic and Svelte imports', () => {
    // import type …
    expect(importsOf(resolve(ROOT, 'src/ui/dataClient.ts'))).toContain(resolve(ROOT, 'workers/contracts.ts'));
    // export type … from …
    expect(importsOf(resolve(ROOT, 'workers/contracts.ts'))).toContain(resolve(ROOT, 'src/core/errors.ts'));
    // await import(…)
    expect(importsOf(resolve(ROOT, 'src/node/cliMain.ts'))).toContain(resolve(ROOT, 'src/node/commands/fit.ts'));
    expect(importsOf(resolve(ROOT, 'src/main.ts'))).toContain(resolve(ROOT, 'src/App.svelte'));
    expect(importsOf(resolve(ROOT, 'src/App.svelte')).length).toBeGreaterThan(3);
  });

  it('has no cycle in src/ and workers/', () => {
    const files = SOURCE_DIRS.flatMap((dir) => sourceFiles(join(ROOT, dir)));
    expect(files.length).toBeGreaterThan(100);
    const graph = new Map(files.map((file) => [file, importsOf(file)]));
    const cycles = findCycles(graph).map((cycle) => cycle.map((file) => relative(ROOT, file)).join(' → '));
    expect(cycles).toEqual([]);
  });
});
