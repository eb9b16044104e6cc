import { z } from 'zod';
import { ForbiddenError } from '../../http-client/errors.ts';
import type { ProviderApi } from '../../http-client/request.ts';
import type { ProviderDefinition } from '../types.ts';

// GET /v2/account (DigitalOcean API document: operation account_get).
const AccountResponse = z.object({
  account: z.object({
    uuid: z.string(),
    email: z.string(),
    team: z.object({ uuid: z.string(), name: z.string() }).optional(),
  }),
});

/** Read endpoints whose answer tells whether a personal token carries a scope. */
const SCOPE_PROBES: Array<{ scope: string; path: string }> = [
  { scope: 'account:read', path: '/v2/account' },
  { scope: 'droplet:read', path: '/v2/droplets?per_page=1' },
  { scope: 'block_storage:read', path: '/v2/volumes?per_page=1' },
  { scope: 'database:read', path: '/v2/databases' },
  { scope: 'billing:read', path: '/v2/customers/my/balance' },
];

async function probeScopes(api: ProviderApi): Promise<string[]> {
  const granted: string[] = [];
  for (const probe of SCOPE_PROBES) {
    try {
      await api.getJson(probe.path);
      granted.push(probe.scope);
    } catch (error) {
      if (!(error instanceof ForbiddenError)) throw error; // only "not allowed" means the scope is missing
    }
  }
  return granted;
}

export const digitalocean: ProviderDefinition = {
  slug: 'digitalocean',
  name: 'DigitalOcean',
  description: 'Cloud servers, storage and databases, and what they cost.',
  reads: [
    'Droplets, volumes, snapshots, databases, apps, Kubernetes, load balancers and firewalls',
    'Projects and which resources belong to them',
    'CPU and bandwidth metrics of droplets',
    'Balance, invoices with line items, and billing history',
  ],
  defaults: {
    authorizeUrl: 'https://cloud.digitalocean.com/v1/oauth/authorize',
    tokenUrl: 'https://cloud.digitalocean.com/v1/oauth/token',
    revokeUrl: 'https://cloud.digitalocean.com/v1/oauth/revoke',
    apiBaseUrl: 'https://api.digitalocean.com',
  },
  oauth: { clientAuth: 'client_secret_post', pkce: true, scopes: ['read'], accessTokenLifetimeSeconds: 30 * 24 * 3600 },
  // 5,000 per hour (each request on its own one-hour timer) and 250 per minute, per token; kept below both.
  rateLimits: {
    per: 'token',
    windows: [
      { limit: 4800, windowMs: 3600_000 },
      { limit: 240, windowMs: 60_000 },
    ],
  },
  personalToken: {
    label: 'Personal access token',
    help: 'Create one at cloud.digitalocean.com → API → Tokens with read access (custom scopes: account:read, droplet:read, billing:read, and the other resources you want Tally to see). It starts with dop_v1_.',
    credentials: ({ token }) => {
      if (/^(doo|dor)_v1_/.test(token)) return { refused: 'That is an OAuth token, not a personal access token. Use Connect for OAuth, or create a personal access token (dop_v1_...).' };
      return { type: 'bearer', token };
    },
    probeScopes,
  },
  async checkConnection(api) {
    const { account } = AccountResponse.parse(await api.getJson('/v2/account'));
    return { uuid: account.team?.uuid ?? account.uuid, name: account.team?.name ?? account.email, email: account.email, workspaces: [] };
  },
};
