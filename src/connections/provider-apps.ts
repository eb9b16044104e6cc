import type { ProviderSlug } from '../api/contracts/connections.ts';
import type { AppContext } from '../context.ts';
import { TallyError } from '../errors.ts';
import { clientSecretContext } from '../oauth/contexts.ts';
import { providers } from '../providers/registry.ts';
import type { ProviderDefinition, ProviderEndpoints } from '../providers/types.ts';
import { publishedSimulator } from './simulated.ts';

/** The simulators Tally started, and the OAuth client it registered with each. */
export type SimulatedProviders = Partial<Record<ProviderSlug, { endpoints: Omit<ProviderEndpoints, 'simulated'>; clientId: string; clientSecret: string }>>;

export type ResolvedProvider = {
  definition: ProviderDefinition;
  endpoints: ProviderEndpoints;
  /** Absent when no OAuth app is configured: only a personal token can connect. */
  client: { id: string; secret: string; source: 'simulator' | 'environment' | 'settings' } | undefined;
  redirectUri: string;
};

export const redirectUriFor = (publicUrl: string, slug: ProviderSlug) => `${publicUrl}/api/oauth/${slug}/callback`;

/**
 * Where a provider is and which OAuth app Tally uses for it: the simulator when it runs (in this process, or
 * in the `tally serve` of the demo when this is a worker or the CLI), otherwise the real
 * service (URLs overridable by env) with the app from the environment or, failing that, the settings page.
 */
export async function resolveProvider(ctx: AppContext, slug: ProviderSlug): Promise<ResolvedProvider> {
  const definition = providers[slug];
  const redirectUri = redirectUriFor(ctx.config.publicUrl, slug);
  const simulated = ctx.simulated[slug] ?? (await publishedSimulator(ctx, slug));
  if (simulated) {
    return { definition, endpoints: { ...simulated.endpoints, simulated: true }, client: { id: simulated.clientId, secret: simulated.clientSecret, source: 'simulator' }, redirectUri };
  }
  const env = ctx.config.providers[slug];
  const endpoints: ProviderEndpoints = {
    authorizeUrl: env.authorizeUrl ?? definition.defaults.authorizeUrl,
    tokenUrl: env.tokenUrl ?? definition.defaults.tokenUrl,
    revokeUrl: env.revokeUrl ?? definition.defaults.revokeUrl,
    apiBaseUrl: env.apiUrl ?? definition.defaults.apiBaseUrl,
    simulated: false,
  };
  if (env.clientId && env.clientSecret) return { definition, endpoints, client: { id: env.clientId, secret: env.clientSecret, source: 'environment' }, redirectUri };
  const stored = await ctx.db.selectFrom('provider_apps').selectAll().where('provider', '=', slug).executeTakeFirst();
  const client = stored
    ? { id: stored.client_id, secret: ctx.vault.decrypt(stored.client_secret_enc, clientSecretContext(slug)), source: 'settings' as const }
    : undefined;
  return { definition, endpoints, client, redirectUri };
}

export function requireOAuthClient(resolved: ResolvedProvider): { id: string; secret: string } {
  if (!resolved.client) {
    throw new TallyError(
      'conflict',
      `No ${resolved.definition.name} OAuth app is configured. An admin enters its client id and secret under Settings → Provider apps (register the redirect URI ${resolved.redirectUri} at ${resolved.definition.name}), or connect with a ${resolved.definition.personalToken.label.toLowerCase()}.`,
    );
  }
  return resolved.client;
}
