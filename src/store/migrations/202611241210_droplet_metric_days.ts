import { sql, type Kysely } from 'kysely';

/**
 * Droplet monitoring days as typed rows (src/analytics/recompute/usage.ts): a copy of the last 30 days of
 * the metric records, each with the content hash it was read at, so the daily usage windows read narrow
 * rows instead of every record's JSON, and only new or changed records are read out.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table droplet_metric_days (
      connection_id uuid not null references connections(id) on delete cascade,
      stream text not null,
      external_id text not null,
      droplet text,
      day date not null,
      hash text not null,
      samples float8,
      cpu_avg float8,
      cpu_p95 float8,
      bytes float8,
      memory_used_avg float8,
      primary key (connection_id, stream, external_id)
    );
    create index droplet_metric_days_day_idx on droplet_metric_days (connection_id, day);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table droplet_metric_days`.execute(db);
}
