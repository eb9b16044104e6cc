import { describe, expect, it } from 'vitest';
import { addDays } from '../../src/analytics/dates.ts';
import type { SimulatorTruth } from '../../src/simulators/truth.ts';
import { syncConnection } from '../../src/sync/schedule.ts';
import { connect } from '../support/consent.ts';
import { setUpOrganization, startTestTally } from '../support/tally.ts';

/**
 * Simulator -> sync -> analytics on the small preset. Every expected figure is computed here from the
 * simulator's own account of its seeded data (`/_sim/truth`), never from Tally's tables; the figures
 * checked are what Tally's analytics API answers.
 */
const t = await startTestTally({ simulators: true });
const { owner, orgId } = await setUpOrganization(t);
await connect(owner, orgId, 'digitalocean');
await connect(owner, orgId, 'bitbucket');
const ctx = t.tally.ctx;
const connections = await ctx.db.selectFrom('connections').select(['id', 'provider']).where('organization_id', '=', orgId).execute();
const idOf = (provider: string) => connections.find((c) => c.provider === provider)!.id;
const simBase = ctx.simulated.bitbucket!.endpoints.apiBaseUrl.replace(/\/bitbucket.*$/, '');
const api = `/api/orgs/${orgId}/analytics`;
const get = async (path: string) => {
  const res = await owner.get(api + path);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
};

// Syncs through the same entry point as the scheduler: the analytics recompute runs after each.
for (const c of connections) {
  const result = await syncConnection(ctx, c.id, { trigger: 'test' });
  expect(result.status, JSON.stringify(result.error)).toBe('succeeded');
}
const truth = (await (await fetch(`${simBase}/_sim/truth`)).json()) as SimulatorTruth;
const today = truth.asOf.slice(0, 10);

describe('Bitbucket: people, from the simulator’s truth', () => {
  const bb = idOf('bitbucket');
  const members = Object.keys(truth.bitbucket.lastActivity);
  const lastDay = (uuid: string) => truth.bitbucket.lastActivity[uuid]?.slice(0, 10) ?? null;
  const activeWithin = (days: number) => members.filter((m) => lastDay(m) !== null && lastDay(m)! >= addDays(today, -(days - 1)));

  it('was recomputed after the sync', async () => {
    const app = (await get('/apps')).items.find((a: { appId: string }) => a.appId === bb);
    expect(app.computedAt).not.toBeNull();
  });

  it.each([7, 30, 90])('has every member as a seat, and the members active in %i days', async (days) => {
    const app = (await get(`/apps?window=${days}`)).items.find((a: { appId: string }) => a.appId === bb);
    expect(app.seats).toBe(truth.bitbucket.members);
    expect(app.active).toBe(activeWithin(days).length);
    expect(app.inactiveSeats).toBe(truth.bitbucket.members - activeWithin(days).length);
  });

  it('finds each member’s last activity and level as the simulator has it', async () => {
    // The truth's last activity counts commits, pull requests, reviews and comments. Tally also counts
    // pipeline runs and merges: where it saw later activity, it must be only of those kinds.
    const notInTruth = ['pipeline.run', 'pull_request.merged', 'deployment'];
    const page = await get(`/apps/${bb}/members?seat=true&limit=500`);
    expect(page.total).toBe(truth.bitbucket.members);
    for (const m of page.items as Array<{ accountId: string; lastActivityDay: string | null; level: string }>) {
      const expected = lastDay(m.accountId);
      if (m.lastActivityDay !== expected) {
        expect(m.lastActivityDay! > (expected ?? ''), m.accountId).toBe(true);
        const from = expected ? addDays(expected, 1) : addDays(today, -365);
        const later = (await get(`/apps/${bb}/members?seat=true&limit=500&from=${from}&to=${m.lastActivityDay}`)).items.find((x: { accountId: string }) => x.accountId === m.accountId);
        expect(Object.keys(later.featureCounts).filter((f) => !notInTruth.includes(f)), m.accountId).toEqual([]);
      }
      const day = m.lastActivityDay;
      const level = day === null ? 'never_active' : day >= addDays(today, -29) ? ['engaged', 'few_features'] : day >= addDays(today, -59) ? 'lapsing' : 'inactive';
      if (Array.isArray(level)) expect(level).toContain(m.level);
      else expect(m.level).toBe(level);
    }
    const app = (await get('/apps')).items.find((a: { appId: string }) => a.appId === bb);
    expect(app.usageLevels.never_active).toBe(members.filter((m) => lastDay(m) === null).length);
  });

  it('counts each member’s commits in a range as the simulator generated them', async () => {
    const from = addDays(today, -27);
    const page = await get(`/apps/${bb}/members?seat=true&limit=500&from=${from}&to=${today}`);
    for (const m of page.items as Array<{ accountId: string; featureCounts: Record<string, number> }>) {
      const days = truth.bitbucket.commitsByAuthorDay[m.accountId] ?? {};
      const expected = Object.entries(days).filter(([d]) => d >= from && d <= today).reduce((n, [, c]) => n + c, 0);
      expect([m.accountId, m.featureCounts.commit ?? 0]).toEqual([m.accountId, expected]);
    }
  });

  it('adopts commits among as many members as committed in 30 days', async () => {
    const features = await get(`/features?appId=${bb}&window=30`);
    const commit = features.items.find((f: { feature: string }) => f.feature === 'commit');
    const committers = members.filter((m) => Object.keys(truth.bitbucket.commitsByAuthorDay[m] ?? {}).some((d) => d >= addDays(today, -29)));
    expect(commit.users).toBe(committers.length);
  });

  it('prices inactive seats once a price per seat is entered', async () => {
    await owner.put(`${api}/apps/${bb}/settings`, { pricePerSeat: '15.00' });
    const inactive = members.filter((m) => lastDay(m) === null || lastDay(m)! < addDays(today, -59)).length;
    const insights = await get(`/insights?kind=inactive_seats`);
    expect(insights.items.map((i: { estimatedMonthlySaving: string }) => i.estimatedMonthlySaving)).toEqual(inactive ? [(inactive * 15).toFixed(2)] : []);
    const spend = await get(`/spend?appId=${bb}`);
    expect(spend.byApp[0].monthToDate).toBe((truth.bitbucket.members * 15).toFixed(2));
  });
});

