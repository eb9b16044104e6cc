import type { z } from 'zod';
import type { ConnectedAccount, ProviderSlug } from '../api/contracts/connections.ts';
import type { ProviderApi, ProviderAuth } from '../http-client/request.ts';

export type Account = z.infer<typeof ConnectedAccount>;

/** Where a provider lives: the real service by default, the simulator when it runs. */
export type ProviderEndpoints = {
  authorizeUrl: string;
  tokenUrl: string;
  revokeUrl: string | null;
  apiBaseUrl: string;
  simulated: boolean;
};

/** A personal token as the admin pasted it, turned into API credentials or refused with a reason. */
export type PersonalTokenInput = { token: string; email?: string | undefined };

/**
 * A provider is data plus a few small functions; the platform does OAuth, storage, refresh and sync.
 */
export type ProviderDefinition = {
  slug: ProviderSlug;
  name: string;
  description: string;
  /** What Tally reads from the app, in plain words for the Connections card. */
  reads: string[];
  /** The real service. */
  defaults: Omit<ProviderEndpoints, 'simulated'>;
  oauth: {
    /** How the client authenticates at the token endpoint. */
    clientAuth: 'client_secret_post' | 'client_secret_basic';
    /** Send PKCE (S256): only where the provider accepts it. */
    pkce: boolean;
    scopes: string[];
    /** Access token lifetime the provider documents, used when a response omits expires_in. */
    accessTokenLifetimeSeconds: number;
  };
  personalToken: {
    label: string;
    help: string;
    /** Credentials for the API, or a message saying why this token cannot be used. */
    credentials(input: PersonalTokenInput): ProviderAuth | { refused: string };
    /** Scopes the token grants, found by calling the API (personal tokens do not say). */
    probeScopes(api: ProviderApi): Promise<string[]>;
  };
  /**
   * Documented request limits, and what they are counted per: each token (DigitalOcean) or the whole OAuth
   * consumer, shared by every connection made through it (Bitbucket). Tally keeps below them.
   */
  rateLimits: { per: 'token' | 'oauth_consumer'; windows: Array<{ limit: number; windowMs: number }> };
  /** One real call (or two) that proves the credentials work, and says whose account it is. */
  checkConnection(api: ProviderApi): Promise<Account>;
};
