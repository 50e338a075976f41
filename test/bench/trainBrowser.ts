/**
 * Training throughput of the seed FNN in headless Chromium:
 *   npx tsx test/bench/trainBrowser.ts [--rows 100000] [--epochs 2] [--out FILE.json]
 *
 * Builds the bench page (test/bench/train.html) with the app's Vite config and trains in a Web
 * Worker (train.worker.ts) with the app's training code, for batch 64 and 512, on each backend
 * headless Chromium offers:
 *  - wasm (SIMD, single-threaded: the app is served without cross-origin isolation) on all rows;
 *  - wasm multi-threaded: the same page served with COOP/COEP, so tfjs-backend-wasm picks its
 *    threaded build (issue 4: does isolation make training faster?); a run that hangs is recorded;
 *  - webgl, if a context can be created, on a subset (its renderer is recorded: headless Chromium
 *    without a GPU renders through SwiftShader, i.e. on the CPU);
 *  - cpu (plain JavaScript) on a small subset;
 *  - webgpu: the adapter is probed with WebGPU enabled; a software/fallback adapter (SwiftShader)
 *    is recorded as skipped with the reason, a hardware one is measured like wasm.
 * Each rate is the fastest of --epochs epochs (others on a shared machine only slow runs down).
 * --backends wasm,wasm-threads,webgl,cpu,webgpu limits what is timed (default: all).
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { chooseBackend, type BackendName } from '../../src/core/nets/backendChoice';
import { WEBGPU_FLAGS, launch } from '../e2e/browser';
import { serveBuild } from '../e2e/staticServer';
import { ROOT } from './aggregateBrowser';
import { TRAIN_BATCHES } from './trainData';
import type { TrainRequest, TrainRun, WorkerProbe } from './train.worker';
import { argument } from './argument';

const BASE = '/bench/';
/** Slow backends are timed on this many training rows: a per-sample rate needs no more. */
const SUBSET_ROWS: Record<BackendName, number | null> = { wasm: null, webgpu: null, webgl: 4_000, cpu: 2_000 };
/** A configuration that has not finished by then is recorded as timed out (threaded WASM has hung before). */
const RUN_TIMEOUT_MS = 180_000;
/** A few batches of threaded WASM first: a hang shows within this time. */
const SMOKE_TIMEOUT_MS = 45_000;

export interface BrowserTrainRun extends Partial<TrainRun> {
  backend: string;
  batch: number;
  /** 'single-threaded' or 'N threads (cross-origin isolated)'. */
  variant: string;
  skipped?: string;
  error?: string;
}

export interface BrowserTrainResult {
  chromium: string;
  rows: number;
  epochs_per_measurement: number;
  /** What the worker saw on the app's (non-isolated) page, and with WebGPU enabled. */
  probe: WorkerProbe | null;
  probe_webgpu_flags: WorkerProbe | null;
  /** The app's own backend choice for these probes. */
  app_choice: string | null;
  /** UNMASKED_RENDERER_WEBGL of the context the webgl runs used. */
  webgl_renderer?: string | null;
  runs: BrowserTrainRun[];
  loadavg_1m: number[];
  errors: string[];
}

/** Production build of the training bench page, outside the repository. */
async function buildTrainSite(minify: boolean): Promise<string> {
  const outDir = path.join(os.tmpdir(), `clv-train-bench-site${minify ? '' : '-unminified'}`);
  const { build } = await import('vite');
  await build({
    root: ROOT,
    configFile: path.join(ROOT, 'vite.config.ts'),
    base: BASE,
    mode: 'production',
    logLevel: 'error',
    build: { outDir, emptyOutDir: true, minify, rolldownOptions: { input: { train: path.join(ROOT, 'test/bench/train.html') } } },
  });
  return outDir;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

type Call = { kind: 'probe' } | { kind: 'train'; request: TrainRequest };

/** One call in a fresh page (a hung worker dies with its page). */
async function inPage<T>(browser: Browser, url: string, call: Call, timeoutMs: number): Promise<T> {
  const page = await browser.newPage();
  const log: string[] = [];
  page.on('pageerror', (e) => log.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') log.push(m.text());
  });
  try {
    await page.goto(`${url}test/bench/train.html`);
    await page.waitForFunction(() => 'clvTrain' in window);
    const evaluate =
      call.kind === 'probe'
        ? page.evaluate(() => (window as any).clvTrain.probe())
        : page.evaluate((r) => (window as any).clvTrain.train(r), call.request);
    return (await withTimeout(evaluate, timeoutMs, call.kind === 'probe' ? 'probe' : `${call.request.backend} batch ${call.request.batch}`)) as T;
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new Error(`${message}${log.length ? ` | page: ${log.slice(-3).join(' / ').slice(0, 400)}` : ''}`);
  } finally {
    await page.close().catch(() => undefined);
  }
}

