import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- Refreshes in a row that failed for a passing reason (network, timeout, 429, 5xx) and when the last one
    -- did: the scheduled refresh job waits longer after each, so a provider that keeps failing is not
    -- asked every five minutes. A successful refresh clears both.
    alter table connections add column refresh_failures integer not null default 0;
    alter table connections add column refresh_failed_at timestamptz;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table connections drop column refresh_failures, drop column refresh_failed_at`.execute(db);
}
