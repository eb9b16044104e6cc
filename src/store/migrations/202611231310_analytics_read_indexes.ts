import { sql, type Kysely } from 'kysely';

/**
 * Indexes the dashboard's reads need at 10,000 people (src/analytics/queries):
 * - the directory (search by name or email, status filter, count of people active in 30 days) reads every
 *   person of the organization; people rows are wide (their apps summary), so the columns those filters
 *   need ride along in the name index and the scans stay inside it (index-only); it replaces
 *   people_org_name_idx, same keys;
 * - live cloud resources counted per app and per type (apps list, Overview, feature adoption) were a scan
 *   of the whole table (its rows hold usage and flags).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create index people_directory_idx on people (organization_id, lower(display_name), id)
      include (display_name, primary_email, departed, last_day, active_until);
    drop index people_org_name_idx;
    create index cloud_resources_live_idx on cloud_resources (connection_id, type) where deleted_at is null;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index cloud_resources_live_idx;
    create index people_org_name_idx on people (organization_id, lower(display_name), id);
    drop index people_directory_idx;
  `.execute(db);
}
