import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streams } from '../../src/providers/digitalocean/streams/index.ts';
import type { RunningSimulators, SimulatorTruth } from '../../src/simulators/index.ts';
import { checkRequest } from './support/documented.ts';
import { cents, countersOf, mintToken, simulatedNow, startStreamSimulators, truthOf } from './support/sim.ts';
import { walkStreams } from './support/walk.ts';
import type { WalkedStream } from './support/walk.ts';

let sims: RunningSimulators;
let truth: SimulatorTruth['digitalocean'];
let walked: Map<string, WalkedStream>;

const stream = (name: string) => walked.get(name) as WalkedStream;
const records = (name: string) => stream(name).records.map((r) => r.record);
const definition = (name: string) => streams.find((s) => s.name === name)!;

beforeAll(async () => {
  sims = await startStreamSimulators();
  truth = (await truthOf(sims)).digitalocean;
  walked = await walkStreams(streams, { apiBaseUrl: sims.info.digitalocean.apiBaseUrl, token: await mintToken(sims, 'digitalocean'), now: await simulatedNow(sims) });
});
afterAll(() => sims?.close());

describe('DigitalOcean streams against the simulator', () => {
  it('declare parents before children, with unique names', () => {
    const names = streams.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    for (const [i, s] of streams.entries()) if (s.parent) expect(names.indexOf(s.parent)).toBeLessThan(i);
    expect(streams.every((s) => s.provider === 'digitalocean')).toBe(true);
  });

  it('walk every stream to its end: every record parses, ids are unique, lists ask for 200 a page', () => {
    for (const s of streams) {
      const w = stream(s.name);
      expect(w.errors, s.name).toEqual([]);
      expect(w.failures, `${s.name}: ${w.failures[0]?.issues}`).toEqual([]);
      expect(w.records.length, `${s.name} gave no records`).toBeGreaterThan(0);
      const ids = w.records.map(({ record }) => s.id(record));
      expect(new Set(ids).size, `${s.name} ids`).toBe(ids.length);
      if (s.pagination.kind === 'digitalocean') for (const url of w.firstRequests) expect(url.searchParams.get('per_page')).toBe('200');
    }
  });

  it('build only documented, non-deprecated requests, and the simulator saw no deprecated call', async () => {
    for (const s of streams) for (const url of stream(s.name).firstRequests) expect(checkRequest('digitalocean', url), `${s.name} ${url}`).toEqual([]);
    expect((await countersOf(sims)).deprecatedCalls).toEqual({});
  });

  it('read the resources the simulated team has', () => {
    expect(records('account')[0]?.team?.name).toBe(truth.team);
    expect(records('droplets').map((d) => d.id).sort()).toEqual([...truth.droplets].sort());
    expect(records('volumes')).toHaveLength(truth.counts.volumes);
    expect(records('snapshots')).toHaveLength(truth.counts.snapshots);
    expect(records('databases')).toHaveLength(truth.counts.databases);
    expect(records('apps')).toHaveLength(truth.counts.apps);
    expect(records('kubernetes_clusters')).toHaveLength(truth.counts.kubernetesClusters);
    expect(records('kubernetes_clusters').flatMap((c) => c.node_pools).length).toBeGreaterThan(0);
    expect(records('load_balancers')).toHaveLength(truth.counts.loadBalancers);
    expect(records('firewalls')).toHaveLength(truth.counts.firewalls);
    expect(records('projects')).toHaveLength(truth.counts.projects);
  });

  it('tell unattached volumes and droplets no firewall covers (by id or tag)', () => {
    const unattached = records('volumes').filter((v) => (v.droplet_ids ?? []).length === 0).map((v) => v.id);
    expect(unattached.sort()).toEqual([...truth.unattachedVolumes].sort());
    const byId = new Set(records('firewalls').flatMap((f) => f.droplet_ids ?? []));
    const byTag = new Set(records('firewalls').flatMap((f) => f.tags ?? []));
    const open = records('droplets').filter((d) => !byId.has(d.id) && !d.tags.some((t: string) => byTag.has(t)));
    expect(open.map((d) => d.id).sort()).toEqual([...truth.dropletsOutsideFirewalls].sort());
  });

  it('put each project resource under its project, each droplet outside Kubernetes in exactly one project', () => {
    const rows = records('project_resources');
    const projectIds = new Set(records('projects').map((p) => p.id));
    expect(rows.every((r) => projectIds.has(r.project_id))).toBe(true);
    const k8sDroplets = new Set(records('kubernetes_clusters').flatMap((c) => c.node_pools.flatMap((p: any) => (p.nodes ?? []).map((n: any) => Number(n.droplet_id)))));
    const dropletUrns = rows.filter((r) => r.urn.startsWith('do:droplet:')).map((r) => Number(r.urn.split(':')[2]));
    const expected = records('droplets').map((d) => d.id).filter((id) => !k8sDroplets.has(id));
    expect(dropletUrns.sort()).toEqual(expected.sort());
  });

  it('turn droplet metrics into one record per droplet and whole UTC day of the last 14, and find the idle droplets', async () => {
    const now = await simulatedNow(sims);
    const today = now.toISOString().slice(0, 10);
    const oldest = new Date(Date.parse(today) - 14 * 86_400_000).toISOString().slice(0, 10);
    for (const name of ['droplet_cpu_metrics', 'droplet_bandwidth_inbound_metrics', 'droplet_bandwidth_outbound_metrics', 'droplet_memory_metrics']) {
      const days = records(name);
      expect(days.every((d) => d.day < today && d.day >= oldest), name).toBe(true);
      expect(new Set(days.map((d) => d.droplet_id)).size, name).toBe(truth.droplets.length);
      const q = stream(name).firstRequests[0]!.searchParams;
      // Two weeks, plus the hour before the oldest day's midnight that its first interval starts in.
      expect(Number(q.get('end')) - Number(q.get('start'))).toBe(14 * 86_400 - 1 + 3600);
    }
    const cpu = records('droplet_cpu_metrics');
    const meanCpu = (id: number) => {
      const own = cpu.filter((d) => d.droplet_id === id);
      return own.reduce((s, d) => s + d.cpu_avg, 0) / own.length;
    };
    expect(truth.droplets.filter((id) => meanCpu(id) < 0.05).sort()).toEqual([...truth.idleDroplets].sort());
    for (const d of cpu) expect(d.cpu_avg).toBeLessThanOrEqual(d.cpu_max);
    // A droplet that lived a whole day sent about a day of public traffic both ways.
    const outbound = records('droplet_bandwidth_outbound_metrics');
    const inbound = records('droplet_bandwidth_inbound_metrics');
    for (const d of outbound) expect(d.bytes).toBeGreaterThan(0);
    const total = (rows: any[]) => rows.reduce((s, d) => s + d.bytes, 0);
    expect(total(outbound)).toBeGreaterThan(total(inbound));
    for (const m of records('droplet_memory_metrics')) expect(m.memory_used_avg).toBeGreaterThan(0.05);
  });

  it('give a day the same figures whichever window it was read in (the oldest day of a window is whole too)', async () => {
    const metrics = ['droplet_cpu_metrics', 'droplet_bandwidth_inbound_metrics', 'droplet_memory_metrics'];
    const dayLater = new Date((await simulatedNow(sims)).getTime() + 86_400_000);
    const later = await walkStreams(
      streams.filter((s) => s.name === 'droplets' || metrics.includes(s.name)),
      { apiBaseUrl: sims.info.digitalocean.apiBaseUrl, token: await mintToken(sims, 'digitalocean'), now: dayLater },
    );
    for (const name of metrics) {
      const key = (d: { droplet_id: number; day: string }) => `${d.droplet_id}:${d.day}`;
      const before = new Map(records(name).map((d) => [key(d), d]));
      const after = later.get(name)!.records.map((r) => r.record);
      const oldestLater = after.map((d) => d.day).sort()[0];
      const shared = after.filter((d) => before.has(key(d)));
      // Thirteen of the fourteen days are in both windows, the later window's oldest day among them.
      expect(shared.length, name).toBeGreaterThan(0);
      expect(shared.some((d) => d.day === oldestLater), name).toBe(true);
      for (const d of shared) expect(d, `${name} ${key(d)}`).toEqual(before.get(key(d)));
    }
  });

  it('count a droplet.running fact per droplet and day with CPU samples, and none for other streams', () => {
    const cpu = definition('droplet_cpu_metrics');
    const facts = stream('droplet_cpu_metrics').records.flatMap(({ record, parent }) => cpu.activity!(record, parent));
    expect(facts).toHaveLength(records('droplet_cpu_metrics').length);
    const keys = facts.map((f) => `${f.accountId} ${f.day}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(facts.every((f) => f.feature === 'droplet.running' && f.count === 1 && /^\d{4}-\d{2}-\d{2}$/.test(f.day))).toBe(true);
    expect(new Set(facts.map((f) => Number(f.accountId)))).toEqual(new Set(truth.droplets));
    // DigitalOcean has no members API: no stream names app accounts.
    expect(streams.filter((s) => s.accounts)).toEqual([]);
  });

  it('read every invoice with its line items, amounts adding up exactly, and the running month as a preview', () => {
    const all = records('invoices');
    const previews = all.filter((i) => i.preview);
    expect(previews).toHaveLength(1);
    const issued = all.filter((i) => !i.preview);
    expect(issued.map((i) => ({ uuid: i.invoice_uuid, period: i.invoice_period, amount: i.amount }))).toEqual(
      truth.invoices.map((i) => ({ uuid: i.uuid, period: i.period, amount: i.amount })),
    );
    expect(previews[0]?.amount).toBe(truth.monthToDateUsage);
    expect(stream('invoice_items').skipped).toBe(1);
    const items = records('invoice_items');
    for (const inv of truth.invoices) {
      const own = items.filter((i) => i.invoice_uuid === inv.uuid);
      expect(own, inv.period).toHaveLength(inv.lines);
      expect(own.reduce((sum, i) => sum + cents(i.amount), 0n), inv.period).toBe(cents(inv.amount));
    }
    expect(items.some((i) => i.project_name && i.resource_uuid && i.product)).toBe(true);
  });

  it('read the balance and the billing history', () => {
    const [b] = records('balance');
    expect(b.month_to_date_usage).toBe(truth.monthToDateUsage);
    expect(b.account_balance).toBe(truth.accountBalance);
    const history = records('billing_history');
    expect(history.filter((e) => e.type === 'Invoice').map((e) => e.invoice_uuid).sort()).toEqual(truth.invoices.map((i) => i.uuid).sort());
    expect(history.reduce((sum, e) => sum + cents(e.amount), 0n)).toBe(cents(truth.accountBalance));
  });
});
