import { randomBytes } from 'node:crypto';
import type { ProviderSlug } from '../api/contracts/connections.ts';
import type { Config } from '../config.ts';
import type { AppContext } from '../context.ts';
import type { Logger } from '../log.ts';
import { simulatedClientSecretContext } from '../oauth/contexts.ts';
import { redirectUriFor, type SimulatedProviders } from './provider-apps.ts';

/**
 * Simulators run when asked, or in `auto` when no real provider app is configured, neither in the
 * environment nor on the settings page (the out-of-the-box demo).
 */
export function simulatorsWanted(config: Config, appsInSettings: number): boolean {
  if (config.simulators !== 'auto') return config.simulators === 'on';
  return appsInSettings === 0 && !Object.values(config.providers).some((p) => p.clientId && p.clientSecret);
}

/**
 * Starts the built-in DigitalOcean and Bitbucket simulators in this process and registers Tally's OAuth
 * client with each, so Connect works without provider credentials.
 */
export async function startBuiltInSimulators(config: Config, log: Logger): Promise<{ simulated: SimulatedProviders; baseUrl: string; close(): Promise<void> }> {
  const { startSimulators } = await import('../simulators/index.ts');
  const slugs: ProviderSlug[] = ['digitalocean', 'bitbucket'];
  const clients = slugs.map((provider) => ({
    provider,
    clientId: `tally-local-${provider}`,
    clientSecret: randomBytes(24).toString('base64url'),
    redirectUris: [redirectUriFor(config.publicUrl, provider)],
  }));
  const sims = await startSimulators({ port: config.simulatorsPort, preset: 'small', seed: 1, clients, logger: false, freezeTime: config.simulatorsClock === 'frozen' });
  const simulated: SimulatedProviders = {};
  for (const c of clients) {
    const info = sims.info[c.provider];
    simulated[c.provider] = {
      endpoints: { authorizeUrl: info.authorizeUrl, tokenUrl: info.tokenUrl, revokeUrl: info.revokeUrl, apiBaseUrl: info.apiBaseUrl },
      clientId: c.clientId,
      clientSecret: c.clientSecret,
    };
  }
  log.info({ url: sims.baseUrl }, 'provider simulators are running (no real provider app is configured)');
  return { simulated, baseUrl: sims.baseUrl, close: () => sims.close() };
}

/**
 * Records the simulators this process started, so `tally worker` and `tally sync` processes on the same
 * database reach them too. Returns the clean-up to run when this process stops.
 */
export async function publishSimulators(ctx: AppContext): Promise<() => Promise<void>> {
  const entries = Object.entries(ctx.simulated) as Array<[ProviderSlug, NonNullable<SimulatedProviders[ProviderSlug]>]>;
  for (const [provider, s] of entries) {
    const row = { endpoints: JSON.stringify(s.endpoints), client_id: s.clientId, client_secret_enc: ctx.vault.encrypt(s.clientSecret, simulatedClientSecretContext(provider)), started_at: new Date() };
    await ctx.db.insertInto('simulated_providers').values({ provider, ...row }).onConflict((oc) => oc.column('provider').doUpdateSet(row)).execute();
  }
  return async () => {
    for (const [provider, s] of entries) {
      const row = await ctx.db.selectFrom('simulated_providers').selectAll().where('provider', '=', provider).executeTakeFirst();
      // Another process may have started simulators since: leave its record alone.
      if (row && ctx.vault.decrypt(row.client_secret_enc, simulatedClientSecretContext(provider)) === s.clientSecret) {
        await ctx.db.deleteFrom('simulated_providers').where('provider', '=', provider).execute();
      }
    }
  };
}

/** The simulator another process on this database started for a provider, if any. */
export async function publishedSimulator(ctx: AppContext, provider: ProviderSlug): Promise<SimulatedProviders[ProviderSlug]> {
  if (ctx.config.simulators === 'off') return undefined;
  const row = await ctx.db.selectFrom('simulated_providers').selectAll().where('provider', '=', provider).executeTakeFirst();
  if (!row) return undefined;
  return { endpoints: row.endpoints as NonNullable<SimulatedProviders[ProviderSlug]>['endpoints'], clientId: row.client_id, clientSecret: ctx.vault.decrypt(row.client_secret_enc, simulatedClientSecretContext(provider)) };
}
