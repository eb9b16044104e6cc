/**
 * Settings in a real browser, on a Tally with real provider apps (no simulators): DigitalOcean's app and
 * API URL come from the environment (read-only), Bitbucket's is saved on the page; SMTP goes to a real
 * SMTP listener and the webhook to a local receiver. Tally's administrator sees Provider apps and
 * Notifications; an organization admin who is not one does not. Screenshots at 1280 and 390 px
 * (test-artifacts/screenshots/settings-*.png) with axe checks.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFailed } from 'vitest';
import { rememberSecret } from '../support/api.ts';
import { type TestPage, capture, openBrowser, openPage, screenshot } from '../support/browser.ts';
import { heading, logIn, providerRegion } from '../support/dashboard.ts';
import { type SmtpCapture, startSmtpCapture } from '../support/smtp.ts';
import { type TestTally, setUpOrganization, startTestTally } from '../support/tally.ts';
import { type WebhookCapture, startWebhookCapture } from '../support/webhook.ts';

const OWNER = { name: 'Olivia Owner', email: 'olivia@acme.test', password: 'correct horse battery' };
const ADMIN = { name: 'Adam Admin', email: 'adam@acme.test', password: 'adam password 123' };
const DO_SECRET = 'env-digitalocean-secret-value';
const BB_SECRET = 'bitbucket-consumer-secret-1';
const SMTP_PASSWORD = 'smtp-password-not-shown';

let tally: TestTally;
let smtp: SmtpCapture;
let hook: WebhookCapture;
let browser: Browser;
let owner: TestPage;
let admin: TestPage;
let orgId: string;

const shot = (page: Page, name: string) => capture(page, `settings-${name}`);
const appCard = providerRegion;

beforeAll(async () => {
  if (!existsSync(path.resolve('web/dist/index.html'))) {
    throw new Error('The dashboard is not built: run `npm run build:web` first (npm test does it).');
  }
  [DO_SECRET, BB_SECRET, SMTP_PASSWORD].forEach(rememberSecret);
  [smtp, hook] = await Promise.all([startSmtpCapture({ user: 'tally', password: SMTP_PASSWORD }), startWebhookCapture()]);
  [tally, browser] = await Promise.all([
    startTestTally({
      env: {
        TALLY_DIGITALOCEAN_CLIENT_ID: 'do-client-from-env',
        TALLY_DIGITALOCEAN_CLIENT_SECRET: DO_SECRET,
        TALLY_DIGITALOCEAN_API_URL: 'https://do-proxy.acme.test/api',
        TALLY_SMTP_URL: smtp.url,
        TALLY_SMTP_FROM: 'Tally <tally@acme.test>',
        TALLY_WEBHOOK_URL: hook.url,
      },
    }),
    openBrowser(),
  ]);
  const setUp = await setUpOrganization(tally, OWNER);
  orgId = setUp.orgId;
  const invited = await setUp.owner.post(`/api/orgs/${orgId}/invitations`, { email: ADMIN.email, role: 'admin' });
  await tally.client().post(`/api/invitations/${invited.body.link.split('/invite/')[1]}/accept`, { name: ADMIN.name, password: ADMIN.password });
  [owner, admin] = await Promise.all([openPage(browser, tally.baseUrl), openPage(browser, tally.baseUrl)]);
  await owner.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: tally.baseUrl });
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([smtp?.close(), hook?.close()]);
});

beforeEach(() => {
  onTestFailed(async () => {
    for (const [who, opened] of Object.entries({ owner, admin })) {
      if (opened && !opened.page.isClosed()) await screenshot(opened.page, `settings-failed-${who}`).catch(() => undefined);
    }
  });
});

describe('Settings → Provider apps', () => {
  it('shows Tally’s administrator each provider’s app, its source, the redirect URI and the real URLs', async () => {
    const { page } = owner;
    await logIn(page, OWNER);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Provider apps' }).click();
    await heading(page, 'Provider apps').waitFor();

    const digitalocean = appCard(page, 'DigitalOcean');
    await digitalocean.getByText('From the environment').waitFor();
    await digitalocean.getByText('do-client-from-env').waitFor();
    await digitalocean.getByText('TALLY_DIGITALOCEAN_CLIENT_SECRET').waitFor();
    expect(await digitalocean.getByRole('button', { name: /Save DigitalOcean app/ }).count()).toBe(0);
    await digitalocean.getByText('https://do-proxy.acme.test/api').waitFor();
    await digitalocean.getByText('TALLY_DIGITALOCEAN_API_URL', { exact: true }).waitFor();
    await digitalocean.getByText('https://cloud.digitalocean.com/v1/oauth/authorize').waitFor();

    const bitbucket = appCard(page, 'Bitbucket');
    await bitbucket.getByText('Not configured').waitFor();
    await bitbucket.getByText('https://bitbucket.org/site/oauth2/authorize').waitFor();
    await bitbucket.getByText(/has no endpoint to revoke/).waitFor();
    expect(await bitbucket.getByLabel('Redirect URI (callback URL) for Bitbucket Cloud').inputValue()).toBe(`${tally.baseUrl}/api/oauth/bitbucket/callback`);
    await bitbucket.getByRole('button', { name: 'Copy redirect URI' }).click();
    await bitbucket.getByRole('button', { name: 'Copied' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`${tally.baseUrl}/api/oauth/bitbucket/callback`);
    await shot(page, '01-provider-apps');
    expect(await page.content()).not.toContain(DO_SECRET);
  });

  it('saves the Bitbucket app; the secret shows only as set, and a new client id keeps it', async () => {
    const { page } = owner;
    const bitbucket = appCard(page, 'Bitbucket');
    await bitbucket.getByRole('button', { name: 'Save Bitbucket Cloud app' }).click();
    await bitbucket.getByText('Enter the client id (key).').waitFor();
    await bitbucket.getByText('Enter the client secret.').waitFor();
    await bitbucket.getByLabel('Client ID', { exact: true }).fill('bb-consumer-key');
    await bitbucket.getByLabel('Client secret', { exact: true }).fill(BB_SECRET);
    await bitbucket.getByRole('button', { name: 'Save Bitbucket Cloud app' }).click();
    await page.getByText('The Bitbucket Cloud app is saved. Connect Bitbucket Cloud uses it from now on.').waitFor();
    await bitbucket.getByText('Saved on this page').waitFor();
    expect(await bitbucket.getByLabel('Client secret', { exact: true }).inputValue()).toBe('');
    await bitbucket.getByText('Leave it empty to keep the saved secret.').waitFor();
    await page.reload();
    await appCard(page, 'Bitbucket').getByText('Configured').waitFor();
    expect(await page.content()).not.toContain(BB_SECRET);
    await shot(page, '02-provider-app-saved');

    await appCard(page, 'Bitbucket').getByLabel('Client ID', { exact: true }).fill('bb-consumer-key-2');
    await appCard(page, 'Bitbucket').getByRole('button', { name: 'Save Bitbucket Cloud app' }).click();
    await appCard(page, 'Bitbucket').locator('code', { hasText: 'bb-consumer-key-2' }).waitFor();
    // The kept secret is the one Connect sends: the token request would fail without it, so check the vault.
    const row = await tally.tally.ctx.db.selectFrom('provider_apps').selectAll().where('provider', '=', 'bitbucket').executeTakeFirstOrThrow();
    const { clientSecretContext } = await import('../../src/oauth/contexts.ts');
    expect(row.client_id).toBe('bb-consumer-key-2');
    expect(tally.tally.ctx.vault.decrypt(row.client_secret_enc, clientSecretContext('bitbucket'))).toBe(BB_SECRET);
  });

  it('removes the saved app after asking', async () => {
    const { page } = owner;
    await appCard(page, 'Bitbucket').getByRole('button', { name: 'Remove the Bitbucket Cloud app' }).click();
    const confirm = page.getByRole('dialog', { name: 'Remove the Bitbucket Cloud app?' });
    await confirm.getByRole('button', { name: 'Remove app' }).click();
    await appCard(page, 'Bitbucket').getByText('Not configured').waitFor();
  });
});

describe('Settings → Notifications', () => {
  it('shows SMTP and the webhook as configured, without the password or the webhook’s path', async () => {
    const { page } = owner;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Notifications' }).click();
    await heading(page, 'Notifications').waitFor();
    const email = page.getByRole('region', { name: /Email \(SMTP\)/ });
    await email.getByText(`127.0.0.1:${smtp.port}`).waitFor();
    await email.getByText('Tally <tally@acme.test>').waitFor();
    const webhook = page.getByRole('region', { name: /Webhook/ });
    await webhook.getByText(`${hook.origin}/…`).waitFor();
    const html = await page.content();
    expect(html).not.toContain(SMTP_PASSWORD);
    expect(html).not.toContain('T0SECRET');
    await shot(page, '03-notifications');
  });

  it('sends a test email to the administrator and a test event to the webhook', async () => {
    const { page } = owner;
    const before = smtp.mails.length;
    await page.getByRole('button', { name: 'Send a test email' }).click();
    await page.getByRole('region', { name: /Email \(SMTP\)/ }).getByText(`Sent to ${OWNER.email}.`, { exact: false }).waitFor();
    const [mail] = await smtp.since(before, 1);
    expect(mail).toMatchObject({ to: [OWNER.email], subject: 'Tally test email' });

    await page.getByRole('button', { name: 'Send a test event' }).click();
    await page.getByText('The webhook accepted the test event.').waitFor();
    expect(hook.calls).toEqual([expect.objectContaining({ event: 'test' })]);

    hook.status = 503;
    await page.getByRole('button', { name: 'Send a test event' }).click();
    await page.getByText('The webhook answered HTTP 503.').waitFor();
    await page.getByText('Not delivered').waitFor();
    await shot(page, '04-notifications-tested');
  });
});

describe('an organization admin who is not Tally’s administrator', () => {
  it('sees Members under Settings but not the instance settings, and is told why at their address', async () => {
    const { page } = admin;
    await logIn(page, ADMIN);
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Members' }).waitFor();
    expect(await nav.getByRole('link', { name: 'Provider apps' }).count()).toBe(0);
    expect(await nav.getByRole('link', { name: 'Notifications' }).count()).toBe(0);
    await page.goto(`/orgs/${orgId}/settings/provider-apps`);
    await page.getByRole('heading', { name: "Only Tally's administrators see provider apps" }).waitFor();
    await shot(page, '05-not-instance-admin');
  });

  it('ran without a script error in either browser', () => {
    expect(owner.errors).toEqual([]);
    expect(admin.errors).toEqual([]);
  });
});
