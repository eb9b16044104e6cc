import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulators, SimulatorTruth } from '../../src/simulators/index.ts';
import { bearer, control, http, mintToken, startTestSimulators } from './support/sim.ts';

let sims: RunningSimulators;
let doToken: string;
let bbToken: string;
let truth: SimulatorTruth;

beforeAll(async () => {
  sims = await startTestSimulators();
  doToken = (await mintToken(sims, 'digitalocean', { scopes: ['read'] })).access_token;
  bbToken = (await mintToken(sims, 'bitbucket')).access_token;
  truth = await control<SimulatorTruth>(sims, 'GET', '/truth');
});
afterAll(() => sims.close());

const doGet = (pathOrUrl: string) => http<any>(pathOrUrl.startsWith('http') ? pathOrUrl : `${sims.info.digitalocean.apiBaseUrl}${pathOrUrl}`, { headers: bearer(doToken) });
const bbGet = (pathOrUrl: string) => http<any>(pathOrUrl.startsWith('http') ? pathOrUrl : `${sims.info.bitbucket.apiBaseUrl}${pathOrUrl}`, { headers: bearer(bbToken) });

describe('DigitalOcean paging', () => {
  it('gives 20 per page by default, absolute links.pages, and meta.total; following next visits every item once', async () => {
    const invoice = truth.digitalocean.invoices[0]!;
    const first = await doGet(`/v2/customers/my/invoices/${invoice.uuid}`);
    expect(first.body.meta.total).toBe(invoice.lines);
    expect(first.body.invoice_items).toHaveLength(20);
    expect(Object.keys(first.body.links.pages).sort()).toEqual(['last', 'next']);
    expect(first.body.links.pages.next).toBe(`${sims.info.digitalocean.apiBaseUrl}/v2/customers/my/invoices/${invoice.uuid}?page=2&per_page=20`);
    const seen: string[] = [];
    let page = first;
    for (;;) {
      seen.push(...page.body.invoice_items.map((i: any) => `${i.product}|${i.resource_uuid}`));
      if (!page.body.links.pages?.next) break;
      page = await doGet(page.body.links.pages.next);
      expect(Object.keys(page.body.links.pages)).toEqual(expect.arrayContaining(['first', 'prev']));
    }
    expect(seen).toHaveLength(invoice.lines);
    expect(new Set(seen).size).toBe(invoice.lines);
    expect(page.body.links.pages.next).toBeUndefined();
    expect(page.body.links.pages.last).toBeUndefined();
  });

  it('caps per_page at 200, omits links.pages on a single page and refuses per_page=0', async () => {
    const end = new Date(Date.parse(truth.epoch) - 86_400_000).toISOString().slice(0, 10);
    const start = new Date(Date.parse(truth.epoch) - 31 * 86_400_000).toISOString().slice(0, 10);
    const insights = await doGet(`/v2/billing/do:team:${(await doGet('/v2/account')).body.account.team.uuid}/insights/${start}/${end}?per_page=500`);
    expect(insights.body.total_items).toBeGreaterThan(200);
    expect(insights.body.data_points).toHaveLength(200);
    expect(insights.body.total_pages).toBe(Math.ceil(insights.body.total_items / 200));
    const all = await doGet('/v2/projects?per_page=200');
    expect(all.body.links).toEqual({});
    expect(all.body.meta.total).toBe(truth.digitalocean.counts.projects);
    expect((await doGet('/v2/droplets?per_page=0')).status).toBe(400);
  });
});

