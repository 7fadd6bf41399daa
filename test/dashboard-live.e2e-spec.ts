/**
 * The dashboard follows the server, whoever changes it: stop-all and resume made through the API from
 * outside the page, checked on every panel without a reload; the one stack of messages (successes go by
 * themselves, errors stay, three at most, never over a control on a phone); and the name the activity log
 * records for this browser. Real headless Chromium, a real orchestrator and the demo fleet; needs the web
 * build (`npm run build`).
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ACTOR_NAME as SERVER_ACTOR_NAME } from '../src/api/auth';
import type { Scenario } from '../web/src/api/types';
import { ACTOR_NAME, actorNameProblem } from '../web/src/lib/actor';
import { pushNotice, type Notice } from '../web/src/lib/notices';
import { problemHolds, type CardFacts } from '../web/src/lib/problem';
import { assertBrowserTestable, launchBrowser, openDashboard, type DashboardTab } from './support/browser';
import { readFleetDir, requestJson } from './support/fleet';
import { activeIds, eventually, quietWeekday, startTestSystem, type TestSystem } from './support/system';

const DEMO_FLEET = join(__dirname, '..', 'examples', 'fleet');

describe('dashboard messages, card problems and names (pure)', () => {
  const notice = (id: number, kind: Notice['kind']): Notice => ({ id, kind, text: `#${id}` });
  const ids = (notices: Notice[]) => notices.map((each) => each.id);

  it('keeps three messages at most; a success makes room before an error, and the newest always shows', () => {
    expect(ids(pushNotice([notice(1, 'error'), notice(2, 'success'), notice(3, 'error')], notice(4, 'error')))).toEqual([1, 3, 4]);
    expect(ids(pushNotice([notice(1, 'error'), notice(2, 'warning'), notice(3, 'error')], notice(4, 'error')))).toEqual([2, 3, 4]);
    expect(ids(pushNotice([notice(1, 'error'), notice(2, 'error'), notice(3, 'error')], notice(4, 'success')))).toEqual([2, 3, 4]);
    expect(ids(pushNotice([notice(1, 'success')], notice(2, 'error')))).toEqual([1, 2]);
  });

  const scenario = (patch: Partial<Scenario>): Scenario =>
    ({ id: 'x', desiredState: 'inactive', isActive: false, reason: null, ...patch }) as Scenario;
  const facts = (patch: Partial<CardFacts>): CardFacts => ({ scenario: scenario({}), scenarioRequestedAt: 10, emergencyStop: false, statusRequestedAt: 10, ...patch });

  it.each<[string, Parameters<typeof problemHolds>[0], CardFacts, boolean]>([
    ['a stop refusal while the latch holds', { kind: 'stopped', text: '', raisedAt: 5 }, facts({ emergencyStop: true }), true],
    ['a stop refusal once resumed', { kind: 'stopped', text: '', raisedAt: 5 }, facts({ emergencyStop: false }), false],
    ['a stop refusal judged on a status requested before it', { kind: 'stopped', text: '', raisedAt: 12 }, facts({ emergencyStop: false }), true],
    ['a gate refusal while the gate holds', { kind: 'gate', gate: 'Conflict', text: '', raisedAt: 5 }, facts({ scenario: scenario({ desiredState: 'active', reason: 'Conflict' }) }), true],
    ['a gate refusal once the gate let go', { kind: 'gate', gate: 'Conflict', text: '', raisedAt: 5 }, facts({ scenario: scenario({ desiredState: 'active', isActive: true }) }), false],
    ['a gate refusal once withdrawn', { kind: 'gate', gate: 'Conflict', text: '', raisedAt: 5 }, facts({ scenario: scenario({ reason: 'Conflict' }) }), false],
    ['a gate refusal judged on a list requested before it', { kind: 'gate', gate: 'Conflict', text: '', raisedAt: 12 }, facts({}), true],
    ['a pending activation not reached', { kind: 'pending', target: 'active', text: '', raisedAt: 5 }, facts({ scenario: scenario({ desiredState: 'active' }) }), true],
    ['a pending activation reached', { kind: 'pending', target: 'active', text: '', raisedAt: 5 }, facts({ scenario: scenario({ desiredState: 'active', isActive: true }) }), false],
    ['any other failure', { kind: 'failed', text: '', raisedAt: 5 }, facts({}), true],
  ])('%s', (_, problem, input, expected) => expect(problemHolds(problem, input)).toBe(expected));

  it.each(['alice', 'bob.smith@example', 'ci_runner-2', '_svc', 'x'.repeat(64), 'alice smith', 'alice:admin', '-alice', 'x'.repeat(65), 'jürgen', 'a"b', ''])(
    'the dashboard and the server agree on the name %j',
    (name) => {
      expect(ACTOR_NAME.test(name)).toBe(SERVER_ACTOR_NAME.test(name));
      expect(actorNameProblem(name) === null).toBe(SERVER_ACTOR_NAME.test(name));
    },
  );
});

describe('dashboard in Chromium, following the server', () => {
  let system: TestSystem;
  let browser: Browser;
  let tab: DashboardTab | null = null;
  const api = (path: string, body?: unknown, method?: string) => requestJson(`${system.url}/api/v1${path}`, body, method);
  /** A mutating call from another client that names its user, as the CLI does. */
  const apiAs = async (actor: string, path: string, body: unknown) => {
    const response = await fetch(`${system.url}/api/v1${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-maintenance-actor': actor }, body: JSON.stringify(body) });
    expect(response.status).toBe(200);
  };

  beforeAll(async () => {
    assertBrowserTestable();
    const { specs } = await readFleetDir(DEMO_FLEET);
    system = await startTestSystem({ specs: specs.map(({ port: _port, ...spec }) => spec) });
    // History samples only when told: a "Now:" line that reads them would stay behind for good.
    system.server.orchestrator.history.stop();
    system.server.orchestrator.history.sample();
    system.server.orchestrator.history.sample();
    browser = await launchBrowser();
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  afterEach(async () => {
    const errors = tab?.errors ?? [];
    await tab?.close();
    tab = null;
    await api('/resume', {});
    await api('/desired-state', { presets: [], overrides: {}, confirm: true }, 'PUT');
    await eventually(() => activeIds(system.fleet).length === 0, 'every demo scenario inactive again');
    expect(errors).toEqual([]);
  });

  const card = (page: Page, id: string) => page.locator(`article[data-scenario="${id}"]`);
  const appliedBadge = (page: Page, preset: string) => page.locator(`[data-preset="${preset}"] .chip`, { hasText: 'applied' });
  const headerActive = async (page: Page) => Number(/^(\d+) active/.exec(await page.getByTestId('header-counts').innerText())?.[1]);

  /** Applies a preset the way a user does: the button, then the confirmation. */
  async function applyPreset(page: Page, preset: string): Promise<void> {
    await page.getByRole('button', { name: `Apply ${preset}`, exact: true }).click();
    const dialog = page.getByRole('dialog', { name: `Apply preset “${preset}”?` });
    await dialog.getByRole('button', { name: `Apply ${preset}`, exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
  }

  it('follows a stop-all and a resume made outside the page on every panel, and records the name given once', async () => {
    tab = await openDashboard(browser, `${system.url}/`);
    const { page } = tab;
    await page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));

    // Asked once for a name; every change from this browser carries it.
    const form = page.getByTestId('actor-form');
    await form.getByRole('textbox', { name: /Your name/ }).fill('alice smith');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByRole('alert').getByText(/no spaces/).waitFor();
    await form.getByRole('textbox', { name: /Your name/ }).fill('alice');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: /Recorded as local:alice/ }).waitFor();

    await applyPreset(page, 'performance');
    await appliedBadge(page, 'performance').waitFor();
    const appliedPresets = page.locator('#reconciler dd').last();
    await appliedPresets.getByText('performance', { exact: true }).waitFor();
    await page.getByRole('log').getByText('local:alice').first().waitFor();
    await eventually(async () => activeIds(system.fleet).length > 0 && (await headerActive(page)) === activeIds(system.fleet).length, 'the header counting what the fleet reports active');
    const active = activeIds(system.fleet).length;
    // The Now line reads the same live counts as the header; no history sample was taken since the apply.
    await page.getByTestId('fleet-now').getByText(new RegExp(`^Now: ${active} active · \\d+ desired active`)).waitFor();

    await apiAs('bob', '/stop-all', { reason: 'disk full on db-1' });
    await eventually(() => activeIds(system.fleet).length === 0, 'every scenario inactive after the stop');
    await page.getByTestId('emergency-banner').getByText(/Emergency stop by local:bob .*“disk full on db-1”/).waitFor();
    await page.getByTestId('maintenance-state').getByText('Emergency stop').waitFor();
    await page.locator('.topbar').getByRole('button', { name: 'Resume', exact: true }).waitFor();
    await appliedBadge(page, 'performance').waitFor({ state: 'detached' });
    await appliedPresets.getByText('none', { exact: true }).waitFor();
    await page.getByTestId('fleet-now').getByText('Now: 0 active · 0 desired active · 0 blocked').waitFor();
    await page.getByTestId('header-counts').getByText(/^0 active/).waitFor();
    await eventually(async () => (await page.locator('article[data-scenario] [data-status="inactive"]').count()) === system.fleet.scenarios.length, 'every card inactive');
    await page.getByRole('log').getByText(/EMERGENCY STOP by local:bob/).waitFor();

    // Under the stop, this page is refused, and says so where it asked.
    await card(page, 'code-smell').getByRole('switch').click();
    await card(page, 'code-smell').getByRole('alert').getByText(/Refused: .*emergency stop is active/).waitFor();
    await page.getByRole('button', { name: 'Apply full', exact: true }).click();
    await page.getByTestId('notices').getByText(/Cannot apply full: .*emergency stop is active/).waitFor();

    const schedule = await api('/schedules', { name: 'weekly-vacuum', preset: 'off-hours', cron: `0 2 * * ${quietWeekday()}`, duration: '2h', timeZone: 'UTC' });
    expect(schedule.status).toBe(201);
    await page.locator('#schedules').getByText('weekly-vacuum').waitFor();

    await apiAs('bob', '/resume', {});
    await page.getByTestId('emergency-banner').waitFor({ state: 'detached' });
    await page.getByTestId('maintenance-state').getByText('No maintenance running').waitFor();
    await page.locator('.topbar').getByRole('button', { name: 'Resume', exact: true }).waitFor({ state: 'detached' });
    await card(page, 'code-smell').getByRole('alert').waitFor({ state: 'detached' });
    await page.getByRole('log').getByText(/resumed by local:bob/).waitFor();
    // Resume lifts the latch only: nothing is applied again, and the page does not pretend otherwise.
    await expect(appliedBadge(page, 'performance').count()).resolves.toBe(0);
    await expect(appliedPresets.innerText()).resolves.toBe('none');
    // An error message stays until closed, even once it no longer holds.
    await expect(page.getByTestId('notices').getByText(/Cannot apply full/).count()).resolves.toBe(1);

    expect((await api('/schedules/weekly-vacuum', undefined, 'DELETE')).status).toBeLessThan(300);
    await page.locator('#schedules').getByText('weekly-vacuum').waitFor({ state: 'detached' });
    await expect(page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).resolves.toBe(true);

    // The name is kept by the browser, not the tab: another tab does not ask again.
    const other = await page.context().newPage();
    await other.goto(`${system.url}/`);
    await other.getByRole('button', { name: /Recorded as local:alice/ }).waitFor();
    await other.locator('article[data-scenario]').first().waitFor();
    await expect(other.getByTestId('actor-form').count()).resolves.toBe(0);
  });

  it('keeps one stack of three messages at most on a phone, never over a control; successes go, errors stay', async () => {
    tab = await openDashboard(browser, `${system.url}/`, { viewport: { width: 390, height: 844 } });
    const { page } = tab;
    const notices = page.getByTestId('notices');
    await page.getByTestId('actor-form').getByRole('button', { name: 'Not now' }).click();

    await api('/stop-all', { reason: 'maintenance freeze' });
    await page.getByTestId('emergency-banner').waitFor();
    for (const preset of ['full', 'security', 'performance', 'off-hours']) {
      await page.getByRole('button', { name: `Apply ${preset}`, exact: true }).click();
      await notices.getByText(`Cannot apply ${preset}:`).waitFor();
      await expect(page.locator('.notices').count()).resolves.toBe(1);
      await expect(notices.locator('.notice').count()).resolves.toBeLessThanOrEqual(3);
    }
    await expect(notices.locator('.notice').allInnerTexts()).resolves.toEqual([expect.stringMatching(/security/), expect.stringMatching(/performance/), expect.stringMatching(/off-hours/)]);
    await page.mouse.move(200, 840);
    await page.evaluate(() => window.scrollTo(0, 0));
    await expect(controlsUnder(page)).resolves.toEqual([]);

    // Scrolled down to a card, the stack stays with STOP ALL at the top and the card's switch can be hit.
    const toggle = page.locator('article[data-scenario="performance-monitor"]').getByRole('switch');
    await toggle.evaluate((element) => element.scrollIntoView({ block: 'center' }));
    await expect(stackWithinTopBar(page)).resolves.toBe(true);
    await expect(toggle.evaluate((element) => {
      const box = element.getBoundingClientRect();
      return element.contains(document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2));
    })).resolves.toBe(true);

    await page.getByTestId('emergency-banner').getByRole('button', { name: 'Resume' }).click();
    await page.mouse.move(200, 840);
    const success = notices.locator('[data-kind="success"]');
    await success.getByText(/Resumed/).waitFor();
    await expect(notices.locator('.notice').count()).resolves.toBe(3);
    // Successes go by themselves; the errors before it are still there when it has gone.
    await success.waitFor({ state: 'detached', timeout: 20_000 });
    await expect(notices.locator('[data-kind="error"]').count()).resolves.toBe(2);
    await notices.locator('[data-kind="error"]').first().getByRole('button', { name: 'Dismiss' }).click();
    await expect(notices.locator('[data-kind="error"]').count()).resolves.toBe(1);
  });
});

/** Controls the page shows whose box meets the message stack's (the stack's own buttons aside). */
function controlsUnder(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const stack = document.querySelector('.notices')!.getBoundingClientRect();
    if (stack.height === 0) return ['the stack is empty: nothing to check'];
    const meets = (box: DOMRect) => box.width > 0 && box.height > 0 && box.left < stack.right && box.right > stack.left && box.top < stack.bottom && box.bottom > stack.top;
    return Array.from(document.querySelectorAll<HTMLElement>('button, [role="switch"], input, select, a[href], [tabindex="0"]'))
      .filter((element) => !element.closest('.notices') && meets(element.getBoundingClientRect()))
      .map((element) => element.getAttribute('aria-label') ?? element.textContent?.trim() ?? element.tagName);
  });
}

/** Whether the message stack lies inside the sticky bar that holds STOP ALL. */
function stackWithinTopBar(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const stack = document.querySelector('.notices')!.getBoundingClientRect();
    const bar = document.querySelector('.sticky-top')!.getBoundingClientRect();
    return stack.height > 0 && bar.top <= 0.5 && stack.top >= bar.top && stack.bottom <= bar.bottom + 0.5;
  });
}
