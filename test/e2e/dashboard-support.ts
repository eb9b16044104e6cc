/**
 * What the dashboard's browser tests ask the API directly: the figures a page should show, and when a
 * connection's sync (and the recomputation after it) is done.
 */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { ApiClient } from '../support/api.ts';

export type Provider = 'digitalocean' | 'bitbucket';

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** A decimal string from the API as the dashboard writes it: "1234.5" -> "$1,234.50". */
export function money(amount: string): string {
  return usd.format(amount as `${number}`);
}

/**
 * Asks `probe` again every half second until it gives something other than undefined. A plain loop rather
 * than expect.poll, so setup code (beforeAll) can wait too. Generous by default: syncs share two cores with
 * whatever else runs.
 */
async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 240_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    const value = await probe().catch((error: unknown) => {
      last = (error as Error).message;
      if (error instanceof SyncFailed) throw error;
      return undefined;
    });
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Gave up waiting for ${what} after ${timeoutMs / 1000} s${last ? `: ${last}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

class SyncFailed extends Error {}

/**
 * GET /api/orgs/:orgId/analytics/<pathname>, asked again until `ready` holds (figures are recomputed
 * right after each sync, so they can lag the sync's end by a moment).
 */
export async function analytics(api: ApiClient, orgId: string, pathname: string, ready: (body: any) => boolean = () => true): Promise<any> {
  return until(`analytics/${pathname}`, async () => {
    const res = await api.get(`/api/orgs/${orgId}/analytics/${pathname}`);
    if (res.status !== 200) throw new Error(`answered ${res.status}: ${JSON.stringify(res.body)}`);
    return ready(res.body) ? res.body : undefined;
  });
}

/**
 * Waits until the provider's connection has no sync queued or running and its last run succeeded
 * (with the given trigger, and started after `startedAfter`, when named); returns that run. A failed run
 * fails at once.
 */
export async function untilSynced(api: ApiClient, orgId: string, provider: Provider, options: { trigger?: string; startedAfter?: string } = {}): Promise<any> {
  return until(`the ${provider} sync`, async () => {
    const res = await api.get(`/api/orgs/${orgId}/sync/health`);
    if (res.status !== 200) throw new Error(`sync/health answered ${res.status}: ${JSON.stringify(res.body)}`);
    const health = res.body.connections.find((c: any) => c.provider === provider && c.status !== 'disconnected');
    if (!health || health.running || health.queued || !health.lastRun) return undefined;
    if (options.startedAfter && health.lastRun.startedAt <= options.startedAfter) return undefined;
    if (health.lastRun.status === 'failed') throw new SyncFailed(`The ${provider} sync failed: ${JSON.stringify(health.lastRun.error)}`);
    if (options.trigger && health.lastRun.trigger !== options.trigger) return undefined;
    return health.lastRun.status === 'succeeded' ? health.lastRun : undefined;
  });
}

/**
 * Waits until the provider's app has figures recomputed after `run` (a first sync also recomputes midway,
 * once the member lists are in, so figures exist before the run ends); returns the apps list's item.
 */
export async function figuresAfter(api: ApiClient, orgId: string, provider: Provider, run: { finishedAt: string }): Promise<any> {
  const apps = await analytics(api, orgId, 'apps', (a) => a.items.some((x: any) => x.provider === provider && x.computedAt !== null && x.computedAt >= run.finishedAt));
  return apps.items.find((x: any) => x.provider === provider);
}

/**
 * Whether the provider's connection has a sync under way or behind it without anyone asking: Connect may
 * queue the first sync itself. Tests then wait for that one instead of pressing Sync now.
 */
export async function syncStarted(api: ApiClient, orgId: string, provider: Provider): Promise<boolean> {
  const res = await api.get(`/api/orgs/${orgId}/sync/health`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  const health = res.body.connections.find((c: any) => c.provider === provider && c.status !== 'disconnected');
  if (!health) throw new Error(`${provider} is not connected`);
  return Boolean(health.queued || health.running || health.lastRun);
}

/**
 * Sync now over the API for the provider's connection (test Tallys run no scheduled syncs, so nothing
 * syncs until asked, though Connect may queue a first sync); returns a time for untilSynced's
 * `startedAfter` that the sync which answers this request starts after.
 */
export async function syncNow(api: ApiClient, orgId: string, provider: Provider): Promise<string> {
  const cards = await api.get(`/api/orgs/${orgId}/connections`);
  const connection = cards.body.items.find((c: any) => c.provider === provider)?.connection;
  if (!connection) throw new Error(`${provider} is not connected`);
  const asked = new Date(Date.now() - 1000).toISOString();
  const res = await api.post(`/api/orgs/${orgId}/connections/${connection.id}/sync`, {});
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  if (res.body.queued) return asked;
  // A sync already queued or running (the one Connect started) does the work instead: wait for that one.
  const health = (await api.get(`/api/orgs/${orgId}/sync/health`)).body.connections.find((c: any) => c.connectionId === connection.id);
  const started = health?.running?.startedAt ?? (health?.lastRun?.finishedAt >= asked ? health.lastRun.startedAt : undefined);
  return started ? new Date(Date.parse(started) - 1).toISOString() : asked;
}

/** A stat tile's value (Overview, an app, Spend), found by its label. */
export const tile = (page: Page, label: string | RegExp) => page.locator('dl > div').filter({ has: page.locator('dt', { hasText: label }) }).locator('dd').first();

/** The simulators' control API (/_sim) of a Tally started with its simulators. */
export async function sim(simulated: Record<string, { endpoints: { apiBaseUrl: string } }>, pathname: string, body?: unknown, method = body === undefined ? 'GET' : 'POST'): Promise<void> {
  const base = Object.values(simulated)[0]!.endpoints.apiBaseUrl.replace(/\/(digitalocean|bitbucket).*$/, '');
  const init = body === undefined ? { method } : { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
  const res = await fetch(`${base}/_sim${pathname}`, init);
  expect(res.status, await res.clone().text()).toBeLessThan(300);
}
