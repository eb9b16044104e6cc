/** The OAuth authorize dance over plain HTTP: the forms a person would submit, one by one. */
import { createHash, randomBytes } from 'node:crypto';
import { expect } from 'vitest';

export interface DanceOptions {
  /** A seeded user's id (a button on the login page); or `email` typed into the form. */
  user?: string;
  email?: string;
  /** The one-time code, for users with a second step. */
  otp?: string;
  /** Go through "Sign in with SSO" and the identity provider page. */
  sso?: boolean;
  decision?: 'approve' | 'deny';
}

const field = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(html)?.[1];
const action = (html: string) => /<form method="post" action="([^"]+)"/.exec(html)?.[1];

/** Walks login (and the second step or SSO) and consent; returns the redirect back to the client. */
export async function authorizeOverHttp(authorizeUrl: string, options: DanceOptions = {}): Promise<URL> {
  const origin = new URL(authorizeUrl).origin;
  const post = (path: string, form: Record<string, string>) =>
    fetch(new URL(path.replace(/&amp;/g, '&'), origin), { method: 'POST', body: new URLSearchParams(form), redirect: 'manual' });
  const login = await fetch(authorizeUrl, { redirect: 'manual' });
  const loginHtml = await login.text();
  expect(login.status, loginHtml.slice(0, 300)).toBe(200);
  const tx = field(loginHtml, 'tx') as string;
  let page: string;
  if (options.sso) {
    const ssoPath = /href="([^"]+\/sso\?tx=[^"]+)"/.exec(loginHtml)?.[1] as string;
    const idp = await (await fetch(new URL(ssoPath.replace(/&amp;/g, '&'), origin))).text();
    expect(idp).toContain('Single sign-on');
    page = await (await post(action(idp) as string, { tx, user: options.user ?? (field(idp, 'user') as string) })).text();
  } else {
    const who: Record<string, string> = options.email ? { email: options.email } : { user: options.user ?? (field(loginHtml, 'user') as string) };
    page = await (await post(action(loginHtml) as string, { tx, ...who })).text();
  }
  if (page.includes('name="code"')) page = await (await post(action(page) as string, { tx, code: options.otp ?? '' })).text();
  expect(page, page.slice(0, 400)).toContain('Approve');
  const answer = await post(action(page) as string, { tx, decision: options.decision ?? 'approve' });
  expect(answer.status).toBe(302);
  return new URL(answer.headers.get('location') as string);
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(48).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export function authorizeUrl(base: string, params: Record<string, string | undefined>): string {
  const url = new URL(base);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return url.toString();
}
