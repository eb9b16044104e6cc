import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { runSync } from '../../src/sync/engine.ts';
import { streamsFor } from '../../src/sync/streams.ts';
import { connect } from '../support/consent.ts';
import { setUpOrganization, startTestTally } from '../support/tally.ts';

const t = await startTestTally({ simulators: true });
const { owner, orgId } = await setUpOrganization(t);
await connect(owner, orgId, 'digitalocean');
const ctx = t.tally.ctx;
const connectionId = (await ctx.db.selectFrom('connections').select('id').where('provider', '=', 'digitalocean').executeTakeFirstOrThrow()).id;
const simBase = ctx.simulated.digitalocean!.endpoints.apiBaseUrl.replace(/\/digitalocean$/, '');
const control = async (path: string) => (await fetch(`${simBase}/_sim${path}`)).json();

describe('a DigitalOcean connection synced with every stream', () => {
  it('pulls every stream to the end with nothing quarantined, and the figures match the simulator’s own data', async () => {
    const result = await runSync(ctx, connectionId, { trigger: 'test' });
    expect(result.status, JSON.stringify(result.error)).toBe('succeeded');
    expect(result.counters.quarantined).toBe(0);
    const counts = await sql<{ stream: string; n: number }>`
      select stream, count(*)::int as n from sync_records where connection_id = ${connectionId} and deleted_at is null group by stream`.execute(ctx.db);
    const byStream = Object.fromEntries(counts.rows.map((r) => [r.stream, r.n]));
    for (const s of streamsFor('digitalocean', t.tally.ctx.config)) if (!result.counters.skipped.some((k) => k.stream === s.name)) expect(byStream[s.name], s.name).toBeGreaterThan(0);
    const truth = await control('/truth');
    const ids = await ctx.db.selectFrom('sync_records').select('external_id').where('connection_id', '=', connectionId).where('stream', '=', 'droplets').where('deleted_at', 'is', null).execute();
    expect(ids.map((r) => Number(r.external_id)).sort()).toEqual([...truth.digitalocean.droplets].sort());
    expect((await control('/counters')).deprecatedCalls).toEqual({});
  });

  it('a second sync changes nothing', async () => {
    const again = await runSync(ctx, connectionId, { trigger: 'test' });
    expect(again.status).toBe('succeeded');
    expect(again.counters).toMatchObject({ recordsAdded: 0, recordsDeleted: 0, quarantined: 0 });
  });
});
