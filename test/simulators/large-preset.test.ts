import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulators } from '../../src/simulators/index.ts';
import { bearer, control, http, mintToken, startTestSimulators } from './support/sim.ts';

/** The large preset starts in seconds and serves an organization at scale, a year deep. */

let sims: RunningSimulators;
let startMs: number;

beforeAll(async () => {
  const started = performance.now();
  sims = await startTestSimulators({ preset: 'large' });
  startMs = performance.now() - started;
  console.log(`large preset: started in ${Math.round(startMs)} ms`);
});
afterAll(() => sims.close());

describe('the large preset', () => {
  it('starts within 15 seconds on this machine', () => {
    expect(startMs).toBeLessThan(15_000);
  });

  it('serves 2,000 members and 1,000 repositories with a year of history', async () => {
    const token = (await mintToken(sims, 'bitbucket')).access_token;
    const get = (p: string) => http<any>(`${sims.info.bitbucket.apiBaseUrl}${p}`, { headers: bearer(token) });
    expect((await get('/workspaces/northwind/members?pagelen=1')).body.size).toBe(2000);
    const started = performance.now();
    const repos = await get('/repositories/northwind?pagelen=100&sort=-updated_on');
    console.log(`large preset: 1,000 repositories sorted by update in ${Math.round(performance.now() - started)} ms`);
    expect(repos.body.size).toBe(1000);
    const users = await control<Array<{ active: boolean }>>(sims, 'GET', '/bitbucket/users');
    const inactive = users.filter((u) => !u.active).length;
    expect(inactive / users.length).toBeGreaterThan(0.15);
    const oldest = await get('/repositories/northwind?sort=created_on&pagelen=1');
    const slug = oldest.body.values[0].slug as string;
    let page = await get(`/repositories/northwind/${slug}/commits?pagelen=100`);
    let last = page.body.values.at(-1)?.date as string;
    while (page.body.next) {
      page = await get(page.body.next.slice(sims.info.bitbucket.apiBaseUrl.length));
      last = page.body.values.at(-1)?.date ?? last;
    }
    const epoch = Date.parse(sims.info.epoch);
    expect(epoch - Date.parse(last)).toBeGreaterThan(300 * 86_400_000);
  });

  it('serves a DigitalOcean team with hundreds of resources and 12 months of invoices', async () => {
    const token = (await mintToken(sims, 'digitalocean')).access_token;
    const get = (p: string) => http<any>(`${sims.info.digitalocean.apiBaseUrl}${p}`, { headers: bearer(token) });
    expect((await get('/v2/droplets?per_page=1')).body.meta.total).toBeGreaterThan(300);
    expect((await get('/v2/volumes?per_page=1')).body.meta.total).toBeGreaterThan(100);
    const invoices = await get('/v2/customers/my/invoices');
    expect(invoices.body.meta.total).toBe(12);
    const items = await get(`/v2/customers/my/invoices/${invoices.body.invoices[0].invoice_uuid}?per_page=1`);
    expect(items.body.meta.total).toBeGreaterThan(300);
  });

  it('serving the whole commit history of 250 repositories retains a small part of what the whole history would take', () => {
    // In a process of its own with --expose-gc (support/heap-probe.ts): the test runner's heap and its
    // garbage would swamp the figures, and only gc() makes "retained" a number rather than a guess.
    const probe = spawnSync(process.execPath, ['--expose-gc', 'test/simulators/support/heap-probe.ts'], { encoding: 'utf8', timeout: 150_000 });
    expect(probe.status, probe.stderr).toBe(0);
    const m = JSON.parse(probe.stdout.trim().split('\n').at(-1)!) as Record<string, number>;
    const servedHistoriesMB = (m.wholeHistoryMB! * m.servedRepositories!) / m.repositories!;
    console.log(
      `large preset: starting retains ${m.startedMB!.toFixed(1)} MB; after serving ${m.commitsServed} commits of ${m.servedRepositories} repositories ` +
        `(${m.requests} requests, ${m.servingMs} ms) ${m.servedMB!.toFixed(1)} MB; those repositories' histories would take ${servedHistoriesMB.toFixed(0)} MB, ` +
        `the whole history ${m.wholeHistoryMB!.toFixed(0)} MB (measured on ${m.sampledRepositories} repositories, ${m.sampleCommits} commits)`,
    );
    expect(m.commitsServed).toBeGreaterThan(50_000);
    // The yardstick is real: a year of 1,000 repositories is hundreds of MB.
    expect(m.wholeHistoryMB).toBeGreaterThan(300);
    // Holding every history (built up front, or cached without a bound) would retain at least this much.
    expect(m.startedMB).toBeLessThan(m.wholeHistoryMB! / 10);
    expect(m.servedMB).toBeLessThan(m.wholeHistoryMB! / 8);
    expect(m.servedMB).toBeLessThan(servedHistoriesMB / 2);
  }, 180_000);
});
