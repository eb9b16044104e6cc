import type { AppContext } from '../context.ts';
import { postWebhook } from '../notify/webhook.ts';

export type ConnectionNotice = {
  event: 'connection.needs_reconnect' | 'connection.recovered';
  provider: string;
  connectionId: string;
  subject: string;
  text: string;
};

/**
 * Tells an organization's admins that a connection broke or recovered: by email when SMTP is configured,
 * and to the webhook URL when one is set. A failure to notify is logged, never thrown: the status change
 * it reports has already happened.
 */
export async function notifyAdmins(ctx: AppContext, organizationId: string, notice: ConnectionNotice): Promise<void> {
  const admins = await ctx.db
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select('u.email')
    .where('m.organization_id', '=', organizationId)
    .where('m.role', 'in', ['owner', 'admin'])
    .execute();
  const link = `${ctx.config.publicUrl}/orgs/${organizationId}/connections`;
  for (const { email } of admins) await ctx.mailer.send({ to: email, subject: notice.subject, text: `${notice.text}\n\n${link}` });
  const delivery = await postWebhook(ctx.config.webhookUrl, { event: notice.event, organizationId, provider: notice.provider, connectionId: notice.connectionId, message: notice.text, link });
  if (!delivery.ok && ctx.config.webhookUrl) ctx.log.warn({ reason: delivery.reason, event: notice.event }, 'webhook delivery failed');
}
