import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { refreshConnection } from '../../src/connections/refresh.ts';
import { accessContext, refreshContext, verifierContext } from '../../src/oauth/contexts.ts';
import { rememberSecret } from '../support/api.ts';
import { callbackAtTally, connect, consentAtSimulator } from '../support/consent.ts';
import { setUpOrganization, startTestTally } from '../support/tally.ts';

const t = await startTestTally({ simulators: true });
const { owner, orgId } = await setUpOrganization(t);
const card = async (provider: string) => ((await owner.get(`/api/orgs/${orgId}/connections`)).body.items as any[]).find((c) => c.provider === provider);

describe('Connect', () => {
  it('shows one card per provider, labelled simulated, with what Tally reads', async () => {
    const items = (await owner.get(`/api/orgs/${orgId}/connections`)).body.items;
    expect(items.map((c: any) => c.provider)).toEqual(['digitalocean', 'bitbucket']);
    for (const c of items) {
      expect(c).toMatchObject({ simulated: true, oauthConfigured: true, connection: null });
      expect(c.reads.length).toBeGreaterThan(2);
    }
  });

  it('DigitalOcean: consent at the provider, back to the page, connected and checked with a real call', async () => {
    const back = await connect(owner, orgId, 'digitalocean');
    expect(back.pathname).toBe(`/orgs/${orgId}/connections`);
    expect(back.searchParams.get('result')).toBe('connected');
    const c = (await card('digitalocean')).connection;
    expect(c).toMatchObject({ status: 'active', method: 'oauth', statusReason: null, connectedBy: { name: 'Olivia Owner' } });
    expect(c.account.email).toMatch(/@/);
    expect(c.account.uuid).toBeTruthy();
    expect(c.scopes).toContain('read');
    // 30 days, as DigitalOcean's tokens live
    expect(new Date(c.accessTokenExpiresAt).getTime() - Date.now()).toBeGreaterThan(29 * 24 * 3600 * 1000);
  });

  it('Bitbucket: connected with the workspaces the grant can see', async () => {
    const back = await connect(owner, orgId, 'bitbucket');
    expect(back.searchParams.get('result')).toBe('connected');
    const c = (await card('bitbucket')).connection;
    expect(c.status).toBe('active');
    expect(c.account.workspaces.length).toBeGreaterThan(0);
    expect(new Date(c.accessTokenExpiresAt).getTime() - Date.now()).toBeLessThanOrEqual(7200 * 1000);
  });

  it('Reconnect keeps the connection id, and the tokens change', async () => {
    const before = (await card('digitalocean')).connection;
    const row = await t.tally.ctx.db.selectFrom('connections').select('access_token_enc').where('id', '=', before.id).executeTakeFirstOrThrow();
    const back = await connect(owner, orgId, 'digitalocean');
    expect(back.searchParams.get('result')).toBe('reconnected');
    const after = (await card('digitalocean')).connection;
    expect(after.id).toBe(before.id);
    const row2 = await t.tally.ctx.db.selectFrom('connections').select('access_token_enc').where('id', '=', before.id).executeTakeFirstOrThrow();
    expect(row2.access_token_enc).not.toBe(row.access_token_enc);
  });

  it('a denied consent comes back with a message and connects nothing', async () => {
    const other = await startTestTally({ simulators: true });
    const o = await setUpOrganization(other);
    const back = await connect(o.owner, o.orgId, 'digitalocean', { decision: 'deny' });
    expect(back.searchParams.get('result')).toBe('denied');
    expect(back.searchParams.get('message')).toMatch(/declined/);
    const cards = (await o.owner.get(`/api/orgs/${o.orgId}/connections`)).body.items;
    expect(cards.every((c: any) => c.connection === null)).toBe(true);
    await other.close();
  });
});

describe('the authorization answer is checked', () => {
  async function approvedRedirect() {
    const start = await owner.post(`/api/orgs/${orgId}/connections/digitalocean/authorize`, {});
    return consentAtSimulator(start.body.authorizeUrl);
  }

  it('a state used once is refused the second time (code replay)', async () => {
    const redirect = await approvedRedirect();
    expect((await callbackAtTally(owner, redirect)).searchParams.get('result')).toBe('reconnected');
    const again = await callbackAtTally(owner, redirect);
    expect(again.searchParams.get('result')).toBe('error');
    expect(again.searchParams.get('message')).toMatch(/already used/);
  });

  it('a state from another browser session is refused', async () => {
    const redirect = await approvedRedirect();
    const stranger = t.client();
    const res = await callbackAtTally(stranger, redirect);
    expect(res.searchParams.get('result')).toBe('error');
    expect(res.searchParams.get('message')).toMatch(/another browser session/);
  });

  it('an expired state is refused', async () => {
    const redirect = await approvedRedirect();
    await t.tally.ctx.db.updateTable('oauth_requests').set({ expires_at: new Date(Date.now() - 1000) }).where('used_at', 'is', null).execute();
    const res = await callbackAtTally(owner, redirect);
    expect(res.searchParams.get('message')).toMatch(/10 minutes/);
  });

  it('a PKCE verifier that does not match the challenge fails the exchange and stores nothing', async () => {
    const before = await t.tally.ctx.db.selectFrom('connections').select(['access_token_enc']).where('provider', '=', 'digitalocean').executeTakeFirstOrThrow();
    const redirect = await approvedRedirect();
    const pending = await t.tally.ctx.db.selectFrom('oauth_requests').select('state_hash').where('used_at', 'is', null).executeTakeFirstOrThrow();
    const wrong = t.tally.ctx.vault.encrypt('x'.repeat(64), verifierContext(pending.state_hash));
    await t.tally.ctx.db.updateTable('oauth_requests').set({ code_verifier_enc: wrong }).where('state_hash', '=', pending.state_hash).execute();
    const res = await callbackAtTally(owner, redirect);
    expect(res.searchParams.get('result')).toBe('error');
    expect(res.searchParams.get('message')).toMatch(/invalid_grant/);
    const after = await t.tally.ctx.db.selectFrom('connections').select(['access_token_enc']).where('provider', '=', 'digitalocean').executeTakeFirstOrThrow();
    expect(after.access_token_enc).toBe(before.access_token_enc);
  });
});

