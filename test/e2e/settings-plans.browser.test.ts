/**
 * Settings → Plans & seat prices in a real browser, on Bitbucket and DigitalOcean connections synced from
 * the simulators: an admin sets Bitbucket's plan and price per seat (the API's own validation messages
 * show beside the fields), the API, the App page and the Overview reflect it, and a member reads it without
 * a form. Screenshots at 1280 and 390 px (test-artifacts/screenshots/settings-plans-*.png) with axe checks.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFailed } from 'vitest';
import { syncConnection } from '../../src/sync/schedule.ts';
import { type TestPage, capture, openPage, screenshot } from '../support/browser.ts';
import { connect } from '../support/consent.ts';
import { heading, logIn, startDashboard } from '../support/dashboard.ts';
import { type TestTally, setUpOrganization } from '../support/tally.ts';
import { seatCost } from '../../web/src/pages/settings/PlansValues.ts';
import type { ApiClient } from '../support/api.ts';

const OWNER = { name: 'Olivia Owner', email: 'olivia@acme.test', password: 'correct horse battery' };
const MEMBER = { name: 'Mia Member', email: 'mia@acme.test', password: 'mia password 123' };

let tally: TestTally;
let browser: Browser;
let owner: TestPage;
let member: TestPage;
let api: ApiClient;
let orgId: string;
let bitbucketId: string;

const shot = (page: Page, name: string) => capture(page, `settings-plans-${name}`);
const planCard = (page: Page, name: string) => page.getByRole('region', { name, exact: true });
/** Dollars as the browser (en-US) shows them. */
const formatMoney = (amount: string) => new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(amount as `${number}`);

beforeAll(async () => {
  [tally, browser] = await startDashboard({ simulators: true });
  const setUp = await setUpOrganization(tally, OWNER);
  api = setUp.owner;
  orgId = setUp.orgId;
  const invited = await api.post(`/api/orgs/${orgId}/invitations`, { email: MEMBER.email, role: 'member' });
  await tally.client().post(`/api/invitations/${invited.body.link.split('/invite/')[1]}/accept`, { name: MEMBER.name, password: MEMBER.password });
  await connect(api, orgId, 'bitbucket');
  await connect(api, orgId, 'digitalocean');
  const connections = await tally.tally.ctx.db.selectFrom('connections').select(['id', 'provider']).where('organization_id', '=', orgId).execute();
  // Through the scheduler's entry point, so the analytics are recomputed after each sync.
  for (const c of connections) {
    const result = await syncConnection(tally.tally.ctx, c.id, { trigger: 'test' });
    expect(result.status, JSON.stringify(result.error)).toBe('succeeded');
  }
  bitbucketId = connections.find((c) => c.provider === 'bitbucket')!.id;
  [owner, member] = await Promise.all([openPage(browser, tally.baseUrl), openPage(browser, tally.baseUrl)]);
}, 180_000);

afterAll(async () => {
  await browser?.close();
});

beforeEach(() => {
  onTestFailed(async () => {
    for (const [who, opened] of Object.entries({ owner, member })) {
      if (opened && !opened.page.isClosed()) await screenshot(opened.page, `settings-plans-failed-${who}`).catch(() => undefined);
    }
  });
});

async function bitbucketApp() {
  const apps = (await api.get(`/api/orgs/${orgId}/analytics/apps`)).body.items as Array<{ appId: string; name: string; seats: number; pricePerSeat: string | null; spendMonthToDate: string; planName: string | null }>;
  return apps.find((a) => a.appId === bitbucketId)!;
}

