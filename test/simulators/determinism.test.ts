import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulatorTruth } from '../../src/simulators/index.ts';
import type { RunningSimulators, SimulatorTruth } from '../../src/simulators/index.ts';
import { EPOCH, SEED, bearer, control, http, mintToken, startTestSimulators } from './support/sim.ts';

/** Same seed and epoch, same data; and the exported truth matches what the APIs serve. */

const DO_PATHS = ['/v2/droplets?per_page=200', '/v2/volumes', '/v2/firewalls', '/v2/customers/my/invoices?per_page=200', '/v2/projects'];
const BB_PATHS = ['/repositories/acme?pagelen=100', '/workspaces/acme/permissions?pagelen=100', '/repositories/acme/payments-service/commits?pagelen=100', '/repositories/acme/payments-service/pullrequests?state=MERGED&pagelen=50'];

async function dataOf(sims: RunningSimulators): Promise<string[]> {
  const doToken = (await mintToken(sims, 'digitalocean')).access_token;
  const bbToken = (await mintToken(sims, 'bitbucket')).access_token;
  const out: string[] = [];
  for (const p of DO_PATHS) out.push((await http(`${sims.info.digitalocean.apiBaseUrl}${p}`, { headers: bearer(doToken) })).text);
  for (const p of BB_PATHS) out.push((await http(`${sims.info.bitbucket.apiBaseUrl}${p}`, { headers: bearer(bbToken) })).text);
  // Links carry the simulator's own address; the data must not differ otherwise.
  return out.map((text) => text.replaceAll(sims.baseUrl, 'BASE'));
}

let a: RunningSimulators;
let b: RunningSimulators;
let c: RunningSimulators;
beforeAll(async () => {
  [a, b, c] = await Promise.all([startTestSimulators(), startTestSimulators(), startTestSimulators({ seed: SEED + 1 })]);
});
afterAll(() => Promise.all([a, b, c].map((s) => s.close())));

describe('determinism', () => {
  it('serves identical data for the same seed and epoch, and different data for another seed', async () => {
    const [first, second, other] = await Promise.all([dataOf(a), dataOf(b), dataOf(c)]);
    expect(second).toEqual(first);
    expect(first[0]!.length).toBeGreaterThan(1000);
    const differing = other.filter((text, i) => text !== first[i]);
    expect(differing.length).toBeGreaterThanOrEqual(DO_PATHS.length + BB_PATHS.length - 1);
  });

  it('exports the same truth it serves from: simulatorTruth(preset, seed) equals GET /_sim/truth', async () => {
    const served = await control<SimulatorTruth>(a, 'GET', '/truth');
    expect(simulatorTruth('small', SEED, { epoch: EPOCH })).toEqual(served);
  });
});

describe('the truth agrees with the APIs', () => {
  let truth: SimulatorTruth;
  beforeAll(async () => {
    truth = await control<SimulatorTruth>(a, 'GET', '/truth');
  });

  it('DigitalOcean: idle droplets by their CPU series, droplets outside firewalls, unattached volumes, invoice totals', async () => {
    const token = (await mintToken(a, 'digitalocean')).access_token;
    const get = (p: string) => http<any>(`${a.info.digitalocean.apiBaseUrl}${p}`, { headers: bearer(token) });
    const droplets = (await get('/v2/droplets?per_page=200')).body.droplets as Array<{ id: number; tags: string[] }>;
    expect(droplets.map((d) => d.id).sort()).toEqual([...truth.digitalocean.droplets].sort());
    const end = Math.floor(Date.parse(EPOCH) / 1000);
    const idle: number[] = [];
    for (const d of droplets) {
      const cpu = (await get(`/v2/monitoring/metrics/droplet/cpu?host_id=${d.id}&start=${end - 86_400}&end=${end}`)).body.data.result as Array<{ metric: { mode: string }; values: Array<[number, string]> }>;
      const delta = (s: (typeof cpu)[number]) => Number(s.values.at(-1)![1]) - Number(s.values[0]![1]);
      const total = cpu.reduce((sum, s) => sum + delta(s), 0);
      const busy = total - delta(cpu.find((s) => s.metric.mode === 'idle')!);
      if (busy / total < 0.05) idle.push(d.id);
    }
    expect(idle.sort()).toEqual([...truth.digitalocean.idleDroplets].sort());
    const firewalls = (await get('/v2/firewalls')).body.firewalls as Array<{ droplet_ids: number[]; tags: string[] }>;
    const covered = (d: { id: number; tags: string[] }) => firewalls.some((f) => f.droplet_ids.includes(d.id) || f.tags.some((t) => d.tags.includes(t)));
    expect(droplets.filter((d) => !covered(d)).map((d) => d.id).sort()).toEqual([...truth.digitalocean.dropletsOutsideFirewalls].sort());
    const volumes = (await get('/v2/volumes')).body.volumes as Array<{ id: string; droplet_ids: number[] }>;
    expect(volumes.filter((v) => v.droplet_ids.length === 0).map((v) => v.id).sort()).toEqual([...truth.digitalocean.unattachedVolumes].sort());
    expect(truth.digitalocean.invoices).toHaveLength(12);
    const listed = (await get('/v2/customers/my/invoices?per_page=200')).body.invoices as Array<{ invoice_uuid: string; amount: string }>;
    expect(listed.map((i) => [i.invoice_uuid, i.amount])).toEqual(truth.digitalocean.invoices.map((i) => [i.uuid, i.amount]));
  });

  it('Bitbucket: members, repositories and commits per author and day', async () => {
    const token = (await mintToken(a, 'bitbucket')).access_token;
    const get = (p: string) => http<any>(p.startsWith('http') ? p : `${a.info.bitbucket.apiBaseUrl}${p}`, { headers: bearer(token) });
    expect((await get('/workspaces/acme/members')).body.size).toBe(truth.bitbucket.members);
    expect((await get('/repositories/acme')).body.size).toBe(truth.bitbucket.repositories);
    // A share of the members has been inactive for months.
    expect(truth.bitbucket.activeMembers30d).toBeLessThan(truth.bitbucket.members);
    expect(truth.bitbucket.activeMembers30d).toBeLessThanOrEqual(truth.bitbucket.activeMembers90d);
    const counted: Record<string, Record<string, number>> = {};
    let page = await get('/repositories/acme/payments-service/commits?pagelen=100');
    for (;;) {
      for (const c of page.body.values as Array<{ date: string; author: { raw: string; user?: { uuid: string } } }>) {
        const who = c.author.user?.uuid ?? `raw:${c.author.raw}`;
        const day = c.date.slice(0, 10);
        (counted[who] ??= {})[day] = (counted[who]?.[day] ?? 0) + 1;
      }
      if (!page.body.next) break;
      page = await get(page.body.next);
    }
    // Every commit of this repository is in the truth, for the same author and day.
    for (const [who, days] of Object.entries(counted))
      for (const [day, n] of Object.entries(days)) expect(truth.bitbucket.commitsByAuthorDay[who]?.[day] ?? 0).toBeGreaterThanOrEqual(n);
    const sum = Object.values(truth.bitbucket.commitsByAuthorDay).reduce((s, days) => s + Object.values(days).reduce((x, y) => x + y, 0), 0);
    expect(sum).toBe(truth.bitbucket.commits);
  });
});
