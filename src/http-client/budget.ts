import { sql } from 'kysely';
import type { Database } from '../store/database.ts';

/**
 * A request budget kept in Postgres and shared by every Tally process: one row per request spent, counted
 * over a sliding window ("each request on its own one-hour timer", as DigitalOcean documents it). Limits
 * are set below the provider's so Tally never meets its 429s in normal operation.
 */
export type BudgetRule = {
  key: string;
  limit: number;
  windowMs: number;
  /**
   * A pool shared by several connections (Bitbucket counts per OAuth consumer): once half of it is spent,
   * a connection that used more than its fair share waits, so one large workspace cannot starve the others.
   */
  shared?: boolean;
};

export type BudgetGrant = { waitedMs: number; waits: number };

const MAX_SINGLE_WAIT_MS = 5_000;

export async function spendBudget(
  db: Database,
  rules: BudgetRule[],
  connectionId: string,
  options: { onWait?: (ms: number, rule: BudgetRule) => void; signal?: AbortSignal } = {},
): Promise<BudgetGrant> {
  const sorted = [...rules].sort((a, b) => a.key.localeCompare(b.key)); // one lock order: no deadlocks
  let waitedMs = 0;
  let waits = 0;
  for (;;) {
    const wait = await db.transaction().execute(async (trx) => {
      for (const rule of sorted) await sql`select pg_advisory_xact_lock(hashtext(${rule.key}))`.execute(trx);
      for (const rule of sorted) {
        const since = new Date(Date.now() - rule.windowMs);
        const used = await sql<{ total: number; mine: number; connections: number; oldest: Date | null }>`
          select count(*)::int as total,
                 count(*) filter (where connection_id = ${connectionId})::int as mine,
                 count(distinct connection_id)::int as connections,
                 min(at) as oldest
          from rate_events where key = ${rule.key} and at > ${since}`.execute(trx);
        const u = used.rows[0]!;
        if (u.total >= rule.limit) {
          const freeAt = (u.oldest?.getTime() ?? Date.now()) + rule.windowMs;
          return { ms: Math.max(50, freeAt - Date.now()), rule };
        }
        if (rule.shared && u.total >= rule.limit / 2) {
          const sharers = Math.max(1, u.connections + (u.mine === 0 ? 1 : 0));
          if (u.mine >= rule.limit / sharers) return { ms: Math.ceil(rule.windowMs / rule.limit) * sharers, rule };
        }
      }
      for (const rule of sorted) await trx.insertInto('rate_events').values({ key: rule.key, connection_id: connectionId }).execute();
      return undefined;
    });
    if (!wait) return { waitedMs, waits };
    const ms = Math.min(wait.ms, MAX_SINGLE_WAIT_MS);
    options.onWait?.(ms, wait.rule);
    waits++;
    waitedMs += ms;
    await new Promise((r) => setTimeout(r, ms));
    if (options.signal?.aborted) throw new Error('the sync was stopped while it waited for request budget');
  }
}

/** Rows older than any window are of no use. */
export async function pruneBudgetEvents(db: Database): Promise<void> {
  await sql`delete from rate_events where at < now() - interval '2 hours'`.execute(db);
}
