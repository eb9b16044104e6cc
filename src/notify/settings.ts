import type { Config } from '../config.ts';
import type { AppContext } from '../context.ts';
import { TallyError } from '../errors.ts';
import { audit, findUserById } from '../store/queries/accounts.ts';
import type { Delivery } from './mailer.ts';
import { postWebhook } from './webhook.ts';

/** The SMTP and webhook setup as the settings page shows it: where mail goes, never a password or a webhook path. */
export function notificationSettings(config: Config) {
  const smtp = config.smtp ? new URL(config.smtp.url) : undefined;
  const secure = smtp?.protocol === 'smtps:';
  return {
    smtp: {
      configured: smtp !== undefined,
      // nodemailer's defaults when the URL names no port: 465 for smtps, 587 otherwise.
      server: smtp ? `${smtp.hostname}:${smtp.port || (secure ? 465 : 587)}` : null,
      secure,
      username: smtp?.username ? decodeURIComponent(smtp.username) : null,
      passwordSet: Boolean(smtp?.password),
      from: config.smtp?.from ?? 'Tally <tally@localhost>',
      variable: 'TALLY_SMTP_URL',
    },
    webhook: {
      configured: config.webhookUrl !== undefined,
      target: config.webhookUrl ? new URL(config.webhookUrl).origin : null,
      variable: 'TALLY_WEBHOOK_URL',
    },
    recipients: 'Each organization’s owners and admins get an email when a connection needs Reconnect and when it recovers; the webhook gets the same events as JSON.',
  };
}

const outcome = (delivery: Delivery, sent: string) => ({ delivered: delivery.ok, message: delivery.ok ? sent : delivery.reason });

/** Sends a test email to the admin who asked, so they see it arrive (or the SMTP server's answer). */
export async function sendTestEmail(ctx: AppContext, userId: string) {
  const user = await findUserById(ctx.db, userId);
  if (!user) throw new TallyError('unauthenticated', 'Log in to continue.');
  const delivery = await ctx.mailer.deliver({
    to: user.email,
    subject: 'Tally test email',
    text: `This is a test from Tally at ${ctx.config.publicUrl}, sent because ${user.name} asked for one on the Notifications settings page.\n\nWhen a connection needs Reconnect or recovers, organization admins get an email like this one.`,
  });
  await audit(ctx.db, { organizationId: null, actorUserId: userId, action: 'notifications.test_email', target: user.email, details: { delivered: delivery.ok } });
  return outcome(delivery, `Sent to ${user.email}. If it does not arrive, check the spam folder and the sender address (TALLY_SMTP_FROM).`);
}

/** POSTs a `test` event to the webhook, the same shape as real connection events. */
export async function sendTestWebhook(ctx: AppContext, userId: string) {
  const delivery = await postWebhook(ctx.config.webhookUrl, {
    event: 'test',
    message: 'A test from Tally’s Notifications settings page.',
    link: `${ctx.config.publicUrl}/`,
  });
  await audit(ctx.db, { organizationId: null, actorUserId: userId, action: 'notifications.test_webhook', details: { delivered: delivery.ok } });
  return outcome(delivery, 'The webhook accepted the test event.');
}
