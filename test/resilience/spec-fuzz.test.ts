import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import type { ProviderSlug } from '../../src/api/contracts/connections.ts';
import type { AppContext } from '../../src/context.ts';
import { runSync, type SyncResult } from '../../src/sync/engine.ts';
import { streamsFor } from '../../src/sync/streams.ts';
import { printFigures } from './support/figures.ts';
import { startFuzzServer, type FuzzMode } from './support/fuzz-server.ts';
import { sized } from './support/size.ts';
import { clearSyncedData, startWorld } from './support/world.ts';

/**
 * The real engine and every stream definition, fed by a provider stand-in that answers from the providers'
 * OpenAPI documents (support/fuzz-server.ts): documented bodies (complete, then sparse), documented bodies
 * with broken records, and bodies that are nothing like the document. Nothing may crash; a broken record is
 * quarantined with a reason that names what broke, and the rest of its page is kept.
 */
const PROVIDERS: ProviderSlug[] = ['digitalocean', 'bitbucket'];
const MODES: FuzzMode[] = ['complete', 'sparse', 'corrupt', 'garbage'];
const ROUNDS = sized(1, 10);

const w = await startWorld({ connect: PROVIDERS });
const fuzz = await startFuzzServer();
afterAll(() => fuzz.close());
// The connections' own tokens, sent to the stand-in instead of the provider.
const fuzzCtx: AppContext = {
  ...w.ctx,
  simulated: Object.fromEntries(PROVIDERS.map((p) => [p, { ...w.ctx.simulated[p]!, endpoints: { ...w.ctx.simulated[p]!.endpoints, apiBaseUrl: fuzz.apiBaseUrl(p) } }])),
};

/** `bitbucket repositories: slug: Invalid input: expected string, received undefined` -> `bitbucket repositories.slug`. */
const fieldOf = (u: string) => u.replace(/^(\S+) (\S+): ([^:]+):.*$/, '$1 $2.$3');
const missingField = (u: string) => /received undefined$/.test(u);

type Tally = { runs: number; crashed: string[]; failed: string[]; quarantined: number; stored: number };

