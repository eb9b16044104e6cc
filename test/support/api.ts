import { CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE } from '../../src/api/contracts/common.ts';

/** Secret values seen by any test client; the harness checks that none of them reached a log line. */
export const seenSecrets = new Set<string>();

export function rememberSecret(value: string | undefined): void {
  if (value && value.length >= 8) seenSecrets.add(value);
}

export type ApiResponse<T = any> = { status: number; body: T; headers: Headers };

/** A browser-like API client: keeps cookies and echoes the CSRF cookie on every non-GET, like the dashboard. */
export class ApiClient {
  readonly baseUrl: string;
  readonly cookies = new Map<string, string>();
  csrf = true;
  constructor(baseUrl: string) {
    this.baseUrl = baseUrl;
  }

  get sessionToken(): string | undefined {
    return this.cookies.get(SESSION_COOKIE);
  }

  async request<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    if (method !== 'GET' && this.csrf && !this.cookies.has(CSRF_COOKIE)) await this.request('GET', '/api/csrf');
    const h: Record<string, string> = { ...headers };
    if (this.cookies.size) h.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (method !== 'GET' && this.csrf && this.cookies.has(CSRF_COOKIE) && !(CSRF_HEADER in headers)) h[CSRF_HEADER] = this.cookies.get(CSRF_COOKIE)!;
    if (body !== undefined) h['content-type'] = 'application/json';
    rememberSecretsIn(body);
    const res = await fetch(this.baseUrl + path, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body), redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [name, ...rest] = (pair ?? '').split('=');
      const value = rest.join('=');
      if (!name) continue;
      if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(c)) this.cookies.delete(name);
      else {
        this.cookies.set(name, value);
        if (name === SESSION_COOKIE) rememberSecret(value);
      }
    }
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    const link = (parsed as { link?: string } | undefined)?.link;
    if (typeof link === 'string') rememberSecret(link.split('/').pop());
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  get<T = any>(path: string) {
    return this.request<T>('GET', path);
  }
  post<T = any>(path: string, body?: unknown) {
    return this.request<T>('POST', path, body ?? {});
  }
  put<T = any>(path: string, body?: unknown) {
    return this.request<T>('PUT', path, body ?? {});
  }
  patch<T = any>(path: string, body?: unknown) {
    return this.request<T>('PATCH', path, body ?? {});
  }
  delete<T = any>(path: string) {
    return this.request<T>('DELETE', path);
  }
}

function rememberSecretsIn(body: unknown): void {
  if (!body || typeof body !== 'object') return;
  for (const [k, v] of Object.entries(body)) {
    if (typeof v === 'string' && /password|token|secret/i.test(k)) rememberSecret(v);
  }
}
