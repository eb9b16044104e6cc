import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../src/analytics/dates.ts';
import { addFacts, addMembers, addRecords, fixtureDb, makeConnection, makeOrg, recomputeAt, setSettings, type Fact } from './support.ts';

/**
 * The recompute after a sync reads only what the sync changed and merges it into what it kept; a full
 * rebuild reads all history. Both must give the same figures, in every table the API reads, including
 * the cases where the kept summary cannot answer alone (removed recent days, a last non-basic day that
 * lost its pull request, a fact older than an account's first day).
 */
const DAY0 = '2026-09-14';
const DAY1 = '2026-09-15';
const { db, ctx } = await fixtureDb();
const org = await makeOrg(db);
const bb = await makeConnection(db, org, 'bitbucket');
const cloud = await makeConnection(db, org, 'digitalocean');
await setSettings(db, org, bb, { price_per_seat: '15.00' });
await addMembers(db, org, bb, [
  { uuid: '{busy}', name: 'Busy Bee', email: 'busy@acme.example', role: 'owner' },
  { uuid: '{pr}', name: 'Pat Review', email: 'pat@acme.example' },
  { uuid: '{late}', name: 'Lee Late', email: 'lee@acme.example' },
  { uuid: '{quiet}', name: 'Quinn Quiet', email: 'quinn@acme.example', role: 'owner' },
  { uuid: '{new}', name: 'Nia New', email: 'nia@acme.example' },
]);
// Busy: a commit on each of the 12 days before DAY0, a pull request on three of them.
const busyDays = Array.from({ length: 12 }, (_, i) => addDays(DAY0, -(i + 1)));
const facts: Fact[] = [
  ...busyDays.map((day) => ({ account: '{busy}', day, feature: 'commit', record: `busy:${day}` })),
  ...busyDays.slice(0, 3).map((day) => ({ account: '{busy}', day, feature: 'pull_request.opened', record: `busy-pr:${day}` })),
  { account: '{pr}', day: addDays(DAY0, -3), feature: 'commit' },
  { account: '{pr}', day: addDays(DAY0, -3), feature: 'pull_request.reviewed', record: 'pr-review' },
  { account: '{pr}', day: addDays(DAY0, -20), feature: 'pull_request.reviewed' },
  { account: '{late}', day: addDays(DAY0, -40), feature: 'commit' },
  { account: '{quiet}', day: addDays(DAY0, -100), feature: 'commit' },
];
await addFacts(db, bb, facts);

const metricDays = Array.from({ length: 30 }, (_, i) => addDays(DAY1, -(i + 1)));
await addRecords(db, org, cloud, 'droplets', [1, 2].map((id) => ({ id: String(id), data: { id, name: `web-${id}`, created_at: '2026-01-01T00:00:00Z', tags: [], size_slug: 's-1vcpu-1gb', size: { price_monthly: 6 }, region: { slug: 'ams3' } } })));
await addRecords(db, org, cloud, 'droplet_cpu_metrics', [1, 2].flatMap((id) => metricDays.slice(id === 2 ? 20 : 0).map((day, i) => ({ id: `${id}:${day}`, parent: String(id), data: { droplet_id: id, day, samples: 288, cpu_avg: id === 1 ? 0.3 + i / 100 : 0.01, cpu_p95: id === 1 ? 0.6 : 0.02 } }))));
await addRecords(db, org, cloud, 'droplet_bandwidth_outbound_metrics', metricDays.map((day, i) => ({ id: `1:${day}`, parent: '1', data: { droplet_id: 1, day, samples: 288, bytes: 1000 + i } })));
await addFacts(db, cloud, metricDays.map((day) => ({ account: '1', day, feature: 'droplet.running', stream: 'droplet_cpu_metrics' })));

