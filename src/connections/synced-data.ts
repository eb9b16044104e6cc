import { sql } from 'kysely';
import { refreshDisplayNames } from '../analytics/people/link.ts';
import { refreshPeopleStats } from '../analytics/people/stats.ts';
import type { Database } from '../store/database.ts';

/**
 * What Disconnect → "Delete synced data" deletes: a connection's rows in every table of what Tally pulled
 * from the app or derived from that, in this order. Kept (their connection_id rows stay):
 * - sync_runs: the history of what ran when, like the audit log; no synced content is in it;
 * - app_settings: the plan, price and thresholds the admin typed in, not synced from the app;
 * - sync_schedules: how often the admin asked the connection to sync;
 * - rate_events: requests already spent against the provider's rate limits (gone within two hours); a
 *   budget shared by every connection of one OAuth app must keep counting them.
 * test/connections/disconnect-data.test.ts checks that these lists cover every table with a connection_id.
 */
export const SYNCED_DATA_TABLES = [
  // First: its statement triggers take the rollup lock and move activity_daily and activity_dirty in step.
  'activity_events',
  'sync_records',
  'sync_checkpoints',
  'sync_quarantine',
  'provider_health',
  // The app's accounts and the people directory's links to them (admins' decisions about them included:
  // they were about accounts that are gone).
  'link_proposals',
  'person_accounts',
  'app_accounts',
  // Rollups, figures and insights made from the above.
  'activity_daily',
  'activity_dirty',
  'analytics_accounts',
  'account_feature_last',
  'app_feature_daily',
  'app_daily_active',
  'app_weekly_features',
  'app_feature_windows',
  'app_stats',
  'app_resource_counts',
  'cloud_resources',
  'droplet_metric_days',
  'spend_monthly',
  'insights',
  'analytics_state',
] as const;

/**
 * Deletes a connection's synced data, inside the caller's transaction, which must hold the connection's
 * row `for update` (no sync page commits meanwhile, see migration 202611261100) and the organization's
 * analytics lock (no recompute reads the people directory meanwhile). Returns the rows deleted by table.
 */
export async function deleteSyncedData(db: Database, connection: { id: string; organization_id: string }): Promise<Record<string, number>> {
  // The lock sync_commit_page, the activity_events triggers and the recompute take, taken here the same way.
  await sql`select pg_advisory_xact_lock(hashtext(${`activity:${connection.id}`}))`.execute(db);
  const people = (await db.selectFrom('person_accounts').select('person_id').distinct().where('connection_id', '=', connection.id).execute()).map((r) => r.person_id);
  const deleted: Record<string, number> = {};
  for (const table of SYNCED_DATA_TABLES) {
    const result = await sql`delete from ${sql.table(table)} where connection_id = ${connection.id}`.execute(db);
    const n = Number(result.numAffectedRows ?? 0);
    if (n > 0) deleted[table] = n;
  }
  const peopleRemoved = await settlePeople(db, connection.organization_id, people);
  if (peopleRemoved > 0) deleted.people = peopleRemoved;
  return deleted;
}

/**
 * The people who had an account in the deleted connection. Those left without accounts that no admin
 * edited were only there for those accounts: they go (as link.ts dropIfEmpty does), and with them the
 * proposals to link other accounts to them. The others keep their row, with their figures, status and
 * name taken from the accounts they have left (none: zeros). Nothing else in the analytics spans
 * connections, so the other apps' rollups need no recompute. Returns how many people went.
 */
async function settlePeople(db: Database, organizationId: string, people: string[]): Promise<number> {
  if (!people.length) return 0;
  const gone = await sql<{ id: string }>`
    delete from people p where p.id = any(${people}::uuid[]) and not p.edited
      and not exists (select 1 from person_accounts pa where pa.person_id = p.id)
    returning p.id`.execute(db);
  const goneIds = new Set(gone.rows.map((r) => r.id));
  const kept = people.filter((id) => !goneIds.has(id));
  if (kept.length) {
    await refreshPeopleStats(db, { personIds: kept }, organizationId);
    // refreshPeopleStats leaves a person without accounts as it was: these had the deleted app's figures.
    await sql`
      update people p set last_day = null, active_until = null, accounts = 0, seats = 0, departed = false, link_confidence = 1, updated_at = now()
      where p.id = any(${kept}::uuid[]) and not exists (select 1 from person_accounts pa where pa.person_id = p.id)`.execute(db);
    await refreshDisplayNames(db, organizationId);
  }
  return goneIds.size;
}
