import { sql, type Kysely } from 'kysely';

/**
 * What lets the recompute after a day's sync touch only that day: each account's most recent active days,
 * each account's last use of each feature in the last 90 days, per-day feature totals, each app's seat
 * and level counts as of the day computed (read by the apps list and the overview), and fingerprints of
 * the synced records a step depends on (a step whose inputs did not change is skipped).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table analytics_accounts add column recent_days date[] not null default '{}';

    create table account_feature_last (
      connection_id uuid not null references connections(id) on delete cascade,
      account_id text not null,
      feature text not null,
      last_day date not null,
      primary key (connection_id, account_id, feature)
    );

    create table app_feature_daily (
      connection_id uuid not null references connections(id) on delete cascade,
      day date not null,
      feature text not null,
      count bigint not null,
      primary key (connection_id, day, feature)
    );

    create table app_stats (
      connection_id uuid primary key references connections(id) on delete cascade,
      as_of date not null,
      seats integer not null,
      active7 integer not null,
      active30 integer not null,
      active90 integer not null,
      engaged integer not null,
      few_features integer not null,
      lapsing integer not null,
      inactive integer not null,
      never_active integer not null
    );

    alter table analytics_state add column fingerprints jsonb not null default '{}';
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table analytics_state drop column fingerprints;
    drop table app_stats, app_feature_daily, account_feature_last;
    alter table analytics_accounts drop column recent_days;
  `.execute(db);
}
