import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll } from 'vitest';
import { startSimulators, type RunningSimulators } from '../../../src/simulators/index.ts';
import type { ProviderSlug } from '../../../src/simulators/types.ts';
import type { AppContext } from '../../../src/context.ts';
import type { SimulatedProviders } from '../../../src/connections/provider-apps.ts';
import { publishSimulators } from '../../../src/connections/simulated.ts';
import type { Jobs } from '../../../src/jobs/boss.ts';
import { SYNC_QUEUE } from '../../../src/sync/schedule.ts';
import { accessContext, refreshContext } from '../../../src/oauth/contexts.ts';
import { connect } from '../../support/consent.ts';
import { setUpOrganization, startTestTally, type TestTally } from '../../support/tally.ts';

/**
 * A Tally and the provider simulators as separate services (the suite's own simulators, not the ones
 * `tally serve` starts, so it controls them), published the way `tally serve` publishes its own so that
 * `tally sync` and worker processes with the world's environment reach them and the same database.
 * The simulators' clock is frozen: every sync sees the same data until a test advances it. Tally's job
 * queue is stopped unless asked for, so that only the suite starts syncs and refreshes.
 */
export type World = {
  t: TestTally;
  ctx: AppContext;
  sims: RunningSimulators;
  owner: Awaited<ReturnType<typeof setUpOrganization>>['owner'];
  orgId: string;
  /** The environment a worker process needs to run against this world (database, key, provider apps). */
  env: Record<string, string>;
  connectionId(provider: ProviderSlug, orgId?: string): Promise<string>;
  /** Another organization of the same owner, with these providers connected (the same provider accounts). */
  addOrganization(name: string, providers: ProviderSlug[]): Promise<string>;
  control<T = any>(path: string, body?: unknown, method?: string): Promise<T>;
};

