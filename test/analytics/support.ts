import { createHash } from 'node:crypto';
import { createLogger } from '../../src/log.ts';
import { recomputeAnalytics } from '../../src/analytics/index.ts';
import type { Database } from '../../src/store/database.ts';
import { createTestDatabase } from '../support/db.ts';

/**
 * Small hand-built fixtures for analytics tests: an organization, connections and the rows a sync would
 * have written (records, app accounts, activity events), written straight to a database of the test's own.
 */
export async function fixtureDb(): Promise<{ db: Database; ctx: { db: Database; log: ReturnType<typeof createLogger> } }> {
  const { handle } = await createTestDatabase();
  return { db: handle.db, ctx: { db: handle.db, log: createLogger('warn') } };
}

export async function makeOrg(db: Database, name = 'Acme'): Promise<string> {
  const slug = `${name.toLowerCase().replace(/\W+/g, '-')}-${Math.random().toString(36).slice(2, 8)}`;
  return (await db.insertInto('organizations').values({ name, slug }).returning('id').executeTakeFirstOrThrow()).id;
}

export async function makeConnection(db: Database, organizationId: string, provider: 'bitbucket' | 'digitalocean', account: Record<string, unknown> = {}): Promise<string> {
  const acc = { uuid: 'u', name: provider === 'bitbucket' ? 'acme' : 'Acme Infra', email: null, workspaces: provider === 'bitbucket' ? [{ slug: 'acme', name: 'Acme', uuid: '{w}' }] : [], ...account };
  return (
    await db
      .insertInto('connections')
      .values({ organization_id: organizationId, provider, status: 'active', method: 'oauth', account: JSON.stringify(acc), connected_at: new Date() })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
}

export type RecordSpec = { id: string; data: Record<string, unknown>; parent?: string; deletedAt?: Date; firstSeenAt?: Date };

export async function addRecords(db: Database, organizationId: string, connectionId: string, stream: string, records: RecordSpec[]): Promise<void> {
  if (!records.length) return;
  // As the engine does with every page it commits: the stream's checkpoint moves.
  await db
    .insertInto('sync_checkpoints')
    .values({ connection_id: connectionId, stream, partition: '', updated_at: new Date() })
    .onConflict((oc) => oc.columns(['connection_id', 'stream', 'partition']).doUpdateSet({ updated_at: new Date() }))
    .execute();
  await db
    .insertInto('sync_records')
    .values(
      records.map((r) => ({
        connection_id: connectionId,
        organization_id: organizationId,
        stream,
        external_id: r.id,
        parent_id: r.parent ?? null,
        data: JSON.stringify(r.data),
        hash: createHash('sha256').update(JSON.stringify(r.data)).digest('base64url'),
        deleted_at: r.deletedAt ?? null,
        ...(r.firstSeenAt ? { first_seen_at: r.firstSeenAt } : {}),
        last_seen_at: new Date(),
      })),
    )
    .onConflict((oc) => oc.columns(['connection_id', 'stream', 'external_id']).doUpdateSet((eb) => ({ data: eb.ref('excluded.data'), hash: eb.ref('excluded.hash'), deleted_at: eb.ref('excluded.deleted_at') })))
    .execute();
}

export type Member = { uuid: string; name: string; nickname?: string; email?: string | null; role?: 'owner' | 'collaborator' | 'member'; departed?: boolean; twoStep?: boolean; lastAccessed?: string };

/** Bitbucket members as the members and permissions streams and the sync store would have saved them. */
export async function addMembers(db: Database, organizationId: string, connectionId: string, members: Member[]): Promise<void> {
  const user = (m: Member) => ({ uuid: m.uuid, display_name: m.name, nickname: m.nickname ?? m.name.split(' ')[0]!.toLowerCase(), ...(m.twoStep === undefined ? {} : { has_2fa_enabled: m.twoStep }) });
  const ws = { uuid: '{w}', slug: 'acme' };
  await addRecords(db, organizationId, connectionId, 'members', members.map((m) => ({ id: `{w}:${m.uuid}`, parent: '{w}', data: { user: user(m), workspace: ws }, ...(m.departed ? { deletedAt: new Date('2026-01-01T00:00:00Z') } : {}) })));
  await addRecords(
    db, organizationId, connectionId, 'workspace_permissions',
    members.filter((m) => !m.departed).map((m) => ({ id: `{w}:${m.uuid}`, parent: '{w}', data: { permission: m.role ?? 'member', user: user(m), workspace: ws, ...(m.lastAccessed ? { last_accessed: m.lastAccessed } : {}) } })),
  );
  await addAccounts(db, organizationId, connectionId, members.map((m) => ({ id: m.uuid, name: m.name, nickname: user(m).nickname, email: m.email ?? null, role: m.role ?? 'member' })));
}

export async function addAccounts(db: Database, organizationId: string, connectionId: string, accounts: Array<{ id: string; name?: string | null; email?: string | null; nickname?: string | null; role?: string | null }>): Promise<void> {
  if (!accounts.length) return;
  await db
    .insertInto('app_accounts')
    .values(accounts.map((a) => ({ connection_id: connectionId, organization_id: organizationId, external_id: a.id, name: a.name ?? null, email: a.email ?? null, nickname: a.nickname ?? null, role: a.role ?? null, last_seen_at: new Date() })))
    .onConflict((oc) => oc.columns(['connection_id', 'external_id']).doUpdateSet((eb) => ({ name: eb.ref('excluded.name'), email: eb.ref('excluded.email'), nickname: eb.ref('excluded.nickname') })))
    .execute();
}

export type Fact = { account: string; day: string; feature: string; count?: number; record?: string; stream?: string };

/** Activity events as the sync store writes them; the triggers turn them into activity_daily and dirty marks. */
export async function addFacts(db: Database, connectionId: string, facts: Fact[]): Promise<void> {
  if (!facts.length) return;
  await db
    .insertInto('activity_events')
    .values(
      facts.map((f, i) => ({
        connection_id: connectionId,
        stream: f.stream ?? 'commits',
        external_id: f.record ?? `${f.account}:${f.day}:${f.feature}:${i}`,
        account_id: f.account,
        day: f.day,
        feature: f.feature,
        count: f.count ?? 1,
      })),
    )
    .execute();
}

export async function setSettings(db: Database, organizationId: string, connectionId: string, values: { price_per_seat?: string; seat_count_override?: number; renewal_date?: string; contract_value?: string; inactivity_threshold_days?: number; plan_name?: string }): Promise<void> {
  await db
    .insertInto('app_settings')
    .values({ connection_id: connectionId, organization_id: organizationId, ...values })
    .onConflict((oc) => oc.column('connection_id').doUpdateSet(values))
    .execute();
}

/** Recomputes with the clock at `today` noon UTC. */
export const recomputeAt = (ctx: { db: Database; log: ReturnType<typeof createLogger> }, connectionId: string, today: string, full = false) =>
  recomputeAnalytics(ctx, connectionId, { now: new Date(`${today}T12:00:00Z`), full });
