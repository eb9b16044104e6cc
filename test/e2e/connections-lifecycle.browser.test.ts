/**
 * What happens to connections after the first Connect, in a real browser against Tally and its provider
 * simulators: a grant revoked at DigitalOcean (Tally's refresh job finds out, the card says why and stands
 * out, Reconnect through consent heals the same connection), Sync now succeeding and failing, a different
 * Bitbucket account confirmed with Replace account, a revoked connect-invitation whose link then says so,
 * connecting again after a Disconnect reading "connected", and the provider apps settings while the
 * simulators run. Screenshots at 1280 and 390 px (test-artifacts/screenshots/connections-lifecycle-*.png)
 * with axe checks.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFailed } from 'vitest';
import { refreshTokens } from '../../src/jobs/definitions.ts';
import type { ApiClient } from '../support/api.ts';
import { type TestPage, capture, openPage, screenshot } from '../support/browser.ts';
import { backOnConnections, consent, heading, logIn, providerRegion as card, startDashboard } from '../support/dashboard.ts';
import { type TestTally, setUpOrganization } from '../support/tally.ts';

const OWNER = { name: 'Olivia Owner', email: 'olivia@acme.test', password: 'correct horse battery' };
const DO_ADMIN = 'dora@partner.test';

let tally: TestTally;
let api: ApiClient;
let browser: Browser;
let owner: TestPage;
let orgId: string;

const shot = (page: Page, name: string) => capture(page, `connections-lifecycle-${name}`);

type Card = { provider: string; connection: { id: string; status: string; statusReason: string | null; account: { name: string } | null } | null };
const cardData = async (provider: string): Promise<Card> =>
  ((await api.get(`/api/orgs/${orgId}/connections`)).body.items as Card[]).find((c) => c.provider === provider)!;

/** The simulators' control API (/_sim), next to the provider APIs Tally was given. */
async function sim(pathname: string, body?: unknown, method = body === undefined ? 'GET' : 'POST') {
  const base = Object.values(tally.tally.ctx.simulated)[0]!.endpoints.apiBaseUrl.replace(/\/(digitalocean|bitbucket).*$/, '');
  const init = body === undefined ? { method } : { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
  const text = await (await fetch(`${base}/_sim${pathname}`, init)).text();
  return text ? JSON.parse(text) : undefined;
}

async function connectFromCard(page: Page, name: string, options: { user?: number } = {}) {
  await card(page, name).getByRole('button', { name: new RegExp(`^(Connect|Reconnect) ${name}`) }).click();
  await consent(page, options);
  await backOnConnections(page, orgId);
}

beforeAll(async () => {
  [tally, browser] = await startDashboard({ simulators: true });
  const setUp = await setUpOrganization(tally, OWNER);
  orgId = setUp.orgId;
  api = setUp.owner;
  owner = await openPage(browser, tally.baseUrl);
  await logIn(owner.page, OWNER);
  await connectFromCard(owner.page, 'DigitalOcean');
  await connectFromCard(owner.page, 'Bitbucket Cloud');
});

afterAll(async () => {
  await browser?.close();
});

beforeEach(() => {
  onTestFailed(async () => {
    if (owner && !owner.page.isClosed()) await screenshot(owner.page, 'connections-lifecycle-failed').catch(() => undefined);
  });
});

describe('Reconnect needed after a revocation', () => {
  let connectionId: string;

  it('marks the card when DigitalOcean refuses the next refresh: it stands out and says why', async () => {
    const { page } = owner;
    connectionId = (await cardData('digitalocean')).connection!.id;
    const grants = (await sim('/digitalocean/grants')) as Array<{ id: string; kind: string; revokedAt: string | null }>;
    for (const g of grants.filter((g) => g.kind === 'oauth' && !g.revokedAt)) await sim(`/digitalocean/grants/${g.id}/revoke`, {});
    // The access token is due for renewal, so Tally's scheduled refresh job tries it now.
    await tally.tally.ctx.db.updateTable('connections').set({ access_expires_at: new Date(Date.now() - 1000) }).where('id', '=', connectionId).execute();
    await refreshTokens.run(tally.tally.ctx, {}, { id: 'e2e-refresh', signal: new AbortController().signal });
    expect((await cardData('digitalocean')).connection).toMatchObject({ id: connectionId, status: 'needs_reconnect' });

    await page.reload();
    const digitalocean = card(page, 'DigitalOcean');
    await digitalocean.getByText('Reconnect needed').waitFor();
    await digitalocean.getByText(/DigitalOcean refused to renew access \(.*\): the grant was revoked or expired/).waitFor();
    await digitalocean.getByText('Syncing is paused').waitFor();
    const border = (name: string) => card(page, name).evaluate((el) => getComputedStyle(el).borderColor);
    expect(await border('DigitalOcean')).not.toBe(await border('Bitbucket Cloud'));
    await shot(page, '01-needs-reconnect');
  });

  it('Reconnect goes through consent and the same connection is healthy again', async () => {
    const { page } = owner;
    await connectFromCard(page, 'DigitalOcean');
    const digitalocean = card(page, 'DigitalOcean');
    await digitalocean.getByText('DigitalOcean is reconnected').waitFor();
    await digitalocean.locator('header').getByText('Connected', { exact: true }).waitFor();
    expect(await digitalocean.getByText('Reconnect needed').count()).toBe(0);
    expect((await cardData('digitalocean')).connection).toMatchObject({ id: connectionId, status: 'active', statusReason: null });
    await shot(page, '02-reconnected');
  });
});

describe('Sync now from the card', () => {
  it('runs a sync and the card shows when it ran, that it succeeded and the records it wrote', async () => {
    const { page } = owner;
    const digitalocean = card(page, 'DigitalOcean');
    await digitalocean.getByRole('button', { name: 'Sync now DigitalOcean' }).click();
    await page.getByText(/DigitalOcean: The sync is queued/).waitFor();
    await digitalocean.getByText('Succeeded', { exact: true }).waitFor({ timeout: 90_000 });
    const connectionId = (await cardData('digitalocean')).connection!.id;
    const [run] = (await api.get(`/api/orgs/${orgId}/sync/runs?connectionId=${connectionId}&limit=1`)).body.items;
    expect(run).toMatchObject({ status: 'succeeded', trigger: 'manual' });
    const written = run.recordsAdded + run.recordsUpdated + run.recordsDeleted;
    expect(written).toBeGreaterThan(0);
    await digitalocean.getByText(`${written.toLocaleString('en-US')} records written`).waitFor();
    await digitalocean.getByRole('button', { name: 'Sync now DigitalOcean' }).waitFor();
    await shot(page, '03-synced');
  }, 120_000);

  it('shows a failed sync with the error when DigitalOcean answers a stream with a bot-protection page', async () => {
    const { page } = owner;
    await sim('/faults', { kind: 'html_challenge', provider: 'digitalocean', route: '/v2/droplets' });
    try {
      const digitalocean = card(page, 'DigitalOcean');
      await digitalocean.getByRole('button', { name: 'Sync now DigitalOcean' }).click();
      // The engine retries the HTML answers with backoff before it gives the stream up: allow for it.
      await digitalocean.getByText('Failed', { exact: true }).waitFor({ timeout: 150_000 });
      await digitalocean.getByText(/returned an HTML page instead of JSON for \S*\/v2\/droplets/).waitFor();
      await shot(page, '04-sync-failed');
    } finally {
      await sim('/faults', undefined, 'DELETE');
    }
  }, 180_000);
});

describe('a different account on Reconnect', () => {
  it('replaces the Bitbucket account once the admin confirms, keeping the connection', async () => {
    const { page } = owner;
    const before = (await cardData('bitbucket')).connection!;
    // Seeded users 1 and 2 sign in with a one-time code and single sign-on; the fourth just signs in.
    await connectFromCard(page, 'Bitbucket Cloud', { user: 3 });
    const question = page.getByRole('dialog', { name: 'Replace the connected Bitbucket Cloud account?' });
    await question.getByText(before.account!.name).waitFor();
    await question.getByRole('button', { name: 'Replace account' }).click();
    // Tally asks Bitbucket once more, now saying the replacement is wanted.
    await consent(page, { user: 3 });
    await backOnConnections(page, orgId);
    const bitbucket = card(page, 'Bitbucket Cloud');
    await bitbucket.getByText('Bitbucket Cloud is reconnected').waitFor();
    const after = (await cardData('bitbucket')).connection!;
    expect(after.id).toBe(before.id);
    expect(after.account!.name).not.toBe(before.account!.name);
    await bitbucket.getByText(after.account!.name, { exact: true }).waitFor();
    await shot(page, '05-account-replaced');
  });
});

describe('a revoked connect-invitation', () => {
  let link: string;

  it('is revoked from the pending list after asking', async () => {
    const { page } = owner;
    await card(page, 'DigitalOcean').getByRole('button', { name: 'Invite admin of DigitalOcean' }).click();
    const dialog = page.getByRole('dialog', { name: 'Invite your DigitalOcean admin' });
    await dialog.getByLabel("Admin's email address").fill(DO_ADMIN);
    await dialog.getByRole('button', { name: 'Create invitation' }).click();
    link = await page.getByLabel('Invitation link').inputValue();
    await page.getByRole('button', { name: 'Done' }).click();

    await page.getByRole('button', { name: `Revoke the DigitalOcean invitation for ${DO_ADMIN}` }).click();
    const confirm = page.getByRole('dialog', { name: 'Revoke this invitation?' });
    await confirm.getByText(`The link sent to ${DO_ADMIN} stops working at once.`).waitFor();
    await shot(page, '06-revoke-invitation');
    await confirm.getByRole('button', { name: 'Revoke invitation' }).click();
    await page.getByText(`The invitation for ${DO_ADMIN} was revoked.`).waitFor();
    await page.getByRole('button', { name: /Revoke the DigitalOcean invitation/ }).waitFor({ state: 'detached' });
  });

  it('whoever opens the link is told it was revoked and what to do', async () => {
    const invitee = await openPage(browser, tally.baseUrl);
    const { page } = invitee;
    await page.goto(new URL(link).pathname);
    await heading(page, "This invitation can't be used").waitFor();
    await page.getByText('This invitation was revoked.').waitFor();
    await page.getByText('Ask the person who invited you for a new link.').waitFor();
    expect(await page.getByRole('button', { name: /^Connect/ }).count()).toBe(0);
    await shot(page, '07-revoked-link');
    expect(invitee.errors).toEqual([]);
    await invitee.context.close();
  });
});

describe('connecting again after a Disconnect', () => {
  it('says "connected", not "reconnected"', async () => {
    const { page } = owner;
    await card(page, 'Bitbucket Cloud').getByRole('button', { name: 'Disconnect Bitbucket' }).click();
    await page.getByRole('dialog', { name: 'Disconnect Bitbucket Cloud?' }).getByRole('button', { name: 'Disconnect' }).click();
    await card(page, 'Bitbucket Cloud').getByRole('button', { name: 'Connect Bitbucket Cloud', exact: true }).waitFor();
    await connectFromCard(page, 'Bitbucket Cloud');
    const bitbucket = card(page, 'Bitbucket Cloud');
    await bitbucket.getByText('Bitbucket Cloud is connected').waitFor();
    expect(await bitbucket.getByText(/is reconnected/).count()).toBe(0);
  });

  it('Settings → Provider apps says the simulators stand in, with their URLs next to the real ones', async () => {
    const { page } = owner;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Provider apps' }).click();
    await heading(page, 'Provider apps').waitFor();
    await page.getByText('The built-in simulators stand in for the real providers').waitFor();
    const digitalocean = card(page, 'DigitalOcean');
    await digitalocean.getByText('Simulated', { exact: true }).waitFor();
    await digitalocean.getByText("Tally's built-in simulator, registered automatically").waitFor();
    await digitalocean.getByText('https://cloud.digitalocean.com/v1/oauth/authorize').waitFor();
    expect(await digitalocean.getByLabel('Redirect URI (callback URL) for DigitalOcean').inputValue()).toBe(`${tally.baseUrl}/api/oauth/digitalocean/callback`);
    await shot(page, '08-provider-apps-simulated');
  });

  it('ran without a script error', () => {
    expect(owner.errors).toEqual([]);
  });
});
