import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { PgBoss } from 'pg-boss';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../support/db.ts';

/**
 * `tally worker` as a deployment runs it: its own process, jobs only, against a shared PostgreSQL. The
 * trivial scheduled job (removing expired sessions) proves the wiring: schedules are registered, and a
 * queued job runs in the worker.
 */
const { url } = await createTestDatabase();
const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tally-worker-'));
let output = '';
const worker = spawn(process.execPath, ['bin/tally.js', 'worker'], {
  env: { ...process.env, DATABASE_URL: url, TALLY_DATA_DIR: dataDir, TALLY_SIMULATORS: 'off', TALLY_SYNC_SCHEDULES: 'off', TALLY_LOG_LEVEL: 'info' },
});
worker.stdout.on('data', (d) => (output += d));
worker.stderr.on('data', (d) => (output += d));
const exited = new Promise<number | null>((resolve) => worker.on('close', resolve));
afterAll(async () => {
  worker.kill('SIGTERM');
  await exited;
  await fs.rm(dataDir, { recursive: true, force: true });
});

const db = new pg.Client({ connectionString: url });
await db.connect();
afterAll(() => db.end());

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms; the worker wrote:\n${output}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('tally worker', () => {
  it('migrates, says it runs, registers the cron schedules and serves no HTTP', async () => {
    await until('the worker start', async () => (output.includes('Tally worker is running') ? true : undefined));
    expect(output).not.toMatch(/Tally is running at/);
    const schedules = (await db.query<{ name: string; cron: string }>('select name, cron from pgboss.schedule order by name')).rows;
    expect(schedules).toEqual(expect.arrayContaining([
      { name: 'accounts.cleanup-sessions', cron: '*/15 * * * *' },
      { name: 'connections.refresh-tokens', cron: '*/5 * * * *' },
    ]));
  });

  it('runs a queued cleanup job: expired sessions go, live ones stay', async () => {
    const user = (await db.query<{ id: string }>(`insert into users (email, name, password_hash) values ('w@example.com', 'W', 'x') returning id`)).rows[0]!;
    const session = (hash: string, expiresInMs: number) =>
      db.query(`insert into sessions (token_hash, user_id, expires_at) values ($1, $2, now() + make_interval(secs => $3))`, [hash, user.id, expiresInMs / 1000]);
    await session('expired-session-hash', -60_000);
    await session('live-session-hash', 3600_000);
    const boss = new PgBoss({ connectionString: url, schema: 'pgboss' });
    await boss.start();
    try {
      await boss.send('accounts.cleanup-sessions', {});
    } finally {
      await boss.stop({ graceful: false });
    }
    await until('the cleanup', async () => ((await db.query(`select 1 from sessions where token_hash = 'expired-session-hash'`)).rowCount === 0 ? true : undefined));
    expect((await db.query(`select token_hash from sessions`)).rows).toEqual([{ token_hash: 'live-session-hash' }]);
  });

  it('stops cleanly on SIGTERM', async () => {
    worker.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