export async function startWorld(options: { connect?: ProviderSlug[]; preset?: 'small' | 'large'; env?: Record<string, string>; jobs?: boolean } = {}): Promise<World> {
  const sims = await startSimulators({ port: 0, preset: options.preset ?? 'small', seed: 1, freezeTime: true, logger: false });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-resilience-'));
  afterAll(async () => {
    await sims.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  const env: Record<string, string> = { TALLY_SECRET_KEY: randomBytes(32).toString('hex'), TALLY_SIMULATORS: 'off', ...(options.jobs ? { TALLY_SYNC_SCHEDULES: 'on' } : {}), ...options.env };
  const t = await startTestTally({ env });
  if (!options.jobs) {
    await (t.tally.ctx.queue as Jobs).stop();
    delete t.tally.ctx.queue;
  }
  const control = async <T>(p: string, body?: unknown, method = body === undefined ? 'GET' : 'POST'): Promise<T> => {
    const res = await fetch(`${sims.baseUrl}/_sim${p}`, { method, ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) });
    if (!res.ok) throw new Error(`simulator control ${method} ${p} answered ${res.status}: ${await res.text()}`);
    return (res.status === 204 ? undefined : await res.json()) as T;
  };
  // Tally's OAuth apps at the simulators, with Tally's callback; Tally (and every worker) then treats them
  // as its built-in simulators (ctx.simulated), as `tally serve` does with the ones it starts itself.
  const simulated: SimulatedProviders = {};
  for (const provider of ['digitalocean', 'bitbucket'] as const) {
    const client = { clientId: `tally-resilience-${provider}`, clientSecret: randomBytes(18).toString('base64url') };
    await control(`/${provider}/clients`, { ...client, redirectUris: [`${t.baseUrl}/api/oauth/${provider}/callback`] });
    const { authorizeUrl, tokenUrl, revokeUrl, apiBaseUrl } = sims.info[provider];
    simulated[provider] = { endpoints: { authorizeUrl, tokenUrl, revokeUrl, apiBaseUrl }, ...client };
  }
  Object.assign(t.tally.ctx.simulated, simulated);
  await publishSimulators(t.tally.ctx);
  const { owner, orgId } = await setUpOrganization(t);
  const connectAll = async (org: string, providers: ProviderSlug[]) => {
    for (const provider of providers) {
      const back = await connect(owner, org, provider);
      if (back.searchParams.get('result') !== 'connected') throw new Error(`Connecting ${provider} failed: ${back.searchParams.get('message')}`);
    }
  };
  const ctx = t.tally.ctx;
  // With jobs on, Connect queues a first sync: the suites start from connections nobody is syncing.
  const settle = async () => {
    if (!options.jobs) return;
    const deadline = Date.now() + 300_000;
    for (;;) {
      const busy = await sql<{ n: number }>`
        select (select count(*) from pgboss.job where name = ${SYNC_QUEUE} and state in ('created', 'retry', 'active'))
             + (select count(*) from sync_runs where status = 'running') as n`.execute(ctx.db);
      if (Number(busy.rows[0]!.n) === 0) return;
      if (Date.now() > deadline) throw new Error('the syncs Connect queued did not finish within 5 minutes');
      await new Promise((r) => setTimeout(r, 250));
    }
  };
  await connectAll(orgId, options.connect ?? []);
  await settle();
  const workerEnv = { TALLY_SECRET_KEY: env.TALLY_SECRET_KEY!, DATABASE_URL: env.DATABASE_URL ?? t.databaseUrl, TALLY_LOG_LEVEL: 'info', TALLY_DATA_DIR: dataDir };
  return {
    t,
    ctx,
    sims,
    owner,
    orgId,
    env: workerEnv,
    control,
    async connectionId(provider, org = orgId) {
      return (await ctx.db.selectFrom('connections').select('id').where('organization_id', '=', org).where('provider', '=', provider).executeTakeFirstOrThrow()).id;
    },
    async addOrganization(name, providers) {
      const created = await owner.post('/api/orgs', { name });
      if (created.status !== 201) throw new Error(`Creating the organization ${name} failed: ${JSON.stringify(created.body)}`);
      const org = (created.body.memberships as Array<{ organization: { id: string; name: string } }>).find((m) => m.organization.name === name)!.organization.id;
      await connectAll(org, providers);
      await settle();
      return org;
    },
  };
}

/** A connection's synced data, row by row (contents, not counts): records, activity and app accounts. */
export async function snapshot(ctx: AppContext, connectionId: string) {
  const records = await sql<{ key: string; hash: string }>`
    select stream || ' ' || external_id as key, hash || ' parent=' || coalesce(parent_id, '') || case when deleted_at is null then '' else ' deleted' end as hash
    from sync_records where connection_id = ${connectionId} order by 1`.execute(ctx.db);
  const events = await sql<{ key: string; hash: string }>`
    select concat_ws(' ', stream, external_id, account_id, day::text, feature) as key, count::text as hash
    from activity_events where connection_id = ${connectionId} order by 1`.execute(ctx.db);
  const accounts = await sql<{ key: string; hash: string }>`
    select external_id as key, concat_ws('|', name, email, nickname, role) as hash from app_accounts where connection_id = ${connectionId} order by 1`.execute(ctx.db);
  return { records: records.rows, events: events.rows, accounts: accounts.rows };
}
export type Snapshot = Awaited<ReturnType<typeof snapshot>>;

/**
 * How a snapshot differs from the reference: rows missing, rows extra (duplicates or strays), rows changed,
 * and a few of the differing rows to say which.
 */
export function compare(reference: Snapshot, actual: Snapshot): { rows: number; lost: number; extra: number; changed: number; examples: string[] } {
  const out = { rows: 0, lost: 0, extra: 0, changed: 0, examples: [] as string[] };
  const note = (what: string) => out.examples.length < 5 && out.examples.push(what);
  for (const part of ['records', 'events', 'accounts'] as const) {
    const want = new Map(reference[part].map((r) => [r.key, r.hash]));
    const seen = new Set<string>();
    out.rows += want.size;
    for (const r of actual[part]) {
      const expected = want.get(r.key);
      if (seen.has(r.key) || expected === undefined) {
        out.extra++;
        note(`extra ${part}: ${r.key}`);
      } else if (expected !== r.hash) {
        out.changed++;
        note(`changed ${part}: ${r.key} (${expected} -> ${r.hash})`);
      }
      seen.add(r.key);
    }
    for (const k of want.keys()) {
      if (seen.has(k)) continue;
      out.lost++;
      note(`lost ${part}: ${k}`);
    }
  }
  return out;
}

/** Every token Tally holds for its connections, decrypted: what must never appear in a log or a dump. */
export async function storedTokens(ctx: AppContext): Promise<string[]> {
  const rows = await ctx.db.selectFrom('connections').select(['id', 'access_token_enc', 'refresh_token_enc']).execute();
  return rows.flatMap((r) => [
    r.access_token_enc ? ctx.vault.decrypt(r.access_token_enc, accessContext(r.id)) : undefined,
    r.refresh_token_enc ? ctx.vault.decrypt(r.refresh_token_enc, refreshContext(r.id)) : undefined,
  ]).filter((t): t is string => Boolean(t));
}

/** Forgets everything a connection synced, so the next run starts from nothing. */
export async function clearSyncedData(ctx: AppContext, connectionId: string): Promise<void> {
  for (const table of ['sync_records', 'sync_checkpoints', 'activity_events', 'app_accounts', 'sync_quarantine'] as const) {
    await ctx.db.deleteFrom(table).where('connection_id', '=', connectionId).execute();
  }
}

/**
 * Waits out a UTC midnight due within `spanMs`. Windows of daily data (the last 14 whole days of
 * metrics) are built from the wall clock; a sync process the test cannot hand a moment to, compared
 * with a run made before midnight, would rightly read one day more and one day less.
 */
export async function clearOfMidnight(spanMs: number): Promise<void> {
  const DAY_MS = 86_400_000;
  const untilMidnight = DAY_MS - (Date.now() % DAY_MS);
  if (untilMidnight <= spanMs) await new Promise((r) => setTimeout(r, untilMidnight + 1000));
}
