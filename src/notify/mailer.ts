import nodemailer from 'nodemailer';
import type { Logger } from '../log.ts';

export type Mail = { to: string; subject: string; text: string };

export type Mailer = {
  /** True when SMTP is configured and mail can be sent at all. */
  readonly enabled: boolean;
  /** Sends a mail; false when SMTP is not configured or the server refused (logged, never thrown). */
  send(mail: Mail): Promise<boolean>;
};

export function createMailer(smtp: { url: string; from: string } | undefined, log: Logger): Mailer {
  if (!smtp) return { enabled: false, send: async () => false };
  const transport = nodemailer.createTransport(smtp.url);
  return {
    enabled: true,
    async send(mail) {
      try {
        await transport.sendMail({ from: smtp.from, ...mail });
        return true;
      } catch (error) {
        // A mail that cannot go out must not undo what was done (the invitation exists, its link is shown).
        log.warn({ err: { message: (error as Error).message }, subject: mail.subject }, 'could not send mail');
        return false;
      }
    },
  };
}
