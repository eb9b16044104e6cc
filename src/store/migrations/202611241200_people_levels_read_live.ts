import { sql, type Kysely } from 'kysely';

/**
 * The people directory reads each person's app levels from their accounts when a page is shown (50 people)
 * instead of a copy kept on the person: rewriting that copy was the costliest part of refreshing the
 * directory after a day's syncs, and it made every person row wide, so counting and searching the
 * directory read megabytes until the next vacuum.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table people drop column apps`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table people add column apps jsonb not null default '[]'`.execute(db);
}
