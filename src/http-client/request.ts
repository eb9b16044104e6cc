import { ForbiddenError, HtmlInsteadOfJsonError, looksLikeHtml, ProviderError, TokenRejectedError } from './errors.ts';

export type ProviderAuth = { type: 'bearer'; token: string } | { type: 'basic'; username: string; password: string };

export type ProviderApi = {
  /** GET a JSON document from the provider's API, `path` relative to the API base URL. */
  getJson<T = unknown>(path: string): Promise<T>;
};

const TIMEOUT_MS = 20_000;

export function authorizationHeader(auth: ProviderAuth): string {
  return auth.type === 'bearer' ? `Bearer ${auth.token}` : `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
}

/** A provider API client for single calls (connection checks). Tokens travel only in the Authorization header. */
export function providerApi(baseUrl: string, auth: ProviderAuth, providerName: string): ProviderApi {
  return {
    async getJson<T>(path: string): Promise<T> {
      const url = baseUrl.replace(/\/+$/, '') + path;
      let res: Response;
      try {
        res = await fetch(url, { headers: { authorization: authorizationHeader(auth), accept: 'application/json' }, signal: AbortSignal.timeout(TIMEOUT_MS) });
      } catch (error) {
        throw new ProviderError(`${providerName} did not answer ${path} (${(error as Error).name === 'TimeoutError' ? 'timed out' : 'network error'})`, { retryable: true, cause: error });
      }
      const text = await res.text();
      if (looksLikeHtml(res.headers.get('content-type') ?? '', text)) {
        throw new HtmlInsteadOfJsonError(`${providerName} returned an HTML page instead of JSON for ${path} (bot protection?)`, { status: res.status, retryable: true });
      }
      const message = providerMessage(text);
      if (res.status === 401) throw new TokenRejectedError(`${providerName} rejected the credentials (401)${message ? `: ${message}` : ''}`, { status: 401 });
      if (res.status === 403) throw new ForbiddenError(`${providerName} refused ${path} (403)${message ? `: ${message}` : ''}`, { status: 403 });
      if (!res.ok) throw new ProviderError(`${providerName} answered ${res.status} for ${path}${message ? `: ${message}` : ''}`, { status: res.status, retryable: res.status === 429 || res.status >= 500 });
      try {
        return JSON.parse(text) as T;
      } catch (error) {
        throw new ProviderError(`${providerName} sent a response for ${path} that is not valid JSON`, { status: res.status, retryable: true, cause: error });
      }
    },
  };
}

/** The human part of a provider's error body: DigitalOcean `{ id, message }`, Bitbucket `{ type: "error", error: { message } }`. */
function providerMessage(text: string): string | undefined {
  try {
    const body = JSON.parse(text) as { message?: unknown; error?: { message?: unknown } | string; error_description?: unknown };
    const m = typeof body.error === 'object' ? body.error?.message : (body.message ?? body.error_description);
    return typeof m === 'string' ? m.slice(0, 300) : undefined;
  } catch {
    return undefined;
  }
}
