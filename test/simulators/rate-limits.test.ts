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

  it('scales the repositories budget by 10 an hour per paid seat above 100, up to 10,000', () => {
    expect(repositoriesLimit(25)).toBe(1000);
    expect(repositoriesLimit(100)).toBe(1000);
    expect(repositoriesLimit(350)).toBe(3500);
    expect(repositoriesLimit(2000)).toBe(10_000);
  });
});
