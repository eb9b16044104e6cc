/**
 * The Connections page in a real browser against a whole Tally with its provider simulators:
 * Connect DigitalOcean and Bitbucket through the simulators' login and consent, a declined consent,
 * a different account on Reconnect, Disconnect, a member inviting the Bitbucket admin who connects
 * from the link without a Tally account, and a refused personal token. Every state is screenshotted
 * at 1280 px and 390 px (test-artifacts/screenshots/connections-*.png) and checked with axe-core.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFailed } from 'vitest';
import { type TestPage, capture, openPage, screenshot } from '../support/browser.ts';
import { backOnConnections, consent, heading, logIn, providerRegion, startDashboard } from '../support/dashboard.ts';
import { type TestTally, setUpOrganization } from '../support/tally.ts';

const OWNER = { name: 'Olivia Owner', email: 'olivia@acme.test', password: 'correct horse battery' };
const MEMBER = { name: 'Mia Member', email: 'mia@acme.test', password: 'member password one' };
const BITBUCKET_ADMIN = 'bea@acme.test';

let tally: TestTally;
let browser: Browser;
let owner: TestPage;
let member: TestPage;
let invitee: TestPage | undefined;
let orgId: string;
let invitationPath: string;

const shot = (page: Page, name: string) => capture(page, `connections-${name}`);
const card = providerRegion;

beforeAll(async () => {
  [tally, browser] = await startDashboard({ simulators: true });
  const setUp = await setUpOrganization(tally, OWNER);
  orgId = setUp.orgId;
  const invited = await setUp.owner.post(`/api/orgs/${orgId}/invitations`, { email: MEMBER.email, role: 'member' });
  expect(invited.status, JSON.stringify(invited.body)).toBe(201);
  const token = new URL(invited.body.link as string).pathname.split('/').pop();
  const accepted = await tally.client().post(`/api/invitations/${token}/accept`, { name: MEMBER.name, password: MEMBER.password });
  expect(accepted.status, JSON.stringify(accepted.body)).toBeLessThan(300);
  [owner, member] = await Promise.all([openPage(browser, tally.baseUrl), openPage(browser, tally.baseUrl)]);
});

afterAll(async () => {
  await browser?.close();
});

// A failed step leaves a picture of where each browser was, for whoever reads the failure.
beforeEach(() => {
  onTestFailed(async () => {
    for (const [who, opened] of Object.entries({ owner, member, invitee })) {
      if (opened && !opened.page.isClosed()) await screenshot(opened.page, `connections-failed-${who}`).catch(() => undefined);
    }
  });
});

describe('connecting the organization’s apps', () => {
  it('lands an admin of an organization with nothing connected on Connections, first in the navigation, with a card per provider labelled Simulated', async () => {
    const { page } = owner;
    expect(await logIn(page, OWNER)).toBe('connections');
    await heading(page, 'Connections').waitFor();
    const nav = page.getByRole('navigation').getByRole('link');
    expect(await nav.first().textContent()).toContain('Connections');
    for (const name of ['DigitalOcean', 'Bitbucket Cloud']) {
      const region = card(page, name);
      await region.getByText('Simulated').waitFor();
      await region.getByText('Not connected').waitFor();
      await region.getByRole('button', { name: `Connect ${name}`, exact: true }).waitFor();
    }
    await shot(page, '01-not-connected');
  });

  it('connects DigitalOcean through the simulator’s login and consent, and the card then says Reconnect', async () => {
    const { page } = owner;
    await card(page, 'DigitalOcean').getByRole('button', { name: 'Connect DigitalOcean', exact: true }).click();
    await consent(page);
    await backOnConnections(page, orgId);
    const digitalocean = card(page, 'DigitalOcean');
    await digitalocean.getByText('DigitalOcean is connected').waitFor();
    await digitalocean.getByRole('button', { name: 'Reconnect DigitalOcean' }).waitFor();
    await digitalocean.getByText(`by ${OWNER.name}`).waitFor();
    await digitalocean.getByText('OAuth').waitFor();
    await shot(page, '02-digitalocean-connected');
  });

  it('connects Bitbucket the same way and shows the workspaces the grant sees', async () => {
    const { page } = owner;
    await card(page, 'Bitbucket').getByRole('button', { name: 'Connect Bitbucket Cloud', exact: true }).click();
    await consent(page);
    await backOnConnections(page, orgId);
    const bitbucket = card(page, 'Bitbucket');
    await bitbucket.getByText('Bitbucket Cloud is connected').waitFor();
    await bitbucket.getByRole('button', { name: 'Reconnect Bitbucket' }).waitFor();
    await bitbucket.getByText(/^Workspaces?$/).waitFor();
    await shot(page, '03-both-connected');
  });

  it('says so on the card when the consent is declined, and keeps the connection', async () => {
    const { page } = owner;
    await card(page, 'Bitbucket').getByRole('button', { name: 'Reconnect Bitbucket' }).click();
    await consent(page, { decision: 'Deny' });
    await backOnConnections(page, orgId);
    const bitbucket = card(page, 'Bitbucket');
    await bitbucket.getByText('Bitbucket Cloud was not connected').waitFor();
    await bitbucket.getByText(/declined/).waitFor();
    await bitbucket.getByRole('button', { name: 'Reconnect Bitbucket' }).waitFor();
    await shot(page, '04-denied');
    await bitbucket.getByRole('button', { name: 'Dismiss message about Bitbucket Cloud' }).click();
    expect(await bitbucket.getByText('Bitbucket Cloud was not connected').count()).toBe(0);
  });

  it('asks before replacing the account when Reconnect signs in as someone else', async () => {
    const { page } = owner;
    await card(page, 'Bitbucket').getByRole('button', { name: 'Reconnect Bitbucket' }).click();
    // Seeded users 1 and 2 sign in with a one-time code and single sign-on; the fourth just signs in.
    await consent(page, { user: 3 });
    await backOnConnections(page, orgId);
    const question = page.getByRole('dialog', { name: 'Replace the connected Bitbucket Cloud account?' });
    await question.waitFor();
    await shot(page, '05-replace-account');
    await question.getByRole('button', { name: 'Cancel' }).click();
    await card(page, 'Bitbucket').getByText('Nothing changed').waitFor();
  });

  it('disconnects Bitbucket after asking whether to keep the synced data', async () => {
    const { page } = owner;
    await card(page, 'Bitbucket').getByRole('button', { name: 'Disconnect Bitbucket' }).click();
    const confirm = page.getByRole('dialog', { name: 'Disconnect Bitbucket Cloud?' });
    await confirm.waitFor();
    expect(await confirm.getByRole('radio', { name: /Keep synced data/ }).isChecked()).toBe(true);
    await shot(page, '06-disconnect-confirm');
    await confirm.getByRole('button', { name: 'Disconnect' }).click();
    await page.getByText(/Bitbucket Cloud is disconnected/).waitFor();
    await card(page, 'Bitbucket').getByRole('button', { name: 'Connect Bitbucket Cloud', exact: true }).waitFor();
  });

  it('lets a member, who cannot connect, invite the Bitbucket admin and copy the one-time link', async () => {
    const { page } = member;
    // DigitalOcean is connected, so signing in opens Overview; Connections is one link away.
    expect(await logIn(page, MEMBER)).toBe('overview');
    await heading(page, 'Overview').waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Connections', exact: true }).click();
    await heading(page, 'Connections').waitFor();
    expect(await page.getByRole('button', { name: /^(Connect|Reconnect|Disconnect) / }).count()).toBe(0);
    await shot(page, '07-as-member');

    await card(page, 'Bitbucket').getByRole('button', { name: 'Invite your Bitbucket Cloud admin' }).click();
    const dialog = page.getByRole('dialog', { name: 'Invite your Bitbucket Cloud admin' });
    await dialog.getByLabel("Admin's email address").fill(BITBUCKET_ADMIN);
    await dialog.getByLabel('Note (optional)').fill('Could you connect our workspace? Thanks!');
    await shot(page, '08-invite-admin');
    await dialog.getByRole('button', { name: 'Create invitation' }).click();
    const link = page.getByLabel('Invitation link');
    await link.waitFor();
    invitationPath = new URL(await link.inputValue()).pathname;
    expect(invitationPath).toMatch(/^\/connect-invite\/[\w-]{20,}$/);
    await page.getByRole('button', { name: 'Copy link' }).waitFor();
    await shot(page, '09-invite-admin-link');
    await page.getByRole('button', { name: 'Done' }).click();
  });

  it('shows admins the pending invitation', async () => {
    const { page } = owner;
    await page.reload();
    await page.getByRole('button', { name: `Revoke the Bitbucket Cloud invitation for ${BITBUCKET_ADMIN}` }).waitFor();
    await shot(page, '10-pending-invitation');
  });

  it('lets the invited admin connect Bitbucket from the link without a Tally account', async () => {
    invitee = await openPage(browser, tally.baseUrl);
    const { page } = invitee;
    await page.goto(invitationPath);
    await heading(page, 'Connect Bitbucket Cloud to Acme Inc').waitFor();
    await page.getByText('Could you connect our workspace? Thanks!').waitFor();
    await shot(page, '11-invitation');
    await page.getByRole('button', { name: 'Connect Bitbucket Cloud' }).click();
    await consent(page);
    await page.waitForURL((url) => url.pathname === invitationPath && /^(re)?connected$/.test(url.searchParams.get('result') ?? ''));
    await heading(page, 'Connected, thank you').waitFor();
    await shot(page, '12-invitation-connected');
    expect(invitee.errors).toEqual([]);

    await page.goto(invitationPath);
    await heading(page, "This invitation can't be used").waitFor();
    await invitee.context.close();

    await owner.page.reload();
    const bitbucket = card(owner.page, 'Bitbucket');
    await bitbucket.getByRole('button', { name: 'Reconnect Bitbucket' }).waitFor();
    expect(await owner.page.getByRole('button', { name: /Revoke the Bitbucket Cloud invitation/ }).count()).toBe(0);
  });

  it("shows the API's message when a personal token is refused (a removed Bitbucket app password)", async () => {
    const { page } = owner;
    await card(page, 'Bitbucket').getByRole('button', { name: 'Use an API token for Bitbucket' }).click();
    const dialog = page.getByRole('dialog', { name: /Connect Bitbucket Cloud with/ });
    await dialog.getByLabel('Atlassian account email').fill('olivia@acme.test');
    await dialog.getByLabel('API token', { exact: true }).fill('ATBB3xample0000000000000000');
    await dialog.getByRole('button', { name: 'Check and connect' }).click();
    await dialog.getByText(/app passwords were removed/).waitFor();
    await shot(page, '13-token-refused');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  it('disconnects DigitalOcean and deletes its synced data when asked to', async () => {
    const { page } = owner;
    await card(page, 'DigitalOcean').getByRole('button', { name: 'Disconnect DigitalOcean' }).click();
    const confirm = page.getByRole('dialog', { name: 'Disconnect DigitalOcean?' });
    await confirm.getByRole('radio', { name: /Delete synced data/ }).check();
    await confirm.getByRole('button', { name: 'Disconnect' }).click();
    await page.getByText(/DigitalOcean is disconnected.*deleted/).waitFor();
    await card(page, 'DigitalOcean').getByText('Not connected').waitFor();
    await shot(page, '14-disconnected');
  });

  it('ran without a script error in either browser', () => {
    expect(owner.errors).toEqual([]);
    expect(member.errors).toEqual([]);
  });
});