describe('DigitalOcean: resources and money, from the simulator’s truth', () => {
  const dox = idOf('digitalocean');
  const ids = (items: Array<{ resourceId: string }>) => items.map((r) => r.resourceId).sort();

  it('bills each month exactly what the invoices say, and the running month as DigitalOcean reports it', async () => {
    const spend = await get(`/spend?appId=${dox}&from=${addDays(today, -400)}`);
    const byMonth = Object.fromEntries(spend.byMonth.map((m: { month: string; amount: string }) => [m.month, m.amount]));
    for (const inv of truth.digitalocean.invoices) expect([inv.period, byMonth[inv.period]]).toEqual([inv.period, inv.amount]);
    expect(spend.monthToDate).toBe(truth.digitalocean.monthToDateUsage);
  });

  it('flags the idle droplets, the droplets outside every firewall and the unattached volumes', async () => {
    const list = async (flag: string) => (await get(`/resources?appId=${dox}&flag=${flag}&limit=500`)).items;
    expect(ids(await list('idle'))).toEqual(truth.digitalocean.idleDroplets.map((d) => `droplet:${d}`).sort());
    expect(ids(await list('no_firewall'))).toEqual(truth.digitalocean.dropletsOutsideFirewalls.map((d) => `droplet:${d}`).sort());
    expect(ids(await list('unattached'))).toEqual(truth.digitalocean.unattachedVolumes.map((v) => `volume:${v}`).sort());
    const insights = await get(`/insights?kind=idle_droplet&limit=500`);
    expect(insights.items.map((i: { subject: { id: string } }) => i.subject.id).sort()).toEqual(truth.digitalocean.idleDroplets.map((d) => `droplet:${d}`).sort());
    for (const i of insights.items) expect(Number(i.estimatedMonthlySaving)).toBeGreaterThan(0);
  });

  it('counts the resources of each kind', async () => {
    const detail = await get(`/apps/${dox}`);
    const n = Object.fromEntries(detail.resourcesByType.map((r: { key: string; resources: number }) => [r.key, r.resources]));
    const c = truth.digitalocean.counts;
    expect({ droplet: n.droplet, volume: n.volume, database: n.database, app: n.app, kubernetes: n.kubernetes, load_balancer: n.load_balancer, firewall: n.firewall, snapshot: n.snapshot }).toEqual({
      droplet: truth.digitalocean.droplets.length, volume: c.volumes, database: c.databases, app: c.apps, kubernetes: c.kubernetesClusters, load_balancer: c.loadBalancers, firewall: c.firewalls, snapshot: c.snapshots,
    });
  });
});
