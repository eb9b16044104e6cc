/**
 * Steps the browser tests of the dashboard share: signing in, finding a page's title and a provider's
 * card, and walking a simulator's login and consent pages.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { openBrowser } from './browser.ts';
import { type TestTally, startTestTally } from './tally.ts';

/** A test Tally serving the built dashboard, and a browser; refused at once if the dashboard is not built. */
export async function startDashboard(options?: Parameters<typeof startTestTally>[0]): Promise<[TestTally, Browser]> {
  if (!existsSync(path.resolve('web/dist/index.html'))) {
    throw new Error('The dashboard is not built: run `npm run build:web` first (npm test does it).');
  }
  return Promise.all([startTestTally(options), openBrowser()]);
}

/**
 * Signs in at /login and returns the page the organization opened on: Connections while nothing is
 * connected, Overview once something is.
 */
export async function logIn(page: Page, who: { email: string; password: string }): Promise<'connections' | 'overview'> {
  await page.goto('/login');
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password', { exact: true }).fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => /^\/orgs\/[^/]+\/(connections|overview)$/.test(url.pathname));
  return new URL(page.url()).pathname.endsWith('/overview') ? 'overview' : 'connections';
}

export const heading = (page: Page, name: string | RegExp) => page.getByRole('heading', { level: 1, name });

/** A provider's card (Connections) or section (Settings → Provider apps), by the name it starts with. */
export const providerRegion = (page: Page, name: string) => page.getByRole('region', { name: new RegExp(`^${name}`) });

/** At the simulator: pick a seeded user ("Continue as …"), then Approve or Deny on the consent page. */
export async function consent(page: Page, { user = 0, decision = 'Approve' }: { user?: number; decision?: 'Approve' | 'Deny' } = {}): Promise<void> {
  const users = page.getByRole('button', { name: /^Continue as / });
  await users.first().waitFor();
  await users.nth(user).click();
  await page.getByRole('button', { name: decision }).click();
}

/** Back on the Connections page once it has read and removed the callback's parameters. */
export async function backOnConnections(page: Page, orgId: string): Promise<void> {
  await page.waitForURL((url) => url.pathname === `/orgs/${orgId}/connections` && url.search === '');
}
