import { describe, expect, it } from 'vitest';
import type { ProviderSlug } from '../../src/api/contracts/connections.ts';
import { runSync } from '../../src/sync/engine.ts';
import { printFigures } from './support/figures.ts';
import { spawnWorker, workerLogs } from './support/processes.ts';
import { sized } from './support/size.ts';
import { startWorld, storedTokens } from './support/world.ts';

/**
 * Refresh tokens rotate on use (Bitbucket's on every refresh, DigitalOcean's are single-use): two refreshes
 * of one connection at once would kill the grant. Two Tally processes each start 10 refreshes of a due
 * connection at the same moment; the provider must see exactly one refresh request, and the connection must
 * still work afterwards (its next sync succeeds with the rotated tokens).
 */
const PROVIDERS: ProviderSlug[] = ['digitalocean', 'bitbucket'];
const ROUNDS = sized(1, 10);
const PER_PROCESS = 10;

const w = await startWorld({ connect: PROVIDERS });
const probe: Record<ProviderSlug, string> = { digitalocean: 'account', bitbucket: 'workspaces' };

describe('concurrent refreshes from two processes', () => {
  it(`${2 * PER_PROCESS} refreshes at once across 2 processes make exactly 1 refresh request, ${ROUNDS} round(s) per provider`, async () => {
    const rows: Array<{ provider: ProviderSlug; requests: number; refreshed: number; stillFresh: number; other: string[]; synced: boolean }> = [];
    for (const provider of PROVIDERS) {
      const connectionId = await w.connectionId(provider);
      const workers = [spawnWorker(w.env, ['refresh', connectionId, String(PER_PROCESS)]), spawnWorker(w.env, ['refresh', connectionId, String(PER_PROCESS)])];
      await Promise.all(workers.map((p) => p.waitFor((e) => e.event === 'ready')));
      for (let round = 0; round < ROUNDS; round++) {
        // Tally's clock has moved to just past the token's expiry.
        await w.ctx.db.updateTable('connections').set({ access_expires_at: new Date(Date.now() - 1000) }).where('id', '=', connectionId).execute();
        await w.control('/counters/reset', {});
        for (const p of workers) p.send(String(round));
        const outcomes = (await Promise.all(workers.map((p) => p.waitFor((e) => e.event === 'done' && e.round === String(round))))).flatMap((e) => e.outcomes as string[]);
        const counters = await w.control<{ refreshTokenGrants: Record<ProviderSlug, number> }>('/counters');
        const synced = await runSync(w.ctx, connectionId, { trigger: 'resilience', streams: [probe[provider]] });
        rows.push({
          provider,
          requests: counters.refreshTokenGrants[provider],
          refreshed: outcomes.filter((o) => o === 'refreshed').length,
          stillFresh: outcomes.filter((o) => o === 'still_fresh').length,
          other: outcomes.filter((o) => o !== 'refreshed' && o !== 'still_fresh'),
          synced: synced.status === 'succeeded',
        });
      }
      for (const p of workers) p.end();
      await Promise.all(workers.map((p) => p.exited));
    }
    const sum = (f: (r: (typeof rows)[number]) => number) => rows.reduce((n, r) => n + f(r), 0);
    printFigures(
      'refresh-race',
      [
        { tried: `rounds of ${2 * PER_PROCESS} concurrent refreshes in 2 processes (${PROVIDERS.join(', ')})`, figure: rows.length, expected: String(ROUNDS * PROVIDERS.length), ok: rows.length === ROUNDS * PROVIDERS.length },
        { tried: 'refresh requests the providers saw, per round', figure: [...new Set(rows.map((r) => r.requests))].join(', '), expected: '1', ok: rows.every((r) => r.requests === 1) },
        { tried: 'refreshes that refreshed / found the token fresh', figure: `${sum((r) => r.refreshed)} / ${sum((r) => r.stillFresh)}`, expected: `${rows.length} / ${rows.length * (2 * PER_PROCESS - 1)}`, ok: rows.every((r) => r.refreshed === 1 && r.stillFresh === 2 * PER_PROCESS - 1) },
        { tried: 'refreshes that failed', figure: sum((r) => r.other.length), expected: '0', ok: rows.every((r) => r.other.length === 0) },
        { tried: 'connections that synced with the rotated tokens afterwards', figure: rows.filter((r) => r.synced).length, expected: String(rows.length), ok: rows.every((r) => r.synced) },
      ],
      rows.flatMap((r) => r.other.map((o) => `${r.provider}: ${o}`)),
    );
    for (const r of rows) expect(r).toEqual({ provider: r.provider, requests: 1, refreshed: 1, stillFresh: 2 * PER_PROCESS - 1, other: [], synced: true });
    const tokens = await storedTokens(w.ctx);
    expect(workerLogs.filter((log) => tokens.some((t) => log.includes(t))), 'a worker log holds a token').toEqual([]);
  }, 300_000);
});
