/**
 * A real SMTP server (smtp-server) on loopback that requires a login and keeps every message it accepts,
 * decoded, for tests of what Tally mails. `refuseLogins` makes it answer like a server with a changed password.
 */
import { SMTPServer } from 'smtp-server';
import { freePort } from './ports.ts';

export type CapturedMail = { from: string; to: string[]; subject: string; text: string; raw: string };

export type SmtpCapture = {
  port: number;
  /** Tally's TALLY_SMTP_URL for this server. */
  url: string;
  mails: CapturedMail[];
  refuseLogins: boolean;
  /** Mails that arrived after the first `from`, waiting up to ~2.5 s for `count` of them. */
  since(from: number, count: number): Promise<CapturedMail[]>;
  close(): Promise<void>;
};

export async function startSmtpCapture(login: { user: string; password: string }): Promise<SmtpCapture> {
  const port = await freePort();
  const capture: SmtpCapture = {
    port,
    url: `smtp://${encodeURIComponent(login.user)}:${encodeURIComponent(login.password)}@127.0.0.1:${port}`,
    mails: [],
    refuseLogins: false,
    async since(from, count) {
      for (let i = 0; i < 50 && capture.mails.length - from < count; i++) await new Promise((r) => setTimeout(r, 50));
      return capture.mails.slice(from);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server = new SMTPServer({
    authOptional: false,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, done) {
      if (!capture.refuseLogins && auth.username === login.user && auth.password === login.password) return done(null, { user: auth.username });
      return done(new Error('Invalid username or password'));
    },
    onData(stream, session, done) {
      let raw = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => (raw += chunk));
      stream.on('end', () => {
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        capture.mails.push({ ...parseMail(raw), from, to: session.envelope.rcptTo.map((r) => r.address) });
        done();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return capture;
}

const decodeQuotedPrintable = (s: string) =>
  Buffer.from(s.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8');

/** Headers and the decoded text/plain body of a single-part message as nodemailer writes it. */
export function parseMail(raw: string): Omit<CapturedMail, 'from' | 'to'> {
  const split = raw.indexOf('\r\n\r\n');
  const headerText = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const headers = new Map(headerText.split('\r\n').map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
  const body = raw.slice(split + 4);
  const encoding = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  const text = encoding === 'quoted-printable' ? decodeQuotedPrintable(body) : encoding === 'base64' ? Buffer.from(body, 'base64').toString('utf8') : body;
  // RFC 2047 encoded words, which nodemailer uses for non-ASCII subjects.
  const subject = (headers.get('subject') ?? '').replace(/=\?utf-8\?([QB])\?([^?]*)\?=\s*/gi, (_, kind: string, data: string) =>
    kind.toUpperCase() === 'B' ? Buffer.from(data, 'base64').toString('utf8') : decodeQuotedPrintable(data.replace(/_/g, ' ')),
  );
  return { subject, text: text.replace(/\r\n/g, '\n').trimEnd(), raw };
}
