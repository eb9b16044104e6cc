import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { appDetail, appMembers } from '../../src/analytics/queries/apps.ts';
import { loadApps } from '../../src/analytics/queries/apps-shared.ts';
import { featuresList, renewalsList } from '../../src/analytics/queries/lists.ts';
import { peopleList } from '../../src/analytics/queries/people.ts';
import { addDays } from '../../src/analytics/dates.ts';
import { addFacts, addMembers, addRecords, fixtureDb, makeConnection, makeOrg, recomputeAt, setSettings, type Fact } from './support.ts';

/**
 * One Bitbucket workspace where every answer is known by hand (today 2026-06-15, a Monday):
 * ana engaged (commits and reviews yesterday), bob few features (commits only, 5 days ago), cy engaged
 * (a pull request 26 days ago), dee lapsing (a commit 45 days ago), eve inactive (a commit 87 days ago), fay
 * never active, gus departed (active 2 weeks ago), and a bot committing under an email no account has.
 */
const TODAY = '2026-06-15';
const { db, ctx } = await fixtureDb();
const org = await makeOrg(db);
const bb = await makeConnection(db, org, 'bitbucket');
await addMembers(db, org, bb, [
  { uuid: '{a}', name: 'Ana Lima', role: 'owner' },
  { uuid: '{b}', name: 'Bob Stone' },
  { uuid: '{c}', name: 'Cy Young' },
  { uuid: '{d}', name: 'Dee Ray' },
  { uuid: '{e}', name: 'Eve Moss', role: 'owner' },
  { uuid: '{f}', name: 'Fay Wong' },
  { uuid: '{g}', name: 'Gus Hart', departed: true },
]);
const facts: Fact[] = [
  { account: '{a}', day: '2026-06-14', feature: 'commit', count: 3 },
  { account: '{a}', day: '2026-06-14', feature: 'pull_request.reviewed', count: 2 },
  { account: '{a}', day: '2026-05-02', feature: 'commit' },
  { account: '{b}', day: '2026-06-10', feature: 'commit', count: 4 },
  { account: '{c}', day: '2026-05-20', feature: 'pull_request.opened' },
  { account: '{d}', day: '2026-05-01', feature: 'commit' },
  { account: '{e}', day: '2026-03-20', feature: 'commit' },
  { account: '{g}', day: '2026-06-01', feature: 'pipeline.run' },
  { account: '{g}', day: '2026-06-01', feature: 'pipeline.build_seconds', count: 300 },
  { account: 'email:bot@ci.example', day: '2026-06-12', feature: 'commit', count: 9 },
];
await addFacts(db, bb, facts);
await recomputeAt(ctx, bb, TODAY);

/** Active accounts over W days ending `day`, counted straight from the fixture: members (current or departed) only. */
function expectedActive(day: string, w: number): number {
  const members = ['{a}', '{b}', '{c}', '{d}', '{e}', '{f}', '{g}'];
  return new Set(facts.filter((f) => members.includes(f.account) && f.day <= day && f.day >= addDays(day, -(w - 1))).map((f) => f.account)).size;
}

describe('seats, active, inactive seats and utilization', () => {
  it.each([
    { window: 7, active: 2, inactiveSeats: 4, utilization: 2 / 6 },
    { window: 30, active: 3, inactiveSeats: 3, utilization: 3 / 6 },
    { window: 90, active: 5, inactiveSeats: 1, utilization: 5 / 6 },
  ])('over $window days: 6 seats (the departed member holds none), $active active', async ({ window, active, inactiveSeats, utilization }) => {
    const [app] = await loadApps(db, org, TODAY, window);
    expect(app).toMatchObject({ seats: 6, seatSource: 'provider', active, inactiveSeats, peopleBased: true });
    expect(app!.utilization).toBeCloseTo(utilization, 10);
  });

  it('an admin’s seat count override replaces the member count', async () => {
    await setSettings(db, org, bb, { seat_count_override: 10 });
    const [app] = await loadApps(db, org, TODAY, 30);
    await sql`update app_settings set seat_count_override = null where connection_id = ${bb}`.execute(db);
    expect(app).toMatchObject({ seats: 10, seatSource: 'override', active: 3, inactiveSeats: 7 });
  });
});

