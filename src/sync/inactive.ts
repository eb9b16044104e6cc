import type { Database } from '../store/database.ts';

/**
 * A sync whose connection stopped being active while it ran (an admin disconnected it, or its grant died):
 * the database refuses its pages from then on (migration 202611261100 raises this SQLSTATE, rolling the
 * page back), and the engine stops the run with that message rather than failing stream after stream.
 */
export const CONNECTION_NOT_ACTIVE = 'TL001';

export class ConnectionNotActiveError extends Error {
  override name = 'ConnectionNotActiveError';
  readonly code = CONNECTION_NOT_ACTIVE;
}

export const isConnectionNotActive = (error: unknown): error is Error & { code: string } =>
  error instanceof Error && (error as { code?: unknown }).code === CONNECTION_NOT_ACTIVE;

/** Between streams: stops the run before it asks the provider for more on behalf of a connection no longer active. */
export async function ensureStillActive(db: Database, connectionId: string): Promise<void> {
  const row = await db.selectFrom('connections').select('status').where('id', '=', connectionId).executeTakeFirst();
  if (row?.status === 'active') return;
  const what = row?.status === 'disconnected' ? 'was disconnected' : row?.status === 'needs_reconnect' ? 'needs Reconnect' : 'no longer exists';
  throw new ConnectionNotActiveError(`Tally stopped syncing this connection: it ${what}, so nothing more is saved for it. Reconnect it on the Connections page to sync again.`);
}
