/**
 * The dashboard in real headless Chromium against a running orchestrator and the demo fleet of
 * examples/fleet (served on free ports, so it runs beside a developer's `npm start`). Needs the web build:
 * `npm run build` first.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { assertBrowserTestable, launchBrowser, openDashboard, type DashboardTab } from './support/browser';
import { readFleetDir, requestJson } from './support/fleet';
import { activeIds, eventually, quietWeekday, startTestSystem, type TestSystem } from './support/system';
import type { ActivityEntry, Condition, Scenario } from '../web/src/api/types';
import { matches, statusOf } from '../web/src/lib/status';
import { ACTIVITY_KEPT, mergeEntries } from '../web/src/lib/activity';

const DEMO_FLEET = join(__dirname, '..', 'examples', 'fleet');

describe('dashboard status indicator (pure)', () => {
  const condition = (type: Condition['type'], status: boolean, reason = 'Idle'): Condition => ({ type, status: status ? 'True' : 'False', reason, message: '' });
  const scenario = (patch: Partial<Scenario>, flags: { progressing?: boolean; blocked?: boolean; stalled?: boolean } = {}): Scenario => ({
    id: 'x', name: 'x', displayName: 'X', description: '', tags: ['maintenance', 'db'], weight: 'light', endpoint: null, endpointSource: null, canDeactivate: true, conflictsWith: [], isActive: false,
    desiredState: 'inactive', targetState: 'inactive', observedState: 'inactive', desiredSource: 'default (inactive)', reason: null, message: null,
    activeUntil: null, lastActive: null, leaseExpiresAt: null, inFlight: null, failures: 0, gone: false,
    conditions: [condition('Ready', true), condition('Progressing', !!flags.progressing), condition('Blocked', !!flags.blocked), condition('Stalled', !!flags.stalled)],
    ...patch,
  });
  it.each<[string, Scenario, ReturnType<typeof statusOf>]>([
    ['converged inactive', scenario({}), 'inactive'],
    ['converged active', scenario({ isActive: true, observedState: 'active', desiredState: 'active', targetState: 'active' }), 'active'],
    ['an action in flight', scenario({ inFlight: 'activate', desiredState: 'active', targetState: 'active' }), 'transitioning'],
    ['target differs from observed', scenario({ desiredState: 'active', targetState: 'active' }), 'transitioning'],
    ['held by a gate', scenario({ desiredState: 'active', reason: 'ConcurrencyLimit' }, { blocked: true }), 'blocked'],
    ['not answering', scenario({ observedState: 'unreachable', reason: 'Unreachable' }, { stalled: true }), 'unreachable'],
    ['stalled on a failed action', scenario({ desiredState: 'active', targetState: 'active', reason: 'ActionFailed' }, { stalled: true }), 'error'],
  ])('%s', (_, input, expected) => expect(statusOf(input)).toBe(expected));

  it('filters by state and searches id, name and tags', () => {
    const blocked = scenario({ id: 'db-vacuum', displayName: 'Database Vacuum', reason: 'Conflict' }, { blocked: true });
    expect(matches(blocked, 'blocked', 'VACUUM')).toBe(true);
    expect(matches(blocked, 'blocked', 'db')).toBe(true);
    expect(matches(blocked, 'active', '')).toBe(false);
    expect(matches(blocked, 'all', 'backup')).toBe(false);
  });

  it('merges live and fetched activity newest first, without duplicates, in the chosen category, bounded', () => {
    const entry = (id: number, category: ActivityEntry['category'] = 'action'): ActivityEntry => ({ id, timestamp: '', category, level: 'info', scenario: null, preset: null, actor: 'system', message: `#${id}`, action: category, data: null });
    expect(mergeEntries([entry(3), entry(1)], [entry(2), entry(3)], null).map((e) => e.id)).toEqual([3, 2, 1]);
    expect(mergeEntries([entry(3, 'gate'), entry(2)], [entry(4)], 'action').map((e) => e.id)).toEqual([4, 2]);
    const many = Array.from({ length: ACTIVITY_KEPT + 5 }, (_, index) => entry(index + 1));
    expect(mergeEntries([], many, null)).toHaveLength(ACTIVITY_KEPT);
    expect(mergeEntries([], many, null)[0].id).toBe(ACTIVITY_KEPT + 5);
  });
});

describe('dashboard in Chromium', () => {
  let system: TestSystem;
  let browser: Browser;
  let tab: DashboardTab;
  let page: Page;
  const api = (path: string, body?: unknown, method?: string) => requestJson(`${system.url}/api/v1${path}`, body, method);
  const card = (id: string) => page.locator(`article[data-scenario="${id}"]`);

  beforeAll(async () => {
    assertBrowserTestable();
    const { specs } = await readFleetDir(DEMO_FLEET);
    // The demo's fixed ports may be taken by a running demo; the same scenarios on free ports behave alike.
    system = await startTestSystem({ specs: specs.map(({ port: _port, ...spec }) => spec) });
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
    // Back to the start: no stop latch, nothing declared, every scenario inactive.
    await api('/resume', {});
    await api('/desired-state', { presets: [], overrides: {}, confirm: true }, 'PUT');
    await eventually(() => activeIds(system.fleet).length === 0, 'every demo scenario inactive again');
    expect(errors).toEqual([]);
  });

  it('shows every demo scenario with status, desired and observed state, weight and tags, and filters them', async () => {
    expect(await page.title()).toContain('Maintenance Orchestrator');
    await expect(page.locator('article[data-scenario]').count()).resolves.toBe(system.fleet.scenarios.length);
    const backup = card('backup-manager');
    await backup.locator('[data-status="inactive"]').getByText('Inactive').waitFor();
    await expect(backup.locator('dd').allInnerTexts()).resolves.toEqual(['inactive', 'inactive']);
    await expect(backup.getByRole('listitem').allInnerTexts()).resolves.toEqual(['heavy', 'backup']);
    await expect(backup.getByRole('switch', { name: 'Activate Backup Manager' }).getAttribute('aria-checked')).resolves.toBe('false');

    await page.getByRole('searchbox', { name: /search scenarios/i }).fill('performance');
    await eventually(async () => (await page.locator('article[data-scenario]').count()) === 3, 'three scenarios tagged performance');
    await page.getByRole('button', { name: /^Blocked/ }).click();
    await page.getByText('No scenario matches “performance” among blocked scenarios.').waitFor();
    await page.getByRole('button', { name: 'Clear search and filter' }).click();
    await eventually(async () => (await page.locator('article[data-scenario]').count()) === 11, 'every scenario listed again');
  });

  it('toggles a scenario from the keyboard and its demo endpoint reports active, then inactive', async () => {
    const toggle = card('code-smell').getByRole('switch', { name: 'Activate Code Smell Detector' });
    await toggle.focus();
    await page.keyboard.press('Space');
    await eventually(() => system.fleet.stateOf('code-smell') === 'active', 'code-smell reports active on its own endpoint');
    await card('code-smell').locator('[data-status="active"]').waitFor();
    await expect(toggle.getAttribute('aria-checked')).resolves.toBe('true');
    await expect(toggle.evaluate((element) => element === document.activeElement)).resolves.toBe(true);

    await page.keyboard.press('Space');
    await eventually(() => system.fleet.stateOf('code-smell') === 'inactive', 'code-smell reports inactive again');
    await card('code-smell').locator('[data-status="inactive"]').waitFor();
  });

  it('applies a preset only after a confirmation that shows the plan; Escape cancels', async () => {
    const button = page.getByRole('button', { name: 'Apply full' });
    await button.click();
    const dialog = page.getByRole('dialog', { name: 'Apply preset “full”?' });
    await dialog.waitFor();
    const willActivate = (await dialog.getByTestId('plan-activate').locator('li').allInnerTexts()).sort();
    const blocked = await dialog.getByTestId('plan-blocked').innerText();
    expect(willActivate.length).toBeGreaterThan(0);
    // Two heavy scenarios at most, and database-vacuum conflicts with backup-manager: the plan says so up front.
    expect(blocked).toMatch(/Conflict|ConcurrencyLimit/);
    expect(activeIds(system.fleet)).toEqual([]);

    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await expect(button.evaluate((element) => element === document.activeElement)).resolves.toBe(true);
    expect(activeIds(system.fleet)).toEqual([]);

    await button.click();
    await dialog.getByRole('button', { name: 'Apply full' }).click();
    await dialog.waitFor({ state: 'detached' });
    await eventually(() => activeIds(system.fleet).join() === willActivate.join(), `the planned scenarios active: ${willActivate.join(', ')}`);
    await page.getByText(/Preset full applied: activated \d+/).waitFor();
    await page.locator('article[data-scenario] [data-status="blocked"]').first().waitFor();
    await page.locator('#presets .preset-applied').getByRole('button', { name: 'Apply full' }).waitFor();
  });

  it('STOP ALL insists on a reason, stops everything, shows who and why, and RESUME lifts it', async () => {
    await api('/scenarios/health-checker/activate', {});
    await api('/scenarios/log-cleanup/activate', {});
    expect(activeIds(system.fleet)).toEqual(['health-checker', 'log-cleanup']);

    await page.getByRole('button', { name: 'STOP ALL' }).click();
    const dialog = page.getByRole('dialog', { name: 'Stop all maintenance' });
    await dialog.getByRole('button', { name: 'Stop all' }).click();
    await dialog.getByRole('alert').getByText(/Say why/).waitFor();
    expect(activeIds(system.fleet)).toEqual(['health-checker', 'log-cleanup']);

    await dialog.getByRole('textbox', { name: /Reason/ }).fill('database host out of disk');
    await page.keyboard.press('Enter');
    await eventually(() => activeIds(system.fleet).length === 0, 'every scenario inactive after STOP ALL');
    const banner = page.getByTestId('emergency-banner');
    await banner.getByText(/by local .*“database host out of disk”/).waitFor();
    await card('code-smell').getByRole('switch').click();
    await card('code-smell').getByRole('alert').getByText(/Refused: .*emergency stop is active/).waitFor();
    expect(system.fleet.stateOf('code-smell')).toBe('inactive');

    await banner.getByRole('button', { name: 'Resume' }).click();
    await banner.waitFor({ state: 'detached' });
    const status = await api('/status');
    expect(status.body).toMatchObject({ emergencyStop: null });
  });

  it('shows a change made by another client, without a reload', async () => {
    await page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));
    const reply = await api('/scenarios/query-analyzer/activate', { ttl: '30m', reason: 'slow queries' });
    expect(reply.status).toBe(200);
    const analyzer = card('query-analyzer');
    await analyzer.locator('[data-status="active"]').waitFor({ timeout: 3_000 });
    await analyzer.getByText(/^(29m|30m) \d+s left$/).waitFor();
    await page.getByRole('log').getByText(/query-analyzer/).first().waitFor();
    await expect(page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).resolves.toBe(true);

    const schedule = await api('/schedules', { name: 'weekly-vacuum', preset: 'off-hours', cron: `0 2 * * ${quietWeekday()}`, duration: '2h', timeZone: 'Europe/Berlin' });
    expect(schedule.status).toBe(201);
    await page.locator('#schedules').getByText('weekly-vacuum').waitFor({ timeout: 3_000 });
    // The next opening in the schedule's own zone (02:00 in Berlin), as the server words it.
    await page.locator('#schedules').getByText(/Next opens in .*\(\d{4}-\d{2}-\d{2} 02:00 /).waitFor();
    await api('/schedules/weekly-vacuum', undefined, 'DELETE');
  });

  it('shows a banner while the event stream is down and catches up once it is back', async () => {
    await page.route('**/api/v1/events**', (route) => route.abort());
    // Drops the live stream; every reconnect attempt now fails until the route is lifted.
    system.server.app.getHttpServer().closeAllConnections();
    const banner = page.getByTestId('connection-banner');
    await banner.waitFor();
    await api('/scenarios/security-scanner/activate', {});
    await page.unroute('**/api/v1/events**');
    await banner.waitFor({ state: 'detached', timeout: 15_000 });
    await card('security-scanner').locator('[data-status="active"]').waitFor();
  });

  it('says honestly when the server has no schedules API', async () => {
    await page.route('**/api/v1/schedules', (route) => route.fulfill({ status: 404, contentType: 'application/json', body: '{"statusCode":404,"error":"Not Found","message":"Cannot GET"}' }));
    await page.reload();
    await page.locator('#schedules').getByText('Schedules are unavailable').waitFor();
  });

  it('fits a phone screen: cards stack, nothing scrolls sideways, STOP ALL stays in view', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    const [first, second] = await Promise.all([card('backup-manager').boundingBox(), card('cache-optimizer').boundingBox()]);
    expect(second!.y).toBeGreaterThan(first!.y + first!.height - 1);
    await page.mouse.wheel(0, 2_000);
    await expect(page.getByRole('button', { name: 'STOP ALL' }).isVisible()).resolves.toBe(true);
  });
});
