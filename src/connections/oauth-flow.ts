import * as oauth from 'oauth4webapi';
import type { ProviderSlug } from '../api/contracts/connections.ts';
import { hashToken, newToken } from '../accounts/tokens.ts';
import type { AppContext } from '../context.ts';
import { TallyError } from '../errors.ts';
import { providerApi } from '../http-client/request.ts';
import { oauthErrorMessage, oauthParts, tokenSet } from '../oauth/client.ts';
import { verifierContext } from '../oauth/contexts.ts';
import { requireOAuthClient, resolveProvider } from './provider-apps.ts';
import { saveConnection } from './save.ts';

export const AUTHORIZATION_TTL_MS = 10 * 60 * 1000;

export type AuthorizationStart = {
  organizationId: string;
  provider: ProviderSlug;
  returnTo: string;
  replaceAccount: boolean;
  /** The admin's session that must come back with the answer, or the connect-invitation used instead. */
  binding: { sessionTokenHash: string; userId: string } | { connectInvitationId: string };
};

/** Creates a short-lived authorization request (state, PKCE where accepted) and the provider URL to send the browser to. */
export async function startAuthorization(ctx: AppContext, start: AuthorizationStart): Promise<string> {
  const resolved = await resolveProvider(ctx, start.provider);
  const client = requireOAuthClient(resolved);
  const { token: state, hash: stateHash } = newToken();
  const verifier = resolved.definition.oauth.pkce ? oauth.generateRandomCodeVerifier() : undefined;
  await ctx.db
    .insertInto('oauth_requests')
    .values({
      state_hash: stateHash,
      organization_id: start.organizationId,
      provider: start.provider,
      session_token_hash: 'sessionTokenHash' in start.binding ? start.binding.sessionTokenHash : null,
      user_id: 'userId' in start.binding ? start.binding.userId : null,
      connect_invitation_id: 'connectInvitationId' in start.binding ? start.binding.connectInvitationId : null,
      code_verifier_enc: verifier ? ctx.vault.encrypt(verifier, verifierContext(stateHash)) : null,
      redirect_uri: resolved.redirectUri,
      return_to: start.returnTo,
      replace_account: start.replaceAccount,
      expires_at: new Date(Date.now() + AUTHORIZATION_TTL_MS),
    })
    .execute();
  const url = new URL(resolved.endpoints.authorizeUrl);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', client.id);
  url.searchParams.set('redirect_uri', resolved.redirectUri);
  url.searchParams.set('scope', resolved.definition.oauth.scopes.join(' '));
  url.searchParams.set('state', state);
  if (verifier) {
    url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(verifier));
    url.searchParams.set('code_challenge_method', 'S256');
  }
  return url.toString();
}

export type CallbackOutcome = { redirectTo: string };

const back = (returnTo: string, provider: string, result: string, extra: Record<string, string> = {}) => {
  const u = new URL(returnTo, 'http://tally.invalid');
  u.searchParams.set('connection', provider);
  u.searchParams.set('result', result);
  for (const [k, v] of Object.entries(extra)) u.searchParams.set(k, v);
  return `${u.pathname}${u.search}`;
};

/**
 * The provider sent the browser back. The state must be ours, unused, unexpired and from this browser
 * session (or a live connect-invitation); then the code is exchanged, the connection checked with a real
 * call, and only then stored. Any failure lands back on the card with a message and stores nothing.
 */
export async function handleCallback(ctx: AppContext, provider: ProviderSlug, callbackUrl: URL, sessionTokenHash: string | undefined): Promise<CallbackOutcome> {
  const state = callbackUrl.searchParams.get('state');
  const fail = (message: string, returnTo = '/') => ({ redirectTo: back(returnTo, provider, 'error', { message }) });
  if (!state) return fail('The provider’s answer had no state parameter. Start again from the Connections page.');
  const stateHash = hashToken(state);
  // Claimed in one statement: a state works exactly once even if the browser replays the redirect.
  const request = await ctx.db
    .updateTable('oauth_requests')
    .set({ used_at: new Date() })
    .where('state_hash', '=', stateHash)
    .where('provider', '=', provider)
    .where('used_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
  if (!request) return fail('This sign-in link was already used or is unknown. Start again from the Connections page.');
  if (request.expires_at.getTime() < Date.now()) return fail('The sign-in took longer than 10 minutes. Start again.', request.return_to);
  if (request.session_token_hash !== null && request.session_token_hash !== sessionTokenHash) {
    return fail('This answer belongs to a sign-in started in another browser session. Start again from this browser.', request.return_to);
  }
  let invitation: { id: string; email: string } | undefined;
  if (request.connect_invitation_id) {
    invitation = await ctx.db
      .selectFrom('connect_invitations')
      .select(['id', 'email'])
      .where('id', '=', request.connect_invitation_id)
      .where('used_at', 'is', null)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', new Date())
      .executeTakeFirst();
    if (!invitation) return fail('This invitation was used, revoked or has expired. Ask for a new one.', request.return_to);
  }

  const resolved = await resolveProvider(ctx, provider);
  const client = requireOAuthClient(resolved);
  const parts = oauthParts(resolved, client);
  let params: URLSearchParams;
  try {
    params = oauth.validateAuthResponse(parts.as, parts.client, callbackUrl, state);
  } catch (error) {
    if (error instanceof oauth.AuthorizationResponseError && error.error === 'access_denied') {
      return { redirectTo: back(request.return_to, provider, 'denied', { message: `You declined the access at ${resolved.definition.name}; nothing was connected.` }) };
    }
    return fail(`${resolved.definition.name} answered with an error: ${oauthErrorMessage(error)}`, request.return_to);
  }
  let tokens;
  try {
    const verifier = request.code_verifier_enc ? ctx.vault.decrypt(request.code_verifier_enc, verifierContext(stateHash)) : oauth.nopkce;
    const response = await oauth.authorizationCodeGrantRequest(parts.as, parts.client, parts.clientAuth, params, request.redirect_uri, verifier, parts.options);
    tokens = tokenSet(await oauth.processAuthorizationCodeResponse(parts.as, parts.client, response));
  } catch (error) {
    ctx.log.warn({ provider, reason: oauthErrorMessage(error) }, 'authorization code exchange failed');
    return fail(`${resolved.definition.name} did not accept the sign-in (${oauthErrorMessage(error)}). Try again.`, request.return_to);
  }
  let account;
  try {
    account = await resolved.definition.checkConnection(providerApi(resolved.endpoints.apiBaseUrl, { type: 'bearer', token: tokens.accessToken }, resolved.definition.name));
  } catch (error) {
    return fail(`Signed in, but the check call to ${resolved.definition.name} failed: ${(error as Error).message}. Nothing was saved.`, request.return_to);
  }
  try {
    const saved = await saveConnection(ctx, {
      organizationId: request.organization_id,
      provider,
      method: 'oauth',
      account,
      scopes: tokens.scopes ?? resolved.definition.oauth.scopes,
      tokens: { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken },
      expiresInSeconds: tokens.expiresIn ?? resolved.definition.oauth.accessTokenLifetimeSeconds,
      connectedBy: invitation ? { userId: null, name: invitation.email } : { userId: request.user_id, name: undefined },
      replaceAccount: request.replace_account,
      connectInvitationId: invitation?.id,
    });
    return { redirectTo: back(request.return_to, provider, saved.result, saved.result === 'account_mismatch' ? { account: saved.existingAccount ?? '' } : {}) };
  } catch (error) {
    if (error instanceof TallyError) return fail(error.message, request.return_to);
    throw error;
  }
}
