import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repositoriesLimit } from '../../src/simulators/bitbucket/api.ts';
import type { RunningSimulators } from '../../src/simulators/index.ts';
import { bearer, control, http, mintToken, startTestSimulators } from './support/sim.ts';
import type { HttpResult } from './support/sim.ts';

let sims: RunningSimulators;
beforeAll(async () => {
  sims = await startTestSimulators();
  for (const clientId of ['consumer-a', 'consumer-b'])
    await control(sims, 'POST', '/bitbucket/clients', { clientId, clientSecret: 'x', redirectUris: ['http://127.0.0.1:9/cb'] });
});
afterAll(() => sims.close());

/** `count` requests, `parallel` at a time; returns the statuses in order of completion. */
async function burst(count: number, call: (i: number) => Promise<HttpResult>, parallel = 16): Promise<number[]> {
  const statuses: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < count) statuses.push((await call(next++)).status);
    }),
  );
  return statuses;
}

describe('DigitalOcean rate limits (per token)', () => {
  it('allows 250 a minute, then 429 with retry-after and the rate-limit headers', async () => {
    const token = (await mintToken(sims, 'digitalocean')).access_token;
    const call = () => http<any>(`${sims.info.digitalocean.apiBaseUrl}/v2/account`, { headers: bearer(token) });
    const statuses = await burst(250, call);
    expect(statuses.every((s) => s === 200)).toBe(true);
    const limited = await call();
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({ id: 'too_many_requests', message: expect.any(String) });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.headers.get('ratelimit-limit')).toBe('5000');
    expect(limited.headers.get('ratelimit-remaining')).toBe('4750');
    const other = (await mintToken(sims, 'digitalocean')).access_token;
    expect((await http(`${sims.info.digitalocean.apiBaseUrl}/v2/account`, { headers: bearer(other) })).status).toBe(200);
  });

  it('allows 5,000 an hour, each request on its own timer; the hourly 429 carries no retry-after', async () => {
    const token = (await mintToken(sims, 'digitalocean')).access_token;
    const call = () => http<any>(`${sims.info.digitalocean.apiBaseUrl}/v2/account`, { headers: bearer(token) });
    const t0 = Date.parse((await control<{ now: string }>(sims, 'GET', '/time')).now);
    const minute = 61_000;
    // Twenty bursts of 250, a simulated minute and a second apart: the per-minute limit never bites.
    for (let k = 0; k < 20; k++) {
      const statuses = await burst(250, call);
      expect(new Set(statuses)).toEqual(new Set([200]));
      await control(sims, 'POST', '/time/advance', { hours: minute / 3_600_000 });
    }
    const limited = await call();
    expect(limited.status).toBe(429);
    expect(limited.headers.get('ratelimit-remaining')).toBe('0');
    expect(limited.headers.has('retry-after')).toBe(false);
    expect(Number(limited.headers.get('ratelimit-reset'))).toBe(Math.ceil((t0 + 3_600_000) / 1000));
    // An hour after the first burst, its 250 requests expire; the next oldest is the second burst.
    await control(sims, 'POST', '/time/advance', { hours: (t0 + 3_600_000 + 1000 - (t0 + 20 * minute)) / 3_600_000 });
    const freed = await call();
    expect(freed.status).toBe(200);
    expect(freed.headers.get('ratelimit-remaining')).toBe('249');
    expect(Number(freed.headers.get('ratelimit-reset'))).toBe(Math.ceil((t0 + minute + 3_600_000) / 1000));
  }, 60_000);
});

describe('Bitbucket rate limits (per OAuth consumer)', () => {
  it('shares 1,000 an hour across every token of one consumer, with no rate-limit headers', async () => {
    const a1 = (await mintToken(sims, 'bitbucket', { clientId: 'consumer-a' })).access_token;
    const a2 = (await mintToken(sims, 'bitbucket', { clientId: 'consumer-a', user: (await control<any[]>(sims, 'GET', '/bitbucket/users'))[3].id })).access_token;
    const b = (await mintToken(sims, 'bitbucket', { clientId: 'consumer-b' })).access_token;
    const user = (t: string) => http<any>(`${sims.info.bitbucket.apiBaseUrl}/user`, { headers: bearer(t) });
    const statuses = await burst(1000, (i) => user(i % 2 === 0 ? a1 : a2));
    expect(statuses.every((s) => s === 200)).toBe(true);
    for (const t of [a1, a2]) {
      const limited = await user(t);
      expect(limited.status).toBe(429);
      expect(limited.body).toEqual({ type: 'error', error: { message: expect.any(String) } });
      expect(limited.headers.has('retry-after')).toBe(false);
      expect([...limited.headers.keys()].filter((h) => h.includes('ratelimit'))).toEqual([]);
    }
    expect((await user(b)).status).toBe(200);
    // /2.0/repositories/* has its own budget, scaled by paid seats.
    expect((await http(`${sims.info.bitbucket.apiBaseUrl}/repositories/acme`, { headers: bearer(a1) })).status).toBe(200);
    await control(sims, 'POST', '/time/advance', { hours: 1.01 });
    expect((await user(a1)).status).toBe(200);
  });

  it('scales the repositories budget by 10 an hour per paid seat above 100, up to 10,000 (the formula)', () => {
    expect(repositoriesLimit(25)).toBe(1000);
    expect(repositoriesLimit(100)).toBe(1000);
    expect(repositoriesLimit(350)).toBe(3500);
    expect(repositoriesLimit(2000)).toBe(10_000);
  });
});

