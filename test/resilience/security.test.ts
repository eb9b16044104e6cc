import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { routeTables, type RouteEntry } from '../../src/api/app.ts';
import { refreshConnection } from '../../src/connections/refresh.ts';
import { runSync } from '../../src/sync/engine.ts';
import { startExternalPostgres } from '../../scripts/external-postgres.ts';
import { postgresBinDir } from '../../scripts/system-packages.ts';
import { seenSecrets, type ApiClient } from '../support/api.ts';
import { callbackAtTally, connect, consentAtSimulator } from '../support/consent.ts';
import { freePort } from '../support/ports.ts';
import { printFigures, type Figure } from './support/figures.ts';
import { spawnWorker, TALLY, workerLogs } from './support/processes.ts';
import { startWorld, storedTokens } from './support/world.ts';

/**
 * What an attacker or a careless log would reach, swept over the whole running system after real syncs:
 * every secret looked for in a real pg_dump (Debian's PostgreSQL, started for this suite) and in every log
 * line of the server and of `tally sync` processes; every API route called with another organization's ids,
 * without the CSRF token, and by every role; OAuth callbacks replayed, forged, swapped and carried across
 * sessions. The focused tests (test/api/guards.test.ts, test/connections/*.test.ts) prove each rule; this
 * suite counts them over everything at once.
 */
const bin = postgresBinDir();
const external = bin ? startExternalPostgres(await freePort()) : undefined;
afterAll(() => external?.stop());
let databaseUrl: string | undefined;
if (external) {
  const admin = new pg.Client({ connectionString: external.url });
  await admin.connect();
  await admin.query('create database tally_security');
  await admin.end();
  databaseUrl = external.url.replace(/\/postgres$/, '/tally_security');
}

const w = await startWorld({ connect: ['digitalocean', 'bitbucket'], ...(databaseUrl ? { env: { DATABASE_URL: databaseUrl } } : {}) });
const orgA = w.orgId;
const owner = w.owner;
const routes: RouteEntry[] = routeTables.get(w.t.tally.app!)!;

/** A person invited into org A with a role, signed in with a client of their own. */
async function invite(email: string, role: 'admin' | 'member'): Promise<{ client: ApiClient; id: string }> {
  const inv = await owner.post(`/api/orgs/${orgA}/invitations`, { email, role });
  const client = w.t.client();
  const res = await client.post(`/api/invitations/${inv.body.link.split('/invite/')[1]}/accept`, { name: email, password: `${role} password 123` });
  return { client, id: res.body.user.id };
}
const member = await invite('member@example.com', 'member');
const admin = await invite('admin@example.com', 'admin');
await owner.post(`/api/orgs/${orgA}/invitations`, { email: 'pending@example.com', role: 'member' });

// Org B: another owner with a connection, a member and a pending invitation of its own.
const ownerB = w.t.client();
{
  const inv = await owner.post(`/api/orgs/${orgA}/invitations`, { email: 'owner-b@example.com', role: 'member' });
  const res = await ownerB.post(`/api/invitations/${inv.body.link.split('/invite/')[1]}/accept`, { name: 'Owner B', password: 'owner b password' });
  await ownerB.post('/api/orgs', { name: 'Org B' });
  await owner.delete(`/api/orgs/${orgA}/members/${res.body.user.id}`);
}
const orgB = ((await ownerB.get('/api/me')).body.memberships as Array<{ organization: { id: string; name: string } }>).find((m) => m.organization.name === 'Org B')!.organization.id;
await connect(ownerB, orgB, 'digitalocean');
const invB = await ownerB.post(`/api/orgs/${orgB}/invitations`, { email: 'b-member@example.com', role: 'member' });
const memberB = w.t.client();
const memberBId = (await memberB.post(`/api/invitations/${invB.body.link.split('/invite/')[1]}/accept`, { name: 'B member', password: 'b member password' })).body.user.id as string;
await ownerB.post(`/api/orgs/${orgB}/invitations`, { email: 'b-pending@example.com', role: 'member' });
await ownerB.post(`/api/orgs/${orgB}/connect-invitations`, { provider: 'bitbucket', email: 'b-bb-admin@example.com' });

