/**
 * The data worker runs DuckDB's *blocking* browser build (synchronous calls inside our own worker).
 * @duckdb/duckdb-wasm ships that build as dist/duckdb-browser-blocking.mjs but does not list it in
 * its package.json "exports" (its "./blocking" subpath is the Node build), so vite.config.ts and
 * tsconfig.json reach it through the alias 'duckdb-browser-blocking'. Nothing else would notice if
 * an upgrade renamed or dropped the file, or stopped exporting a name we import: this test does.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PACKAGE = path.join(ROOT, 'node_modules/@duckdb/duckdb-wasm');
const BUILD = 'dist/duckdb-browser-blocking.mjs';
const TYPES = 'dist/duckdb-browser-blocking.d.ts';
const ALIAS = 'duckdb-browser-blocking';

/** Every .ts file under the folders that import the alias. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sources(file);
    return entry.name.endsWith('.ts') ? [file] : [];
  });
}

/** The declaration text reachable from a .d.ts through its `export … from` re-exports. */
function declarations(file: string, seen = new Set<string>()): string {
  const resolved = [file, `${file}.d.ts`, path.join(file, 'index.d.ts')].find((f) => f.endsWith('.d.ts') && existsSync(f));
  if (!resolved || seen.has(resolved)) return '';
  seen.add(resolved);
  const text = readFileSync(resolved, 'utf8');
  const targets = [...text.matchAll(/export\s+(?:\*|\{[^}]*\})\s+from\s+'([^']+)'/g)].map((m) => m[1]);
  return [text, ...targets.map((t) => declarations(path.resolve(path.dirname(resolved), t), seen))].join('\n');
}

/** The names our code imports from the alias (values and types). */
function importedNames(): Map<string, string[]> {
  const names = new Map<string, string[]>();
  const pattern = new RegExp(`import\\s+(?:type\\s+)?\\{([^}]*)\\}\\s+from\\s+'${ALIAS}'`, 'g');
  for (const file of ['src', 'workers', 'test'].flatMap((d) => sources(path.join(ROOT, d)))) {
    for (const match of readFileSync(file, 'utf8').matchAll(pattern)) {
      for (const part of match[1].split(',')) {
        const name = part.replace(/^\s*type\s+/, '').split(/\s+as\s+/)[0].trim();
        if (name) names.set(name, [...(names.get(name) ?? []), path.relative(ROOT, file)]);
      }
    }
  }
  return names;
}

describe(`the '${ALIAS}' alias (duckdb-wasm's unexported blocking browser build)`, () => {
  const version = JSON.parse(readFileSync(path.join(PACKAGE, 'package.json'), 'utf8')).version as string;
  const upgradeHint = `@duckdb/duckdb-wasm ${version}: update the '${ALIAS}' alias in vite.config.ts and tsconfig.json (see test/unit/duckdbEntry.test.ts)`;

  it('points vite and TypeScript at files that exist in the installed package', () => {
    expect(existsSync(path.join(PACKAGE, BUILD)), `${BUILD} is missing from ${upgradeHint}`).toBe(true);
    expect(existsSync(path.join(PACKAGE, TYPES)), `${TYPES} is missing from ${upgradeHint}`).toBe(true);
    const vite = readFileSync(path.join(ROOT, 'vite.config.ts'), 'utf8');
    expect(vite, 'vite.config.ts no longer aliases the blocking build').toContain(`'${ALIAS}': fileURLToPath(`);
    expect(vite).toContain(`node_modules/@duckdb/duckdb-wasm/${BUILD}`);
    const tsconfig = JSON.parse(readFileSync(path.join(ROOT, 'tsconfig.json'), 'utf8'));
    expect(tsconfig.compilerOptions.paths[ALIAS]).toEqual([`./node_modules/@duckdb/duckdb-wasm/${TYPES}`]);
  });

  it('exports every name the workers, core and bench import from it', () => {
    const source = readFileSync(path.join(PACKAGE, BUILD), 'utf8');
    // The bundle ends in one `export{local as Name, …}` statement.
    const statement = [...source.matchAll(/export\s*\{([^}]*)\}/g)].at(-1);
    expect(statement, `${BUILD} has no export statement: ${upgradeHint}`).toBeDefined();
    const exported = new Set(statement![1].split(',').map((part) => part.split(/\s+as\s+/).at(-1)!.trim()));
    const types = declarations(path.join(PACKAGE, TYPES));
    const imported = importedNames();
    // The worker's start-up and queries need at least these; the scan must have found them.
    for (const name of ['createDuckDB', 'BROWSER_RUNTIME', 'ConsoleLogger', 'LogLevel', 'DuckDBDataProtocol', 'DuckDBBindings']) {
      expect(imported.has(name), `no file imports ${name} from '${ALIAS}' any more: update this test`).toBe(true);
    }
    for (const [name, files] of imported) {
      // Type-only names (interfaces) are not in the runtime bundle, only in its declarations.
      const present = exported.has(name) || new RegExp(`export\\s+(?:declare\\s+)?(?:interface|type|class|enum|const enum)\\s+${name}\\b`).test(types);
      expect(present, `${name} (imported by ${files.join(', ')}) is no longer exported by ${BUILD} in ${upgradeHint}`).toBe(true);
    }
  });

  it('is still needed: the package exports no browser blocking build under a subpath', () => {
    const exports = JSON.parse(readFileSync(path.join(PACKAGE, 'package.json'), 'utf8')).exports as Record<string, unknown>;
    const targets = JSON.stringify(exports);
    // If a release exports it, import that subpath instead and drop the alias.
    expect(targets.includes('duckdb-browser-blocking'), `${upgradeHint}: the package now exports the blocking browser build; import it by its subpath`).toBe(false);
  });
});
