import { existsSync, mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
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

/** Builds the production site under the subpath once per test run (vitest globalSetup calls it). */
export function buildSite(): void {
  execFileSync('npx', ['vite', 'build', '--base', BASE, '--outDir', DIST, '--emptyOutDir'], { cwd: ROOT, stdio: 'pipe' });
}

export async function launch(extraFlags: string[] = []): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}; install it with apt-get install -y chromium`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...FLAGS, ...extraFlags] });
}

export interface Session {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  url: string;
  /** Every URL the page asked for, in order. */
  requests: string[];
  close(): Promise<void>;
}

export async function openApp(extraFlags: string[] = []): Promise<Session> {
  const server = await serveBuild(DIST, BASE);
  const browser = await launch(extraFlags);
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  const requests: string[] = [];
  context.on('request', (r) => requests.push(r.url()));
  const page = await context.newPage();
  await page.goto(server.url);
  return {
    browser,
    context,
    page,
    url: server.url,
    requests,
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}
