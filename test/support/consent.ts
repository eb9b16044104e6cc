import { expect } from 'vitest';
import { ApiClient } from './api.ts';

/**
 * Walks a simulator's login and consent pages over plain HTTP, as a person in a browser would: pick a
 * seeded user (the first offered, or one by email), then Approve or Deny. Returns the redirect to Tally.
 */
export async function consentAtSimulator(authorizeUrl: string, options: { user?: string; decision?: 'approve' | 'deny' } = {}): Promise<string> {
  const page = await fetch(authorizeUrl, { redirect: 'manual' });
  const html = await page.text();
  expect(page.status, html.slice(0, 500)).toBe(200);
  const tx = /name="tx" value="([^"]+)"/.exec(html)?.[1];
  const loginAction = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  const firstUser = /name="user" value="([^"]+)"/.exec(html)?.[1];
  expect(tx && loginAction, 'login page').toBeTruthy();
  const origin = new URL(authorizeUrl).origin;
  const post = (action: string, form: Record<string, string>) =>
    fetch(new URL(action.replace(/&amp;/g, '&'), origin), { method: 'POST', body: new URLSearchParams(form), redirect: 'manual' });
  const afterLogin = await post(loginAction!, options.user ? { tx: tx!, email: options.user } : { tx: tx!, user: firstUser! });
  const consent = await afterLogin.text();
  const consentAction = /<form method="post" action="([^"]+)"/.exec(consent)?.[1];
  expect(consentAction, consent.slice(0, 500)).toBeTruthy();
  const answer = await post(consentAction!, { tx: tx!, decision: options.decision ?? 'approve' });
  expect(answer.status).toBeGreaterThanOrEqual(300);
  return answer.headers.get('location')!;
}

/** Follows Tally's callback with the admin's browser session; returns where Tally sends the browser. */
export async function callbackAtTally(client: ApiClient, redirect: string): Promise<URL> {
  const url = new URL(redirect);
  const res = await client.request('GET', url.pathname + url.search);
  expect(res.status).toBe(303);
  return new URL(res.headers.get('location')!, client.baseUrl);
}

/** The whole Connect: authorize at Tally, consent at the simulator, back through the callback. */
export async function connect(client: ApiClient, orgId: string, provider: 'digitalocean' | 'bitbucket', options: { user?: string; decision?: 'approve' | 'deny'; replaceAccount?: boolean } = {}) {
  const start = await client.post(`/api/orgs/${orgId}/connections/${provider}/authorize`, { returnTo: `/orgs/${orgId}/connections`, replaceAccount: options.replaceAccount });
  expect(start.status, JSON.stringify(start.body)).toBe(200);
  const redirect = await consentAtSimulator(start.body.authorizeUrl, options);
  return callbackAtTally(client, redirect);
}
