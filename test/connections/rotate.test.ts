import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createVault } from '../../src/oauth/vault.ts';
import { rotateSecrets } from '../../src/oauth/rotate.ts';
import { accessContext, clientSecretContext, refreshContext, simulatedClientSecretContext } from '../../src/oauth/contexts.ts';
import { createTestDatabase } from '../support/db.ts';

const { handle } = await createTestDatabase();
const db = handle.db;

describe('tally keys rotate', () => {
  it('re-encrypts every token with the new key; the old key keeps working until then; running it again changes nothing', async () => {
    const oldKey = randomBytes(32);
    const oldVault = createVault(oldKey);
    const org = await db.insertInto('organizations').values({ name: 'A', slug: 'a' }).returning('id').executeTakeFirstOrThrow();
    const ids: string[] = [];
    for (const provider of ['digitalocean', 'bitbucket']) {
      const row = await db
        .insertInto('connections')
        .values({ organization_id: org.id, provider, status: 'active', method: 'oauth', account: null, scopes: [] })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db
        .updateTable('connections')
        .set({ access_token_enc: oldVault.encrypt(`access-${provider}`, accessContext(row.id)), refresh_token_enc: oldVault.encrypt(`refresh-${provider}`, refreshContext(row.id)) })
        .where('id', '=', row.id)
        .execute();
      ids.push(row.id);
    }
    await db.insertInto('provider_apps').values({ provider: 'bitbucket', client_id: 'cid', client_secret_enc: oldVault.encrypt('client-secret', clientSecretContext('bitbucket')) }).execute();
    // What a running `tally serve` published about its built-in simulators, for worker processes to read.
    await db
      .insertInto('simulated_providers')
      .values({ provider: 'digitalocean', endpoints: '{}', client_id: 'sim', client_secret_enc: oldVault.encrypt('sim-secret', simulatedClientSecretContext('digitalocean')) })
      .execute();

    const newKey = randomBytes(32);
    const newVault = createVault(newKey, [oldKey]);
    expect(await rotateSecrets(db, newVault)).toEqual({ reencrypted: 6, alreadyCurrent: 0 });
    const rows = await db.selectFrom('connections').selectAll().execute();
    for (const r of rows) {
      expect(newVault.keyIdOf(r.access_token_enc!)).toBe(newVault.currentKeyId);
      expect(newVault.keyIdOf(r.refresh_token_enc!)).toBe(newVault.currentKeyId);
      // The new key alone now reads everything: the old one can be dropped.
      const newOnly = createVault(newKey);
      expect(newOnly.decrypt(r.refresh_token_enc!, refreshContext(r.id))).toBe(`refresh-${r.provider}`);
      expect(newOnly.decrypt(r.access_token_enc!, accessContext(r.id))).toBe(`access-${r.provider}`);
    }
    const simulated = await db.selectFrom('simulated_providers').select('client_secret_enc').executeTakeFirstOrThrow();
    expect(createVault(newKey).decrypt(simulated.client_secret_enc, simulatedClientSecretContext('digitalocean'))).toBe('sim-secret');
    expect(await rotateSecrets(db, newVault)).toEqual({ reencrypted: 0, alreadyCurrent: 6 });
  });
});
