import type { ProviderSlug } from '../api/contracts/connections.ts';
import type { Config } from '../config.ts';
import { deprecatedStreams as bitbucketDeprecated, streams as bitbucket } from '../providers/bitbucket/streams/index.ts';
import { streams as digitalocean } from '../providers/digitalocean/streams/index.ts';
import type { StreamDefinition } from './types.ts';

/**
 * The streams of each provider, parents first, from src/providers/<slug>/streams. Bitbucket's issues call
 * operations the API document marks deprecated: they run only when the configuration asks for them.
 */
export function streamsFor(provider: ProviderSlug, config: Pick<Config, 'bitbucketIssues'>): StreamDefinition[] {
  if (provider === 'digitalocean') return digitalocean;
  if (!config.bitbucketIssues) return bitbucket;
  const at = bitbucket.findIndex((s) => s.name === 'repositories') + 1;
  return [...bitbucket.slice(0, at), ...bitbucketDeprecated, ...bitbucket.slice(at)];
}