describe('tokens at rest', () => {
  const sim = t.tally.ctx.simulated.digitalocean!.endpoints.apiBaseUrl.replace(/\/digitalocean$/, '');
  const control = async <T>(path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${sim}/_sim${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`simulator control ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  type Issued = { type: 'authorization_code' | 'access_token' | 'refresh_token' | 'secret'; value: string; grantId: string | null };

  /** Every table of every schema but PostgreSQL's own, each row as JSON: the database's whole content as text. */
  async function databaseText(): Promise<string> {
    const tables = await sql<{ name: string }>`
      select quote_ident(schemaname) || '.' || quote_ident(tablename) as name from pg_tables
      where schemaname not in ('pg_catalog', 'information_schema') order by 1`.execute(t.tally.ctx.db);
    let text = '';
    for (const { name } of tables.rows) text += `${name}\n${JSON.stringify((await sql`select row_to_json(x) as row from ${sql.raw(name)} x`.execute(t.tally.ctx.db)).rows)}\n`;
    return text;
  }

  it('no token the simulators ever issued appears in plaintext in the database, after connects, reconnects, refreshes and personal tokens', async () => {
    // Refreshes: each one rotates the refresh token, so the old ones are gone from Tally but not from this search.
    const rows = await t.tally.ctx.db.selectFrom('connections').select(['id', 'provider']).where('organization_id', '=', orgId).where('method', '=', 'oauth').execute();
    expect(rows.map((r) => r.provider).sort()).toEqual(['bitbucket', 'digitalocean']);
    for (let round = 0; round < 2; round++)
      for (const { id } of rows) {
        await t.tally.ctx.db.updateTable('connections').set({ access_expires_at: new Date(Date.now() - 1000) }).where('id', '=', id).execute();
        expect(await refreshConnection(t.tally.ctx, id, { reason: 'due' })).toBe('refreshed');
      }
    // Personal tokens, in a second organization of the same owner.
    const created = await owner.post('/api/orgs', { name: 'Personal tokens' });
    const second = (created.body.memberships as Array<{ organization: { id: string; name: string } }>).find((m) => m.organization.name === 'Personal tokens')!.organization.id;
    const pat = await control<{ access_token: string }>('/digitalocean/tokens', { kind: 'personal_access_token' });
    expect((await owner.post(`/api/orgs/${second}/connections/digitalocean/personal-token`, { token: pat.access_token })).status).toBe(200);
    const apiToken = await control<{ api_token: string; email: string }>('/bitbucket/tokens', { kind: 'api_token' });
    expect((await owner.post(`/api/orgs/${second}/connections/bitbucket/personal-token`, { token: apiToken.api_token, email: apiToken.email })).status).toBe(200);

    const issued = [...(await control<Issued[]>('/digitalocean/issued-tokens')), ...(await control<Issued[]>('/bitbucket/issued-tokens'))];
    const count = (type: Issued['type']) => issued.filter((c) => c.type === type).length;
    // Connect x2, Reconnect and the callback tests' exchanges, 4 refreshes, 2 personal tokens.
    expect(count('authorization_code')).toBeGreaterThanOrEqual(5);
    expect(count('refresh_token')).toBeGreaterThanOrEqual(2 + 4 + 1);
    expect(count('secret')).toBe(2);
    for (const c of issued) rememberSecret(c.value); // and the harness checks the logs for each after the file

    // What Tally holds now is among them: the search covers today's tokens and every one rotated away.
    const stored = await t.tally.ctx.db.selectFrom('connections').selectAll().execute();
    const decrypted = stored.flatMap((r) => [
      r.access_token_enc && t.tally.ctx.vault.decrypt(r.access_token_enc, accessContext(r.id)),
      r.refresh_token_enc && t.tally.ctx.vault.decrypt(r.refresh_token_enc, refreshContext(r.id)),
    ]).filter((x): x is string => Boolean(x));
    expect(decrypted.length).toBe(4 + 2);
    const values = new Set(issued.map((c) => c.value));
    // A Bitbucket API token is stored as "email:token".
    for (const token of decrypted) expect(values.has(token) || values.has(token.slice(token.indexOf(':') + 1))).toBe(true);

    const dump = await databaseText();
    expect(dump.length).toBeGreaterThan(1000);
    expect(dump).toContain(stored[0]!.access_token_enc); // the text is the stored data
    expect(issued.filter((c) => dump.includes(c.value)).map((c) => `${c.type} of ${c.grantId}`)).toEqual([]);
  });
});
