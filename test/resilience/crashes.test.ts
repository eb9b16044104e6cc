import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { ProviderSlug } from '../../src/api/contracts/connections.ts';
import { runSync } from '../../src/sync/engine.ts';
import { printFigures } from './support/figures.ts';
import { spawnWorker, TALLY, workerLogs, type WorkerProcess } from './support/processes.ts';
import { sized, timeoutFor } from './support/size.ts';
import { clearOfMidnight, clearSyncedData, compare, snapshot, startWorld, storedTokens } from './support/world.ts';

/**
 * `tally sync <connection>` in a real process, killed with SIGKILL at a random moment of a first sync (any
 * page, request or transaction), then started again: the second process must sweep the dead run, resume
 * from the last committed page and end with exactly the data of an uninterrupted sync. Each round the
 * reference connection (another organization, same provider account) makes its first sync uninterrupted at
 * the same simulated moment; an hour passes on both clocks between rounds to stay under the providers' limits.
 */
const PROVIDERS: ProviderSlug[] = ['digitalocean', 'bitbucket'];
const KILLS = sized(2, 50);

const w = await startWorld({ connect: PROVIDERS });
const crashedOrg = await w.addOrganization('Crashed Inc', PROVIDERS);
const reference = Object.fromEntries(await Promise.all(PROVIDERS.map(async (p) => [p, await w.connectionId(p)]))) as Record<ProviderSlug, string>;
const crashed = Object.fromEntries(await Promise.all(PROVIDERS.map(async (p) => [p, await w.connectionId(p, crashedOrg)]))) as Record<ProviderSlug, string>;

const tallySync = (connectionId: string): WorkerProcess => spawnWorker(w.env, ['sync', connectionId], TALLY);
const syncing = (p: WorkerProcess) => p.waitFor((e) => e.event === 'line' && e.text.startsWith('Syncing'));
const runsOf = (connectionId: string) => w.ctx.db.selectFrom('sync_runs').select(['id', 'status', 'error_code']).where('connection_id', '=', connectionId).execute();

async function nextHour() {
  await w.control('/time/advance', { hours: 1 });
  await sql`update rate_events set at = at - interval '1 hour'`.execute(w.ctx.db);
}

describe('a sync process killed at a random moment', () => {
  it(`${KILLS} SIGKILLs, each followed by a restart, end with the data of uninterrupted syncs and no run stuck`, async () => {
    const totals = { kills: 0, late: 0, midRun: 0, swept: 0, restarted: 0, rows: 0, lost: 0, extra: 0, changed: 0, stuck: 0 };
    const problems: string[] = [];
    const spans: string[] = [];
    const spanOf: Partial<Record<string, number>> = {};
    for (let i = 0; i < KILLS; i++) {
      const provider = PROVIDERS[i % PROVIDERS.length]!;
      await nextHour();
      // Reference, kill and restart take a few first-sync spans: none of them may straddle midnight.
      await clearOfMidnight(4 * (spanOf[provider] ?? 60_000) + 30_000);
      // Both start from nothing: an incremental sync may rightly lag a first sync (daily revisits).
      await clearSyncedData(w.ctx, reference[provider]);
      const refStarted = Date.now();
      const ref = await runSync(w.ctx, reference[provider], { trigger: 'resilience' });
      expect(ref.status, JSON.stringify(ref.error)).toBe('succeeded');
      // The uninterrupted first sync's duration is the span the kill falls in (the victim's boot comes before it).
      const spanMs = Date.now() - refStarted;
      spanOf[provider] = spanMs;
      spans.push(`${provider} ${(spanMs / 1000).toFixed(1)} s`);
      await clearSyncedData(w.ctx, crashed[provider]);
      const victim = tallySync(crashed[provider]);
      await syncing(victim);
      // Within the first 90% of the span: a kill after the sync ended would prove nothing.
      await new Promise((r) => setTimeout(r, Math.random() * 0.9 * spanMs));
      victim.child.kill('SIGKILL');
      const ended = await victim.exited;
      totals.kills++;
      if (ended.signal !== 'SIGKILL') totals.late++;
      const killedRuns = (await runsOf(crashed[provider])).filter((r) => r.status === 'running').map((r) => r.id);
      totals.midRun += killedRuns.length;
      const again = tallySync(crashed[provider]);
      const { code } = await again.exited;
      if (code === 0) totals.restarted++;
      else problems.push(`restart ${i} (${provider}) exited ${code}: ${again.stderr().slice(-500)}`);
      const runs = await runsOf(crashed[provider]);
      totals.swept += runs.filter((r) => killedRuns.includes(r.id) && r.status === 'failed' && r.error_code === 'abandoned').length;
      totals.stuck += runs.filter((r) => r.status === 'running').length;
      const diff = compare(await snapshot(w.ctx, reference[provider]), await snapshot(w.ctx, crashed[provider]));
      totals.rows += diff.rows;
      totals.lost += diff.lost;
      totals.extra += diff.extra;
      totals.changed += diff.changed;
      if (diff.examples.length) problems.push(`kill ${i} (${provider}): ${diff.examples.join('; ')}`);
    }
    printFigures(
      'crashes',
      [
        { tried: 'tally sync processes killed with SIGKILL at a random moment', figure: totals.kills, expected: String(KILLS), ok: totals.kills === KILLS },
        { tried: 'kills that hit a run in progress (the others hit the boot)', figure: totals.midRun, expected: 'most' },
        { tried: 'kills that came after the sync had ended', figure: totals.late },
        { tried: 'killed runs swept as abandoned by the restart', figure: totals.swept, expected: `${totals.midRun}`, ok: totals.swept === totals.midRun },
        { tried: 'restarted syncs that finished', figure: totals.restarted, expected: String(KILLS), ok: totals.restarted === KILLS },
        { tried: 'runs left running', figure: totals.stuck, expected: '0', ok: totals.stuck === 0 },
        { tried: 'rows compared with uninterrupted syncs', figure: totals.rows },
        { tried: 'rows lost', figure: totals.lost, expected: '0', ok: totals.lost === 0 },
        { tried: 'rows duplicated or extra', figure: totals.extra, expected: '0', ok: totals.extra === 0 },
        { tried: 'rows with other contents', figure: totals.changed, expected: '0', ok: totals.changed === 0 },
      ],
      [`kills fall uniformly in the first 90% of an uninterrupted first sync's duration, after the process booted (${spans.join(', ')})`, ...problems],
    );
    expect(problems).toEqual([]);
    expect(totals.midRun).toBeGreaterThan(0);
    expect({ swept: totals.swept, restarted: totals.restarted, stuck: totals.stuck, lost: totals.lost, extra: totals.extra, changed: totals.changed }).toEqual({ swept: totals.midRun, restarted: KILLS, stuck: 0, lost: 0, extra: 0, changed: 0 });
    const tokens = await storedTokens(w.ctx);
    expect(workerLogs.filter((log) => tokens.some((t) => log.includes(t))), 'a worker log holds a token').toEqual([]);
  }, timeoutFor(KILLS, 15_000));
});
