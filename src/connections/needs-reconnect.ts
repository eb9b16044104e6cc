import type { AppContext } from '../context.ts';
import type { Database } from '../store/database.ts';
import type { ConnectionStatusValue } from '../store/schema.ts';
import { audit } from '../store/queries/accounts.ts';
import { providers } from '../providers/registry.ts';
import type { ProviderSlug } from '../api/contracts/connections.ts';
import { notifyAdmins } from './notify.ts';
import { transition } from './status.ts';

type Connection = { id: string; organization_id: string; provider: string; status: ConnectionStatusValue };

/**
 * The grant is dead (refresh refused, or a fresh token still refused): Reconnect needed, with the reason
 * on the card and in the audit log. Run it inside the transaction that found out; tell the admins after.
 */
export async function markNeedsReconnect(db: Database, connection: Connection, reason: string, cause: { action: string; details: Record<string, unknown> }) {
  await db
    .updateTable('connections')
    .set({ status: transition(connection.status, 'grant_dead'), status_reason: reason, updated_at: new Date() })
    .where('id', '=', connection.id)
    .execute();
  await audit(db, { organizationId: connection.organization_id, actorUserId: null, action: cause.action, target: connection.id, details: cause.details });
}

export async function announceNeedsReconnect(ctx: AppContext, connection: Omit<Connection, 'status'>, reason: string) {
  ctx.log.warn({ connectionId: connection.id, provider: connection.provider }, 'connection needs reconnect');
  await notifyAdmins(ctx, connection.organization_id, {
    event: 'connection.needs_reconnect',
    provider: connection.provider,
    connectionId: connection.id,
    subject: `${providers[connection.provider as ProviderSlug].name} needs to be reconnected`,
    text: reason,
  });
}
