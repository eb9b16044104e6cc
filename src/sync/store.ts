import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Database } from '../store/database.ts';
import type { ActivityFact, AppAccount } from './types.ts';

export type PageRecord = { externalId: string; data: unknown; activity: ActivityFact[]; accounts: AppAccount[] };
export type Quarantined = { externalId: string | null; reason: string; data: unknown };
export type Checkpoint = { nextUrl: string | null; cursor: string | null; passCursor: string | null; passStartedAt: Date | null; lastCompletePassAt: Date | null };

const hashOf = (data: unknown) => createHash('sha256').update(JSON.stringify(data)).digest('base64url');

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

async function saveCheckpoint(db: Database, connectionId: string, stream: string, partition: string, c: Checkpoint): Promise<void> {
  const values = {
    next_url: c.nextUrl,
    cursor: c.cursor,
    pass_cursor: c.passCursor,
    pass_started_at: c.passStartedAt,
    last_complete_pass_at: c.lastCompletePassAt,
    updated_at: new Date(),
  };
  await db
    .insertInto('sync_checkpoints')
    .values({ connection_id: connectionId, stream, partition, ...values })
    .onConflict((oc) => oc.columns(['connection_id', 'stream', 'partition']).doUpdateSet(values))
    .execute();
}

/**
 * One page, all or nothing: records upserted by (connection, stream, id), their activity events replaced,
 * app accounts upserted, quarantined records kept with their reason, and the checkpoint moved, in one
 * transaction. A crash before commit leaves the previous checkpoint: the page is fetched again.
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
  },
): Promise<{ added: number; updated: number }> {
  const { connectionId, stream } = page;
  // Within one page the same record may appear twice (a list that shifted): the last copy wins.
  const records = [...new Map(page.records.map((r) => [r.externalId, r])).values()];
  return db.transaction().execute(async (trx) => {
    // A page is atomic with its checkpoint, so a crash that loses the last commits (not yet flushed to
    // disk) only means those pages are read again: the commit need not wait for the disk.
    await sql`set local synchronous_commit = off`.execute(trx);
    let added = 0;
    let updated = 0;
    if (records.length) {
      const ids = records.map((r) => r.externalId);
      const existing = new Map(
        (await trx.selectFrom('sync_records').select(['external_id', 'hash', 'deleted_at']).where('connection_id', '=', connectionId).where('stream', '=', stream).where('external_id', 'in', ids).execute()).map((r) => [r.external_id, r]),
      );
      const now = new Date();
      const rows = records.map((r) => ({
        connection_id: connectionId,
        stream,
        external_id: r.externalId,
        organization_id: page.organizationId,
        parent_id: page.partition || null,
        data: JSON.stringify(r.data),
        hash: hashOf(r.data),
        last_seen_at: now,
        deleted_at: null,
      }));
      for (const row of rows) {
        const before = existing.get(row.external_id);
        if (!before) added++;
        else if (before.hash !== row.hash || before.deleted_at !== null) updated++;
      }
      await trx
        .insertInto('sync_records')
        .values(rows)
        .onConflict((oc) =>
          oc.columns(['connection_id', 'stream', 'external_id']).doUpdateSet((eb) => ({
            data: eb.ref('excluded.data'),
            hash: eb.ref('excluded.hash'),
            parent_id: eb.ref('excluded.parent_id'),
            last_seen_at: eb.ref('excluded.last_seen_at'),
            deleted_at: null,
          })),
        )
        .execute();
      await trx.deleteFrom('activity_events').where('connection_id', '=', connectionId).where('stream', '=', stream).where('external_id', 'in', ids).execute();
      const events = new Map<string, { connection_id: string; stream: string; external_id: string; account_id: string; day: string; feature: string; count: number }>();
      for (const r of records) {
        for (const f of r.activity) {
          const key = `${r.externalId}\u0000${f.accountId}\u0000${f.day}\u0000${f.feature}`;
          const prev = events.get(key);
          if (prev) prev.count += f.count;
          else events.set(key, { connection_id: connectionId, stream, external_id: r.externalId, account_id: f.accountId, day: f.day, feature: f.feature, count: f.count });
        }
      }
      if (events.size) await trx.insertInto('activity_events').values([...events.values()]).execute();
      const accounts = new Map(records.flatMap((r) => r.accounts).map((a) => [a.externalId, a]));
      if (accounts.size) {
        await trx
          .insertInto('app_accounts')
          .values([...accounts.values()].map((a) => ({ connection_id: connectionId, organization_id: page.organizationId, external_id: a.externalId, name: a.name, email: a.email, nickname: a.nickname, role: a.role, last_seen_at: now })))
          .onConflict((oc) =>
            oc.columns(['connection_id', 'external_id']).doUpdateSet((eb) => ({
              // A commit author's raw email fills in what a member listing (no emails) lacks, and never erases one;
              // an email an admin imported (src/connections/member-emails.ts) stays whatever commits say.
              name: sql`coalesce(excluded.name, app_accounts.name)`,
              email: sql`case when app_accounts.email_imported_at is not null then app_accounts.email else coalesce(excluded.email, app_accounts.email) end`,
              nickname: sql`coalesce(excluded.nickname, app_accounts.nickname)`,
              role: sql`coalesce(excluded.role, app_accounts.role)`,
              last_seen_at: eb.ref('excluded.last_seen_at'),
            })),
          )
          .execute();
      }
    }
    if (page.quarantined.length) {
      await trx
        .insertInto('sync_quarantine')
        .values(page.quarantined.map((q) => ({ connection_id: connectionId, run_id: page.runId, stream, external_id: q.externalId, reason: q.reason.slice(0, 1000), data: JSON.stringify(q.data ?? null) })))
        .execute();
    }
    await saveCheckpoint(trx, connectionId, stream, page.partition, page.checkpoint);
    return { added, updated };
  });
}

/** A complete pass: its cursor becomes the stream's, and (full refresh) rows it did not see are marked deleted. */
export async function completePass(
  db: Database,
  p: { connectionId: string; stream: string; partition: string; checkpoint: Checkpoint; detectDeletions: boolean },
): Promise<number> {
  return db.transaction().execute(async (trx) => {
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
    await saveCheckpoint(trx, p.connectionId, p.stream, p.partition, {
      nextUrl: null,
      cursor: p.checkpoint.passCursor ?? p.checkpoint.cursor,
      passCursor: null,
      passStartedAt: null,
      lastCompletePassAt: p.checkpoint.passStartedAt ?? new Date(),
    });
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
