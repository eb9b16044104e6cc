import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { ProviderSlug } from '../../src/api/contracts/connections.ts';
import { runSync, type SyncOptions } from '../../src/sync/engine.ts';
import { printFigures } from './support/figures.ts';
import { sized, timeoutFor } from './support/size.ts';
import { compare, snapshot, startWorld } from './support/world.ts';

/**
 * N sync runs against providers that fail 10% of the API requests, every fault kind the simulators know,
 * each run compared row by row with a fault-free run of the same data at the same simulated moment.
 *
 * Two organizations hold the same provider accounts: the reference connection syncs with no faults, then
 * the faulted one syncs with faults on. Between rounds an hour passes on both clocks (the simulators' and
 * Tally's request budget), which keeps both under the providers' rate limits and brings new provider data
 * (commits, droplets, balance), so later rounds are incremental syncs of real changes; every third is full.
 */
const PROVIDERS: ProviderSlug[] = ['digitalocean', 'bitbucket'];
const RUNS = sized(8, 1000);
const ROUNDS = Math.ceil(RUNS / PROVIDERS.length);
const KINDS = ['429', '500', '502', '503', 'slow', 'timeout', 'drop', 'html_challenge', 'truncated_json', 'expired_token'] as const;
// Rules are tried in order and the first hit wins: this chance per rule makes 10% of requests faulted in all.
const PER_KIND = 1 - Math.pow(0.9, 1 / KINDS.length);
const API_ROUTES: Record<ProviderSlug, string> = { digitalocean: '/v2/*', bitbucket: '/2.0/*' };
// At most one expired-token answer per run, as in test/sync/engine.test.ts: the engine takes a 401 that
// follows a successful refresh for a dead grant (Reconnect needed), so two in a row would end the run by design.
const ONE_EXPIRED_TOKEN_PER_RUN = 'expired_token at most once per run (a second 401 right after a successful refresh means Reconnect needed, by design)';

const w = await startWorld({ connect: PROVIDERS });
const faultedOrg = await w.addOrganization('Faulted Inc', PROVIDERS);
const reference = Object.fromEntries(await Promise.all(PROVIDERS.map(async (p) => [p, await w.connectionId(p)]))) as Record<ProviderSlug, string>;
const faulted = Object.fromEntries(await Promise.all(PROVIDERS.map(async (p) => [p, await w.connectionId(p, faultedOrg)]))) as Record<ProviderSlug, string>;
// Short waits so a thousand runs fit in an hour: a held request is given up after 1 s (the simulator holds it 3 s).
const fast: Partial<SyncOptions> = { startingDelayMs: 5, timeoutMs: 1000, maxRetryAfterMs: 50 };

type FaultRule = { kind: string; hits: number; seen: number };

describe('syncs against faulty providers', () => {
  it(`${RUNS} runs with 10% of requests faulted end with exactly the data of fault-free runs`, async () => {
    const hits: Record<string, number> = Object.fromEntries(KINDS.map((k) => [k, 0]));
    const totals = { runs: 0, failed: 0, requests: 0, faultedRequests: 0, retries: 0, rows: 0, lost: 0, extra: 0, changed: 0, full: 0, incremental: 0 };
    const failures: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      if (round > 0) {
        await w.control('/time/advance', { hours: 1 });
        await sql`update rate_events set at = at - interval '1 hour'`.execute(w.ctx.db);
      }
      const full = round % 3 === 2;
      // Both runs of a round build their time windows from one simulated moment: a midnight between them
      // would otherwise give the later run one more day of metrics than the run it is compared with.
      const moment = new Date((await w.control<{ now: string }>('/time')).now);
      const now = () => moment;
      const refResults = await Promise.all(PROVIDERS.map((p) => runSync(w.ctx, reference[p], { trigger: 'resilience', full, now, ...fast })));
      for (const r of refResults) expect(r.status, `fault-free run: ${JSON.stringify(r.error)}`).toBe('succeeded');
      for (const [i, provider] of PROVIDERS.entries()) {
        for (const [k, kind] of KINDS.entries()) {
          const extra = kind === 'timeout' ? { delayMs: 3000 } : kind === 'slow' ? { delayMs: 200 } : kind === 'expired_token' ? { times: 1 } : {};
          await w.control('/faults', { provider, route: API_ROUTES[provider], kind, probability: PER_KIND, seed: round * 1000 + i * 100 + k, ...extra });
        }
      }
      const results = await Promise.all(PROVIDERS.map((p) => runSync(w.ctx, faulted[p], { trigger: 'resilience', full, now, ...fast })));
      for (const rule of await w.control<FaultRule[]>('/faults')) {
        hits[rule.kind] = (hits[rule.kind] ?? 0) + rule.hits;
        totals.faultedRequests += rule.hits;
      }
      await w.control('/faults', undefined, 'DELETE');
      for (const [i, provider] of PROVIDERS.entries()) {
        const result = results[i]!;
        totals.runs++;
        if (full) totals.full++;
        else if (round > 0) totals.incremental++;
        totals.requests += result.counters.requests;
        totals.retries += result.counters.retries;
        if (result.status !== 'succeeded') {
          totals.failed++;
          failures.push(`round ${round} ${provider}: ${result.error?.code} ${result.error?.message}`);
        }
        const diff = compare(await snapshot(w.ctx, reference[provider]), await snapshot(w.ctx, faulted[provider]));
        totals.rows += diff.rows;
        totals.lost += diff.lost;
        totals.extra += diff.extra;
        totals.changed += diff.changed;
        if (diff.examples.length) failures.push(`round ${round} ${provider}: ${diff.examples.join('; ')}`);
      }
      if (failures.length) break; // a broken run leaves its connection behind: the rounds after it prove nothing more
    }
    const mix = KINDS.map((k) => `${k}: ${hits[k]}`).join(', ');
    printFigures(
      'faults',
      [
        { tried: `sync runs with faults (${PROVIDERS.length} first syncs, ${totals.incremental} incremental, ${totals.full} full)`, figure: totals.runs, expected: `${RUNS} runs, each succeeded`, ok: totals.runs === RUNS && totals.failed === 0 },
        { tried: 'API requests made by those runs', figure: totals.requests },
        { tried: 'requests faulted', figure: `${totals.faultedRequests} (${((100 * totals.faultedRequests) / Math.max(1, totals.requests)).toFixed(1)}%)`, expected: 'about 10%' },
        { tried: 'retries', figure: totals.retries },
        { tried: 'rows compared with the fault-free runs', figure: totals.rows },
        { tried: 'rows lost', figure: totals.lost, expected: '0', ok: totals.lost === 0 },
        { tried: 'rows duplicated or extra', figure: totals.extra, expected: '0', ok: totals.extra === 0 },
        { tried: 'rows with other contents', figure: totals.changed, expected: '0', ok: totals.changed === 0 },
      ],
      [`fault mix survived: ${mix}`, ONE_EXPIRED_TOKEN_PER_RUN, ...failures],
    );
    expect(failures).toEqual([]);
    expect(totals.runs).toBe(RUNS);
    expect(totals.faultedRequests / totals.requests).toBeGreaterThan(0.05);
    expect({ lost: totals.lost, extra: totals.extra, changed: totals.changed }).toEqual({ lost: 0, extra: 0, changed: 0 });
  }, timeoutFor(RUNS, 6000));
});
