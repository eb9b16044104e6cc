import { sql } from 'kysely';
import type { Database } from '../store/database.ts';

/**
 * A sync whose connection stopped being active while it ran (an admin disconnected it, or its grant died):
 * the database refuses its pages from then on (migration 202611261100 raises this SQLSTATE, rolling the
 * page back), and the engine stops the run with that message rather than failing stream after stream.
 */
const CONNECTION_NOT_ACTIVE = 'TL001';

export const isConnectionNotActive = (error: unknown): error is Error & { code: string } =>
  error instanceof Error && (error as { code?: unknown }).code === CONNECTION_NOT_ACTIVE;

/** Between streams: stops the run before it asks the provider for more on behalf of a connection no longer active. */
export async function ensureStillActive(db: Database, connectionId: string): Promise<void> {
  await sql`select connection_must_be_active(${connectionId}::uuid)`.execute(db);
}
