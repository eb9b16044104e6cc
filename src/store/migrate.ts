import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Migrator, type Migration, type MigrationProvider } from 'kysely/migration';
import type { Logger } from '../log.ts';
import type { Database } from './database.ts';

const migrationsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

/**
 * Every `migrations/<yyyymmddhhmm>_<name>.ts`, in name order. Work merged from parallel branches can bring a
 * migration named before one a database already ran: it is applied then (unordered migrations allowed)
 * rather than refusing to start.
 */
const provider: MigrationProvider = {
  async getMigrations() {
    const files = (await fs.readdir(migrationsDir)).filter((f) => /^\d{12}_[a-z0-9_]+\.ts$/.test(f)).sort();
    const migrations: Record<string, Migration> = {};
    for (const file of files) {
      migrations[file.replace(/\.ts$/, '')] = (await import(pathToFileURL(path.join(migrationsDir, file)).href)) as Migration;
    }
    return migrations;
  },
};

/**
 * Brings the schema up to date. Kysely's migrator holds a transaction-scoped advisory lock while it runs,
 * so processes starting together wait for each other and only the first one applies anything.
 */
export async function migrateToLatest(db: Database, log: Logger): Promise<string[]> {
  const migrator = new Migrator({ db, provider, allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  const applied = (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  for (const name of applied) log.info({ migration: name }, 'applied migration');
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(`Database migration ${failed ?? ''} failed; nothing of it was applied.`, { cause: error });
  }
  return applied;
}

export async function pendingMigrations(db: Database): Promise<string[]> {
  const migrations = await new Migrator({ db, provider, allowUnorderedMigrations: true }).getMigrations();
  return migrations.filter((m) => !m.executedAt).map((m) => m.name);
}
