import { hash } from 'node:crypto';
import { sql } from 'kysely';
import type { Database } from '../store/database.ts';
import type { ActivityFact, AppAccount } from './types.ts';

export type PageRecord = { externalId: string; data: unknown; activity: ActivityFact[]; accounts: AppAccount[] };
export type Quarantined = { externalId: string | null; reason: string; data: unknown };
export type Checkpoint = { nextUrl: string | null; cursor: string | null; passCursor: string | null; passStartedAt: Date | null; lastCompletePassAt: Date | null };

export async function loadCheckpoint(db: Database, connectionId: string, stream: string, partition: string): Promise<Checkpoint> {
  const row = await db
    .selectFrom('sync_checkpoints')
    .selectAll()
    .where('connection_id', '=', connectionId)
    .where('stream', '=', stream)
    .where('partition', '=', partition)
    .executeTakeFirst();
  return {
    nextUrl: row?.next_url ?? null,
    cursor: row?.cursor ?? null,
    passCursor: row?.pass_cursor ?? null,
    passStartedAt: row?.pass_started_at ?? null,
    lastCompletePassAt: row?.last_complete_pass_at ?? null,
  };
}

/** Saves a checkpoint outside a page (a page saves its own in sync_commit_page, with the same statement). */
function checkpointUpsert(connectionId: string, stream: string, partition: string, c: Checkpoint) {
  return sql`
    insert into sync_checkpoints (connection_id, stream, partition, next_url, cursor, pass_cursor, pass_started_at, last_complete_pass_at, updated_at)
    values (${connectionId}, ${stream}, ${partition}, ${c.nextUrl}, ${c.cursor}, ${c.passCursor}, ${c.passStartedAt}, ${c.lastCompletePassAt}, now())
    on conflict (connection_id, stream, partition) do update set
      next_url = excluded.next_url, cursor = excluded.cursor, pass_cursor = excluded.pass_cursor,
      pass_started_at = excluded.pass_started_at, last_complete_pass_at = excluded.last_complete_pass_at, updated_at = excluded.updated_at`;
}

/** Rows to Postgres as one JSON array (one parameter, parsed once), each value already JSON text. */
function jsonRows(rows: Array<Record<string, string | null>>, raw: readonly string[] = []): string {
  const out: string[] = [];
  for (const row of rows) {
    const fields = Object.entries(row).map(([k, v]) => `"${k}":${raw.includes(k) ? v : JSON.stringify(v)}`);
    out.push(`{${fields.join(',')}}`);
  }
  return `[${out.join(',')}]`;
}

/**
 * One page, all or nothing: records upserted by (connection, stream, id), the activity events of new and
 * changed records replaced, app accounts upserted, quarantined records kept with their reason, and the
 * checkpoint moved, in one transaction. A crash before commit leaves the previous checkpoint: the page is
 * fetched again.
 *
 * Round trips are what a page costs most (every one waits for PostgreSQL to be scheduled), so the page is
 * one statement, `sync_commit_page` (migration 202611261000), which is its own transaction; its rows go as
 * JSON parameters. A record whose content did not change keeps its stored data (no new TOAST value) and its
 * events (they derive from the record), unless `rewriteUnchanged` (a full sync) asks for everything to be
 * derived again.
 */
export async function commitPage(
  db: Database,
  page: {
    organizationId: string;
    connectionId: string;
    runId: string;
    stream: string;
    partition: string;
    records: PageRecord[];
    quarantined: Quarantined[];
    checkpoint: Checkpoint;
    rewriteUnchanged?: boolean;
  },
): Promise<{ added: number; updated: number }> {
  // Within one page the same record may appear twice (a list that shifted): the last copy wins.
  const records = [...new Map(page.records.map((r) => [r.externalId, r])).values()];
  const rows = records.map((r) => {
    const data = JSON.stringify(r.data);
    return { id: r.externalId, hash: hash('sha256', data, 'base64url'), data };
  });
  // Every record's events: the statement keeps those of the records that are new or changed.
  const events = new Map<string, { x: string; a: string; d: string; f: string; n: number }>();
  for (const r of records) {
    for (const f of r.activity) {
      const key = `${r.externalId}\u0000${f.accountId}\u0000${f.day}\u0000${f.feature}`;
      const prev = events.get(key);
      if (prev) prev.n += f.count;
      else events.set(key, { x: r.externalId, a: f.accountId, d: f.day, f: f.feature, n: f.count });
    }
  }
  const accounts = [...new Map(records.flatMap((r) => r.accounts).map((a) => [a.externalId, a])).values()].map((a) => ({
    id: a.externalId,
    name: a.name,
    email: a.email,
    nickname: a.nickname,
    role: a.role,
  }));
  const quarantined = page.quarantined.map((q) => ({ id: q.externalId, reason: q.reason.slice(0, 1000), data: JSON.stringify(q.data ?? null) }));
  const c = page.checkpoint;
  const result = await sql<{ added: number; updated: number }>`
    select added, updated from sync_commit_page(${page.connectionId}::uuid, ${page.organizationId}::uuid, ${page.runId}::uuid, ${page.stream}::text, ${page.partition}::text,
      ${jsonRows(rows, ['data'])}::jsonb, ${jsonRows(quarantined, ['data'])}::jsonb, ${JSON.stringify([...events.values()])}::jsonb, ${JSON.stringify(accounts)}::jsonb,
      ${c.nextUrl}::text, ${c.cursor}::text, ${c.passCursor}::text, ${c.passStartedAt}::timestamptz, ${c.lastCompletePassAt}::timestamptz,
      ${new Date()}::timestamptz, ${page.rewriteUnchanged === true})`.execute(db);
  return result.rows[0]!;
}

/** A complete pass: its cursor becomes the stream's, and (full refresh) rows it did not see are marked deleted. */
export async function completePass(
  db: Database,
  p: { connectionId: string; stream: string; partition: string; checkpoint: Checkpoint; detectDeletions: boolean },
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    // The connection's row before its records, as a page takes it (sync_commit_page): a disconnect deleting
    // this connection's data holds it, so the pass waits for it instead of deadlocking on records.
    await sql`select 1 from connections where id = ${p.connectionId} for key share`.execute(trx);
    let deleted = 0;
    if (p.detectDeletions && p.checkpoint.passStartedAt) {
      let q = trx
        .updateTable('sync_records')
        .set({ deleted_at: new Date() })
        .where('connection_id', '=', p.connectionId)
        .where('stream', '=', p.stream)
        .where('deleted_at', 'is', null)
        .where('last_seen_at', '<', p.checkpoint.passStartedAt);
      q = p.partition ? q.where('parent_id', '=', p.partition) : q.where('parent_id', 'is', null);
      deleted = Number((await q.executeTakeFirst()).numUpdatedRows);
    }
    await checkpointUpsert(p.connectionId, p.stream, p.partition, {
      nextUrl: null,
      cursor: p.checkpoint.passCursor ?? p.checkpoint.cursor,
      passCursor: null,
      passStartedAt: null,
      lastCompletePassAt: p.checkpoint.passStartedAt ?? new Date(),
    }).execute(trx);
    return deleted;
  });
}

/** Live records of a parent stream, to run its children over. */
export async function parentRecords(db: Database, connectionId: string, stream: string) {
  const rows = await db
    .selectFrom('sync_records')
    .select(['external_id', 'data'])
    .where('connection_id', '=', connectionId)
    .where('stream', '=', stream)
    .where('deleted_at', 'is', null)
    .orderBy('external_id')
    .execute();
  return rows.map((r) => ({ externalId: r.external_id, data: r.data as Record<string, unknown> }));
}
