import { randomBytes } from 'node:crypto';
import type { SimClock } from '../core/clock.ts';
import { MINUTE_MS } from '../core/clock.ts';
import type { ProviderSlug } from '../types.ts';

export interface OAuthClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
}

/**
 * How access was granted. `oauth` grants come from the authorize dance (or the control API) and
 * have refresh tokens; the others are long-lived secrets a person creates in the provider's UI.
 */
export type GrantKind = 'oauth' | 'personal_access_token' | 'api_token' | 'workspace_access_token' | 'app_password';

export interface Grant {
  id: string;
  provider: ProviderSlug;
  kind: GrantKind;
  clientId: string | null;
  userId: string;
  scopes: string[];
  /** Workspace slug, for Bitbucket workspace access tokens. */
  workspace: string | null;
  createdAt: number;
  revokedAt: number | null;
  /** Refresh-token exchanges so far (each one rotates the refresh token). */
  refreshCount: number;
}

export interface IssuedTokens {
  grant: Grant;
  accessToken: string;
  refreshToken: string | null;
  expiresInSeconds: number | null;
}

interface TokenRecord {
  grantId: string;
  type: 'access' | 'refresh' | 'secret';
  issuedAt: number;
  expiresAt: number | null;
  usedAt: number | null;
}

export interface AuthorizationCode {
  clientId: string;
  redirectUri: string;
  userId: string;
  scopes: string[];
  codeChallenge: string | null;
  codeChallengeMethod: string | null;
  expiresAt: number;
  usedAt: number | null;
  grantId: string | null;
}

export interface TokenPolicy {
  accessTokenTtlMs: number;
  /** A refresh token not exchanged within this long is dead (null: never). */
  refreshTokenIdleMs: number | null;
  newAccessToken(): string;
  newRefreshToken(): string;
}

const CODE_TTL_MS = 10 * MINUTE_MS;

export function randomToken(bytes: number, encoding: 'hex' | 'base64url' = 'hex'): string {
  return randomBytes(bytes).toString(encoding);
}

/** One credential the simulator handed out, for tests that look for it where it must not be. */
export interface IssuedCredential {
  type: 'authorization_code' | 'access_token' | 'refresh_token' | 'secret';
  value: string;
  /** Null for a code never exchanged. */
  grantId: string | null;
  issuedAt: number;
}

export type TokenLookup =
  | { ok: true; grant: Grant; type: TokenRecord['type'] }
  | { ok: false; reason: 'unknown' | 'expired' | 'revoked' };

/** One provider's OAuth state: clients, codes, grants and the tokens that belong to them. */
export class OAuthStore {
  readonly provider: ProviderSlug;
  readonly policy: TokenPolicy;
  #clock: SimClock;
  #clients = new Map<string, OAuthClient>();
  #codes = new Map<string, AuthorizationCode>();
  #grants = new Map<string, Grant>();
  #tokens = new Map<string, TokenRecord>();
  #nextGrant = 1;

  constructor(provider: ProviderSlug, clock: SimClock, policy: TokenPolicy) {
    this.provider = provider;
    this.#clock = clock;
    this.policy = policy;
  }

  registerClient(client: OAuthClient): void {
    this.#clients.set(client.clientId, { ...client, redirectUris: [...client.redirectUris] });
  }

  client(clientId: string): OAuthClient | null {
    return this.#clients.get(clientId) ?? null;
  }

