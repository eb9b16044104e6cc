import type { Account } from '../providers/types.ts';
import type { Database } from '../store/database.ts';
import { accessContext, refreshContext } from '../oauth/contexts.ts';
import type { Vault } from '../oauth/vault.ts';

export function encryptTokens(vault: Vault, id: string, tokens: { accessToken: string; refreshToken: string | undefined }) {
  return {
    access_token_enc: vault.encrypt(tokens.accessToken, accessContext(id)),
    refresh_token_enc: tokens.refreshToken ? vault.encrypt(tokens.refreshToken, refreshContext(id)) : null,
  };
}

export const connectionById = (db: Database, organizationId: string, id: string) =>
  db.selectFrom('connections').selectAll().where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst();

export const accountJson = (account: Account) => JSON.stringify(account);
