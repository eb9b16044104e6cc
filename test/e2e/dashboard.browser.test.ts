/**
 * The dashboard a new organization walks through, in a real browser against a whole Tally and its provider
 * simulators: set up, every dashboard page empty with the way forward, Connect DigitalOcean through the
 * simulator's consent, the first sync from Sync health, Overview and the DigitalOcean app page showing the
 * API's numbers, Bitbucket's members, people and a confirmed link, spend, and insights resolved, snoozed and
 * dismissed with a note (dashboard-states.browser.test.ts has the other states). Every page
 * is screenshotted at 1280 and 390 px (test-artifacts/screenshots/dashboard-*.png) and checked with axe-core.
 */
import fs from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFailed } from 'vitest';
import { ApiClient } from '../support/api.ts';
import { type TestPage, capture, openPage, screenshot } from '../support/browser.ts';
import { backOnConnections, consent, heading, providerRegion, startDashboard } from '../support/dashboard.ts';
import type { TestTally } from '../support/tally.ts';
import { presetRange } from '../../web/src/ui/dateRange.ts';
import { type Provider, analytics, figuresAfter, money, syncNow, syncStarted, tile, untilSynced } from './dashboard-support.ts';

const OWNER = { organization: 'Acme Inc', name: 'Olivia Owner', email: 'olivia@acme.test', password: 'correct horse battery' };

let tally: TestTally;
let browser: Browser;
let owner: TestPage;
let api: ApiClient;
let orgId: string;
const appIds: Partial<Record<Provider, string>> = {};
/** DigitalOcean's first sync, whose figures Overview and the app page must show. */
let firstRun: { finishedAt: string };

const shot = (page: Page, name: string) => capture(page, `dashboard-${name}`);
const go = (page: Page, pathname: string) => page.goto(`/orgs/${orgId}/${pathname}`);

beforeAll(async () => {
  [tally, browser] = await startDashboard({ simulators: true });
  owner = await openPage(browser, tally.baseUrl);
});

afterAll(async () => {
  await browser?.close();
});

beforeEach(() => {
  onTestFailed(async () => {
    if (!owner.page.isClosed()) await screenshot(owner.page, 'dashboard-failed').catch(() => undefined);
  });
});

