import { describe, expect, it } from 'vitest';
import { LruByBytes } from '../../src/analytics/cache.ts';
import { recomputeAnalytics } from '../../src/analytics/index.ts';
import { ApiClient } from '../support/api.ts';
import { setUpOrganization, startTestTally } from '../support/tally.ts';
import { addFacts, addMembers, makeConnection, makeOrg } from './support.ts';

/**
 * The analytics response cache: repeated reads are served as kept, and no read made after a write (in this
 * Tally or in another one on the same database) ever answers what the data was before it.
 */
const a = await startTestTally();
const { owner, orgId } = await setUpOrganization(a);
// A second Tally process on the same database, as when several serve one Postgres.
const b = await startTestTally({ env: { DATABASE_URL: a.databaseUrl } });
const ownerB = b.client();
expect((await ownerB.post('/api/auth/login', { email: 'owner@example.com', password: 'correct horse battery' })).status).toBe(200);

const db = a.tally.ctx.db;
const today = new Date().toISOString().slice(0, 10);
const bb = await makeConnection(db, orgId, 'bitbucket');
await addMembers(db, orgId, bb, [
  { uuid: '{a}', name: 'Ana Lima', email: 'ana@acme.io' },
  { uuid: '{b}', name: 'Bob Stone' },
  { uuid: '{c}', name: 'Cy Young' },
]);
await addFacts(db, bb, [{ account: '{a}', day: today, feature: 'commit' }]);
await recomputeAnalytics(a.tally.ctx, bb);
const api = `/api/orgs/${orgId}/analytics`;

/** Both processes answer `path` (each from its cache once warmed) and both answers pass `check`. */
async function bothSee(path: string, check: (body: any) => void): Promise<void> {
  for (const client of [owner, ownerB]) {
    const res = await client.get(api + path);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    check(res.body);
  }
}
/** Reads `path` twice in each process, so that the next read after a write would be a hit if nothing moved. */
async function warm(path: string): Promise<void> {
  for (const client of [owner, ownerB]) {
    await client.get(api + path);
    expect((await client.get(api + path)).headers.get('x-tally-cache'), path).toBe('hit');
  }
}

describe('a repeated read', () => {
  it('is answered from the cache, byte for byte what the route computed, with an ETag that answers 304', async () => {
    const first = await owner.get(`${api}/overview?window=30`);
    const again = await owner.get(`${api}/overview`);
    expect(again.headers.get('x-tally-cache')).toBe('hit');
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(again.headers.get('cache-control')).toBe('private, no-cache');
    const etag = again.headers.get('etag')!;
    expect(etag).toMatch(/^".+"$/);
    const unchanged = await owner.request('GET', `${api}/overview`, undefined, { 'if-none-match': `W/${etag}` });
    expect([unchanged.status, unchanged.body]).toEqual([304, undefined]);
    // The other process computed its own copy: the same bytes give the same ETag.
    const other = await ownerB.get(`${api}/overview`);
    expect(other.headers.get('etag')).toBe(etag);
  });

  it('of a different page, filter or window is a different question', async () => {
    await warm('/people?limit=1');
    const next = await owner.get(`${api}/people?limit=1&offset=1`);
    expect(next.headers.get('x-tally-cache')).toBe('miss');
    expect(next.body.offset).toBe(1);
    const week = await owner.get(`${api}/overview?window=7`);
    expect([week.headers.get('x-tally-cache'), week.body.window]).toEqual(['miss', 7]);
  });
});

