import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FaultRuleInput, RunningSimulators } from '../../src/simulators/index.ts';
import { bearer, control, http, mintToken, startTestSimulators } from './support/sim.ts';

let sims: RunningSimulators;
let doToken: string;
let bbToken: string;

beforeAll(async () => {
  sims = await startTestSimulators();
  doToken = (await mintToken(sims, 'digitalocean')).access_token;
  bbToken = (await mintToken(sims, 'bitbucket')).access_token;
});
afterEach(() => control(sims, 'DELETE', '/faults'));
afterAll(() => sims.close());

const fault = (rule: FaultRuleInput) => control<{ id: string }>(sims, 'POST', '/faults', rule);
const droplets = (init: RequestInit = {}) => fetch(`${sims.info.digitalocean.apiBaseUrl}/v2/droplets`, { headers: bearer(doToken), ...init });
const repos = (init: RequestInit = {}) => fetch(`${sims.info.bitbucket.apiBaseUrl}/repositories/acme`, { headers: bearer(bbToken), ...init });

describe('fault rules', () => {
  it('429: DigitalOcean sends retry-after and its rate-limit headers, Bitbucket sends neither', async () => {
    await fault({ kind: '429', route: '/v2/droplets' });
    await fault({ kind: '429', provider: 'bitbucket', route: '/2.0/repositories/{workspace}' });
    const d = await droplets();
    expect(d.status).toBe(429);
    expect(await d.json()).toEqual({ id: 'too_many_requests', message: expect.any(String) });
    expect(d.headers.get('retry-after')).toBe('60');
    expect(d.headers.has('ratelimit-remaining')).toBe(true);
    const b = await repos();
    expect(b.status).toBe(429);
    expect(await b.json()).toEqual({ type: 'error', error: { message: expect.any(String) } });
    expect(b.headers.has('retry-after')).toBe(false);
    // Routes the rule does not name are untouched.
    expect((await fetch(`${sims.info.digitalocean.apiBaseUrl}/v2/account`, { headers: bearer(doToken) })).status).toBe(200);
  });

  it('500, 502 and 503 answer with each provider error body', async () => {
    for (const kind of ['500', '502', '503'] as const) {
      await control(sims, 'DELETE', '/faults');
      await fault({ kind });
      const d = await droplets();
      expect(d.status).toBe(Number(kind));
      expect(await d.json()).toMatchObject({ id: expect.any(String), message: expect.any(String) });
      const b = await repos();
      expect(b.status).toBe(Number(kind));
      expect((await b.json()).type).toBe('error');
    }
  });

  it('slow adds the delay and still answers', async () => {
    await fault({ kind: 'slow', delayMs: 400, provider: 'digitalocean' });
    const started = performance.now();
    const res = await droplets();
    expect(res.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(390);
  });

  it('timeout never answers within the client timeout; drop destroys the connection', async () => {
    await fault({ kind: 'timeout', route: '/v2/droplets' });
    await expect(droplets({ signal: AbortSignal.timeout(300) })).rejects.toThrow(/abort|timeout/i);
    await control(sims, 'DELETE', '/faults');
    await fault({ kind: 'drop', route: '/2.0/repositories/*' });
    await expect(repos()).rejects.toThrow();
  });

  it('html_challenge serves a bot-protection page as text/html, with 403, 503 or 200', async () => {
    for (const status of [403, 503, 200] as const) {
      await control(sims, 'DELETE', '/faults');
      await fault({ kind: 'html_challenge', status });
      const res = await droplets();
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await res.text()).toMatch(/<title>Just a moment\.\.\.<\/title>/);
    }
  });

  it('truncated_json sends a 200 whose JSON body is cut short', async () => {
    await fault({ kind: 'truncated_json', provider: 'bitbucket' });
    const res = await repos();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    const text = await res.text();
    expect(text.length).toBeGreaterThan(10);
    expect(() => JSON.parse(text)).toThrow();
  });

  it('expired_token answers 401 as each provider does for an expired token', async () => {
    await fault({ kind: 'expired_token' });
    const d = await droplets();
    expect(d.status).toBe(401);
    expect(await d.json()).toEqual({ id: 'unauthorized', message: expect.any(String) });
    const b = await repos();
    expect(b.status).toBe(401);
    expect(await b.json()).toEqual({ type: 'error', error: { message: 'Access token expired.' } });
  });

  it('hits a seeded share of requests, the same ones for the same seed, and stops after `times`', async () => {
    const pattern = async () => {
      await control(sims, 'DELETE', '/faults');
      await fault({ kind: '503', provider: 'digitalocean', probability: 0.3, seed: 42 });
      const out: number[] = [];
      for (let i = 0; i < 40; i++) out.push((await droplets()).status);
      return out;
    };
    const first = await pattern();
    const hits = first.filter((s) => s === 503).length;
    expect(hits).toBeGreaterThan(4);
    expect(hits).toBeLessThan(24);
    expect(await pattern()).toEqual(first);
    await control(sims, 'DELETE', '/faults');
    const rule = await fault({ kind: '500', provider: 'digitalocean', times: 2 });
    const statuses = [(await droplets()).status, (await droplets()).status, (await droplets()).status];
    expect(statuses).toEqual([500, 500, 200]);
    const listed = await control<Array<{ id: string; hits: number }>>(sims, 'GET', '/faults');
    expect(listed.find((r) => r.id === rule.id)?.hits).toBe(2);
  });

  it('applies to the OAuth token endpoint too, and counts faulted requests', async () => {
    await control(sims, 'POST', '/counters/reset');
    await fault({ kind: '503', route: '/site/oauth2/access_token' });
    const res = await http(sims.info.bitbucket.tokenUrl, { method: 'POST', body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'x' }) });
    expect(res.status).toBe(503);
    const counters = await control<any>(sims, 'GET', '/counters');
    expect(counters.byRoute['bitbucket POST /site/oauth2/access_token']).toBe(1);
    expect(counters.byStatus['bitbucket 503']).toBe(1);
  });
});
