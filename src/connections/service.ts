import { sql } from 'kysely';
import * as oauth from 'oauth4webapi';
import type { z } from 'zod';
import type { Connection, PersonalTokenRequest, ProviderSlug } from '../api/contracts/connections.ts';
import type { AppContext } from '../context.ts';
import { TallyError } from '../errors.ts';
import { TokenRejectedError } from '../http-client/errors.ts';
import { providerApi } from '../http-client/request.ts';
import { oauthErrorMessage, oauthParts } from '../oauth/client.ts';
import { providerList, providers } from '../providers/registry.ts';
import type { Account } from '../providers/types.ts';
import { audit } from '../store/queries/accounts.ts';
import { deleteSyncedData } from './synced-data.ts';
import { resolveProvider } from './provider-apps.ts';
import { saveConnection, type SaveResult } from './save.ts';
import { transition } from './status.ts';
import { accessContext, refreshContext } from '../oauth/contexts.ts';
import { connectionById } from './store.ts';

type Row = NonNullable<Awaited<ReturnType<typeof connectionById>>>;

export function connectionView(row: Row): Connection {
  return {
    id: row.id,
    provider: row.provider as ProviderSlug,
    status: row.status,
    statusReason: row.status_reason,
    method: row.method,
    account: (row.account as Account | null) ?? null,
    scopes: row.scopes,
    connectedAt: row.connected_at?.toISOString() ?? null,
    connectedBy: row.connected_by_name ? { id: row.connected_by_user_id, name: row.connected_by_name } : null,
    accessTokenExpiresAt: row.access_expires_at?.toISOString() ?? null,
    lastRefreshedAt: row.last_refreshed_at?.toISOString() ?? null,
  };
}

/** The Connections page: one card per provider, with its connection when there is one. */
export async function listCards(ctx: AppContext, organizationId: string) {
  const rows = await ctx.db.selectFrom('connections').selectAll().where('organization_id', '=', organizationId).execute();
  const cards = [];
  for (const definition of providerList) {
    const resolved = await resolveProvider(ctx, definition.slug);
    const row = rows.find((r) => r.provider === definition.slug);
    cards.push({
      provider: definition.slug,
      name: definition.name,
      description: definition.description,
      reads: definition.reads,
      scopes: definition.oauth.scopes,
      simulated: resolved.endpoints.simulated,
      oauthConfigured: resolved.client !== undefined,
      personalToken: { label: definition.personalToken.label, help: definition.personalToken.help },
      connection: row ? connectionView(row) : null,
    });
  }
  return cards;
}

/** Connects with a personal token: checked with the same call as OAuth, stored the same way, with the scopes it really grants. */
export async function connectWithPersonalToken(
  ctx: AppContext,
  organizationId: string,
  provider: ProviderSlug,
  userId: string,
  input: z.infer<typeof PersonalTokenRequest>,
): Promise<SaveResult> {
  const definition = providers[provider];
  const credentials = definition.personalToken.credentials({ token: input.token, email: input.email });
  if ('refused' in credentials) throw new TallyError('invalid_request', credentials.refused);
  const resolved = await resolveProvider(ctx, provider);
  const api = providerApi(resolved.endpoints.apiBaseUrl, credentials, definition.name);
  let account: Account;
  let scopes: string[];
  try {
    account = await definition.checkConnection(api);
    scopes = await definition.personalToken.probeScopes(api);
  } catch (error) {
    if (error instanceof TokenRejectedError) {
      throw new TallyError('invalid_request', `${definition.name} did not accept this ${definition.personalToken.label.toLowerCase()}: ${error.message}. Check that you pasted all of it and that it has not expired.`);
    }
    throw new TallyError('invalid_request', `Could not check the token with ${definition.name}: ${(error as Error).message}`);
  }
  // Basic credentials (Bitbucket API token + email) are stored as "email:token"; the engine rebuilds the header.
  const accessToken = credentials.type === 'bearer' ? credentials.token : `${credentials.username}:${credentials.password}`;
  return saveConnection(ctx, {
    organizationId,
    provider,
    method: 'personal_token',
    account,
    scopes,
    tokens: { accessToken, refreshToken: undefined },
    expiresInSeconds: undefined,
    connectedBy: { userId, name: undefined },
    replaceAccount: input.replaceAccount ?? false,
  });
}

/**
 * Disconnect: revoke the token at the provider where it has a revoke endpoint, delete the credentials,
 * stop syncing. The row stays (status disconnected) so history is kept; synced data is kept or deleted as
 * the admin chooses (synced-data.ts says what goes and what stays), in the same transaction as the status.
 */
export async function disconnect(ctx: AppContext, organizationId: string, connectionId: string, userId: string, deleteData: boolean) {
  const row = await connectionById(ctx.db, organizationId, connectionId);
  if (!row) throw new TallyError('not_found', 'That connection was not found.');
  if (row.status === 'disconnected') throw new TallyError('conflict', 'This connection is already disconnected. Connect it again from its card first.');
  let revoked: 'revoked' | 'not_supported' | 'failed' = 'not_supported';
  const resolved = await resolveProvider(ctx, row.provider as ProviderSlug);
  if (row.method === 'oauth' && resolved.endpoints.revokeUrl && resolved.client && row.access_token_enc) {
    const parts = oauthParts(resolved, resolved.client);
    try {
      const token = row.refresh_token_enc ? ctx.vault.decrypt(row.refresh_token_enc, refreshContext(row.id)) : ctx.vault.decrypt(row.access_token_enc, accessContext(row.id));
      await oauth.processRevocationResponse(await oauth.revocationRequest(parts.as, parts.client, parts.clientAuth, token, parts.options));
      revoked = 'revoked';
    } catch (error) {
      // Deleting our copy still matters when the provider cannot be reached; say so in the audit log.
      ctx.log.warn({ connectionId, reason: oauthErrorMessage(error) }, 'revocation at the provider failed');
      revoked = 'failed';
    }
  }
  // Every writer of the connection's data takes its row first (store.ts, sync_commit_page), as this does:
  // they wait for each other rather than deadlock.
  await ctx.db.transaction().execute(async (trx) => {
    if (deleteData) {
      // The organization's analytics lock before the connection's row: a recompute holds it while the rows
      // it writes check that row (foreign keys), so the other order could deadlock with one. And no
      // recompute reads the people directory while it changes.
      await sql`select pg_advisory_xact_lock(hashtext(${`analytics:${organizationId}`}))`.execute(trx);
    }
    // Deleting: `for update` waits for a sync page being committed and holds the next ones back until
    // this commits, after which they find the connection disconnected (migration 202611261100).
    const locked = trx.selectFrom('connections').select('status').where('id', '=', row.id);
    const current = await (deleteData ? locked.forUpdate() : locked.forNoKeyUpdate()).executeTakeFirstOrThrow();
    if (current.status === 'disconnected') throw new TallyError('conflict', 'This connection was disconnected meanwhile.');
    await trx
      .updateTable('connections')
      .set({
        status: transition(current.status, 'disconnected'),
        status_reason: null,
        access_token_enc: null,
        refresh_token_enc: null,
        access_expires_at: null,
        data_deleted_at: deleteData ? new Date() : null,
        updated_at: new Date(),
      })
      .where('id', '=', row.id)
      .execute();
    const deletedRows = deleteData ? await deleteSyncedData(trx, row) : undefined;
    await audit(trx, {
      organizationId,
      actorUserId: userId,
      action: 'connection.disconnected',
      target: row.id,
      details: { provider: row.provider, revokedAtProvider: revoked, deleteData, ...(deletedRows ? { deletedRows } : {}) },
    });
  });
  return { revoked };
}
