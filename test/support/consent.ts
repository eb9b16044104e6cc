import { ApiClient } from './api.ts';

// Plain checks rather than Vitest's expect, so benchmarks can walk the same consent outside a test run.
function check(ok: unknown, message: string): asserts ok {
  if (!ok) throw new Error(message);
}

/**
 * Walks a simulator's login and consent pages over plain HTTP, as a person in a browser would: pick a
 * seeded user (the first offered, or one by email), then Approve or Deny. Returns the redirect to Tally.
 */
export async function consentAtSimulator(authorizeUrl: string, options: { user?: string; decision?: 'approve' | 'deny' } = {}): Promise<string> {
  const page = await fetch(authorizeUrl, { redirect: 'manual' });
  const html = await page.text();
  check(page.status === 200, `the authorize page answered ${page.status}: ${html.slice(0, 500)}`);
  const tx = /name="tx" value="([^"]+)"/.exec(html)?.[1];
  const loginAction = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  const firstUser = /name="user" value="([^"]+)"/.exec(html)?.[1];
  check(tx && loginAction, `no login form on the authorize page: ${html.slice(0, 500)}`);
  const origin = new URL(authorizeUrl).origin;
  const post = (action: string, form: Record<string, string>) =>
    fetch(new URL(action.replace(/&amp;/g, '&'), origin), { method: 'POST', body: new URLSearchParams(form), redirect: 'manual' });
  const afterLogin = await post(loginAction!, options.user ? { tx: tx!, email: options.user } : { tx: tx!, user: firstUser! });
  const consent = await afterLogin.text();
  const consentAction = /<form method="post" action="([^"]+)"/.exec(consent)?.[1];
  check(consentAction, `no consent form after login: ${consent.slice(0, 500)}`);
  const answer = await post(consentAction!, { tx: tx!, decision: options.decision ?? 'approve' });
  check(answer.status >= 300, `the consent answer was ${answer.status}, not a redirect`);
  return answer.headers.get('location')!;
}

/** Follows Tally's callback with the admin's browser session; returns where Tally sends the browser. */
export async function callbackAtTally(client: ApiClient, redirect: string): Promise<URL> {
  const url = new URL(redirect);
  const res = await client.request('GET', url.pathname + url.search);
  check(res.status === 303, `Tally's callback answered ${res.status}, not 303`);
  return new URL(res.headers.get('location')!, client.baseUrl);
}

/** The whole Connect: authorize at Tally, consent at the simulator, back through the callback. */
export async function connect(client: ApiClient, orgId: string, provider: 'digitalocean' | 'bitbucket', options: { user?: string; decision?: 'approve' | 'deny'; replaceAccount?: boolean } = {}) {
  const start = await client.post(`/api/orgs/${orgId}/connections/${provider}/authorize`, { returnTo: `/orgs/${orgId}/connections`, replaceAccount: options.replaceAccount });
  check(start.status === 200, `authorize answered ${start.status}: ${JSON.stringify(start.body)}`);
  const redirect = await consentAtSimulator(start.body.authorizeUrl, options);
  return callbackAtTally(client, redirect);
}
