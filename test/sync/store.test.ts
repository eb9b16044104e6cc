import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { commitPage, type Checkpoint, type PageRecord } from '../../src/sync/store.ts';
import { createTestDatabase } from '../support/db.ts';

/** Committing pages against a real database: statuses, derived activity, accounts, and pages committed at once. */
const { handle } = await createTestDatabase();
const db = handle.db;
const organizationId = (await db.insertInto('organizations').values({ name: 'Store Inc', slug: `store-${randomUUID()}` }).returning('id').executeTakeFirstOrThrow()).id;
const connectionId = (
  await db.insertInto('connections').values({ organization_id: organizationId, provider: 'bitbucket', status: 'active', method: 'personal_token' }).returning('id').executeTakeFirstOrThrow()
).id;
const checkpoint: Checkpoint = { nextUrl: null, cursor: null, passCursor: null, passStartedAt: null, lastCompletePassAt: null };

const commit = (id: string, author: string, day: string, message = 'fix'): PageRecord => ({
  externalId: id,
  data: { hash: id, message, author },
  activity: [{ accountId: author, day, feature: 'commit', count: 1 }],
  accounts: [{ externalId: author, name: `Name of ${author}`, email: null, nickname: null, role: null }],
});
const save = (partition: string, records: PageRecord[], rewriteUnchanged = false) =>
  commitPage(db, { organizationId, connectionId, runId: null as unknown as string, stream: 'commits', partition, records, quarantined: [], checkpoint, rewriteUnchanged });
const facts = async () =>
  (await sql<{ account_id: string; day: string; count: number }>`select account_id, to_char(day, 'YYYY-MM-DD') as day, count::int from activity_daily where connection_id = ${connectionId} order by 1, 2`.execute(db)).rows;
const events = async () => Number((await sql<{ n: string }>`select count(*) as n from activity_events where connection_id = ${connectionId}`.execute(db)).rows[0]!.n);

