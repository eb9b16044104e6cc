/**
 * Disconnect → "Delete synced data", against Bitbucket and DigitalOcean connections synced from the
 * simulators: every table holding a connection's rows is emptied for it but those kept on purpose (the
 * list is read from the database, so a table added later cannot be forgotten), the dashboards stop
 * counting it, the other app is untouched, and a sync still running cannot bring anything back.
 */
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { recomputeOrganization } from '../../src/analytics/index.ts';
import { SYNCED_DATA_TABLES } from '../../src/connections/synced-data.ts';
import { syncConnection } from '../../src/sync/schedule.ts';
import { commitPage, completePass } from '../../src/sync/store.ts';
import { connect } from '../support/consent.ts';
import { setUpOrganization, startTestTally } from '../support/tally.ts';

const t = await startTestTally({ simulators: true });
const { owner, orgId } = await setUpOrganization(t);
const ctx = t.tally.ctx;
const api = `/api/orgs/${orgId}/analytics`;

/** Tables with a connection_id whose rows a disconnect keeps, and why; every other one is emptied. */
const KEPT: Record<string, string> = {
  sync_runs: 'the history of what ran when (the Sync page), like the audit log; no synced content',
  app_settings: 'the plan, price and thresholds an admin typed in, not synced from the app',
  sync_schedules: 'how often an admin asked the connection to sync',
  rate_events: 'requests already spent against the provider’s rate limits, which a budget shared by one OAuth app keeps counting (gone within two hours)',
};

const idOf = async (provider: 'bitbucket' | 'digitalocean') =>
  (await ctx.db.selectFrom('connections').select('id').where('provider', '=', provider).executeTakeFirstOrThrow()).id;

async function connectionTables(): Promise<string[]> {
  const rows = await sql<{ table_name: string }>`
    select c.table_name from information_schema.columns c join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
    where c.table_schema = 'public' and c.column_name = 'connection_id' and t.table_type = 'BASE TABLE' order by 1`.execute(ctx.db);
  return rows.rows.map((r) => r.table_name);
}

