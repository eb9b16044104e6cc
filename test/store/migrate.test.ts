import { spawn } from 'node:child_process';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { withDatabase } from '../support/db.ts';

function runMigrate(databaseUrl: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/tally.js', 'migrate'], { env: { ...process.env, DATABASE_URL: databaseUrl, TALLY_LOG_LEVEL: 'info' } });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('migrations', () => {
  it('two processes starting together on an empty database migrate it exactly once', async () => {
    const adminUrl = inject('adminDatabaseUrl');
    const name = `tally_t_migrate_${Date.now()}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    try {
      const url = withDatabase(adminUrl, name);
      const [a, b] = await Promise.all([runMigrate(url), runMigrate(url)]);
      expect(a.code, a.output).toBe(0);
      expect(b.code, b.output).toBe(0);
      const applied = (a.output + b.output).match(/"applied migration"/g) ?? [];
      const db = new pg.Client({ connectionString: url });
      await db.connect();
      const rows = await db.query('select name from kysely_migration');
      await db.end();
      expect(applied.length).toBe(rows.rowCount); // each migration applied by one process only
      expect(rows.rowCount).toBeGreaterThan(0);
    } finally {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  });
});