  clients(): OAuthClient[] {
    return [...this.#clients.values()];
  }

  issueCode(input: Omit<AuthorizationCode, 'expiresAt' | 'usedAt' | 'grantId'>): string {
    const code = randomToken(16, 'base64url');
    this.#codes.set(code, { ...input, expiresAt: this.#clock.now() + CODE_TTL_MS, usedAt: null, grantId: null });
    return code;
  }

  peekCode(code: string): AuthorizationCode | null {
    return this.#codes.get(code) ?? null;
  }

  /**
   * Codes are single-use. Presenting a used code again also revokes what it was exchanged for
   * (RFC 6749 §4.1.2: the server SHOULD revoke tokens issued from a replayed code).
   */
  redeemCode(code: string): { ok: true; code: AuthorizationCode } | { ok: false; reason: 'unknown' | 'used' | 'expired' } {
    const record = this.#codes.get(code);
    if (!record) return { ok: false, reason: 'unknown' };
    if (record.usedAt !== null) {
      if (record.grantId) this.revokeGrant(record.grantId);
      return { ok: false, reason: 'used' };
    }
    record.usedAt = this.#clock.now();
    if (record.expiresAt <= this.#clock.now()) return { ok: false, reason: 'expired' };
    return { ok: true, code: record };
  }

  attachGrantToCode(code: string, grantId: string): void {
    const record = this.#codes.get(code);
    if (record) record.grantId = grantId;
  }

  createOAuthGrant(clientId: string | null, userId: string, scopes: string[]): IssuedTokens {
    const grant = this.#newGrant('oauth', clientId, userId, scopes, null);
    return this.#issuePair(grant);
  }

  /** Exchange a refresh token: it stops working at once and a new pair is issued. */
  refresh(refreshToken: string, clientId: string): { ok: true; tokens: IssuedTokens } | { ok: false; reason: string } {
    const record = this.#tokens.get(refreshToken);
    if (!record || record.type !== 'refresh') return { ok: false, reason: 'unknown' };
    const grant = this.#grants.get(record.grantId);
    if (!grant || grant.clientId !== clientId) return { ok: false, reason: 'unknown' };
    if (grant.revokedAt !== null) return { ok: false, reason: 'revoked' };
    if (record.usedAt !== null) return { ok: false, reason: 'used' };
    const now = this.#clock.now();
    if (record.expiresAt !== null && record.expiresAt <= now) return { ok: false, reason: 'expired' };
    record.usedAt = now;
    grant.refreshCount++;
    return { ok: true, tokens: this.#issuePair(grant) };
  }

  /** A long-lived secret (personal access token, API token, workspace access token, app password). */
  mintSecret(kind: Exclude<GrantKind, 'oauth'>, userId: string, scopes: string[], secret: string, workspace: string | null = null): Grant {
    const grant = this.#newGrant(kind, null, userId, scopes, workspace);
    this.#tokens.set(secret, { grantId: grant.id, type: 'secret', issuedAt: this.#clock.now(), expiresAt: null, usedAt: null });
    return grant;
  }

  lookup(token: string): TokenLookup {
    const record = this.#tokens.get(token);
    if (!record) return { ok: false, reason: 'unknown' };
    const grant = this.#grants.get(record.grantId);
    if (!grant) return { ok: false, reason: 'unknown' };
    if (grant.revokedAt !== null) return { ok: false, reason: 'revoked' };
    if (record.expiresAt !== null && record.expiresAt <= this.#clock.now()) return { ok: false, reason: 'expired' };
    return { ok: true, grant, type: record.type };
  }

  /**
   * Every code, access token, refresh token and long-lived secret issued so far, used, rotated away,
   * expired or revoked alike: the simulator forgets none of them.
   */
  issued(): IssuedCredential[] {
    const codes = [...this.#codes].map(([value, c]): IssuedCredential => ({ type: 'authorization_code', value, grantId: c.grantId, issuedAt: c.expiresAt - CODE_TTL_MS }));
    const types = { access: 'access_token', refresh: 'refresh_token', secret: 'secret' } as const;
    const tokens = [...this.#tokens].map(([value, t]): IssuedCredential => ({ type: types[t.type], value, grantId: t.grantId, issuedAt: t.issuedAt }));
    return [...codes, ...tokens].sort((a, b) => a.issuedAt - b.issuedAt);
  }

  grants(): Grant[] {
    return [...this.#grants.values()].map((g) => ({ ...g, scopes: [...g.scopes] }));
  }

  grant(id: string): Grant | null {
    return this.#grants.get(id) ?? null;
  }

  revokeGrant(id: string): boolean {
    const grant = this.#grants.get(id);
    if (!grant || grant.revokedAt !== null) return false;
    grant.revokedAt = this.#clock.now();
    return true;
  }

  /** Revoke the grant a token (access, refresh or secret) belongs to. */
  revokeByToken(token: string): boolean {
    const record = this.#tokens.get(token);
    return record ? this.revokeGrant(record.grantId) : false;
  }

  #newGrant(kind: GrantKind, clientId: string | null, userId: string, scopes: string[], workspace: string | null): Grant {
    const grant: Grant = {
      id: `${this.provider}_grant_${this.#nextGrant++}`,
      provider: this.provider,
      kind,
      clientId,
      userId,
      scopes: [...scopes],
      workspace,
      createdAt: this.#clock.now(),
      revokedAt: null,
      refreshCount: 0,
    };
    this.#grants.set(grant.id, grant);
    return grant;
  }

  #issuePair(grant: Grant): IssuedTokens {
    const now = this.#clock.now();
    const accessToken = this.policy.newAccessToken();
    const refreshToken = this.policy.newRefreshToken();
    this.#tokens.set(accessToken, {
      grantId: grant.id,
      type: 'access',
      issuedAt: now,
      expiresAt: now + this.policy.accessTokenTtlMs,
      usedAt: null,
    });
    const idle = this.policy.refreshTokenIdleMs;
    this.#tokens.set(refreshToken, {
      grantId: grant.id,
      type: 'refresh',
      issuedAt: now,
      expiresAt: idle === null ? null : now + idle,
      usedAt: null,
    });
    return { grant, accessToken, refreshToken, expiresInSeconds: Math.round(this.policy.accessTokenTtlMs / 1000) };
  }
}