describe('Settings → Plans & seat prices, as an admin', () => {
  it('lists each connected app with its seats, and Bitbucket without a price yet', async () => {
    const { page } = owner;
    await logIn(page, OWNER);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Plans & seat prices' }).click();
    await heading(page, 'Plans & seat prices').waitFor();
    const app = await bitbucketApp();
    const bitbucket = planCard(page, app.name);
    await bitbucket.getByText('No price per seat yet').waitFor();
    await bitbucket.getByText('members of the workspace').waitFor();
    const digitalocean = page.getByRole('region').filter({ hasText: 'Billed by resource, not by seat' });
    await digitalocean.getByText('From invoices').waitFor();
    expect(await digitalocean.getByLabel('Price per seat a month (USD)').count()).toBe(0);
    await shot(page, '01-empty');
  });

  it('shows the API’s validation message beside its field, then saves the plan and price as exact decimals', async () => {
    const { page } = owner;
    const app = await bitbucketApp();
    const bitbucket = planCard(page, app.name);
    await bitbucket.getByLabel('Plan name').fill('Standard');
    await bitbucket.getByLabel('Price per seat a month (USD)').fill('$6.6');
    await bitbucket.getByLabel('Renewal date').fill('2027-03-01');
    await bitbucket.getByLabel('Contract value a year (USD)').fill('1,200');
    await bitbucket.getByLabel('Inactive after (days)').fill('3');
    await bitbucket.getByRole('button', { name: /^Save .* plan$/ }).click();
    // The range is the API's to judge: its message, beside the field, and nothing saved.
    const threshold = bitbucket.getByLabel('Inactive after (days)');
    await expect.poll(() => threshold.getAttribute('aria-invalid')).toBe('true');
    const message = await page.locator(`#${await threshold.getAttribute('aria-describedby')}`).innerText();
    expect(message).toMatch(/7/);
    expect((await api.get(`/api/orgs/${orgId}/analytics/apps/${bitbucketId}/settings`)).body.pricePerSeat).toBeNull();
    await shot(page, '02-api-message');

    await threshold.fill('45');
    await bitbucket.getByRole('button', { name: /^Save .* plan$/ }).click();
    await page.getByText(`Plan saved for ${app.name}: its spend and insights are recomputed.`).waitFor();
    const saved = (await api.get(`/api/orgs/${orgId}/analytics/apps/${bitbucketId}/settings`)).body;
    expect(saved).toMatchObject({ planName: 'Standard', pricePerSeat: '6.60', renewalDate: '2027-03-01', contractValue: '1200.00', inactivityThresholdDays: 45, updatedBy: OWNER.name });
    const cost = seatCost(app.seats, '6.60')!;
    await bitbucket.getByTestId('seat-cost').getByText(formatMoney(cost)).waitFor();
    await bitbucket.getByText(`Last changed just now by ${OWNER.name}.`).waitFor();
    expect(await bitbucket.getByLabel('Price per seat a month (USD)').inputValue()).toBe('6.60');
    await shot(page, '03-saved');
  });

  it('the API’s app list, the App page and the Overview show the seat price and its spend', async () => {
    const { page } = owner;
    const app = await bitbucketApp();
    expect(app).toMatchObject({ pricePerSeat: '6.60', planName: 'Standard', spendMonthToDate: seatCost(app.seats, '6.60') });
    await page.goto(`/orgs/${orgId}/apps/${bitbucketId}`);
    await page.getByText('$6.60 per seat a month').waitFor();
    await page.goto(`/orgs/${orgId}/overview`);
    await heading(page, 'Overview').waitFor();
    const spend = page.getByRole('region', { name: 'Spend by app' });
    await spend.getByText(formatMoney(app.spendMonthToDate)).first().waitFor();
    expect(await spend.getByText('no price per seat set').count()).toBe(0);
  });
});

describe('Settings → Plans & seat prices, as a member', () => {
  it('reads each app’s plan and price without a form', async () => {
    const { page } = member;
    await logIn(page, MEMBER);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Plans & seat prices' }).click();
    await heading(page, 'Plans & seat prices').waitFor();
    const app = await bitbucketApp();
    const bitbucket = planCard(page, app.name);
    await bitbucket.getByText('$6.60', { exact: true }).waitFor();
    await bitbucket.getByText('45 days without activity').waitFor();
    await bitbucket.getByText('Mar 1, 2027').waitFor();
    expect(await page.getByRole('button', { name: /^Save / }).count()).toBe(0);
    expect(await page.getByRole('textbox').count()).toBe(0);
    await shot(page, '04-member');
  });

  it('ran without a script error in either browser', () => {
    expect(owner.errors).toEqual([]);
    expect(member.errors).toEqual([]);
  });
});