const idsOf = async (org: string) => {
  const one = async (table: 'connections' | 'invitations' | 'connect_invitations') => (await w.ctx.db.selectFrom(table).select('id').where('organization_id', '=', org).executeTakeFirst())?.id;
  const run = await w.ctx.db.selectFrom('sync_runs').select('id').where('organization_id', '=', org).executeTakeFirst();
  return { connectionId: await one('connections'), invitationId: await one('invitations'), runId: run?.id, connectInvitationId: await one('connect_invitations') };
};

/** A route's URL with org A's id and the given ids for its other parameters (a fresh UUID where none fits). */
const urlFor = (route: RouteEntry, org: string, ids: Record<string, string | undefined>) =>
  route.url.replace(':orgId', org).replace(/:([a-zA-Z]+)/g, (_, name: string) => (name === 'provider' ? 'digitalocean' : (ids[name] ?? randomUUID())));
/** A valid body where a route needs one to get past validation, so the ownership check is what answers. */
const VALID_BODIES: Record<string, unknown> = {
  'PATCH /api/orgs/:orgId/members/:userId': { role: 'admin' },
  'POST /api/orgs/:orgId/connections/:connectionId/member-emails': { csv: 'email,name\nx@example.com,X' },
  'PUT /api/orgs/:orgId/connections/:connectionId/sync/schedule': { activityEveryMinutes: 60, billingEveryMinutes: 1440 },
  'POST /api/orgs/:orgId/connections/:connectionId/disconnect': { deleteData: true },
};
const bodyFor = (method: string, route?: RouteEntry) => (method === 'GET' || method === 'DELETE' ? undefined : ((route && VALID_BODIES[`${method} ${route.url}`]) ?? {}));
const orgRoutes = routes.filter((r) => r.url.includes(':orgId'));
const figures: Figure[] = [];
const notes: string[] = [];
afterAll(() => printFigures('security', figures, notes));

