import path from 'node:path';
import { z } from 'zod';

/**
 * Every environment variable Tally reads, parsed once. Nothing else reads process.env.
 * A bad value stops the boot with a message that names the variable and what is expected.
 */
const port = (name: string, fallback: number) =>
  z.coerce
    .number({ error: `${name} must be a port number (1-65535)` })
    .int(`${name} must be a whole port number (1-65535)`)
    .min(1, `${name} must be a port number (1-65535)`)
    .max(65535, `${name} must be a port number (1-65535)`)
    .default(fallback);

const optionalString = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v === '' ? undefined : v));

const WEBHOOK_URL_MESSAGE = 'TALLY_WEBHOOK_URL must be an absolute http:// or https:// URL, e.g. https://hooks.example.com/tally (use https unless the receiver is on a trusted network)';

const Env = z.object({
  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\/.+/, 'DATABASE_URL must be a postgres:// URL, e.g. postgres://tally:secret@db:5432/tally; leave it unset to use the embedded PostgreSQL')
      .optional(),
  ),
  TALLY_PORT: port('TALLY_PORT', 4000),
  TALLY_HOST: z.string().trim().min(1).default('127.0.0.1'),
  TALLY_PUBLIC_URL: optionalString.pipe(
    z
      .string()
      .url('TALLY_PUBLIC_URL must be an absolute URL such as https://tally.example.com')
      .refine((u) => /^https?:\/\//.test(u), 'TALLY_PUBLIC_URL must start with http:// or https://')
      .optional(),
  ),
  TALLY_DATA_DIR: z.string().trim().min(1).default('./data'),
  TALLY_SECRET_KEY: optionalString.pipe(
    z
      .string()
      .refine(
        (v) => decodeKey(v) !== undefined,
        'TALLY_SECRET_KEY must be 32 random bytes, as 64 hex characters or base64 (try: openssl rand -base64 32); leave it unset to have one generated into the data directory',
      )
      .optional(),
  ),
  TALLY_EMBEDDED_PG_PORT: port('TALLY_EMBEDDED_PG_PORT', 54329),
  TALLY_LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: 'TALLY_LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
    })
    .default('info'),
  TALLY_SIMULATORS: z
    .enum(['auto', 'on', 'off'], { error: 'TALLY_SIMULATORS must be auto, on or off' })
    .default('auto'),
  TALLY_SIMULATORS_PORT: port('TALLY_SIMULATORS_PORT', 4010),
  TALLY_SIMULATORS_CLOCK: z
    .enum(['live', 'frozen'], { error: 'TALLY_SIMULATORS_CLOCK must be live or frozen' })
    .default('live'),
  TALLY_SMTP_URL: optionalString.pipe(
    z
      .string()
      .regex(/^smtps?:\/\/.+/, 'TALLY_SMTP_URL must look like smtp://user:password@mail.example.com:587 or smtps://...')
      .optional(),
  ),
  TALLY_SMTP_FROM: z.string().trim().default('Tally <tally@localhost>'),
  TALLY_PREVIOUS_SECRET_KEYS: optionalString.pipe(
    z
      .string()
      .refine((v) => v.split(',').every((k) => decodeKey(k) !== undefined), 'TALLY_PREVIOUS_SECRET_KEYS must be a comma-separated list of 32-byte keys (hex or base64)')
      .optional(),
  ),
  TALLY_SYNC_SCHEDULES: z
    .enum(['on', 'off'], { error: 'TALLY_SYNC_SCHEDULES must be on or off' })
    .default('on'),
  TALLY_BITBUCKET_ISSUES: z
    .enum(['on', 'off'], { error: 'TALLY_BITBUCKET_ISSUES must be on or off' })
    .default('off'),
  // http is accepted for any host (a receiver on the same machine or network, as in the tests); other
  // schemes would only fail later, when the first notification is posted.
  TALLY_WEBHOOK_URL: optionalString.pipe(
    z
      .string()
      .url(WEBHOOK_URL_MESSAGE)
      .refine((u) => /^https?:\/\//i.test(u), WEBHOOK_URL_MESSAGE)
      .optional(),
  ),
  ...providerVariables('DIGITALOCEAN'),
  ...providerVariables('BITBUCKET'),
});

/**
 * Per provider: the OAuth app (client id and secret) and, for tests or proxies, the service's URLs.
 * Tokens travel in plain Authorization headers, so URLs must be https (loopback simulators excepted).
 */
