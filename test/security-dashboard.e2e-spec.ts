/**
 * The dashboard with tokens configured (SPEC 8), in real headless Chromium against a real orchestrator:
 * it asks for a token on 401, keeps it for the tab, and disables what a viewer's role may not do.
 */
import type { Browser } from 'playwright-core';
import { assertBrowserTestable, launchBrowser } from './support/browser';
import { startTestSystem, type TestSystem } from './support/system';

describe('dashboard with tokens', () => {
  let system: TestSystem;
  let browser: Browser;
  beforeAll(async () => {
    assertBrowserTestable();
    system = await startTestSystem({ specs: [{ id: 'alpha' }], env: { MAINTENANCE_TOKENS: 'eye:viewer:viewer-secret-1,ops:operator:operator-secret-1' } });
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  async function signIn(secret: string) {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(`${system.url}/`);
    const prompt = page.getByTestId('token-prompt');
    await prompt.waitFor();
    await prompt.locator('input[name=token]').fill(secret);
    await prompt.getByRole('button', { name: 'Use token' }).click();
    await page.locator('article[data-scenario=alpha]').waitFor();
    return { page, context };
  }

  it('asks for a token, then disables the controls a viewer may not use', async () => {
    const { page, context } = await signIn('viewer-secret-1');
    try {
      await page.waitForFunction(() => (document.querySelector('button.stop-all') as HTMLButtonElement | null)?.disabled === true);
      expect(await page.locator('article[data-scenario=alpha] button[role=switch], article[data-scenario=alpha] .card-head button').first().isDisabled()).toBe(true);
      expect(await page.locator('button.stop-all').getAttribute('title')).toMatch(/operator/);
      expect(await page.evaluate(() => sessionStorage.getItem('maintenance-orchestrator.token'))).toBe('viewer-secret-1');
      expect(page.url()).not.toContain('viewer-secret-1');
    } finally {
      await context.close();
    }
  }, 60_000);

  it('leaves them enabled for an operator', async () => {
    const { page, context } = await signIn('operator-secret-1');
    try {
      await page.waitForFunction(() => document.querySelector('button.stop-all') !== null);
      // whoami has answered once the viewer-only state could have applied; give it that one round trip.
      await page.evaluate(() => fetch('api/v1/whoami', { headers: { authorization: `Bearer ${sessionStorage.getItem('maintenance-orchestrator.token')}` } }));
      expect(await page.locator('button.stop-all').isDisabled()).toBe(false);
    } finally {
      await context.close();
    }
  }, 60_000);
});
