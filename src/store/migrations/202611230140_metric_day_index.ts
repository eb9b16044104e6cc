import { sql, type Kysely } from 'kysely';

/**
 * Droplet monitoring days accumulate in sync_records (one record per droplet, metric and day, kept as
 * history). Cloud utilization reads the last 14/30 days of them after every sync: without this index that
 * read scans the whole history of the connection's metrics.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create index sync_records_metric_day_idx on sync_records (connection_id, stream, (data->>'day'))
    where stream in ('droplet_cpu_metrics', 'droplet_bandwidth_inbound_metrics', 'droplet_bandwidth_outbound_metrics', 'droplet_memory_metrics')
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index sync_records_metric_day_idx`.execute(db);
}
