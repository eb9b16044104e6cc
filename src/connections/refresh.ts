import type { ProviderSlug } from '../api/contracts/connections.ts';
import type { AppContext } from '../context.ts';
import { TallyError } from '../errors.ts';
import { isDeadGrant, oauthErrorMessage, oauthParts } from '../oauth/client.ts';
import { providers } from '../providers/registry.ts';
import { accessContext, refreshContext } from '../oauth/contexts.ts';
import { announceNeedsReconnect, markNeedsReconnect } from './needs-reconnect.ts';
import { requireOAuthClient, resolveProvider } from './provider-apps.ts';
import { exchangeRefreshToken, TransientRefreshError, type RefreshBackoff } from './refresh-exchange.ts';
import { transition } from './status.ts';
import { encryptTokens } from './store.ts';

/** Refresh this long before expiry: 10% of the token's lifetime, at least 5 minutes. */
export function refreshMargin(provider: ProviderSlug): number {
  return Math.max(providers[provider].oauth.accessTokenLifetimeSeconds * 100, 5 * 60 * 1000);
}

/** An idle refresh token is exercised at least weekly, so none ages out (Bitbucket drops those unused for 3 months). */
export const KEEP_ALIVE_MS = 7 * 24 * 3600 * 1000;

export type RefreshOutcome = 'refreshed' | 'still_fresh' | 'needs_reconnect' | 'not_active';

const MINUTE_MS = 60_000;

/**
 * After `failures` passing failures in a row, the scheduled job leaves a connection alone this long after
 * the last: 5, 10, 20, 40, then 60 minutes. Each of its tries already retried with backoff, so a
 * provider that is down is asked a few times an hour, not a few times every five minutes.
 */
export function refreshRetryDelay(failures: number): number {
  return failures <= 0 ? 0 : Math.min(5 * MINUTE_MS * 2 ** (failures - 1), 60 * MINUTE_MS);
}
/** The job runs every 5 minutes and a failure is recorded seconds into a run: the run at the mark counts. */
const JOB_SLACK_MS = MINUTE_MS;

/**
 * Refreshes a connection's tokens. Refresh tokens rotate on use, so two refreshes at once would kill the
 * grant: the connection row is locked (SELECT ... FOR UPDATE) for the whole exchange, and every process on
 * every machine queues on that lock. Whoever gets it second re-reads the stored tokens under the lock and
 * finds them fresh (or different from the access token it saw rejected) and does nothing. The new refresh
 * token is saved in the same transaction. `invalid_grant` read under the lock is final: Reconnect needed.
 * A network error, timeout, 429 or 5xx is retried a few times with backoff, still under the lock; if it
 * persists, the status stays as it was, the failure is counted (the scheduled job backs off on it) and a
 * retryable error is thrown.
 */
