import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { changeInsightState } from '../../src/analytics/insights/store.ts';
import { insightsList } from '../../src/analytics/queries/insights.ts';
import { resourceDetail, resourcesList } from '../../src/analytics/queries/resources.ts';
import { spendSummary } from '../../src/analytics/queries/spend.ts';
import { spendLines } from '../../src/analytics/queries/lists.ts';
import { addFacts, addMembers, addRecords, fixtureDb, makeConnection, makeOrg, recomputeAt, setSettings } from './support.ts';

/**
 * A DigitalOcean team and a Bitbucket workspace with known money (today 2026-06-15): invoices for March to
 * May and the June preview, line items for May, droplets (one idle and open to the internet), volumes (one
 * unattached), snapshots (one old), and Bitbucket seats at $10.
 */
const TODAY = '2026-06-15';
const NOW = new Date(`${TODAY}T12:00:00Z`);
const { db, ctx } = await fixtureDb();
const org = await makeOrg(db);
const dox = await makeConnection(db, org, 'digitalocean');
const add = (stream: string, records: Parameters<typeof addRecords>[4]) => addRecords(db, org, dox, stream, records);
const droplet = (id: number, name: string, created: string, price: number, tags: string[]) => ({
  id: String(id), data: { id, name, created_at: created, tags, size_slug: 's', size: { price_monthly: price }, region: { slug: 'ams3' }, volume_ids: [] },
});
await add('droplets', [droplet(1, 'web', '2026-01-01T00:00:00Z', 48, ['fw']), droplet(2, 'idle-box', '2026-05-10T00:00:00Z', 24, [])]);
await add('firewalls', [{ id: 'fw1', data: { id: 'fw1', name: 'web-fw', created_at: '2026-01-01T00:00:00Z', droplet_ids: [], tags: ['fw'] } }]);
await add('volumes', [
  { id: 'v1', data: { id: 'v1', name: 'data', droplet_ids: [1], size_gigabytes: 100, created_at: '2026-01-01T00:00:00Z', region: { slug: 'ams3' } } },
  { id: 'v2', data: { id: 'v2', name: 'orphan', droplet_ids: [], size_gigabytes: 50, created_at: '2026-01-01T00:00:00Z', region: { slug: 'ams3' } } },
]);
await add('snapshots', [
  { id: 's1', data: { id: 's1', name: 'before-upgrade', created_at: '2026-01-01T00:00:00Z', resource_id: '1', resource_type: 'droplet', size_gigabytes: 10, regions: ['ams3'] } },
  { id: 's2', data: { id: 's2', name: 'fresh', created_at: '2026-06-01T00:00:00Z', resource_id: '1', resource_type: 'droplet', size_gigabytes: 10, regions: ['ams3'] } },
]);
await add('projects', [{ id: 'p1', data: { id: 'p1', name: 'Production', is_default: false, created_at: '2026-01-01T00:00:00Z' } }]);
await add('project_resources', [
  { id: 'p1:do:droplet:1', parent: 'p1', data: { project_id: 'p1', urn: 'do:droplet:1', assigned_at: '2026-01-01T00:00:00Z' } },
  { id: 'p1:do:volume:v2', parent: 'p1', data: { project_id: 'p1', urn: 'do:volume:v2', assigned_at: '2026-01-01T00:00:00Z' } },
]);
const days = Array.from({ length: 14 }, (_, i) => `2026-06-${String(i + 1).padStart(2, '0')}`);
const cpu = (id: number, p95: number) => days.map((day) => ({ id: `${id}:${day}`, parent: String(id), data: { droplet_id: id, day, samples: 288, cpu_avg: p95 / 2, cpu_p95: p95, cpu_max: p95 } }));
await add('droplet_cpu_metrics', [...cpu(1, 0.4), ...cpu(2, 0.02)]);
await add('droplet_bandwidth_outbound_metrics', days.map((day) => ({ id: `1:${day}`, parent: '1', data: { droplet_id: 1, day, samples: 288, direction: 'outbound', bytes: 1000, avg_mbps: 0, max_mbps: 0 } })));
const invoice = (uuid: string, period: string, amount: string, preview = false) => ({ id: uuid, data: { invoice_uuid: uuid, invoice_id: uuid, amount, invoice_period: period, preview } });
await add('invoices', [invoice('i3', '2026-03', '100.00'), invoice('i4', '2026-04', '100.00'), invoice('i5', '2026-05', '160.40'), invoice('ip', '2026-06', '30.00', true)]);
const item = (n: number, product: string, amount: string, extra: Record<string, string> = {}) => ({
  id: `i5:${n}`, parent: 'i5', data: { invoice_uuid: 'i5', product, amount, description: extra.description ?? product, start_time: '2026-05-01T00:00:00Z', end_time: '2026-06-01T00:00:00Z', ...extra },
});
await add('invoice_items', [
  item(1, 'Droplets', '48.00', { resource_id: '1', project_name: 'Production' }),
  item(2, 'Droplets', '24.00', { resource_id: '2' }),
  item(3, 'Volumes', '10.00', { resource_id: 'v1' }),
  item(4, 'Volumes', '5.00', { resource_id: 'v2', project_name: 'Production' }),
  item(5, 'Spaces Subscription', '5.00', { description: 'Spaces' }),
]);

