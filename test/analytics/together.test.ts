import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { bumpAnalyticsVersion } from '../../src/analytics/cache.ts';
import { addDays } from '../../src/analytics/dates.ts';
import { pendingConnections, recomputeAnalytics, recomputeConnections, recomputePending } from '../../src/analytics/index.ts';
import { linkAccount } from '../../src/analytics/people/admin.ts';
import { changeInsightState } from '../../src/analytics/insights/store.ts';
import { loadApps } from '../../src/analytics/queries/apps-shared.ts';
import { insightsList } from '../../src/analytics/queries/insights.ts';
import { addFacts, addMembers, addRecords, fixtureDb, makeConnection, makeOrg, recomputeAt, setSettings } from './support.ts';

/**
 * Connections of an organization are recomputed together (one statement per step over all of them), and
 * after a sync every connection that is behind is. Together or one at a time, the figures are the same;
 * what the recompute keeps precomputed (monitoring days, live resource counts, a current insight's last
 * seen time, the data version) follows every change.
 */
const DAY0 = '2026-09-14';
const DAY1 = '2026-09-15';
const { db, ctx } = await fixtureDb();
// One connection per provider and organization is the product's rule; the recompute does not rely on it, and
// two workspaces sharing people is what a set-based people step must get right (the benchmark lifts it too).
await sql`alter table connections drop constraint if exists connections_organization_id_provider_key`.execute(db);
const at = (day: string) => ({ now: new Date(`${day}T12:00:00Z`) });

/** Two Bitbucket workspaces sharing people (by email) and a DigitalOcean team, as a sync left them by DAY0. */
async function world(name: string) {
  const org = await makeOrg(db, name);
  const bb1 = await makeConnection(db, org, 'bitbucket');
  const bb2 = await makeConnection(db, org, 'bitbucket', { workspaces: [{ slug: 'labs', name: 'Labs', uuid: '{l}' }] });
  const cloud = await makeConnection(db, org, 'digitalocean');
  await setSettings(db, org, bb1, { price_per_seat: '15.00' });
  await addMembers(db, org, bb1, [
    { uuid: '{ann}', name: 'Ann Able', email: 'ann@acme.example', role: 'owner' },
    { uuid: '{bob}', name: 'Bob Busy', email: 'bob@acme.example' },
    { uuid: '{cat}', name: 'Cat Calm', email: 'cat@acme.example' },
  ]);
  await addMembers(db, org, bb2, [
    { uuid: '{ann2}', name: 'Ann Able', email: 'ann@acme.example' },
    { uuid: '{dan}', name: 'Dan Dormant', email: 'dan@acme.example', twoStep: false },
  ]);
  await addFacts(db, bb1, [
    ...Array.from({ length: 10 }, (_, i) => ({ account: '{bob}', day: addDays(DAY0, -i), feature: 'commit', record: `bob:${i}` })),
    { account: '{bob}', day: addDays(DAY0, -2), feature: 'pull_request.opened', record: 'bob-pr' },
    { account: '{ann}', day: addDays(DAY0, -40), feature: 'pull_request.reviewed' },
  ]);
  await addFacts(db, bb2, [{ account: '{ann2}', day: addDays(DAY0, -1), feature: 'pipeline.run' }]);
  const days = Array.from({ length: 30 }, (_, i) => addDays(DAY1, -(i + 1)));
  await addRecords(db, org, cloud, 'droplets', [1, 2, 3].map((id) => ({ id: String(id), data: { id, name: `web-${id}`, created_at: '2026-01-01T00:00:00Z', tags: [], size_slug: 's-1vcpu-1gb', size: { price_monthly: 6 }, region: { slug: 'ams3' } } })));
  await addRecords(db, org, cloud, 'droplet_cpu_metrics', [1, 2].flatMap((id) => days.map((day, i) => ({ id: `${id}:${day}`, parent: String(id), data: { droplet_id: id, day, samples: 288, cpu_avg: id === 1 ? 0.3 + i / 100 : 0.01, cpu_p95: id === 1 ? 0.6 : 0.02 } }))));
  await addFacts(db, cloud, days.map((day) => ({ account: '1', day, feature: 'droplet.running', stream: 'droplet_cpu_metrics' })));
  return { org, bb1, bb2, cloud };
}

