/** Real headless Chromium (Debian's, driven by playwright-core) pointed at the dashboard of a running orchestrator. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';

/** The browser binary; CHROMIUM_PATH overrides it on machines that install it elsewhere. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Quiet, offline-friendly flags: no first-run UI, no background traffic, no QUIC, no sandbox (containers). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Where `npm run build` puts the dashboard (src/server.ts serves it from there). */
export const DASHBOARD_INDEX = join(__dirname, '..', '..', 'dist', 'web', 'index.html');

/** Fails with the fix when the dashboard or the browser is missing, instead of a confusing timeout later. */
export function assertBrowserTestable(): void {
  if (!existsSync(DASHBOARD_INDEX)) {
    throw new Error(`${DASHBOARD_INDEX} is missing: run \`npm run build\` (or \`npx vite build --config web/vite.config.ts\`) before the dashboard tests`);
  }
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`no Chromium at ${CHROMIUM_PATH}: install it (\`apt-get install -y chromium\`) or set CHROMIUM_PATH`);
  }
}

/** Launches the browser. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true, timeout: 20_000 });
}

/** An open dashboard tab, with what went wrong inside the page. */
export interface DashboardTab {
  page: Page;
  /** Uncaught exceptions and console errors, except failed requests the tests cause on purpose (409s, aborted streams). */
  errors: string[];
  close(): Promise<void>;
}

/** Chromium logs every non-2xx response and every aborted request as a console error; those are expected here. */
function isExpectedNoise(text: string): boolean {
  return text.startsWith('Failed to load resource') || text.includes('net::ERR_');
}

/** Opens `url` in a fresh context and waits until the scenarios are on screen. */
export async function openDashboard(browser: Browser, url: string, options: BrowserContextOptions = {}): Promise<DashboardTab> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, reducedMotion: 'reduce', ...options });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !isExpectedNoise(message.text())) errors.push(`console: ${message.text()}`);
  });
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  await page.locator('article[data-scenario]').first().waitFor();
  return { page, errors, close: () => context.close() };
}