describe('Bitbucket paging', () => {
  it('gives 10 per page by default with size, page and next; the last page has previous and no next', async () => {
    const first = await bbGet('/repositories/acme');
    expect(first.body).toMatchObject({ size: truth.bitbucket.repositories, page: 1, pagelen: 10 });
    expect(first.body.values).toHaveLength(10);
    expect(first.body.next).toBe(`${sims.info.bitbucket.apiBaseUrl}/repositories/acme?page=2&pagelen=10`);
    const second = await bbGet(first.body.next);
    expect(second.body.values).toHaveLength(truth.bitbucket.repositories - 10);
    expect(second.body.next).toBeUndefined();
    expect(second.body.previous).toContain('page=1');
    expect((await bbGet('/repositories/acme?page=3')).status).toBe(404);
    expect((await bbGet('/repositories/acme?page=0')).status).toBe(400);
  });

  it('cuts pagelen to 100, and to 50 for pull requests', async () => {
    expect((await bbGet('/workspaces/acme/members?pagelen=1000')).body.pagelen).toBe(100);
    const busiest = await busiestRepository();
    const prs = await bbGet(`/repositories/acme/${busiest}/pullrequests?state=OPEN&state=MERGED&state=DECLINED&pagelen=100`);
    expect(prs.body.pagelen).toBe(50);
    expect(prs.body.size).toBeGreaterThan(50);
    expect(prs.body.values).toHaveLength(50);
  });

  it('pages commits with opaque cursors and no size; a numbered page is refused', async () => {
    const repo = await busiestRepository();
    let page = await bbGet(`/repositories/acme/${repo}/commits?pagelen=100`);
    expect(page.body).not.toHaveProperty('size');
    const hashes: string[] = [];
    for (;;) {
      hashes.push(...page.body.values.map((c: any) => c.hash));
      if (!page.body.next) break;
      expect(new URL(page.body.next).searchParams.get('page')).not.toMatch(/^\d+$/);
      page = await bbGet(page.body.next);
    }
    expect(new Set(hashes).size).toBe(hashes.length);
    expect(hashes.length).toBe(truth.bitbucket.commitsByRepository[repo]);
    expect(hashes.length).toBeGreaterThan(100);
    expect((await bbGet(`/repositories/acme/${repo}/commits?page=1`)).status).toBe(404);
  });

  it('shifts a list sorted by -updated_on between pages when records change, as the real one does', async () => {
    const repo = await busiestRepository();
    const list = (page: number) => bbGet(`/repositories/acme/${repo}/pullrequests?state=MERGED&sort=-updated_on&pagelen=10&page=${page}`);
    const ids = async (page: number) => ((await list(page)).body.values as Array<{ id: number }>).map((p) => p.id);
    const [p1, p2, p3] = [await ids(1), await ids(2), await ids(3)];
    expect(p3.length).toBeGreaterThanOrEqual(3);
    const moved = p3.slice(0, 3);
    const touched = await control<{ touched: Array<{ id: number }> }>(sims, 'POST', '/bitbucket/mutate', { repository: `acme/${repo}`, kind: 'pullrequests', ids: moved });
    expect(touched.touched.map((t) => t.id).sort()).toEqual([...moved].sort());
    const newP1 = await ids(1);
    const newP2 = await ids(2);
    // The touched records jump to the front; everything after them slides three places down.
    expect(newP1.slice(0, 3).sort()).toEqual([...moved].sort());
    expect(newP2).toEqual([...p1.slice(7), ...p2.slice(0, 7)]);
    // A client that read page 1 before the change and page 2 after it sees three records twice
    // and never sees the touched ones.
    const naive = [...p1, ...newP2];
    expect(naive.filter((id) => moved.includes(id))).toEqual([]);
    expect(naive.length - new Set(naive).size).toBe(3);
  });
});

async function busiestRepository(): Promise<string> {
  const repos = await bbGet('/repositories/acme?pagelen=100');
  let best = { slug: '', size: -1 };
  for (const r of repos.body.values as Array<{ slug: string }>) {
    const prs = await bbGet(`/repositories/acme/${r.slug}/pullrequests?state=MERGED&pagelen=1`);
    if (prs.body.size > best.size) best = { slug: r.slug, size: prs.body.size };
  }
  return best.slug;
}