function softwareWebgl(renderer: string | null): boolean {
  return /swiftshader|llvmpipe|software/i.test(renderer ?? '');
}

export async function runTrainBrowser(options: { rows: number; epochs: number; backends?: string[]; log?: (line: string) => void }): Promise<BrowserTrainResult> {
  const wanted = (b: string) => !options.backends || options.backends.includes(b);
  const log = options.log ?? ((line: string) => console.error(line));
  const site = await buildTrainSite(true);
  const plain = await serveBuild(site, BASE, { isolation: false });
  const isolated = await serveBuild(site, BASE, { isolation: true });
  // tfjs-backend-wasm starts its pthreads from the source text of its factory function
  // (Function.prototype.toString), which breaks once a minifier renames what that function refers
  // to ("e is not defined" in the pthread, and the backend never finishes initialising). An
  // unminified build of the same page tells whether threads would pay off at all.
  const unminified = await serveBuild(await buildTrainSite(false), BASE, { isolation: true });
  const result: BrowserTrainResult = {
    chromium: '',
    rows: options.rows,
    epochs_per_measurement: options.epochs,
    probe: null,
    probe_webgpu_flags: null,
    app_choice: null,
    runs: [],
    loadavg_1m: [os.loadavg()[0]],
    errors: [],
  };
  const trainRows = options.rows - Math.min(1000, Math.floor(options.rows / 10));
  const browsers: Browser[] = [];
  const measure = async (browser: Browser, url: string, backend: BackendName, batch: number, variant: string, threads?: number, smoke = false): Promise<boolean> => {
    const subset = smoke ? 4 * batch : SUBSET_ROWS[backend];
    const request: TrainRequest = {
      backend,
      batch,
      rows: options.rows,
      trainRows: subset ?? trainRows,
      // A subset is one epoch: it is there because the backend is slow.
      epochs: subset ? 1 : options.epochs,
      threads,
    };
    try {
      const run = await inPage<TrainRun>(browser, url, { kind: 'train', request }, smoke ? SMOKE_TIMEOUT_MS : RUN_TIMEOUT_MS);
      if (!smoke) {
        result.runs.push({ ...run, variant });
        log(`chromium ${backend} ${variant} batch ${batch}: ${run.samples_per_s} samples/s (epochs ${run.epoch_samples_per_s.join(', ')}; ${run.rows} rows)`);
      }
      return true;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      result.runs.push({ backend, batch, variant, error: `${smoke ? 'smoke test: ' : ''}${message}` });
      log(`chromium ${backend} ${variant} batch ${batch}: FAILED ${smoke ? 'smoke test: ' : ''}${message}`);
      return false;
    } finally {
      result.loadavg_1m.push(os.loadavg()[0]);
    }
  };

  try {
    // The app's situation: default flags, no isolation.
    const browser = await launch();
    browsers.push(browser);
    result.chromium = browser.version();
    const probe = await inPage<WorkerProbe>(browser, plain.url, { kind: 'probe' }, 60_000);
    result.probe = probe;
    result.app_choice = chooseBackend(probe.probe).reason;
    log(`chromium ${result.chromium}: webgl ${probe.probe.webgl.available ? `yes (${probe.webglRenderer})` : 'no'}, webgpu ${probe.probe.webgpu?.available ? 'adapter' : 'none'}; app picks: ${result.app_choice}`);

    // WebGPU needs flags in headless Linux Chromium; its adapter decides whether it is worth timing.
    const gpuBrowser = await launch(WEBGPU_FLAGS);
    browsers.push(gpuBrowser);
    const gpuProbe = await inPage<WorkerProbe>(gpuBrowser, plain.url, { kind: 'probe' }, 60_000).catch((error: Error) => {
      result.errors.push(`webgpu probe: ${error.message}`);
      return null;
    });
    result.probe_webgpu_flags = gpuProbe;
    const gpu = gpuProbe?.probe.webgpu;
    const gpuChoice = gpuProbe ? chooseBackend({ ...gpuProbe.probe, override: undefined }) : null;
    const gpuIsHardware = gpu?.available === true && gpuChoice?.backend === 'webgpu';
    log(`webgpu (${WEBGPU_FLAGS.join(' ')}): ${gpu?.available ? `${gpu.vendor ?? ''} ${gpu.architecture ?? ''} ${gpu.description ?? ''} fallback=${gpu.isFallbackAdapter}` : 'no adapter'}`);

    if (wanted('wasm')) for (const batch of TRAIN_BATCHES) await measure(browser, plain.url, 'wasm', batch, 'single-threaded');
    const threads = Math.max(2, probe.hardwareConcurrency);
    const threadedVariant = `${threads} threads (cross-origin isolated)`;
    // The app's minified build, isolated: one short smoke test (it hung before).
    if (wanted('wasm-threads') && (await measure(browser, isolated.url, 'wasm', TRAIN_BATCHES[0], `${threadedVariant}, minified build`, threads, true))) {
      for (const batch of TRAIN_BATCHES) await measure(browser, isolated.url, 'wasm', batch, `${threadedVariant}, minified build`, threads);
    }
    if (wanted('wasm-threads') && (await measure(browser, unminified.url, 'wasm', TRAIN_BATCHES[0], `${threadedVariant}, unminified build`, threads, true))) {
      for (const batch of TRAIN_BATCHES) await measure(browser, unminified.url, 'wasm', batch, `${threadedVariant}, unminified build`, threads);
    }
    if (!wanted('webgl')) {
      // not asked for
    } else if (probe.probe.webgl.available || gpuProbe?.probe.webgl.available) {
      // Without a GPU, WebGL may exist only through SwiftShader, and only with --enable-unsafe-swiftshader.
      const webglBrowser = probe.probe.webgl.available ? browser : gpuBrowser;
      const renderer = probe.probe.webgl.available ? probe.webglRenderer : gpuProbe?.webglRenderer ?? null;
      const variant = `${softwareWebgl(renderer) ? 'SwiftShader (on the CPU)' : 'GPU'}${webglBrowser === gpuBrowser ? `, needs ${WEBGPU_FLAGS.join(' ')}` : ''}`;
      result.webgl_renderer = renderer;
      for (const batch of TRAIN_BATCHES) await measure(webglBrowser, plain.url, 'webgl', batch, variant);
    } else {
      for (const batch of TRAIN_BATCHES) result.runs.push({ backend: 'webgl', batch, variant: '', skipped: 'no WebGL context in the worker' });
    }
    if (wanted('cpu')) for (const batch of TRAIN_BATCHES) await measure(browser, plain.url, 'cpu', batch, 'plain JavaScript');
    for (const batch of TRAIN_BATCHES) {
      if (gpuIsHardware) await measure(gpuBrowser, plain.url, 'webgpu', batch, `${gpu?.vendor ?? ''} ${gpu?.architecture ?? ''}`.trim());
      else {
        const why = !gpu?.available
          ? 'no WebGPU adapter, even with WebGPU enabled'
          : `software adapter (${gpuChoice?.reason.replace(/^.*WebGPU skipped because /, '').replace(/, which is slower than WASM.*$/, '')}): the GPU is emulated on the CPU, slower than WASM, not real hardware`;
        result.runs.push({ backend: 'webgpu', batch, variant: `${gpu?.vendor ?? ''} ${gpu?.architecture ?? ''}`.trim(), skipped: why });
      }
    }
  } catch (error) {
    result.errors.push(error instanceof Error ? error.message : String(error));
  } finally {
    for (const b of browsers) await b.close().catch(() => undefined);
    await plain.close();
    await isolated.close();
    await unminified.close();
  }
  return result;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const out = argument('out');
  const result = await runTrainBrowser({ rows: Number(argument('rows') ?? 100_000), epochs: Number(argument('epochs') ?? 2), backends: argument('backends')?.split(',') });
  const json = JSON.stringify(result, null, 2);
  if (out) writeFileSync(out, `${json}\n`);
  console.log(json);
}
