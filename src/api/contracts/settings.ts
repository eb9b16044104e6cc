import { z } from 'zod';
import { Timestamp } from './common.ts';
import { ProviderSlug } from './connections.ts';

/** One of a provider's URLs as Tally uses it, and where that value comes from. */
export const ProviderUrl = z.object({
  /** Null when the provider has no such endpoint (Bitbucket cannot revoke a token). */
  url: z.string().nullable(),
  /** The real provider's URL, shown next to an overridden or simulated one. */
  defaultUrl: z.string().nullable(),
  source: z.enum(['default', 'environment', 'simulator']),
  /** The environment variable that overrides it. */
  variable: z.string(),
});

export const ProviderApp = z.object({
  provider: ProviderSlug,
  name: z.string(),
  /** The exact URI to register as the OAuth app's callback at the provider. */
  redirectUri: z.string(),
  /** Where the app in use comes from; null when none is configured (then only personal tokens connect). */
  source: z.enum(['environment', 'settings', 'simulator']).nullable(),
  clientId: z.string().nullable(),
  /** Whether the app in use has a client secret; the secret itself is never sent. */
  secretSet: z.boolean(),
  simulated: z.boolean(),
  /** False when the environment sets the app: it is changed there, not on the settings page. */
  editable: z.boolean(),
  /** The app saved on the settings page, also while the environment's app or the simulator is used instead. */
  saved: z.object({ clientId: z.string(), updatedAt: Timestamp }).nullable(),
  environment: z.object({ clientId: z.string(), clientSecret: z.string() }),
  urls: z.object({ authorize: ProviderUrl, token: ProviderUrl, revoke: ProviderUrl, api: ProviderUrl }),
  /** Where at the provider an admin registers the app. */
  registerHelp: z.string(),
});
// GET /api/admin/provider-apps (instance admin)
export const ProviderAppList = z.object({
  items: z.array(ProviderApp),
  /** TALLY_SIMULATORS: in `auto` the simulators stop being used once a real app is configured (at the next start). */
  simulators: z.enum(['auto', 'on', 'off']),
});
// PUT /api/admin/provider-apps/:provider (instance admin); the secret is stored encrypted and never returned
export const SaveProviderAppRequest = z.object({
  clientId: z.string().trim().min(1, 'Enter the client id (key).').max(300),
  /** Leave it out (or empty) to keep the saved secret while changing the client id. */
  clientSecret: z
    .string()
    .trim()
    .max(500)
    .optional()
    .transform((v) => (v === '' ? undefined : v)),
});
// DELETE /api/admin/provider-apps/:provider (instance admin)

/** What the SMTP and webhook settings are, read from the environment; passwords never leave the server. */
export const NotificationSettings = z.object({
  smtp: z.object({
    configured: z.boolean(),
    /** host:port of the SMTP server, e.g. smtp.example.com:587. */
    server: z.string().nullable(),
    /** smtps:// (TLS from the start) or smtp:// (STARTTLS when the server offers it). */
    secure: z.boolean(),
    username: z.string().nullable(),
    passwordSet: z.boolean(),
    from: z.string(),
    variable: z.string(),
  }),
  webhook: z.object({
    configured: z.boolean(),
    /** Scheme and host only: a webhook URL's path often is its secret (Slack, Teams). */
    target: z.string().nullable(),
    variable: z.string(),
  }),
  /** Who is told when a connection needs Reconnect or recovers. */
  recipients: z.string(),
});
// GET /api/admin/notifications (instance admin)

// POST /api/admin/notifications/test-email (instance admin) -> sent to the caller's own address
// POST /api/admin/notifications/test-webhook (instance admin)
export const NotificationTestResult = z.object({
  delivered: z.boolean(),
  /** What happened, in words for the admin (the SMTP server's or the webhook's answer on failure). */
  message: z.string(),
});