export async function refreshConnection(
  ctx: AppContext,
  connectionId: string,
  options: { reason: 'due' | 'keep_alive' | 'rejected'; rejectedAccessToken?: string; backoff?: RefreshBackoff } = { reason: 'due' },
): Promise<RefreshOutcome> {
  let notice: { connection: { id: string; organization_id: string; provider: string }; reason: string } | undefined;
  let transient: { error: TransientRefreshError; providerName: string } | undefined;
  const outcome = await ctx.db.transaction().execute(async (trx): Promise<RefreshOutcome | 'failed'> => {
    const row = await trx.selectFrom('connections').selectAll().where('id', '=', connectionId).forUpdate().executeTakeFirst();
    if (!row || row.status !== 'active' || !row.refresh_token_enc) return 'not_active';
    const provider = row.provider as ProviderSlug;
    const now = Date.now();
    const expiresAt = row.access_expires_at?.getTime() ?? 0;
    if (options.reason === 'due' && expiresAt - now > refreshMargin(provider)) return 'still_fresh';
    if (options.reason === 'keep_alive' && now - (row.last_refreshed_at ?? row.connected_at ?? new Date(0)).getTime() < KEEP_ALIVE_MS) return 'still_fresh';
    if (options.reason === 'rejected' && options.rejectedAccessToken && row.access_token_enc) {
      const current = ctx.vault.decrypt(row.access_token_enc, accessContext(row.id));
      if (current !== options.rejectedAccessToken) return 'still_fresh'; // another process refreshed it meanwhile
    }
    // On the locked transaction's own connection: waiters each hold a pooled connection, so asking the pool
    // for another one here could wait for ever once as many refreshes queue as the pool has connections.
    const resolved = await resolveProvider({ ...ctx, db: trx }, provider);
    const parts = oauthParts(resolved, requireOAuthClient(resolved));
    const refreshToken = ctx.vault.decrypt(row.refresh_token_enc, refreshContext(row.id));
    let tokens;
    try {
      tokens = await exchangeRefreshToken(parts, refreshToken, options.backoff);
    } catch (error) {
      if (error instanceof TransientRefreshError) {
        // Committed with the transaction (nothing else changed): the job reads it to back off.
        await trx
          .updateTable('connections')
          .set({ refresh_failures: row.refresh_failures + 1, refresh_failed_at: new Date() })
          .where('id', '=', row.id)
          .execute();
        transient = { error, providerName: resolved.definition.name };
        return 'failed';
      }
      if (!isDeadGrant(error)) {
        throw new TallyError('internal', `Refreshing the ${resolved.definition.name} token failed (${oauthErrorMessage(error)}); it will be tried again.`, { cause: error, retryable: true });
      }
      const reason = `${resolved.definition.name} refused to renew access (${oauthErrorMessage(error)}): the grant was revoked or expired. Reconnect to resume syncing.`;
      await markNeedsReconnect(trx, row, reason, { action: 'connection.refresh_failed', details: { provider, error: oauthErrorMessage(error) } });
      notice = { connection: row, reason };
      return 'needs_reconnect';
    }
    await trx
      .updateTable('connections')
      .set({
        ...encryptTokens(ctx.vault, row.id, { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken ?? refreshToken }),
        status: transition(row.status, 'refreshed'),
        access_expires_at: new Date(Date.now() + (tokens.expiresIn ?? resolved.definition.oauth.accessTokenLifetimeSeconds) * 1000),
        refresh_token_issued_at: tokens.refreshToken ? new Date() : row.refresh_token_issued_at,
        last_refreshed_at: new Date(),
        refresh_failures: 0,
        refresh_failed_at: null,
        ...(tokens.scopes ? { scopes: tokens.scopes } : {}),
        updated_at: new Date(),
      })
      .where('id', '=', row.id)
      .execute();
    return 'refreshed';
  });
  if (notice) await announceNeedsReconnect(ctx, notice.connection, notice.reason);
  if (outcome === 'failed') {
    const { error, providerName } = transient!;
    throw new TallyError('internal', `Refreshing the ${providerName} token failed (${error.message}, after retries); it will be tried again.`, { cause: error, retryable: true });
  }
  return outcome;
}

/**
 * Connections whose token is near expiry or whose refresh token has been idle a week, for the scheduled job;
 * less those whose last refreshes failed for a passing reason until their wait is over (refreshRetryDelay).
 */
export async function connectionsDueForRefresh(ctx: AppContext): Promise<Array<{ id: string; reason: 'due' | 'keep_alive' }>> {
  const rows = await ctx.db
    .selectFrom('connections')
    .select(['id', 'provider', 'access_expires_at', 'last_refreshed_at', 'connected_at', 'refresh_failures', 'refresh_failed_at'])
    .where('status', '=', 'active')
    .where('refresh_token_enc', 'is not', null)
    .execute();
  const now = Date.now();
  const due: Array<{ id: string; reason: 'due' | 'keep_alive' }> = [];
  for (const r of rows) {
    if (r.refresh_failed_at && now < r.refresh_failed_at.getTime() + refreshRetryDelay(r.refresh_failures) - JOB_SLACK_MS) continue;
    if ((r.access_expires_at?.getTime() ?? 0) - now <= refreshMargin(r.provider as ProviderSlug)) due.push({ id: r.id, reason: 'due' });
    else if (now - (r.last_refreshed_at ?? r.connected_at ?? new Date(0)).getTime() >= KEEP_ALIVE_MS) due.push({ id: r.id, reason: 'keep_alive' });
  }
  return due;
}

/** The access token to call the provider with, refreshed first when it is about to expire. */
export async function accessTokenFor(ctx: AppContext, connectionId: string): Promise<string> {
  const read = () => ctx.db.selectFrom('connections').select(['id', 'status', 'access_token_enc', 'access_expires_at', 'provider', 'refresh_token_enc']).where('id', '=', connectionId).executeTakeFirstOrThrow();
  let row = await read();
  if (row.status !== 'active' || !row.access_token_enc) throw new TallyError('conflict', 'This connection needs to be reconnected before Tally can use it.');
  if (row.refresh_token_enc && (row.access_expires_at?.getTime() ?? 0) - Date.now() <= refreshMargin(row.provider as ProviderSlug)) {
    await refreshConnection(ctx, connectionId, { reason: 'due' });
    row = await read();
    if (row.status !== 'active' || !row.access_token_enc) throw new TallyError('conflict', 'This connection needs to be reconnected before Tally can use it.');
  }
  return ctx.vault.decrypt(row.access_token_enc, accessContext(row.id));
}