/** The same DAY1 sync in any world: new activity, a removed pull request, a late fact, a deleted droplet. */
async function dayOne(w: Awaited<ReturnType<typeof world>>) {
  await addFacts(db, w.bb1, [
    { account: '{bob}', day: DAY1, feature: 'commit', record: 'bob-today' },
    { account: '{cat}', day: addDays(DAY0, -70), feature: 'commit', record: 'cat-late' },
  ]);
  await addFacts(db, w.bb2, [{ account: '{dan}', day: DAY1, feature: 'pull_request.opened' }]);
  await sql`delete from activity_events where connection_id = ${w.bb1} and external_id = 'bob-pr'`.execute(db);
  await addRecords(db, w.org, w.cloud, 'droplets', [{ id: '3', data: { id: 3, name: 'web-3', created_at: '2026-01-01T00:00:00Z', tags: [], size_slug: 's-1vcpu-1gb', size: { price_monthly: 6 }, region: { slug: 'ams3' } }, deletedAt: new Date(`${DAY1}T06:00:00Z`) }]);
}

/** Everything the API reads, with each world's ids replaced by names, so two worlds compare. */
async function snapshot(w: Awaited<ReturnType<typeof world>>) {
  const names = new Map([[w.bb1, 'bb1'], [w.bb2, 'bb2'], [w.cloud, 'cloud']]);
  // Ids renamed, then rows put in order again (the two worlds' ids sort differently).
  const rename = (rows: unknown[]) =>
    rows.map((r) => JSON.stringify(r).replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, (id) => names.get(id) ?? id)).sort().map((r) => JSON.parse(r));
  const ids = [w.bb1, w.bb2, w.cloud];
  const q = async (query: ReturnType<typeof sql>) => rename((await query.execute(db)).rows);
  return {
    accounts: await q(sql`select connection_id, account_id, seat, departed, role, two_step, first_day::text, last_day::text, last_nonbasic_day::text, recent_days::text from analytics_accounts where connection_id = any(${ids}::uuid[]) order by 1, 2`),
    people: await q(sql`select display_name, primary_email, last_day::text, active_until::text, accounts, seats, departed, link_confidence from people where organization_id = ${w.org} order by 1`),
    links: await q(sql`select pa.connection_id, pa.account_id, p.display_name, pa.method from person_accounts pa join people p on p.id = pa.person_id where pa.organization_id = ${w.org} order by 1, 2`),
    daily: await q(sql`select connection_id, day::text, active1, active7, active30, active90 from app_daily_active where connection_id = any(${ids}::uuid[]) order by 1, 2`),
    featureLast: await q(sql`select connection_id, account_id, feature, last_day::text from account_feature_last where connection_id = any(${ids}::uuid[]) order by 1, 2, 3`),
    featureDaily: await q(sql`select connection_id, day::text, feature, count from app_feature_daily where connection_id = any(${ids}::uuid[]) order by 1, 2, 3`),
    windows: await q(sql`select connection_id, window_days, feature, users, count from app_feature_windows where connection_id = any(${ids}::uuid[]) order by 1, 2, 3`),
    weekly: await q(sql`select connection_id, week::text, feature, users, count from app_weekly_features where connection_id = any(${ids}::uuid[]) order by 1, 2, 3`),
    stats: await q(sql`select connection_id, as_of::text, seats, active7, active30, active90, engaged, few_features, lapsing, inactive, never_active from app_stats where connection_id = any(${ids}::uuid[]) order by 1`),
    resources: await q(sql`select connection_id, resource_id, monthly_cost, cost_source, usage, flags from cloud_resources where connection_id = any(${ids}::uuid[]) order by 1, 2`),
    counts: await q(sql`select connection_id, type, alive from app_resource_counts where connection_id = any(${ids}::uuid[]) order by 1, 2`),
    spend: await q(sql`select connection_id, month::text, product, source, amount from spend_monthly where connection_id = any(${ids}::uuid[]) order by 1, 2, 3, 4`),
    insights: await q(sql`select key, severity, title, summary, evidence, saving, current, state from insights where organization_id = ${w.org} order by key`),
  };
}

