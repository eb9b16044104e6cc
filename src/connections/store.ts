import type { Account } from '../providers/types.ts';
import type { Database } from '../store/database.ts';
import type { Vault } from '../oauth/vault.ts';

/** Ciphertext contexts: a token encrypted for one connection and column decrypts nowhere else. */
export const accessContext = (id: string) => `connections.access_token:${id}`;
export const refreshContext = (id: string) => `connections.refresh_token:${id}`;

export type StoredTokens = { accessToken: string; refreshToken: string | undefined; expiresAt: Date | null; scopes: string[] };

export function encryptTokens(vault: Vault, id: string, tokens: { accessToken: string; refreshToken: string | undefined }) {
  return {
    access_token_enc: vault.encrypt(tokens.accessToken, accessContext(id)),
    refresh_token_enc: tokens.refreshToken ? vault.encrypt(tokens.refreshToken, refreshContext(id)) : null,
  };
}

export const findConnection = (db: Database, organizationId: string, provider: string) =>
  db.selectFrom('connections').selectAll().where('organization_id', '=', organizationId).where('provider', '=', provider).executeTakeFirst();

export const connectionById = (db: Database, organizationId: string, id: string) =>
  db.selectFrom('connections').selectAll().where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst();

export const accountJson = (account: Account) => JSON.stringify(account);
