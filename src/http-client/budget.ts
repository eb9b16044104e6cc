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
    // Locks, counts and (when there is room) records the request in one statement: see the migration
    // 202611231400_spend_budget_function for the rules.
    const result = await sql<{ wait_ms: string; rule_index: number }>`
      select wait_ms, rule_index from spend_request_budget(
        ${sorted.map((r) => r.key)}::text[], ${sorted.map((r) => r.limit)}::integer[], ${sorted.map((r) => r.windowMs)}::bigint[],
        ${sorted.map((r) => r.shared === true)}::boolean[], ${connectionId}::uuid)`.execute(db);
    const row = result.rows[0];
    const wait = row ? { ms: Number(row.wait_ms), rule: sorted[row.rule_index]! } : undefined;
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
