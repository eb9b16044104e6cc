import * as oauth from 'oauth4webapi';
import type { ResolvedProvider } from '../connections/provider-apps.ts';

/** oauth4webapi's view of a provider: its endpoints, our client, and how we authenticate at the token endpoint. */
export function oauthParts(resolved: ResolvedProvider, client: { id: string; secret: string }) {
  const { endpoints, definition } = resolved;
  const as: oauth.AuthorizationServer = {
    issuer: new URL(endpoints.authorizeUrl).origin,
    authorization_endpoint: endpoints.authorizeUrl,
    token_endpoint: endpoints.tokenUrl,
    ...(endpoints.revokeUrl ? { revocation_endpoint: endpoints.revokeUrl } : {}),
  };
  const oauthClient: oauth.Client = { client_id: client.id };
  const clientAuth = definition.oauth.clientAuth === 'client_secret_basic' ? oauth.ClientSecretBasic(client.secret) : oauth.ClientSecretPost(client.secret);
  // Plain http only ever reaches here for a loopback service (a simulator, built in or configured in the
  // environment): config refuses it for anything else, and this checks again.
  const insecure = endpoints.simulated || [endpoints.tokenUrl, endpoints.revokeUrl].every((u) => !u || isLoopback(u));
  const options = { [oauth.allowInsecureRequests]: insecure, signal: AbortSignal.timeout(20_000) };
  return { as, client: oauthClient, clientAuth, options };
}

function isLoopback(url: string): boolean {
  const host = new URL(url).hostname;
  return host === 'localhost' || host === '[::1]' || host.startsWith('127.');
}

export type TokenSet = { accessToken: string; refreshToken: string | undefined; expiresIn: number | undefined; scopes: string[] | undefined; raw: oauth.TokenEndpointResponse };

export function tokenSet(response: oauth.TokenEndpointResponse): TokenSet {
  const scope = typeof response.scope === 'string' ? response.scope : typeof response.scopes === 'string' ? (response.scopes as string) : undefined;
  return {
    accessToken: response.access_token,
    refreshToken: response.refresh_token,
    expiresIn: response.expires_in,
    scopes: scope?.split(/[\s,]+/).filter(Boolean),
    raw: response,
  };
}

/** `invalid_grant` and its kin: the refresh token (or code) is dead, and trying again will not help. */
export function isDeadGrant(error: unknown): boolean {
  return error instanceof oauth.ResponseBodyError && ['invalid_grant', 'unauthorized_client', 'invalid_client'].includes(error.error);
}

export function oauthErrorMessage(error: unknown): string {
  if (error instanceof oauth.ResponseBodyError) return `${error.error}${error.error_description ? `: ${error.error_description}` : ''}`;
  if (error instanceof oauth.AuthorizationResponseError) return `${error.error}${error.error_description ? `: ${error.error_description}` : ''}`;
  return (error as Error).message;
}
