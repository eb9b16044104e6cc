import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdvanceSummary, RunningSimulators, SimulatorTruth } from '../../src/simulators/index.ts';
import { basic, bearer, control, http, mintToken, startTestSimulators } from './support/sim.ts';

let sims: RunningSimulators;
let doToken: string;
// API tokens do not expire the way two-hour OAuth access tokens do, so they outlive the jumps.
let bbAuth: Record<string, string>;

beforeAll(async () => {
  sims = await startTestSimulators();
  doToken = (await mintToken(sims, 'digitalocean', { kind: 'personal_access_token', scopes: ['read'] })).access_token;
  const apiToken = await control<{ email: string; api_token: string }>(sims, 'POST', '/bitbucket/tokens', { kind: 'api_token' });
  bbAuth = basic(apiToken.email, apiToken.api_token);
});
afterAll(() => sims.close());

const bb = (path: string) => http<any>(path.startsWith('http') ? path : `${sims.info.bitbucket.apiBaseUrl}${path}`, { headers: bbAuth });
const doApi = (path: string) => http<any>(`${sims.info.digitalocean.apiBaseUrl}${path}`, { headers: bearer(doToken) });
const ALL_STATES = 'state=OPEN&state=MERGED&state=DECLINED';

async function commitCount(slug: string): Promise<number> {
  let n = 0;
  let page = await bb(`/repositories/acme/${slug}/commits?pagelen=100`);
  for (;;) {
    expect(page.status, page.text).toBe(200);
    n += page.body.values.length;
    if (!page.body.next) return n;
    page = await bb(page.body.next);
  }
}

interface Snapshot {
  commits: Record<string, number>;
  pullRequests: Record<string, number>;
  pipelines: Record<string, number>;
  droplets: number[];
}

async function snapshot(slugs: string[]): Promise<Snapshot> {
  const s: Snapshot = { commits: {}, pullRequests: {}, pipelines: {}, droplets: [] };
  for (const slug of slugs) {
    s.commits[slug] = await commitCount(slug);
    s.pullRequests[slug] = (await bb(`/repositories/acme/${slug}/pullrequests?${ALL_STATES}&pagelen=1`)).body.size;
    s.pipelines[slug] = (await bb(`/repositories/acme/${slug}/pipelines?pagelen=1`)).body.size;
  }
  s.droplets = (await doApi('/v2/droplets?per_page=200')).body.droplets.map((d: any) => d.id);
  return s;
}

describe('advancing simulated time', () => {
  it('adds exactly the records the summary reports, and destroys one droplet and creates another a day', async () => {
    const slugs = ((await bb('/repositories/acme?pagelen=100')).body.values as Array<{ slug: string }>).map((r) => r.slug);
    const before = await snapshot(slugs);
    const truthBefore = await control<SimulatorTruth>(sims, 'GET', '/truth');
    const summary = await control<AdvanceSummary>(sims, 'POST', '/time/advance', { days: 1 });
    expect(Date.parse(summary.to) - Date.parse(summary.from)).toBe(86_400_000);
    const after = await snapshot(slugs);

    expect(summary.bitbucket.commits).toBeGreaterThan(0);
    for (const slug of slugs) {
      const added = summary.bitbucket.byRepository[slug] ?? { commits: 0, pullRequestsOpened: 0, pipelines: 0 };
      expect(after.commits[slug]! - before.commits[slug]!, `${slug} commits`).toBe(added.commits);
      expect(after.pullRequests[slug]! - before.pullRequests[slug]!, `${slug} pull requests`).toBe(added.pullRequestsOpened);
      expect(after.pipelines[slug]! - before.pipelines[slug]!, `${slug} pipelines`).toBe(added.pipelines);
    }
    const truthAfter = await control<SimulatorTruth>(sims, 'GET', '/truth');
    expect(truthAfter.bitbucket.commits - truthBefore.bitbucket.commits).toBe(summary.bitbucket.commits);

    // Pull requests touched in the window are exactly those updated after its start.
    let updated = 0;
    for (const slug of slugs) {
      const q = encodeURIComponent(`updated_on > "${summary.from}"`);
      updated += (await bb(`/repositories/acme/${slug}/pullrequests?${ALL_STATES}&q=${q}&pagelen=1`)).body.size;
    }
    expect(updated).toBe(summary.bitbucket.pullRequestsUpdated);

    const { dropletsCreated, dropletsDeleted } = summary.digitalocean;
    expect(dropletsCreated).toHaveLength(1);
    expect(dropletsDeleted).toHaveLength(1);
    expect(after.droplets.sort()).toEqual([...before.droplets.filter((id) => !dropletsDeleted.includes(id)), ...dropletsCreated].sort());
    expect((await doApi(`/v2/droplets/${dropletsDeleted[0]}`)).status).toBe(404);
    const created = (await doApi(`/v2/droplets/${dropletsCreated[0]}`)).body.droplet;
    expect(Date.parse(created.created_at)).toBeGreaterThan(Date.parse(summary.from));
  });

  it('issues the month invoice when time crosses a month boundary', async () => {
    const { now } = await control<{ now: string }>(sims, 'GET', '/time');
    const d = new Date(now);
    const monthEnd = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
    const period = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)).toISOString().slice(0, 7);
    const before = await doApi('/v2/customers/my/invoices');
    expect(before.body.invoice_preview.invoice_period).toBe(period);
    const summary = await control<AdvanceSummary>(sims, 'POST', '/time/advance', { hours: (monthEnd - Date.parse(now)) / 3_600_000 + 1 });
    expect(summary.digitalocean.invoicesIssued).toHaveLength(1);
    expect(summary.digitalocean.invoicesIssued[0]!.period).toBe(period);
    const after = await doApi('/v2/customers/my/invoices');
    expect(after.body.meta.total).toBe(before.body.meta.total + 1);
    expect(after.body.invoices[0]).toMatchObject({ invoice_uuid: summary.digitalocean.invoicesIssued[0]!.uuid, invoice_period: period, amount: summary.digitalocean.invoicesIssued[0]!.amount });
    expect(after.body.invoice_preview.invoice_period).not.toBe(period);
    const items = await doApi(`/v2/customers/my/invoices/${summary.digitalocean.invoicesIssued[0]!.uuid}?per_page=200`);
    const total = items.body.invoice_items.reduce((sum: number, i: { amount: string }) => sum + Math.round(Number(i.amount) * 100), 0);
    expect((total / 100).toFixed(2)).toBe(summary.digitalocean.invoicesIssued[0]!.amount);
  });

  it('refuses to go back or stand still', async () => {
    const res = await http(`${sims.baseUrl}/_sim/time/advance`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ days: -1 }) });
    expect(res.status).toBe(400);
  });
});
