import { sql, type Kysely } from 'kysely';

/**
 * Figures the dashboard lists by, kept with the rows they describe so a page of 10,000 people or 50 apps
 * is read, not computed: each person's activity summarised over their accounts, and each app's feature
 * use over the trailing 7/30/90 days (both refreshed by the analytics recompute after each sync).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table people
      add column last_day date,
      -- the last day on which some account of the person is still within its app's inactivity threshold
      add column active_until date,
      add column accounts integer not null default 0,
      add column seats integer not null default 0,
      -- every account of the person left its app's member list
      add column departed boolean not null default false;
    create index people_org_status_idx on people (organization_id, departed, active_until);

    create table app_feature_windows (
      connection_id uuid not null references connections(id) on delete cascade,
      window_days integer not null,
      feature text not null,
      users integer not null,
      count bigint not null,
      as_of date not null,
      primary key (connection_id, window_days, feature)
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table app_feature_windows;
    drop index people_org_status_idx;
    alter table people drop column last_day, drop column active_until, drop column accounts, drop column seats, drop column departed;
  `.execute(db);
}
