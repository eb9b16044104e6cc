import { describe, expect, it } from 'vitest';
import { bitbucketForTests } from './support/bitbucket-client.ts';
import { control, mintToken } from './support/sim.ts';

const { state, get } = bitbucketForTests();
const q = (expr: string) => encodeURIComponent(expr);
const ALL = 'state=OPEN&state=MERGED&state=DECLINED&pagelen=50';

async function allPullRequests(repo: string, query: string): Promise<any[]> {
  const out: any[] = [];
  let res = await get(`/repositories/acme/${repo}/pullrequests?${query}`);
  for (;;) {
    out.push(...res.body.values);
    if (!res.body.next) return out;
    res = await get(res.body.next);
  }
}

describe('Bitbucket filtering (q=) and sorting (sort=)', () => {
  it('filters pull requests with updated_on >= a time, inclusively, and sorts by updated_on', async () => {
    const everything = await allPullRequests('payments-service', `${ALL}&sort=updated_on`);
    expect(everything.length).toBeGreaterThan(10);
    const times = everything.map((p) => Date.parse(p.updated_on));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    const cut = everything[Math.floor(everything.length / 2)].updated_on as string;
    const since = await allPullRequests('payments-service', `${ALL}&q=${q(`updated_on >= "${cut}"`)}&sort=-updated_on`);
    const expected = everything.filter((p) => Date.parse(p.updated_on) >= Date.parse(cut)).map((p) => p.id);
    expect(since.map((p) => p.id).sort()).toEqual(expected.sort());
    expect(since.map((p) => Date.parse(p.updated_on))).toEqual([...since.map((p) => Date.parse(p.updated_on))].sort((a, b) => b - a));
  });

  it('combines comparisons with AND, OR and parentheses, and matches text with ~', async () => {
    const merged = await allPullRequests('payments-service', `${ALL}&q=${q('state = "MERGED" AND (title ~ "retry" OR title ~ "cache")')}`);
    expect(merged.length).toBeGreaterThan(0);
    for (const p of merged) {
      expect(p.state).toBe('MERGED');
      expect(p.title.toLowerCase()).toMatch(/retry|cache/);
    }
    const repos = await get(`/repositories/acme?q=${q('name ~ "pay" AND created_on < 2026-06-01')}`);
    expect(repos.body.values.map((r: any) => r.slug)).toEqual(expect.arrayContaining(['payments-service']));
    for (const r of repos.body.values) expect(r.name).toContain('pay');
  });

  it('answers an invalid query or sort field with 400 and the error body', async () => {
    const badQuery = await get(`/repositories/acme?q=${q('name = ')}`);
    expect(badQuery.status).toBe(400);
    expect(badQuery.body.type).toBe('error');
    const badField = await get(`/repositories/acme?q=${q('colour = "red"')}`);
    expect(badField.status).toBe(400);
    expect(badField.body.error.message).toMatch(/colour/);
    expect((await get('/repositories/acme?sort=colour')).status).toBe(400);
  });

  it('filters permissions by permission and lets admins filter members by email, adding only those emails', async () => {
    const owners = await get(`/workspaces/acme/permissions?q=${q('permission = "owner"')}`);
    expect(owners.body.values.length).toBeGreaterThan(0);
    for (const m of owners.body.values) expect(m.permission).toBe('owner');
    const users = await control<Array<{ id: string; email: string; role: string }>>(state.sims, 'GET', '/bitbucket/users');
    const wanted = users.slice(5, 8);
    const filter = q(`user.email IN (${wanted.map((u) => `"${u.email}"`).join(', ')})`);
    const found = await get(`/workspaces/acme/members?q=${filter}&fields=${q('+values.user.email')}`);
    expect(found.body.values.map((m: any) => m.user.uuid).sort()).toEqual(wanted.map((u) => u.id).sort());
    expect(found.body.values.map((m: any) => m.user.email).sort()).toEqual(wanted.map((u) => u.email).sort());
    const plain = await get('/workspaces/acme/members');
    for (const m of plain.body.values) expect(m.user).not.toHaveProperty('email');
    const member = users.find((u) => u.role === 'member')!;
    const memberToken = (await mintToken(state.sims, 'bitbucket', { user: member.id })).access_token;
    expect((await get(`/workspaces/acme/members?q=${filter}`, memberToken)).status).toBe(403);
  });
});
