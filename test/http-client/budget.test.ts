import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { spendBudget, type BudgetRule } from '../../src/http-client/budget.ts';
import { createLogger } from '../../src/log.ts';
import { connectDatabase } from '../../src/store/database.ts';
import { createTestDatabase } from '../support/db.ts';

/** The request budget shared through PostgreSQL, against a real database: limits, fair shares, several processes. */
const { url, handle } = await createTestDatabase();
const db = handle.db;
// A second pool stands for a second Tally process sharing the database.
const other = connectDatabase(url, createLogger('warn'));
afterAll(() => other.close());

const spent = async (key: string) => Number((await sql<{ n: string }>`select count(*) as n from rate_events where key = ${key}`.execute(db)).rows[0]!.n);

/** Spends once; if the budget says wait, gives up at the first wait and returns how long it was told to wait. */
async function tryOnce(on: typeof db, rules: BudgetRule[], connectionId: string): Promise<number | null> {
  const stop = new AbortController();
  let told: number | null = null;
  try {
    await spendBudget(on, rules, connectionId, {
      signal: stop.signal,
      onWait: (ms) => {
        told = ms;
        stop.abort();
      },
    });
    return null;
  } catch (error) {
    if (told === null) throw error;
    return told;
  }
}

describe('the request budget', () => {
  it('grants requests up to the limit, then waits until the oldest leaves the window', async () => {
    const rule = { key: `t:${randomUUID()}`, limit: 3, windowMs: 1500 };
    const connection = randomUUID();
    for (let i = 0; i < 3; i++) expect(await spendBudget(db, [rule], connection)).toEqual({ waitedMs: 0, waits: 0 });
    const started = Date.now();
    const grant = await spendBudget(db, [rule], connection);
    expect(grant.waits).toBeGreaterThanOrEqual(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(await spent(rule.key)).toBe(4);
  });

  it('spends every rule of a request at once, or none of them', async () => {
    const wide = { key: `t:${randomUUID()}`, limit: 100, windowMs: 3_600_000 };
    const narrow = { key: `t:${randomUUID()}`, limit: 1, windowMs: 3_600_000 };
    const connection = randomUUID();
    expect(await tryOnce(db, [wide, narrow], connection)).toBeNull();
    const wait = await tryOnce(db, [wide, narrow], connection);
    // Told to wait for the narrow rule's hour (one wait is at most 5 s), and the wide rule was not spent.
    expect(wait).toBe(5000);
    expect([await spent(wide.key), await spent(narrow.key)]).toEqual([1, 1]);
  });

  it('holds a connection past its fair share of a shared pool once half of it is spent', async () => {
    const pool = { key: `t:${randomUUID()}`, limit: 10, windowMs: 2000, shared: true };
    const [big, small] = [randomUUID(), randomUUID()];
    expect(await tryOnce(db, [pool], small)).toBeNull();
    for (let i = 0; i < 4; i++) expect(await tryOnce(db, [pool], big)).toBeNull();
    // 5 of 10 spent, 2 sharers: the big connection may have 5.
    expect(await tryOnce(db, [pool], big)).toBeNull();
    expect(await tryOnce(db, [pool], big)).toBe(400); // 2000 / 10 per request, times 2 sharers
    expect(await tryOnce(db, [pool], small)).toBeNull();
    expect(await spent(pool.key)).toBe(7);
  });

  it('never grants more than the limit to two processes spending at once', async () => {
    const rule = { key: `t:${randomUUID()}`, limit: 10, windowMs: 3_600_000 };
    const outcomes = await Promise.all(Array.from({ length: 16 }, (_, i) => tryOnce(i % 2 ? other.db : db, [rule], randomUUID())));
    expect(outcomes.filter((o) => o === null)).toHaveLength(10);
    expect(await spent(rule.key)).toBe(10);
  });
});