/**
 * The served budgets, over HTTP. Limits are scaled down a hundredfold (rateLimitScale 0.01) so a test
 * spends them in a few dozen requests: 1,000 an hour becomes 10, 3,500 becomes 35 and 10,000 becomes 100.
 */
describe('Bitbucket /2.0/repositories/* budget, served, by paid seats', () => {
  const SCALE = 0.01;
  type Repos = { values: Array<{ slug: string; workspace: { uuid: string } }> };

  /** Calls one at a time until the first 429: how many passed; every call after it must be a 429 too. */
  async function allowance(call: (i: number) => Promise<HttpResult>, count: number): Promise<number> {
    const statuses: number[] = [];
    for (let i = 0; i < count; i++) statuses.push((await call(i)).status);
    const passed = statuses.includes(429) ? statuses.indexOf(429) : statuses.length;
    expect(statuses.slice(0, passed).every((s) => s === 200), statuses.join(',')).toBe(true);
    expect(statuses.slice(passed).every((s) => s === 429), statuses.join(',')).toBe(true);
    return passed;
  }

  /** Spends a workspace's repositories budget over several /2.0/repositories/* routes, then the general one. */
  async function budgets(sims: RunningSimulators, workspace: string, count: number) {
    const token = (await mintToken(sims, 'bitbucket')).access_token;
    const get = <T = unknown>(p: string) => http<T>(`${sims.info.bitbucket.apiBaseUrl}${p}`, { headers: bearer(token) });
    const first = await get<Repos>(`/repositories/${workspace}?pagelen=1`);
    expect(first.status).toBe(200);
    const repo = first.body.values[0]!.slug;
    const routes = [`/repositories/${workspace}?pagelen=5`, `/repositories/${workspace}/${repo}`, `/repositories/${workspace}/${repo}/pullrequests`, `/repositories/${workspace}/${repo}/commits?pagelen=5`];
    const repositories = 1 + (await allowance((i) => get(routes[i % routes.length]!), count));
    const general = await allowance(() => get('/user'), count);
    return { repositories, general, get, workspaceUuid: first.body.values[0]!.workspace.uuid };
  }

  it('a workspace of 25 paid seats gets the base 1,000 on both budgets', async () => {
    const sims = await startTestSimulators({ rateLimitScale: SCALE });
    try {
      expect(await budgets(sims, 'acme', 40)).toMatchObject({ repositories: 10, general: 10 });
    } finally {
      await sims.close();
    }
  });

  it('350 paid seats: /2.0/repositories/* gets 1,000 + 10 x 250 = 3,500 while other routes keep 1,000; the workspace UUID spends the same budget', async () => {
    const sims = await startTestSimulators({ rateLimitScale: SCALE, bitbucketPaidSeats: 350 });
    try {
      const { repositories, general, get, workspaceUuid } = await budgets(sims, 'acme', 60);
      expect({ repositories, general }).toEqual({ repositories: 35, general: 10 });
      // An hour later both budgets are whole again; the slug and the UUID draw on one of them.
      await control(sims, 'POST', '/time/advance', { hours: 1.01 });
      expect((await get('/user')).status).toBe(200);
      const bySlugOrUuid = await allowance((i) => get(`/repositories/${i % 2 === 0 ? 'acme' : encodeURIComponent(workspaceUuid)}?pagelen=1`), 60);
      expect(bySlugOrUuid).toBe(35);
    } finally {
      await sims.close();
    }
  });

  it('the large preset (2,000 paid seats) is capped at 10,000 on /2.0/repositories/* (uncapped it would be 20,000); other routes keep 1,000', async () => {
    const sims = await startTestSimulators({ preset: 'large', rateLimitScale: SCALE });
    try {
      expect(await budgets(sims, 'northwind', 220)).toMatchObject({ repositories: 100, general: 10 });
    } finally {
      await sims.close();
    }
  }, 60_000);
});
