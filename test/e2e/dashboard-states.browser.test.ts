/**
 * The dashboard's other states, in a real browser against a whole Tally and its provider simulators, with
 * DigitalOcean and Bitbucket connected and synced (Sync now) through the API: a sync failing on an HTML challenge page
 * (error and provider-health event on Sync health), the shared date range kept in the URL and carried from
 * page to page (keyboard included), the API's own message when a page cannot load, and a member seeing the
 * figures without the admin actions. Screenshots at 1280 and 390 px (test-artifacts/screenshots/dashboard-*.png)
 * with axe checks.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFailed } from 'vitest';
import type { ApiClient } from '../support/api.ts';
import { type TestPage, capture, openPage, screenshot } from '../support/browser.ts';
import { connect } from '../support/consent.ts';
import { heading, logIn, startDashboard } from '../support/dashboard.ts';
import { type TestTally, setUpOrganization } from '../support/tally.ts';
import { analytics, figuresAfter, sim, syncNow, tile, untilSynced } from './dashboard-support.ts';

const OWNER = { name: 'Olivia Owner', email: 'olivia@acme.test', password: 'correct horse battery' };
const MEMBER = { name: 'Mia Member', email: 'mia@acme.test', password: 'member password one' };

let tally: TestTally;
let browser: Browser;
let owner: TestPage;
let member: TestPage | undefined;
let api: ApiClient;
let orgId: string;

const shot = (page: Page, name: string) => capture(page, `dashboard-${name}`);
const go = (page: Page, pathname: string) => page.goto(`/orgs/${orgId}/${pathname}`);

beforeAll(async () => {
  [tally, browser] = await startDashboard({ simulators: true });
  const setUp = await setUpOrganization(tally, OWNER);
  orgId = setUp.orgId;
  api = setUp.owner;
  for (const provider of ['digitalocean', 'bitbucket'] as const) {
    const back = await connect(api, orgId, provider);
    expect(back.searchParams.get('result')).toBe('connected');
  }
  const asked = await Promise.all([syncNow(api, orgId, 'digitalocean'), syncNow(api, orgId, 'bitbucket')]);
  await figuresAfter(api, orgId, 'digitalocean', await untilSynced(api, orgId, 'digitalocean', { startedAfter: asked[0] }));
  await figuresAfter(api, orgId, 'bitbucket', await untilSynced(api, orgId, 'bitbucket', { startedAfter: asked[1] }));
  await analytics(api, orgId, 'overview', (o) => o.computedAt !== null && o.apps === 2);
  owner = await openPage(browser, tally.baseUrl);
  // With apps connected, signing in opens Overview (Connections is the start only while nothing is).
  expect(await logIn(owner.page, OWNER)).toBe('overview');
  await heading(owner.page, 'Overview').waitFor();
}, 300_000);

afterAll(async () => {
  await browser?.close();
});

beforeEach(() => {
  onTestFailed(async () => {
    for (const [who, opened] of Object.entries({ owner, member })) {
      if (opened && !opened.page.isClosed()) await screenshot(opened.page, `dashboard-states-failed-${who}`).catch(() => undefined);
    }
  });
});

describe('the dashboard’s other states', { timeout: 300_000 }, () => {
  it('shows a failed sync, its error and the HTML challenge page the provider sent on Sync health', async () => {
    const { page } = owner;
    // The simulator answers the droplet list with a bot-protection page until the engine gives up.
    await sim(tally.tally.ctx.simulated, '/faults', { kind: 'html_challenge', provider: 'digitalocean', route: '/v2/droplets', method: 'GET', times: 20 });
    await go(page, 'sync-health');
    const section = page.getByRole('region', { name: /^DigitalOcean/ });
    // The page is settled (runs listed) before Sync now, and says the sync was queued after it.
    await section.getByRole('row').filter({ hasText: 'Succeeded' }).first().waitFor();
    await section.getByRole('button', { name: 'Sync now DigitalOcean' }).click();
    await page.getByText(/DigitalOcean: .*queued/i).waitFor();
    await section.getByText('Last sync failed', { exact: true }).waitFor({ timeout: 120_000 });
    await section.getByText(/returned an HTML page instead of JSON/).first().waitFor();
    const events = page.getByRole('table', { name: 'Provider health events' });
    // Each event names its app as the analytics answers do, from the sync health answer alone.
    const health = (await api.get(`/api/orgs/${orgId}/sync/health`)).body.connections.find((c: { provider: string }) => c.provider === 'digitalocean');
    const apps = await analytics(api, orgId, 'apps');
    expect(health.appName).toBe(apps.items.find((a: { provider: string }) => a.provider === 'digitalocean').name);
    await events.getByRole('row').filter({ hasText: 'HTML challenge page' }).filter({ hasText: health.appName }).first().waitFor();
    await shot(page, 'sync-health-problems');

    await sim(tally.tally.ctx.simulated, '/faults', undefined, 'DELETE');
    const failed = (await api.get(`/api/orgs/${orgId}/sync/health`)).body.connections.find((c: { provider: string }) => c.provider === 'digitalocean').lastRun;
    await section.getByRole('button', { name: 'Sync now DigitalOcean' }).click();
    await untilSynced(api, orgId, 'digitalocean', { trigger: 'manual', startedAfter: failed.startedAt });
    await section.getByText('Healthy').waitFor({ timeout: 20_000 });
  });

  it('keeps the date range in the URL and carries it from page to page', async () => {
    const { page } = owner;
    await go(page, 'spend');
    const picker = page.getByRole('button', { name: /^Date range:/ });
    await picker.click();
    const panel = page.getByRole('group', { name: 'Choose a date range' });
    await panel.getByRole('button', { name: 'Last 12 months' }).click();
    await page.waitForURL(/range=12m/);
    await expect.poll(() => picker.textContent()).toContain('Last 12 months');
    await expect.poll(() => picker.evaluate((el) => el === document.activeElement)).toBe(true);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Overview', exact: true }).click();
    await page.waitForURL((url) => url.pathname.endsWith('/overview') && url.searchParams.get('range') === '12m');
    await expect.poll(() => page.getByRole('button', { name: /^Date range:/ }).textContent()).toContain('Last 12 months');

    // A backwards custom range is refused with a reason; Escape closes the panel and focus returns.
    await page.getByRole('button', { name: /^Date range:/ }).click();
    await panel.getByLabel('From').fill('2026-03-10');
    await panel.getByLabel('To').fill('2026-03-01');
    await panel.getByRole('button', { name: 'Apply range' }).click();
    await panel.getByRole('alert').getByText('The start date must be on or before the end date.').waitFor();
    await shot(page, 'date-range');
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });
    expect(await page.getByRole('button', { name: /^Date range:/ }).evaluate((el) => el === document.activeElement)).toBe(true);
  });

  it('shows the API’s own message when a page cannot load, and loads again on Try again', async () => {
    const { page } = owner;
    const message = 'The database is restarting. Try again in a minute.';
    await page.route('**/analytics/overview*', (route) =>
      route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: { code: 'unavailable', message } }) }),
    );
    await go(page, 'overview');
    const alert = page.getByRole('alert');
    await alert.getByText(message).waitFor();
    await shot(page, 'error');
    await page.unroute('**/analytics/overview*');
    await alert.getByRole('button', { name: 'Try again' }).click();
    await tile(page, 'Spend this month').waitFor();
  });

  it('shows a member the same figures without the admin actions', async () => {
    const invited = await api.post(`/api/orgs/${orgId}/invitations`, { email: MEMBER.email, role: 'member' });
    expect(invited.status, JSON.stringify(invited.body)).toBe(201);
    const token = new URL(invited.body.link as string).pathname.split('/').pop();
    const accepted = await tally.client().post(`/api/invitations/${token}/accept`, { name: MEMBER.name, password: MEMBER.password });
    expect(accepted.status, JSON.stringify(accepted.body)).toBeLessThan(300);
    member = await openPage(browser, tally.baseUrl);
    const { page } = member;
    await logIn(page, MEMBER);
    await go(page, 'insights');
    await page.getByRole('article').first().waitFor();
    expect(await page.getByRole('button', { name: /^(Resolve|Snooze|Dismiss):/ }).count()).toBe(0);
    await go(page, 'sync-health');
    await page.getByRole('region', { name: /^DigitalOcean/ }).getByText('Recent runs').waitFor();
    expect(await page.getByRole('button', { name: /^Sync now/ }).count()).toBe(0);
    await go(page, 'people');
    await heading(page, 'People').waitFor();
    await page.getByRole('table', { name: 'People' }).waitFor();
    expect(await page.getByRole('button', { name: /^Confirm / }).count()).toBe(0);
    await shot(page, 'people-as-member');
  });

  it('ran without a script error', () => {
    expect(owner.errors).toEqual([]);
    expect(member?.errors ?? []).toEqual([]);
  });
});
