import { sql, type Kysely } from 'kysely';

/**
 * What a day's recompute rewrites, made cheaper to rewrite (at 10,000 people it updates about 12,000
 * account summaries, 20,000 feature last-use rows and 6,000 people):
 * - account_feature_last: only its key is indexed, so with room left on each page an updated row stays on
 *   its page (a HOT update, no index entry to add): the daily upsert was about a quarter cheaper. Applies
 *   to pages written from now on;
 * - analytics_accounts_org_idx (organization): no query reads accounts by organization (they are read by
 *   connection); it only cost an index entry per updated account;
 * - people_org_status_idx (organization, departed, active until): the directory index carries the same
 *   columns (INCLUDE), and the recompute vacuums the people table so that it answers counts on its own.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table account_feature_last set (fillfactor = 70);
    drop index analytics_accounts_org_idx;
    drop index people_org_status_idx;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    create index people_org_status_idx on people (organization_id, departed, active_until);
    create index analytics_accounts_org_idx on analytics_accounts (organization_id);
    alter table account_feature_last reset (fillfactor);
  `.execute(db);
}
