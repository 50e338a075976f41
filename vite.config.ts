import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';

// Cross-origin isolation lets DuckDB-WASM and tfjs-wasm use threads when the browser allows it.
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  plugins: [svelte()],
  resolve: {
    alias: {
      // DuckDB runs synchronously inside our data worker; the package does not export this build by name.
      'duckdb-browser-blocking': fileURLToPath(
        new URL('./node_modules/@duckdb/duckdb-wasm/dist/duckdb-browser-blocking.mjs', import.meta.url),
      ),
    },
  },
  worker: { format: 'es' },
  server: { headers: isolationHeaders, port: 5173 },
  preview: { headers: isolationHeaders },
  optimizeDeps: { exclude: ['@duckdb/duckdb-wasm'] },
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
