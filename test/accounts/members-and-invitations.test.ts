import { describe, expect, it } from 'vitest';
import { setUpOrganization, startTestTally } from '../support/tally.ts';

const t = await startTestTally();
const { owner, orgId } = await setUpOrganization(t);
const tokenOf = (link: string) => link.split('/invite/')[1]!;

async function invite(email: string, role: 'admin' | 'member' = 'member') {
  const res = await owner.post(`/api/orgs/${orgId}/invitations`, { email, role });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { invitation: { id: string; status: string }; link: string; emailed: boolean };
}

describe('inviting members', () => {
  it('an admin invites by email; the invitee creates an account through the link and is logged in', async () => {
    const { link, invitation, emailed } = await invite('mia@example.com');
    expect(invitation.status).toBe('pending');
    expect(emailed).toBe(false); // no SMTP configured
    expect(link).toMatch(new RegExp(`^${t.baseUrl}/invite/[A-Za-z0-9_-]{43}$`));
    const invitee = t.client();
    const preview = await invitee.get(`/api/invitations/${tokenOf(link)}`);
    expect(preview.body).toMatchObject({ organization: { name: 'Acme Inc' }, email: 'mia@example.com', role: 'member', accountExists: false });
    const accepted = await invitee.post(`/api/invitations/${tokenOf(link)}/accept`, { name: 'Mia Member', password: 'mia password 123' });
    expect(accepted.status).toBe(200);
    expect(accepted.body.memberships).toEqual([expect.objectContaining({ role: 'member' })]);
    expect((await invitee.get('/api/me')).body.user.name).toBe('Mia Member');
    const members = (await owner.get(`/api/orgs/${orgId}/members`)).body.items;
    expect(members.map((m: { email: string }) => m.email).sort()).toEqual(['mia@example.com', 'owner@example.com']);
  });

  it('a link works once', async () => {
    const { link } = await invite('once@example.com');
    expect((await t.client().post(`/api/invitations/${tokenOf(link)}/accept`, { name: 'Once', password: 'once password 123' })).status).toBe(200);
    const again = await t.client().post(`/api/invitations/${tokenOf(link)}/accept`, { name: 'Twice', password: 'twice password 123' });
    expect(again.status).toBe(410);
    expect(again.body.error.message).toMatch(/already used/);
  });

  it('an expired link is refused', async () => {
    const { link, invitation } = await invite('late@example.com');
    await t.tally.ctx.db.updateTable('invitations').set({ expires_at: new Date(Date.now() - 1000) }).where('id', '=', invitation.id).execute();
    const res = await t.client().get(`/api/invitations/${tokenOf(link)}`);
    expect(res.status).toBe(410);
    expect(res.body.error.message).toMatch(/expired/);
    const list = (await owner.get(`/api/orgs/${orgId}/invitations`)).body.items;
    expect(list.find((i: { id: string }) => i.id === invitation.id).status).toBe('expired');
  });

  it('a revoked link is refused', async () => {
    const { link, invitation } = await invite('revoked@example.com');
    expect((await owner.delete(`/api/orgs/${orgId}/invitations/${invitation.id}`)).status).toBe(200);
    const res = await t.client().post(`/api/invitations/${tokenOf(link)}/accept`, { name: 'R', password: 'revoked password 1' });
    expect(res.status).toBe(410);
    expect(res.body.error.message).toMatch(/revoked/);
  });

  it('an existing account accepts with its password', async () => {
    const other = await t.client().post('/api/orgs', {}); // anonymous: must log in
    expect(other.status).toBe(401);
    const { link } = await invite('owner2@example.com', 'admin');
    await t.client().post(`/api/invitations/${tokenOf(link)}/accept`, { name: 'Second', password: 'second password 1' });
    // the same person is invited to another org and accepts with the password of the existing account
    const second = t.client();
    await second.post('/api/auth/login', { email: 'owner2@example.com', password: 'second password 1' });
    const created = await second.post('/api/orgs', { name: 'Beta Org' });
    expect(created.status).toBe(201);
    const betaId = created.body.memberships.find((m: { organization: { name: string } }) => m.organization.name === 'Beta Org').organization.id;
    const inv = await second.post(`/api/orgs/${betaId}/invitations`, { email: 'mia@example.com', role: 'member' });
    const wrong = await t.client().post(`/api/invitations/${tokenOf(inv.body.link)}/accept`, { password: 'not mias password' });
    expect(wrong.status).toBe(401);
    const right = await t.client().post(`/api/invitations/${tokenOf(inv.body.link)}/accept`, { password: 'mia password 123' });
    expect(right.status).toBe(200);
    expect(right.body.memberships).toHaveLength(2);
  });

  it('does not invite someone who is already a member', async () => {
    const res = await owner.post(`/api/orgs/${orgId}/invitations`, { email: 'mia@example.com', role: 'member' });
    expect(res.status).toBe(409);
  });
});

