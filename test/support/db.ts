import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, inject } from 'vitest';
import { createLogger } from '../../src/log.ts';
import { connectDatabase, type DatabaseHandle } from '../../src/store/database.ts';
import { TEMPLATE_DB, withDatabase } from './global-setup.ts';

/**
 * A fresh, migrated database of its own for the calling test file (a clone of the template), dropped
 * after the file's tests. Real PostgreSQL, never a mock.
 */
export async function createTestDatabase(): Promise<{ url: string; handle: DatabaseHandle; name: string }> {
  const adminUrl = inject('adminDatabaseUrl');
  const name = `tally_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  // Cloning needs the template to have no other sessions; two files cloning at once can collide, so retry.
  for (let attempt = 0; ; attempt++) {
    try {
      await admin.query(`create database ${name} template ${TEMPLATE_DB}`);
      break;
    } catch (error) {
      if (attempt >= 20 || !/being accessed by other users/.test((error as Error).message)) throw error;
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
    }
  }
  await admin.end();
  const url = withDatabase(adminUrl, name);
  const handle = connectDatabase(url, createLogger('warn'));
  afterAll(async () => {
    await handle.close();
    const cleanup = new pg.Client({ connectionString: adminUrl });
    await cleanup.connect();
    await cleanup.query(`drop database if exists ${name} with (force)`);
    await cleanup.end();
  });
  return { url, handle, name };
}

export { withDatabase };