describe('committing a page', () => {
  it('counts added, updated and unchanged records, and derives activity only from what changed', async () => {
    expect(await save('r1', [commit('a', 'u1', '2026-11-01'), commit('b', 'u2', '2026-11-01')])).toEqual({ added: 2, updated: 0 });
    expect(await save('r1', [commit('a', 'u1', '2026-11-01'), commit('b', 'u1', '2026-11-02', 'amended')])).toEqual({ added: 0, updated: 1 });
    expect(await facts()).toEqual([
      { account_id: 'u1', day: '2026-11-01', count: 1 },
      { account_id: 'u1', day: '2026-11-02', count: 1 },
    ]);
    // A full sync derives everything again: same facts, nothing counted twice.
    expect(await save('r1', [commit('a', 'u1', '2026-11-01'), commit('b', 'u1', '2026-11-02', 'amended')], true)).toEqual({ added: 0, updated: 0 });
    expect(await events()).toBe(2);
    expect((await facts()).map((f) => f.count)).toEqual([1, 1]);
  });

  it('takes over events a removed record left behind instead of failing on them', async () => {
    await save('r2', [commit('c', 'u3', '2026-11-03')]);
    await sql`delete from sync_records where connection_id = ${connectionId} and external_id = 'c'`.execute(db);
    expect(await save('r2', [commit('c', 'u3', '2026-11-03')])).toEqual({ added: 1, updated: 0 });
    expect((await facts()).filter((f) => f.account_id === 'u3')).toEqual([{ account_id: 'u3', day: '2026-11-03', count: 1 }]);
  });

  it('counts a record that comes back after being marked deleted as updated, and one stored before changed_at existed as the same', async () => {
    await save('r3', [commit('d', 'u4', '2026-11-04'), commit('e', 'u4', '2026-11-05')]);
    await sql`update sync_records set deleted_at = now() where connection_id = ${connectionId} and external_id = 'd'`.execute(db);
    // As migrated: the records stored before the column have no changed_at.
    await sql`update sync_records set changed_at = null where connection_id = ${connectionId} and external_id = 'e'`.execute(db);
    expect(await save('r3', [commit('d', 'u4', '2026-11-04'), commit('e', 'u4', '2026-11-05')])).toEqual({ added: 0, updated: 1 });
    const rows = await db.selectFrom('sync_records').select(['external_id', 'deleted_at', 'changed_at']).where('connection_id', '=', connectionId).where('external_id', 'in', ['d', 'e']).orderBy('external_id').execute();
    expect(rows.map((r) => [r.external_id, r.deleted_at, r.changed_at === null])).toEqual([
      ['d', null, false],
      ['e', null, true],
    ]);
    // The returning record's events were derived again: one each, not two.
    expect((await facts()).filter((f) => f.account_id === 'u4')).toEqual([
      { account_id: 'u4', day: '2026-11-04', count: 1 },
      { account_id: 'u4', day: '2026-11-05', count: 1 },
    ]);
    // Its content changing later is an update; the same content again is not.
    expect(await save('r3', [commit('e', 'u4', '2026-11-05', 'reworded')])).toEqual({ added: 0, updated: 1 });
    expect(await save('r3', [commit('e', 'u4', '2026-11-05', 'reworded')])).toEqual({ added: 0, updated: 0 });
  });

  it('commits pages of several partitions at once whose records name the same accounts in any order', async () => {
    const authors = Array.from({ length: 30 }, (_, i) => `shared-${i}`);
    const pages = Array.from({ length: 12 }, (_, p) => {
      const order = p % 2 ? [...authors].reverse() : authors;
      return order.map((a, i) => commit(`p${p}-${i}`, a, `2026-10-${String(1 + (i % 28)).padStart(2, '0')}`));
    });
    const results = await Promise.all(pages.map((records, p) => save(`part-${p % 4}`, records)));
    expect(results.reduce((n, r) => n + r.added, 0)).toBe(12 * 30);
    const accounts = await db.selectFrom('app_accounts').select('external_id').where('connection_id', '=', connectionId).where('external_id', 'like', 'shared-%').execute();
    expect(accounts).toHaveLength(30);
    const total = (await facts()).filter((f) => f.account_id.startsWith('shared-')).reduce((n, f) => n + f.count, 0);
    expect(total).toBe(12 * 30);
  });

  it('deletes the records and events of a deleted connection, and refuses a page for one that is gone', async () => {
    const other = (
      await db.insertInto('connections').values({ organization_id: organizationId, provider: 'digitalocean', status: 'active', method: 'personal_token' }).returning('id').executeTakeFirstOrThrow()
    ).id;
    const page = { organizationId, connectionId: other, runId: null as unknown as string, stream: 'commits', partition: 'r9', records: [commit('z', 'u9', '2026-11-09')], quarantined: [], checkpoint };
    expect(await commitPage(db, page)).toEqual({ added: 1, updated: 0 });
    const rows = async (table: 'sync_records' | 'activity_events' | 'activity_daily', id: string) =>
      Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(table)} where connection_id = ${id}`.execute(db)).rows[0]!.n);
    expect([await rows('sync_records', other), await rows('activity_events', other), await rows('activity_daily', other)]).toEqual([1, 1, 1]);
    const before = [await rows('sync_records', connectionId), await rows('activity_events', connectionId)];
    await db.deleteFrom('connections').where('id', '=', other).execute();
    expect([await rows('sync_records', other), await rows('activity_events', other), await rows('activity_daily', other)]).toEqual([0, 0, 0]);
    // The other connection's rows are untouched.
    expect([await rows('sync_records', connectionId), await rows('activity_events', connectionId)]).toEqual(before);
    await expect(commitPage(db, page)).rejects.toThrow('Tally stopped syncing this connection: it no longer exists');
    expect(await rows('sync_records', other)).toBe(0);
  });

  it('deletes the records and events of every connection of a deleted organization', async () => {
    const org = (await db.insertInto('organizations').values({ name: 'Gone Inc', slug: `gone-${randomUUID()}` }).returning('id').executeTakeFirstOrThrow()).id;
    const conn = (await db.insertInto('connections').values({ organization_id: org, provider: 'bitbucket', status: 'active', method: 'personal_token' }).returning('id').executeTakeFirstOrThrow()).id;
    await commitPage(db, { organizationId: org, connectionId: conn, runId: null as unknown as string, stream: 'commits', partition: 'r1', records: [commit('g1', 'u1', '2026-11-01'), commit('g2', 'u2', '2026-11-02')], quarantined: [], checkpoint });
    await db.deleteFrom('organizations').where('id', '=', org).execute();
    const left = await sql<{ n: string }>`select (select count(*) from sync_records where connection_id = ${conn}) + (select count(*) from activity_events where connection_id = ${conn}) as n`.execute(db);
    expect(Number(left.rows[0]!.n)).toBe(0);
  });
});