describe('connections recomputed together', () => {
  it('give the same figures as one at a time, after a first sync and after a day of changes', async () => {
    const alone = await world('Alone');
    const together = await world('Together');
    for (const id of [alone.bb1, alone.bb2, alone.cloud]) await recomputeAnalytics(ctx, id, at(DAY0));
    const first = await recomputeConnections(ctx, [together.bb1, together.bb2, together.cloud], at(DAY0));
    expect(first.map((r) => r.full)).toEqual([true, true, true]);
    expect(await snapshot(together)).toEqual(await snapshot(alone));

    await dayOne(alone);
    await dayOne(together);
    for (const id of [alone.bb1, alone.bb2, alone.cloud]) await recomputeAnalytics(ctx, id, at(DAY1));
    const next = await recomputeConnections(ctx, [together.cloud, together.bb2, together.bb1], at(DAY1));
    expect(next.every((r) => !r.full)).toBe(true);
    const figures = await snapshot(together);
    expect(figures).toEqual(await snapshot(alone));
    // The day was really merged in: Bob's commit of today, the pull request gone, the deleted droplet.
    expect(figures.accounts).toContainEqual(expect.objectContaining({ connection_id: 'bb1', account_id: '{bob}', last_day: DAY1, last_nonbasic_day: null }));
    expect(figures.counts).toEqual([{ connection_id: 'cloud', type: 'droplet', alive: 2 }]);
  });
});

describe('after a sync', () => {
  it('every connection of the organization that is behind is recomputed, and then none is', async () => {
    const w = await world('Pending');
    expect((await pendingConnections(ctx, w.org)).sort()).toEqual([w.bb1, w.bb2, w.cloud].sort());
    expect(await recomputePending(ctx, w.org, [], at(DAY0))).toHaveLength(3);
    expect(await pendingConnections(ctx, w.org)).toEqual([]);

    // New activity in one workspace; a sync run of the cloud team that ended after its last recompute.
    await addFacts(db, w.bb2, [{ account: '{dan}', day: DAY0, feature: 'commit' }]);
    await db.insertInto('sync_runs').values({ organization_id: w.org, connection_id: w.cloud, trigger: 'schedule', status: 'succeeded', finished_at: new Date(Date.now() + 60_000) }).execute();
    expect((await pendingConnections(ctx, w.org)).sort()).toEqual([w.bb2, w.cloud].sort());
    const done = await recomputePending(ctx, w.org, [], { now: new Date(Date.now() + 120_000) });
    expect(done.map((r) => r.connectionId).sort()).toEqual([w.bb2, w.cloud].sort());
    expect(await pendingConnections(ctx, w.org)).toEqual([]);
    expect((await recomputePending(ctx, w.org, [w.bb1], at(DAY1))).map((r) => r.connectionId)).toEqual([w.bb1]);
  });
});

