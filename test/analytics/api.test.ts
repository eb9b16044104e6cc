import { describe, expect, it } from 'vitest';
import { recomputeAnalytics } from '../../src/analytics/index.ts';
import type { ApiClient } from '../support/api.ts';
import { setUpOrganization, startTestTally } from '../support/tally.ts';
import { addFacts, addMembers, addRecords, makeConnection } from './support.ts';

/** The analytics API over HTTP: every endpoint answers its contract, lists page and export CSV, admins change state. */
const t = await startTestTally();
const { owner, orgId } = await setUpOrganization(t);
const db = t.tally.ctx.db;
const bb = await makeConnection(db, orgId, 'bitbucket');
const today = new Date().toISOString().slice(0, 10);
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
await addMembers(db, orgId, bb, [
  { uuid: '{a}', name: 'Ana Lima', email: 'ana@acme.io', role: 'owner' },
  { uuid: '{b}', name: 'Bob Stone' },
  { uuid: '{c}', name: 'Cy, "the" Young' },
]);
await addFacts(db, bb, [
  { account: '{a}', day: today, feature: 'pull_request.opened' },
  { account: '{b}', day: daysAgo(100), feature: 'commit' },
]);
const dox = await makeConnection(db, orgId, 'digitalocean');
await addRecords(db, orgId, dox, 'droplets', [{ id: '7', data: { id: 7, name: 'web', created_at: '2026-01-01T00:00:00Z', tags: [], size_slug: 's', size: { price_monthly: 12 }, region: { slug: 'fra1' } } }]);
await recomputeAnalytics(t.tally.ctx, bb);
await recomputeAnalytics(t.tally.ctx, dox);

async function join(email: string, role: 'admin' | 'member'): Promise<ApiClient> {
  const inv = await owner.post(`/api/orgs/${orgId}/invitations`, { email, role });
  const client = t.client();
  await client.post(`/api/invitations/${inv.body.link.split('/invite/')[1]}/accept`, { name: email, password: 'a long password' });
  return client;
}
const member = await join('member@example.com', 'member');
const api = `/api/orgs/${orgId}/analytics`;

describe('every analytics endpoint answers a member with its contract', () => {
  it.each([
    ['/overview'],
    ['/overview?window=7'],
    ['/apps?window=90'],
    [`/apps/${bb}`],
    [`/apps/${dox}?window=7&from=2026-01-01&to=2026-03-31`],
    [`/apps/${bb}/members?level=engaged`],
    [`/apps/${bb}/invoices`],
    [`/apps/${bb}/settings`],
    ['/features'],
    ['/spend'],
    ['/spend/lines?groupBy=app'],
    ['/resources?days=30'],
    ['/resources/droplet:7'],
    ['/renewals?days=30'],
    ['/people'],
    ['/people/proposals'],
    ['/insights?state=all'],
  ])('GET %s', async (path) => {
    const res = await member.get(api + path);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  });

  it('answers the figures of the data', async () => {
    const o = (await member.get(`${api}/overview`)).body;
    expect(o).toMatchObject({ apps: 2, seats: 3, active: 1, inactiveSeats: 2, usageLevels: { engaged: 1, inactive: 1, never_active: 1 } });
    expect(o.activityNote).toMatch(/SSO/);
    const people = (await member.get(`${api}/people?q=ana`)).body;
    expect(people.items).toEqual([expect.objectContaining({ displayName: 'Ana Lima', primaryEmail: 'ana@acme.io', status: 'active' })]);
  });

  it('refuses a malformed range with a message that says what to do', async () => {
    const res = await member.get(`${api}/people?from=2026-05-02&to=2026-05-01`);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/swap them/);
    expect((await member.get(`${api}/apps/${crypto.randomUUID()}`)).status).toBe(404);
  });
});

