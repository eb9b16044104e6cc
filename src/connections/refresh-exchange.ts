import { backOff } from 'exponential-backoff';
import * as oauth from 'oauth4webapi';
import { tokenSet, type oauthParts, type TokenSet } from '../oauth/client.ts';

/** How hard one refresh tries before giving up for now; tests shorten the waits. */
export type RefreshBackoff = {
  /** Token requests at most, the first included. */
  attempts?: number;
  /** The first wait; each later one doubles, each drawn at random below its cap (full jitter). */
  startingDelayMs?: number;
  /** How long one token request may take. */
  timeoutMs?: number;
};

const DEFAULTS: Required<RefreshBackoff> = { attempts: 4, startingDelayMs: 500, timeoutMs: 20_000 };

/** The token endpoint failed for a passing reason: no answer, a timeout, 429, 5xx, or an HTML page from its edge. */
export class TransientRefreshError extends Error {
  override name = 'TransientRefreshError';
}

/**
 * Exchanges a refresh token, retrying passing failures with full-jitter exponential backoff (the helper
 * the provider HTTP client retries with). Everything else is thrown at once: above all `invalid_grant`,
 * which a retry cannot cure and which the caller must judge against the stored token.
 * Runs while the caller holds the connection's row lock, so no other refresh starts in between.
 */
export async function exchangeRefreshToken(parts: ReturnType<typeof oauthParts>, refreshToken: string, backoff: RefreshBackoff = {}): Promise<TokenSet> {
  const { attempts, startingDelayMs, timeoutMs } = { ...DEFAULTS, ...backoff };
  const once = async (): Promise<TokenSet> => {
    let response: Response;
    try {
      // A fresh timeout per request: one signal for all of them would expire part-way through the retries.
      response = await oauth.refreshTokenGrantRequest(parts.as, parts.client, parts.clientAuth, refreshToken, { ...parts.options, signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      if (isNetworkFailure(error)) throw new TransientRefreshError(networkMessage(error), { cause: error });
      throw error;
    }
    // A bot-protection page comes as HTML, with any status: the edge, not the authorization server, answered.
    const html = (response.headers.get('content-type') ?? '').includes('text/html');
    if (response.status === 429 || response.status >= 500 || html) {
      await response.body?.cancel();
      throw new TransientRefreshError(`the token endpoint answered ${response.status}${html ? ' with an HTML page' : ''}`);
    }
    // Anything else is the authorization server's answer and is not retried. A 200 whose JSON is cut short
    // included: the provider did the exchange and spent the refresh token, so a retry could only be refused.
    return tokenSet(await oauth.processRefreshTokenResponse(parts.as, parts.client, response));
  };
  return backOff(once, {
    numOfAttempts: attempts,
    startingDelay: startingDelayMs,
    timeMultiple: 2,
    maxDelay: 10_000,
    jitter: 'full',
    retry: (error: unknown) => error instanceof TransientRefreshError,
  });
}

/** fetch's own failures: a TypeError without oauth4webapi's `code` (its argument checks carry one), or the timeout. */
function isNetworkFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'TimeoutError' || error.name === 'AbortError') return true;
  return error instanceof TypeError && (error as { code?: unknown }).code === undefined;
}

function networkMessage(error: unknown): string {
  const e = error as Error;
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return 'the token endpoint did not answer in time';
  const cause = (e.cause as { code?: string; message?: string } | undefined) ?? {};
  return `the token endpoint could not be reached (${cause.code ?? cause.message ?? e.message})`;
}
