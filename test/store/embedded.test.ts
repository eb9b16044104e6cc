import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.ts';
import { startEmbeddedPostgres } from '../../src/store/embedded.ts';
import { freePort } from '../support/ports.ts';

const log = createLogger('warn');

async function query(url: string, text: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(text)).rows;
  } finally {
    await c.end();
  }
}

describe('the embedded PostgreSQL', () => {
  it('creates its data on the first start and reuses it on the next', async () => {
    const dataDir = path.resolve('data/test-embedded-reuse');
    await fs.rm(dataDir, { recursive: true, force: true });
    const port = await freePort();
    const first = await startEmbeddedPostgres({ dataDir, port, log });
    await query(first.connectionString, 'create table kept (v text); insert into kept values (\'still here\')');
    await first.stop();
    const second = await startEmbeddedPostgres({ dataDir, port, log });
    expect(await query(second.connectionString, 'select v from kept')).toEqual([{ v: 'still here' }]);
    await second.stop();
    expect((await fs.stat(path.join(dataDir, 'postgres.password'))).mode & 0o777).toBe(0o600);
    await fs.rm(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('starts after a crash left a stale postmaster.pid', async () => {
    const dataDir = path.resolve('data/test-embedded-stale');
    await fs.rm(dataDir, { recursive: true, force: true });
    const port = await freePort();
    const first = await startEmbeddedPostgres({ dataDir, port, log });
    await first.stop();
    // A pid that is not running, as after a power cut.
    await fs.writeFile(path.join(dataDir, 'postgres', 'postmaster.pid'), `999999\n${dataDir}/postgres\n1700000000\n${port}\n\n127.0.0.1\n`);
    const again = await startEmbeddedPostgres({ dataDir, port, log });
    expect(await query(again.connectionString, 'select 1 as ok')).toEqual([{ ok: 1 }]);
    await again.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('after tally is killed with SIGKILL, the next start stops the orphaned server and runs', async () => {
    const dataDir = path.resolve('data/test-embedded-orphan');
    await fs.rm(dataDir, { recursive: true, force: true });
    const [port, pgPort] = [await freePort(), await freePort()];
    const env = { ...process.env, TALLY_DATA_DIR: dataDir, TALLY_PORT: String(port), TALLY_EMBEDDED_PG_PORT: String(pgPort), TALLY_SIMULATORS: 'off', TALLY_LOG_LEVEL: 'info' };
    const startServe = () => {
      const child = spawn(process.execPath, ['bin/tally.js', 'serve'], { env });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (out += d));
      const ready = new Promise<void>((resolve, reject) => {
        const timer = setInterval(() => {
          if (out.includes('Tally is running at')) {
            clearInterval(timer);
            resolve();
          }
        }, 100);
        child.on('close', () => {
          clearInterval(timer);
          reject(new Error(`tally exited early:\n${out}`));
        });
      });
      return { child, ready, output: () => out };
    };
    const first = startServe();
    await first.ready;
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('close', r));
    const second = startServe();
    await second.ready;
    expect(second.output()).toMatch(/orphaned embedded PostgreSQL/);
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
    second.child.kill('SIGINT');
    const code = await new Promise((r) => second.child.once('close', r));
    expect(code).toBe(0);
    // Ctrl-C stopped Postgres too: nothing listens on its port any more.
    await expect(query(`postgres://x:y@127.0.0.1:${pgPort}/postgres`, 'select 1')).rejects.toThrow(/ECONNREFUSED/);
    await fs.rm(dataDir, { recursive: true, force: true });
  }, 90_000);
});
