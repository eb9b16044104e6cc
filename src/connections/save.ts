import type { ProviderSlug } from '../api/contracts/connections.ts';
import type { AppContext } from '../context.ts';
import { providers } from '../providers/registry.ts';
import type { Account } from '../providers/types.ts';
import { audit, findUserById } from '../store/queries/accounts.ts';
import { requestCompleteSync } from '../sync/schedule.ts';
import { notifyAdmins } from './notify.ts';
import { transition } from './status.ts';
import { accountJson, encryptTokens } from './store.ts';

export type NewCredentials = {
  organizationId: string;
  provider: ProviderSlug;
  method: 'oauth' | 'personal_token';
  account: Account;
  scopes: string[];
  tokens: { accessToken: string; refreshToken: string | undefined };
  expiresInSeconds: number | undefined;
  connectedBy: { userId: string | null; name: string | undefined };
  replaceAccount: boolean;
  connectInvitationId?: string | undefined;
};

export type SaveResult =
  | { result: 'connected' | 'reconnected'; connectionId: string }
  | { result: 'account_mismatch'; existingAccount: string | undefined };

/**
 * Stores checked credentials. Reconnect keeps the connection (its id, history and synced data). If the
 * provider account on the other side differs from the connected one, nothing changes until the admin
 * confirms replacing it.
 */
export async function saveConnection(ctx: AppContext, c: NewCredentials): Promise<SaveResult> {
  const byName = c.connectedBy.name ?? (c.connectedBy.userId ? (await findUserById(ctx.db, c.connectedBy.userId))?.name : undefined) ?? 'unknown';
  const outcome = await ctx.db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('connections')
      .selectAll()
      .where('organization_id', '=', c.organizationId)
      .where('provider', '=', c.provider)
      .forUpdate()
      .executeTakeFirst();
    const live = existing && existing.status !== 'disconnected';
    if (live && existing.external_account_id && existing.external_account_id !== c.account.uuid && !c.replaceAccount) {
      return { result: 'account_mismatch' as const, existingAccount: (existing.account as Account | null)?.name };
    }
    const status = transition(existing?.status ?? null, 'connected');
    const now = new Date();
    const fields = {
      status,
      status_reason: null,
      method: c.method,
      account: accountJson(c.account),
      external_account_id: c.account.uuid,
      scopes: c.scopes,
      access_expires_at: c.expiresInSeconds ? new Date(now.getTime() + c.expiresInSeconds * 1000) : null,
      refresh_token_issued_at: c.tokens.refreshToken ? now : null,
      last_refreshed_at: null,
      // New tokens: earlier refresh failures (and the job's wait after them) no longer apply.
      refresh_failures: 0,
      refresh_failed_at: null,
      connected_at: now,
      connected_by_user_id: c.connectedBy.userId,
      connected_by_name: byName,
      updated_at: now,
    };
    let id = existing?.id;
    if (!id) {
      id = (await trx.insertInto('connections').values({ organization_id: c.organizationId, provider: c.provider, ...fields }).returning('id').executeTakeFirstOrThrow()).id;
    }
    await trx.updateTable('connections').set({ ...fields, ...encryptTokens(ctx.vault, id, c.tokens) }).where('id', '=', id).execute();
    if (c.connectInvitationId) {
      await trx.updateTable('connect_invitations').set({ used_at: now }).where('id', '=', c.connectInvitationId).execute();
      await audit(trx, { organizationId: c.organizationId, actorUserId: null, action: 'connect_invitation.used', target: c.connectInvitationId, details: { provider: c.provider, by: byName } });
    }
    // Reconnect means the same live connection got fresh credentials; after a Disconnect the row is reused
    // (history kept) but, from the admin's point of view, the app is simply connected again.
    const reconnect = live === true;
    await audit(trx, {
      organizationId: c.organizationId,
      actorUserId: c.connectedBy.userId,
      action: reconnect ? 'connection.reconnected' : 'connection.connected',
      target: id,
      details: { provider: c.provider, method: c.method, account: c.account.name, by: byName, previousStatus: existing?.status ?? null, replacedAccount: live && existing.external_account_id !== c.account.uuid },
    });
    return { result: reconnect ? ('reconnected' as const) : ('connected' as const), connectionId: id, recovered: existing?.status === 'needs_reconnect' };
  });
  if (outcome.result !== 'account_mismatch' && outcome.recovered) {
    await notifyAdmins(ctx, c.organizationId, {
      event: 'connection.recovered',
      provider: c.provider,
      connectionId: outcome.connectionId,
      subject: `${providers[c.provider].name} is connected again`,
      text: `${byName} reconnected ${c.account.name}. Syncing resumes.`,
    });
  }
  if (outcome.result === 'account_mismatch') return outcome;
  await syncAtOnce(ctx, outcome.connectionId, outcome.result === 'reconnected' ? 'reconnect' : 'connect');
  return { result: outcome.result, connectionId: outcome.connectionId };
}

/**
 * A connection made or renewed syncs at once rather than at the scheduler's next tick, so its first figures
 * come within seconds. With TALLY_SYNC_SCHEDULES=off (maintenance, tests) Tally starts no sync by itself,
 * this one included.
 */
async function syncAtOnce(ctx: AppContext, connectionId: string, trigger: 'connect' | 'reconnect'): Promise<void> {
  if (!ctx.config.syncSchedules || !ctx.queue) return;
  try {
    await requestCompleteSync(ctx, connectionId, trigger);
  } catch (error) {
    // The connection is saved and the admin is told so; the scheduler queues its sync at its next tick.
    ctx.log.warn({ connectionId, err: { message: (error as Error).message } }, 'could not queue the first sync; the scheduler will start it within a minute');
  }
}
