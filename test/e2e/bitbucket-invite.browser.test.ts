/**
 * The whole path an organization walks to Bitbucket numbers when the person who wants them cannot connect
 * Bitbucket: a member (not an admin) invites the workspace's admin from the Bitbucket card, the admin opens
 * the one-time link without a Tally account and passes the simulator's login and consent, the card then
 * says Reconnect, the first sync runs (the one Connect queued, or Sync now on the card), and Overview and the
 * Bitbucket page show the API's seats, active people and members. Screenshots at 1280 and 390 px
 * (test-artifacts/screenshots/bitbucket-invite-*.png) with axe checks.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFailed } from 'vitest';
import type { ApiClient } from '../support/api.ts';
import { type TestPage, capture, openPage, screenshot } from '../support/browser.ts';
import { consent, heading, logIn, providerRegion, startDashboard } from '../support/dashboard.ts';
import { type TestTally, setUpOrganization } from '../support/tally.ts';
import { presetRange } from '../../web/src/ui/dateRange.ts';
import { analytics, figuresAfter, syncStarted, tile, untilSynced } from './dashboard-support.ts';

const OWNER = { name: 'Olivia Owner', email: 'olivia@acme.test', password: 'correct horse battery' };
const MEMBER = { name: 'Mia Member', email: 'mia@acme.test', password: 'member password one' };
const BITBUCKET_ADMIN = 'bea@acme.test';

let tally: TestTally;
let browser: Browser;
let api: ApiClient;
let orgId: string;
const opened: Record<'member' | 'invitee' | 'owner', TestPage | undefined> = { member: undefined, invitee: undefined, owner: undefined };

const shot = (page: Page, name: string) => capture(page, `bitbucket-invite-${name}`);
const count = (n: number) => n.toLocaleString('en-US');
const percent = (ratio: number) => new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 0 }).format(ratio);

beforeAll(async () => {
  [tally, browser] = await startDashboard({ simulators: true });
  const setUp = await setUpOrganization(tally, OWNER);
  orgId = setUp.orgId;
  api = setUp.owner;
  const invited = await api.post(`/api/orgs/${orgId}/invitations`, { email: MEMBER.email, role: 'member' });
  expect(invited.status, JSON.stringify(invited.body)).toBe(201);
  const token = new URL(invited.body.link as string).pathname.split('/').pop();
  const accepted = await tally.client().post(`/api/invitations/${token}/accept`, { name: MEMBER.name, password: MEMBER.password });
  expect(accepted.status, JSON.stringify(accepted.body)).toBeLessThan(300);
}, 180_000);

afterAll(async () => {
  await browser?.close();
});

beforeEach(() => {
  onTestFailed(async () => {
    for (const [who, test] of Object.entries(opened)) {
      if (test && !test.page.isClosed()) await screenshot(test.page, `bitbucket-invite-failed-${who}`).catch(() => undefined);
    }
  });
});

describe('Bitbucket connected by its admin on a member’s invitation', () => {
  it('goes from the member’s invitation to Overview and the Bitbucket page showing the API’s seats, active people and members', { timeout: 600_000 }, async () => {
    // 1. A member, who cannot connect apps, signs in to an organization with nothing connected: Connections.
    const member = (opened.member = await openPage(browser, tally.baseUrl));
    expect(await logIn(member.page, MEMBER)).toBe('connections');
    const memberCard = providerRegion(member.page, 'Bitbucket');
    await memberCard.getByText('Not connected').waitFor();
    expect(await member.page.getByRole('button', { name: /^(Connect|Reconnect|Disconnect|Sync now) / }).count()).toBe(0);
    await memberCard.getByRole('button', { name: 'Invite your Bitbucket Cloud admin' }).click();
    const dialog = member.page.getByRole('dialog', { name: 'Invite your Bitbucket Cloud admin' });
    await dialog.getByLabel("Admin's email address").fill(BITBUCKET_ADMIN);
    await dialog.getByLabel('Note (optional)').fill('Could you connect our workspace so we can see who uses their seat?');
    await dialog.getByRole('button', { name: 'Create invitation' }).click();
    const link = member.page.getByLabel('Invitation link');
    await link.waitFor();
    const invitationPath = new URL(await link.inputValue()).pathname;
    expect(invitationPath).toMatch(/^\/connect-invite\/[\w-]{20,}$/);
    await shot(member.page, '01-member-invites-admin');
    await member.page.getByRole('button', { name: 'Done' }).click();

    // 2. The Bitbucket admin opens the one-time link (no Tally account), logs in at the simulator, consents.
    const invitee = (opened.invitee = await openPage(browser, tally.baseUrl));
    await invitee.page.goto(invitationPath);
    await heading(invitee.page, 'Connect Bitbucket Cloud to Acme Inc').waitFor();
    await invitee.page.getByText('Could you connect our workspace so we can see who uses their seat?').waitFor();
    await shot(invitee.page, '02-invitation');
    await invitee.page.getByRole('button', { name: 'Connect Bitbucket Cloud' }).click();
    await consent(invitee.page);
    await invitee.page.waitForURL((url) => url.pathname === invitationPath && url.searchParams.get('result') === 'connected');
    await heading(invitee.page, 'Connected, thank you').waitFor();
    await shot(invitee.page, '03-invitation-connected');
    expect(invitee.errors).toEqual([]);
    await invitee.context.close();

    // 3. Back at Tally the card says Reconnect (an admin's view); with an app connected, sign-in opens Overview.
    const owner = (opened.owner = await openPage(browser, tally.baseUrl));
    expect(await logIn(owner.page, OWNER)).toBe('overview');
    await owner.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Connections', exact: true }).click();
    const ownerCard = providerRegion(owner.page, 'Bitbucket');
    await ownerCard.getByRole('button', { name: 'Reconnect Bitbucket Cloud' }).waitFor();
    await ownerCard.getByText('OAuth').waitFor();
    expect(await owner.page.getByRole('button', { name: /Revoke the Bitbucket Cloud invitation/ }).count()).toBe(0);

    // 4. The first sync: the one Connect queued if it did, else Sync now on the card.
    const syncButton = ownerCard.getByRole('button', { name: /^(Sync now|Sync queued|Syncing…) Bitbucket Cloud$/ });
    await syncButton.waitFor();
    if (!(await syncStarted(api, orgId, 'bitbucket'))) {
      await ownerCard.getByRole('button', { name: 'Sync now Bitbucket Cloud' }).click();
      await owner.page.getByText(/Bitbucket Cloud: .*queued/i).waitFor();
    }
    const run = await untilSynced(api, orgId, 'bitbucket');
    const lastSync = ownerCard.locator('dt', { hasText: 'Last sync' }).locator('xpath=following-sibling::dd');
    await lastSync.getByText('Succeeded').waitFor({ timeout: 60_000 });
    await lastSync.getByText(`${count(run.recordsAdded + run.recordsUpdated + run.recordsDeleted)} records written`).waitFor();
    await shot(owner.page, '04-card-reconnect-synced');

    // 5. Overview, as the member who asked: the API's active people, seats and utilization.
    await figuresAfter(api, orgId, 'bitbucket', run);
    const overview = await analytics(api, orgId, 'overview?window=30', (o) => o.computedAt !== null && o.apps === 1 && o.seats > 0);
    const bitbucket = overview.appSummaries[0];
    expect(bitbucket.provider).toBe('bitbucket');
    await member.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Overview', exact: true }).click();
    await heading(member.page, 'Overview').waitFor();
    await expect.poll(() => tile(member.page, 'Active (30 days)').textContent(), { timeout: 30_000 }).toBe(count(overview.active));
    await member.page.getByText(`of ${count(overview.seats)} seats · ${count(overview.inactiveSeats)} inactive`).waitFor();
    expect(await tile(member.page, 'Seat utilization').textContent()).toBe(percent(overview.utilization));
    const activity = member.page.getByRole('region', { name: 'Seats and activity' }).getByRole('listitem').filter({ hasText: bitbucket.name });
    expect((await activity.getByText(/active of/).textContent())?.replace(/\s+/g, ' ')).toBe(`${count(bitbucket.active)} active of ${count(bitbucket.seats)} seats`);
    await shot(member.page, '05-overview');

    // 6. The Bitbucket page: seats, active and inactive seats, and the members table, as the API has them.
    const { from, to } = presetRange('90d');
    const detail = await analytics(api, orgId, `apps/${bitbucket.appId}?window=30&from=${from}&to=${to}`);
    const members = await analytics(api, orgId, `apps/${bitbucket.appId}/members?window=30&from=${from}&to=${to}&limit=500`);
    await activity.getByRole('link', { name: bitbucket.name }).click();
    await heading(member.page, detail.app.name).waitFor();
    await expect.poll(() => tile(member.page, 'Seats').textContent(), { timeout: 30_000 }).toBe(count(detail.app.seats));
    expect(await tile(member.page, 'Active (30 days)').textContent()).toBe(count(detail.app.active));
    expect(await tile(member.page, 'Inactive seats').textContent()).toBe(count(detail.app.inactiveSeats));
    expect(detail.app.seats).toBe(bitbucket.seats);
    expect(detail.app.active).toBe(bitbucket.active);
    await member.page.getByText(`${members.total} rows`).waitFor();
    const table = member.page.getByRole('table', { name: `${detail.app.name} members` });
    // The busiest seat holders, each with the API's active days.
    const busiest = [...members.items].filter((m: any) => m.seat && m.name).sort((a: any, b: any) => b.activeDays - a.activeDays).slice(0, 3);
    expect(busiest.length).toBeGreaterThan(0);
    for (const someone of busiest) {
      await member.page.getByRole('searchbox', { name: 'Search members' }).fill(someone.name);
      const row = table.getByRole('row').filter({ has: member.page.getByRole('cell', { name: someone.name }) }).first();
      await expect.poll(async () => (await row.getByRole('cell').nth(5).textContent())?.trim()).toBe(count(someone.activeDays));
    }
    await member.page.getByRole('button', { name: 'Clear search' }).click();
    await shot(member.page, '06-bitbucket-app');

    expect(member.errors).toEqual([]);
    expect(owner.errors).toEqual([]);
  });
});
