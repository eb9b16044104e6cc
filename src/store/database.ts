import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Logger } from '../log.ts';
import type { DB } from './schema.ts';

// int8 (counts, bigserial ids) as numbers: Tally's counts stay far below 2^53. numeric stays a string (exact money).
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
// date (a calendar day) stays 'YYYY-MM-DD': turning it into a JS Date would shift it by the time zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);

export type Database = Kysely<DB>;

export type DatabaseHandle = { db: Database; pool: pg.Pool; close(): Promise<void> };

export function connectDatabase(
  connectionString: string,
  log: Logger,
  options: { max?: number; stopping?: () => boolean } = {},
): DatabaseHandle {
  const pool = new pg.Pool({ connectionString, max: options.max ?? 10, connectionTimeoutMillis: 10_000 });
  // An idle client losing its server (Postgres restarted) must not crash the process; the pool replaces it.
  pool.on('error', (error) => {
    // While Tally stops, Ctrl-C reaches Postgres too and it closes idle connections: expected, not a warning.
    const level = options.stopping?.() ? 'debug' : 'warn';
    log[level]({ err: { message: error.message } }, 'database connection lost; the pool will reconnect');
  });
  // The pool only listens to idle clients: a connection lost while checked out (between two queries of a
  // transaction) would otherwise be an uncaught 'error' event that ends the process. The query fails instead.
  pool.on('connect', (client) => {
    client.on('error', (error) => {
      log[options.stopping?.() ? 'debug' : 'warn']({ err: { message: error.message } }, 'database connection lost while in use; its query fails and the pool reconnects');
    });
  });
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    pool,
    async close() {
      await db.destroy();
    },
  };
}

/** Describes where the database is without its password, for logs and errors. */
export function describeDatabase(connectionString: string): string {
  try {
    const u = new URL(connectionString);
    return `${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return 'the configured database';
  }
}
