/**
 * The break-glass banner in real headless Chromium (SPEC 10): it appears when an activation breaks the glass,
 * names the scenario, who and why, counts the time left down, and goes when the TTL lapses. Needs the web
 * build (`npm run build` first).
 */
import type { Browser } from 'playwright-core';
import { assertBrowserTestable, launchBrowser, openDashboard, type DashboardTab } from './support/browser';
import { requestJson } from './support/fleet';
import { eventually, startTestSystem, type TestSystem } from './support/system';

describe('break-glass banner in Chromium', () => {
  let system: TestSystem;
  let browser: Browser;
  let tab: DashboardTab | undefined;

  beforeAll(async () => {
    assertBrowserTestable();
    system = await startTestSystem({ specs: [{ id: 'backup-manager', service: { tags: ['backup'] } }, { id: 'security-scanner', service: { tags: ['security'] } }] });
    browser = await launchBrowser();
  }, 30_000);

  afterAll(async () => {
    await tab?.close();
    await browser?.close();
    await system?.stop();
  });

  it('shows who broke the glass, why and the time left, counting down, and goes when the TTL lapses', async () => {
    tab = await openDashboard(browser, `${system.url}/`);
    const { page } = tab;
    const banner = page.getByTestId('break-glass-banner');
    expect(await banner.count()).toBe(0);

    const reply = await requestJson(`${system.url}/api/v1/scenarios/security-scanner/activate`, { breakGlass: true, reason: 'INC-77: scan before the patch', ttl: '6s' });
    expect(reply.status).toBe(200);
    await banner.waitFor();
    await banner.getByText(/security-scanner/).waitFor();
    await banner.getByText(/by local:.*“INC-77: scan before the patch”/).waitFor();

    const left = banner.getByTestId('break-glass-left');
    const seconds = async () => Number(/^(\d+)s left$/.exec((await left.textContent()) ?? '')?.[1] ?? NaN);
    const first = await seconds();
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThanOrEqual(6);
    await eventually(async () => (await seconds()) < first, 'the time left counts down');

    await banner.waitFor({ state: 'detached', timeout: 15_000 });
    await eventually(() => system.fleet.stateOf('security-scanner') === 'inactive', 'security-scanner inactive after its TTL');
    expect(tab.errors).toEqual([]);
  }, 40_000);
});
