import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../../src/config.ts';
import type { Jobs } from '../../src/jobs/boss.ts';
import { createLogger } from '../../src/log.ts';
import { startTally, type RunningTally } from '../../src/main.ts';
import type { SimulatorInfo, SimulatorOptions } from '../../src/simulators/index.ts';
import { startEmbeddedPostgres } from '../../src/store/embedded.ts';
import { ApiClient } from '../../test/support/api.ts';
import { connect } from '../../test/support/consent.ts';

/** A port free on loopback right now. */
export function anyFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}

export type BenchWorld = {
  tally: RunningTally;
  owner: ApiClient;
  orgId: string;
  simBase: string;
  info: SimulatorInfo;
  databaseUrl: string;
  /** The embedded PostgreSQL's data directory (for its CPU time); undefined with an external database. */
  pgDataDir: string | undefined;
  /** The simulators' process. */
  simulatorPid: number;
  env: Record<string, string>;
  control<T = any>(path: string, body?: unknown, method?: string): Promise<T>;
  connectionId(provider: 'digitalocean' | 'bitbucket'): Promise<string>;
  close(): Promise<void>;
};

/**
 * A benchmark's world: simulators in their own process, an embedded PostgreSQL in a temporary directory (or the
 * database at `databaseUrl`),
 * and a Tally in this process that treats the simulators as the real providers (configured through the
 * environment, as an operator would), with an organization set up and both providers connected by OAuth.
 * Tally's job queue is stopped so that only the benchmark starts syncs, unless `jobs` keeps it (and its schedules).
 */
export async function startBenchWorld(options: { simulators: SimulatorOptions; connect?: Array<'digitalocean' | 'bitbucket'>; jobs?: boolean; databaseUrl?: string }): Promise<BenchWorld> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-bench-'));
  fs.chmodSync(dir, 0o755);
  const cleanups: Array<() => Promise<void>> = [async () => fs.rmSync(dir, { recursive: true, force: true })];
  const close = async () => {
    for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
  };
  try {
    const sims = await startSimulatorProcess(options.simulators);
    cleanups.push(sims.stop);
    const control = async <T>(p: string, body?: unknown, method = body === undefined ? 'GET' : 'POST'): Promise<T> => {
      const res = await fetch(`${sims.baseUrl}/_sim${p}`, { method, ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) });
      if (!res.ok) throw new Error(`simulator control ${method} ${p} answered ${res.status}: ${await res.text()}`);
      return (res.status === 204 ? undefined : await res.json()) as T;
    };
    const pg = options.databaseUrl ? { connectionString: options.databaseUrl } : await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), port: await anyFreePort(), log: createLogger('warn'), database: 'tally' });
    if ('stop' in pg) cleanups.push(() => pg.stop());
    const port = await anyFreePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    const env: Record<string, string> = {
      DATABASE_URL: pg.connectionString,
      TALLY_PORT: String(port),
      TALLY_PUBLIC_URL: publicUrl,
      TALLY_DATA_DIR: path.join(dir, 'tally'),
      TALLY_SECRET_KEY: randomBytes(32).toString('hex'),
      TALLY_SIMULATORS: 'off',
      TALLY_LOG_LEVEL: 'warn',
    };
    for (const provider of ['digitalocean', 'bitbucket'] as const) {
      const client = { clientId: `tally-bench-${provider}`, clientSecret: randomBytes(18).toString('base64url') };
      await control(`/${provider}/clients`, { ...client, redirectUris: [`${publicUrl}/api/oauth/${provider}/callback`] });
      const i = sims.info[provider];
      const P = provider.toUpperCase();
      const values = { CLIENT_ID: client.clientId, CLIENT_SECRET: client.clientSecret, AUTHORIZE_URL: i.authorizeUrl, TOKEN_URL: i.tokenUrl, REVOKE_URL: i.revokeUrl, API_URL: i.apiBaseUrl };
      // Bitbucket has no revocation endpoint.
      for (const [k, v] of Object.entries(values)) if (v) env[`TALLY_${P}_${k}`] = v;
    }
    const tally = await startTally(loadConfig(env), 'serve', { log: createLogger('warn') });
    cleanups.push(() => tally.stop());
    if (!options.jobs) {
      await (tally.ctx.queue as Jobs).stop();
      delete tally.ctx.queue;
    }
    const owner = new ApiClient(publicUrl);
    const setup = await owner.post('/api/setup', { organizationName: 'Bench Inc', name: 'Bench Owner', email: 'owner@bench.example', password: 'correct horse battery staple' });
    if (setup.status !== 201) throw new Error(`setup answered ${setup.status}: ${JSON.stringify(setup.body)}`);
    const orgId = setup.body.memberships[0].organization.id as string;
    for (const provider of options.connect ?? ['digitalocean', 'bitbucket']) {
      const back = await connect(owner, orgId, provider);
      if (back.searchParams.get('result') !== 'connected') throw new Error(`connecting ${provider} came back ${back.searchParams.get('result')}: ${back.searchParams.get('message')}`);
    }
    return {
      tally,
      owner,
      orgId,
      simBase: sims.baseUrl,
      info: sims.info,
      databaseUrl: pg.connectionString,
      pgDataDir: options.databaseUrl ? undefined : path.join(dir, 'pg', 'postgres'),
      simulatorPid: sims.pid,
      env,
      control,
      async connectionId(provider) {
        return (await tally.ctx.db.selectFrom('connections').select('id').where('provider', '=', provider).executeTakeFirstOrThrow()).id;
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

async function startSimulatorProcess(options: SimulatorOptions): Promise<{ baseUrl: string; info: SimulatorInfo; pid: number; stop(): Promise<void> }> {
  const child: ChildProcess = spawn(process.execPath, [path.join(import.meta.dirname, 'simulators-process.ts'), JSON.stringify(options)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const first = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) resolve(line);
    });
    child.once('exit', (code) => reject(new Error(`the simulators exited with code ${code} before listening`)));
  });
  const { baseUrl, info } = JSON.parse(first) as { baseUrl: string; info: SimulatorInfo };
  return {
    baseUrl,
    info,
    pid: child.pid!,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
