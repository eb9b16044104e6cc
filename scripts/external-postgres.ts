import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { postgresBinDir } from './system-packages.ts';

export type ExternalPostgres = { url: string; stop(): void };

/**
 * A throwaway cluster of Debian's `postgresql` for one test run: its own directory, its own port, removed
 * afterwards. As root it runs as the `postgres` system user, as Debian's does.
 */
export function startExternalPostgres(port: number): ExternalPostgres {
  const bin = postgresBinDir();
  if (!bin) throw new Error('Debian postgresql is not installed (apt-get install -y postgresql)');
  const root = os.userInfo().uid === 0;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-external-pg-'));
  const dataDir = path.join(dir, 'data');
  const password = randomBytes(12).toString('hex');
  fs.writeFileSync(path.join(dir, 'pw'), `${password}\n`);
  fs.chmodSync(dir, 0o755);
  const as = (args: string[]) => (root ? ['runuser', '-u', 'postgres', '--', ...args] : args);
  if (root) execFileSync('chown', ['-R', 'postgres:postgres', dir]);
  const exec = (args: string[]) => {
    const [cmd, ...rest] = as(args);
    return spawnSync(cmd!, rest, { encoding: 'utf8' });
  };
  const run = (args: string[]) => {
    const res = exec(args);
    if (res.status !== 0) throw new Error(`${args.join(' ')} failed:\n${res.stdout}\n${res.stderr}`);
  };
  run([`${bin}/initdb`, '-D', dataDir, '-U', 'tally', '-A', 'scram-sha-256', `--pwfile=${path.join(dir, 'pw')}`, '--no-sync']);
  run([
    `${bin}/pg_ctl`, '-D', dataDir, '-l', path.join(dir, 'log'), '-w', '-t', '60', 'start',
    '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off`,
  ]);
  return {
    url: `postgres://tally:${password}@127.0.0.1:${port}/postgres`,
    stop() {
      exec([`${bin}/pg_ctl`, '-D', dataDir, '-m', 'fast', '-w', 'stop']);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
