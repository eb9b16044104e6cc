import { createHash } from 'node:crypto';
import type { ProviderSlug } from '../api/contracts/connections.ts';
import { resolveProvider } from '../connections/provider-apps.ts';
import { accessTokenFor, refreshConnection } from '../connections/refresh.ts';
import { accessContext } from '../oauth/contexts.ts';
import type { AppContext } from '../context.ts';
import type { BudgetRule } from '../http-client/budget.ts';
import type { ProviderAuth } from '../http-client/request.ts';
import { providers } from '../providers/registry.ts';

type Connection = { id: string; provider: string; method: 'oauth' | 'personal_token'; access_token_enc: string | null };

const fingerprint = (secret: string) => createHash('sha256').update(secret).digest('hex').slice(0, 16);

/**
 * How the engine authenticates for a connection, what to do when a token is refused, and which request
 * budgets a request spends (keys never contain a token, only a fingerprint of it).
 */
export async function credentialsFor(ctx: AppContext, connection: Connection) {
  const provider = connection.provider as ProviderSlug;
  const definition = providers[provider];
  const resolved = await resolveProvider(ctx, provider);
  const personal = (): ProviderAuth => {
    const secret = ctx.vault.decrypt(connection.access_token_enc ?? '', accessContext(connection.id));
    // A Bitbucket API token is stored as "email:token" and sent with HTTP Basic.
    const colon = provider === 'bitbucket' ? secret.indexOf(':') : -1;
    return colon > 0 ? { type: 'basic', username: secret.slice(0, colon), password: secret.slice(colon + 1) } : { type: 'bearer', token: secret };
  };
  const auth = async (): Promise<ProviderAuth> =>
    connection.method === 'personal_token' ? personal() : { type: 'bearer', token: await accessTokenFor(ctx, connection.id) };
  const onRejected = async (rejected: ProviderAuth): Promise<boolean> => {
    if (connection.method === 'personal_token' || rejected.type !== 'bearer') return false;
    const outcome = await refreshConnection(ctx, connection.id, { reason: 'rejected', rejectedAccessToken: rejected.token });
    return outcome === 'refreshed' || outcome === 'still_fresh';
  };
  const budget = (a: ProviderAuth): BudgetRule[] => {
    const secret = a.type === 'bearer' ? a.token : `${a.username}:${a.password}`;
    const shared = definition.rateLimits.per === 'oauth_consumer' && connection.method === 'oauth' && resolved.client;
    const key = shared ? `${provider}:consumer:${resolved.client!.id}` : `${provider}:token:${fingerprint(secret)}`;
    return definition.rateLimits.windows.map((w) => ({ key: `${key}:${w.windowMs}`, limit: w.limit, windowMs: w.windowMs, shared: Boolean(shared) }));
  };
  return { auth, onRejected, budget, apiBaseUrl: resolved.endpoints.apiBaseUrl, providerName: definition.name };
}