describe('after a write in one process, both processes answer the new data at once', () => {
  it('a recompute after a sync (called directly, as the after-sync hook and member-email import do)', async () => {
    await warm('/overview');
    await bothSee('/overview', (o) => expect(o.active).toBe(1));
    await addFacts(db, bb, [{ account: '{b}', day: today, feature: 'commit' }]);
    await recomputeAnalytics(a.tally.ctx, bb);
    await bothSee('/overview', (o) => expect(o.active).toBe(2));
  });

  it('an app’s settings', async () => {
    await warm('/apps');
    const saved = await owner.put(`${api}/apps/${bb}/settings`, { planName: 'Premium', pricePerSeat: '10.00' });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    await bothSee('/apps', (l) => expect(l.items[0]).toMatchObject({ planName: 'Premium', pricePerSeat: '10.00' }));
  });

  it('an insight’s state', async () => {
    const open = (await owner.get(`${api}/insights?kind=inactive_seats`)).body.items;
    expect(open).toHaveLength(1);
    const id = open[0].insightId;
    await warm('/insights?state=all');
    await warm(`/insights/${id}`);
    expect((await owner.post(`${api}/insights/${id}/state`, { state: 'dismissed', note: 'on purpose' })).status).toBe(200);
    await bothSee('/insights?state=all', (l) => expect(l.items.find((i: { insightId: string }) => i.insightId === id).state).toBe('dismissed'));
    await bothSee(`/insights/${id}`, (i) => expect(i.state).toBe('dismissed'));
  });

  it('linking, unlinking and renaming a person', async () => {
    const people = (await owner.get(`${api}/people?limit=100`)).body.items as Array<{ personId: string; displayName: string }>;
    const ana = people.find((p) => p.displayName === 'Ana Lima')!;
    const path = `/people/${ana.personId}`;
    await warm(path);
    await warm('/people?limit=100');
    expect((await owner.post(`${api}${path}/link`, { appId: bb, accountId: '{c}' })).status).toBe(200);
    await bothSee(path, (p) => expect(p.accounts.map((x: { accountId: string }) => x.accountId).sort()).toEqual(['{a}', '{c}']));
    await bothSee('/people?limit=100', (l) => expect(l.items.some((p: { displayName: string }) => p.displayName === 'Cy Young')).toBe(false));
    expect((await ownerB.post(`${api}${path}/unlink`, { appId: bb, accountId: '{c}' })).status).toBe(200);
    await bothSee(path, (p) => expect(p.accounts.map((x: { accountId: string }) => x.accountId)).toEqual(['{a}']));
    expect((await owner.patch(`${api}${path}`, { displayName: 'Ana L.' })).status).toBe(200);
    await bothSee(path, (p) => expect(p.person.displayName).toBe('Ana L.'));
  });

  it('a connection changing status, and a sync run starting (written outside the analytics code)', async () => {
    await warm('/apps');
    await db.updateTable('connections').set({ status: 'needs_reconnect' }).where('id', '=', bb).execute();
    await bothSee('/apps', (l) => expect(l.items[0].connectionStatus).toBe('needs_reconnect'));
    await db.insertInto('sync_runs').values({ organization_id: orgId, connection_id: bb, trigger: 'manual', status: 'running' }).execute();
    await bothSee('/apps', (l) => expect(l.items[0].lastSyncStatus).toBe('running'));
    await db.updateTable('connections').set({ status: 'active' }).where('id', '=', bb).execute();
  });

  it('even while the other process is answering the same question without pause', async () => {
    const id = (await owner.get(`${api}/insights?kind=inactive_seats&state=all`)).body.items[0].insightId;
    let stop = false;
    const seen: Array<{ startedAt: number; state: string }> = [];
    const reader = (async () => {
      while (!stop) {
        const startedAt = performance.now();
        seen.push({ startedAt, state: (await ownerB.get(`${api}/insights/${id}`)).body.state });
      }
    })();
    try {
      for (const state of ['open', 'dismissed', 'open', 'resolved', 'open']) {
        await new Promise((r) => setTimeout(r, 30));
        expect((await owner.post(`${api}/insights/${id}/state`, { state })).status).toBe(200);
        const writtenAt = performance.now();
        // Three reads that started after the write answered (however slow the machine).
        const after = () => seen.filter((s) => s.startedAt > writtenAt).slice(0, 3);
        for (let waited = 0; after().length < 3 && waited < 10_000; waited += 10) await new Promise((r) => setTimeout(r, 10));
        expect(after().length).toBe(3);
        expect(after().map((s) => s.state)).toEqual([state, state, state]);
      }
    } finally {
      stop = true;
      await reader;
    }
  });
});

describe('organizations', () => {
  it('never share answers, and one organization’s writes leave the other’s cache alone', async () => {
    const other = await makeOrg(db, 'Globex');
    const { id: userId } = await db.selectFrom('users').select('id').where('email', '=', 'owner@example.com').executeTakeFirstOrThrow();
    await db.insertInto('memberships').values({ organization_id: other, user_id: userId, role: 'owner' }).execute();
    const globex = await makeConnection(db, other, 'bitbucket', { workspaces: [{ slug: 'globex', name: 'Globex', uuid: '{g}' }] });
    await recomputeAnalytics(a.tally.ctx, globex);
    const theirs = `/api/orgs/${other}/analytics/apps`;
    await owner.get(theirs);
    const mine = (await owner.get(`${api}/apps`)).body.items.map((x: { name: string }) => x.name);
    const again = await owner.get(theirs);
    expect(again.body.items.map((x: { name: string }) => x.name)).toEqual(['Bitbucket · Globex']);
    expect(mine).toEqual(['Bitbucket · Acme']);
    expect((await owner.patch(`${api}/people/${(await owner.get(`${api}/people`)).body.items[0].personId}`, { displayName: 'Someone' })).status).toBe(200);
    expect((await owner.get(theirs)).headers.get('x-tally-cache')).toBe('hit');
    // A caller outside the organization is turned away before any cache is looked at.
    const stranger = new ApiClient(a.baseUrl);
    const invited = await owner.post(`/api/orgs/${orgId}/invitations`, { email: 'm@example.com', role: 'member' });
    await stranger.post(`/api/invitations/${invited.body.link.split('/invite/')[1]}/accept`, { name: 'M', password: 'a long password' });
    expect((await stranger.get(theirs)).status).toBe(404);
    expect((await stranger.get(`${api}/apps`)).status).toBe(200);
  });
});

describe('memory', () => {
  it('is bounded by bytes, the least recently used answers going first', () => {
    const lru = new LruByBytes(100);
    const entry = (bytes: number) => ({ version: '1', body: Buffer.alloc(0), etag: '""', bytes });
    lru.set('a', entry(40));
    lru.set('b', entry(40));
    lru.get('a');
    lru.set('c', entry(40));
    expect([lru.get('a') !== undefined, lru.get('b') !== undefined, lru.get('c') !== undefined, lru.bytes]).toEqual([true, false, true, 80]);
    lru.set('a', entry(10));
    expect(lru.bytes).toBe(50);
    lru.set('huge', entry(101));
    expect([lru.get('huge'), lru.size, lru.bytes]).toEqual([undefined, 2, 50]);
  });
});
