import nodemailer from 'nodemailer';
import type { Logger } from '../log.ts';

export type Mail = { to: string; subject: string; text: string };

export type Delivery = { ok: true } | { ok: false; reason: string };

export type Mailer = {
  /** True when SMTP is configured and mail can be sent at all. */
  readonly enabled: boolean;
  /** Sends a mail; false when SMTP is not configured or the server refused (logged, never thrown). */
  send(mail: Mail): Promise<boolean>;
  /** Like `send`, with the reason a mail did not go out (for the settings page's test email). */
  deliver(mail: Mail): Promise<Delivery>;
};

export function createMailer(smtp: { url: string; from: string } | undefined, log: Logger): Mailer {
  if (!smtp) {
    const off: Delivery = { ok: false, reason: 'SMTP is not configured: set TALLY_SMTP_URL.' };
    return { enabled: false, send: async () => false, deliver: async () => off };
  }
  const transport = nodemailer.createTransport(smtp.url);
  const password = smtpPassword(smtp.url);
  const deliver = async (mail: Mail): Promise<Delivery> => {
    try {
      await transport.sendMail({ from: smtp.from, ...mail });
      return { ok: true };
    } catch (error) {
      // The server's answer is what the admin needs to fix the setup; the password must never be in it.
      const message = (error as Error).message;
      const reason = password ? message.split(password).join('***') : message;
      log.warn({ err: { message: reason }, subject: mail.subject }, 'could not send mail');
      return { ok: false, reason };
    }
  };
  return {
    enabled: true,
    deliver,
    // A mail that cannot go out must not undo what was done (the invitation exists, its link is shown).
    send: async (mail) => (await deliver(mail)).ok,
  };
}

function smtpPassword(url: string): string | undefined {
  try {
    return decodeURIComponent(new URL(url).password) || undefined;
  } catch {
    return undefined;
  }
}
