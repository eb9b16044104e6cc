import type { ProviderSlug } from '../api/contracts/connections.ts';
import { hashToken, newToken } from '../accounts/tokens.ts';
import type { AppContext } from '../context.ts';
import { TallyError } from '../errors.ts';
import { providers } from '../providers/registry.ts';
import { audit, findUserById } from '../store/queries/accounts.ts';
import { resolveProvider } from './provider-apps.ts';

export const CONNECT_INVITATION_TTL_MS = 7 * 24 * 3600 * 1000;

type Row = { id: string; provider: string; email: string; note: string | null; invited_by: string | null; invited_by_name: string; created_at: Date; expires_at: Date; used_at: Date | null; revoked_at: Date | null };

const view = (r: Row) => ({
  id: r.id,
  provider: r.provider as ProviderSlug,
  email: r.email,
  note: r.note,
  status: r.used_at ? ('used' as const) : r.revoked_at ? ('revoked' as const) : r.expires_at.getTime() <= Date.now() ? ('expired' as const) : ('pending' as const),
  invitedBy: { id: r.invited_by, name: r.invited_by_name },
  createdAt: r.created_at.toISOString(),
  expiresAt: r.expires_at.toISOString(),
});

/** A member (or an admin without access to the app) asks the app's admin to connect it, through a one-time link. */
export async function createConnectInvitation(ctx: AppContext, organizationId: string, userId: string, input: { provider: ProviderSlug; email: string; note?: string | undefined }) {
  const inviter = await findUserById(ctx.db, userId);
  const { token, hash } = newToken();
  const row = await ctx.db
    .insertInto('connect_invitations')
    .values({
      organization_id: organizationId,
      provider: input.provider,
      email: input.email,
      note: input.note || null,
      token_hash: hash,
      invited_by: userId,
      invited_by_name: inviter?.name ?? 'A member',
      expires_at: new Date(Date.now() + CONNECT_INVITATION_TTL_MS),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await audit(ctx.db, { organizationId, actorUserId: userId, action: 'connect_invitation.sent', target: row.id, details: { provider: input.provider, email: input.email } });
  const link = `${ctx.config.publicUrl}/connect-invite/${token}`;
  const org = await ctx.db.selectFrom('organizations').select('name').where('id', '=', organizationId).executeTakeFirstOrThrow();
  const name = providers[input.provider].name;
  const emailed = await ctx.mailer.send({
    to: input.email,
    subject: `${row.invited_by_name} asks you to connect ${name} to Tally`,
    text: `${row.invited_by_name} of ${org.name} asks you, as the ${name} admin, to connect ${name} to Tally (read-only access to usage and spend).${input.note ? `\n\n"${input.note}"` : ''}\n\nConnect: ${link}\n\nThe link works once and expires in 7 days.`,
  });
  return { invitation: view(row), link, emailed };
}

export async function listConnectInvitations(ctx: AppContext, organizationId: string) {
  const rows = await ctx.db.selectFrom('connect_invitations').selectAll().where('organization_id', '=', organizationId).orderBy('created_at', 'desc').limit(200).execute();
  return rows.map(view);
}

export async function revokeConnectInvitation(ctx: AppContext, organizationId: string, userId: string, id: string) {
  const res = await ctx.db
    .updateTable('connect_invitations')
    .set({ revoked_at: new Date() })
    .where('id', '=', id)
    .where('organization_id', '=', organizationId)
    .where('used_at', 'is', null)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) === 0) throw new TallyError('not_found', 'That invitation was not found or is no longer pending.');
  await audit(ctx.db, { organizationId, actorUserId: userId, action: 'connect_invitation.revoked', target: id });
}

/** The invitation behind a link, if it can still be used. */
export async function pendingConnectInvitation(ctx: AppContext, token: string) {
  const row = await ctx.db
    .selectFrom('connect_invitations as i')
    .innerJoin('organizations as o', 'o.id', 'i.organization_id')
    .selectAll('i')
    .select('o.name as organization_name')
    .where('i.token_hash', '=', hashToken(token))
    .executeTakeFirst();
  if (!row) throw new TallyError('not_found', 'This link is not valid. Ask the person who invited you for a new one.');
  if (row.used_at) throw new TallyError('gone', 'This link was already used: the app is connected.');
  if (row.revoked_at) throw new TallyError('gone', 'This invitation was revoked.');
  if (row.expires_at.getTime() <= Date.now()) throw new TallyError('gone', 'This invitation has expired. Ask for a new one.');
  return row;
}

export async function previewConnectInvitation(ctx: AppContext, token: string) {
  const row = await pendingConnectInvitation(ctx, token);
  const provider = row.provider as ProviderSlug;
  const resolved = await resolveProvider(ctx, provider);
  return {
    organization: { name: row.organization_name },
    provider,
    providerName: resolved.definition.name,
    scopes: resolved.definition.oauth.scopes,
    reads: resolved.definition.reads,
    invitedBy: row.invited_by_name,
    note: row.note,
    expiresAt: row.expires_at.toISOString(),
    simulated: resolved.endpoints.simulated,
  };
}
