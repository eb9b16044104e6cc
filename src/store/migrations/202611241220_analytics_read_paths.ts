import { sql, type Kysely } from 'kysely';

/**
 * What the dashboard's reads need right after a recompute rewrote the rows they read (src/analytics/queries):
 * - live cloud resources per app and type, counted by the recompute (app_resource_counts): the resources'
 *   rows change every day, so an index-only count of them read every row;
 * - the resources list picks its page in an index in its own order (costliest first, then by id), not by
 *   sorting every live resource;
 * - the recompute resolves the insights of the connections it recomputed that were not found again: by
 *   connection, not by reading the organization's;
 * - insights are listed in two orders (the list: current first, then saving, severity, age; the five worth
 *   most): an index for each, by state, so a page is read in order, and the open ones counted, within the
 *   index (the recompute leaves insights found again unchanged untouched, so the index stays readable on
 *   its own). The (organization, state, saving) index is the second one's prefix.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table app_resource_counts (
      connection_id uuid not null references connections(id) on delete cascade,
      type text not null,
      alive integer not null,
      primary key (connection_id, type)
    );
    insert into app_resource_counts (connection_id, type, alive)
      select connection_id, type, count(*) from cloud_resources where deleted_at is null group by 1, 2;
    create index cloud_resources_page_idx on cloud_resources (organization_id, monthly_cost desc nulls last, resource_id, connection_id) where deleted_at is null;
    create index insights_connection_idx on insights (connection_id) where current;
    create index insights_list_idx on insights (organization_id, state, current desc, saving desc nulls last,
      (case severity when 'high' then 0 when 'medium' then 1 else 2 end), first_seen_at, id) include (severity, snoozed_until);
    create index insights_top_idx on insights (organization_id, state, saving desc nulls last, (case severity when 'high' then 0 when 'medium' then 1 else 2 end), id);
    drop index insights_org_idx;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    create index insights_org_idx on insights (organization_id, state, saving desc nulls last);
    drop index insights_top_idx;
    drop index insights_list_idx;
    drop index insights_connection_idx;
    drop index cloud_resources_page_idx;
    drop table app_resource_counts;
  `.execute(db);
}
