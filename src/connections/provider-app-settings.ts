import type { ProviderSlug } from '../api/contracts/connections.ts';
import type { AppContext } from '../context.ts';
import { TallyError } from '../errors.ts';
import { clientSecretContext } from '../oauth/contexts.ts';
import { providerList, providers } from '../providers/registry.ts';
import { audit } from '../store/queries/accounts.ts';
import { resolveProvider } from './provider-apps.ts';

const REGISTER_HELP: Record<ProviderSlug, string> = {
  digitalocean: 'cloud.digitalocean.com → API → OAuth Applications → Register application; paste the redirect URI as its callback URL.',
  bitbucket: 'bitbucket.org → Workspace settings → OAuth consumers → Add consumer (a private consumer with a callback URL); Key is the client id, Secret the client secret.',
};

const URL_VARIABLES = { authorize: 'AUTHORIZE_URL', token: 'TOKEN_URL', revoke: 'REVOKE_URL', api: 'API_URL' } as const;

/** Every provider's OAuth app and URLs as Tally uses them, and where each value comes from; never a secret. */
export async function listProviderApps(ctx: AppContext) {
  const saved = await ctx.db.selectFrom('provider_apps').select(['provider', 'client_id', 'updated_at']).execute();
  const items = [];
  for (const definition of providerList) {
    const slug = definition.slug;
    const resolved = await resolveProvider(ctx, slug);
    const env = ctx.config.providers[slug];
    const prefix = `TALLY_${slug.toUpperCase()}_`;
    const inUse = { authorize: resolved.endpoints.authorizeUrl, token: resolved.endpoints.tokenUrl, revoke: resolved.endpoints.revokeUrl, api: resolved.endpoints.apiBaseUrl };
    const defaults = { authorize: definition.defaults.authorizeUrl, token: definition.defaults.tokenUrl, revoke: definition.defaults.revokeUrl, api: definition.defaults.apiBaseUrl };
    const overrides = { authorize: env.authorizeUrl, token: env.tokenUrl, revoke: env.revokeUrl, api: env.apiUrl };
    const url = (key: keyof typeof URL_VARIABLES) => ({
      url: inUse[key],
      defaultUrl: defaults[key],
      source: resolved.endpoints.simulated ? ('simulator' as const) : overrides[key] ? ('environment' as const) : ('default' as const),
      variable: `${prefix}${URL_VARIABLES[key]}`,
    });
    const stored = saved.find((r) => r.provider === slug);
    items.push({
      provider: slug,
      name: definition.name,
      redirectUri: resolved.redirectUri,
      source: resolved.client?.source ?? null,
      clientId: resolved.client?.id ?? null,
      secretSet: Boolean(resolved.client?.secret),
      simulated: resolved.endpoints.simulated,
      editable: !appFromEnvironment(ctx, slug),
      saved: stored ? { clientId: stored.client_id, updatedAt: stored.updated_at.toISOString() } : null,
      environment: { clientId: `${prefix}CLIENT_ID`, clientSecret: `${prefix}CLIENT_SECRET` },
      urls: { authorize: url('authorize'), token: url('token'), revoke: url('revoke'), api: url('api') },
      registerHelp: REGISTER_HELP[slug],
    });
  }
  return items;
}

const appFromEnvironment = (ctx: AppContext, provider: ProviderSlug) => Boolean(ctx.config.providers[provider].clientId && ctx.config.providers[provider].clientSecret);

function refuseIfFromEnvironment(ctx: AppContext, provider: ProviderSlug) {
  if (appFromEnvironment(ctx, provider)) {
    throw new TallyError('conflict', `The ${providers[provider].name} app is set by TALLY_${provider.toUpperCase()}_CLIENT_ID/_SECRET in the environment; change it there.`);
  }
}

/** Saves the app; without a new secret the saved one is kept (the page never shows it, so it cannot be re-sent). */
export async function saveProviderApp(ctx: AppContext, provider: ProviderSlug, userId: string, input: { clientId: string; clientSecret?: string | undefined }) {
  refuseIfFromEnvironment(ctx, provider);
  let secret: string;
  if (input.clientSecret) {
    secret = ctx.vault.encrypt(input.clientSecret, clientSecretContext(provider));
  } else {
    const stored = await ctx.db.selectFrom('provider_apps').select('client_secret_enc').where('provider', '=', provider).executeTakeFirst();
    if (!stored) throw new TallyError('invalid_request', 'Enter the client secret.', { details: [{ path: ['clientSecret'], message: 'Enter the client secret.' }] });
    secret = stored.client_secret_enc;
  }
  await ctx.db
    .insertInto('provider_apps')
    .values({ provider, client_id: input.clientId, client_secret_enc: secret, updated_by: userId })
    .onConflict((oc) => oc.column('provider').doUpdateSet({ client_id: input.clientId, client_secret_enc: secret, updated_by: userId, updated_at: new Date() }))
    .execute();
  await audit(ctx.db, { organizationId: null, actorUserId: userId, action: 'provider_app.saved', target: provider, details: { clientId: input.clientId } });
}

export async function deleteProviderApp(ctx: AppContext, provider: ProviderSlug, userId: string) {
  refuseIfFromEnvironment(ctx, provider);
  await ctx.db.deleteFrom('provider_apps').where('provider', '=', provider).execute();
  await audit(ctx.db, { organizationId: null, actorUserId: userId, action: 'provider_app.deleted', target: provider });
}
