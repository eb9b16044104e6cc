import { z } from 'zod';
import { Id, Timestamp } from './common.ts';

export const ProviderSlug = z.enum(['digitalocean', 'bitbucket']);
export type ProviderSlug = z.infer<typeof ProviderSlug>;

/**
 * active: tokens stored and checked; needs_reconnect: the grant is dead (revoked, refresh token expired,
 * a fresh token still refused), syncs paused until an admin reconnects; disconnected: credentials deleted
 * by an admin. Allowed moves: src/connections/status.ts.
 */
export const ConnectionStatus = z.enum(['active', 'needs_reconnect', 'disconnected']);
export type ConnectionStatus = z.infer<typeof ConnectionStatus>;

export const ConnectedAccount = z.object({
  uuid: z.string(),
  name: z.string(),
  email: z.string().nullable(),
  /** Bitbucket: the workspaces the grant can see. */
  workspaces: z.array(z.object({ slug: z.string(), name: z.string(), uuid: z.string() })),
});

export const Connection = z.object({
  id: Id,
  provider: ProviderSlug,
  status: ConnectionStatus,
  /** Why the connection needs attention (shown on the card), e.g. "DigitalOcean revoked the grant". */
  statusReason: z.string().nullable(),
  method: z.enum(['oauth', 'personal_token']),
  account: ConnectedAccount.nullable(),
  scopes: z.array(z.string()),
  connectedAt: Timestamp.nullable(),
  connectedBy: z.object({ id: Id.nullable(), name: z.string() }).nullable(),
  accessTokenExpiresAt: Timestamp.nullable(),
  lastRefreshedAt: Timestamp.nullable(),
});
export type Connection = z.infer<typeof Connection>;

/** One card of the Connections page per provider, with the connection if there is one. */
export const ProviderCard = z.object({
  provider: ProviderSlug,
  name: z.string(),
  description: z.string(),
  /** What Tally reads from the app, in plain words. */
  reads: z.array(z.string()),
  scopes: z.array(z.string()),
  /** True when the provider is the built-in simulator, not the real service. */
  simulated: z.boolean(),
  /** False when no OAuth app is configured for the provider (only a personal token can connect). */
  oauthConfigured: z.boolean(),
  personalToken: z.object({ label: z.string(), help: z.string() }),
  connection: Connection.nullable(),
});
export const ProviderCardList = z.object({ items: z.array(ProviderCard) });

// POST /api/orgs/:orgId/connections/:provider/authorize (admin) -> { authorizeUrl }; the browser goes there.
export const AuthorizeRequest = z.object({
  /** Where to come back to inside the dashboard, a path like /orgs/<id>/connections. */
  returnTo: z.string().regex(/^\/(?!\/)[^\s]*$/, 'returnTo must be a path inside Tally').max(500).optional(),
  /** Set after Tally asked "a different account is connected: replace it?" and the admin agreed. */
  replaceAccount: z.boolean().optional(),
});
export const AuthorizeResponse = z.object({ authorizeUrl: z.string().url() });

// GET /api/oauth/:provider/callback?code&state (the provider sends the browser here) -> 302 to returnTo with
// ?connection=<provider>&result=connected|reconnected|denied|error|account_mismatch&message=...

// POST /api/orgs/:orgId/connections/:provider/personal-token (admin)
export const PersonalTokenRequest = z.object({
  token: z.string().trim().min(8, 'Paste the whole token.').max(2000),
  /** Bitbucket API tokens authenticate with the Atlassian account email. */
  email: z.string().trim().email().optional(),
  replaceAccount: z.boolean().optional(),
});

// POST /api/orgs/:orgId/connections/:connectionId/disconnect (admin)
export const DisconnectRequest = z.object({
  deleteData: z
    .boolean()
    .default(false)
    .describe(
      'Also delete everything Tally synced from the app: its records, activity, accounts and their links in the people directory, and the figures and insights made from them. Kept: the connection itself (disconnected), its sync history, the settings an admin entered for the app, its sync schedule and the audit log. This cannot be undone.',
    ),
});

export const ConnectInvitation = z.object({
  id: Id,
  provider: ProviderSlug,
  email: z.string(),
  note: z.string().nullable(),
  status: z.enum(['pending', 'used', 'revoked', 'expired']),
  invitedBy: z.object({ id: Id.nullable(), name: z.string() }),
  createdAt: Timestamp,
  expiresAt: Timestamp,
});
// GET  /api/orgs/:orgId/connect-invitations (admin)
export const ConnectInvitationList = z.object({ items: z.array(ConnectInvitation) });
// POST /api/orgs/:orgId/connect-invitations (member) -> 201 { invitation, link, emailed }
export const CreateConnectInvitationRequest = z.object({
  provider: ProviderSlug,
  email: z.string().trim().toLowerCase().email('Enter a valid email address.'),
  note: z.string().trim().max(1000).optional(),
});
export const CreatedConnectInvitation = z.object({ invitation: ConnectInvitation, link: z.string().url(), emailed: z.boolean() });
// DELETE /api/orgs/:orgId/connect-invitations/:invitationId (admin)

// GET /api/connect-invitations/:token (public) -> what the invitee sees before connecting
export const ConnectInvitationPreview = z.object({
  organization: z.object({ name: z.string() }),
  provider: ProviderSlug,
  providerName: z.string(),
  scopes: z.array(z.string()),
  reads: z.array(z.string()),
  invitedBy: z.string(),
  note: z.string().nullable(),
  expiresAt: Timestamp,
  simulated: z.boolean(),
});
// POST /api/connect-invitations/:token/authorize (public) -> AuthorizeResponse