/** The connection's rows in every table that has a connection_id. */
async function rowsOf(connectionId: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of await connectionTables()) {
    out[table] = (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)} where connection_id = ${connectionId}`.execute(ctx.db)).rows[0]!.n;
  }
  return out;
}

const notKept = (rows: Record<string, number>) => Object.fromEntries(Object.entries(rows).filter(([table]) => !(table in KEPT)));
const emptied = (rows: Record<string, number>) => Object.fromEntries(Object.keys(notKept(rows)).map((table) => [table, 0]));

async function sync(connectionId: string) {
  // With the after-sync recompute, as a queued sync runs it.
  const result = await syncConnection(ctx, connectionId, { trigger: 'test' });
  expect(result.status, JSON.stringify(result.error)).toBe('succeeded');
}

const peopleCount = async () => (await ctx.db.selectFrom('people').select(sql<number>`count(*)::int`.as('n')).where('organization_id', '=', orgId).executeTakeFirstOrThrow()).n;
const disconnect = (connectionId: string, deleteData: boolean) => owner.post(`/api/orgs/${orgId}/connections/${connectionId}/disconnect`, { deleteData });
const lastAudit = async (connectionId: string) =>
  (await ctx.db.selectFrom('audit_log').select(['action', 'details']).where('target', '=', connectionId).where('action', '=', 'connection.disconnected').orderBy('id', 'desc').executeTakeFirstOrThrow()).details as any;

let bitbucket: string;
let digitalocean: string;
let editedPerson: string;

beforeAll(async () => {
  await connect(owner, orgId, 'bitbucket');
  await connect(owner, orgId, 'digitalocean');
  bitbucket = await idOf('bitbucket');
  digitalocean = await idOf('digitalocean');
  await sync(bitbucket);
  await sync(digitalocean);
  // What an admin entered: a price for Bitbucket seats, and a person renamed by hand.
  expect((await owner.put(`${api}/apps/${bitbucket}/settings`, { pricePerSeat: '6.00' })).status).toBe(200);
  const people = (await owner.get(`${api}/people?limit=5`)).body.items as Array<{ personId: string }>;
  editedPerson = people[0]!.personId;
  expect((await owner.patch(`${api}/people/${editedPerson}`, { displayName: 'Named By Hand' })).status).toBe(200);
}, 600_000);

describe('Disconnect → Delete synced data', () => {
  it('every table with a connection_id is either emptied by it or kept for a stated reason', async () => {
    expect(await connectionTables()).toEqual([...SYNCED_DATA_TABLES, ...Object.keys(KEPT)].sort());
  });

  it('empties every table of Bitbucket but what is kept; Overview, people and insights no longer count it; DigitalOcean is untouched', async () => {
    const before = await rowsOf(bitbucket);
    // What the sync and the recompute wrote, so that "empty afterwards" means something.
    for (const table of ['sync_records', 'sync_checkpoints', 'activity_events', 'activity_daily', 'app_accounts', 'analytics_accounts', 'person_accounts', 'app_daily_active', 'app_weekly_features', 'app_stats', 'insights', 'analytics_state', 'sync_runs', 'app_settings']) {
      expect(before[table], table).toBeGreaterThan(0);
    }
    const otherBefore = await rowsOf(digitalocean);
    const overviewBefore = (await owner.get(`${api}/overview`)).body;
    expect(overviewBefore.apps).toBe(2);
    expect(overviewBefore.seats).toBeGreaterThan(0);
    expect(overviewBefore.people).toBeGreaterThan(1);
    const peopleBefore = await peopleCount();

    const res = await disconnect(bitbucket, true);
    expect(res.status, JSON.stringify(res.body)).toBe(200);

    const after = await rowsOf(bitbucket);
    expect(notKept(after)).toEqual(emptied(before));
    expect(after.sync_runs).toBe(before.sync_runs);
    expect(after.app_settings).toBe(before.app_settings);
    expect(await rowsOf(digitalocean)).toEqual(otherBefore);
    const row = await ctx.db.selectFrom('connections').selectAll().where('id', '=', bitbucket).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'disconnected', access_token_enc: null, refresh_token_enc: null });
    expect(row.data_deleted_at).not.toBeNull();

    const overview = (await owner.get(`${api}/overview`)).body;
    expect(overview.apps).toBe(1);
    expect(overview.appSummaries.map((a: any) => a.appId)).toEqual([digitalocean]);
    expect(overview.appSummaries[0]).toEqual(overviewBefore.appSummaries.find((a: any) => a.appId === digitalocean));
    expect(overview.seats).toBe(0);
    // The person an admin renamed stays in the directory, with no accounts; everyone else came from Bitbucket.
    expect(overview.people).toBe(1);
    const people = (await owner.get(`${api}/people`)).body;
    expect(people.items).toEqual([expect.objectContaining({ personId: editedPerson, displayName: 'Named By Hand', accounts: 0, apps: [], lastActivityDay: null })]);
    const insights = (await owner.get(`${api}/insights?state=all&limit=200`)).body.items as Array<{ app: { appId: string } | null }>;
    expect(insights.filter((i) => i.app?.appId === bitbucket)).toEqual([]);
    expect((await owner.get(`${api}/apps/${bitbucket}`)).status).toBe(404);

    const audit = await lastAudit(bitbucket);
    expect(audit).toMatchObject({ provider: 'bitbucket', deleteData: true, deletedRows: { sync_records: before.sync_records, activity_events: before.activity_events, app_accounts: before.app_accounts } });
    expect(audit.deletedRows.people).toBe(peopleBefore - 1);
    expect(await peopleCount()).toBe(1);

    // A recompute of the organization (what follows every sync) writes nothing back for it.
    await recomputeOrganization(ctx, orgId);
    expect(notKept(await rowsOf(bitbucket))).toEqual(emptied(before));
  });

  it('a page or a completed pass a sync commits after the disconnect is refused with a clear message, and adds nothing', async () => {
    const run = await ctx.db.selectFrom('sync_runs').select('id').where('connection_id', '=', bitbucket).executeTakeFirstOrThrow();
    const checkpoint = { nextUrl: null, cursor: null, passCursor: null, passStartedAt: new Date(), lastCompletePassAt: null };
    const page = {
      organizationId: orgId, connectionId: bitbucket, runId: run.id, stream: 'commits', partition: '{repo}', checkpoint,
      records: [{ externalId: 'late', data: { hash: 'late' }, activity: [{ accountId: '{late}', day: '2026-01-01', feature: 'commit', count: 1 }], accounts: [{ externalId: '{late}', name: 'Late', email: null, nickname: null, role: null }] }],
      quarantined: [{ externalId: 'bad', reason: 'test', data: {} }],
    };
    const refused = { code: 'TL001', message: expect.stringMatching(/stopped syncing this connection: it was disconnected.*Reconnect it/) };
    await expect(commitPage(ctx.db, page)).rejects.toMatchObject(refused);
    await expect(completePass(ctx.db, { connectionId: bitbucket, stream: 'commits', partition: '{repo}', checkpoint, detectDeletions: true })).rejects.toMatchObject(refused);
    expect(Object.values(notKept(await rowsOf(bitbucket))).every((n) => n === 0)).toBe(true);
  });

  it('a sync running when the admin disconnects stops at its next step with that message, and nothing of it is left', async () => {
    expect((await connect(owner, orgId, 'bitbucket')).searchParams.get('result')).toBe('connected');
    let disconnected = false;
    const result = await syncConnection(ctx, bitbucket, {
      trigger: 'test',
      onProgress: async () => {
        if (disconnected) return;
        disconnected = true;
        expect((await disconnect(bitbucket, true)).status).toBe(200);
      },
    });
    expect(disconnected).toBe(true);
    expect(result).toMatchObject({ status: 'failed', error: { code: 'connection_not_active', message: expect.stringMatching(/was disconnected/) } });
    const run = await ctx.db.selectFrom('sync_runs').selectAll().where('id', '=', result.runId!).executeTakeFirstOrThrow();
    expect(run).toMatchObject({ status: 'failed', error_code: 'connection_not_active' });
    expect(Object.values(notKept(await rowsOf(bitbucket))).every((n) => n === 0)).toBe(true);
  }, 300_000);

  it('keeping the data (deleteData false) keeps every row and the dashboards keep showing it', async () => {
    const before = await rowsOf(digitalocean);
    const res = await disconnect(digitalocean, false);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(await rowsOf(digitalocean)).toEqual(before);
    const row = await ctx.db.selectFrom('connections').selectAll().where('id', '=', digitalocean).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'disconnected', data_deleted_at: null, access_token_enc: null });
    expect((await owner.get(`${api}/overview`)).body.appSummaries).toEqual([expect.objectContaining({ appId: digitalocean, connectionStatus: 'disconnected' })]);
    const audit = await lastAudit(digitalocean);
    expect(audit).toMatchObject({ provider: 'digitalocean', deleteData: false });
    expect(audit.deletedRows).toBeUndefined();
    expect((await disconnect(digitalocean, true)).status).toBe(409);
  });

  it('connected again and then deleted, DigitalOcean’s resources, spend and metrics go too', async () => {
    expect((await connect(owner, orgId, 'digitalocean')).searchParams.get('result')).toBe('connected');
    const before = await rowsOf(digitalocean);
    for (const table of ['sync_records', 'cloud_resources', 'spend_monthly', 'app_resource_counts', 'droplet_metric_days', 'app_daily_active', 'analytics_state']) {
      expect(before[table], table).toBeGreaterThan(0);
    }
    expect((await disconnect(digitalocean, true)).status).toBe(200);
    expect(notKept(await rowsOf(digitalocean))).toEqual(emptied(before));
    const overview = (await owner.get(`${api}/overview`)).body;
    expect(overview).toMatchObject({ apps: 0, seats: 0, appSummaries: [] });
    expect(overview.spend.monthToDate).toBe('0.00');
  });

  it('the API documentation says what deleteData deletes and keeps', async () => {
    const doc = (await owner.get('/api/openapi.json')).body;
    const body = doc.paths['/api/orgs/{orgId}/connections/{connectionId}/disconnect'].post.requestBody.content['application/json'].schema;
    expect(body.properties.deleteData.description).toMatch(/records, activity, accounts.*Kept: the connection itself/);
  });
});
