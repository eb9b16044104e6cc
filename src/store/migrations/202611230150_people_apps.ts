import { sql, type Kysely } from 'kysely';

/**
 * The people directory lists each person's apps with their usage level there, and the confidence of their
 * links. Kept on the person by the recompute (the level itself is computed when read: it moves with the
 * date), so a page of the directory reads one table.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table people
      add column apps jsonb not null default '[]',
      add column link_confidence real not null default 1;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table people drop column apps, drop column link_confidence`.execute(db);
}