describe('usage levels', () => {
  it('sorts every seat into engaged, few features, lapsing, inactive and never active', async () => {
    const [app] = await loadApps(db, org, TODAY, 30);
    expect(app!.usageLevels).toEqual({ engaged: 2, few_features: 1, lapsing: 1, inactive: 1, never_active: 1 });
    const members = await appMembers(db, org, bb, { window: '30', limit: 50, offset: 0, format: 'json' }, TODAY);
    const level = Object.fromEntries(members.items.map((m) => [m.name, m.level]));
    expect(level).toMatchObject({ 'Ana Lima': 'engaged', 'Bob Stone': 'few_features', 'Cy Young': 'engaged', 'Dee Ray': 'lapsing', 'Eve Moss': 'inactive', 'Fay Wong': 'never_active' });
  });

  it('follows the app’s inactivity threshold', async () => {
    await setSettings(db, org, bb, { inactivity_threshold_days: 30 });
    await recomputeAt(ctx, bb, TODAY); // as the settings endpoint does
    const [app] = await loadApps(db, org, TODAY, 30);
    await setSettings(db, org, bb, { inactivity_threshold_days: 60 });
    await recomputeAt(ctx, bb, TODAY);
    expect(app!.usageLevels).toEqual({ engaged: 2, few_features: 1, lapsing: 0, inactive: 2, never_active: 1 });
  });

  it('decides whether a person is active by each app’s threshold', async () => {
    const eve = async () => (await peopleList(db, org, { q: 'eve', limit: 50, offset: 0, format: 'json' }, TODAY)).items[0]!.status;
    expect(await eve()).toBe('inactive');
    await setSettings(db, org, bb, { inactivity_threshold_days: 120 });
    await recomputeAt(ctx, bb, TODAY);
    expect(await eve()).toBe('active');
    await setSettings(db, org, bb, { inactivity_threshold_days: 60 });
    await recomputeAt(ctx, bb, TODAY);
    expect(await eve()).toBe('inactive');
  });
});

describe('the members table', () => {
  it('lists last activity, active days and feature counts in the window, newest first, and filters', async () => {
    const page = await appMembers(db, org, bb, { window: '30', limit: 3, offset: 0, format: 'json' }, TODAY);
    expect(page.total).toBe(8); // 7 members (one departed) and the bot
    expect(page.nextOffset).toBe(3);
    expect(page.items.map((m) => m.accountId)).toEqual(['{a}', 'email:bot@ci.example', '{b}']);
    expect(page.items[0]).toMatchObject({ lastActivityDay: '2026-06-14', activeDays: 1, featureCounts: { commit: 3, 'pull_request.reviewed': 2 }, seat: true, role: 'owner' });
    const inactive = await appMembers(db, org, bb, { window: '30', level: 'inactive', seat: 'true', limit: 50, offset: 0, format: 'json' }, TODAY);
    expect(inactive.items.map((m) => m.name)).toEqual(['Eve Moss']);
    const search = await appMembers(db, org, bb, { window: '30', q: 'stone', limit: 50, offset: 0, format: 'json' }, TODAY);
    expect(search.items.map((m) => m.accountId)).toEqual(['{b}']);
    const departed = await appMembers(db, org, bb, { window: '90', seat: 'false', limit: 50, offset: 0, format: 'json' }, TODAY);
    expect(departed.items.find((m) => m.accountId === '{g}')).toMatchObject({ departed: true, featureCounts: { 'pipeline.run': 1 } });
  });
});

describe('active over time', () => {
  it('counts the trailing 7, 30 and 90 days for every day, as a direct count of the fixture does', async () => {
    const detail = await appDetail(db, org, bb, { window: '30', from: '2026-03-01', to: TODAY }, TODAY);
    expect(detail.activeOverTime.length).toBe(107);
    for (const p of detail.activeOverTime) {
      expect([p.day, p.active7, p.active30, p.active90]).toEqual([p.day, expectedActive(p.day, 7), expectedActive(p.day, 30), expectedActive(p.day, 90)]);
    }
    expect(detail.activityNote).toMatch(/SSO/);
  });
});

describe('feature adoption', () => {
  it('counts members using each feature in the window, and per week', async () => {
    const page = await featuresList(db, org, { window: '30', limit: 50, offset: 0, format: 'json', from: '2026-05-01', to: TODAY }, TODAY);
    const f = Object.fromEntries(page.items.map((x) => [x.feature, x]));
    // The bot's commits are not a member's: adoption is about seats.
    expect(f.commit).toMatchObject({ users: 2, count: 7, basic: true, label: 'Commits' });
    expect(f.commit!.adoption).toBeCloseTo(2 / 6, 10);
    expect(f['pull_request.reviewed']).toMatchObject({ users: 1, count: 2, basic: false });
    expect(f['pull_request.opened']).toMatchObject({ users: 1 });
    expect(f['pipeline.run']).toMatchObject({ users: 1 });
    expect(f.deployment).toMatchObject({ users: 0, weekly: [] });
    expect(f['pipeline.build_seconds']).toBeUndefined();
    expect(f.commit!.weekly).toEqual([
      { week: '2026-04-27', users: 2, count: 2 },
      { week: '2026-06-08', users: 2, count: 7 },
    ]);
  });
});

