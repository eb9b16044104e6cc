import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { routeTables, type RouteEntry } from '../../src/api/app.ts';
import { ApiClient } from '../support/api.ts';
import { setUpOrganization, startTestTally } from '../support/tally.ts';

const t = await startTestTally();
const { owner, orgId } = await setUpOrganization(t);
const routes: RouteEntry[] = routeTables.get(t.tally.app!)!;

// A member and an admin of the org, and the owner of a second org who is not in the first.
async function join(email: string, role: 'admin' | 'member'): Promise<{ client: ApiClient; id: string }> {
  const inv = await owner.post(`/api/orgs/${orgId}/invitations`, { email, role });
  const client = t.client();
  const res = await client.post(`/api/invitations/${inv.body.link.split('/invite/')[1]}/accept`, { name: email, password: 'a long password' });
  return { client, id: res.body.user.id };
}
const member = await join('member@example.com', 'member');
const admin = await join('admin@example.com', 'admin');
const outsiderOrg = await (async () => {
  const c = t.client();
  const inv = await owner.post(`/api/orgs/${orgId}/invitations`, { email: 'outsider@example.com', role: 'member' });
  await c.post(`/api/invitations/${inv.body.link.split('/invite/')[1]}/accept`, { name: 'Outsider', password: 'a long password' });
  const created = await c.post('/api/orgs', { name: 'Other Org' });
  const other = created.body.memberships.find((m: { organization: { name: string } }) => m.organization.name === 'Other Org').organization.id as string;
  await c.delete(`/api/orgs/${orgId}/members/${created.body.user.id}`); // leaves Acme: now only in Other Org
  return { client: c, orgId: other };
})();

const orgRoutes = routes.filter((r) => r.url.includes(':orgId'));
const fill = (url: string, org: string) => url.replace(':orgId', org).replace(/:[a-zA-Z]+/g, () => randomUUID());
const bodyFor = (method: string) => (method === 'GET' || method === 'DELETE' ? undefined : {});

describe('the route table', () => {
  it('covers every organization route of the OpenAPI document, and every API route has an access rule', async () => {
    const doc = (await owner.get('/api/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p.replace(/\{(\w+)\}/g, ':$1')}`));
    const known = routes.map((r) => `${r.method} ${r.url}`);
    expect(documented.filter((d) => !known.includes(d))).toEqual([]);
    expect(orgRoutes.length).toBeGreaterThanOrEqual(6);
    expect(routes.filter((r) => r.url.startsWith('/api/') && r.access === undefined)).toEqual([]);
  });
});

describe('role matrix: every organization route', () => {
  for (const route of orgRoutes) {
    it(`${route.method} ${route.url} (needs ${route.access})`, async () => {
      const url = fill(route.url, orgId);
      const anonymous = await t.client().request(route.method, url, bodyFor(route.method));
      expect(anonymous.status, 'anonymous').toBe(401);

      const asMember = await member.client.request(route.method, url, bodyFor(route.method));
      if (route.access === 'member') expect([401, 403], 'member may call it').not.toContain(asMember.status);
      else {
        expect(asMember.status, 'member is refused').toBe(403);
        expect(asMember.body.error.code).toBe('forbidden');
      }
      const asAdmin = await admin.client.request(route.method, url, bodyFor(route.method));
      if (route.access === 'owner') expect(asAdmin.status).toBe(403);
      else expect([401, 403]).not.toContain(asAdmin.status);
    });
  }
});

describe('organization isolation', () => {
  it('a user of another organization gets 404 for every route of this one, with real ids', async () => {
    const invitations = (await owner.get(`/api/orgs/${orgId}/invitations`)).body.items as Array<{ id: string }>;
    const realIds: Record<string, string> = { userId: member.id, invitationId: invitations[0]!.id };
    for (const route of orgRoutes) {
      const url = route.url.replace(':orgId', orgId).replace(/:([a-zA-Z]+)/g, (_, name: string) => realIds[name] ?? randomUUID());
      const res = await outsiderOrg.client.request(route.method, url, bodyFor(route.method));
      expect(res.status, `${route.method} ${url}`).toBe(404);
      expect(res.body.error.message).toBe('That organization was not found.');
    }
    // and nothing changed: the member is still there, the invitation still pending
    const members = (await owner.get(`/api/orgs/${orgId}/members`)).body.items as Array<{ userId: string; role: string }>;
    expect(members.find((m) => m.userId === member.id)?.role).toBe('member');
  });

  it('an organization id that is not a UUID is simply not found', async () => {
    expect((await owner.get('/api/orgs/not-a-uuid/members')).status).toBe(404);
  });
});

describe('CSRF', () => {
  it('every state-changing route rejects a request without the CSRF token', async () => {
    const changing = routes.filter((r) => !['GET', 'HEAD', 'OPTIONS'].includes(r.method));
    expect(changing.length).toBeGreaterThan(8);
    for (const route of changing) {
      owner.csrf = false;
      const res = await owner.request(route.method, fill(route.url, orgId), bodyFor(route.method));
      owner.csrf = true;
      expect(res.status, `${route.method} ${route.url}`).toBe(403);
      expect(res.body.error.code).toBe('csrf_failed');
    }
  });

  it('a CSRF header that does not match the cookie is rejected', async () => {
    const res = await owner.request('POST', `/api/orgs/${orgId}/invitations`, { email: 'x@example.com', role: 'member' }, { 'x-csrf-token': 'A'.repeat(43) });
    expect(res.status).toBe(403);
  });
});
