import type { ProviderSlug } from '../api/contracts/connections.ts';
import { bitbucket } from './bitbucket/definition.ts';
import { digitalocean } from './digitalocean/definition.ts';
import type { ProviderDefinition } from './types.ts';

/** Every provider Tally connects to. Slug = folder name = registry key = database value. */
export const providers: Record<ProviderSlug, ProviderDefinition> = { digitalocean, bitbucket };

export const providerList = Object.values(providers);