/** Everything the API reads from the rollups, in a stable order. */
async function snapshot() {
  const q = async (query: ReturnType<typeof sql>) => (await query.execute(db)).rows;
  return {
    accounts: await q(sql`select connection_id, account_id, seat, departed, role, two_step, first_day::text, last_day::text, last_nonbasic_day::text, recent_days::text from analytics_accounts order by 1, 2`),
    people: await q(sql`select display_name, last_day::text, active_until::text, accounts, seats, departed, link_confidence from people order by 1`),
    daily: await q(sql`select connection_id, day::text, active1, active7, active30, active90 from app_daily_active where day >= ${addDays(DAY1, -120)} order by 1, 2`),
    featureLast: await q(sql`select connection_id, account_id, feature, last_day::text from account_feature_last order by 1, 2, 3`),
    featureDaily: await q(sql`select connection_id, day::text, feature, count from app_feature_daily order by 1, 2, 3`),
    windows: await q(sql`select connection_id, window_days, feature, users, count, as_of::text from app_feature_windows order by 1, 2, 3`),
    weekly: await q(sql`select connection_id, week::text, feature, users, count from app_weekly_features order by 1, 2, 3`),
    stats: await q(sql`select * from app_stats order by connection_id`),
    resources: await q(sql`select resource_id, monthly_cost, cost_source, usage, flags from cloud_resources order by 1`),
    spend: await q(sql`select connection_id, month::text, product, project, source, amount from spend_monthly order by 1, 2, 3, 4, 5`),
    insights: await q(sql`select key, severity, title, summary, evidence, saving, current, state, case when current then (select computed_at from analytics_state s where s.connection_id = i.connection_id) else last_seen_at end as last_seen_at from insights i order by key`),
  };
}

describe('the recompute after a day’s sync', () => {
  it('gives the same figures as a full rebuild, also where the kept summary cannot answer alone', async () => {
    await recomputeAt(ctx, bb, DAY0);
    await recomputeAt(ctx, cloud, DAY0);
    // DAY1's sync: new activity, busy's three newest days removed (fewer recent days kept than needed),
    // pat's review removed (the last non-basic day is now older), a late fact before lee's first day, a never-active member's first.
    await addFacts(db, bb, [
      { account: '{busy}', day: DAY1, feature: 'commit', record: 'busy-today' },
      { account: '{late}', day: addDays(DAY0, -60), feature: 'pull_request.opened', record: 'late-old' },
      { account: '{new}', day: DAY1, feature: 'pipeline.run' },
    ]);
    await sql`delete from activity_events where connection_id = ${bb} and external_id = any(${busyDays.slice(0, 3).map((d) => `busy:${d}`)}::text[])`.execute(db);
    await sql`delete from activity_events where connection_id = ${bb} and external_id = any(${busyDays.slice(0, 3).map((d) => `busy-pr:${d}`)}::text[])`.execute(db);
    await sql`delete from activity_events where connection_id = ${bb} and external_id = 'pr-review'`.execute(db);

    const incremental = await recomputeAt(ctx, bb, DAY1);
    expect(incremental).toMatchObject({ full: false });
    expect(await recomputeAt(ctx, cloud, DAY1)).toMatchObject({ full: false });
    const afterIncremental = await snapshot();
    const accounts = afterIncremental.accounts as Array<Record<string, unknown>>;
    expect(accounts.find((a) => a.account_id === '{busy}')).toMatchObject({ last_day: DAY1, last_nonbasic_day: null, first_day: busyDays[11] });
    expect((accounts.find((a) => a.account_id === '{busy}')!.recent_days as string).split(',')).toHaveLength(8);
    expect(accounts.find((a) => a.account_id === '{pr}')).toMatchObject({ last_day: addDays(DAY0, -3), last_nonbasic_day: addDays(DAY0, -20) });
    expect(accounts.find((a) => a.account_id === '{late}')).toMatchObject({ first_day: addDays(DAY0, -60), last_day: addDays(DAY0, -40) });
    expect(afterIncremental.resources.length).toBeGreaterThan(0);

    await recomputeAt(ctx, bb, DAY1, true);
    await recomputeAt(ctx, cloud, DAY1, true);
    expect(await snapshot()).toEqual(afterIncremental);
  });
});
