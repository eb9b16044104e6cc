import { sql } from 'kysely';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { runSync, type SyncOptions } from '../../src/sync/engine.ts';
import { SyncBusyError } from '../../src/sync/runs.ts';
import { defineStream, type StreamDefinition } from '../../src/sync/types.ts';
import { connect } from '../support/consent.ts';
import { setUpOrganization, startTestTally } from '../support/tally.ts';
import { simControl } from '../support/sim-control.ts';

// Two DigitalOcean streams defined here, so the engine is tested apart from the real stream catalogue.
const Droplet = z.looseObject({ id: z.number(), name: z.string(), status: z.string(), created_at: z.string() });
const droplets = defineStream({
  name: 'droplets',
  provider: 'digitalocean',
  path: '/v2/droplets',
  pagination: { kind: 'digitalocean', recordsKey: 'droplets', pageSize: 200 },
  schema: Droplet,
  id: (d) => String(d.id),
  activity: (d) => [{ accountId: String(d.id), day: d.created_at.slice(0, 10), feature: 'droplet.created', count: 1 }],
});
const Volume = z.looseObject({ id: z.string(), name: z.string(), droplet_ids: z.array(z.number()) });
const volumes = defineStream({ name: 'volumes', provider: 'digitalocean', path: '/v2/volumes', pagination: { kind: 'digitalocean', recordsKey: 'volumes', pageSize: 200 }, schema: Volume, id: (v) => v.id });
const streams = [droplets, volumes] as StreamDefinition[];

const t = await startTestTally({ simulators: true });
const { owner, orgId } = await setUpOrganization(t);
await connect(owner, orgId, 'digitalocean');
const ctx = t.tally.ctx;
const connectionId = (await ctx.db.selectFrom('connections').select('id').where('provider', '=', 'digitalocean').executeTakeFirstOrThrow()).id;
const control = simControl(ctx);
const sync = (extra: Partial<SyncOptions> = {}) => runSync(ctx, connectionId, { trigger: 'test', streamDefinitions: streams, startingDelayMs: 5, timeoutMs: 2000, maxRetryAfterMs: 100, ...extra });

/** The synced table contents, to compare runs record by record (not counts). */
async function snapshot() {
  const rows = await sql<{ stream: string; external_id: string; hash: string; deleted: boolean }>`
    select stream, external_id, hash, deleted_at is not null as deleted from sync_records where connection_id = ${connectionId} order by stream, external_id`.execute(ctx.db);
  const events = await sql`select external_id, account_id, day::text, feature, count from activity_events where connection_id = ${connectionId} order by 1, 2, 3, 4`.execute(ctx.db);
  return { records: rows.rows, events: events.rows };
}

