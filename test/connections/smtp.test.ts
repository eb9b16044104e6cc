/**
 * Tally's mail, caught by a real SMTP server (smtp-server) on loopback with a password: the
 * connect-invitation email, the notices to org admins when a connection needs Reconnect and when it
 * recovers, and the Notifications settings (what is configured, test email and webhook). No provider
 * token, client secret, session or SMTP password may appear in any mail, answer or log line.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { refreshConnection } from '../../src/connections/refresh.ts';
import { accessContext, refreshContext } from '../../src/oauth/contexts.ts';
import { rememberSecret, seenSecrets } from '../support/api.ts';
import { connect } from '../support/consent.ts';
import { type CapturedMail, startSmtpCapture } from '../support/smtp.ts';
import { setUpOrganization, startTestTally } from '../support/tally.ts';
import { startWebhookCapture } from '../support/webhook.ts';

const SMTP_USER = 'tally-mailer';
const SMTP_PASSWORD = 'smtp-Pa55word-never-shown';
rememberSecret(SMTP_PASSWORD);
const smtp = await startSmtpCapture({ user: SMTP_USER, password: SMTP_PASSWORD });
const mails = smtp.mails;
const smtpPort = smtp.port;

const hook = await startWebhookCapture();
const hookCalls = hook.calls;

const t = await startTestTally({
  simulators: true,
  env: {
    TALLY_SMTP_URL: smtp.url,
    TALLY_SMTP_FROM: 'Tally <tally@acme.test>',
    TALLY_WEBHOOK_URL: hook.url,
  },
});
afterAll(async () => {
  await smtp.close();
  await hook.close();
});

const ctx = t.tally.ctx;
const { owner, orgId } = await setUpOrganization(t, { name: 'Olivia Owner', email: 'olivia@acme.test', password: 'correct horse battery' });
async function join(email: string, name: string, role: 'admin' | 'member') {
  const inv = await owner.post(`/api/orgs/${orgId}/invitations`, { email, role });
  const client = t.client();
  await client.post(`/api/invitations/${inv.body.link.split('/invite/')[1]}/accept`, { name, password: `${name} password 123` });
  return client;
}
const admin = await join('adam@acme.test', 'Adam Admin', 'admin');
const member = await join('mia@acme.test', 'Mia Member', 'member');
for (const sim of Object.values(ctx.simulated)) rememberSecret(sim.clientSecret);
mails.length = 0; // the member invitations above were mailed too; the tests look at what follows

const simBase = Object.values(ctx.simulated)[0]!.endpoints.apiBaseUrl.replace(/\/(digitalocean|bitbucket).*$/, '');
const sim = async (path: string, body?: unknown) =>
  (await fetch(`${simBase}/_sim${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json();

const mailsSince = (from: number, count: number) => smtp.since(from, count);

function expectNoSecrets(mail: CapturedMail, allowed: string[] = []) {
  // Decoded too: quoted-printable breaks long lines, so a token can be split in the raw message.
  const leaked = [...seenSecrets].filter((s) => !allowed.includes(s) && (mail.raw.includes(s) || mail.text.includes(s) || mail.subject.includes(s)));
  expect(leaked, `secrets in the mail "${mail.subject}"`).toEqual([]);
}

describe('the connect-invitation email', () => {
  it('tells the app admin who asks, for which organization and app, with the note and the one-time link', async () => {
    const before = mails.length;
    const res = await member.post(`/api/orgs/${orgId}/connect-invitations`, { provider: 'digitalocean', email: 'do-admin@partner.test', note: 'Our droplets bill is growing — could you connect it?' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.emailed).toBe(true);
    const [mail, ...others] = await mailsSince(before, 1);
    expect(others).toEqual([]);
    expect(mail!.to).toEqual(['do-admin@partner.test']);
    expect(mail!.from).toBe('tally@acme.test');
    expect(mail!.subject).toBe('Mia Member asks you to connect DigitalOcean to Tally');
    expect(mail!.text).toContain('Mia Member of Acme Inc asks you, as the DigitalOcean admin, to connect DigitalOcean to Tally');
    expect(mail!.text).toContain('"Our droplets bill is growing — could you connect it?"');
    expect(mail!.text).toContain(`Connect: ${res.body.link}`);
    expect(res.body.link).toMatch(new RegExp(`^${t.baseUrl}/connect-invite/[\\w-]{20,}$`));
    expect(mail!.text).toMatch(/works once and expires in 7 days/);
    // The invitation's own token is the link; nothing else secret goes along.
    expectNoSecrets(mail!, [res.body.link.split('/').pop()]);
  });
});

describe('notices to org admins', () => {
  let connectionId: string;
  let tokens: string[];

  it('a grant revoked at Bitbucket emails every owner and admin (not members) why, with the link to Reconnect', async () => {
    await connect(owner, orgId, 'bitbucket');
    const row = await ctx.db.selectFrom('connections').selectAll().where('organization_id', '=', orgId).where('provider', '=', 'bitbucket').executeTakeFirstOrThrow();
    connectionId = row.id;
    tokens = [ctx.vault.decrypt(row.access_token_enc!, accessContext(row.id)), ctx.vault.decrypt(row.refresh_token_enc!, refreshContext(row.id))];
    tokens.forEach(rememberSecret);

    const grants = (await sim('/bitbucket/grants')) as Array<{ id: string; kind: string; revokedAt: string | null }>;
    for (const g of grants.filter((g) => g.kind === 'oauth' && !g.revokedAt)) await sim(`/bitbucket/grants/${g.id}/revoke`, {});
    await ctx.db.updateTable('connections').set({ access_expires_at: new Date(Date.now() - 1000) }).where('id', '=', connectionId).execute();
    const before = mails.length;
    expect(await refreshConnection(ctx, connectionId, { reason: 'due' })).toBe('needs_reconnect');

    const sent = await mailsSince(before, 2);
    expect(sent.flatMap((m) => m.to).sort()).toEqual(['adam@acme.test', 'olivia@acme.test']);
    for (const mail of sent) {
      expect(mail.subject).toBe('Bitbucket Cloud needs to be reconnected');
      expect(mail.text).toMatch(/Bitbucket Cloud refused to renew access \(.*invalid_grant.*\): the grant was revoked or expired\. Reconnect to resume syncing\./s);
      expect(mail.text).toContain(`${t.baseUrl}/orgs/${orgId}/connections`);
      for (const token of tokens) expect(`${mail.raw}\n${mail.text}`).not.toContain(token);
      expectNoSecrets(mail);
    }
    expect(hookCalls).toContainEqual(expect.objectContaining({ event: 'connection.needs_reconnect', provider: 'bitbucket', connectionId }));
  });

  it('Reconnect emails the same admins that it is connected again', async () => {
    const before = mails.length;
    const back = await connect(owner, orgId, 'bitbucket');
    expect(back.searchParams.get('result')).toBe('reconnected');
    const sent = await mailsSince(before, 2);
    expect(sent.flatMap((m) => m.to).sort()).toEqual(['adam@acme.test', 'olivia@acme.test']);
    for (const mail of sent) {
      expect(mail.subject).toBe('Bitbucket Cloud is connected again');
      expect(mail.text).toMatch(/Olivia Owner reconnected .+\. Syncing resumes\./);
      expectNoSecrets(mail);
    }
  });
});

describe('Notifications settings', () => {
  it('show where mail goes and whether a webhook is set, never the SMTP password or the webhook path', async () => {
    const res = await owner.get('/api/admin/notifications');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      smtp: { configured: true, server: `127.0.0.1:${smtpPort}`, secure: false, username: SMTP_USER, passwordSet: true, from: 'Tally <tally@acme.test>' },
      webhook: { configured: true, target: hook.origin },
    });
    const text = JSON.stringify(res.body);
    expect(text).not.toContain(SMTP_PASSWORD);
    expect(text).not.toContain('T0SECRET');
    expect((await admin.get('/api/admin/notifications')).status).toBe(403);
  });

  it('a test email reaches the admin who asked for it', async () => {
    const before = mails.length;
    const res = await owner.post('/api/admin/notifications/test-email');
    expect(res.body).toMatchObject({ delivered: true, message: expect.stringContaining('olivia@acme.test') });
    const [mail] = await mailsSince(before, 1);
    expect(mail).toMatchObject({ to: ['olivia@acme.test'], subject: 'Tally test email' });
    expectNoSecrets(mail!);
  });

  it('a refused SMTP login comes back as the server’s answer, without the password', async () => {
    smtp.refuseLogins = true;
    const res = await owner.post('/api/admin/notifications/test-email');
    smtp.refuseLogins = false;
    expect(res.body.delivered).toBe(false);
    expect(res.body.message).toMatch(/Invalid username or password/);
    expect(JSON.stringify(res.body)).not.toContain(SMTP_PASSWORD);
  });

  it('a test webhook event arrives, and a failing webhook says how it answered', async () => {
    const before = hookCalls.length;
    expect((await owner.post('/api/admin/notifications/test-webhook')).body).toEqual({ delivered: true, message: 'The webhook accepted the test event.' });
    expect(hookCalls.slice(before)).toEqual([expect.objectContaining({ event: 'test', link: `${t.baseUrl}/` })]);
    hook.status = 500;
    const failed = await owner.post('/api/admin/notifications/test-webhook');
    hook.status = 204;
    expect(failed.body).toEqual({ delivered: false, message: 'The webhook answered HTTP 500.' });
    expect(JSON.stringify(failed.body)).not.toContain('T0SECRET');
  });
});
