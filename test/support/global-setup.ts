import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { createLogger } from '../../src/log.ts';
import { connectDatabase } from '../../src/store/database.ts';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../../src/store/embedded.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { freePort } from './ports.ts';

export const TEMPLATE_DB = 'tally_test_template';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A server-level URL (any database on it) where test databases are created. */
    adminDatabaseUrl: string;
    databaseKind: 'embedded' | 'external';
  }
}

/**
 * One PostgreSQL for the whole run: the embedded one (under data/test), or the external server named by
 * TALLY_TEST_DATABASE_URL. A migrated template database is made once; each test file clones it.
 */
export default async function setup(project: TestProject) {
  const log = createLogger('warn');
  let embedded: EmbeddedPostgresHandle | undefined;
  let adminUrl = process.env.TALLY_TEST_DATABASE_URL;
  let dataDir: string | undefined;
  if (!adminUrl) {
    // A directory and a port of its own, so test runs side by side do not meet. As root the server runs
    // as `postgres`, which must be able to enter the directory.
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tally-test-pg-'));
    await fs.chmod(dataDir, 0o755);
    embedded = await startEmbeddedPostgres({ dataDir, port: await freePort(), log, database: 'postgres' });
    adminUrl = embedded.connectionString;
  }
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  // Leftovers of an interrupted run.
  const stale = await admin.query<{ datname: string }>(`select datname from pg_database where datname like 'tally_t_%' or datname = $1`, [TEMPLATE_DB]);
  for (const { datname } of stale.rows) await admin.query(`drop database if exists "${datname}" with (force)`);
  await admin.query(`create database ${TEMPLATE_DB}`);
  await admin.end();

  const template = connectDatabase(withDatabase(adminUrl, TEMPLATE_DB), log);
  await migrateToLatest(template.db, log);
  await template.close();

  project.provide('adminDatabaseUrl', adminUrl);
  project.provide('databaseKind', embedded ? 'embedded' : 'external');
  console.log(`tests use ${embedded ? 'the embedded PostgreSQL' : 'the external PostgreSQL'} (${os.cpus().length} cpus)`);

  return async () => {
    await embedded?.stop();
    if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
  };
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
