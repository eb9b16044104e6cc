import { z } from 'zod';
import { ForbiddenError, ProviderError } from '../../http-client/errors.ts';
import type { ProviderApi } from '../../http-client/request.ts';
import type { ProviderDefinition } from '../types.ts';

// GET /2.0/user, /2.0/user/emails and /2.0/user/workspaces (Bitbucket API document). The cross-workspace
// /2.0/workspaces is deprecated and never called.
const User = z.object({ uuid: z.string(), display_name: z.string(), account_id: z.string().optional(), nickname: z.string().optional() });
const Emails = z.object({ values: z.array(z.object({ email: z.string(), is_primary: z.boolean().optional(), is_confirmed: z.boolean().optional() })) });
// `workspace_base` in the document has uuid and slug; a name only sometimes.
const WorkspaceAccesses = z.object({
  values: z.array(z.object({ workspace: z.object({ slug: z.string(), name: z.string().optional(), uuid: z.string() }) })),
  next: z.string().optional(),
});

async function primaryEmail(api: ProviderApi): Promise<string | null> {
  try {
    const { values } = Emails.parse(await api.getJson('/user/emails'));
    return (values.find((e) => e.is_primary) ?? values[0])?.email ?? null;
  } catch (error) {
    // No `email` scope (403), or the endpoint is not offered (404): the connection works without an email.
    if (error instanceof ForbiddenError || (error instanceof ProviderError && error.status === 404)) return null;
    throw error;
  }
}

/** Read endpoints of one workspace whose answer tells whether an API token carries a scope. */
const SCOPE_PROBES: Array<{ scope: string; path: (ws: string) => string }> = [
  { scope: 'repository', path: (ws) => `/repositories/${ws}?pagelen=1` },
  { scope: 'team', path: (ws) => `/workspaces/${ws}/members?pagelen=1` },
];

export const bitbucket: ProviderDefinition = {
  slug: 'bitbucket',
  name: 'Bitbucket Cloud',
  description: 'Git repositories, pull requests and pipelines: who uses their seat, and for what.',
  reads: [
    'Workspace members and their permissions (seats)',
    'Commits, pull requests and reviews, by person',
    'Pipelines and build minutes, deployments',
    'Issues where the tracker is enabled',
  ],
  defaults: {
    authorizeUrl: 'https://bitbucket.org/site/oauth2/authorize',
    tokenUrl: 'https://bitbucket.org/site/oauth2/access_token',
    revokeUrl: null,
    apiBaseUrl: 'https://api.bitbucket.org/2.0',
  },
  // Bitbucket does not document PKCE for OAuth consumers; the client authenticates with HTTP Basic.
  oauth: {
    clientAuth: 'client_secret_basic',
    pkce: false,
    scopes: ['account', 'email', 'repository', 'pullrequest', 'pipeline', 'issue', 'project'],
    accessTokenLifetimeSeconds: 7200,
  },
  // 1,000 per rolling hour per OAuth consumer, shared by every workspace connected through the same app.
  rateLimits: { per: 'oauth_consumer', windows: [{ limit: 950, windowMs: 3600_000 }] },
  personalToken: {
    label: 'API token',
    help: 'Create an API token at id.atlassian.com → Security → API tokens with Bitbucket read scopes (read:user, read:workspace, read:repository, read:pullrequest, read:pipeline, read:issue), and enter the email of that Atlassian account; or paste a workspace access token (workspace settings → Access tokens) without an email.',
    // Token kinds by prefix, as Atlassian staff confirmed (community.atlassian.com, "Can we confirm BitBucket's
    // token prefixes?", August 2025): API tokens ATAT, app passwords ATBB, access tokens (workspace, project,
    // repository) ATCT. API tokens go over HTTP Basic with the account email; access tokens as Bearer
    // (support.atlassian.com/bitbucket-cloud/docs/using-workspace-access-tokens).
    credentials: ({ token, email }) => {
      if (/^ATBB/.test(token)) {
        return { refused: 'Bitbucket app passwords were removed on 28 July 2026 and no longer work. Create an API token (id.atlassian.com → Security → API tokens) and paste it with your account email.' };
      }
      if (email) return { type: 'basic', username: email, password: token };
      if (/^ATAT/.test(token)) return { refused: 'A Bitbucket API token is used together with the email of its Atlassian account: enter that email too.' };
      return { type: 'bearer', token };
    },
    async probeScopes(api) {
      const granted = ['account'];
      const { values } = WorkspaceAccesses.parse(await api.getJson('/user/workspaces?pagelen=1'));
      const ws = values[0]?.workspace.slug;
      if (!ws) return granted;
      for (const probe of SCOPE_PROBES) {
        try {
          await api.getJson(probe.path(ws));
          granted.push(probe.scope);
        } catch (error) {
          if (!(error instanceof ForbiddenError)) throw error; // only "not allowed" means the scope is missing
        }
      }
      return granted;
    },
  },
  async checkConnection(api) {
    const user = User.parse(await api.getJson('/user'));
    const workspaces: Array<{ slug: string; name: string; uuid: string }> = [];
    let page: string | undefined = '/user/workspaces?pagelen=100';
    while (page) {
      const body = WorkspaceAccesses.parse(await api.getJson(page));
      workspaces.push(...body.values.map(({ workspace: w }) => ({ slug: w.slug, uuid: w.uuid, name: w.name ?? w.slug })));
      page = body.next ? body.next.slice(body.next.indexOf('/user/workspaces')) : undefined;
    }
    return { uuid: user.uuid, name: user.display_name, email: await primaryEmail(api), workspaces };
  },
};
