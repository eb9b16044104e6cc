/** Helpers for simulator tests: start them with a fixed epoch, call the control API and the APIs. */
import { startSimulators } from '../../../src/simulators/index.ts';
import type { RunningSimulators, SimulatorOptions } from '../../../src/simulators/index.ts';
import type { ProviderSlug } from '../../../src/simulators/types.ts';

/** A fixed end of history, so every run serves the same data. */
export const EPOCH = '2026-06-15T00:00:00Z';
export const SEED = 7;

export function startTestSimulators(options: SimulatorOptions = {}): Promise<RunningSimulators> {
  return startSimulators({ preset: 'small', seed: SEED, epoch: EPOCH, freezeTime: true, ...options });
}

export interface HttpResult<T = unknown> {
  status: number;
  headers: Headers;
  text: string;
  body: T;
}

export async function http<T = unknown>(url: string, init: RequestInit = {}): Promise<HttpResult<T>> {
  const res = await fetch(url, { redirect: 'manual', ...init });
  const text = await res.text();
  let body: unknown = text;
  if ((res.headers.get('content-type') ?? '').includes('json') && text.length > 0) body = JSON.parse(text);
  return { status: res.status, headers: res.headers, text, body: body as T };
}

export async function control<T = unknown>(sims: RunningSimulators, method: string, path: string, body?: unknown): Promise<T> {
  const res = await http<T>(`${sims.baseUrl}/_sim${path}`, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  if (res.status >= 400) throw new Error(`${method} /_sim${path} answered ${res.status}: ${res.text}`);
  return res.body;
}

export interface MintedToken {
  access_token: string;
  refresh_token?: string;
  scope: string;
  expires_in?: number;
  grant_id?: string;
}

export function mintToken(sims: RunningSimulators, provider: ProviderSlug, body: Record<string, unknown> = {}): Promise<MintedToken> {
  return control<MintedToken>(sims, 'POST', `/${provider}/tokens`, body);
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
export const basic = (user: string, secret: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}` });

/** All the read scopes a DigitalOcean token can have: `read` (the classic OAuth scope). */
export const DO_FULL = { scopes: ['read'] };
