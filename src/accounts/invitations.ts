import type { Invitation } from '../api/contracts/accounts.ts';
import type { AppContext } from '../context.ts';
import { TallyError } from '../errors.ts';
import type { Database } from '../store/database.ts';
import { audit, findUserByEmail, findUserById, insertMembership, insertUser } from '../store/queries/accounts.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import { hashToken, newToken } from './tokens.ts';

export const INVITATION_TTL_MS = 7 * 24 * 3600 * 1000;

type Row = {
  id: string;
  email: string;
  role: 'admin' | 'member';
  created_at: Date;
  expires_at: Date;
  accepted_at: Date | null;
  revoked_at: Date | null;
  inviter_id: string | null;
  inviter_name: string | null;
};

const statusOf = (r: Row): Invitation['status'] =>
  r.accepted_at ? 'accepted' : r.revoked_at ? 'revoked' : r.expires_at.getTime() <= Date.now() ? 'expired' : 'pending';

const view = (r: Row): Invitation => ({
  id: r.id,
  email: r.email,
  role: r.role,
  status: statusOf(r),
  invitedBy: r.inviter_id ? { id: r.inviter_id, name: r.inviter_name ?? '' } : null,
  createdAt: r.created_at.toISOString(),
  expiresAt: r.expires_at.toISOString(),
});

const selectInvitations = (db: Database) =>
  db
    .selectFrom('invitations as i')
    .leftJoin('users as u', 'u.id', 'i.invited_by')
    .select(['i.id', 'i.email', 'i.role', 'i.created_at', 'i.expires_at', 'i.accepted_at', 'i.revoked_at', 'u.id as inviter_id', 'u.name as inviter_name']);

export async function listInvitations(db: Database, organizationId: string): Promise<Invitation[]> {
  const rows = await selectInvitations(db).where('i.organization_id', '=', organizationId).orderBy('i.created_at', 'desc').limit(200).execute();
  return rows.map(view);
}

export async function createInvitation(
  ctx: AppContext,
  organizationId: string,
  inviterId: string,
  input: { email: string; role: 'admin' | 'member' },
): Promise<{ invitation: Invitation; link: string; emailed: boolean }> {
  const { db } = ctx;
  const existing = await findUserByEmail(db, input.email);
  if (existing) {
    const member = await db.selectFrom('memberships').select('role').where('organization_id', '=', organizationId).where('user_id', '=', existing.id).executeTakeFirst();
    if (member) throw new TallyError('conflict', `${input.email} is already a member of this organization.`);
  }
  const { token, hash } = newToken();
  const row = await db
    .insertInto('invitations')
    .values({ organization_id: organizationId, email: input.email, role: input.role, token_hash: hash, invited_by: inviterId, expires_at: new Date(Date.now() + INVITATION_TTL_MS) })
    .returning('id')
    .executeTakeFirstOrThrow();
  await audit(db, { organizationId, actorUserId: inviterId, action: 'invitation.sent', target: row.id, details: { email: input.email, role: input.role } });
  const invitation = view((await selectInvitations(db).where('i.id', '=', row.id).executeTakeFirstOrThrow()) as Row);
  const link = `${ctx.config.publicUrl}/invite/${token}`;
  const [org, inviter] = await Promise.all([
    db.selectFrom('organizations').select('name').where('id', '=', organizationId).executeTakeFirstOrThrow(),
    findUserById(db, inviterId),
  ]);
  const emailed = await ctx.mailer.send({
    to: input.email,
    subject: `${inviter?.name ?? 'Someone'} invited you to ${org.name} on Tally`,
    text: `${inviter?.name ?? 'Someone'} invited you to join ${org.name} on Tally as ${input.role}.\n\nAccept the invitation: ${link}\n\nThe link works once and expires in 7 days.`,
  });
  return { invitation, link, emailed };
}

export async function revokeInvitation(db: Database, organizationId: string, actorId: string, invitationId: string): Promise<void> {
  const result = await db
    .updateTable('invitations')
    .set({ revoked_at: new Date() })
    .where('id', '=', invitationId)
    .where('organization_id', '=', organizationId)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw new TallyError('not_found', 'That invitation was not found or is no longer pending.');
  await audit(db, { organizationId, actorUserId: actorId, action: 'invitation.revoked', target: invitationId });
}

async function pendingByToken(db: Database, token: string) {
  const row = await db
    .selectFrom('invitations as i')
    .innerJoin('organizations as o', 'o.id', 'i.organization_id')
    .select(['i.id', 'i.organization_id', 'i.email', 'i.role', 'i.expires_at', 'i.accepted_at', 'i.revoked_at', 'o.name as organization_name'])
    .where('i.token_hash', '=', hashToken(token))
    .executeTakeFirst();
  if (!row) throw new TallyError('not_found', 'This invitation link is not valid. Ask for a new invitation.');
  if (row.accepted_at) throw new TallyError('gone', 'This invitation was already used. Log in, or ask for a new invitation.');
  if (row.revoked_at) throw new TallyError('gone', 'This invitation was revoked. Ask an admin of the organization for a new one.');
  if (row.expires_at.getTime() <= Date.now()) throw new TallyError('gone', 'This invitation has expired. Ask an admin of the organization for a new one.');
  return row;
}

export async function previewInvitation(db: Database, token: string) {
  const row = await pendingByToken(db, token);
  return {
    organization: { name: row.organization_name },
    email: row.email,
    role: row.role,
    expiresAt: row.expires_at.toISOString(),
    accountExists: (await findUserByEmail(db, row.email)) !== undefined,
  };
}

/**
 * Accepts an invitation: a new account is created with the invited email, or an existing one proves
 * itself with its password (or is already logged in). The invitation is claimed in the same transaction
 * that adds the membership, so a link works exactly once.
 */
export async function acceptInvitation(
  db: Database,
  token: string,
  input: { name?: string | undefined; password?: string | undefined },
  sessionUserId: string | undefined,
): Promise<{ userId: string; organizationId: string }> {
  const invitation = await pendingByToken(db, token);
  const existing = await findUserByEmail(db, invitation.email);
  let newAccount: { name: string; passwordHash: string } | undefined;
  if (existing) {
    const loggedInAsInvitee = sessionUserId === existing.id;
    if (!loggedInAsInvitee && !(input.password && (await verifyPassword(input.password, existing.password_hash)))) {
      throw new TallyError('invalid_credentials', `Enter the password of your Tally account ${invitation.email} to accept.`);
    }
  } else {
    if (!input.name || !input.password || input.password.length < 10) {
      throw new TallyError('invalid_request', 'Enter your name and a password of at least 10 characters to create your account.');
    }
    newAccount = { name: input.name, passwordHash: await hashPassword(input.password) };
  }
  return db.transaction().execute(async (trx) => {
    const claimed = await trx
      .updateTable('invitations')
      .set({ accepted_at: new Date() })
      .where('id', '=', invitation.id)
      .where('accepted_at', 'is', null)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) === 0) throw new TallyError('gone', 'This invitation was already used.');
    const userId = existing?.id ?? (await insertUser(trx, { email: invitation.email, ...newAccount! })).id;
    await trx.updateTable('invitations').set({ accepted_by: userId }).where('id', '=', invitation.id).execute();
    await insertMembership(trx, { organizationId: invitation.organization_id, userId, role: invitation.role });
    await audit(trx, { organizationId: invitation.organization_id, actorUserId: userId, action: 'invitation.accepted', target: invitation.id });
    return { userId, organizationId: invitation.organization_id };
  });
}