const bb = await makeConnection(db, org, 'bitbucket');
await addMembers(db, org, bb, [{ uuid: '{a}', name: 'Ana Lima' }, { uuid: '{b}', name: 'Bob Stone' }, { uuid: '{c}', name: 'Cy Young' }]);
await sql`update sync_records set first_seen_at = '2026-05-10' where connection_id = ${bb} and stream = 'members'`.execute(db);
await sql`update sync_records set deleted_at = '2026-05-20' where connection_id = ${bb} and stream = 'members' and external_id = '{w}:{c}'`.execute(db);
await setSettings(db, org, bb, { price_per_seat: '10.00' });
await addFacts(db, bb, [{ account: '{a}', day: '2026-06-10', feature: 'commit' }]);
await recomputeAt(ctx, dox, TODAY);
await recomputeAt(ctx, bb, TODAY);

describe('spend', () => {
  it('is what DigitalOcean billed plus seats × price, with month to date, forecast, change and cost per active user', async () => {
    const s = await spendSummary(db, org, {}, NOW);
    expect(s).toMatchObject({ monthToDate: '50.00', forecastMonthEnd: '82.07', lastMonth: '190.40', costPerActiveUser: '20.00' });
    const byApp = Object.fromEntries(s.byApp.map((a) => [a.app.provider, a]));
    // 30.00 over 14.5 days of June, scaled to 30 days.
    expect(byApp.digitalocean).toMatchObject({ monthToDate: '30.00', forecastMonthEnd: '62.07', lastMonth: '160.40', change: { amount: '-98.33', ratio: -0.613 }, costPerActiveUser: null });
    expect(byApp.bitbucket).toMatchObject({ monthToDate: '20.00', forecastMonthEnd: '20.00', lastMonth: '30.00', costPerActiveUser: '20.00' });
    expect(s.byMonth.map((m) => [m.month, m.amount])).toEqual([['2026-03', '100.00'], ['2026-04', '100.00'], ['2026-05', '190.40'], ['2026-06', '50.00']]);
    expect(s.byProduct).toEqual([
      { product: 'Adjustments, credits and taxes', amount: '268.40' },
      { product: 'Droplets', amount: '72.00' },
      { product: 'Seats', amount: '50.00' },
      { product: 'Usage to date (not itemised yet)', amount: '30.00' },
      { product: 'Volumes', amount: '15.00' },
      { product: 'Spaces Subscription', amount: '5.00' },
    ]);
    expect(s.byProject).toEqual([{ project: '(no project)', amount: '387.40' }, { project: 'Production', amount: '53.00' }]);
  });

  it('lists spend lines by product for one app, newest first, and sums cents exactly', async () => {
    const page = await spendLines(db, org, { appId: dox, groupBy: 'product', limit: 3, offset: 0, format: 'json' }, TODAY);
    expect(page.total).toBe(7);
    expect(page.items.map((l) => [l.month, l.key, l.amount, l.source])).toEqual([
      ['2026-06', 'Usage to date (not itemised yet)', '30.00', 'preview'],
      ['2026-05', 'Droplets', '72.00', 'invoice'],
      ['2026-05', 'Adjustments, credits and taxes', '68.40', 'invoice'],
    ]);
  });
});

describe('cloud resources', () => {
  it('carry their cost (invoice for a whole month, else list price), project, usage and flags', async () => {
    const page = await resourcesList(db, org, { days: '14', limit: 50, offset: 0, format: 'json' }, TODAY);
    const r = Object.fromEntries(page.items.map((x) => [x.resourceId, x]));
    expect(r['droplet:1']).toMatchObject({ monthlyCost: '48.00', costSource: 'invoice', project: 'Production', flags: [], idle: false, usage: { sampledDays: 14, cpuP95: 0.4, bandwidthBytes: 14000 } });
    expect(r['droplet:2']).toMatchObject({ monthlyCost: '24.00', costSource: 'list_price', flags: ['idle', 'no_firewall'], idle: true });
    expect(r['volume:v2']).toMatchObject({ monthlyCost: '5.00', flags: ['unattached'], project: 'Production' });
    expect(r['volume:v1']!.flags).toEqual([]);
    expect(r['snapshot:s1']).toMatchObject({ monthlyCost: '0.60', costSource: 'list_price', flags: ['old_snapshot'] });
    expect(r['snapshot:s2']!.flags).toEqual([]);
    expect(r['spaces:Spaces']).toMatchObject({ type: 'spaces', monthlyCost: '5.00' });
    expect(page.items[0]!.resourceId).toBe('droplet:1');
    expect((await resourcesList(db, org, { days: '14', flag: 'idle', limit: 50, offset: 0, format: 'json' }, TODAY)).items.map((x) => x.resourceId)).toEqual(['droplet:2']);
  });

  it('show a droplet’s daily usage and monthly cost', async () => {
    const d = await resourceDetail(db, org, 'droplet:1', { days: '14' }, TODAY);
    expect(d.daily.length).toBe(14);
    expect(d.daily[0]).toMatchObject({ day: '2026-06-01', cpuP95: 0.4, bandwidthBytes: 1000 });
    expect(d.monthly).toEqual([{ month: '2026-05', amount: '48.00' }]);
  });
});