describe('roles and leaving', () => {
  it('a member cannot invite, and sees a message saying who can', async () => {
    const mia = t.client();
    await mia.post('/api/auth/login', { email: 'mia@example.com', password: 'mia password 123' });
    const res = await mia.post(`/api/orgs/${orgId}/invitations`, { email: 'x@example.com', role: 'member' });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/admin role/);
  });

  it('the last owner cannot leave or be demoted; once there is another owner they can', async () => {
    const me = (await owner.get('/api/me')).body.user.id;
    const leave = await owner.delete(`/api/orgs/${orgId}/members/${me}`);
    expect(leave.status).toBe(409);
    expect(leave.body.error.code).toBe('last_owner');
    expect((await owner.patch(`/api/orgs/${orgId}/members/${me}`, { role: 'admin' })).status).toBe(409);
    const members = (await owner.get(`/api/orgs/${orgId}/members`)).body.items as Array<{ userId: string; email: string }>;
    const second = members.find((m) => m.email === 'owner2@example.com')!;
    expect((await owner.patch(`/api/orgs/${orgId}/members/${second.userId}`, { role: 'owner' })).status).toBe(200);
    expect((await owner.patch(`/api/orgs/${orgId}/members/${me}`, { role: 'admin' })).status).toBe(200);
    // and back, done by the other owner
    const other = t.client();
    await other.post('/api/auth/login', { email: 'owner2@example.com', password: 'second password 1' });
    expect((await other.patch(`/api/orgs/${orgId}/members/${me}`, { role: 'owner' })).status).toBe(200);
  });

  it('an admin cannot make someone an owner', async () => {
    const { link } = await invite('adam@example.com', 'admin');
    const adam = t.client();
    await adam.post(`/api/invitations/${tokenOf(link)}/accept`, { name: 'Adam Admin', password: 'adam password 1' });
    const mia = ((await owner.get(`/api/orgs/${orgId}/members`)).body.items as Array<{ userId: string; email: string }>).find((m) => m.email === 'mia@example.com')!;
    const res = await adam.patch(`/api/orgs/${orgId}/members/${mia.userId}`, { role: 'owner' });
    expect(res.status).toBe(403);
    expect((await adam.patch(`/api/orgs/${orgId}/members/${mia.userId}`, { role: 'admin' })).status).toBe(200);
    expect((await adam.patch(`/api/orgs/${orgId}/members/${mia.userId}`, { role: 'member' })).status).toBe(200);
  });

  it('a member can leave', async () => {
    const mia = t.client();
    const me = (await mia.post('/api/auth/login', { email: 'mia@example.com', password: 'mia password 123' })).body.user.id;
    expect((await mia.delete(`/api/orgs/${orgId}/members/${me}`)).status).toBe(200);
    expect((await mia.get(`/api/orgs/${orgId}/members`)).status).toBe(404);
  });

  it('records what happened in the audit log', async () => {
    const actions = (await t.tally.ctx.db.selectFrom('audit_log').select('action').where('organization_id', '=', orgId).execute()).map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(['setup.completed', 'invitation.sent', 'invitation.accepted', 'invitation.revoked', 'member.role_changed', 'member.left']));
  });
});