describe('the sync engine', () => {
  let clean: Awaited<ReturnType<typeof snapshot>>;

  it('pages every stream to the end at the largest page size and records the run', async () => {
    await control('/counters/reset', {});
    const result = await sync();
    expect(result.status, JSON.stringify(result.error)).toBe('succeeded');
    const total = (await (await fetch(`${ctx.simulated.digitalocean!.endpoints.apiBaseUrl}/v2/droplets?per_page=1`, { headers: { authorization: `Bearer ${(await control('/digitalocean/tokens', {})).access_token}` } })).json()).meta.total;
    const stored = await ctx.db.selectFrom('sync_records').select(sql<number>`count(*)::int`.as('n')).where('stream', '=', 'droplets').executeTakeFirstOrThrow();
    expect(stored.n).toBe(total);
    expect(result.counters.recordsAdded).toBeGreaterThan(total);
    const counters = await control('/counters');
    const routes = Object.keys(counters.byRoute).filter((r) => r.startsWith('digitalocean GET /v2/'));
    expect(routes.sort()).toEqual(['digitalocean GET /v2/droplets', 'digitalocean GET /v2/volumes']);
    const run = await ctx.db.selectFrom('sync_runs').selectAll().where('id', '=', result.runId!).executeTakeFirstOrThrow();
    expect(run).toMatchObject({ status: 'succeeded', requests: result.counters.requests, records_added: result.counters.recordsAdded });
    expect(run.finished_at).not.toBeNull();
    clean = await snapshot();
  });

  it('running it again changes nothing', async () => {
    const result = await sync();
    expect(result.counters).toMatchObject({ recordsAdded: 0, recordsUpdated: 0, recordsDeleted: 0, quarantined: 0 });
    expect(await snapshot()).toEqual(clean);
  });

  const kinds = ['429', '500', '502', '503', 'slow', 'timeout', 'drop', 'html_challenge', 'truncated_json', 'expired_token'];

  it.each(kinds)('fault kind %s on a third of the requests ends with exactly the data of a fault-free run', async (kind) => {
    // A token refused twice in a row (before and after a refresh) means a dead grant, so the expired
    // token comes once: refresh, then go on.
    const rule = kind === 'expired_token' ? { times: 1 } : kind === 'timeout' ? { delayMs: 3000 } : kind === 'slow' ? { delayMs: 300 } : {};
    await control('/faults', { provider: 'digitalocean', route: '/v2/*', kind, probability: 0.3, seed: 7, ...rule });
    await ctx.db.deleteFrom('sync_records').where('connection_id', '=', connectionId).execute();
    await ctx.db.deleteFrom('sync_checkpoints').where('connection_id', '=', connectionId).execute();
    await ctx.db.deleteFrom('activity_events').where('connection_id', '=', connectionId).execute();
    const small = streams.map((s) => ({ ...s, pagination: { ...s.pagination, pageSize: 3 } })) as StreamDefinition[];
    const result = await sync({ full: true, streamDefinitions: small });
    await control('/faults', undefined, 'DELETE');
    expect(result.status, JSON.stringify(result.error)).toBe('succeeded');
    if (kind !== 'slow') expect(result.counters.retries, 'faults were met and retried').toBeGreaterThan(0);
    expect(await snapshot()).toEqual(clean);
  }, 120_000);

  it('every fault kind mixed at 10% ends with exactly the data of a fault-free run', async () => {
    for (const [i, kind] of kinds.entries()) {
      await control('/faults', { provider: 'digitalocean', route: '/v2/*', kind, probability: 0.1 / kinds.length * 3, seed: 100 + i, ...(kind === 'timeout' ? { delayMs: 3000 } : {}) });
    }
    await ctx.db.deleteFrom('sync_records').where('connection_id', '=', connectionId).execute();
    await ctx.db.deleteFrom('sync_checkpoints').where('connection_id', '=', connectionId).execute();
    await ctx.db.deleteFrom('activity_events').where('connection_id', '=', connectionId).execute();
    // Small pages, so the run makes enough requests for 10% of them to fail.
    const small = streams.map((s) => ({ ...s, pagination: { ...s.pagination, pageSize: 2 } })) as StreamDefinition[];
    const result = await sync({ full: true, streamDefinitions: small });
    await control('/faults', undefined, 'DELETE');
    expect(result.status, JSON.stringify(result.error)).toBe('succeeded');
    // Seeded fault rules: the same requests meet the same faults on every run.
    expect(result.counters.retries).toBeGreaterThan(0);
    expect(result.counters.requests).toBeGreaterThan(result.counters.pages);
    expect(await snapshot()).toEqual(clean);
  }, 120_000);

  it('an HTML challenge page that does not go away fails the run with a clear message and records provider health', async () => {
    await control('/faults', { provider: 'digitalocean', route: '/v2/volumes', kind: 'html_challenge', probability: 1, status: 200 });
    const result = await sync({ streams: ['volumes'] });
    await control('/faults', undefined, 'DELETE');
    expect(result.status).toBe('failed');
    expect(result.error?.message).toMatch(/returned an HTML page instead of JSON .*\(bot protection\?\)/);
    const health = await ctx.db.selectFrom('provider_health').selectAll().where('connection_id', '=', connectionId).execute();
    expect(health.map((h) => h.kind)).toContain('html_challenge');
    expect(await snapshot()).toEqual(clean); // nothing stored was lost
  });

  it('a record that fails its schema is quarantined with the reason; the rest of the page is kept', async () => {
    const strict = defineStream({ ...droplets, schema: Droplet.refine((d) => d.name !== 'web-01', { message: 'names like web-01 are refused by this test' }) } as never);
    const result = await runSync(ctx, connectionId, { trigger: 'test', streamDefinitions: [strict as StreamDefinition], full: true });
    expect(result.counters.quarantined).toBe(1);
    const q = await ctx.db.selectFrom('sync_quarantine').selectAll().where('connection_id', '=', connectionId).execute();
    expect(q[0]).toMatchObject({ stream: 'droplets', reason: expect.stringContaining('names like web-01') });
    // the quarantined record was not seen in this full pass, so it is marked deleted; the others stay
    const live = await ctx.db.selectFrom('sync_records').select('external_id').where('stream', '=', 'droplets').where('deleted_at', 'is', null).execute();
    expect(live.length).toBe(clean.records.filter((r) => r.stream === 'droplets').length - 1);
    await sync({ full: true }); // and the normal schema brings it back
    expect(await snapshot()).toEqual(clean);
  });

  it('a stopped run resumes from its last committed page and ends with the same data', async () => {
    await ctx.db.deleteFrom('sync_records').where('connection_id', '=', connectionId).execute();
    await ctx.db.deleteFrom('sync_checkpoints').where('connection_id', '=', connectionId).execute();
    await ctx.db.deleteFrom('activity_events').where('connection_id', '=', connectionId).execute();
    const small = streams.map((s) => ({ ...s, pagination: { ...s.pagination, pageSize: 2 } })) as StreamDefinition[];
    const abort = new AbortController();
    const first = await runSync(ctx, connectionId, { trigger: 'test', streamDefinitions: small, signal: abort.signal, onProgress: (p) => { if (p.pages >= 3) abort.abort(); } });
    expect(first.status).toBe('failed');
    const saved = await ctx.db.selectFrom('sync_checkpoints').selectAll().where('connection_id', '=', connectionId).where('next_url', 'is not', null).execute();
    expect(saved.length).toBe(1);
    const second = await runSync(ctx, connectionId, { trigger: 'test', streamDefinitions: small });
    expect(second.status).toBe('succeeded');
    // No page was fetched twice: the second run started where the first stopped.
    const pagesNeeded = Math.ceil(clean.records.filter((r) => r.stream === 'droplets').length / 2) + Math.ceil(clean.records.filter((r) => r.stream === 'volumes').length / 2);
    expect(first.counters.pages + second.counters.pages).toBe(pagesNeeded);
    expect(await snapshot()).toEqual(clean);
  });

  it('two workers never run the same connection at once', async () => {
    const results = await Promise.allSettled([sync(), sync()]);
    expect(results.filter((r) => r.status === 'rejected' && r.reason instanceof SyncBusyError)).toHaveLength(1);
  });

  it('a droplet deleted at the provider is marked deleted with the time, not dropped', async () => {
    const advanced = await control('/time/advance', { days: 3 });
    const gone: number[] = advanced.digitalocean?.dropletsDeleted ?? advanced.dropletsDeleted ?? [];
    expect(gone.length).toBeGreaterThan(0);
    const result = await sync();
    expect(result.counters.recordsDeleted).toBe(gone.length);
    const row = await ctx.db.selectFrom('sync_records').selectAll().where('stream', '=', 'droplets').where('external_id', '=', String(gone[0])).executeTakeFirstOrThrow();
    expect(row.deleted_at).toBeInstanceOf(Date);
  });

  it('a revoked grant stops the sync, turns the connection to Reconnect needed, and later syncs wait', async () => {
    const grants = (await control('/digitalocean/grants')) as Array<{ id: string; kind: string; revokedAt: string | null }>;
    for (const g of grants.filter((g) => g.kind === 'oauth' && !g.revokedAt)) await control(`/digitalocean/grants/${g.id}/revoke`, {});
    const result = await sync();
    expect(result.status).toBe('failed');
    expect(result.error?.code).toBe('needs_reconnect');
    const c = await ctx.db.selectFrom('connections').select(['status', 'status_reason']).where('id', '=', connectionId).executeTakeFirstOrThrow();
    expect(c.status).toBe('needs_reconnect');
    expect((await sync()).status).toBe('paused');
  });
});