function providerVariables<P extends 'DIGITALOCEAN' | 'BITBUCKET'>(p: P) {
  const url = (name: string) =>
    optionalString.pipe(
      z
        .string()
        .url(`${name} must be an absolute URL`)
        .refine(isSafeProviderUrl, `${name} must use https:// (plain http is allowed only for a simulator on this machine: localhost or 127.0.0.1)`)
        .optional(),
    );
  return {
    [`TALLY_${p}_CLIENT_ID`]: optionalString,
    [`TALLY_${p}_CLIENT_SECRET`]: optionalString,
    [`TALLY_${p}_AUTHORIZE_URL`]: url(`TALLY_${p}_AUTHORIZE_URL`),
    [`TALLY_${p}_TOKEN_URL`]: url(`TALLY_${p}_TOKEN_URL`),
    [`TALLY_${p}_REVOKE_URL`]: url(`TALLY_${p}_REVOKE_URL`),
    [`TALLY_${p}_API_URL`]: url(`TALLY_${p}_API_URL`),
  } as Record<`TALLY_${P}_${'CLIENT_ID' | 'CLIENT_SECRET' | 'AUTHORIZE_URL' | 'TOKEN_URL' | 'REVOKE_URL' | 'API_URL'}`, typeof optionalString>;
}

export function isSafeProviderUrl(value: string): boolean {
  try {
    const u = new URL(value);
    if (u.protocol === 'https:') return true;
    return u.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname);
  } catch {
    return false;
  }
}

export type ProviderConfig = {
  clientId: string | undefined;
  clientSecret: string | undefined;
  authorizeUrl: string | undefined;
  tokenUrl: string | undefined;
  revokeUrl: string | undefined;
  apiUrl: string | undefined;
};

export function decodeKey(value: string): Buffer | undefined {
  const v = value.trim();
  if (/^[0-9a-fA-F]{64}$/.test(v)) return Buffer.from(v, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(v)) {
    const b = Buffer.from(v.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    return b.length === 32 ? b : undefined;
  }
  return undefined;
}

export type Config = {
  databaseUrl: string | undefined;
  port: number;
  host: string;
  publicUrl: string;
  dataDir: string;
  secretKey: Buffer | undefined;
  embeddedPostgresPort: number;
  logLevel: z.infer<typeof Env>['TALLY_LOG_LEVEL'];
  simulators: 'auto' | 'on' | 'off';
  simulatorsPort: number;
  /** `frozen`: the simulated workspaces change only when a test advances their clock (`/_sim/time/advance`). */
  simulatorsClock: 'live' | 'frozen';
  smtp: { url: string; from: string } | undefined;
  /** True when the public URL is https: cookies get the Secure flag. */
  secureCookies: boolean;
  previousSecretKeys: Buffer[];
  webhookUrl: string | undefined;
  /** Off: no sync starts by schedule (Sync now, `tally sync` and resumed runs still do). */
  syncSchedules: boolean;
  /** Read Bitbucket issues, whose operations Atlassian's API document marks deprecated (off unless asked for). */
  bitbucketIssues: boolean;
  providers: { digitalocean: ProviderConfig; bitbucket: ProviderConfig };
};

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `- ${String(i.path[0] ?? 'environment')}: ${i.message}`);
    throw new ConfigError(`Tally cannot start: the configuration is invalid.\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const publicUrl = (e.TALLY_PUBLIC_URL ?? `http://localhost:${e.TALLY_PORT}`).replace(/\/+$/, '');
  return {
    databaseUrl: e.DATABASE_URL,
    port: e.TALLY_PORT,
    host: e.TALLY_HOST,
    publicUrl,
    dataDir: path.resolve(e.TALLY_DATA_DIR),
    secretKey: e.TALLY_SECRET_KEY ? decodeKey(e.TALLY_SECRET_KEY) : undefined,
    embeddedPostgresPort: e.TALLY_EMBEDDED_PG_PORT,
    logLevel: e.TALLY_LOG_LEVEL,
    simulators: e.TALLY_SIMULATORS,
    simulatorsPort: e.TALLY_SIMULATORS_PORT,
    simulatorsClock: e.TALLY_SIMULATORS_CLOCK,
    smtp: e.TALLY_SMTP_URL ? { url: e.TALLY_SMTP_URL, from: e.TALLY_SMTP_FROM } : undefined,
    secureCookies: publicUrl.startsWith('https://'),
    previousSecretKeys: (e.TALLY_PREVIOUS_SECRET_KEYS ?? '').split(',').filter(Boolean).map((k) => decodeKey(k)!),
    webhookUrl: e.TALLY_WEBHOOK_URL,
    bitbucketIssues: e.TALLY_BITBUCKET_ISSUES === 'on',
    syncSchedules: e.TALLY_SYNC_SCHEDULES === 'on',
    providers: { digitalocean: providerConfig(e, 'DIGITALOCEAN'), bitbucket: providerConfig(e, 'BITBUCKET') },
  };
}

function providerConfig(e: Record<string, unknown>, p: string): ProviderConfig {
  const get = (k: string) => e[`TALLY_${p}_${k}`] as string | undefined;
  return { clientId: get('CLIENT_ID'), clientSecret: get('CLIENT_SECRET'), authorizeUrl: get('AUTHORIZE_URL'), tokenUrl: get('TOKEN_URL'), revokeUrl: get('REVOKE_URL'), apiUrl: get('API_URL') };
}
