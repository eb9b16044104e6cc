// The one way the dashboard talks to Tally: JSON over fetch, same-origin cookies, and the
// double-submit CSRF token on every request that changes something.

/** Mirrors CSRF_COOKIE / CSRF_HEADER in src/api/contracts/common.ts (a test keeps them equal);
 * copied so the bundle does not pull zod in for two strings. */
export const CSRF_COOKIE = 'tally_csrf';
export const CSRF_HEADER = 'x-csrf-token';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;

  constructor(status: number, code: string, message: string, details?: unknown, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface ApiClientOptions {
  fetch: typeof fetch;
  /** Reads a cookie the browser can see (the CSRF one; the session cookie is HttpOnly). */
  readCookie: (name: string) => string | undefined;
  /** Called when a request finds the session gone (401 `unauthenticated`). */
  onUnauthenticated?: (error: ApiError) => void;
}

export interface ApiClient {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
  patch<T>(path: string, body?: unknown): Promise<T>;
  delete<T>(path: string): Promise<T>;
  request<T>(method: HttpMethod, path: string, body?: unknown): Promise<T>;
}

const UNREACHABLE = "Tally can't be reached right now. Check your connection and try again.";

export function createApiClient(options: ApiClientOptions): ApiClient {
  let tokenRequest: Promise<string> | undefined;

  function fetchCsrfToken(): Promise<string> {
    tokenRequest ??= send<{ token: string }>('GET', '/api/csrf', undefined, undefined)
      .then((body) => body.token)
      .finally(() => {
        tokenRequest = undefined;
      });
    return tokenRequest;
  }

  async function send<T>(method: HttpMethod, path: string, body: unknown, csrfToken: string | undefined): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    // Fastify rejects an empty body declared as JSON, so the header goes only with a body.
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (csrfToken !== undefined) headers[CSRF_HEADER] = csrfToken;

    let response: Response;
    try {
      response = await options.fetch(path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'same-origin',
      });
    } catch (cause) {
      throw new ApiError(0, 'network_error', UNREACHABLE, undefined, { cause });
    }

    const payload = await readJson(response);
    if (response.ok) return payload as T;
    const error = toApiError(response.status, payload);
    if (response.status === 401 && error.code === 'unauthenticated') options.onUnauthenticated?.(error);
    throw error;
  }

  async function request<T>(method: HttpMethod, path: string, body?: unknown): Promise<T> {
    if (method === 'GET') return send<T>(method, path, body, undefined);
    const token = options.readCookie(CSRF_COOKIE) ?? (await fetchCsrfToken());
    try {
      return await send<T>(method, path, body, token);
    } catch (error) {
      // The CSRF cookie can rotate or expire between reading it and the server checking it;
      // one fresh token and one retry covers that without hiding a real rejection.
      if (error instanceof ApiError && error.status === 403 && error.code.includes('csrf')) {
        return send<T>(method, path, body, await fetchCsrfToken());
      }
      throw error;
    }
  }

  return {
    request,
    get: (path) => request('GET', path),
    post: (path, body) => request('POST', path, body),
    patch: (path, body) => request('PATCH', path, body),
    delete: (path) => request('DELETE', path),
  };
}

async function readJson(response: Response): Promise<unknown> {
  if (response.status === 204) return undefined;
  const text = await response.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // Not JSON (a proxy's HTML error page, for instance); toApiError explains it by status.
    return undefined;
  }
}

function toApiError(status: number, payload: unknown): ApiError {
  if (isErrorBody(payload)) {
    const { code, message, details } = payload.error;
    return new ApiError(status, code, message, details);
  }
  const message =
    status >= 500
      ? `Tally had a problem answering (HTTP ${status}). Try again in a moment.`
      : `Tally refused the request (HTTP ${status}).`;
  return new ApiError(status, status >= 500 ? 'server_error' : 'http_error', message);
}

function isErrorBody(value: unknown): value is { error: { code: string; message: string; details?: unknown } } {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const error = value.error;
  return (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    typeof error.code === 'string' &&
    'message' in error &&
    typeof error.message === 'string'
  );
}

export function readBrowserCookie(name: string): string | undefined {
  for (const part of document.cookie.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}