describe('lists', () => {
  it('page with limit and offset', async () => {
    const first = (await member.get(`${api}/apps/${bb}/members?limit=2`)).body;
    expect(first).toMatchObject({ total: 3, limit: 2, offset: 0, nextOffset: 2 });
    const second = (await member.get(`${api}/apps/${bb}/members?limit=2&offset=2`)).body;
    expect(second).toMatchObject({ total: 3, nextOffset: null });
    expect([...first.items, ...second.items].map((m: { accountId: string }) => m.accountId).sort()).toEqual(['{a}', '{b}', '{c}']);
  });

  it('export every matching row as CSV', async () => {
    const res = await member.get(`${api}/apps/${bb}/members?format=csv&limit=1`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="members-.+\.csv"$/);
    const lines = (res.body as string).trim().split('\r\n');
    expect(lines[0]).toBe('accountId,name,email,nickname,role,seat,departed,personId,personName,firstSeenAt,lastActivityDay,lastAccessedAt,level,activeDays,featureCounts');
    expect(lines.length).toBe(4);
    expect(lines.find((l) => l.includes('Young'))).toContain('"Cy, ""the"" Young"');
    expect(lines.find((l) => l.startsWith('{a}'))).toContain('pull_request.opened=1');
    for (const list of ['/apps', '/features', '/people', '/insights', '/resources', '/renewals', '/spend/lines', '/people/proposals', `/apps/${bb}/invoices`]) {
      const r = await member.get(`${api}${list}?format=csv`);
      expect([r.status, r.headers.get('content-type')], list).toEqual([200, 'text/csv; charset=utf-8']);
    }
  });
});

describe('admin changes', () => {
  it('a member may not change settings or insights; an admin may, and the figures follow', async () => {
    const settings = { pricePerSeat: '12.50', renewalDate: daysAgo(-30), contractValue: '450.00', planName: 'Standard' };
    expect((await member.put(`${api}/apps/${bb}/settings`, settings)).status).toBe(403);
    const saved = await owner.put(`${api}/apps/${bb}/settings`, settings);
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body).toMatchObject({ ...settings, inactivityThresholdDays: 60, updatedBy: 'Olivia Owner' });
    const renewals = (await member.get(`${api}/renewals`)).body;
    expect(renewals.items).toEqual([expect.objectContaining({ seatsToCut: 2, yearlySaving: '300.00', daysLeft: 30 })]);
    const insights = (await member.get(`${api}/insights?kind=inactive_seats`)).body;
    expect(insights.items).toEqual([expect.objectContaining({ estimatedMonthlySaving: '25.00', state: 'open' })]);
    const id = insights.items[0].insightId;
    expect((await member.post(`${api}/insights/${id}/state`, { state: 'dismissed' })).status).toBe(403);
    const dismissed = await owner.post(`${api}/insights/${id}/state`, { state: 'dismissed', note: 'contractors, on purpose' });
    expect(dismissed.body).toMatchObject({ insightId: id, state: 'dismissed', stateNote: 'contractors, on purpose', stateChangedBy: 'Olivia Owner' });
    expect((await owner.post(`${api}/insights/${id}/state`, { state: 'snoozed' })).status).toBe(400);
    expect((await owner.post(`${api}/recompute`)).body).toMatchObject({ apps: 2 });
    expect((await member.get(`${api}/insights/${id}`)).body).toMatchObject({ state: 'dismissed', current: true });
  });

  it('an admin links an account to a person over the API', async () => {
    const people = (await member.get(`${api}/people`)).body.items as Array<{ personId: string; displayName: string }>;
    const ana = people.find((p) => p.displayName === 'Ana Lima')!;
    expect((await member.post(`${api}/people/${ana.personId}/link`, { appId: bb, accountId: '{c}' })).status).toBe(403);
    const linked = await owner.post(`${api}/people/${ana.personId}/link`, { appId: bb, accountId: '{c}' });
    expect(linked.status, JSON.stringify(linked.body)).toBe(200);
    expect(linked.body.accounts.map((a: { accountId: string; method: string }) => [a.accountId, a.method])).toEqual([['{a}', 'email'], ['{c}', 'manual']]);
    const renamed = await owner.patch(`${api}/people/${ana.personId}`, { displayName: 'Ana L.' });
    expect(renamed.body.person.displayName).toBe('Ana L.');
  });
});
