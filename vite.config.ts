import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Plugin } from 'vite';

/**
 * Stamps the service worker's cache name with a hash of the build's file names (they carry content
 * hashes), so every deploy changes sw.js: the browser installs it anew, precaches the new assets
 * and drops the old cache. Without it, an unchanged sw.js would keep the first deploy's cache.
 */
function stampServiceWorker(): Plugin {
  let outDir = 'dist';
  let files: string[] = [];
  return {
    name: 'clv-stamp-service-worker',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    generateBundle(_options, bundle) {
      files = Object.keys(bundle).sort();
    },
    closeBundle() {
      const file = path.join(outDir, 'sw.js');
      let source: string;
      try {
        source = readFileSync(file, 'utf8');
      } catch {
        return; // a build without the app's public folder (the bench pages)
      }
      const build = createHash('sha256').update(files.join('\n')).digest('hex').slice(0, 12);
      writeFileSync(file, source.replace("const CACHE = 'clv-studio-v1';", `const CACHE = 'clv-studio-${build}';`));
    },
  };
}

export default defineConfig({
  plugins: [svelte(), stampServiceWorker()],
  resolve: {
    alias: {
      // DuckDB runs synchronously inside our data worker; the package does not export this build by name.
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
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/e2e/globalSetup.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    fileParallelism: true,
  },
});