describe('insights with money attached', () => {
  const open = () => insightsList(db, org, { state: 'open', limit: 50, offset: 0, format: 'json' }, TODAY);

  it('are found for the idle, open, unattached and old resources, a spend jump and the inactive seat', async () => {
    const page = await open();
    expect(page.items.map((i) => [i.kind, i.subject.id, i.estimatedMonthlySaving])).toEqual([
      ['spend_anomaly', dox, '60.40'],
      ['idle_droplet', 'droplet:2', '24.00'],
      ['inactive_seats', bb, '10.00'],
      ['unattached_volume', 'volume:v2', '5.00'],
      ['old_snapshot', 'snapshot:s1', '0.60'],
      ['droplet_without_firewall', 'droplet:2', null],
    ]);
    expect(page.totalMonthlySaving).toBe('100.00');
    expect(page.items[1]!.evidence).toContainEqual({ label: 'Highest daily CPU p95 (14 days)', value: '2.0 %' });
  });

  it('keep their identity and state across recomputations; Tally resolves what went away and reopens what came back', async () => {
    const before = (await open()).items;
    const idle = before.find((i) => i.kind === 'idle_droplet')!;
    const volume = before.find((i) => i.kind === 'unattached_volume')!;
    const actor = { organizationId: org, userId: (await sql<{ id: string }>`insert into users (email, name, password_hash) values ('a@x.io', 'Ada Admin', 'x') returning id`.execute(db)).rows[0]!.id, userName: 'Ada Admin', today: TODAY };
    await changeInsightState(db, { ...actor, insightId: idle.insightId, state: 'dismissed', note: 'build box, idle on purpose' });
    await changeInsightState(db, { ...actor, insightId: volume.insightId, state: 'snoozed', snoozeUntil: '2026-06-20' });
    await expect(changeInsightState(db, { ...actor, insightId: volume.insightId, state: 'snoozed', snoozeUntil: TODAY })).rejects.toThrow(/day after today/);
    await recomputeAt(ctx, dox, TODAY);
    const all = (await insightsList(db, org, { state: 'all', limit: 50, offset: 0, format: 'json' }, TODAY)).items;
    expect(all.find((i) => i.insightId === idle.insightId)).toMatchObject({ state: 'dismissed', stateNote: 'build box, idle on purpose', stateChangedBy: 'Ada Admin', current: true });
    expect(all.find((i) => i.insightId === volume.insightId)).toMatchObject({ state: 'snoozed', snoozedUntil: '2026-06-20' });
    expect((await insightsList(db, org, { state: 'open', limit: 50, offset: 0, format: 'json' }, '2026-06-20')).items.map((i) => i.insightId)).toContain(volume.insightId);

    await add('volumes', [{ id: 'v2', data: { id: 'v2', name: 'orphan', droplet_ids: [2], size_gigabytes: 50, created_at: '2026-01-01T00:00:00Z' } }]);
    await recomputeAt(ctx, dox, TODAY);
    const gone = (await insightsList(db, org, { state: 'resolved', limit: 50, offset: 0, format: 'json' }, TODAY)).items;
    expect(gone.find((i) => i.insightId === volume.insightId)).toMatchObject({ current: false, stateChangedBy: 'Tally', stateNote: 'No longer found on 2026-06-15.' });

    await add('volumes', [{ id: 'v2', data: { id: 'v2', name: 'orphan', droplet_ids: [], size_gigabytes: 50, created_at: '2026-01-01T00:00:00Z' } }]);
    await recomputeAt(ctx, dox, TODAY);
    expect((await open()).items.find((i) => i.insightId === volume.insightId)).toMatchObject({ state: 'open', current: true, stateNote: 'Found again after it had been resolved.' });
    const audit = await sql<{ action: string }>`select action from audit_log where organization_id = ${org} order by id`.execute(db);
    expect(audit.rows.map((r) => r.action)).toEqual(['insight.dismissed', 'insight.snoozed']);
  });
});