// Each step drives a browser against a whole Tally (and syncs) on two shared cores: give it room.
describe('a new organization’s dashboard', { timeout: 300_000 }, () => {
  it('sets up Tally in the browser and lands on Connections', async () => {
    const { page } = owner;
    await page.goto('/');
    await page.waitForURL('**/setup');
    await page.getByLabel('Organization name').fill(OWNER.organization);
    await page.getByLabel('Your name').fill(OWNER.name);
    await page.getByLabel('Work email').fill(OWNER.email);
    await page.getByLabel('Password', { exact: true }).fill(OWNER.password);
    await page.getByRole('button', { name: 'Create organization' }).click();
    await page.waitForURL(/\/orgs\/[0-9a-f-]{36}\/connections$/);
    orgId = new URL(page.url()).pathname.split('/')[2]!;
    api = new ApiClient(tally.baseUrl);
    expect((await api.post('/api/auth/login', { email: OWNER.email, password: OWNER.password })).status).toBe(200);
    const nav = page.getByRole('navigation', { name: 'Main' });
    for (const name of ['Overview', 'Apps', 'People', 'Spend', 'Insights', 'Sync health']) await nav.getByRole('link', { name, exact: true }).waitFor();
  });

  it('shows every dashboard empty, saying what to connect to fill it', async () => {
    const { page } = owner;
    const pages: Array<[string, string, string | RegExp]> = [
      ['overview', 'Overview', 'Connect DigitalOcean to see spend'],
      ['apps', 'Apps', 'No apps connected yet'],
      ['people', 'People', 'Connect Bitbucket Cloud to see people'],
      ['spend', 'Spend', 'Connect DigitalOcean to see spend'],
      ['insights', 'Insights', 'Connect an app to get insights'],
      ['sync-health', 'Sync health', 'Nothing syncs yet'],
      ['settings/plans', 'Plans & seat prices', 'Connect an app to set its plan'],
    ];
    for (const [pathname, title, empty] of pages) {
      await go(page, pathname);
      await heading(page, title).waitFor();
      await page.getByRole('heading', { name: empty }).waitFor();
      await page.getByRole('link', { name: /Connect (an app|DigitalOcean)|Go to Connections/ }).first().waitFor();
      await shot(page, `empty-${pathname.replace('/', '-')}`);
    }
  });

  it('connects DigitalOcean through the simulator’s login and consent', async () => {
    const { page } = owner;
    await go(page, 'connections');
    await providerRegion(page, 'DigitalOcean').getByRole('button', { name: 'Connect DigitalOcean', exact: true }).click();
    await consent(page);
    await backOnConnections(page, orgId);
    await providerRegion(page, 'DigitalOcean').getByRole('button', { name: /^Reconnect DigitalOcean/ }).waitFor();
  });

  it('runs the first sync (the one Connect queued, else Sync now on Sync health) and shows the run with its counters', async () => {
    const { page } = owner;
    await go(page, 'sync-health');
    const section = page.getByRole('region', { name: /^DigitalOcean/ });
    await section.waitFor();
    // Test Tallys run no schedules: unless connecting queued the first sync, it is this Sync now.
    const byConnect = await syncStarted(api, orgId, 'digitalocean');
    if (!byConnect) {
      await section.getByText('Not synced yet').waitFor();
      const syncNow = section.getByRole('button', { name: 'Sync now DigitalOcean' });
      await expect.poll(() => syncNow.isEnabled(), { timeout: 20_000 }).toBe(true);
      await syncNow.click();
      await page.getByText(/DigitalOcean: .*queued/i).waitFor();
    }
    const run = await untilSynced(api, orgId, 'digitalocean', byConnect ? {} : { trigger: 'manual' });
    firstRun = run;
    await section.getByText('Healthy').waitFor({ timeout: 20_000 });
    await section.getByRole('row').filter({ hasText: byConnect ? /./ : 'Sync now' }).filter({ hasText: 'Succeeded' }).first().waitFor();
    const requests = section.locator('dt', { hasText: 'Requests' }).locator('xpath=following-sibling::dd');
    await expect.poll(() => requests.textContent()).toBe(run.requests.toLocaleString('en-US'));
    await shot(page, 'sync-health');
  });

  it('shows Overview figures that match the API', async () => {
    const { page } = owner;
    await figuresAfter(api, orgId, 'digitalocean', firstRun);
    const overview = await analytics(api, orgId, 'overview?window=30', (o) => o.computedAt !== null && o.apps === 1);
    appIds.digitalocean = overview.appSummaries[0].appId;
    await go(page, 'overview');
    await heading(page, 'Overview').waitFor();
    await expect.poll(() => tile(page, 'Spend this month').textContent()).toBe(money(overview.spend.monthToDate));
    expect(await tile(page, 'Potential savings').textContent()).toBe(`${money(overview.insights.estimatedMonthlySaving)}/mo`);
    await page.getByText(`Forecast ${money(overview.spend.forecastMonthEnd)}`).waitFor();
    const spendByApp = page.getByRole('list', { name: 'Spend by app this month' });
    await spendByApp.getByText(money(overview.appSummaries[0].spendMonthToDate)).waitFor();
    const savings = page.getByRole('region', { name: 'Top savings opportunities' });
    for (const insight of overview.topInsights) await savings.getByRole('link', { name: insight.title }).waitFor();
    await page.getByRole('region', { name: 'Connections' }).getByText(/Synced/).first().waitFor();
    await page.getByRole('img', { name: /Monthly spend by app/ }).or(page.getByRole('application', { name: /Monthly spend by app/ })).first().waitFor();
    await shot(page, 'overview');
  });

  it('shows the DigitalOcean app: resources by type, invoices by product and every resource, as the API has them', async () => {
    const { page } = owner;
    const { from, to } = presetRange('90d');
    const detail = await analytics(api, orgId, `apps/${appIds.digitalocean}?from=${from}&to=${to}`);
    const resources = await analytics(api, orgId, `resources?appId=${appIds.digitalocean}&days=14&from=${from}&to=${to}&limit=500`);
    await go(page, 'apps');
    await page.getByRole('link', { name: detail.app.name }).click();
    await heading(page, detail.app.name).waitFor();
    await expect.poll(() => tile(page, 'Resources running').textContent()).toBe(String(detail.app.resources));
    expect(await tile(page, 'Spend this month').textContent()).toBe(money(detail.app.spendMonthToDate));
    const byType = page.getByRole('list', { name: 'Resources by type' });
    for (const group of detail.resourcesByType.slice(0, 3)) await byType.getByText(`${money(group.monthlyCost)}/mo`).first().waitFor();
    const months = page.getByRole('table', { name: `${detail.app.name} spend by month` });
    for (const month of detail.invoices) await months.getByRole('cell', { name: money(month.total), exact: true }).first().waitFor();
    const table = page.getByRole('table', { name: `${detail.app.name} resources` });
    await page.getByText(`${resources.total} rows`).waitFor();
    // Costliest first, as the API sorts them.
    const firstName = (await table.getByRole('row').nth(1).getByRole('cell').first().textContent()) ?? '';
    expect(firstName.startsWith(resources.items[0].name)).toBe(true);
    await shot(page, 'app-digitalocean');

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: `CSV of ${detail.app.name.toLowerCase()} resources` }).click();
    const csv = await fs.readFile((await (await download).path())!, 'utf8');
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toBe('Resource,Type,Size,Project,Region,Monthly cost,CPU avg,CPU p95,Flags');
    expect(lines).toHaveLength(resources.total + 1);
  });

  it('connects Bitbucket and shows its seats, activity windows, feature adoption and members as the API has them', async () => {
    const { page } = owner;
    await go(page, 'connections');
    await providerRegion(page, 'Bitbucket Cloud').getByRole('button', { name: 'Connect Bitbucket Cloud', exact: true }).click();
    await consent(page);
    await backOnConnections(page, orgId);
    const run = await untilSynced(api, orgId, 'bitbucket', { startedAfter: await syncNow(api, orgId, 'bitbucket') });
    appIds.bitbucket = (await figuresAfter(api, orgId, 'bitbucket', run)).appId;
    const apps = await analytics(api, orgId, 'apps');
    const { from, to } = presetRange('90d');
    const detail = await analytics(api, orgId, `apps/${appIds.bitbucket}?window=30&from=${from}&to=${to}`);
    const members = await analytics(api, orgId, `apps/${appIds.bitbucket}/members?window=30&from=${from}&to=${to}&limit=500`);

    await go(page, 'apps');
    await heading(page, 'Apps').waitFor();
    for (const app of apps.items) await page.getByRole('link', { name: app.name }).first().waitFor();
    await shot(page, 'apps');

    await go(page, `apps/${appIds.bitbucket}`);
    await heading(page, detail.app.name).waitFor();
    await expect.poll(() => tile(page, 'Seats').textContent()).toBe(String(detail.app.seats));
    expect(await tile(page, 'Active (30 days)').textContent()).toBe(String(detail.app.active));
    await page.getByRole('heading', { name: 'Feature adoption by week' }).waitFor();
    const table = page.getByRole('table', { name: `${detail.app.name} members` });
    await page.getByText(`${members.total} rows`).waitFor();
    await shot(page, 'app-bitbucket');

    // The 7-day window is kept in the URL and the figures follow it.
    const week = await analytics(api, orgId, `apps/${appIds.bitbucket}?window=7&from=${from}&to=${to}`);
    await page.getByRole('group', { name: 'Activity window' }).getByRole('radio', { name: '7 days' }).check();
    await page.waitForURL(/window=7/);
    await expect.poll(() => tile(page, 'Active (7 days)').textContent()).toBe(String(week.app.active));

    // Search, sort and CSV of the members table.
    const someone = members.items.find((m: any) => m.name && m.seat);
    await page.getByRole('searchbox', { name: 'Search members' }).fill(someone.name);
    await table.getByRole('row', { name: new RegExp(someone.name) }).first().waitFor();
    await expect.poll(() => table.getByRole('row').count()).toBeLessThan(members.total + 1);
    await page.getByRole('button', { name: 'Clear search' }).click();
    const activeDays = table.getByRole('columnheader', { name: 'Active days' });
    await activeDays.getByRole('button').click();
    expect(await activeDays.getAttribute('aria-sort')).toBe('descending');
    const most = Math.max(...members.items.map((m: any) => m.activeDays));
    await expect.poll(async () => (await table.getByRole('row').nth(1).getByRole('cell').nth(5).textContent())?.trim()).toBe(String(most));
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: `CSV of ${detail.app.name.toLowerCase()} members` }).click();
    const csv = (await fs.readFile((await (await download).path())!, 'utf8')).trim().split('\r\n');
    expect(csv[0]).toMatch(/^Member,Email,Role,Level,Last activity,Last web login,Active days,/);
    expect(csv).toHaveLength(members.total + 1);
  });

  it('lists people, confirms a suggested link, and shows a person’s accounts and timeline', async () => {
    const { page } = owner;
    const people = await analytics(api, orgId, 'people?limit=500');
    const proposals = await analytics(api, orgId, 'people/proposals?limit=50');
    await go(page, 'people');
    await heading(page, 'People').waitFor();
    await page.getByText(`${people.total} rows`).waitFor();
    await shot(page, 'people');

    expect(proposals.total, 'the simulator seeds look-alike commit authors').toBeGreaterThan(0);
    const proposal = proposals.items[0];
    const account = proposal.accountName ?? proposal.accountNickname ?? proposal.accountEmail ?? proposal.accountId;
    await page.getByRole('button', { name: `Confirm ${account} is ${proposal.person.displayName}` }).first().click();
    await page.getByText(`${account} is now linked to ${proposal.person.displayName}.`).waitFor();
    const person = await analytics(api, orgId, `people/${proposal.person.personId}`);
    expect(person.accounts.find((a: any) => a.accountId === proposal.accountId)?.method).toBe('confirmed');

    await page.getByRole('table', { name: 'People' }).getByRole('link', { name: proposal.person.displayName }).first().click();
    await heading(page, proposal.person.displayName).waitFor();
    const accounts = page.getByRole('table', { name: `${proposal.person.displayName}'s accounts` });
    await expect.poll(() => accounts.getByRole('row').count()).toBe(person.accounts.length + 1);
    await page.getByRole('heading', { name: 'Activity timeline' }).waitFor();
    await shot(page, 'person');
  });

  it('shows spend by month, app, product and project with this month against its forecast', async () => {
    const { page } = owner;
    const { from, to } = presetRange('90d');
    const spend = await analytics(api, orgId, `spend?from=${from}&to=${to}`);
    await go(page, 'spend');
    await heading(page, 'Spend').waitFor();
    await expect.poll(() => tile(page, 'Month to date').textContent()).toBe(money(spend.monthToDate));
    expect(await tile(page, 'Forecast for the month').textContent()).toBe(money(spend.forecastMonthEnd));
    expect(await tile(page, 'Last month').textContent()).toBe(money(spend.lastMonth));
    const byApp = page.getByRole('table', { name: 'Spend by app' });
    for (const app of spend.byApp) await byApp.getByRole('row', { name: new RegExp(app.app.name) }).getByText(money(app.monthToDate)).first().waitFor();
    const top = [...spend.byProduct].sort((a: any, b: any) => Number(b.amount) - Number(a.amount))[0];
    await page.getByRole('list', { name: 'Spend by product' }).getByText(money(top.amount)).waitFor();
    await shot(page, 'spend');
  });

  it('resolves, snoozes and dismisses insights, each with a note kept beside it', async () => {
    const { page } = owner;
    const open = await analytics(api, orgId, 'insights?state=open&limit=500', (l) => l.total >= 3);
    await go(page, 'insights');
    await heading(page, 'Insights').waitFor();
    await expect.poll(() => tile(page, 'Estimated saving').textContent()).toBe(`${money(open.totalMonthlySaving)}/mo`);
    await shot(page, 'insights');

    const decide = async (insight: any, action: 'Resolve' | 'Snooze' | 'Dismiss', note: string) => {
      const card = page.getByRole('article', { name: insight.title });
      await card.getByRole('button', { name: `${action}: ${insight.title}` }).click();
      const dialog = page.getByRole('dialog', { name: new RegExp(`^${action}`) });
      if (action === 'Snooze') expect(await dialog.getByLabel('Snooze until').inputValue()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      await dialog.getByLabel('Note (optional)').fill(note);
      if (action === 'Resolve') await shot(page, 'insight-resolve');
      await dialog.getByRole('button', { name: action }).click();
      await page.getByText(new RegExp(`is ${action === 'Snooze' ? 'snoozed' : action === 'Resolve' ? 'resolved' : 'dismissed'}\\.`)).first().waitFor();
      await card.waitFor({ state: 'detached' });
    };
    const [first, second, third] = open.items;
    await decide(first, 'Resolve', 'Destroyed it after checking the backups.');
    await decide(second, 'Snooze', 'Revisit after the quarterly review.');
    await decide(third, 'Dismiss', 'A standby on purpose.');

    const states = await Promise.all([first, second, third].map((i: any) => api.get(`/api/orgs/${orgId}/analytics/insights/${i.insightId}`)));
    expect(states.map((r) => [r.body.state, r.body.stateNote, r.body.stateChangedBy])).toEqual([
      ['resolved', 'Destroyed it after checking the backups.', OWNER.name],
      ['snoozed', 'Revisit after the quarterly review.', OWNER.name],
      ['dismissed', 'A standby on purpose.', OWNER.name],
    ]);
    expect(states[1]!.body.snoozedUntil > presetRange('7d').to).toBe(true);

    await page.getByRole('group', { name: 'Insight state' }).getByRole('radio', { name: 'Resolved' }).check();
    await page.waitForURL(/state=resolved/);
    const resolved = page.getByRole('article', { name: first.title });
    await resolved.getByText('Destroyed it after checking the backups.').waitFor();
    await resolved.getByRole('button', { name: `Reopen: ${first.title}` }).waitFor();
    await shot(page, 'insights-resolved');
  });

  it('ran without a script error', () => {
    expect(owner.errors).toEqual([]);
  });
});
