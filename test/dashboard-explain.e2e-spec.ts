/**
 * The explain drawer and the 7-day timeline in real headless Chromium (issue 18). The orchestrator's clock
 * reads Tuesday 2026-12-08 10:00 UTC, inside a deny window "business-hours" (09:00-18:00 Europe/Berlin on
 * weekdays) over the security preset, which is applied. Needs `npm run build` (the web build).
 */
import type { Browser, Page } from 'playwright-core';
import { assertBrowserTestable, launchBrowser, openDashboard, type DashboardTab } from './support/browser';
import { requestJson } from './support/fleet';
import { startTestSystem, type TestSystem } from './support/system';

jest.setTimeout(60_000);

const NOW = Date.parse('2026-12-08T10:00:00Z');

describe('dashboard: why? and the timeline', () => {
  let system: TestSystem;
  let browser: Browser;
  let tab: DashboardTab;
  let page: Page;

  beforeAll(async () => {
    assertBrowserTestable();
    const offset = NOW - Date.now();
    system = await startTestSystem({
      specs: [
        { id: 'security-scanner', service: { tags: ['security'] } },
        { id: 'backup-manager', service: { tags: ['backup'] } },
      ],
      env: { RESYNC_INTERVAL: '1h' },
      overrides: { clock: () => Date.now() + offset },
    });
    const api = (path: string, body: unknown, method = 'POST') => requestJson(`${system.url}/api/v1${path}`, body, method);
    await api('/schedules/business-hours', { preset: 'security', cron: '0 9 * * 1-5', duration: '9h', timeZone: 'Europe/Berlin', kind: 'deny' }, 'PUT');
    await api('/presets/security/apply', { confirm: true });
    browser = await launchBrowser();
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  beforeEach(async () => {
    tab = await openDashboard(browser, `${system.url}/`);
    page = tab.page;
  });

  afterEach(async () => {
    const errors = tab.errors;
    await tab.close();
    expect(errors).toEqual([]);
  });

  it('opens a why? drawer on a card: source, every gate with its verdict, and when the deny window closes; Escape closes it', async () => {
    const card = page.locator('article[data-scenario="security-scanner"]');
    const why = card.getByRole('button', { name: /^Why is .+\?$/ });
    await why.click();
    const drawer = page.getByRole('dialog', { name: /^Why is .+ inactive\?$/ });
    await drawer.waitFor();
    await expect(drawer.getByTestId('explain-desired').innerText()).resolves.toBe('active, from preset security');
    await expect(drawer.getByTestId('explain-target').innerText()).resolves.toMatch(/^inactive \(WindowClosed: deny window business-hours is open until/);
    const gates = await drawer.locator('tbody tr').evaluateAll((rows) => rows.map((row) => `${row.getAttribute('data-gate')}=${row.querySelector('td')?.textContent}`));
    expect(gates).toEqual(['EmergencyStop=pass', 'WindowClosed=block', 'Conflict=pass', 'ConcurrencyLimit=pass', 'ResourcePressure=pass', 'HealthCheck=pass', 'FailureBudget=pass', 'Cooldown=pass', 'AwaitingConfirmation=pass']);
    await expect(drawer.getByTestId('explain-next').innerText()).resolves.toContain('deny window business-hours closes at 18:00 Europe/Berlin');
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'detached' });
    await expect(why.evaluate((element) => element === document.activeElement)).resolves.toBe(true);
  });

  it('draws the next 7 days with a now-line; a click on an instant shows the fleet planned then', async () => {
    const strip = page.getByTestId('timeline');
    await strip.waitFor();
    await expect(strip.locator('[data-entry="business-hours"]').count()).resolves.toBe(6);
    const box = (await strip.boundingBox())!;
    const nowLine = (await page.getByTestId('timeline-now').boundingBox())!;
    // The timeline starts now: the now-line sits at its left edge.
    expect(Math.abs(nowLine.x - box.x)).toBeLessThan(3);
    const timeline = (await requestJson(`${system.url}/api/v1/timeline`)).body as { from: string; to: string };
    const from = Date.parse(timeline.from);
    const span = Date.parse(timeline.to) - from;
    const clickAt = async (iso: string) => strip.click({ position: { x: ((Date.parse(iso) - from) / span) * box.width, y: box.height - 8 } });

    // Tuesday 19:00 UTC: the window closed at 18:00 Berlin, so the security scanner is active then.
    await clickAt('2026-12-08T19:00:00Z');
    await page.getByTestId('plan-at-active').getByText('security-scanner').waitFor();
    await expect(page.getByTestId('plan-at-count').innerText()).resolves.toBe('1');

    // Wednesday 12:00 UTC: the window is open again, and the plan says what holds the scanner.
    await clickAt('2026-12-09T12:00:00Z');
    await page.getByTestId('plan-at-held').getByText(/security-scanner.*WindowClosed/).waitFor();
    await expect(page.getByTestId('plan-at-count').innerText()).resolves.toBe('0');
  });

  it('plans at a typed instant too, for the keyboard', async () => {
    await page.getByLabel('Plan at').fill('2026-12-12T02:00Z');
    await page.keyboard.press('Enter');
    await page.getByTestId('plan-at-active').getByText('security-scanner').waitFor();
  });
});
