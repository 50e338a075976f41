import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Plugin } from 'vite';

/** Every file under `dir`, relative path and bytes, in a stable order. */
function filesUnder(dir: string, prefix = ''): { name: string; bytes: Buffer }[] {
  return readdirSync(path.join(dir, prefix), { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const name = path.join(prefix, entry.name);
      return entry.isDirectory() ? filesUnder(dir, name) : [{ name, bytes: readFileSync(path.join(dir, name)) }];
    });
}

/**
 * Stamps the service worker's cache name with a hash of the build: the emitted file names (they
 * carry content hashes) and the bytes of the public files (sample, icons, manifest, sw.js itself,
 * which keep their names). Every deploy that changes anything therefore changes sw.js: the browser
 * installs it anew, precaches the new files and drops the old cache. Without it, an unchanged
 * sw.js would keep serving the first deploy's cache.
 */
function stampServiceWorker(): Plugin {
  let outDir = 'dist';
  let publicDir = '';
  let files: string[] = [];
  return {
    name: 'clv-stamp-service-worker',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
      publicDir = config.publicDir;
    },
    generateBundle(_options, bundle) {
      files = Object.keys(bundle).sort();
    },
    closeBundle() {
      const file = path.join(outDir, 'sw.js');
      if (!publicDir || !existsSync(file)) return;
      const hash = createHash('sha256').update(files.join('\n'));
      for (const f of filesUnder(publicDir)) hash.update(`\n${f.name}\n`).update(f.bytes);
      const marker = "const CACHE = 'clv-studio-v1';";
      const source = readFileSync(file, 'utf8');
      if (!source.includes(marker)) throw new Error(`sw.js no longer contains ${marker}: update stampServiceWorker in vite.config.ts`);
      writeFileSync(file, source.replace(marker, `const CACHE = 'clv-studio-${hash.digest('hex').slice(0, 12)}';`));
    },
  };
}

export default defineConfig({
  plugins: [svelte(), stampServiceWorker()],
  resolve: {
    alias: {
      // DuckDB runs synchronously inside our data worker; the package does not export this build by name
      // (its './blocking' subpath is the Node build). test/unit/duckdbEntry.test.ts fails if an upgrade moves it.
      'duckdb-browser-blocking': fileURLToPath(
        new URL('./node_modules/@duckdb/duckdb-wasm/dist/duckdb-browser-blocking.mjs', import.meta.url),
      ),
    },
  },
  worker: { format: 'es' },
  // No cross-origin isolation headers: GitHub Pages cannot send them, and threaded tfjs-wasm hangs
  // in the minified build when the page is isolated (single-threaded SIMD measured as fast on 2 cores).
  server: { port: 5173 },
  optimizeDeps: {
    exclude: ['@duckdb/duckdb-wasm'],
    // Pre-bundled at start so the first visit is not reloaded when the workers pull them in.
    include: ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-backend-webgpu', 'apache-arrow', 'hyparquet', 'hyparquet-compressors', 'duckdb-browser-blocking'],
  },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
  test: {
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    fileParallelism: true,
    // Only the browser tests need the production site: it is built once, for the e2e project.
    projects: [
      { extends: true, test: { name: 'node', include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts', 'test/ui/**/*.test.ts'] } },
      // Accuracy targets on full data sets (several cross-fitted default runs each: CPU-hours on two
      // cores), run on their own with `npm run test:accuracy`, not by `npm test`.
      { extends: true, test: { name: 'accuracy', include: ['test/accuracy/**/*.test.ts'], testTimeout: 7_200_000, hookTimeout: 7_200_000 } },
      { extends: true, test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], globalSetup: ['test/e2e/globalSetup.ts'] } },
    ],
  },
});
