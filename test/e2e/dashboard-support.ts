/**
 * What the dashboard's browser tests ask the API directly: the figures a page should show, and when a
 * connection's sync (and the recomputation after it) is done.
 */
import { expect } from 'vitest';
import type { ApiClient } from '../support/api.ts';

export type Provider = 'digitalocean' | 'bitbucket';

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** A decimal string from the API as the dashboard writes it: "1234.5" -> "$1,234.50". */
export function money(amount: string): string {
  return usd.format(amount as `${number}`);
}

/**
 * GET /api/orgs/:orgId/analytics/<pathname>, asked again until `ready` holds (figures are recomputed
 * right after each sync, so they can lag the sync's end by a moment).
 */
export async function analytics(api: ApiClient, orgId: string, pathname: string, ready: (body: any) => boolean = () => true): Promise<any> {
  let body: any;
  await expect
    .poll(
      async () => {
        const res = await api.get(`/api/orgs/${orgId}/analytics/${pathname}`);
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        body = res.body;
        return ready(body);
      },
      { timeout: 60_000, interval: 500 },
    )
    .toBe(true);
  return body;
}

/**
 * Waits until the provider's connection has no sync queued or running and its last run succeeded
 * (with the given trigger, when one is named); returns that run.
 */
export async function untilSynced(api: ApiClient, orgId: string, provider: Provider, options: { trigger?: string } = {}): Promise<any> {
  let run: any;
  await expect
    .poll(
      async () => {
        const res = await api.get(`/api/orgs/${orgId}/sync/health`);
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        const health = res.body.connections.find((c: any) => c.provider === provider && c.status !== 'disconnected');
        if (!health || health.running || health.queued || !health.lastRun) return 'syncing';
        if (health.lastRun.status === 'failed') throw new Error(`The ${provider} sync failed: ${JSON.stringify(health.lastRun.error)}`);
        if (options.trigger && health.lastRun.trigger !== options.trigger) return `last run was ${health.lastRun.trigger}`;
        run = health.lastRun;
        return health.lastRun.status;
      },
      { timeout: 120_000, interval: 500 },
    )
    .toBe('succeeded');
  return run;
}
