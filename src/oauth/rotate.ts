import type { Database } from '../store/database.ts';
import { accessContext, clientSecretContext, refreshContext, simulatedClientSecretContext } from './contexts.ts';
import type { Vault } from './vault.ts';

/**
 * Re-encrypts every stored secret with the current key. Each row is re-read under a row lock and written
 * back in its own short transaction, so a refresh running meanwhile is never overwritten with stale
 * tokens, and an interrupted rotation can simply be run again.
 */
export async function rotateSecrets(db: Database, vault: Vault): Promise<{ reencrypted: number; alreadyCurrent: number }> {
  let reencrypted = 0;
  let alreadyCurrent = 0;
  const stale = (value: string | null) => value !== null && vault.keyIdOf(value) !== vault.currentKeyId;

  const connectionIds = await db.selectFrom('connections').select('id').execute();
  for (const { id } of connectionIds) {
    await db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('connections').select(['id', 'access_token_enc', 'refresh_token_enc']).where('id', '=', id).forUpdate().executeTakeFirst();
      if (!row) return;
      const update: { access_token_enc?: string; refresh_token_enc?: string } = {};
      if (row.access_token_enc && stale(row.access_token_enc)) {
        const context = accessContext(id);
        update.access_token_enc = vault.encrypt(vault.decrypt(row.access_token_enc, context), context);
      }
      if (row.refresh_token_enc && stale(row.refresh_token_enc)) {
        const context = refreshContext(id);
        update.refresh_token_enc = vault.encrypt(vault.decrypt(row.refresh_token_enc, context), context);
      }
      const changed = Object.keys(update).length;
      if (changed) await trx.updateTable('connections').set(update).where('id', '=', id).execute();
      reencrypted += changed;
      alreadyCurrent += [row.access_token_enc, row.refresh_token_enc].filter((v) => v && !stale(v)).length;
    });
  }

  const apps = await db.selectFrom('provider_apps').select(['provider', 'client_secret_enc']).execute();
  for (const app of apps) {
    if (!stale(app.client_secret_enc)) {
      alreadyCurrent++;
      continue;
    }
    const context = clientSecretContext(app.provider);
    await db.updateTable('provider_apps').set({ client_secret_enc: vault.encrypt(vault.decrypt(app.client_secret_enc, context), context) }).where('provider', '=', app.provider).execute();
    reencrypted++;
  }
  // The client secret Tally registered with its built-in simulators, which `tally worker` and `tally sync`
  // processes read: without this they could not decrypt it once the old key is dropped.
  const simulated = await db.selectFrom('simulated_providers').select(['provider', 'client_secret_enc']).execute();
  for (const s of simulated) {
    if (!stale(s.client_secret_enc)) {
      alreadyCurrent++;
      continue;
    }
    const context = simulatedClientSecretContext(s.provider);
    await db.updateTable('simulated_providers').set({ client_secret_enc: vault.encrypt(vault.decrypt(s.client_secret_enc, context), context) }).where('provider', '=', s.provider).execute();
    reencrypted++;
  }
  // Authorization requests in flight live 10 minutes; those with an old key are simply dropped.
  const requests = await db.selectFrom('oauth_requests').select(['state_hash', 'code_verifier_enc']).execute();
  const oldRequests = requests.filter((r) => stale(r.code_verifier_enc)).map((r) => r.state_hash);
  if (oldRequests.length) await db.deleteFrom('oauth_requests').where('state_hash', 'in', oldRequests).execute();
  return { reencrypted, alreadyCurrent };
}