describe('streams fed from the providers’ documents', () => {
  it(`${ROUNDS} round(s) of every stream of both providers in ${MODES.length} modes: no crash, broken records quarantined with reasons`, async () => {
    const byMode = Object.fromEntries(MODES.map((m) => [m, { runs: 0, crashed: [], failed: [], quarantined: 0, stored: 0 } as Tally])) as Record<FuzzMode, Tally>;
    const reasons = new Map<string, number>();
    const undocumented = new Set<string>();
    const brokenFound = { quarantined: 0, namedTheField: 0, missing: [] as string[] };
    const timestamps = { refused: 0, accepted: new Set<string>() };
    for (let round = 0; round < ROUNDS; round++) {
      for (const provider of PROVIDERS) {
        const connectionId = await w.connectionId(provider);
        for (const [m, mode] of MODES.entries()) {
          await clearSyncedData(w.ctx, connectionId);
          const brokenBefore = fuzz.stats.broken.length;
          for (const [i, stream] of streamsFor(provider, w.ctx.config).entries()) {
            fuzz.use(provider, stream, mode, round * 10_000 + m * 1000 + i);
            const t = byMode[mode];
            t.runs++;
            let result: SyncResult;
            try {
              result = await runSync(fuzzCtx, connectionId, { trigger: 'fuzz', streams: [stream.name], startingDelayMs: 1, timeoutMs: 5000 });
            } catch (error) {
              t.crashed.push(`${provider} ${stream.name}: ${(error as Error).message}`);
              continue;
            }
            if (result.status !== 'succeeded') t.failed.push(`${provider} ${stream.name}: ${result.error?.message ?? result.status}`);
          }
          const q = await sql<{ stream: string; reason: string; marker: string | null }>`
            select stream, reason, data->>'tally_fuzz' as marker from sync_quarantine where connection_id = ${connectionId}`.execute(w.ctx.db);
          // A record with every documented property that is still refused needs something the document does not define.
          if (mode === 'complete') for (const r of q.rows) undocumented.add(`${provider} ${r.stream}: ${r.reason}`);
          const stored = await sql<{ n: number }>`select count(*)::int as n from sync_records where connection_id = ${connectionId}`.execute(w.ctx.db);
          byMode[mode].quarantined += q.rows.length;
          byMode[mode].stored += stored.rows[0]!.n;
          for (const r of q.rows) {
            const reason = r.reason.replace(/[0-9]+/g, 'n');
            reasons.set(`${mode}: ${reason}`, (reasons.get(`${mode}: ${reason}`) ?? 0) + 1);
          }
          for (const b of fuzz.stats.broken.slice(brokenBefore)) {
            const row = q.rows.find((r) => r.marker === b.marker);
            if (b.how === 'not a timestamp') {
              // Whether a malformed timestamp is refused is the stream schema's choice: counted, not required.
              if (row) timestamps.refused++;
              else timestamps.accepted.add(`${provider} ${b.stream}.${b.key}`);
              continue;
            }
            if (!row) brokenFound.missing.push(`${provider} ${b.stream}: ${b.key} ${b.how}`);
            else {
              brokenFound.quarantined++;
              // Refused for a field the document does not define (found in complete mode) before reaching ours: as good.
              const gap = [...undocumented].some((u) => u.startsWith(`${provider} ${b.stream}: ${row.reason.split(':')[0]}:`));
              if (row.reason.startsWith(b.key) || gap) brokenFound.namedTheField++;
            }
          }
        }
      }
    }
    const s = fuzz.stats;
    const broken = s.broken.filter((b) => b.how !== 'not a timestamp').length;
    const badTimestamps = s.broken.length - broken;
    const crashed = MODES.flatMap((m) => byMode[m].crashed);
    const row = (mode: FuzzMode) => `${byMode[mode].runs} runs, ${byMode[mode].failed.length} failed, ${byMode[mode].stored} stored, ${byMode[mode].quarantined} quarantined`;
    const topReasons = [...reasons.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([r, n]) => `${n}x ${r}`);
    printFigures(
      'spec-fuzz',
      [
        { tried: 'answers generated from the OpenAPI documents (bodies checked with Ajv)', figure: `${s.requests} answers, ${s.generated} bodies generated` },
        { tried: 'generated bodies valid on the first try / sent invalid', figure: `${((100 * s.validOnFirstTry) / Math.max(1, s.generated - s.invalidAfterRetries)).toFixed(0)}% / ${s.invalidAfterRetries}`, expected: '- / 0', ok: s.invalidAfterRetries === 0 },
        { tried: 'documented, every property present', figure: row('complete'), expected: '0 failed', ok: byMode.complete.failed.length === 0 },
        { tried: 'fields streams need that the documents do not define (complete records quarantined for them)', figure: [...new Set([...undocumented].map(fieldOf))].join(', ') || 'none', expected: 'only missing fields, never a type', ok: [...undocumented].every(missingField) },
        { tried: 'documented, optional properties missing, nulls', figure: row('sparse'), expected: 'no crash' , ok: byMode.sparse.crashed.length === 0 },
        { tried: `records with a field their stream requires removed or of the wrong type (${['removed', 'wrong type'].map((h) => `${s.broken.filter((b) => b.how === h).length} ${h}`).join(', ')})`, figure: `${broken} broken, ${brokenFound.quarantined} quarantined, ${brokenFound.namedTheField} naming the field`, expected: `${broken}, ${broken}, ${broken}`, ok: broken > 0 && brokenFound.quarantined === broken && brokenFound.namedTheField === broken },
        { tried: 'records whose required timestamp is not a timestamp: refused / stored as sent', figure: `${timestamps.refused} / ${badTimestamps - timestamps.refused}`, expected: 'told apart below' },
        { tried: 'streams failed by a broken record (the rest of the page must be kept)', figure: byMode.corrupt.failed.length, expected: '0', ok: byMode.corrupt.failed.length === 0 },
        { tried: 'bodies that are not the documented shape', figure: row('garbage'), expected: 'no crash', ok: byMode.garbage.crashed.length === 0 },
        { tried: 'sync runs that threw (a crash) instead of reporting', figure: crashed.length, expected: '0', ok: crashed.length === 0 },
      ],
      [...topReasons.map((r) => `reason ${r}`), ...[...s.ungenerated].map((t) => `no valid body could be generated for ${t} (answered 500 instead)`), ...crashed.map((c) => `crashed: ${c}`), ...byMode.complete.failed.map((f) => `complete failed: ${f}`), ...byMode.corrupt.failed.map((f) => `corrupt failed: ${f}`), ...brokenFound.missing.slice(0, 10).map((m) => `not quarantined: ${m}`), ...[...timestamps.accepted].map((f) => `a malformed timestamp is stored as sent (the schema takes any string): ${f}`)],
    );
    expect(crashed).toEqual([]);
    expect(s.invalidAfterRetries).toBe(0);
    expect(byMode.complete.failed).toEqual([]);
    expect([...undocumented].filter((u) => !missingField(u))).toEqual([]);
    expect(broken).toBeGreaterThan(0);
    expect(brokenFound.missing).toEqual([]);
    expect(brokenFound.namedTheField).toBe(broken);
    expect(byMode.corrupt.failed).toEqual([]);
    expect(byMode.garbage.failed.every((f) => f.length > 20)).toBe(true);
  }, 600_000);
});
