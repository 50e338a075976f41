import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';

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
