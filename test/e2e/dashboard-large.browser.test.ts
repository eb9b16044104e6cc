/**
 * The dashboard on a large organization: a Bitbucket workspace of 2,000 members with a year of activity
 * (bulk-loaded by the analytics benchmark's generator, 20,000 people in the directory) and a DigitalOcean
 * team of 330 droplets. For each page, the time from the last analytics answer to the page showing its
 * data (nothing busy, its table or chart drawn) is measured in the browser's own clock and must stay
 * within a second: the API's speed is the analytics benchmark's business, the page's is this test's.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSyntheticOrg } from '../../bench/analytics-data.ts';
import { utcDay } from '../../src/analytics/dates.ts';
import { recomputeAnalytics } from '../../src/analytics/index.ts';
import type { ApiClient } from '../support/api.ts';
import { type TestPage, openPage, screenshot } from '../support/browser.ts';
import { logIn, startDashboard } from '../support/dashboard.ts';
import { type TestTally, setUpOrganization } from '../support/tally.ts';

const OWNER = { name: 'Olivia Owner', email: 'olivia@large.test', password: 'correct horse battery' };
/** "Interactive within a second once the API answered" (issue #8). */
const BUDGET_MS = 1000;

let tally: TestTally;
let browser: Browser;
let owner: TestPage;
let orgId: string;
let apps: { bitbucket: string[]; digitalocean: string[] };
let api: ApiClient;

/**
 * Opens a dashboard page and returns how long after its last analytics answer it was ready: nothing
 * marked busy, and the data drawn (`ready` names what must be there). Lazy extras that load after the
 * page is shown (a droplet's CPU sparkline) are not waited for.
 */
async function timeToReady(page: Page, pathname: string, ready: string): Promise<{ afterApiMs: number; totalMs: number }> {
  await page.goto('about:blank');
  await page.goto(`/orgs/${orgId}/${pathname}`);
  const readyAt = await page.waitForFunction(
    (selector) => {
      const main = document.querySelector('main');
      if (!main || main.querySelector('[aria-busy="true"]') || !main.querySelector(selector)) return false;
      return performance.now();
    },
    ready,
    { timeout: 60_000, polling: 'raf' },
  );
  const at = (await readyAt.jsonValue()) as number;
  const lastAnswer = await page.evaluate(() =>
    Math.max(
      0,
      ...performance
        .getEntriesByType('resource')
        .filter((e) => e.name.includes('/analytics/') && !/\/resources\/[^/?]+\?/.test(e.name))
        .map((e) => (e as PerformanceResourceTiming).responseEnd),
    ),
  );
  return { afterApiMs: Math.round(at - lastAnswer), totalMs: Math.round(at) };
}

beforeAll(async () => {
  [tally, browser] = await startDashboard();
  const setUp = await setUpOrganization(tally, { ...OWNER });
  orgId = setUp.orgId;
  api = setUp.owner;
  const today = utcDay();
  // Members are every tenth person of the generator's population: 20,000 people make a 2,000-seat workspace.
  apps = await loadSyntheticOrg(tally.tally.ctx.db, orgId, { people: 20_000, peopleApps: 1, cloudApps: 1, droplets: 330 }, today);
  for (const id of [...apps.bitbucket, ...apps.digitalocean]) await recomputeAnalytics(tally.tally.ctx, id, { full: true });
  owner = await openPage(browser, tally.baseUrl);
  await logIn(owner.page, OWNER);
}, 600_000);

afterAll(async () => {
  await browser?.close();
});

describe('the dashboard on a large organization', { timeout: 300_000 }, () => {

  it('shows each page within a second of the API’s last answer (best of five loads)', async () => {
    const { page } = owner;
    const pages: Array<[string, string, string]> = [
      ['Overview', 'overview', '.recharts-surface'],
      ['Bitbucket app (2,000 members)', `apps/${apps.bitbucket[0]}`, 'table[aria-label$="members"] tbody tr'],
      ['DigitalOcean app (330 droplets)', `apps/${apps.digitalocean[0]}`, 'table[aria-label$="resources"] tbody tr'],
      ['People (20,000)', 'people', 'table[aria-label="People"] tbody tr'],
      ['Spend', 'spend', '.recharts-surface'],
      ['Insights', 'insights', 'article, h2'],
      ['Apps', 'apps', 'article'],
    ];
    // Other work on the two shared cores only ever adds to a timing, so the best of five loads is the
    // page's own cost; the median is printed beside it to show how much the machine's load added.
    const rows: Record<string, Record<string, number>> = {};
    const best: Array<[string, number]> = [];
    for (const [name, pathname, ready] of pages) {
      const runs: number[] = [];
      let total = 0;
      for (let i = 0; i < 5; i++) {
        const timing = await timeToReady(page, pathname, ready);
        runs.push(timing.afterApiMs);
        total = Math.max(total, timing.totalMs);
      }
      runs.sort((a, b) => a - b);
      rows[name] = { 'best after the API (ms)': runs[0]!, 'median after the API (ms)': runs[2]!, 'slowest since navigation (ms)': total };
      best.push([name, runs[0]!]);
      await screenshot(page, `dashboard-large-${pathname.replace(/\//g, '-')}`);
    }
    console.table(rows);
    for (const [name, ms] of best) expect(ms, `${name} took ${ms} ms after the API answered, at best`).toBeLessThanOrEqual(BUDGET_MS);
  });

  it('searches and sorts the 2,000 members without a wait', async () => {
    const { page } = owner;
    await page.goto(`/orgs/${orgId}/apps/${apps.bitbucket[0]}`);
    const table = page.getByRole('table', { name: /members$/ });
    await page.getByText(/^[\d,]+ rows, 50 shown$/).waitFor();
    const someone = (await api.get(`/api/orgs/${orgId}/analytics/apps/${apps.bitbucket[0]}/members?limit=1&offset=1500`)).body.items[0].name as string;
    const started = Date.now();
    await page.getByRole('searchbox', { name: 'Search members' }).fill(someone);
    await table.getByRole('row', { name: new RegExp(`${someone}\\b`) }).first().waitFor();
    const searchMs = Date.now() - started;
    const sortStarted = Date.now();
    await page.getByRole('button', { name: 'Clear search' }).click();
    await table.getByRole('columnheader', { name: 'Active days' }).getByRole('button').click();
    await table.locator('th[aria-sort="descending"]', { hasText: 'Active days' }).waitFor();
    const sortMs = Date.now() - sortStarted;
    console.log(`members: search ${searchMs} ms, clear and sort ${sortMs} ms (from the test, browser round trips included)`);
    expect(searchMs).toBeLessThanOrEqual(BUDGET_MS);
    expect(sortMs).toBeLessThanOrEqual(BUDGET_MS);
  });

  it('ran without a script error', () => {
    expect(owner.errors).toEqual([]);
  });
});
