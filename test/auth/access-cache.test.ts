import { describe, expect, it } from 'vitest';
import { ACCESS_CACHE_MS, AccessCache, accessCache, type CachedSession } from '../../src/accounts/access-cache.ts';
import { resetPassword } from '../../src/accounts/sessions.ts';
import { ApiClient } from '../support/api.ts';
import { setUpOrganization, startTestTally, type TestTally } from '../support/tally.ts';

// Two Tally processes on one database, as when several serve one PostgreSQL: each keeps its own access cache.
const a = await startTestTally();
const b = await startTestTally({ env: { DATABASE_URL: a.databaseUrl } });
const { owner, orgId } = await setUpOrganization(a);

/** The other process's bound, with room for a loaded machine (the test machine is shared). */
const OTHER_PROCESS_BOUND_MS = ACCESS_CACHE_MS + 1500;

/** The same browser (same cookies) talking to another Tally process. */
function sameBrowserOn(t: TestTally, client: ApiClient): ApiClient {
  const copy = t.client();
  for (const [k, v] of client.cookies) copy.cookies.set(k, v);
  return copy;
}

/** Asks until the answer has this status; how long that took from `since`. */
async function msUntil(client: ApiClient, path: string, status: number, since: number): Promise<number> {
  for (;;) {
    const res = await client.get(path);
    if (res.status === status) return Date.now() - since;
    if (Date.now() - since > 10 * OTHER_PROCESS_BOUND_MS) throw new Error(`${path} still answers ${res.status}, not ${status}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Reads `path` twice in `t`, so the second read came from its access cache; returns how many reads it kept. */
async function warm(t: TestTally, client: ApiClient, path: string): Promise<number> {
  const before = accessCache(t.tally.ctx.db).stats.hits;
  for (let i = 0; i < 2; i++) expect((await client.get(path)).status, path).toBe(200);
  return accessCache(t.tally.ctx.db).stats.hits - before;
}

async function join(email: string, role: 'admin' | 'member'): Promise<{ client: ApiClient; id: string }> {
  const inv = await owner.post(`/api/orgs/${orgId}/invitations`, { email, role });
  const client = a.client();
  const res = await client.post(`/api/invitations/${inv.body.link.split('/invite/')[1]}/accept`, { name: email, password: 'a long password' });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return { client, id: res.body.user.id };
}

async function loginOn(t: TestTally, email: string, password: string): Promise<ApiClient> {
  const client = t.client();
  expect((await client.post('/api/auth/login', { email, password })).status).toBe(200);
  return client;
}

describe('a session and a membership are read once per process and kept', () => {
  it('repeated requests with one session are answered from the cache', async () => {
    expect(await warm(a, owner, `/api/orgs/${orgId}/members`)).toBeGreaterThanOrEqual(2); // session and membership
    expect(await warm(b, sameBrowserOn(b, owner), `/api/orgs/${orgId}/members`)).toBeGreaterThanOrEqual(2);
  });
});

describe('logging out', () => {
  it('is refused at once in the process that logged out, and within the bound in the other one', async () => {
    const user = await join('leaver@example.com', 'member');
    const sameOnA = sameBrowserOn(a, user.client);
    const onB = sameBrowserOn(b, user.client);
    expect(await warm(b, onB, '/api/me')).toBeGreaterThanOrEqual(1);
    expect((await user.client.post('/api/auth/logout')).status).toBe(200);
    const loggedOutAt = Date.now();
    expect((await sameOnA.get('/api/me')).status).toBe(401);
    expect(await msUntil(onB, '/api/me', 401, loggedOutAt)).toBeLessThanOrEqual(OTHER_PROCESS_BOUND_MS);
    expect((await sameOnA.get('/api/me')).status).toBe(401);
  });
});

describe('a removed member', () => {
  it('is refused at once in the process that removed them, and within the bound in the other one', async () => {
    const member = await join('removed@example.com', 'member');
    const path = `/api/orgs/${orgId}/members`;
    const onB = sameBrowserOn(b, member.client);
    expect(await warm(a, member.client, path)).toBeGreaterThanOrEqual(1);
    expect(await warm(b, onB, path)).toBeGreaterThanOrEqual(1);
    expect((await owner.delete(`/api/orgs/${orgId}/members/${member.id}`)).status).toBe(200);
    const removedAt = Date.now();
    expect((await member.client.get(path)).status).toBe(404);
    expect(await msUntil(onB, path, 404, removedAt)).toBeLessThanOrEqual(OTHER_PROCESS_BOUND_MS);
  });
});

describe('a role change', () => {
  it('an admin made a member loses admin routes at once in that process, within the bound in the other one', async () => {
    const admin = await join('demoted@example.com', 'admin');
    const path = `/api/orgs/${orgId}/invitations`; // admins only
    const onB = sameBrowserOn(b, admin.client);
    expect(await warm(a, admin.client, path)).toBeGreaterThanOrEqual(1);
    expect(await warm(b, onB, path)).toBeGreaterThanOrEqual(1);
    expect((await owner.patch(`/api/orgs/${orgId}/members/${admin.id}`, { role: 'member' })).status).toBe(200);
    const changedAt = Date.now();
    expect((await admin.client.get(path)).status).toBe(403);
    expect(await msUntil(onB, path, 403, changedAt)).toBeLessThanOrEqual(OTHER_PROCESS_BOUND_MS);
  });

  it('a member made an admin may use admin routes at once in that process', async () => {
    const member = await join('promoted@example.com', 'member');
    const path = `/api/orgs/${orgId}/invitations`;
    expect((await member.client.get(path)).status).toBe(403);
    expect((await owner.patch(`/api/orgs/${orgId}/members/${member.id}`, { role: 'admin' })).status).toBe(200);
    expect((await member.client.get(path)).status).toBe(200);
  });
});

describe('passwords', () => {
  it('changing the password ends the other sessions at once in that process, within the bound in the other one', async () => {
    const user = await join('changer@example.com', 'member');
    const other = await loginOn(a, 'changer@example.com', 'a long password');
    const otherOnB = sameBrowserOn(b, other);
    expect(await warm(a, other, '/api/me')).toBeGreaterThanOrEqual(1);
    expect(await warm(b, otherOnB, '/api/me')).toBeGreaterThanOrEqual(1);
    expect((await user.client.post('/api/me/password', { currentPassword: 'a long password', newPassword: 'a new long password' })).status).toBe(200);
    const changedAt = Date.now();
    expect((await other.get('/api/me')).status).toBe(401);
    expect((await user.client.get('/api/me')).status).toBe(200); // the session that changed it stays
    expect(await msUntil(otherOnB, '/api/me', 401, changedAt)).toBeLessThanOrEqual(OTHER_PROCESS_BOUND_MS);
  });

  it('a password reset (tally users reset-password) ends every session: at once where it ran, within the bound elsewhere', async () => {
    const user = await join('forgetful@example.com', 'member');
    const onB = sameBrowserOn(b, user.client);
    expect(await warm(a, user.client, '/api/me')).toBeGreaterThanOrEqual(1);
    expect(await warm(b, onB, '/api/me')).toBeGreaterThanOrEqual(1);
    // As the CLI does it, here through process b's database handle: b is the process that did it.
    await resetPassword(b.tally.ctx.db, 'forgetful@example.com', 'a reset long password');
    const resetAt = Date.now();
    expect((await onB.get('/api/me')).status).toBe(401);
    expect(await msUntil(user.client, '/api/me', 401, resetAt)).toBeLessThanOrEqual(OTHER_PROCESS_BOUND_MS);
  });
});

describe('the cache itself', () => {
  const session = (over: Partial<CachedSession> = {}): CachedSession => ({ userId: 'u1', expiresAt: Date.now() + 60_000, lastSeenAt: Date.now(), ...over });

  it('requests arriving together share one read', async () => {
    const cache = new AccessCache();
    let loads = 0;
    const load = async () => {
      loads++;
      await new Promise((r) => setTimeout(r, 20));
      return session();
    };
    const answers = await Promise.all(Array.from({ length: 20 }, () => cache.session('h1', load)));
    expect(loads).toBe(1);
    expect(answers.every((s) => s?.userId === 'u1')).toBe(true);
  });

  it('reads again once the entry is older than the bound', async () => {
    const cache = new AccessCache(50);
    let loads = 0;
    const load = async () => (loads++, session());
    await cache.session('h1', load);
    await cache.session('h1', load);
    expect(loads).toBe(1);
    await new Promise((r) => setTimeout(r, 60));
    await cache.session('h1', load);
    expect(loads).toBe(2);
  });

  it('does not keep a read that was under way when this process logged the session out', async () => {
    const cache = new AccessCache();
    let release!: () => void;
    const slow = cache.session('h1', () => new Promise<CachedSession>((r) => (release = () => r(session()))));
    cache.forgetSessions({ tokenHash: 'h1' });
    release();
    await slow;
    // The next request must read again rather than use what the earlier read saw.
    expect(await cache.session('h1', async () => undefined)).toBeUndefined();
  });

  it('does not join a read that started before a change in this process', async () => {
    const cache = new AccessCache();
    let release!: () => void;
    const slow = cache.role('o1', 'u1', () => new Promise((r) => (release = () => r('admin'))));
    cache.forgetMembership('o1', 'u1');
    const after = cache.role('o1', 'u1', async () => 'member');
    release();
    expect(await slow).toBe('admin');
    expect(await after).toBe('member');
  });

  it('never serves an expired session, nor keeps an unknown one or a non-member', async () => {
    const cache = new AccessCache();
    await cache.session('h1', async () => session({ expiresAt: Date.now() - 1 }));
    let loads = 0;
    expect(await cache.session('h1', async () => (loads++, undefined))).toBeUndefined();
    expect(await cache.session('h1', async () => (loads++, undefined))).toBeUndefined();
    expect(loads).toBe(2);
    expect(await cache.role('o1', 'u2', async () => undefined)).toBeUndefined();
    expect(await cache.role('o1', 'u2', async () => 'member')).toBe('member');
  });

  it('forgets every session of a user but the one that changed the password', async () => {
    const cache = new AccessCache();
    await cache.session('keep', async () => session());
    await cache.session('drop', async () => session());
    await cache.session('someone-else', async () => session({ userId: 'u2' }));
    cache.forgetSessions({ userId: 'u1', except: 'keep' });
    const fresh = async () => session({ userId: 'fresh' });
    expect((await cache.session('keep', fresh))?.userId).toBe('u1');
    expect((await cache.session('drop', fresh))?.userId).toBe('fresh');
    expect((await cache.session('someone-else', fresh))?.userId).toBe('u2');
  });
});