describe('what the recompute keeps precomputed', () => {
  it('follows a monitoring day that a later sync rewrote, and resources that went away', async () => {
    const w = await world('Kept');
    await recomputeConnections(ctx, [w.bb1, w.bb2, w.cloud], at(DAY0));
    // A later sync rewrites a day already copied (its figures changed) and removes a droplet.
    const day = addDays(DAY1, -3);
    await addRecords(db, w.org, w.cloud, 'droplet_cpu_metrics', [{ id: `2:${day}`, parent: '2', data: { droplet_id: 2, day, samples: 288, cpu_avg: 0.5, cpu_p95: 0.9 } }]);
    await dayOne(w);
    await recomputeAt(ctx, w.cloud, DAY1);
    const droplet2 = await db.selectFrom('cloud_resources').select(['usage', 'flags']).where('connection_id', '=', w.cloud).where('resource_id', '=', 'droplet:2').executeTakeFirstOrThrow();
    // As the records say, read directly: the rewritten day is in, so the droplet is no longer idle.
    const direct = (
      await sql<{ p95: number; avg: number }>`
        select max((data->>'cpu_p95')::float8) as p95, sum((data->>'cpu_avg')::float8 * (data->>'samples')::float8) / sum((data->>'samples')::float8) as avg
        from sync_records where connection_id = ${w.cloud} and stream = 'droplet_cpu_metrics' and parent_id = '2' and data->>'day' >= ${addDays(DAY1, -14)} and data->>'day' < ${DAY1}`.execute(db)
    ).rows[0]!;
    const d14 = (droplet2.usage as { d14: { cpuP95: number; cpuAvg: number } }).d14;
    expect(d14.cpuP95).toBe(direct.p95);
    expect(d14.cpuAvg).toBeCloseTo(direct.avg, 12);
    expect(droplet2.flags).not.toContain('idle');
    const [cloudApp] = (await loadApps(db, w.org, DAY1, 30)).filter((a) => a.appId === w.cloud);
    const live = await db.selectFrom('cloud_resources').select(sql<number>`count(*)::int`.as('n')).where('connection_id', '=', w.cloud).where('deleted_at', 'is', null).executeTakeFirstOrThrow();
    expect(cloudApp!.resources).toBe(live.n);
    expect(live.n).toBe(2);
  });

  it('shows a current insight as seen by the latest recompute, and one that went away as last seen before', async () => {
    const w = await world('Seen');
    await recomputeConnections(ctx, [w.bb1, w.bb2, w.cloud], at(DAY0));
    const open = async (day: string) => (await insightsList(db, w.org, { state: 'all', limit: 100, offset: 0, format: 'json' }, day)).items;
    const twoStep = (await open(DAY0)).find((i) => i.kind === 'member_without_two_step')!;
    expect(twoStep.lastSeenAt).toBe(`${DAY0}T12:00:00.000Z`);
    // Found again unchanged the next day: its row is left alone, yet it was seen then.
    await recomputeConnections(ctx, [w.bb1, w.bb2, w.cloud], at(DAY1));
    expect((await open(DAY1)).find((i) => i.insightId === twoStep.insightId)).toMatchObject({ lastSeenAt: `${DAY1}T12:00:00.000Z`, current: true });
    // Dan turned two-step verification on: no longer found two days later, last seen the day before.
    await addMembers(db, w.org, w.bb2, [{ uuid: '{dan}', name: 'Dan Dormant', email: 'dan@acme.example', twoStep: true }]);
    const day2 = addDays(DAY1, 1);
    await recomputeConnections(ctx, [w.bb2], at(day2));
    expect((await open(day2)).find((i) => i.insightId === twoStep.insightId)).toMatchObject({ lastSeenAt: `${DAY1}T12:00:00.000Z`, current: false, state: 'resolved' });
  });

  it('moves the data version with an admin correction, in its own transaction', async () => {
    const w = await world('Versioned');
    await recomputeConnections(ctx, [w.bb1, w.bb2, w.cloud], at(DAY0));
    await bumpAnalyticsVersion(ctx, [w.org]);
    const version = async () => (await db.selectFrom('analytics_versions').select('version').where('organization_id', '=', w.org).executeTakeFirstOrThrow()).version;
    const actor = (await db.insertInto('users').values({ email: `admin-${w.org}@acme.example`, name: 'Admin', password_hash: 'x' }).returning(['id', 'name']).executeTakeFirstOrThrow());
    const cat = (await db.selectFrom('person_accounts').select('person_id').where('connection_id', '=', w.bb1).where('account_id', '=', '{cat}').executeTakeFirstOrThrow()).person_id;
    const before = await version();
    await linkAccount(db, { organizationId: w.org, personId: cat, actor }, { appId: w.bb2, accountId: '{dan}' });
    expect(Number(await version())).toBe(Number(before) + 1);
    // A correction that fails changes nothing, the version included.
    await expect(linkAccount(db, { organizationId: w.org, personId: cat, actor }, { appId: w.bb2, accountId: '{nobody}' })).rejects.toThrow(/not found/);
    expect(Number(await version())).toBe(Number(before) + 1);
    const insight = (await insightsList(db, w.org, { state: 'open', limit: 1, offset: 0, format: 'json' }, DAY0)).items[0]!;
    await changeInsightState(db, { organizationId: w.org, insightId: insight.insightId, userId: actor.id, userName: actor.name, state: 'dismissed', today: DAY0 });
    expect(Number(await version())).toBe(Number(before) + 2);
  });
});
