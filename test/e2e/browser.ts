import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Download, type Page } from 'playwright-core';
import { serveBuild } from './staticServer';

export const BASE = '/clv-studio/';
export const ROOT = path.resolve(import.meta.dirname, '../..');
export const DIST = path.join(ROOT, 'dist-e2e');
export const ARTIFACTS = path.join(ROOT, 'test-results', 'e2e');

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const FLAGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
];

/** WebGPU on SwiftShader: the software adapter a GPU-less CI machine can offer. */
export const WEBGPU_FLAGS = ['--enable-unsafe-webgpu', '--enable-unsafe-swiftshader'];

/**
 * Builds the production site under the subpath once per test run (vitest globalSetup calls it).
 * Vitest sets NODE_ENV=test, which would make Vite build in development mode (Svelte dev runtime,
 * import.meta.env.PROD false, no service worker): the build gets NODE_ENV=production explicitly.
 */
export function buildSite(): void {
  execFileSync('npx', ['vite', 'build', '--base', BASE, '--outDir', DIST, '--emptyOutDir'], {
    cwd: ROOT,
    stdio: 'pipe',
    env: { ...process.env, NODE_ENV: 'production' },
  });
}

export async function launch(extraFlags: string[] = []): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}; install it with apt-get install -y chromium`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...FLAGS, ...extraFlags] });
}

export interface OpenOptions {
  flags?: string[];
  /** Let the app register its service worker (off by default so tests start from a clean network path). */
  serviceWorkers?: boolean;
  /**
   * Serve with cross-origin isolation headers. Off by default: GitHub Pages, where the app is
   * deployed, cannot send them.
   */
  isolation?: boolean;
  /** BCP 47 locale of the browser, e.g. 'de-DE' (default: Chromium's, en-US). */
  locale?: string;
}

export interface Session {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  url: string;
  /** Every URL the page, its workers and its service worker asked for, in order. */
  requests: string[];
  /** Uncaught page errors and dialogs (alert/confirm) the page opened: both must stay empty. */
  pageErrors: string[];
  dialogs: string[];
  close(): Promise<void>;
}

export async function openApp(options: OpenOptions = {}): Promise<Session> {
  const server = await serveBuild(DIST, BASE, { isolation: options.isolation ?? false });
  const browser = await launch(options.flags ?? []);
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    acceptDownloads: true,
    serviceWorkers: options.serviceWorkers ? 'allow' : 'block',
    locale: options.locale,
  });
  const requests: string[] = [];
  const pageErrors: string[] = [];
  const dialogs: string[] = [];
  context.on('request', (r) => requests.push(r.url()));
  // Anything the Content-Security-Policy blocks is recorded: the app must never trip it.
  await context.addInitScript(() => {
    const w = window as unknown as { __cspViolations: string[] };
    w.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('dialog', (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  await page.goto(server.url);
  return {
    browser,
    context,
    page,
    url: server.url,
    requests,
    pageErrors,
    dialogs,
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/** What the page's Content-Security-Policy blocked since the page loaded. */
export async function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** Requests that left the page's origin (blob: and data: URLs never touch the network). */
export function outsideOrigin(s: Session): string[] {
  const origin = new URL(s.url).origin;
  return s.requests.filter((u) => !u.startsWith(`${origin}/`) && !u.startsWith('blob:') && !u.startsWith('data:'));
}

/** Loads the bundled sample and waits for the RFM table: steps 1–4 of the flow. */
export async function loadSample(page: Page): Promise<void> {
  await page.getByTestId('sample').click();
  await page.locator('[data-testid="rfm-table"] tbody tr').first().waitFor({ timeout: 90_000 });
}

/** E2E training stays small: few epochs (the models and everything else keep their defaults). */
export async function setQuickTraining(page: Page, maxEpochs = 3, models?: string[]): Promise<void> {
  const advanced = page.locator('details:has([data-testid="max-epochs"])');
  if ((await advanced.getAttribute('open')) === null) await advanced.locator('> summary').click();
  await page.getByTestId('max-epochs').fill(String(maxEpochs));
  if (models) {
    for (const box of await page.locator('input[data-model]').all()) {
      await box.setChecked(models.includes((await box.getAttribute('data-model')) ?? ''));
    }
  }
}

export async function trainAndWait(page: Page, timeout = 240_000): Promise<void> {
  await page.getByTestId('train').click();
  await page.getByTestId('metrics').waitFor({ timeout });
}

/** Clicks `trigger` and returns the downloaded file's bytes. */
export async function download(page: Page, trigger: () => Promise<void>): Promise<{ name: string; bytes: Buffer }> {
  const [file] = await Promise.all([page.waitForEvent('download'), trigger()]);
  return { name: file.suggestedFilename(), bytes: await readDownload(file) };
}

async function readDownload(file: Download): Promise<Buffer> {
  const at = await file.path();
  return readFileSync(at);
}

/**
 * Starts watching the main thread: the longest task the browser reports (PerformanceObserver
 * 'longtask': page work that blocked input and rendering) and the longest gap between firings of
 * a 50 ms timer. Read both back with `stopResponsivenessProbe`.
 */
export async function startResponsivenessProbe(page: Page): Promise<void> {
  await page.evaluate(() => {
    const probe = { last: performance.now(), maxGap: 0, maxTask: 0, ticks: 0, timer: 0, observer: null as PerformanceObserver | null };
    probe.timer = window.setInterval(() => {
      const now = performance.now();
      probe.maxGap = Math.max(probe.maxGap, now - probe.last);
      probe.last = now;
      probe.ticks++;
    }, 50);
    probe.observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) probe.maxTask = Math.max(probe.maxTask, entry.duration);
    });
    probe.observer.observe({ type: 'longtask' });
    (window as unknown as { __probe: typeof probe }).__probe = probe;
  });
}

export interface Responsiveness {
  /** Longest single main-thread task, ms. */
  maxTask: number;
  /** Longest wait between timer ticks, ms (includes the OS not scheduling the page at all). */
  maxGap: number;
  ticks: number;
}

export async function stopResponsivenessProbe(page: Page): Promise<Responsiveness> {
  return page.evaluate(() => {
    const probe = (window as unknown as { __probe: { maxGap: number; maxTask: number; ticks: number; timer: number; observer: PerformanceObserver } }).__probe;
    clearInterval(probe.timer);
    probe.observer.disconnect();
    return { maxTask: probe.maxTask, maxGap: probe.maxGap, ticks: probe.ticks };
  });
}