describe('renewals', () => {
  it('lists apps renewing within 90 days with the seats that could be cut and the yearly saving', async () => {
    await setSettings(db, org, bb, { renewal_date: '2026-08-01', contract_value: '3000.00', price_per_seat: '15.25', plan_name: 'Premium' });
    const page = await renewalsList(db, org, { days: 90, limit: 50, offset: 0, format: 'json' }, TODAY);
    expect(page.items).toEqual([
      expect.objectContaining({ renewalDate: '2026-08-01', daysLeft: 47, contractValue: '3000.00', planName: 'Premium', seats: 6, active: 3, seatsToCut: 2, yearlySaving: '366.00' }),
    ]);
    expect((await renewalsList(db, org, { days: 30, limit: 50, offset: 0, format: 'json' }, TODAY)).items).toEqual([]);
  });
});

describe('incremental recompute', () => {
  it('after a day of new activity (and a removed event) gives the same rollups as a full rebuild', async () => {
    const next = '2026-06-16';
    await addFacts(db, bb, [
      { account: '{f}', day: next, feature: 'commit' },
      { account: '{e}', day: next, feature: 'pull_request.opened', count: 2 },
    ]);
    await sql`delete from activity_events where connection_id = ${bb} and account_id = '{d}'`.execute(db);
    const incremental = await recomputeAt(ctx, bb, next);
    expect(incremental).toMatchObject({ full: false, dirtyAccounts: 3, fromDay: '2026-05-01' });
    const snapshot = async () => ({
      accounts: (await sql`select account_id, seat, departed, first_day, last_day, last_nonbasic_day from analytics_accounts where connection_id = ${bb} order by 1`.execute(db)).rows,
      daily: (await sql`select day::text, active1, active7, active30, active90 from app_daily_active where connection_id = ${bb} and day >= '2026-03-01' order by 1`.execute(db)).rows,
      weekly: (await sql`select week::text, feature, users, count from app_weekly_features where connection_id = ${bb} order by 1, 2`.execute(db)).rows,
      windows: (await sql`select window_days, feature, users, count from app_feature_windows where connection_id = ${bb} order by 1, 2`.execute(db)).rows,
    });
    const afterIncremental = await snapshot();
    expect(afterIncremental.accounts.find((a: any) => a.account_id === '{d}')).toMatchObject({ last_day: null });
    expect(afterIncremental.accounts.find((a: any) => a.account_id === '{f}')).toMatchObject({ last_day: next, first_day: next });
    await recomputeAt(ctx, bb, next, true);
    expect(await snapshot()).toEqual(afterIncremental);

    // Two days later, only that day's facts: the recent-days path, not a 90-day scan.
    const later = '2026-06-18';
    await addFacts(db, bb, [{ account: '{b}', day: later, feature: 'pull_request.reviewed' }, { account: '{a}', day: '2026-06-17', feature: 'commit' }]);
    const recent = await recomputeAt(ctx, bb, later);
    expect(recent).toMatchObject({ full: false, dirtyAccounts: 2, fromDay: '2026-06-17' });
    const afterRecent = await snapshot();
    await recomputeAt(ctx, bb, later, true);
    expect(await snapshot()).toEqual(afterRecent);
    expect(afterRecent.daily.at(-1)).toEqual({ day: later, active1: 1, active7: 4, active30: 6, active90: 6 });
  });

  it('keeps activity_facts answering as the sum of the events, under its old name', async () => {
    const facts = await sql`select connection_id, account_id, day::text, feature, count from activity_facts where connection_id = ${bb} order by 2, 3, 4`.execute(db);
    const events = await sql`select connection_id, account_id, day::text, feature, sum(count)::int as count from activity_events where connection_id = ${bb} group by 1, 2, 3, 4 order by 2, 3, 4`.execute(db);
    expect(facts.rows).toEqual(events.rows);
  });
});

describe('a DigitalOcean app', () => {
  it('is about resources: no seats, active droplets from their running days', async () => {
    const doApp = await makeConnection(db, org, 'digitalocean');
    await addRecords(db, org, doApp, 'droplets', [{ id: '1', data: { id: 1, name: 'web', created_at: '2026-01-01T00:00:00Z', tags: [], size_slug: 's-1vcpu-1gb', size: { price_monthly: 6 }, region: { slug: 'ams3' } } }]);
    await addFacts(db, doApp, [{ account: '1', day: '2026-06-14', feature: 'droplet.running', stream: 'droplet_cpu_metrics' }]);
    await recomputeAt(ctx, doApp, TODAY);
    const app = (await loadApps(db, org, TODAY, 30)).find((a) => a.appId === doApp);
    expect(app).toMatchObject({ peopleBased: false, seats: null, seatSource: 'none', utilization: null, active: 1, resources: 1 });
  });
});