describe('security sweep', () => {
  it('no secret in a database dump or in any log, after syncs in the server and in `tally sync` processes', async () => {
    for (const provider of ['digitalocean', 'bitbucket'] as const) expect((await runSync(w.ctx, await w.connectionId(provider), { trigger: 'resilience' })).status).toBe('succeeded');
    const cli = spawnWorker(w.env, ['sync', await w.connectionId('digitalocean')], TALLY);
    expect((await cli.exited).code, cli.stderr()).toBe(0);
    // Rotation leaves old tokens behind at the provider only: refreshes (twice each), a Reconnect, and
    // personal tokens in an organization of their own, so the search below covers every kind.
    for (let round = 0; round < 2; round++)
      for (const provider of ['digitalocean', 'bitbucket'] as const) {
        const id = await w.connectionId(provider);
        await w.ctx.db.updateTable('connections').set({ access_expires_at: new Date(Date.now() - 1000) }).where('id', '=', id).execute();
        expect(await refreshConnection(w.ctx, id, { reason: 'due' })).toBe('refreshed');
      }
    expect((await connect(owner, orgA, 'bitbucket')).searchParams.get('result')).toBe('reconnected');
    const created = await owner.post('/api/orgs', { name: 'Org PAT' });
    const orgPat = (created.body.memberships as Array<{ organization: { id: string; name: string } }>).find((m) => m.organization.name === 'Org PAT')!.organization.id;
    const pat = await w.control<{ access_token: string }>('/digitalocean/tokens', { kind: 'personal_access_token' });
    expect((await owner.post(`/api/orgs/${orgPat}/connections/digitalocean/personal-token`, { token: pat.access_token })).status).toBe(200);
    const apiToken = await w.control<{ api_token: string; email: string }>('/bitbucket/tokens', { kind: 'api_token' });
    expect((await owner.post(`/api/orgs/${orgPat}/connections/bitbucket/personal-token`, { token: apiToken.api_token, email: apiToken.email })).status).toBe(200);
    // Every code, access token, refresh token and personal token the simulators ever issued, rotated away or not.
    type Issued = { type: string; value: string; grantId: string | null };
    const issued = [...(await w.control<Issued[]>('/digitalocean/issued-tokens')), ...(await w.control<Issued[]>('/bitbucket/issued-tokens'))];
    const issuedOf = (type: string) => issued.filter((c) => c.type === type).length;
    expect(issuedOf('refresh_token')).toBeGreaterThanOrEqual(3 + 4 + 1);
    expect(issuedOf('secret')).toBe(2);
    for (const token of await storedTokens(w.ctx)) expect(issued.some((c) => c.value === token || token.endsWith(`:${c.value}`))).toBe(true);
    const secrets = [...new Set([...issued.map((c) => c.value), ...(await storedTokens(w.ctx)), ...seenSecrets, w.ctx.simulated.digitalocean!.clientSecret, w.ctx.simulated.bitbucket!.clientSecret, w.env.TALLY_SECRET_KEY!])];
    let dump: string;
    let how: string;
    if (bin && databaseUrl) {
      const res = spawnSync(`${bin}/pg_dump`, ['--dbname', databaseUrl, '--no-owner'], { encoding: 'utf8', maxBuffer: 1 << 30 });
      expect(res.status, res.stderr).toBe(0);
      dump = res.stdout;
      how = 'pg_dump';
    } else {
      // No Debian PostgreSQL here: every row of every table as JSON instead.
      const tables = await sql<{ name: string }>`select schemaname || '.' || tablename as name from pg_tables where schemaname in ('public', 'pgboss')`.execute(w.ctx.db);
      dump = '';
      for (const { name } of tables.rows) dump += JSON.stringify((await sql`select row_to_json(x) as row from ${sql.raw(name)} x`.execute(w.ctx.db)).rows);
      how = 'every row as JSON (Debian PostgreSQL is not installed, so no pg_dump)';
    }
    const logs = [w.t.rawLogs(), ...workerLogs, cli.events.map((e) => e.text ?? '').join('\n')];
    // The text searched is the stored data: each connection's ciphertext is in it.
    for (const r of await w.ctx.db.selectFrom('connections').select('access_token_enc').execute()) expect(dump).toContain(r.access_token_enc);
    const inDump = secrets.filter((s) => dump.includes(s));
    const inLogs = secrets.filter((s) => logs.some((l) => l.includes(s)));
    const tokens = await storedTokens(w.ctx);
    figures.push(
      {
        tried: `secrets looked for (every credential the simulators issued: ${issuedOf('authorization_code')} codes, ${issuedOf('access_token')} access and ${issuedOf('refresh_token')} refresh tokens, ${issuedOf('secret')} personal tokens, of which Tally holds ${tokens.length}; client secrets, the encryption key, passwords, sessions, invitation links)`,
        figure: secrets.length,
      },
      { tried: `found in the database dump (${how}, ${(dump.length / 1e6).toFixed(1)} MB)`, figure: inDump.length, expected: '0', ok: inDump.length === 0 },
      { tried: `found in the logs (${logs.reduce((n, l) => n + l.split('\n').length, 0)} lines, server and tally sync)`, figure: inLogs.length, expected: '0', ok: inLogs.length === 0 },
    );
    expect(dump.length).toBeGreaterThan(100_000);
    expect(inDump).toEqual([]);
    expect(inLogs).toEqual([]);
  });

  it('every organization route with another organization’s ids answers 404 and changes nothing there', async () => {
    const b = await idsOf(orgB);
    const a = await idsOf(orgA);
    const realB = { ...b, userId: memberBId };
    let outsider = 0;
    let crossed = 0;
    const leaks: string[] = [];
    for (const route of orgRoutes) {
      // A stranger to org A, with A's real ids.
      const res = await ownerB.request(route.method, urlFor(route, orgA, { ...a, userId: member.id }), bodyFor(route.method));
      outsider++;
      if (res.status !== 404) leaks.push(`outsider ${route.method} ${route.url}: ${res.status}`);
      // A's owner, on A's own path, with B's ids where the route takes one.
      if (!/:(connectionId|invitationId|userId|runId)/.test(route.url)) continue;
      const crossedRes = await owner.request(route.method, urlFor(route, orgA, realB), bodyFor(route.method, route));
      crossed++;
      if (crossedRes.status !== 404) leaks.push(`owner of A with B's ids ${route.method} ${route.url}: ${crossedRes.status}`);
    }
    const bConnection = await w.ctx.db.selectFrom('connections').select('status').where('organization_id', '=', orgB).executeTakeFirstOrThrow();
    const bMember = ((await ownerB.get(`/api/orgs/${orgB}/members`)).body.items as Array<{ userId: string; role: string }>).find((m) => m.userId === memberBId);
    const bInvitations = (await ownerB.get(`/api/orgs/${orgB}/invitations`)).body.items as Array<{ status?: string }>;
    figures.push(
      { tried: `routes called by a stranger with the organization's real ids (${orgRoutes.length} routes)`, figure: outsider, expected: 'all 404', ok: !leaks.some((l) => l.startsWith('outsider')) },
      { tried: "routes called on one's own organization with another organization's connection, run, user and invitation ids", figure: crossed, expected: 'all 404', ok: !leaks.some((l) => l.startsWith('owner')) },
      { tried: "the other organization's connection, member and invitation afterwards", figure: `${bConnection.status}, ${bMember?.role}, ${bInvitations.length} invitations`, expected: 'active, member, 1+', ok: bConnection.status === 'active' && bMember?.role === 'member' && bInvitations.length >= 1 },
    );
    expect(leaks).toEqual([]);
    expect({ connection: bConnection.status, member: bMember?.role }).toEqual({ connection: 'active', member: 'member' });
    expect(bInvitations.length).toBeGreaterThanOrEqual(1);
  });

  it('every state-changing route refuses a request without the CSRF token', async () => {
    const changing = routes.filter((r) => !['GET', 'HEAD', 'OPTIONS'].includes(r.method));
    const accepted: string[] = [];
    owner.csrf = false;
    for (const route of changing) {
      const res = await owner.request(route.method, urlFor(route, orgA, {}), bodyFor(route.method));
      if (res.status !== 403 || res.body?.error?.code !== 'csrf_failed') accepted.push(`${route.method} ${route.url}: ${res.status}`);
    }
    owner.csrf = true;
    figures.push({ tried: 'state-changing routes called without the CSRF token', figure: changing.length, expected: 'all refused (403)', ok: accepted.length === 0 });
    expect(accepted).toEqual([]);
  });

  it('role matrix: every organization route for anonymous, member, admin and owner', async () => {
    const anonymous = w.t.client();
    const roles = { member: member.client, admin: admin.client, owner } as const;
    const allowed = (access: string | undefined, role: keyof typeof roles) => access === 'member' || (access === 'admin' && role !== 'member') || role === 'owner';
    const wrong: string[] = [];
    let checks = 0;
    for (const route of orgRoutes) {
      const url = urlFor(route, orgA, {}); // fresh UUIDs for the other ids: nothing real is changed
      const res = await anonymous.request(route.method, url, bodyFor(route.method));
      checks++;
      if (res.status !== 401) wrong.push(`anonymous ${route.method} ${route.url}: ${res.status}`);
      for (const [role, client] of Object.entries(roles) as Array<[keyof typeof roles, ApiClient]>) {
        const r = await client.request(route.method, url, bodyFor(route.method));
        checks++;
        const refused = r.status === 401 || r.status === 403;
        if (refused === allowed(route.access, role)) wrong.push(`${role} ${route.method} ${route.url} (needs ${route.access}): ${r.status}`);
      }
    }
    const adminRoutes = routes.filter((r) => r.access === 'instance_admin');
    for (const route of adminRoutes) {
      const r = await member.client.request(route.method, urlFor(route, orgA, {}), bodyFor(route.method));
      checks++;
      if (r.status !== 403) wrong.push(`member on instance setting ${route.method} ${route.url}: ${r.status}`);
    }
    figures.push({ tried: `role checks (${orgRoutes.length} organization routes x 4 roles, ${adminRoutes.length} instance-admin routes)`, figure: checks, expected: 'each as its access rule says', ok: wrong.length === 0 });
    expect(wrong).toEqual([]);
  });

  it('OAuth callbacks replayed, forged, swapped or carried to another session are refused', async () => {
    const start = async () => (await owner.post(`/api/orgs/${orgA}/connections/digitalocean/authorize`, {})).body.authorizeUrl as string;
    const tokenBefore = (await w.ctx.db.selectFrom('connections').select('access_token_enc').where('organization_id', '=', orgA).where('provider', '=', 'digitalocean').executeTakeFirstOrThrow()).access_token_enc;
    const outcomes: Array<{ tried: string; result: string | null; message: string | null }> = [];
    const attempt = async (tried: string, client: ApiClient, redirect: string) => {
      const back = await callbackAtTally(client, redirect);
      outcomes.push({ tried, result: back.searchParams.get('result'), message: back.searchParams.get('message') });
    };
    // A used state (and its code) again.
    const first = await consentAtSimulator(await start());
    await attempt('the legitimate callback', owner, first);
    await attempt('the same state and code again (replay)', owner, first);
    // A state from another browser session.
    await attempt('a fresh state in another session', w.t.client(), await consentAtSimulator(await start()));
    // A state Tally never issued.
    const forged = new URL(await consentAtSimulator(await start()));
    forged.searchParams.set('state', 'x'.repeat(43));
    await attempt('a forged state', owner, forged.toString());
    // Two authorizations: the code of one with the state (and PKCE verifier) of the other.
    const one = new URL(await consentAtSimulator(await start()));
    const two = new URL(await consentAtSimulator(await start()));
    two.searchParams.set('code', one.searchParams.get('code')!);
    const tokenBeforeSwap = (await w.ctx.db.selectFrom('connections').select('access_token_enc').where('organization_id', '=', orgA).where('provider', '=', 'digitalocean').executeTakeFirstOrThrow()).access_token_enc;
    await attempt("another authorization's code under this state (PKCE verifier mismatch)", owner, two.toString());
    const tokenAfterSwap = (await w.ctx.db.selectFrom('connections').select('access_token_enc').where('organization_id', '=', orgA).where('provider', '=', 'digitalocean').executeTakeFirstOrThrow()).access_token_enc;
    const refused = outcomes.slice(1).filter((o) => o.result === 'error');
    figures.push(
      { tried: 'OAuth callbacks replayed, from another session, forged, or with a swapped code', figure: outcomes.length - 1, expected: 'all refused', ok: refused.length === outcomes.length - 1 },
      { tried: 'stored tokens changed by a refused callback', figure: tokenAfterSwap === tokenBeforeSwap ? 0 : 1, expected: '0', ok: tokenAfterSwap === tokenBeforeSwap },
    );
    notes.push(...outcomes.map((o) => `${o.tried}: ${o.result}${o.message ? ` (${o.message})` : ''}`));
    expect(outcomes[0]!.result).toBe('reconnected');
    expect(tokenBefore).not.toBe(tokenBeforeSwap); // the legitimate reconnect did store new tokens
    expect(outcomes.slice(1).map((o) => o.result)).toEqual(outcomes.slice(1).map(() => 'error'));
    expect(tokenAfterSwap).toBe(tokenBeforeSwap);
  });
});
