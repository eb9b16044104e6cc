import type { ProviderSlug } from '../api/contracts/connections.ts';
import type { AppContext } from '../context.ts';
import { TallyError } from '../errors.ts';
import { clientSecretContext } from '../oauth/contexts.ts';
import { providerList, providers } from '../providers/registry.ts';
import { audit } from '../store/queries/accounts.ts';
import { resolveProvider } from './provider-apps.ts';

const REGISTER_HELP: Record<ProviderSlug, string> = {
  digitalocean: 'cloud.digitalocean.com → API → OAuth Applications → Register application; enter the callback URL below.',
  bitbucket: 'bitbucket.org → Workspace settings → OAuth consumers → Add consumer (a private consumer with a callback URL); Key is the client id, Secret the client secret.',
};

export async function listProviderApps(ctx: AppContext) {
  const items = [];
  for (const definition of providerList) {
    const resolved = await resolveProvider(ctx, definition.slug);
    items.push({
      provider: definition.slug,
      name: definition.name,
      redirectUri: resolved.redirectUri,
      source: resolved.client?.source ?? null,
      clientId: resolved.client?.id ?? null,
      simulated: resolved.endpoints.simulated,
      registerHelp: REGISTER_HELP[definition.slug],
    });
  }
  return items;
}

function refuseIfFromEnvironment(ctx: AppContext, provider: ProviderSlug) {
  const env = ctx.config.providers[provider];
  if (env.clientId && env.clientSecret) {
    throw new TallyError('conflict', `The ${providers[provider].name} app is set by TALLY_${provider.toUpperCase()}_CLIENT_ID/_SECRET in the environment; change it there.`);
  }
}

export async function saveProviderApp(ctx: AppContext, provider: ProviderSlug, userId: string, input: { clientId: string; clientSecret: string }) {
  refuseIfFromEnvironment(ctx, provider);
  const secret = ctx.vault.encrypt(input.clientSecret, clientSecretContext(provider));
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
